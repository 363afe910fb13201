/* Pieces the account forms (claim, login, reset, activation) share. */
import { h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { links, t } from "./portal-messages.js";

/* A new password typed twice: [first, second] fields named password and password_confirm. */
export function passwordPair(labels, values = ["", ""]) {
  const first = field({
    name: "password",
    label: labels[0],
    type: "password",
    autocomplete: "new-password",
    hint: t("password_rules"),
    value: values[0],
  });
  const second = field({
    name: "password_confirm",
    label: labels[1],
    type: "password",
    autocomplete: "new-password",
    value: values[1],
  });
  return [first, second];
}

/* The account's username for password managers (not shown, not focusable). */
export function hiddenUsername(value) {
  const input = h("input", {
    type: "text",
    name: "username",
    autocomplete: "username",
    hidden: true,
    "aria-hidden": "true",
    tabindex: "-1",
    "data-optional": "true",
  });
  input.value = value;
  return input;
}

/* The answer to a challenge question: a select when the API gives choices, else a text box. */
export function answerField(question, name, value) {
  if (question && question.choices && question.choices.length) {
    return field({
      name,
      label: t("answer"),
      choices: question.choices,
      value,
      questionId: question.id,
    });
  }
  const year = question && question.id === 3; // the question whose answer is a year
  return field({
    name,
    label: t("answer"),
    value,
    maxlength: 100,
    questionId: question ? question.id : null,
    inputmode: year ? "numeric" : null,
    hint: year ? t("year_hint") : null,
  });
}

/* "Your username is S0711001", the username in green (portal.css). */
export function usernameLine(username) {
  return h("p", { className: "portal-username-line" }, [
    `${t("your_username_is")} `,
    h("strong", { className: "portal-username", text: username }),
  ]);
}

/* A done screen's one way on, in a highlighted box: "Next step" and one link drawn as a
 * button, so the reader knows what to do once the form is finished. */
export function nextStep(href, label) {
  return h("div", { className: "portal-next-step" }, [
    h("p", { className: "portal-next-step-label", text: t("next_step") }),
    h("a", { className: "portal-button portal-button--primary", href, text: label }),
  ]);
}

/* The students' done screens lead to their login page. */
export function loginLink() {
  return nextStep(links.login, t("log_in"));
}
