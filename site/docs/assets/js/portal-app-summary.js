/* The portal's first section for a student: what needs the family's attention, computed here
 * from three answers (grades, attendance, notices): missing and late assignments, absences of
 * the last 14 days, the next due dates and unread notices, each opening its own section. */
import { errorBody } from "./portal-api.js";
import { call } from "./portal-app-call.js";
import { printButtons } from "./portal-app-print.js";
import { announce, app, day, sectionLink, studentPath, today } from "./portal-app-ui.js";
import { clear, h } from "./portal-dom.js";
import { errorText, formatNumber, t } from "./portal-messages.js";

const ABSENT = ["excused", "unexcused"];
const RECENT_DAYS = 14;
const LISTED = 5; // items named under a count; the section shows the rest

/* "2026-11-24" (or a date-time) → its calendar day "2026-11-24". */
function dayOf(value) {
  return String(value || "").slice(0, 10);
}

/* The day `days` before isoDay, as "2026-11-10". */
function daysBefore(isoDay, days) {
  const [y, m, d] = isoDay.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}

/* Every assignment of every class, each with its class title. */
function assignments(grades) {
  return (grades.classes || []).flatMap((cls) =>
    (cls.assignments || []).map((a) => ({ ...a, classTitle: cls.title })),
  );
}

/* What the summary counts, from the three answers (any of them may be missing: null). */
export function digest(grades, attendance, notices, now) {
  const all = grades ? assignments(grades) : [];
  const since = daysBefore(now, RECENT_DAYS - 1);
  const entries = attendance ? attendance.entries || [] : [];
  const upcoming = all
    .filter((a) => a.status === "pending" && a.due_date && dayOf(a.due_date) >= now)
    .sort((a, b) => dayOf(a.due_date).localeCompare(dayOf(b.due_date)));
  const board = notices ? [...(notices.district || []), ...(notices.school || [])] : [];
  return {
    missing: all.filter((a) => a.status === "missing"),
    late: all.filter((a) => a.status === "late"),
    absences: entries.filter((e) => ABSENT.includes(e.status) && e.date >= since),
    upcoming,
    unread: board.filter((n) => n.new),
  };
}

/* One card: its title (with the count) opens the section; under it, up to LISTED items. */
function card(view, title, items, describe, known) {
  const count = known ? formatNumber(items.length) : "—";
  const kind = known && items.length ? "portal-card--attention" : "portal-card--calm";
  const list = items.slice(0, LISTED).map((item) => h("li", null, describe(item)));
  return h("section", { className: `portal-card ${kind}`, "data-summary": view }, [
    h(
      "h3",
      null,
      sectionLink(view, [
        h("span", { className: "portal-card-title", text: title }),
        h("span", { className: "portal-card-count", text: count }),
      ]),
    ),
    list.length ? h("ul", null, list) : null,
  ]);
}

const assignmentLine = (a) => [
  a.due_date ? day(dayOf(a.due_date), false) : null,
  a.due_date ? " " : null,
  h("strong", { text: a.title }),
  ` — ${a.classTitle}`,
];

function draw(body, results) {
  const [grades, attendance, notices] = results;
  const found = digest(grades, attendance, notices, today());
  const absence = (e) => [day(e.date), " ", t(`status_${e.status}`), ` — ${e.class_title}`];
  const notice = (n) => [n.date ? day(n.date, false) : null, " ", n.title];
  body.appendChild(
    h("div", { className: "portal-cards" }, [
      card("grades", t("summary_missing"), found.missing, assignmentLine, !!grades),
      card("grades", t("summary_late"), found.late, assignmentLine, !!grades),
      card("attendance", t("summary_absences"), found.absences, absence, !!attendance),
      card("calendar", t("summary_upcoming"), found.upcoming, assignmentLine, !!grades),
      card("notices", t("summary_unread"), found.unread, notice, !!notices),
    ]),
  );
  body.appendChild(printButtons());
}

/* The summary of the student shown: the three answers at once; one that fails leaves its
 * cards without a count ("—") and says why, the others are still shown. */
export async function summaryView(body, view) {
  const paths = [studentPath("/grades"), studentPath("/attendance"), "/notices"];
  const student = app.studentId;
  const settled = await Promise.allSettled(paths.map((path) => call("GET", path)));
  if (app.view !== view || app.studentId !== student) {
    return;
  }
  clear(body);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) {
    const text = errorText(errorBody(failed.reason));
    body.appendChild(h("p", { className: "portal-error", text }));
    announce(text, true);
  }
  draw(
    body,
    settled.map((r) => (r.status === "fulfilled" ? r.value : null)),
  );
}
