/* The two login steps every login form shares (the students' and parents' page, the staff
 * page): username → Go → password (eye button) → Go. What follows the API's answer is the
 * caller's: onAnswer(body) runs with POST /login's body. */
import { api } from "./portal-api.js";
import { h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { hiddenUsername } from "./portal-form-parts.js";
import { t } from "./portal-messages.js";

/* Draw the steps on flow (headings of `level`); returns showUsername(focus), the first step. */
export function loginSteps(flow, { usernameHint = null, level = "h3", onAnswer }) {
  let username = "";

  function showUsername(focus) {
    const user = field({
      name: "username",
      label: t("username"),
      hint: usernameHint,
      value: username,
      autocomplete: "username",
      autocapitalize: "none",
      spellcheck: "false",
      maxlength: 64,
    });
    const identify = async () => {
      username = user.input.value.trim();
      await api("POST", "/login/identify", { username });
      showPassword(true);
    };
    const form = flow.form([user.wrap], t("go"), identify, { errorControl: user.input });
    flow.step({ title: t("step_username"), content: form, focus, level });
  }

  function showPassword(focus) {
    const secret = field({
      name: "password",
      label: t("password"),
      type: "password",
      autocomplete: "current-password",
      maxlength: 256,
    });
    const back = h("button", {
      type: "button",
      className: "portal-button",
      text: t("back"),
      onclick: () => showUsername(true),
    });
    const logIn = async () => {
      await onAnswer(await api("POST", "/login", { username, password: secret.input.value }));
    };
    const children = [
      h("p", { className: "portal-login-as", text: t("login_as", { username }) }),
      hiddenUsername(username),
      secret.wrap,
    ];
    const form = flow.form(children, t("go"), logIn, {
      extraButton: back,
      errorControl: secret.input,
      onError: () => {
        secret.input.value = ""; // a refused password is typed again from scratch
      },
    });
    flow.step({ title: t("login_step_password"), content: form, focus, level });
  }

  return showUsername;
}
