/* The portal page's data views, each drawn from one API answer: schedule, attendance, grades,
 * household and access log. */
import { printButtons } from "./portal-app-print.js";
import { app, attendanceLabel, badge, day, moment, nothing, table } from "./portal-app-ui.js";
import { h } from "./portal-dom.js";
import { formatDay, formatNumber, hasMessage, lang, t } from "./portal-messages.js";

/* Periods in order: numbered ones by number, after them the named ones ("HR") by name. */
function periodOrder(a, b) {
  const na = /^\d+$/.test(a) ? Number(a) : -1;
  const nb = /^\d+$/.test(b) ? Number(b) : -1;
  return na !== nb ? na - nb : String(a).localeCompare(String(b), lang);
}

function classCell(cls) {
  return h("div", { className: "portal-class" }, [
    h("strong", { text: cls.title || cls.course_title }),
    (cls.teachers || []).length ? h("span", { text: cls.teachers.join(", ") }) : null,
    cls.room ? h("span", { text: cls.room }) : null,
    // teacher_email: the SIS's address of the class's teacher; absent or null, no link.
    cls.teacher_email
      ? h("a", { href: `mailto:${cls.teacher_email}`, text: t("email_teacher") })
      : null,
  ]);
}

/* "Fall (Aug – Dec)": a term's title with its months. */
function termHeader(term) {
  if (!(term.start && term.end)) {
    return term.title;
  }
  const month = { month: "short", year: undefined };
  return `${term.title} (${formatDay(term.start, month)} – ${formatDay(term.end, month)})`;
}

/* One row per period, one column per term, each cell the classes met then. */
export function renderSchedule(body, data) {
  const terms = data.terms || [];
  const classes = data.classes || [];
  if (!classes.length || !terms.length) {
    body.appendChild(nothing());
    return;
  }
  const periods = [...new Set(classes.flatMap((cls) => cls.periods || []))].sort(periodOrder);
  const meets = (cls, period, term) =>
    (cls.periods || []).includes(period) && (cls.terms || []).includes(term.id);
  const rows = periods.map((period) => [
    period,
    ...terms.map((term) => classes.filter((cls) => meets(cls, period, term)).map(classCell)),
  ]);
  const years = data.school_year ? `${data.school_year - 1}–${data.school_year}` : "";
  const headers = [t("period"), ...terms.map(termHeader)];
  body.appendChild(table(t("schedule_caption", { years }), headers, rows));
  body.appendChild(printButtons());
}

export function renderAttendance(body, data) {
  const summary = data.summary || {};
  const counted = Object.keys(summary).filter((status) => summary[status] > 0);
  if (counted.length) {
    body.appendChild(h("h3", { text: t("attendance_summary") }));
    body.appendChild(
      h(
        "ul",
        { className: "portal-summary" },
        counted.map((status) =>
          h("li", null, [attendanceLabel(status), " ", formatNumber(summary[status])]),
        ),
      ),
    );
  }
  const entries = data.entries || [];
  if (!entries.length) {
    body.appendChild(nothing());
    return;
  }
  const rows = entries.map((entry) => [
    day(entry.date),
    entry.class_title || "",
    attendanceLabel(entry.status),
  ]);
  body.appendChild(table(t("tab_attendance"), [t("date"), t("class"), t("status")], rows));
}

const GRADE_STATUS = {
  late: "grade_late",
  missing: "grade_missing",
  pending: "grade_pending",
  scored: "grade_scored",
};

function score(assignment) {
  if (assignment.score === null || assignment.score === undefined || assignment.score === "") {
    return "—";
  }
  return t("score_value", {
    score: formatNumber(assignment.score),
    max: formatNumber(assignment.max_score),
  });
}

/* Late and missing stand out as badges; the others are plain words. */
function gradeStatus(status) {
  const key = GRADE_STATUS[status];
  if (!key) {
    return "";
  }
  return status === "late" || status === "missing" ? badge(status, t(key)) : t(key);
}

function assignmentRow(a) {
  return [
    a.title,
    a.category || "",
    a.assign_date ? day(a.assign_date.slice(0, 10), false) : "",
    a.due_date ? day(a.due_date.slice(0, 10), false) : "",
    score(a),
    gradeStatus(a.status),
    a.comment || "",
  ];
}

function renderClassGrades(body, cls) {
  body.appendChild(h("h3", { text: cls.title }));
  const categories = cls.categories || [];
  if (categories.length) {
    const rows = categories.map((c) => [
      c.name,
      c.weight === null || c.weight === undefined ? "—" : formatNumber(c.weight),
    ]);
    const caption = t("categories_caption", { class_title: cls.title });
    body.appendChild(table(caption, [t("category"), t("weight")], rows));
  }
  const assignments = cls.assignments || [];
  if (!assignments.length) {
    body.appendChild(nothing());
    return;
  }
  const headers = [
    t("assignment"),
    t("category"),
    t("assigned_date"),
    t("due_date"),
    t("score"),
    t("status"),
    t("comment"),
  ];
  const caption = t("assignments_caption", { class_title: cls.title });
  body.appendChild(table(caption, headers, assignments.map(assignmentRow)));
}

export function renderGrades(body, data) {
  const classes = data.classes || [];
  if (!classes.length) {
    body.appendChild(nothing());
    return;
  }
  body.appendChild(printButtons());
  for (const cls of classes) {
    renderClassGrades(body, cls);
  }
}

function roleName(role) {
  const key = `role_${role}`;
  return hasMessage(key) ? t(key) : role;
}

/* "Change contact info": an email to each school of the account's students (school_email of
 * GET /students; none without it), its subject and text ready in the page language. */
function contactLinks() {
  const schools = new Map();
  for (const student of app.students) {
    if (student.school_email) {
      const names = schools.get(student.school_email) || [];
      schools.set(student.school_email, [...names, student]);
    }
  }
  const who = (app.me && (app.me.display_name || app.me.username)) || "";
  return [...schools.entries()].map(([address, students]) => {
    const names = students.map((s) => s.display_name).join(", ");
    const ids = students.map((s) => s.student_id).join(", ");
    const subject = t("contact_subject", { names });
    const text = t("contact_body", { names, ids, parent: who });
    const query = `subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(text)}`;
    const label = schools.size > 1 ? `${t("change_contact")} — ${students[0].school_name || students[0].school}` : t("change_contact");
    return h("p", { className: "portal-contact" }, h("a", {
      className: "portal-button",
      href: `mailto:${address}?${query}`,
      text: label,
    }));
  });
}

export function renderHousehold(body, data) {
  const households = data.households || [];
  body.appendChild(h("div", null, contactLinks()));
  if (!households.length) {
    body.appendChild(nothing());
    return;
  }
  households.forEach((home, index) => {
    if (households.length > 1) {
      body.appendChild(h("h3", { text: t("household_n", { n: index + 1 }) }));
    }
    body.appendChild(
      h("dl", { className: "portal-facts" }, [
        h("dt", { text: t("phone") }),
        h("dd", { text: home.phone || "—" }),
        h("dt", { text: t("primary_address") }),
        h("dd", { text: home.primary_address || "—" }),
        h("dt", { text: t("mailing_address") }),
        h("dd", { text: home.mailing_address || "—" }),
      ]),
    );
    const members = (home.members || []).map((m) => [m.name, roleName(m.role)]);
    body.appendChild(table(t("members"), [t("name"), t("role")], members));
  });
}

export function renderAccessLog(body, data) {
  const entries = data.entries || [];
  if (!entries.length) {
    body.appendChild(nothing());
    return;
  }
  const rows = entries.map((entry) => [
    moment(entry.at),
    entry.ip || "",
    entry.success ? badge("ok", t("login_success")) : badge("failed", t("login_failure")),
  ]);
  const headers = [t("access_time"), t("ip_address"), t("result")];
  body.appendChild(table(t("tab_access_log"), headers, rows));
}
