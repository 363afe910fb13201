/* "Audit trail": every staff action (who, role, school, action, target, result, when, from
 * which address). A school admin sees their school's, a district admin every school's, filtered
 * by staff member, school, action and dates, and downloaded as CSV with the same filters. */
import { download } from "./portal-api.js";
import { moment, nothing, table } from "./portal-app-ui.js";
import { call } from "./portal-app-call.js";
import { clear, h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { t } from "./portal-messages.js";
import { actionButton, boxFlow, queryString } from "./portal-staff-ui.js";

const FILTERS = ["staff", "school", "action", "from", "to"];

function entryRows(entries) {
  return entries.map((entry) => [
    moment(entry.at),
    `${entry.staff || ""}${entry.role ? ` (${t(`role_${entry.role}`)})` : ""}`,
    entry.school || "—",
    entry.action || "",
    entry.target || "",
    entry.result || "",
    entry.ip || "",
  ]);
}

/* Save a Blob under a file name, as a download. */
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const anchor = h("a", { href: url, download: name, hidden: true });
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function auditView(body, me) {
  const flow = boxFlow(body, "audit");
  const fields = {};
  for (const name of FILTERS) {
    if (name === "school" && me.staff_role !== "district_admin") {
      continue; // a school admin sees their own school only
    }
    const date = name === "from" || name === "to";
    fields[name] = field({
      name,
      label: t(`audit_${name}`),
      type: date ? "date" : "text",
      maxlength: 100,
      autocomplete: "off",
    });
    fields[name].input.setAttribute("data-optional", "true");
  }
  const filters = () =>
    queryString(Object.fromEntries(Object.entries(fields).map(([n, f]) => [n, f.input.value.trim()])));
  const results = h("div", { className: "portal-staff-list" });
  const show = async () => {
    const data = await call("GET", `/staff/audit${filters()}`);
    const entries = data.entries || [];
    const headers = ["at", "staff", "school", "action", "target", "result", "ip"].map((k) => t(`audit_col_${k}`));
    clear(results).appendChild(
      entries.length ? table(t("tab_audit"), headers, entryRows(entries)) : nothing(t("no_match")),
    );
  };
  // actionButton says why when the download fails.
  const csv = actionButton(t("audit_csv"), async () => save(await download(`/staff/audit.csv${filters()}`), "audit.csv"), { data: "csv" });
  const form = flow.form(Object.values(fields).map((f) => f.wrap), t("audit_show"), show, { extraButton: csv });
  form.classList.add("portal-audit-filters");
  flow.stepBox.appendChild(form);
  body.appendChild(results);
  const first = async () => {
    try {
      await show();
    } catch (error) {
      flow.fail(error);
    }
  };
  first();
}
