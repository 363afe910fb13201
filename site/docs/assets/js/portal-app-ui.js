/* The portal page's state, and the pieces every view draws with: tables, status badges, dates,
 * empty states, and load(), the one way a view gets its data or says why it could not. */
import { errorBody } from "./portal-api.js";
import { call } from "./portal-app-call.js";
import { clear, h } from "./portal-dom.js";
import { errorText, formatDay, t } from "./portal-messages.js";

/* Who is logged in, their students, and what is on screen. */
export const app = {
  me: null,
  students: [],
  studentId: null,
  view: null,
  month: null, // the calendar's month (a Date at midnight UTC on its 1st)
  live: null, // the aria-live region under the section buttons
  panel: null,
};

const ATTENDANCE = ["present", "excused", "unexcused", "tardy", "exempt", "unknown"];

/* An attendance status the page has words for, else "unknown". */
export function attendanceStatus(status) {
  return ATTENDANCE.includes(status) ? status : "unknown";
}

export function announce(text, isError) {
  if (!app.live) {
    return;
  }
  app.live.textContent = "";
  app.live.classList.toggle("portal-alert--error", !!isError);
  app.live.appendChild(h("p", { text }));
}

export function badge(kind, text) {
  return h("span", { className: `portal-status portal-status--${kind}`, text });
}

export function attendanceLabel(status) {
  const known = attendanceStatus(status);
  return badge(known, t(`status_${known}`));
}

/* A table with a caption, column headers and, in each row, the first cell as its header. */
export function table(caption, headers, rows) {
  const head = h("tr", null, headers.map((text) => h("th", { scope: "col", text })));
  const cell = (content, index) =>
    index === 0 ? h("th", { scope: "row" }, content) : h("td", null, content);
  const body = rows.map((cells) => h("tr", null, cells.map(cell)));
  // A region that may scroll sideways on a phone: reachable and named for keyboard users.
  return h(
    "div",
    { className: "portal-table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    h("table", { className: "portal-table" }, [
      h("caption", { text: caption }),
      h("thead", null, head),
      h("tbody", null, body),
    ]),
  );
}

export function nothing(text) {
  return h("p", { className: "portal-empty", text: text || t("nothing_to_show") });
}

/* A date in tables: "Tue, Nov 24, 2026" in the page language. */
export function day(isoDay) {
  return formatDay(isoDay, { weekday: "short", month: "short", year: "numeric" });
}

export function studentPath(suffix) {
  return `/students/${encodeURIComponent(app.studentId)}${suffix}`;
}

/* Fill body with the data at path, drawn by render(body, data); or with why it could not be
 * had, also announced. Nothing is drawn if the reader has moved to another view meanwhile. */
export async function load(body, view, path, render) {
  let data = null;
  let failure = null;
  try {
    data = await call("GET", path);
  } catch (error) {
    failure = error;
  }
  if (app.view !== view) {
    return;
  }
  clear(body);
  if (failure) {
    const text = errorText(errorBody(failure));
    body.appendChild(h("p", { className: "portal-error", text }));
    announce(text, true);
    return;
  }
  render(body, data);
}
