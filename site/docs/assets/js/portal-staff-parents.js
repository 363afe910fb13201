/* School admin: find a parent of the school (username or name), see the account's state, and
 * "Reactivate" a disabled account or "Set a temporary password" (shown once, changed at the
 * parent's next login). */
import { call } from "./portal-app-call.js";
import { announce, badge, nothing, table } from "./portal-app-ui.js";
import { clear, h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { t } from "./portal-messages.js";
import { issueLetters } from "./portal-staff-letters.js";
import { actionButton, callOnTarget, queryString, searchBox, shownOnce } from "./portal-staff-ui.js";

const STATES = ["never_activated", "active", "disabled", "temporary_password"];
const BADGES = { active: "ok", disabled: "unexcused", temporary_password: "late" };

function stateBadge(state) {
  const known = STATES.includes(state) ? state : "never_activated";
  return badge(BADGES[known] || "exempt", t(`parent_state_${known}`));
}

/* The actions the account's state allows. */
function actions(parent, secretBox, again) {
  if (!parent.username) {
    // No account yet: the guardian's activation letter, one click away.
    const letter = () => issueLetters("guardian", parent.guardian_id);
    return actionButton(t("letters_for_parent"), letter, { data: "letter" });
  }
  const path = `/staff/parents/${encodeURIComponent(parent.username)}`;
  const buttons = [];
  if (parent.state === "disabled") {
    const reactivate = async () => {
      await callOnTarget("parent_not_in_school", "POST", `${path}/reactivate`);
      announce(t("parent_reactivated", { name: parent.name }), false);
      await again();
    };
    buttons.push(actionButton(t("reactivate"), reactivate, { primary: true, data: "reactivate" }));
  }
  const temporary = async () => {
    const answer = await callOnTarget("parent_not_in_school", "POST", `${path}/temporary-password`);
    await again();
    const intro = t("temporary_password_for", { name: parent.name });
    clear(secretBox).appendChild(shownOnce(intro, answer.temporary_password));
  };
  buttons.push(actionButton(t("set_temporary_password"), temporary, { data: "temporary" }));
  return h("div", { className: "portal-actions" }, buttons);
}

/* A district admin belongs to no school: the API searches the one they name. */
function schoolField(me) {
  if (me.staff_role !== "district_admin") {
    return null;
  }
  const hint = t("staff_school_hint");
  return field({ name: "school", label: t("staff_school"), hint, maxlength: 200, autocomplete: "off" });
}

export function parentsView(body, me) {
  const secretBox = h("div");
  const school = schoolField(me);
  let last = "";
  const search = searchBox(body, {
    name: "parent-search",
    label: t("find_parent"),
    hint: t("find_parent_hint"),
    fields: school ? [school] : [],
    onSearch: async (q, results) => {
      last = q;
      clear(secretBox);
      await draw(q, results);
    },
  });
  const again = () => draw(last, search.results);
  async function draw(q, results) {
    const where = school ? school.input.value.trim() : "";
    const data = await call("GET", `/staff/parents${queryString({ q, school: where })}`);
    const parents = data.parents || [];
    const headers = [t("parent"), t("username"), t("parent_state"), t("students"), t("actions_col")];
    const rows = parents.map((parent) => [
      parent.name,
      parent.username || "—",
      stateBadge(parent.state),
      (parent.students || []).join(", "),
      actions(parent, secretBox, again),
    ]);
    clear(results).appendChild(
      rows.length ? table(t("parents_found"), headers, rows) : nothing(t("no_match")),
    );
  }
  body.appendChild(secretBox);
}
