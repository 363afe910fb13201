/* The 404 page in the language of the address asked for: /fr/… in French, /es/… in Spanish,
 * /vi/… in Vietnamese, anything else in English. S3 and CloudFront answer every missing path
 * with one page (the English one); it carries every language's texts in
 * <script type="application/json" id="portal-404-frame"> (site/hooks/languages.py), and this
 * puts the right ones in its frame (title, header, search, language menu) and its text. */

function readFrames() {
  const node = document.getElementById("portal-404-frame");
  try {
    return (node && JSON.parse(node.textContent)) || {};
  } catch {
    return {};
  }
}

/* The language whose home is the longest start of the path; "en" (the root) otherwise. */
export function languageOf(pathname, frames) {
  let best = "en";
  let length = -1;
  for (const [lang, frame] of Object.entries(frames)) {
    if (pathname.startsWith(frame.home) && frame.home.length > length) {
      best = lang;
      length = frame.home.length;
    }
  }
  return best;
}

function setText(selector, text) {
  for (const node of document.querySelectorAll(selector)) {
    node.textContent = text;
  }
}

function setAttribute(selector, name, value) {
  for (const node of document.querySelectorAll(selector)) {
    node.setAttribute(name, value);
  }
}

function apply(frame, frames) {
  document.documentElement.lang = frame.lang;
  document.title = frame.title;
  setText("#portal-404-title", frame.title);
  setText("#portal-404-text", frame.text);
  setText("#portal-404-home", frame.home_link);
  setAttribute("#portal-404-home", "href", frame.home);
  setText(".md-header__topic:first-child .md-ellipsis", frame.site_name);
  setAttribute(".md-header__inner", "aria-label", frame.header);
  setAttribute(".md-logo", "href", frame.home);
  setAttribute(".md-logo", "title", frame.site_name);
  setAttribute(".md-logo", "aria-label", frame.site_name);
  setAttribute(".md-select > .md-header__button", "aria-label", frame.select_language);
  setAttribute(".md-search", "aria-label", frame.search);
  setAttribute(".md-search__options", "aria-label", frame.search);
  setAttribute(".md-search__input", "aria-label", frame.search);
  setAttribute(".md-search__input", "placeholder", frame.search_placeholder);
  setAttribute(".md-search__options [type=reset]", "aria-label", frame.search_reset);
  setAttribute(".md-search__options [type=reset]", "title", frame.search_reset);
  setText(".md-search-result__meta", frame.search_initializer);
  // The language menu leads to each language's home: there is no same page to go to.
  for (const [lang, other] of Object.entries(frames)) {
    setAttribute(`.md-select__link[hreflang="${lang}"]`, "href", other.home);
  }
}

const frames = readFrames();
const chosen = frames[languageOf(window.location.pathname, frames)];
if (chosen) {
  apply(chosen, frames);
}
