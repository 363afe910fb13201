/* The portal page's calendar view: one month of a student's days with something on them, and
 * buttons to the previous and next months. */
import {
  app,
  attendanceLabel,
  attendanceStatus,
  load,
  nothing,
  studentPath,
} from "./portal-app-ui.js";
import { clear, focusHeading, h } from "./portal-dom.js";
import { formatDay, lang, t } from "./portal-messages.js";

function pad(number) {
  return String(number).padStart(2, "0");
}

/* The first and last days of month as "2026-11-01" and "2026-11-30". */
function monthRange(month) {
  const year = month.getUTCFullYear();
  const index = month.getUTCMonth();
  const last = new Date(Date.UTC(year, index + 1, 0)).getUTCDate();
  const prefix = `${year}-${pad(index + 1)}-`;
  return { from: `${prefix}01`, to: prefix + pad(last) };
}

function eventText(event) {
  const title = event.title || "";
  if (event.kind === "assignment_due") {
    return t("event_assignment_due", { title });
  }
  if (event.kind === "term_start") {
    return t("event_term_start", { title });
  }
  if (event.kind === "term_end") {
    return t("event_term_end", { title });
  }
  if (event.kind === "attendance") {
    return t("event_attendance", { status: t(`status_${attendanceStatus(event.status)}`) });
  }
  return title;
}

function eventItem(event) {
  const isAttendance = event.kind === "attendance";
  return h("li", { className: `portal-event portal-event--${event.kind}` }, [
    isAttendance ? attendanceLabel(event.status) : null,
    isAttendance ? " " : null,
    eventText(event),
    event.class_title ? ` — ${event.class_title}` : "",
  ]);
}

function renderDays(box, data) {
  const withEvents = (data.days || []).filter((d) => (d.events || []).length);
  if (!withEvents.length) {
    box.appendChild(nothing(t("no_events")));
    return;
  }
  const items = withEvents.map((d) =>
    h("li", null, [
      h("strong", { text: formatDay(d.date, { weekday: "long", year: undefined }) }),
      h("ul", null, d.events.map(eventItem)),
    ]),
  );
  box.appendChild(h("ul", { className: "portal-calendar" }, items));
}

export function calendarView(body, view) {
  if (!app.month) {
    const now = new Date();
    app.month = new Date(Date.UTC(now.getFullYear(), now.getMonth(), 1));
  }
  const range = monthRange(app.month);
  const monthName = new Intl.DateTimeFormat(lang, {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(app.month);
  // Another month: drawn afresh, its name taking the focus so it is read out.
  const move = (delta) => {
    app.month = new Date(Date.UTC(app.month.getUTCFullYear(), app.month.getUTCMonth() + delta, 1));
    app.live.textContent = "";
    calendarView(body, view);
    focusHeading(body.querySelector(".portal-month"));
  };
  clear(body);
  body.appendChild(
    h("div", { className: "portal-month-nav" }, [
      h("button", {
        type: "button",
        className: "portal-button",
        text: t("previous_month"),
        onclick: () => move(-1),
      }),
      h("h3", { className: "portal-month", text: monthName }),
      h("button", {
        type: "button",
        className: "portal-button",
        text: t("next_month"),
        onclick: () => move(1),
      }),
    ]),
  );
  const days = h("div", { className: "portal-days" }, h("p", { text: t("working") }));
  body.appendChild(days);
  load(days, view, studentPath(`/calendar?from=${range.from}&to=${range.to}`), renderDays);
}
