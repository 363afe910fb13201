/* Parent activation (parents/activate): the key from the letter → username and password →
 * done, with a link to the parents' login page. */
import { api } from "./portal-api.js";
import { h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { Flow, mountEach } from "./portal-flow.js";
import { nextStep, passwordPair, usernameLine } from "./portal-form-parts.js";
import { links, t } from "./portal-messages.js";

function mountActivate(root) {
  const flow = new Flow(root, "activate", {
    startAgain: { code: "activation_key_invalid", restart: () => showKey(true) },
  });
  let key = "";

  /* Step 1: the activation key, checked before anything else is asked. */
  function showKey(focus) {
    const keyField = field({
      name: "activation_key",
      label: t("activation_key"),
      hint: t("activation_key_hint"),
      value: key,
      autocapitalize: "characters",
      spellcheck: "false",
      maxlength: 64,
    });
    const check = async () => {
      key = keyField.input.value.trim();
      await api("POST", "/activation/check", { activation_key: key });
      showAccount(true);
    };
    const form = flow.form([keyField.wrap], t("next"), check, { errorControl: keyField.input });
    flow.step({ title: t("activate_step_key"), progress: [1, 2], content: form, focus });
  }

  /* Step 2: the username and password of the new account. */
  function showAccount(focus) {
    const user = field({
      name: "username",
      label: t("username"),
      hint: t("username_rules"),
      autocomplete: "username",
      autocapitalize: "none",
      spellcheck: "false",
      maxlength: 30,
    });
    const pair = passwordPair([t("password"), t("verify_password")]);
    const create = async () => {
      const created = await api("POST", "/activation/account", {
        activation_key: key,
        username: user.input.value.trim(),
        password: pair[0].input.value,
        password_confirm: pair[1].input.value,
      });
      flow.step({
        title: t("all_done"),
        focus: true,
        content: [
          usernameLine(created.username),
          h("p", { text: t("activation_done") }),
          nextStep(links.parent_login, t("log_in")), // the login page written for parents
        ],
      });
    };
    const intro = h("p", { text: t("activation_key_ok") });
    const children = [intro, user.wrap, pair[0].wrap, pair[1].wrap];
    const form = flow.form(children, t("create_account"), create, { errorControl: user.input });
    flow.step({ title: t("activate_step_account"), progress: [2, 2], content: form, focus });
  }

  showKey(false);
}

mountEach("activate", mountActivate);
