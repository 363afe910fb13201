/* The portal page (portal/index.md) after login, for parents and students: student picker,
 * schedule, attendance, grades, calendar, notices, household, access log, password, log off.
 * Mounts into <div class="portal-form" data-form="portal">. */
import { errorBody } from "./portal-api.js";
import { call, whenPasswordChangeRequired } from "./portal-app-call.js";
import { showRequiredPasswordChange } from "./portal-app-password.js";
import { recalled, renderShell } from "./portal-app-shell.js";
import { app } from "./portal-app-ui.js";
import { clear, h } from "./portal-dom.js";
import { errorText, flashText, links, t } from "./portal-messages.js";
import { session, takeFlash } from "./portal-session.js";

const root = document.querySelector('div.portal-form[data-form="portal"]');

/* Nobody logged in: why, if the last page said (logged off, session ended); a link to log in. */
function showLoggedOut() {
  clear(root).classList.add("portal-ready");
  const note = flashText(takeFlash());
  const said = note ? h("p", { text: note }) : null;
  root.appendChild(h("div", { className: "portal-alert", "aria-live": "polite" }, said));
  root.appendChild(h("p", { text: t("not_logged_in") }));
  const login = h("a", {
    href: links.login,
    className: "portal-button portal-button--primary",
    text: t("log_in"),
  });
  root.appendChild(h("p", null, login));
}

/* The account's students; none when the list cannot be had (the page then says so). */
async function students() {
  try {
    return (await call("GET", "/students")).students || [];
  } catch {
    return [];
  }
}

/* Who is this, which students, then the portal itself on the student seen last. */
async function start() {
  clear(root).classList.add("portal-ready");
  root.appendChild(h("p", { text: t("working") }));
  try {
    app.me = await call("GET", "/me");
  } catch (error) {
    const text = errorText(errorBody(error));
    clear(root).appendChild(h("p", { className: "portal-error", "aria-live": "polite", text }));
    return;
  }
  app.students = await students();
  const ids = app.students.map((s) => s.student_id);
  const wanted = recalled().student;
  app.studentId = ids.includes(wanted) ? wanted : ids[0] || null;
  renderShell(root);
}

if (root) {
  const changePassword = () => showRequiredPasswordChange(root, start);
  whenPasswordChangeRequired(changePassword);
  const current = session();
  if (!current) {
    showLoggedOut();
  } else if (current.must_change_password) {
    changePassword();
  } else {
    start();
  }
}
