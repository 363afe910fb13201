/* The portal page once logged in: greeting and log off, the student picker, one button per
 * section, and the section shown under them. A reload comes back to the same section. */
import { calendarView } from "./portal-app-calendar.js";
import { logOff } from "./portal-app-call.js";
import { renderNotices } from "./portal-app-notices.js";
import { changePasswordView } from "./portal-app-password.js";
import { app, load, nothing, studentPath } from "./portal-app-ui.js";
import {
  renderAccessLog,
  renderAttendance,
  renderGrades,
  renderHousehold,
  renderSchedule,
} from "./portal-app-views.js";
import { clear, focusHeading, h, uid } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { t } from "./portal-messages.js";
import { readStored, writeStored } from "./portal-session.js";

const VIEW_KEY = "portal.view";
const STUDENT_VIEWS = ["schedule", "attendance", "grades", "calendar"];

/* Each section: view(body, name) draws it into body. */
const VIEWS = {
  schedule: (body, view) => load(body, view, studentPath("/schedule"), renderSchedule),
  attendance: (body, view) => load(body, view, studentPath("/attendance"), renderAttendance),
  grades: (body, view) => load(body, view, studentPath("/grades"), renderGrades),
  calendar: calendarView,
  notices: (body, view) => load(body, view, "/notices", renderNotices),
  household: (body, view) => load(body, view, "/household", renderHousehold),
  access_log: (body, view) => load(body, view, "/me/access-log", renderAccessLog),
  change_password: changePasswordView,
};

let tabs = []; // the section buttons

/* The view and student shown last in this tab: {view, student}. */
export function recalled() {
  return readStored(VIEW_KEY) || {};
}

function remember() {
  writeStored(VIEW_KEY, { view: app.view, student: app.studentId });
}

/* The sections this account has: a student's only with students, household for families. */
function viewList() {
  const views = app.students.length ? [...STUDENT_VIEWS] : [];
  views.push("notices");
  if (app.me && (app.me.role === "parent" || app.me.role === "student")) {
    views.push("household");
  }
  views.push("access_log", "change_password");
  return views;
}

function studentSummary(student) {
  return t("student_summary", { school: student.school || "", grade: student.grade || "" });
}

/* One student: named. Several: a select, whose change redraws a student's section. */
function studentPicker() {
  if (app.students.length === 0) {
    return nothing(t("no_students"));
  }
  if (app.students.length === 1) {
    const only = app.students[0];
    return h("p", { className: "portal-student" }, [
      h("strong", { text: only.display_name }),
      " — ",
      studentSummary(only),
    ]);
  }
  const picker = field({
    name: "student",
    label: t("select_student"),
    placeholder: t("select_student"),
    choices: app.students.map((s) => ({
      value: s.student_id,
      label: `${s.display_name} — ${studentSummary(s)}`,
    })),
    value: app.studentId,
  });
  picker.input.options[0].disabled = true;
  picker.input.addEventListener("change", () => {
    app.studentId = picker.input.value;
    remember();
    if (STUDENT_VIEWS.includes(app.view)) {
      show(app.view, false);
    }
  });
  return h("div", { className: "portal-picker" }, picker.wrap);
}

function sectionButtons(views) {
  tabs = views.map((view) =>
    h("button", {
      type: "button",
      className: "portal-tab",
      "data-view": view,
      text: t(`tab_${view}`),
      onclick: () => show(view, true),
    }),
  );
  const list = h("ul", null, tabs.map((tab) => h("li", null, tab)));
  return h("nav", { className: "portal-tabs", "aria-label": t("portal_sections") }, list);
}

export function renderShell(root) {
  clear(root).classList.add("portal-ready");
  const views = viewList();
  const nav = sectionButtons(views);
  app.panel = h("div", { className: "portal-view" });
  app.live = h("div", {
    className: "portal-alert",
    id: uid("portal-alert"),
    "aria-live": "polite",
    "aria-atomic": "true",
  });
  const name = app.me.display_name || app.me.username;
  root.appendChild(
    h("div", { className: "portal-bar" }, [
      h("p", { className: "portal-hello", text: t("hello", { name }) }),
      h("button", {
        type: "button",
        className: "portal-button",
        text: t("log_off"),
        onclick: logOff,
      }),
    ]),
  );
  root.appendChild(studentPicker());
  root.appendChild(nav);
  root.appendChild(app.live);
  root.appendChild(app.panel);
  const wanted = recalled().view;
  show(views.includes(wanted) ? wanted : views[0], false);
}

/* Show a section: its button marked current, its heading (focused when asked), its content. */
function show(view, focus) {
  app.view = view;
  remember();
  for (const tab of tabs) {
    if (tab.getAttribute("data-view") === view) {
      tab.setAttribute("aria-current", "true");
    } else {
      tab.removeAttribute("aria-current");
    }
  }
  const heading = h("h2", { id: uid("view-heading"), tabindex: "-1", text: t(`tab_${view}`) });
  const body = h("div", { className: "portal-view-body" }, h("p", { text: t("working") }));
  clear(app.panel);
  app.panel.appendChild(heading);
  app.panel.appendChild(body);
  app.live.textContent = "";
  if (focus) {
    focusHeading(heading);
  }
  VIEWS[view](body, view);
}
