/* The staff home: who is logged in and Log Off, one button per section the role may open,
 * and the section shown under them. A reload comes back to the same section. */
import { logOff } from "./portal-app-call.js";
import { app } from "./portal-app-ui.js";
import { clear, focusHeading, h, liveAlert, uid } from "./portal-dom.js";
import { t } from "./portal-messages.js";
import { readStored, writeStored } from "./portal-session.js";
import { auditView } from "./portal-staff-audit.js";
import { accountsView, newYearView } from "./portal-staff-district.js";
import { lettersView } from "./portal-staff-letters.js";
import { parentsView } from "./portal-staff-parents.js";
import { ROLES } from "./portal-staff-roles.js";
import { fileTicketView, ticketsView } from "./portal-staff-tickets.js";

const VIEW_KEY = "portal.staff.view";
/* Each section and the least role that may open it (the API checks the same). */
const SECTIONS = [
  // Tickets are a school's own work: a district admin (no school) has none of them.
  { name: "file_ticket", role: "teacher", view: fileTicketView, school: true },
  { name: "tickets", role: "technician", view: ticketsView, school: true },
  { name: "parents", role: "school_admin", view: parentsView },
  { name: "letters", role: "school_admin", view: lettersView },
  { name: "audit", role: "school_admin", view: auditView },
  { name: "accounts", role: "district_admin", view: accountsView },
  { name: "new_year", role: "district_admin", view: newYearView },
];

let tabs = [];

/* The sections the staff member may open, in order. */
export function sectionsFor(me) {
  const rank = ROLES.indexOf(me.staff_role);
  return SECTIONS.filter(
    (section) => rank >= ROLES.indexOf(section.role) && (!section.school || me.school),
  );
}

function header(me) {
  const role = ROLES.includes(me.staff_role) ? t(`role_${me.staff_role}`) : "";
  return h("header", { className: "portal-appbar" }, [
    h("div", { className: "portal-bar" }, [
      h("p", { className: "portal-hello", text: t("staff_hello", { name: me.username, role }) }),
      h("button", {
        type: "button",
        className: "portal-button",
        text: t("log_off"),
        onclick: logOff,
      }),
    ]),
  ]);
}

function sectionButtons(sections) {
  tabs = sections.map((section) =>
    h("button", {
      type: "button",
      className: "portal-tab",
      "data-view": section.name,
      text: t(`tab_${section.name}`),
      onclick: () => show(section, true),
    }),
  );
  const list = h("ul", null, tabs.map((tab) => h("li", null, tab)));
  return h("nav", { className: "portal-tabs", "aria-label": t("staff_sections") }, list);
}

/* Show a section: its button marked current, its heading (focused when asked), its content. */
function show(section, focus) {
  app.view = section.name;
  writeStored(VIEW_KEY, section.name);
  for (const tab of tabs) {
    if (tab.getAttribute("data-view") === section.name) {
      tab.setAttribute("aria-current", "true");
    } else {
      tab.removeAttribute("aria-current");
    }
  }
  const text = t(`tab_${section.name}`);
  const heading = h("h2", { id: uid("view-heading"), tabindex: "-1", text });
  const body = h("div", { className: "portal-view-body" });
  clear(app.panel).appendChild(heading);
  app.panel.appendChild(body);
  app.live.textContent = "";
  if (focus) {
    focusHeading(heading);
  }
  section.view(body, app.me);
}

export function renderStaffHome(root, me) {
  clear(root).classList.add("portal-ready");
  for (const intro of document.querySelectorAll(".portal-intro")) {
    intro.hidden = true;
  }
  app.me = me;
  const sections = sectionsFor(me);
  app.panel = h("div", { className: "portal-view" });
  app.live = liveAlert("staff-alert");
  app.show = (name, focus) => show(sections.find((s) => s.name === name) || sections[0], focus);
  root.appendChild(header(me));
  root.appendChild(sectionButtons(sections));
  root.appendChild(app.live);
  root.appendChild(app.panel);
  if (!sections.length) {
    app.panel.appendChild(h("p", { text: t("staff_nothing") }));
    return;
  }
  const wanted = sections.find((s) => s.name === readStored(VIEW_KEY));
  show(wanted || sections[0], false);
}
