/* A form flow: one step shown at a time above one aria-live region, and the one place where
 * anything going wrong becomes a sentence in the page language, on the field it concerns. */
import { ApiError, errorBody } from "./portal-api.js";
import { append, clear, focusHeading, h, liveAlert, uid } from "./portal-dom.js";
import { errorText, t } from "./portal-messages.js";

/* Mount a flow on each slot of its kind (<div class="portal-form" data-form="kind">). */
export function mountEach(kind, mount) {
  for (const slot of document.querySelectorAll(`div.portal-form[data-form="${kind}"]`)) {
    mount(slot);
    slot.classList.add("portal-form--drawn"); // drops the room kept for it (portal.css)
  }
}

function startAgainButton(restart) {
  return h("button", {
    type: "button",
    className: "portal-button",
    text: t("start_again"),
    onclick: restart,
  });
}

export class Flow {
  /* options.startAgain {code, restart}: the error that means the token or key no longer works,
   * and how to go back to the first step. options.extras {code: () => node}: what to show
   * under a given error (a link that helps). */
  constructor(root, name, { startAgain = null, extras = {} } = {}) {
    this.root = root;
    this.name = name;
    this.startAgain = startAgain;
    this.extras = extras;
    this.busy = false;
    this.stepNumber = 0;
    this.stepBox = h("div", { className: "portal-step-box" });
    this.live = liveAlert(`${name}-alert`);
    clear(root);
    root.classList.add("portal-ready");
    root.appendChild(this.stepBox);
    root.appendChild(this.live);
  }

  /* Replace the step: optional progress, its heading (focused when focus is true), content. */
  step({ title, content, progress = null, level = "h3", focus = false }) {
    const headingId = uid(`${this.name}-heading`);
    const heading = h(level, {
      id: headingId,
      className: "portal-step-heading",
      tabindex: "-1",
      text: title,
    });
    const section = h("section", { className: "portal-step", "aria-labelledby": headingId });
    if (progress) {
      const [n, total] = progress;
      const text = t("step_of", { n, total });
      section.appendChild(h("p", { className: "portal-progress", text }));
    }
    section.appendChild(heading);
    append(section, content);
    clear(this.stepBox).appendChild(section);
    this.stepNumber = progress ? progress[0] : 0;
    this.clearMessage();
    if (focus) {
      focusHeading(heading);
    }
    return section;
  }

  /* A <form novalidate> whose submit runs onSubmit(form) once at a time. When the API refuses,
   * fail() says why on errorControl (a control, or a function of the error code giving one),
   * after onError(code) has run (e.g. to empty a refused password). */
  form(children, submitLabel, onSubmit, options = {}) {
    const { errorControl = null, onError = null, extraButton = null } = options;
    const form = h("form", { className: "portal-step-form", novalidate: true });
    append(form, children);
    form.appendChild(
      h("div", { className: "portal-actions" }, [
        h("button", {
          type: "submit",
          className: "portal-button portal-button--primary",
          text: submitLabel,
        }),
        extraButton,
      ]),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (this.busy) {
        return;
      }
      this.clearMessage();
      if (!this.checkRequired(form)) {
        return;
      }
      this.busy = true;
      form.setAttribute("aria-busy", "true");
      try {
        await onSubmit(form);
      } catch (error) {
        let control = null;
        if (error instanceof ApiError) {
          const code = error.data.error;
          onError?.(code);
          control = typeof errorControl === "function" ? errorControl(code) : errorControl;
        }
        this.fail(error, control);
      } finally {
        this.busy = false;
        form.removeAttribute("aria-busy");
      }
    });
    return form;
  }

  /* Every visible input and select must have a value; the first empty one gets the message. */
  checkRequired(form) {
    const controls = form.querySelectorAll("input:not([type=hidden]):not([data-optional]), select");
    for (const control of controls) {
      if (!String(control.value || "").trim()) {
        this.message(t("required"), control, true);
        return false;
      }
    }
    return true;
  }

  clearMessage() {
    this.live.textContent = "";
    this.live.classList.remove("portal-alert--error", "portal-alert--ok");
    for (const marked of this.root.querySelectorAll("[aria-invalid]")) {
      marked.removeAttribute("aria-invalid");
      const base = marked.getAttribute("data-describedby");
      if (base) {
        marked.setAttribute("aria-describedby", base);
      } else {
        marked.removeAttribute("aria-describedby");
      }
    }
  }

  /* Show text in the live region; link it to control (aria-describedby) and focus it. */
  message(text, control, isError, extra) {
    this.clearMessage();
    this.live.classList.add(isError ? "portal-alert--error" : "portal-alert--ok");
    append(this.live, h("p", { text }));
    append(this.live, extra || null);
    if (control) {
      const base = control.getAttribute("data-describedby");
      if (isError) {
        control.setAttribute("aria-invalid", "true");
      }
      control.setAttribute("aria-describedby", (base ? `${base} ` : "") + this.live.id);
      control.focus();
    }
  }

  /* The one way a failure reaches the reader: the API's error (or internal_error for anything
   * else) in the page language, on the field it names, else on control. */
  fail(error, control = null) {
    const data = errorBody(error);
    const code = data.error;
    // Past the first step a dead token or key cannot be fixed here: offer to start again.
    if (this.startAgain && code === this.startAgain.code && this.stepNumber > 1) {
      this.showError(data, null, startAgainButton(this.startAgain.restart));
      return;
    }
    const hasExtra = Object.prototype.hasOwnProperty.call(this.extras, code);
    this.showError(data, control, hasExtra ? this.extras[code]() : null);
  }

  showError(data, fallbackControl, extra) {
    let control = null;
    if (data.field) {
      const question = /^question_(\d+)$/.exec(data.field);
      control = this.root.querySelector(
        question
          ? `[data-question-id="${question[1]}"]`
          : `[name="${String(data.field).replace(/[^a-z_]/gi, "")}"]`,
      );
    }
    this.message(errorText(data), control || fallbackControl, true, extra);
  }
}
