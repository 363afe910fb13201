/* The account forms of the guide pages: claim (students/claim), login (students/login),
 * reset (students/forgot-password) and activate (parents/activate).
 * Each mounts into <div class="portal-form" data-form="…">. Needs portal-common.js. */
(function () {
  "use strict";

  var P = window.Portal;
  if (!P) {
    return;
  }
  var t = P.t;
  var h = P.h;

  function link(href, text) {
    return h("a", { href: href, text: text });
  }

  function passwordPair(values, names, labels) {
    var first = P.field({
      name: names[0], label: labels[0], type: "password", autocomplete: "new-password",
      hint: t("password_rules"), value: values[0]
    });
    var second = P.field({
      name: names[1], label: labels[1], type: "password", autocomplete: "new-password",
      value: values[1]
    });
    return [first, second];
  }

  /* The account's username for password managers (not shown, not focusable). */
  function hiddenUsername(value) {
    var input = h("input", {
      type: "text", name: "username", autocomplete: "username", hidden: true,
      "aria-hidden": "true", tabindex: "-1", "data-optional": "true"
    });
    input.value = value;
    return input;
  }

  function loginLink() {
    return h("p", { className: "portal-next" }, link(P.links.login, t("log_in")));
  }

  function startAgainButton(handler) {
    return h("button", {
      type: "button", className: "portal-button", text: t("start_again"), onclick: handler
    });
  }

  /* One select or text box per challenge question (choices come from the API). */
  function answerField(question, name, value) {
    if (question && question.choices && question.choices.length) {
      return P.field({
        name: name, label: t("answer"), choices: question.choices, value: value,
        questionId: question.id
      });
    }
    var year = question && question.id === 3;
    return P.field({
      name: name, label: t("answer"), value: value, maxlength: 100,
      questionId: question ? question.id : null,
      inputmode: year ? "numeric" : null, hint: year ? t("year_hint") : null
    });
  }

  /* Claim: identity → password (username shown) → 3 questions → done. -------------------
   * Every step is a history entry (pushState) holding what is needed to show it again, so the
   * browser's Back and Forward buttons move between steps. Passwords and answers stay in memory
   * only, never in history.state. */
  function mountClaim(root) {
    var flow = new P.Flow(root, "claim");
    var KEY = "portalClaim";
    var memory = { identity: null, passwords: ["", ""], answers: {}, questions: null, done: null };
    var shown = 0;

    function stateOf(entry) {
      return entry && typeof entry === "object" && entry[KEY] ? entry[KEY] : null;
    }

    function remember(state, push) {
      var base = history.state && typeof history.state === "object" ? history.state : {};
      var entry = Object.assign({}, base);
      entry[KEY] = state;
      if (push) {
        history.pushState(entry, "", location.href);
      } else {
        history.replaceState(entry, "", location.href);
      }
    }

    function go(state, focus, push) {
      if (push !== undefined) {
        remember(state, push);
      }
      shown = state.step;
      if (state.step === 2) {
        showPassword(state, focus);
      } else if (state.step === 3) {
        showQuestions(state, focus);
      } else if (state.step === 4) {
        showDone(state.username, focus);
      } else {
        showIdentity(state, focus);
      }
    }

    function restart() {
      memory.identity = null;
      memory.passwords = ["", ""];
      memory.answers = {};
      memory.done = null;
      go({ step: 1 }, true, true);
    }

    /* A claim token that no longer works: say so and offer to start again. */
    function failed(result, control) {
      var code = result.data && result.data.error;
      if (code === "claim_token_invalid") {
        flow.error(result.data, null, startAgainButton(restart));
      } else if (code === "already_claimed") {
        flow.error(result.data, control,
          h("p", null, link(P.links.forgot_password, t("forgot_password"))));
      } else {
        flow.error(result.data, control);
      }
    }

    function showIdentity(state, focus) {
      var values = state.identity || memory.identity || {};
      var last = P.field({ name: "last_name", label: t("last_name"), value: values.last_name,
        autocomplete: "family-name", maxlength: 100 });
      var first = P.field({ name: "first_name", label: t("first_name"), value: values.first_name,
        autocomplete: "given-name", maxlength: 100 });
      var sid = P.field({ name: "student_id", label: t("student_id"), hint: t("student_id_hint"),
        value: values.student_id, inputmode: "numeric", maxlength: 12 });
      var form = flow.form([last.wrap, first.wrap, sid.wrap], t("next"), function () {
        var identity = {
          last_name: last.input.value,
          first_name: first.input.value,
          student_id: sid.input.value.trim()
        };
        memory.identity = identity;
        return P.api("POST", "/claim/start", identity).then(function (result) {
          if (!result.ok) {
            failed(result, result.data.error === "student_id_format" ? sid.input : last.input);
            return;
          }
          memory.passwords = ["", ""];
          go({ step: 2, identity: identity, token: result.data.claim_token }, true, true);
        });
      });
      flow.step({ title: t("claim_step_identity"), progress: [1, 3], content: form, focus: focus });
    }

    function showPassword(state, focus) {
      var pair = passwordPair(memory.passwords, ["password", "password_confirm"],
        [t("password"), t("verify_password")]);
      var sid = state.identity ? String(state.identity.student_id || "") : "";
      function submit() {
        memory.passwords = [pair[0].input.value, pair[1].input.value];
        return P.api("POST", "/claim/password", {
          claim_token: state.token,
          password: pair[0].input.value,
          password_confirm: pair[1].input.value
        }).then(function (result) {
          if (!result.ok) {
            failed(result, pair[0].input);
            return;
          }
          go({ step: 3, identity: state.identity, token: state.token,
            username: result.data.username, questions: state.questions || null }, true, true);
        });
      }
      var form = flow.form([hiddenUsername("S" + sid), pair[0].wrap, pair[1].wrap], t("next"),
        submit);
      flow.step({ title: t("claim_step_password"), progress: [2, 3], content: form, focus: focus });
    }

    function usernameLine(username) {
      return h("p", { className: "portal-username-line" }, [
        t("your_username_is") + " ",
        h("strong", { className: "portal-username", text: username })
      ]);
    }

    function loadQuestions() {
      if (memory.questions) {
        return Promise.resolve({ ok: true, data: { questions: memory.questions } });
      }
      return P.api("GET", "/claim/questions").then(function (result) {
        if (result.ok) {
          memory.questions = result.data.questions || [];
        }
        return result;
      });
    }

    function showQuestions(state, focus) {
      var box = h("div", { className: "portal-questions" }, h("p", { text: t("working") }));
      flow.step({
        title: t("claim_step_questions"), progress: [3, 3], focus: focus,
        content: [usernameLine(state.username), box]
      });
      loadQuestions().then(function (result) {
        if (shown !== 3) {
          return;
        }
        if (!result.ok) {
          P.clear(box);
          flow.error(result.data);
          return;
        }
        P.clear(box).appendChild(questionsForm(state, result.data.questions || []));
      });
    }

    function questionsForm(state, questions) {
      var chosen = (state.questions || [null, null, null]).slice(0, 3);
      var rows = [];
      var byId = {};
      questions.forEach(function (question) { byId[question.id] = question; });

      function syncDisabled() {
        rows.forEach(function (row, index) {
          var options = row.select.options;
          for (var i = 1; i < options.length; i += 1) {
            options[i].disabled = rows.some(function (other, otherIndex) {
              return otherIndex !== index && other.select.value === options[i].value;
            });
          }
        });
      }

      function setAnswer(row, index) {
        var id = Number(row.select.value) || null;
        var answer = answerField(byId[id], "answer_" + (index + 1), id ? memory.answers[id] : "");
        answer.input.addEventListener("input", function () {
          if (id) {
            memory.answers[id] = answer.input.value;
          }
        });
        answer.input.addEventListener("change", function () {
          if (id) {
            memory.answers[id] = answer.input.value;
          }
        });
        P.clear(row.answerBox).appendChild(answer.wrap);
        row.answer = answer;
      }

      for (var index = 0; index < 3; index += 1) {
        var select = P.field({
          name: "question_" + (index + 1),
          label: t("choose_question"),
          placeholder: t("choose_question"),
          choices: questions.map(function (q) { return { value: String(q.id), label: q.text }; }),
          value: chosen[index] ? String(chosen[index]) : ""
        });
        var answerBox = h("div", { className: "portal-answer" });
        var fieldset = h("fieldset", { className: "portal-question" }, [
          h("legend", { text: t("question", { n: index + 1 }) }), select.wrap, answerBox
        ]);
        rows.push({ select: select.input, answerBox: answerBox, fieldset: fieldset, answer: null });
      }
      rows.forEach(function (row, rowIndex) {
        setAnswer(row, rowIndex);
        row.select.addEventListener("change", function () {
          setAnswer(row, rowIndex);
          syncDisabled();
          remember(Object.assign({}, state, {
            questions: rows.map(function (r) { return Number(r.select.value) || null; })
          }), false);
        });
      });
      syncDisabled();

      return flow.form(rows.map(function (row) { return row.fieldset; }), t("save"), function () {
        var answers = rows.map(function (row) {
          return { question_id: Number(row.select.value), answer: row.answer.input.value };
        });
        return P.api("POST", "/claim/answers", { claim_token: state.token, answers: answers })
          .then(function (result) {
            if (!result.ok) {
              failed(result, rows[0].select);
              return;
            }
            memory.done = result.data.username;
            memory.passwords = ["", ""];
            memory.answers = {};
            go({ step: 4, username: result.data.username }, true, true);
          });
      });
    }

    function showDone(username, focus) {
      flow.step({
        title: t("all_done"), focus: focus,
        content: [
          usernameLine(username),
          h("p", { text: t("claim_done") }),
          loginLink()
        ]
      });
    }

    window.addEventListener("popstate", function (event) {
      var state = stateOf(event.state);
      if (!state) {
        return; /* an in-page link's entry: the wizard stays where it is */
      }
      if (memory.done && state.step !== 4) {
        state = { step: 4, username: memory.done };
      }
      if (state.step !== shown) {
        go(state, true);
      }
    });

    var initial = stateOf(history.state);
    if (initial) {
      go(initial, false);
    } else {
      go({ step: 1 }, false, false);
    }
  }

  /* Login: username → Go → password (eye button) → Go → the portal page. ---------------- */
  function mountLogin(root) {
    var flow = new P.Flow(root, "login");
    var username = "";

    function showUsername(focus) {
      var user = P.field({
        name: "username", label: t("username"), hint: t("username_hint"), value: username,
        autocomplete: "username", autocapitalize: "none", spellcheck: "false", maxlength: 64
      });
      var form = flow.form([user.wrap], t("go"), function () {
        username = user.input.value.trim();
        return P.api("POST", "/login/identify", { username: username }).then(function (result) {
          if (!result.ok) {
            flow.error(result.data, user.input);
            return;
          }
          showPassword(true);
        });
      });
      flow.step({ title: t("step_username"), content: form, focus: focus });
    }

    function showPassword(focus) {
      var hidden = hiddenUsername(username);
      var secret = P.field({
        name: "password", label: t("password"), type: "password",
        autocomplete: "current-password", maxlength: 256
      });
      var back = h("button", {
        type: "button", className: "portal-button", text: t("back"),
        onclick: function () { showUsername(true); }
      });
      var form = flow.form([
        h("p", { className: "portal-login-as", text: t("login_as", { username: username }) }),
        hidden, secret.wrap
      ], t("go"), function () {
        return P.api("POST", "/login", { username: username, password: secret.input.value })
          .then(function (result) {
            if (!result.ok) {
              secret.input.value = "";
              flow.error(result.data, secret.input);
              return;
            }
            P.saveSession({
              token: result.data.session_token,
              role: result.data.role,
              must_change_password: !!result.data.must_change_password
            });
            flow.message(t("login_done"), null, false);
            window.location.assign(P.links.portal);
          });
      }, back);
      flow.step({ title: t("login_step_password"), content: form, focus: focus });
    }

    showUsername(false);
    var note = P.flashText(P.takeFlash());
    if (P.session()) {
      flow.message(t("login_done"), null, false, h("p", null, link(P.links.portal, t("open_portal"))));
    } else if (note) {
      window.setTimeout(function () { flow.message(note, null, false); }, 50);
    }
  }

  /* Forgot password: username → the account's 3 questions → new password twice → done. -- */
  function mountReset(root) {
    var flow = new P.Flow(root, "reset");
    var username = "";

    function restart() {
      showUsername(true);
    }

    function failed(result, control) {
      if (result.data && result.data.error === "reset_token_invalid") {
        flow.error(result.data, null, startAgainButton(restart));
      } else {
        flow.error(result.data, control);
      }
    }

    function showUsername(focus) {
      var user = P.field({
        name: "username", label: t("username"), hint: t("username_hint"), value: username,
        autocomplete: "username", autocapitalize: "none", spellcheck: "false", maxlength: 64
      });
      var form = flow.form([user.wrap], t("next"), function () {
        username = user.input.value.trim();
        return P.api("POST", "/reset/start", { username: username }).then(function (result) {
          if (!result.ok) {
            failed(result, user.input);
            return;
          }
          showAnswers(result.data.reset_token, result.data.questions || [], true);
        });
      });
      flow.step({ title: t("step_username"), progress: [1, 3], content: form, focus: focus });
    }

    function showAnswers(token, questions, focus) {
      var fields = questions.map(function (question, index) {
        var answer = answerField(question, "answer_" + (index + 1), "");
        return { question: question, answer: answer };
      });
      var fieldsets = fields.map(function (item, index) {
        return h("fieldset", { className: "portal-question" }, [
          h("legend", { text: t("question", { n: index + 1 }) }),
          h("p", { className: "portal-question-text", text: item.question.text }),
          item.answer.wrap
        ]);
      });
      var form = flow.form(fieldsets, t("next"), function () {
        var answers = fields.map(function (item) {
          return { question_id: item.question.id, answer: item.answer.input.value };
        });
        return P.api("POST", "/reset/answers", { reset_token: token, answers: answers })
          .then(function (result) {
            if (!result.ok) {
              failed(result, fields.length ? fields[0].answer.input : null);
              return;
            }
            showPassword(result.data.reset_token, true);
          });
      });
      flow.step({ title: t("reset_step_answers"), progress: [2, 3], content: form, focus: focus });
    }

    function showPassword(token, focus) {
      var pair = passwordPair(["", ""], ["password", "password_confirm"],
        [t("new_password"), t("verify_new_password")]);
      function submit() {
        return P.api("POST", "/reset/password", {
          reset_token: token,
          password: pair[0].input.value,
          password_confirm: pair[1].input.value
        }).then(function (result) {
          if (!result.ok) {
            failed(result, pair[0].input);
            return;
          }
          flow.step({
            title: t("all_done"), focus: true,
            content: [h("p", { text: t("reset_done") }), loginLink()]
          });
        });
      }
      var form = flow.form([hiddenUsername(username), pair[0].wrap, pair[1].wrap], t("save"),
        submit);
      flow.step({ title: t("reset_step_password"), progress: [3, 3], content: form, focus: focus });
    }

    showUsername(false);
  }

  /* Parent activation: key → username and password → done, with a link to log in. ------- */
  function mountActivate(root) {
    var flow = new P.Flow(root, "activate");
    var key = "";

    function failed(result, control) {
      if (result.data && result.data.error === "activation_key_invalid") {
        flow.error(result.data, null, startAgainButton(function () { showKey(true); }));
      } else {
        flow.error(result.data, control);
      }
    }

    function showKey(focus) {
      var keyField = P.field({
        name: "activation_key", label: t("activation_key"), hint: t("activation_key_hint"),
        value: key, autocapitalize: "characters", spellcheck: "false", maxlength: 64
      });
      var form = flow.form([keyField.wrap], t("next"), function () {
        key = keyField.input.value.trim();
        return P.api("POST", "/activation/check", { activation_key: key }).then(function (result) {
          if (!result.ok) {
            flow.error(result.data, keyField.input);
            return;
          }
          showAccount(true);
        });
      });
      flow.step({ title: t("activate_step_key"), progress: [1, 2], content: form, focus: focus });
    }

    function showAccount(focus) {
      var user = P.field({
        name: "username", label: t("username"), hint: t("username_rules"),
        autocomplete: "username", autocapitalize: "none", spellcheck: "false", maxlength: 30
      });
      var pair = passwordPair(["", ""], ["password", "password_confirm"],
        [t("password"), t("verify_password")]);
      var form = flow.form([
        h("p", { text: t("activation_key_ok") }), user.wrap, pair[0].wrap, pair[1].wrap
      ], t("create_account"), function () {
        return P.api("POST", "/activation/account", {
          activation_key: key,
          username: user.input.value.trim(),
          password: pair[0].input.value,
          password_confirm: pair[1].input.value
        }).then(function (result) {
          if (!result.ok) {
            failed(result, user.input);
            return;
          }
          flow.step({
            title: t("all_done"), focus: true,
            content: [
              h("p", { className: "portal-username-line" }, [
                t("your_username_is") + " ",
                h("strong", { className: "portal-username", text: result.data.username })
              ]),
              h("p", { text: t("activation_done") }),
              loginLink()
            ]
          });
        });
      });
      flow.step({ title: t("activate_step_account"), progress: [2, 2], content: form, focus: focus });
    }

    showKey(false);
  }

  var MOUNTS = { claim: mountClaim, login: mountLogin, reset: mountReset, activate: mountActivate };
  var slots = document.querySelectorAll("div.portal-form[data-form]");
  for (var i = 0; i < slots.length; i += 1) {
    var mount = MOUNTS[slots[i].getAttribute("data-form")];
    if (mount) {
      mount(slots[i]);
      slots[i].classList.add("portal-form--drawn"); // drops the room kept for it (portal.css)
    }
  }
}());
