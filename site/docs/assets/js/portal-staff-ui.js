/* Pieces the staff sections share: a form with its own message area, a search box, buttons
 * that run one staff action and say how it went, a secret shown once, and the sentence for a
 * target the API refuses. */
import { ApiError, errorBody } from "./portal-api.js";
import { call } from "./portal-app-call.js";
import { announce } from "./portal-app-ui.js";
import { h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { Flow } from "./portal-flow.js";
import { errorText, t } from "./portal-messages.js";

/* A Flow drawn in a box of its own appended to body (its errors show under its form). */
export function boxFlow(body, name) {
  const box = h("div", { className: "portal-staff-box" });
  body.appendChild(box);
  return new Flow(box, name);
}

/* A search form: the fields given (e.g. a school), the query and Find; onSearch(query)
 * draws the results into `results`. */
export function searchBox(body, { name, label, hint, onSearch, fields = [] }) {
  const flow = boxFlow(body, name);
  const query = field({ name: "q", label, hint, maxlength: 100, autocomplete: "off" });
  const results = h("div", { className: "portal-staff-results", "aria-live": "polite" });
  const wraps = [...fields.map((f) => f.wrap), query.wrap];
  const form = flow.form(wraps, t("find"), () => onSearch(query.input.value.trim(), results), {
    errorControl: query.input,
  });
  flow.stepBox.appendChild(form);
  body.appendChild(results);
  return { flow, input: query.input, results };
}

/* A button that runs action() once at a time and announces done() or the error. */
export function actionButton(label, action, { primary = false, data = null } = {}) {
  const button = h("button", {
    type: "button",
    className: `portal-button${primary ? " portal-button--primary" : ""}`,
    "data-action": data,
    text: label,
  });
  button.addEventListener("click", async () => {
    if (button.disabled) {
      return;
    }
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      announce(errorText(errorBody(error)), true);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/* A password or key the reader must copy now: it is not shown again. */
export function shownOnce(intro, secret) {
  return h("div", { className: "portal-callout portal-shown-once", role: "status" }, [
    h("p", { text: intro }),
    h("p", null, h("code", { className: "portal-secret-value", text: secret })),
    h("p", { className: "portal-hint", text: t("shown_once") }),
  ]);
}

/* call() on one target (a student, parent, guardian, class or ticket). The section is one the
 * role has, so a 403 `forbidden` means the API found no such target in the caller's school: it
 * answers an unknown target and one of another school alike. The reader gets `code`, a
 * staff.errors sentence naming what was not found, instead of "You are not allowed". */
export async function callOnTarget(code, method, path, body) {
  try {
    return await call(method, path, body);
  } catch (error) {
    if (code && error instanceof ApiError && error.data.error === "forbidden") {
      throw new ApiError(error.status, { ...error.data, error: code });
    }
    throw error;
  }
}

/* "?a=1&b=2" of the non-empty values. */
export function queryString(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== "" && value !== null && value !== undefined) {
      search.set(name, value);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
