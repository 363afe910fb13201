/* On an English page, a reader whose browser prefers French, Spanish or Vietnamese is offered,
 * in one line in that language, the same page in it: a link, never a redirect. The line is
 * fixed at the bottom of the screen, so nothing on the page moves (no layout shift), and it
 * can be closed; once closed, it stays closed on every page.
 * Its texts come from <script type="application/json" id="portal-language-offer">
 * (site/hooks/languages.py): {lang: {text, link, close, href}} for each other language. */

const DISMISSED = "portal.languageOffer.dismissed";

function readOffers() {
  const node = document.getElementById("portal-language-offer");
  try {
    return (node && JSON.parse(node.textContent)) || {};
  } catch {
    return {}; // unreadable data: no offer rather than a broken page
  }
}

/* The first of the browser's languages the site has ("fr-CA" → "fr"), or null. */
export function preferred(browserLanguages, offered) {
  for (const tag of browserLanguages || []) {
    const primary = String(tag).toLowerCase().split(/[-_]/)[0];
    if (primary === "en") {
      return null; // English comes first: this page is already right
    }
    if (Object.prototype.hasOwnProperty.call(offered, primary)) {
      return primary;
    }
  }
  return null;
}

function dismissed() {
  try {
    return window.localStorage.getItem(DISMISSED) === "1";
  } catch {
    return false; // storage refused (private mode): offer again, it costs one line
  }
}

function remember() {
  try {
    window.localStorage.setItem(DISMISSED, "1");
  } catch {
    // Storage refused: the line is still closed on this page.
  }
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    node.setAttribute(name, value);
  }
  if (text) {
    node.textContent = text;
  }
  return node;
}

function show(lang, offer) {
  const bar = el("aside", { class: "portal-language-offer", lang, "aria-label": offer.text });
  const text = el("p", {}, `${offer.text} `);
  text.appendChild(el("a", { href: offer.href, hreflang: lang }, offer.link));
  const close = el("button", { type: "button", class: "portal-language-offer-close" });
  close.setAttribute("aria-label", offer.close);
  close.setAttribute("title", offer.close);
  close.textContent = "×";
  close.addEventListener("click", () => {
    remember();
    bar.remove();
  });
  bar.append(text, close);
  document.body.appendChild(bar);
}

const offers = readOffers();
const lang = preferred(navigator.languages || [navigator.language], offers);
if (lang && !dismissed()) {
  show(lang, offers[lang]);
}
