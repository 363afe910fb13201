/* Login (students/login): username → Go → password (eye button) → Go → the portal page. */
import { api } from "./portal-api.js";
import { h, link } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { Flow, mountEach } from "./portal-flow.js";
import { hiddenUsername, nextStep } from "./portal-form-parts.js";
import { flashText, links, t } from "./portal-messages.js";
import { saveSession, session, takeFlash } from "./portal-session.js";

function mountLogin(root) {
  // The parents' login page (parents/login) speaks to parents: their hint, their help link.
  const parent = root.dataset.audience === "parent";
  const forgot = parent ? links.parent_forgot_password : links.forgot_password;
  const flow = new Flow(root, "login", {
    // The district's "Authentication Failed" says nothing more: the way out follows it.
    extras: { authentication_failed: () => h("p", null, link(forgot, t("forgot_password"))) },
  });
  let username = "";

  function showUsername(focus) {
    const user = field({
      name: "username",
      label: t("username"),
      hint: t(parent ? "username_hint_parent" : "username_hint"),
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
    flow.step({ title: t("step_username"), content: form, focus });
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
      const opened = await api("POST", "/login", { username, password: secret.input.value });
      saveSession({
        token: opened.session_token,
        role: opened.role,
        must_change_password: !!opened.must_change_password,
      });
      flow.message(t("login_done"), null, false);
      window.location.assign(links.portal);
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
    flow.step({ title: t("login_step_password"), content: form, focus });
  }

  showUsername(false);
  const note = flashText(takeFlash());
  if (session()) {
    flow.message(t("login_done"), null, false, nextStep(links.portal, t("open_portal")));
  } else if (note) {
    // After a short wait, so screen readers announce it once the page has settled.
    window.setTimeout(() => flow.message(note, null, false), 50);
  }
}

mountEach("login", mountLogin);
