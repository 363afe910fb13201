/* The staff page (staff/index.md): the staff login (with the administrators' second step),
 * then a home that shows only what the staff member's role can do.
 * Mounts into <div class="portal-form" data-form="staff">. */
import { errorBody } from "./portal-api.js";
import { call, logOff, whenPasswordChangeRequired } from "./portal-app-call.js";
import { showRequiredPasswordChange } from "./portal-app-password.js";
import { clear, h } from "./portal-dom.js";
import { errorText, t } from "./portal-messages.js";
import { session } from "./portal-session.js";
import { renderStaffHome } from "./portal-staff-home.js";
import { showStaffLogin } from "./portal-staff-login.js";

const root = document.querySelector('div.portal-form[data-form="staff"]');

/* Who is logged in, then their home; a family's session is not a staff session. */
async function start() {
  clear(root).classList.add("portal-ready");
  root.appendChild(h("p", { text: t("working") }));
  let me;
  try {
    me = await call("GET", "/me");
  } catch (error) {
    const text = errorText(errorBody(error));
    clear(root).appendChild(h("p", { className: "portal-error", "aria-live": "polite", text }));
    return;
  }
  if (me.role !== "staff") {
    // A family's session in this tab: say so, and offer to log off to log in as staff.
    const text = errorText({ error: "forbidden" });
    const off = h("button", { type: "button", className: "portal-button", text: t("log_off"), onclick: logOff });
    clear(root).appendChild(h("p", { className: "portal-error", "aria-live": "polite", text }));
    root.appendChild(h("p", null, off));
    return;
  }
  renderStaffHome(root, me);
}

if (root) {
  const changePassword = () => showRequiredPasswordChange(root, start);
  whenPasswordChangeRequired(changePassword);
  const current = session();
  if (!current) {
    showStaffLogin(root, start);
  } else if (current.must_change_password) {
    changePassword();
  } else {
    start();
  }
}
