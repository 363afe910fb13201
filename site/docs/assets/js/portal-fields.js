/* Labelled form fields: text boxes, selects and password boxes with their eye button. */
import { h, uid } from "./portal-dom.js";
import { t } from "./portal-messages.js";

const SVG = "http://www.w3.org/2000/svg";
const EYE_PATH =
  "M12 5c-5 0-9 4.5-10 7 1 2.5 5 7 10 7s9-4.5 10-7c-1-2.5-5-7-10-7zm0 11.5a4.5 " +
  "4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-7a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z";

function eyeIcon() {
  const svg = document.createElementNS(SVG, "svg");
  for (const [name, value] of Object.entries({
    viewBox: "0 0 24 24",
    width: "24",
    height: "24",
    "aria-hidden": "true",
    focusable: "false",
  })) {
    svg.setAttribute(name, value);
  }
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", EYE_PATH);
  path.setAttribute("fill", "currentColor");
  svg.appendChild(path);
  return svg;
}

/* The eye button: shows what was typed (aria-pressed tells whether it is shown). */
function eyeButton(input) {
  const button = h(
    "button",
    {
      type: "button",
      className: "portal-eye",
      "aria-pressed": "false",
      "aria-label": t("show_password"),
      "aria-controls": input.id,
      title: t("show_password"),
    },
    eyeIcon(),
  );
  button.addEventListener("click", () => {
    const shown = input.type === "password";
    input.type = shown ? "text" : "password";
    button.setAttribute("aria-pressed", shown ? "true" : "false");
    button.setAttribute("title", shown ? t("hide_password") : t("show_password"));
  });
  return button;
}

function select(id, { name, choices, placeholder, value }) {
  const control = h("select", { id, name });
  control.appendChild(h("option", { value: "", text: placeholder || t("choose_answer") }));
  for (const choice of choices) {
    control.appendChild(h("option", { value: choice.value, text: choice.label }));
  }
  control.value = value || "";
  return control;
}

function input(id, options) {
  const control = h("input", {
    id,
    name: options.name,
    type: options.type || "text",
    autocomplete: options.autocomplete || "off",
    inputmode: options.inputmode,
    maxlength: options.maxlength,
    autocapitalize: options.autocapitalize,
    spellcheck: options.spellcheck,
  });
  control.value = options.value || "";
  return control;
}

/* A labelled input (or a select, with options.choices) with an optional hint.
 * Returns {wrap, input}. The hint's id is kept in data-describedby, so aria-describedby can
 * go back to it when an error message no longer describes the field. */
export function field(options) {
  const id = uid(options.name);
  const hint = options.hint
    ? h("p", { className: "portal-hint", id: `${id}-hint`, text: options.hint })
    : null;
  const control = options.choices ? select(id, options) : input(id, options);
  if (options.questionId) {
    control.setAttribute("data-question-id", String(options.questionId));
  }
  control.setAttribute("data-describedby", hint ? hint.id : "");
  if (hint) {
    control.setAttribute("aria-describedby", hint.id);
  }
  const label = h("label", { for: id, text: options.label });
  const inner =
    options.type === "password"
      ? h("div", { className: "portal-password" }, [control, eyeButton(control)])
      : control;
  const wrap = h("div", { className: "portal-field" }, [label, hint, inner]);
  return { wrap, input: control };
}
