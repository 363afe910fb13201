/* Forgot password (students/forgot-password): username → the account's 3 questions → the new
 * password twice → done. */
import { api } from "./portal-api.js";
import { h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { Flow, mountEach } from "./portal-flow.js";
import { answerField, hiddenUsername, loginLink, passwordPair } from "./portal-form-parts.js";
import { t } from "./portal-messages.js";

function mountReset(root) {
  const flow = new Flow(root, "reset", {
    startAgain: { code: "reset_token_invalid", restart: () => showUsername(true) },
  });
  let username = "";

  /* Step 1: the username; the API answers with a reset token and the account's questions. */
  function showUsername(focus) {
    const user = field({
      name: "username",
      label: t("username"),
      hint: t("username_hint"),
      value: username,
      autocomplete: "username",
      autocapitalize: "none",
      spellcheck: "false",
      maxlength: 64,
    });
    const start = async () => {
      username = user.input.value.trim();
      const started = await api("POST", "/reset/start", { username });
      showAnswers(started.reset_token, started.questions || [], true);
    };
    const form = flow.form([user.wrap], t("next"), start, { errorControl: user.input });
    flow.step({ title: t("step_username"), progress: [1, 3], content: form, focus });
  }

  /* Step 2: the answers to the account's questions, judged all three together. */
  function showAnswers(token, questions, focus) {
    const fields = questions.map((question, index) => ({
      question,
      answer: answerField(question, `answer_${index + 1}`, ""),
    }));
    const fieldsets = fields.map((item, index) =>
      h("fieldset", { className: "portal-question" }, [
        h("legend", { text: t("question", { n: index + 1 }) }),
        h("p", { className: "portal-question-text", text: item.question.text }),
        item.answer.wrap,
      ]),
    );
    const check = async () => {
      const answers = fields.map((item) => ({
        question_id: item.question.id,
        answer: item.answer.input.value,
      }));
      const checked = await api("POST", "/reset/answers", { reset_token: token, answers });
      showPassword(checked.reset_token, true);
    };
    const form = flow.form(fieldsets, t("next"), check, {
      errorControl: fields.length ? fields[0].answer.input : null,
    });
    flow.step({ title: t("reset_step_answers"), progress: [2, 3], content: form, focus });
  }

  /* Step 3: the new password twice, then done. */
  function showPassword(token, focus) {
    const pair = passwordPair([t("new_password"), t("verify_new_password")]);
    const save = async () => {
      await api("POST", "/reset/password", {
        reset_token: token,
        password: pair[0].input.value,
        password_confirm: pair[1].input.value,
      });
      flow.step({
        title: t("all_done"),
        focus: true,
        content: [h("p", { text: t("reset_done") }), loginLink()],
      });
    };
    const children = [hiddenUsername(username), pair[0].wrap, pair[1].wrap];
    const form = flow.form(children, t("save"), save, { errorControl: pair[0].input });
    flow.step({ title: t("reset_step_password"), progress: [3, 3], content: form, focus });
  }

  showUsername(false);
}

mountEach("reset", mountReset);
