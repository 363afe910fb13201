/* Claim (students/claim): identity → password (username shown) → 3 questions → done.
 * Every step is a history entry (pushState) holding what is needed to show it again, so the
 * browser's Back and Forward buttons move between steps. Passwords and answers stay in memory
 * only, never in history.state. */
import { api } from "./portal-api.js";
import { questionsForm } from "./portal-claim-questions.js";
import { clear, h, link } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { Flow, mountEach } from "./portal-flow.js";
import { hiddenUsername, loginLink, passwordPair, usernameLine } from "./portal-form-parts.js";
import { errorText, links, studentIds, t } from "./portal-messages.js";

const HISTORY_KEY = "portalClaim";

/* The wizard's state in a history entry; null for entries it did not make (in-page links). */
function claimState(entry) {
  return entry && typeof entry === "object" && entry[HISTORY_KEY] ? entry[HISTORY_KEY] : null;
}

class ClaimWizard {
  constructor(root) {
    this.flow = new Flow(root, "claim", {
      startAgain: { code: "claim_token_invalid", restart: () => this.restart() },
      extras: {
        already_claimed: () => h("p", null, link(links.forgot_password, t("forgot_password"))),
      },
    });
    // What the reader typed and what the API said, in memory only.
    this.memory = { identity: null, passwords: ["", ""], answers: {}, questions: null, done: null };
    this.shown = 0; // the step on screen
  }

  start() {
    window.addEventListener("popstate", (event) => this.returnTo(claimState(event.state)));
    const initial = claimState(history.state);
    if (!initial) {
      this.remember({ step: 1 }, false);
    }
    this.show(initial || { step: 1 }, false);
  }

  /* Store state in the current history entry (replace) or a new one (push), keeping the rest. */
  remember(state, push) {
    const base = history.state && typeof history.state === "object" ? history.state : {};
    const entry = { ...base, [HISTORY_KEY]: state };
    if (push) {
      history.pushState(entry, "", location.href);
    } else {
      history.replaceState(entry, "", location.href);
    }
  }

  /* The next step, as a new history entry. */
  advance(state) {
    this.remember(state, true);
    this.show(state, true);
  }

  /* Back or Forward: show the entry's step; once claimed, every step shows the done step. */
  returnTo(state) {
    if (!state) {
      return; // an in-page link's entry: the wizard stays where it is
    }
    const { done } = this.memory;
    const target = done && state.step !== 4 ? { step: 4, username: done } : state;
    if (target.step !== this.shown) {
      this.show(target, true);
    }
  }

  show(state, focus) {
    this.shown = state.step;
    if (state.step === 2) {
      this.showPassword(state, focus);
    } else if (state.step === 3) {
      this.showQuestions(state, focus);
    } else if (state.step === 4) {
      this.showDone(state.username, focus);
    } else {
      this.showIdentity(state, focus);
    }
  }

  restart() {
    Object.assign(this.memory, { identity: null, passwords: ["", ""], answers: {}, done: null });
    this.advance({ step: 1 });
  }

  /* Step 1: name and student ID; the API answers with a claim token. */
  showIdentity(state, focus) {
    const values = state.identity || this.memory.identity || {};
    const last = field({
      name: "last_name",
      label: t("last_name"),
      value: values.last_name,
      autocomplete: "family-name",
      maxlength: 100,
    });
    const first = field({
      name: "first_name",
      label: t("first_name"),
      value: values.first_name,
      autocomplete: "given-name",
      maxlength: 100,
    });
    const sid = field({
      name: "student_id",
      label: t("student_id"),
      hint: t("student_id_hint"),
      value: values.student_id,
      inputmode: "numeric",
      // Room for an ID typed with its username prefix, so the form can say to drop it.
      maxlength: Math.max(12, studentIds.prefix.length + studentIds.digits),
    });
    const submit = async () => {
      const identity = {
        last_name: last.input.value,
        first_name: first.input.value,
        student_id: sid.input.value.trim(),
      };
      const typed = identity.student_id;
      if (typed.length !== studentIds.digits || !/^[0-9]+$/.test(typed)) {
        // Said here, so the sentence fits what was typed: only an ID typed with its prefix is
        // told to drop it (the API's student_id_format cannot tell the two apart).
        const start = typed.slice(0, studentIds.prefix.length);
        const typedPrefix = start.toLowerCase() === studentIds.prefix.toLowerCase();
        const text = typedPrefix ? t("student_id_no_s") : errorText({ error: "student_id_format" });
        this.flow.message(text, sid.input, true);
        return;
      }
      this.memory.identity = identity;
      const started = await api("POST", "/claim/start", identity);
      this.memory.passwords = ["", ""];
      this.advance({ step: 2, identity, token: started.claim_token });
    };
    const form = this.flow.form([last.wrap, first.wrap, sid.wrap], t("next"), submit, {
      // The API does not say which field did not match (claim_failed): none is marked.
      errorControl: (code) => (code === "student_id_format" ? sid.input : null),
    });
    this.flow.step({ title: t("claim_step_identity"), progress: [1, 3], content: form, focus });
  }

  /* Step 2: the password twice; the API answers with the username. */
  showPassword(state, focus) {
    const pair = passwordPair([t("password"), t("verify_password")], this.memory.passwords);
    const sid = state.identity ? String(state.identity.student_id || "") : "";
    const submit = async () => {
      const [password, confirm] = pair.map((one) => one.input.value);
      this.memory.passwords = [password, confirm];
      const chosen = await api("POST", "/claim/password", {
        claim_token: state.token,
        password,
        password_confirm: confirm,
      });
      this.advance({
        step: 3,
        identity: state.identity,
        token: state.token,
        username: chosen.username,
        questions: state.questions || null,
      });
    };
    const children = [hiddenUsername(`S${sid}`), pair[0].wrap, pair[1].wrap];
    const form = this.flow.form(children, t("next"), submit, { errorControl: pair[0].input });
    this.flow.step({ title: t("claim_step_password"), progress: [2, 3], content: form, focus });
  }

  /* The 8 questions the reader chooses from, asked once per page. */
  async questions() {
    if (!this.memory.questions) {
      const data = await api("GET", "/claim/questions");
      this.memory.questions = data.questions || [];
    }
    return this.memory.questions;
  }

  /* Step 3: three questions and their answers, once the questions have come. */
  async showQuestions(state, focus) {
    const box = h("div", { className: "portal-questions" }, h("p", { text: t("working") }));
    this.flow.step({
      title: t("claim_step_questions"),
      progress: [3, 3],
      focus,
      content: [usernameLine(state.username), box],
    });
    let questions;
    try {
      questions = await this.questions();
    } catch (error) {
      if (this.shown === 3) {
        clear(box);
        this.flow.fail(error);
      }
      return;
    }
    if (this.shown !== 3) {
      return; // the reader moved on while the questions came
    }
    const form = questionsForm(this.flow, {
      questions,
      chosen: state.questions,
      answers: this.memory.answers,
      onChoose: (chosen) => this.remember({ ...state, questions: chosen }, false),
      onSubmit: (answers) => this.saveAnswers(state.token, answers),
    });
    clear(box).appendChild(form);
  }

  async saveAnswers(token, answers) {
    const saved = await api("POST", "/claim/answers", { claim_token: token, answers });
    this.memory.done = saved.username;
    this.memory.passwords = ["", ""];
    this.memory.answers = {};
    this.advance({ step: 4, username: saved.username });
  }

  showDone(username, focus) {
    this.flow.step({
      title: t("all_done"),
      focus,
      content: [usernameLine(username), h("p", { text: t("claim_done") }), loginLink()],
    });
  }
}

mountEach("claim", (root) => new ClaimWizard(root).start());
