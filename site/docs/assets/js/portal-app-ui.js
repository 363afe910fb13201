/* The portal page's state, and the pieces every view draws with: tables (cards on a phone),
 * status badges, short dates, empty states, and load(), the one way a view gets its data or
 * says why it could not. */
import { errorBody } from "./portal-api.js";
import { call } from "./portal-app-call.js";
import { clear, h } from "./portal-dom.js";
import { errorText, formatDay, lang, t } from "./portal-messages.js";

/* Who is logged in, their students, and what is on screen. */
export const app = {
  me: null,
  students: [],
  studentId: null,
  view: null,
  month: null, // the calendar's month (a Date at midnight UTC on its 1st)
  live: null, // the aria-live region under the section buttons
  panel: null,
  show: () => {}, // show(view, focus): set by the shell, so views can link to each other
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

/* A table with a caption, column headers and, in each row, the first cell as its header. Each
 * cell carries its column's name (data-label): on a phone the stylesheet shows every row as a
 * card of "name: value" lines, so no value sits off-screen; on a wide screen it is a table. */
export function table(caption, headers, rows) {
  const head = h("tr", null, headers.map((text) => h("th", { scope: "col", text })));
  // An empty cell holds no node, so a card leaves its line out (td:empty).
  const cell = (content, index) =>
    index === 0
      ? h("th", { scope: "row" }, content)
      : h("td", { "data-label": headers[index] }, content === "" ? null : content);
  const body = rows.map((cells) => h("tr", null, cells.map(cell)));
  // A region that may scroll sideways if a word is too long: reachable and named for keyboards.
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

/* A date in tables and cards, short and on one line: "Mon, Aug 24", "lun. 24 août",
 * "T.2, 24 thg 8"; withWeekday false drops the day's name. */
export function day(isoDay, withWeekday = true) {
  const options = { day: "numeric", month: "short", year: undefined };
  if (withWeekday) {
    options.weekday = "short";
  }
  return h("span", { className: "portal-date", text: formatDay(isoDay, options) });
}

/* An instant, short, in the page language and the reader's time zone: "Aug 24, 3:05 PM". */
export function moment(iso) {
  const date = new Date(iso);
  if (isNaN(date.getTime())) {
    return iso || "";
  }
  const format = { day: "numeric", month: "short", hour: "numeric", minute: "2-digit" };
  return h("span", {
    className: "portal-date",
    text: new Intl.DateTimeFormat(lang, format).format(date),
  });
}

/* The calendar date today where the reader is: "2026-11-24". */
export function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/* A button that opens another section of the portal (the summary's links). */
export function sectionLink(view, children, label) {
  return h(
    "button",
    {
      type: "button",
      className: "portal-section-link",
      "aria-label": label || null,
      onclick: () => app.show(view, true),
    },
    children,
  );
}

/* "McGarrah Elementary School, grade 05": a student's school and grade. */
export function studentSummary(student) {
  return t("student_summary", { school: student.school || "", grade: student.grade || "" });
}

/* The student shown now (an entry of GET /students), or null. */
export function currentStudent() {
  return app.students.find((s) => s.student_id === app.studentId) || null;
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
