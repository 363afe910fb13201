/* School admin: "Activation letters". Keys are issued for one guardian, every guardian of a
 * class or of the school who has neither an account nor a live key; the letters replace the
 * section, one printed page per guardian in the guardian's language (the texts of every
 * language are in the page), and window.print() lets the browser save them as one PDF: the
 * API has no PDF library. The keys exist on this page only: nothing keeps them. */
import { announce, app } from "./portal-app-ui.js";
import { clear, focusHeading, h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { fill, letters, t } from "./portal-messages.js";
import { qrImage } from "./portal-staff-login.js";
import { boxFlow, callOnTarget } from "./portal-staff-ui.js";

const SCOPES = ["guardian", "class", "school"];
// What a 403 means for each scope: no such guardian or class in the school (a school admin's
// own school, or the one a district admin names, cannot be refused).
const NOT_IN_SCHOOL = { guardian: "guardian_not_in_school", class: "class_not_in_school" };

/* One guardian's page, in the guardian's language (English when the page has no texts). */
export function letterPage(letter) {
  const lang = Object.prototype.hasOwnProperty.call(letters, letter.language) ? letter.language : "en";
  const text = letters[lang] || {};
  const form = text.form || {};
  const params = {
    name: letter.name,
    students: new Intl.ListFormat(lang, { type: "conjunction" }).format(letter.students || []),
    url: letter.activation_url,
    district_id: letter.district_id,
    field: form.activation_key,
    next: form.next,
    username: form.username,
    password: form.password,
    verify_password: form.verify_password,
    create_account: form.create_account,
  };
  const say = (key) => fill(String(text[key] || ""), params);
  const steps = ["step_1", "step_2", "step_3", "step_4", "step_5"].map((key) => h("li", { text: say(key) }));
  return h("section", { className: "portal-letter", lang, "data-guardian": letter.guardian_id }, [
    h("h3", { text: say("title") }),
    h("p", { text: say("greeting") }),
    h("p", { text: say("intro") }),
    h("p", { className: "portal-letter-key-label", text: say("key_label") }),
    h("p", { className: "portal-letter-key" }, h("code", { text: letter.activation_key })),
    h("p", { text: say("key_note") }),
    h("h4", { text: say("steps_title") }),
    h("ol", null, steps),
    h("div", { className: "portal-letter-qr" }, [
      qrImage(letter.qr_svg, say("qr_alt")),
      h("p", null, h("code", { text: letter.activation_url })),
    ]),
    h("h4", { text: say("app_title") }),
    h("p", { text: say("app_text") }),
    h("p", { text: say("closing") }),
  ]);
}

/* The letters in place of the section, then the print dialog. */
function showLetters(found) {
  const back = h("button", {
    type: "button",
    className: "portal-button",
    text: t("letters_back"),
    onclick: () => app.show("letters", true),
  });
  const print = h("button", {
    type: "button",
    className: "portal-button portal-button--primary",
    text: t("letters_print"),
    onclick: () => window.print(),
  });
  const heading = h("h2", { tabindex: "-1", text: t("letters_ready", { count: found.length }) });
  clear(app.panel).appendChild(
    h("div", { className: "portal-letters-tools" }, [heading, h("p", { text: t("letters_keys_once") }), h("p", { className: "portal-actions" }, [print, back])]),
  );
  app.panel.appendChild(h("div", { className: "portal-letters" }, found.map(letterPage)));
  focusHeading(heading);
  window.print();
}

/* Issue the keys of a scope (guardian, class, school) and show their letters, or say there
 * is none to print. */
export async function issueLetters(scope, id) {
  const answer = await callOnTarget(NOT_IN_SCHOOL[scope], "POST", "/staff/activation-letters", {
    scope,
    id: scope === "school" ? "" : id,
  });
  const found = answer.letters || [];
  if (!found.length) {
    announce(t("letters_none"), false);
    return;
  }
  showLetters(found);
}

export function lettersView(body) {
  body.appendChild(h("p", { text: t("letters_intro") }));
  const flow = boxFlow(body, "letters");
  const scope = field({
    name: "scope",
    label: t("letters_scope"),
    choices: SCOPES.map((value) => ({ value, label: t(`letters_scope_${value}`) })),
    placeholder: t("letters_scope_choose"),
  });
  const target = field({
    name: "id",
    label: t("letters_id"),
    hint: t("letters_id_hint"),
    maxlength: 200,
    autocomplete: "off",
  });
  const toggle = () => {
    const school = scope.input.value === "school";
    target.wrap.hidden = school;
    // The school needs no ID: the required-field check skips it.
    target.input.toggleAttribute("data-optional", school);
  };
  scope.input.addEventListener("change", toggle);
  const prepare = () => issueLetters(scope.input.value, target.input.value.trim());
  flow.stepBox.appendChild(flow.form([scope.wrap, target.wrap], t("letters_prepare"), prepare, { errorControl: target.input }));
}
