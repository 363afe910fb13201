/* The forms' texts in the page language, and dates, numbers and waits written the reader's way.
 * The texts come from <script type="application/json" id="portal-messages">, which
 * site/hooks/portal_i18n.py adds in the page's language (inert data: the CSP allows it). */

function readMessages() {
  const node = document.getElementById("portal-messages");
  let data = {};
  try {
    data = (node && JSON.parse(node.textContent)) || {};
  } catch {
    // An unreadable block: the forms still work, showing keys instead of sentences.
  }
  return {
    lang: data.lang || document.documentElement.lang || "en",
    errors: data.errors || {},
    labels: data.labels || {},
    links: data.links || {},
    letters: data.letters || {},
    identity: data.identity || {},
  };
}

const messages = readMessages();

/* The page language ("en", "fr", "es" or "vi"). */
export const lang = messages.lang;

/* Pages the forms link to (login, portal, claim, forgot_password), relative to this page. */
export const links = messages.links;

/* The staff page's activation letters in every language ({lang: texts}); elsewhere empty. */
export const letters = messages.letters;

/* The district's student IDs and usernames as the build found them (PORTAL_STUDENT_ID_DIGITS,
 * PORTAL_USERNAME_PREFIX, site/hooks/district_ids.py): the digits of an ID, and what comes
 * before it in a username. The settings have one home: no default is repeated here. */
export const studentIds = {
  digits: Number(messages.identity.digits),
  prefix: String(messages.identity.prefix || ""),
};

/* "{name}" placeholders replaced by params[name]; unknown ones stay as they are. */
export function fill(text, params) {
  return text.replace(/\{([a-z_]+)\}/g, (whole, name) =>
    params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function hasMessage(key) {
  return typeof messages.labels[key] === "string";
}

/* A label in the page language; its key when it has none. */
export function t(key, params) {
  return fill(hasMessage(key) ? messages.labels[key] : key, params);
}

/* "2026-11-24" as a Date at midnight UTC, or null. */
function utcDate(isoDay) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDay || "");
  return parts ? new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3])) : null;
}

/* Vietnamese dates the way a Vietnamese letter writes them: Intl (CLDR) gives "3 tháng 8, 2026";
 * a native reader writes "ngày 3 tháng 8 năm 2026" (long month) or "3/8/2026" (short or numeric
 * month), after the weekday and the time when asked for; null when no day and month are asked. */
function vietnameseDate(format, date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("vi", format).formatToParts(date).map((p) => [p.type, p.value]),
  );
  if (!parts.day || !parts.month) {
    return null;
  }
  const month = parts.month.replace(/\D+/g, "");
  const long = format.month === "long";
  const year = parts.year ? `${long ? " năm " : "/"}${parts.year}` : "";
  const day = long ? `ngày ${parts.day} tháng ${month}${year}` : `${parts.day}/${month}${year}`;
  const time = parts.hour ? `${parts.hour}:${parts.minute} ` : "";
  return (parts.weekday ? `${parts.weekday}, ` : "") + time + day;
}

/* The one date formatter of the site's scripts: `date` in the page language with Intl options. */
export function formatDate(date, format, language = lang) {
  const vietnamese = language === "vi" ? vietnameseDate(format, date) : null;
  return vietnamese || new Intl.DateTimeFormat(language, format).format(date);
}

/* A calendar date ("2026-11-24") in the page language, never shifted by the time zone. */
export function formatDay(isoDay, options) {
  const date = utcDate(isoDay);
  if (!date) {
    return isoDay || "";
  }
  const format = { year: "numeric", month: "long", day: "numeric", ...options, timeZone: "UTC" };
  return formatDate(date, format);
}

/* An instant (ISO 8601 with zone) in the page language and the reader's time zone. */
export function formatInstant(iso) {
  const date = new Date(iso);
  if (isNaN(date.getTime())) {
    return iso || "";
  }
  return formatDate(date, {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  });
}

/* A wait in seconds as "3 minutes", rounded up to the largest whole unit. */
function formatWait(seconds) {
  let value = Math.max(1, Math.ceil(Number(seconds) || 1));
  let unit = "second";
  if (value >= 3600) {
    value = Math.ceil(value / 3600);
    unit = "hour";
  } else if (value >= 60) {
    value = Math.ceil(value / 60);
    unit = "minute";
  }
  try {
    return new Intl.NumberFormat(lang, { style: "unit", unit, unitDisplay: "long" }).format(value);
  } catch {
    // A browser without unit formatting: plain English units beat no wait at all.
    return `${value} ${unit}${value > 1 ? "s" : ""}`;
  }
}

export function formatNumber(value) {
  const number = Number(value);
  return isNaN(number) ? String(value) : new Intl.NumberFormat(lang).format(number);
}

/* The sentence for an API error body ({error, opens_at, retry_after}) in the page language. */
export function errorText(data) {
  const code = data && data.error;
  let text = code ? messages.errors[code] : undefined;
  if (typeof text !== "string") {
    text = messages.errors.invalid_request || "";
  }
  return fill(text, {
    opens_at: data && data.opens_at ? formatInstant(data.opens_at) : "",
    wait: formatWait(data && data.retry_after),
  });
}

/* The sentence for a message left by the previous page: {error: code} or {label: key}. */
export function flashText(flash) {
  if (!flash) {
    return "";
  }
  if (flash.error) {
    return errorText({ error: flash.error });
  }
  return flash.label && hasMessage(flash.label) ? t(flash.label) : "";
}
