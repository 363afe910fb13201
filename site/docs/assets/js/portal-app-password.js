/* Changing the password on the portal page: as one of its views, and as the only thing shown
 * after a temporary password, until it is changed. */
import { call } from "./portal-app-call.js";
import { h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { Flow } from "./portal-flow.js";
import { nextStep } from "./portal-form-parts.js";
import { errorText, links, t } from "./portal-messages.js";
import { saveSession, session } from "./portal-session.js";

/* Current password, then the new one twice; onDone() once the API has taken it. */
function passwordForm(flow, onDone) {
  const current = field({
    name: "current_password",
    label: t("current_password"),
    type: "password",
    autocomplete: "current-password",
  });
  const next = field({
    name: "new_password",
    label: t("new_password"),
    type: "password",
    autocomplete: "new-password",
    hint: t("password_rules"),
  });
  const again = field({
    name: "new_password_confirm",
    label: t("verify_new_password"),
    type: "password",
    autocomplete: "new-password",
  });
  const save = async (form) => {
    await call("POST", "/me/password", {
      current_password: current.input.value,
      new_password: next.input.value,
      new_password_confirm: again.input.value,
    });
    form.reset();
    onDone();
  };
  return flow.form([current.wrap, next.wrap, again.wrap], t("save"), save, {
    errorControl: (code) => (code === "authentication_failed" ? current.input : next.input),
  });
}

/* The whole portal area becomes the change form; onDone() draws the portal once it is done. */
export function showRequiredPasswordChange(root, onDone) {
  const flow = new Flow(root, "password");
  const form = passwordForm(flow, () => {
    const current = session();
    if (current) {
      saveSession({ ...current, must_change_password: false });
    }
    onDone();
  });
  flow.step({
    level: "h2",
    title: t("tab_change_password"),
    focus: true,
    content: [
      h("p", {
        className: "portal-callout",
        text: errorText({ error: "password_change_required" }),
      }),
      form,
    ],
  });
}

/* The "Change password" view. */
export function changePasswordView(body) {
  const flow = new Flow(body, "change-password");
  const form = passwordForm(flow, () =>
    flow.message(t("password_changed"), null, false, nextStep(links.portal, t("open_portal"))),
  );
  flow.stepBox.appendChild(form);
}
