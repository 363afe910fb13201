/* The portal page once logged in: a header (who is logged in, the student switcher, the
 * language links and Log Off), a strip of section buttons, and the section shown under them.
 * A reload, or another language, comes back to the same section and student. */
import { api } from "./portal-api.js";
import { calendarView } from "./portal-app-calendar.js";
import { logOff } from "./portal-app-call.js";
import { renderNotices } from "./portal-app-notices.js";
import { changePasswordView } from "./portal-app-password.js";
import { summaryView } from "./portal-app-summary.js";
import { app, load, nothing, studentPath, studentSummary } from "./portal-app-ui.js";
import {
  renderAccessLog,
  renderAttendance,
  renderGrades,
  renderHousehold,
  renderSchedule,
} from "./portal-app-views.js";
import { clear, focusHeading, h, liveAlert, uid } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { t } from "./portal-messages.js";
import { readStored, writeStored } from "./portal-session.js";

const VIEW_KEY = "portal.view";
const STUDENT_VIEWS = ["summary", "schedule", "attendance", "grades", "calendar"];

/* Each section: view(body, name) draws it into body. */
const VIEWS = {
  summary: summaryView,
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

/* The page's language links, drawn by site/overrides/portal.html; kept here, as the header
 * that holds them is drawn again after a required password change. */
const languageNav = document.querySelector(".portal-languages");

/* The language links in the header: going to another language also saves it as the account's
 * language (PUT /me/language), so letters and emails follow. An API without that endpoint, or
 * any failure, still changes the page's language. */
function languageLinks() {
  if (!languageNav || languageNav.dataset.ready) {
    return languageNav;
  }
  languageNav.dataset.ready = "true";
  const label = languageNav.querySelector(".portal-languages__label");
  if (label) {
    label.textContent = t("language");
  }
  for (const link of languageNav.querySelectorAll("a[data-lang]")) {
    if (link.getAttribute("aria-current") === "page") {
      continue;
    }
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      try {
        await api("PUT", "/me/language", { language: link.dataset.lang }, { auth: true });
      } catch {
        // Not saved (an older API answers 404 or 405): the page still changes language.
      }
      window.location.assign(link.href);
    });
  }
  return languageNav;
}

function header() {
  const name = app.me.display_name || app.me.username;
  return h("header", { className: "portal-appbar" }, [
    h("div", { className: "portal-bar" }, [
      h("p", { className: "portal-hello", text: t("hello", { name }) }),
      h("button", {
        type: "button",
        className: "portal-button",
        text: t("log_off"),
        onclick: logOff,
      }),
    ]),
    studentPicker(),
    languageLinks(),
  ]);
}

/* One row of section buttons that scrolls sideways on a phone, the current one in view. */
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
  // Logged in: the page's introduction and login hint give the first screen to the portal.
  for (const intro of document.querySelectorAll(".portal-intro")) {
    intro.hidden = true;
  }
  const views = viewList();
  app.show = show;
  app.panel = h("div", { className: "portal-view" });
  app.live = liveAlert("portal-alert");
  root.appendChild(header());
  root.appendChild(sectionButtons(views));
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
      tab.scrollIntoView?.({ block: "nearest", inline: "nearest" });
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
