/* Reset tickets: a teacher finds a student of the school (ID or name), files a ticket with a
 * reason and follows their own tickets; a technician resolves the open ones ("Resolve": the
 * student then claims the account again) and sees the resolved ones. */
import { errorBody } from "./portal-api.js";
import { call } from "./portal-app-call.js";
import { announce, badge, load, moment, nothing, table } from "./portal-app-ui.js";
import { clear, h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { errorText, t } from "./portal-messages.js";
import { actionButton, boxFlow, callOnTarget, queryString, searchBox } from "./portal-staff-ui.js";

const who = (ticket) => ticket.student_name || ticket.student_id;
const filedAt = (ticket) => ticket.filed_at || ticket.created_at;

function statusBadge(status) {
  return status === "resolved"
    ? badge("ok", t("ticket_resolved_status"))
    : badge("late", t("ticket_open_status"));
}

/* The reason form for one student, under the results. */
function reasonForm(holder, student, refresh) {
  const flow = boxFlow(clear(holder), "ticket");
  const reason = field({
    name: "reason",
    label: t("ticket_reason"),
    hint: t("ticket_reason_hint"),
    maxlength: 200,
  });
  const file = async () => {
    await callOnTarget("student_not_in_school", "POST", "/staff/reset-tickets", {
      student_id: student.student_id,
      reason: reason.input.value.trim(),
    });
    clear(holder);
    announce(t("ticket_filed", { name: student.display_name }), false);
    await refresh();
  };
  flow.step({
    title: t("ticket_for", { name: student.display_name }),
    content: flow.form([reason.wrap], t("tab_file_ticket"), file, { errorControl: reason.input }),
    focus: true,
  });
}

function studentRows(students, holder, refresh) {
  return students.map((student) => [
    student.display_name,
    student.student_id,
    student.grade || "",
    student.claimed ? t("claimed_yes") : t("claimed_no"),
    actionButton(t("tab_file_ticket"), async () => reasonForm(holder, student, refresh), {
      data: "file",
    }),
  ]);
}

/* Teacher: find a student, file a ticket; their own tickets below. */
export function fileTicketView(body) {
  const mine = h("div", { className: "portal-staff-list" });
  const holder = h("div");
  const refresh = async () => {
    const path = (status) => `/staff/reset-tickets${queryString({ status, mine: "true" })}`;
    let tickets;
    try {
      const [opened, closed] = await Promise.all([call("GET", path("open")), call("GET", path("resolved"))]);
      tickets = [...(opened.tickets || []), ...(closed.tickets || [])];
    } catch (error) {
      const text = errorText(errorBody(error));
      clear(mine).appendChild(h("p", { className: "portal-error", text }));
      return;
    }
    clear(mine).appendChild(ticketTable(t("my_tickets"), tickets, false));
  };
  searchBox(body, {
    name: "student-search",
    label: t("find_student"),
    hint: t("find_student_hint"),
    onSearch: async (q, results) => {
      const data = await call("GET", `/staff/students${queryString({ q })}`);
      const students = data.students || [];
      const headers = [t("student"), t("student_id"), t("grade"), t("claimed"), t("actions_col")];
      clear(results).appendChild(
        students.length
          ? table(t("students_found"), headers, studentRows(students, holder, refresh))
          : nothing(t("no_match")),
      );
    },
  });
  body.appendChild(holder);
  body.appendChild(h("h3", { text: t("my_tickets") }));
  body.appendChild(mine);
  refresh();
}

/* A table of tickets; with resolve, a Resolve button on each open one. */
function ticketTable(caption, tickets, resolve, refresh) {
  if (!tickets.length) {
    return nothing(t("no_tickets"));
  }
  const headers = [t("student"), t("ticket_reason"), t("ticket_filed_at"), t("status")];
  if (resolve) {
    headers.push(t("actions_col"));
  }
  const rows = tickets.map((ticket) => {
    const cells = [
      `${who(ticket)} (${ticket.student_id})`,
      ticket.reason || "",
      moment(filedAt(ticket)),
      statusBadge(ticket.status),
    ];
    if (resolve) {
      const done = async () => {
        const path = `/staff/reset-tickets/${encodeURIComponent(ticket.ticket_id)}/resolve`;
        await callOnTarget("ticket_not_in_school", "POST", path);
        announce(t("ticket_resolved", { name: who(ticket) }), false);
        await refresh();
      };
      cells.push(actionButton(t("resolve"), done, { primary: true, data: "resolve" }));
    }
    return cells;
  });
  return table(caption, headers, rows);
}

/* Technician: the open tickets with Resolve, then the resolved ones. */
export function ticketsView(body) {
  const open = h("div", { className: "portal-staff-list" });
  const resolved = h("div", { className: "portal-staff-list" });
  const refresh = async () => {
    await load(open, "tickets", "/staff/reset-tickets?status=open", (box, data) =>
      box.appendChild(ticketTable(t("open_tickets"), data.tickets || [], true, refresh)),
    );
    await load(resolved, "tickets", "/staff/reset-tickets?status=resolved", (box, data) =>
      box.appendChild(ticketTable(t("resolved_tickets"), data.tickets || [], false)),
    );
  };
  body.appendChild(h("h3", { text: t("open_tickets") }));
  body.appendChild(open);
  body.appendChild(h("h3", { text: t("resolved_tickets") }));
  body.appendChild(resolved);
  refresh();
}
