/* Printable reports of the student shown, in the page language: the schedule, and a progress
 * report (grades by category, missing and late assignments). The report replaces the section
 * on screen, the print stylesheet keeps only it, and window.print() lets the family's browser
 * print it or save it as PDF: no PDF is made on the server. */
import { errorBody } from "./portal-api.js";
import { call } from "./portal-app-call.js";
import {
  announce,
  app,
  currentStudent,
  studentPath,
  studentSummary,
  table,
  today,
} from "./portal-app-ui.js";
import { clear, focusHeading, h } from "./portal-dom.js";
import { errorText, formatDay, formatNumber, lang, t } from "./portal-messages.js";

/* "83 %" in the page language, or "—" with nothing to count. */
function percent(earned, possible) {
  if (!possible) {
    return "—";
  }
  const format = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 });
  return format.format(earned / possible);
}

/* A long date of the report: "November 24, 2026". */
function longDay(value) {
  return value ? formatDay(String(value).slice(0, 10)) : "—";
}

/* The report's heading: its title, the student, the date it was printed. */
function reportHead(title, student) {
  const who = student ? `${student.display_name} — ${studentSummary(student)}` : "";
  return [
    h("h2", { className: "portal-report-title", tabindex: "-1", text: title }),
    h("p", { className: "portal-report-student", text: who }),
    h("p", { className: "portal-report-date", text: t("report_printed", { date: longDay(today()) }) }),
  ];
}

function scheduleReport(report, data) {
  const terms = data.terms || [];
  const classes = data.classes || [];
  const years = data.school_year ? `${data.school_year - 1}–${data.school_year}` : "";
  report.appendChild(h("p", { text: t("schedule_caption", { years }) }));
  const headers = [t("period"), t("class"), t("teacher"), t("room")];
  for (const term of terms) {
    const rows = classes
      .filter((cls) => (cls.terms || []).includes(term.id))
      .map((cls) => [
        (cls.periods || []).join(", "),
        cls.title || cls.course_title,
        (cls.teachers || []).join(", "),
        cls.room || "",
      ]);
    const dates = term.start && term.end ? ` (${longDay(term.start)} – ${longDay(term.end)})` : "";
    report.appendChild(table(`${term.title}${dates}`, headers, rows));
  }
}

/* Points earned and possible per category of one class (scored assignments only). */
function byCategory(cls) {
  return (cls.categories || []).map((category) => {
    const scored = (cls.assignments || []).filter(
      (a) => a.category === category.name && typeof a.score === "number" && a.max_score,
    );
    const earned = scored.reduce((sum, a) => sum + a.score, 0);
    const possible = scored.reduce((sum, a) => sum + a.max_score, 0);
    return [
      category.name,
      category.weight === null || category.weight === undefined ? "—" : formatNumber(category.weight),
      possible ? `${formatNumber(earned)} / ${formatNumber(possible)}` : "—",
      percent(earned, possible),
    ];
  });
}

function progressReport(report, data) {
  for (const cls of data.classes || []) {
    report.appendChild(h("h3", { text: cls.title }));
    const categoryHeaders = [t("category"), t("weight"), t("points"), t("percent")];
    report.appendChild(
      table(t("categories_caption", { class_title: cls.title }), categoryHeaders, byCategory(cls)),
    );
    const overdue = (cls.assignments || []).filter(
      (a) => a.status === "missing" || a.status === "late",
    );
    const rows = overdue.map((a) => [
      a.title,
      longDay(a.due_date),
      t(a.status === "late" ? "grade_late" : "grade_missing"),
    ]);
    report.appendChild(
      rows.length
        ? table(t("missing_and_late", { class_title: cls.title }), [t("assignment"), t("due_date"), t("status")], rows)
        : h("p", { text: t("none_missing") }),
    );
  }
}

/* Draw one report in place of the section, then open the browser's print dialog. */
async function openReport(kind) {
  const student = currentStudent();
  const panel = app.panel;
  const path = studentPath(kind === "schedule" ? "/schedule" : "/grades");
  let data;
  try {
    data = await call("GET", path);
  } catch (error) {
    announce(errorText(errorBody(error)), true);
    return;
  }
  const title = t(kind === "schedule" ? "schedule_report" : "progress_report");
  const report = h("div", { className: "portal-report", lang }, reportHead(title, student));
  (kind === "schedule" ? scheduleReport : progressReport)(report, data);
  const back = h("button", {
    type: "button",
    className: "portal-button portal-report-back",
    text: t("back_to_portal"),
    onclick: () => app.show(app.view, true),
  });
  clear(panel).appendChild(h("p", null, back));
  panel.appendChild(report);
  focusHeading(report.querySelector("h2"));
  window.print();
}

/* The two print buttons (summary, schedule and grades sections). */
export function printButtons() {
  const button = (kind, label) =>
    h("button", {
      type: "button",
      className: "portal-button",
      "data-report": kind,
      text: t(label),
      onclick: () => openReport(kind),
    });
  return h("p", { className: "portal-print-buttons" }, [
    button("schedule", "print_schedule"),
    " ",
    button("progress", "print_progress"),
  ]);
}
