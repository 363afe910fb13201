/* District admin: the staff accounts (add with a role and a school, disable, reset MFA) and the
 * new-school-year reset behind a typed confirmation. */
import { call } from "./portal-app-call.js";
import { announce, badge, load, nothing, table } from "./portal-app-ui.js";
import { clear, h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { t } from "./portal-messages.js";
import { ROLES } from "./portal-staff-roles.js";
import { actionButton, boxFlow, shownOnce } from "./portal-staff-ui.js";

function accountRows(accounts, redraw) {
  return accounts.map((account) => {
    const path = `/staff/accounts/${encodeURIComponent(account.username)}`;
    const buttons = [];
    if (!account.disabled) {
      const disable = async () => {
        await call("POST", `${path}/disable`);
        announce(t("account_disabled_done", { username: account.username }), false);
        await redraw();
      };
      buttons.push(actionButton(t("account_disable"), disable, { data: "disable" }));
    }
    if (account.mfa_enrolled) {
      const reset = async () => {
        await call("POST", `${path}/mfa-reset`);
        announce(t("mfa_reset_done", { username: account.username }), false);
        await redraw();
      };
      buttons.push(actionButton(t("mfa_reset"), reset, { data: "mfa-reset" }));
    }
    return [
      account.username,
      ROLES.includes(account.role) ? t(`role_${account.role}`) : account.role,
      account.school || "—",
      account.disabled ? badge("unexcused", t("account_state_disabled")) : badge("ok", t("account_state_active")),
      account.mfa_enrolled ? t("mfa_enrolled") : t("mfa_not_enrolled"),
      h("div", { className: "portal-actions" }, buttons),
    ];
  });
}

/* The form that adds an account; its temporary password is shown once. */
function addForm(body, redraw) {
  const flow = boxFlow(body, "staff-add");
  const username = field({ name: "username", label: t("username"), maxlength: 64, autocapitalize: "none", spellcheck: "false" });
  const role = field({
    name: "role",
    label: t("staff_role"),
    choices: ROLES.map((value) => ({ value, label: t(`role_${value}`) })),
    placeholder: t("staff_role_choose"),
  });
  const school = field({ name: "school", label: t("staff_school"), hint: t("staff_school_hint"), maxlength: 100 });
  const toggle = () => {
    const district = role.input.value === "district_admin";
    school.wrap.hidden = district;
    school.input.toggleAttribute("data-optional", district); // a district admin has no school
  };
  role.input.addEventListener("change", toggle);
  const secret = h("div");
  const add = async (form) => {
    const chosen = role.input.value;
    const answer = await call("POST", "/staff/accounts", {
      username: username.input.value.trim(),
      role: chosen,
      school: chosen === "district_admin" ? null : school.input.value.trim(),
    });
    form.reset();
    toggle();
    const intro = t("account_added", { username: answer.username });
    clear(secret).appendChild(shownOnce(intro, answer.temporary_password));
    await redraw();
  };
  flow.step({
    title: t("account_add"),
    content: [flow.form([username.wrap, role.wrap, school.wrap], t("account_add"), add, { errorControl: username.input }), secret],
  });
}

export function accountsView(body) {
  const list = h("div", { className: "portal-staff-list" });
  const redraw = () =>
    load(list, "accounts", "/staff/accounts", (box, data) => {
      const accounts = data.accounts || [];
      const headers = [t("username"), t("staff_role"), t("staff_school"), t("status"), t("mfa"), t("actions_col")];
      box.appendChild(
        accounts.length ? table(t("tab_accounts"), headers, accountRows(accounts, redraw)) : nothing(),
      );
    });
  body.appendChild(list);
  addForm(body, redraw);
  redraw();
}

/* A word as a US keyboard types it: accents and Vietnamese marks dropped (Đ is D). */
function plain(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/Đ/g, "D").replace(/đ/g, "d").trim();
}

/* Every student claims the account again: only once the confirmation word is typed, in
 * capitals, with or without its accents. */
export function newYearView(body) {
  body.appendChild(h("p", { className: "portal-callout", text: t("new_year_intro") }));
  const flow = boxFlow(body, "new-year");
  const word = t("new_year_word");
  const typed = field({ name: "confirm", label: t("new_year_confirm", { word }), maxlength: 40, autocomplete: "off" });
  const reset = async (form) => {
    if (plain(typed.input.value) !== plain(word)) {
      flow.message(t("new_year_mismatch", { word }), typed.input, true);
      return;
    }
    await call("POST", "/staff/students/reset-all");
    form.reset();
    flow.message(t("new_year_done"), null, false);
  };
  flow.stepBox.appendChild(flow.form([typed.wrap], t("new_year_button"), reset, { errorControl: typed.input }));
}
