/* The portal page (portal/index.md) after login, for parents and students: student picker,
 * schedule, attendance, grades, calendar, notices, household, access log, password, log off.
 * Mounts into <div class="portal-form" data-form="portal">. Needs portal-common.js. */
(function () {
  "use strict";

  var P = window.Portal;
  var root = document.querySelector('div.portal-form[data-form="portal"]');
  if (!P || !root) {
    return;
  }
  var t = P.t;
  var h = P.h;
  var VIEW_KEY = "portal.view";
  var STUDENT_VIEWS = ["schedule", "attendance", "grades", "calendar"];
  var ATTENDANCE = ["present", "excused", "unexcused", "tardy", "exempt", "unknown"];
  var app = { me: null, students: [], studentId: null, view: null, month: null, live: null };

  /* Session ends: back to the login page, which shows why. */
  function leave(flash) {
    P.clearSession();
    P.setFlash(flash);
    window.location.assign(P.links.login);
  }

  /* GET/POST with the session; a dead session leaves, a required password change shows the form. */
  function call(method, path, body) {
    return P.api(method, path, body, { auth: true }).then(function (result) {
      var code = result.data && result.data.error;
      if (code === "session_invalid") {
        leave({ error: "session_invalid" });
        return new Promise(function () {}); /* the page is going away */
      }
      if (code === "password_change_required") {
        showPasswordChange(true);
        return new Promise(function () {});
      }
      return result;
    });
  }

  function announce(text, isError) {
    if (!app.live) {
      return;
    }
    app.live.textContent = "";
    app.live.classList.toggle("portal-alert--error", !!isError);
    app.live.appendChild(h("p", { text: text }));
  }

  function badge(kind, text) {
    return h("span", { className: "portal-status portal-status--" + kind, text: text });
  }

  function attendanceLabel(status) {
    var key = "status_" + (ATTENDANCE.indexOf(status) >= 0 ? status : "unknown");
    return badge(ATTENDANCE.indexOf(status) >= 0 ? status : "unknown", t(key));
  }

  function table(caption, headers, rows) {
    var head = h("tr", null, headers.map(function (text) {
      return h("th", { scope: "col", text: text });
    }));
    var body = rows.map(function (cells) {
      return h("tr", null, cells.map(function (cell, index) {
        return index === 0 ? h("th", { scope: "row" }, cell) : h("td", null, cell);
      }));
    });
    /* A region that may scroll sideways on a phone: reachable and named for keyboard users. */
    return h("div", { className: "portal-table-wrap", tabindex: "0", role: "region",
      "aria-label": caption }, h("table", { className: "portal-table" }, [
      h("caption", { text: caption }), h("thead", null, head), h("tbody", null, body)
    ]));
  }

  function nothing(text) {
    return h("p", { className: "portal-empty", text: text || t("nothing_to_show") });
  }

  function day(isoDay) {
    return P.formatDay(isoDay, { weekday: "short", month: "short", year: "numeric" });
  }

  /* The logged-off page ---------------------------------------------------------------- */

  function showLoggedOut() {
    P.clear(root).classList.add("portal-ready");
    var note = P.flashText(P.takeFlash());
    root.appendChild(h("div", { className: "portal-alert", "aria-live": "polite" },
      note ? h("p", { text: note }) : null));
    root.appendChild(h("p", { text: t("not_logged_in") }));
    root.appendChild(h("p", null, h("a", {
      href: P.links.login, className: "portal-button portal-button--primary", text: t("log_in")
    })));
  }

  /* Password change (also the required one after a temporary password) ------------------ */

  function passwordForm(flow, onDone) {
    var current = P.field({
      name: "current_password", label: t("current_password"), type: "password",
      autocomplete: "current-password"
    });
    var next = P.field({
      name: "new_password", label: t("new_password"), type: "password",
      autocomplete: "new-password", hint: t("password_rules")
    });
    var again = P.field({
      name: "new_password_confirm", label: t("verify_new_password"), type: "password",
      autocomplete: "new-password"
    });
    var form = flow.form([current.wrap, next.wrap, again.wrap], t("save"), function () {
      return call("POST", "/me/password", {
        current_password: current.input.value,
        new_password: next.input.value,
        new_password_confirm: again.input.value
      }).then(function (result) {
        if (!result.ok) {
          var code = result.data.error;
          flow.error(result.data, code === "authentication_failed" ? current.input : next.input);
          return;
        }
        form.reset();
        onDone();
      });
    });
    return form;
  }

  function showPasswordChange(required) {
    var flow = new P.Flow(root, "password");
    var form = passwordForm(flow, function () {
      var current = P.session();
      if (current) {
        current.must_change_password = false;
        P.saveSession(current);
      }
      start();
    });
    flow.step({
      level: "h2", title: t("tab_change_password"), focus: true,
      content: [required ? h("p", { className: "portal-callout", text: P.errorText({
        error: "password_change_required" }) }) : null, form]
    });
  }

  /* The shell: greeting, log off, student picker, view buttons, view panel --------------- */

  function viewList() {
    var views = app.students.length ? STUDENT_VIEWS.slice() : [];
    views.push("notices");
    if (app.me && (app.me.role === "parent" || app.me.role === "student")) {
      views.push("household");
    }
    views.push("access_log", "change_password");
    return views;
  }

  function logOff() {
    P.api("POST", "/logout", undefined, { auth: true }).then(function () {
      leave({ label: "logged_off" });
    });
  }

  function studentPicker() {
    if (app.students.length === 0) {
      return nothing(t("no_students"));
    }
    if (app.students.length === 1) {
      var only = app.students[0];
      return h("p", { className: "portal-student" }, [
        h("strong", { text: only.display_name }), " — ",
        t("student_summary", { school: only.school || "", grade: only.grade || "" })
      ]);
    }
    var picker = P.field({
      name: "student",
      label: t("select_student"),
      placeholder: t("select_student"),
      choices: app.students.map(function (s) {
        return {
          value: s.student_id,
          label: s.display_name + " — " + t("student_summary", { school: s.school || "",
            grade: s.grade || "" })
        };
      }),
      value: app.studentId
    });
    picker.input.options[0].disabled = true;
    picker.input.addEventListener("change", function () {
      app.studentId = picker.input.value;
      remember();
      if (STUDENT_VIEWS.indexOf(app.view) >= 0) {
        show(app.view, false);
      }
    });
    return h("div", { className: "portal-picker" }, picker.wrap);
  }

  function remember() {
    try {
      window.sessionStorage.setItem(VIEW_KEY, JSON.stringify({
        view: app.view, student: app.studentId }));
    } catch (ignored) {
      /* private mode without storage: the page still works */
    }
  }

  function recalled() {
    try {
      return JSON.parse(window.sessionStorage.getItem(VIEW_KEY) || "null") || {};
    } catch (ignored) {
      return {};
    }
  }

  function renderShell() {
    P.clear(root).classList.add("portal-ready");
    var views = viewList();
    var nav = h("nav", { className: "portal-tabs", "aria-label": t("portal_sections") });
    var list = h("ul");
    views.forEach(function (view) {
      list.appendChild(h("li", null, h("button", {
        type: "button", className: "portal-tab", "data-view": view, text: t("tab_" + view),
        onclick: function () { show(view, true); }
      })));
    });
    nav.appendChild(list);
    app.panel = h("div", { className: "portal-view" });
    app.live = h("div", { className: "portal-alert", id: P.uid("portal-alert"),
      "aria-live": "polite", "aria-atomic": "true" });
    root.appendChild(h("div", { className: "portal-bar" }, [
      h("p", { className: "portal-hello", text: t("hello", { name: app.me.display_name ||
        app.me.username }) }),
      h("button", { type: "button", className: "portal-button", text: t("log_off"),
        onclick: logOff })
    ]));
    root.appendChild(studentPicker());
    root.appendChild(nav);
    root.appendChild(app.live);
    root.appendChild(app.panel);
    var wanted = recalled().view;
    show(views.indexOf(wanted) >= 0 ? wanted : views[0], false);
  }

  function show(view, focus) {
    app.view = view;
    remember();
    var buttons = root.querySelectorAll(".portal-tab");
    for (var i = 0; i < buttons.length; i += 1) {
      if (buttons[i].getAttribute("data-view") === view) {
        buttons[i].setAttribute("aria-current", "true");
      } else {
        buttons[i].removeAttribute("aria-current");
      }
    }
    var headingId = P.uid("view-heading");
    var heading = h("h2", { id: headingId, tabindex: "-1", text: t("tab_" + view) });
    var body = h("div", { className: "portal-view-body" }, h("p", { text: t("working") }));
    P.clear(app.panel);
    app.panel.appendChild(heading);
    app.panel.appendChild(body);
    app.live.textContent = "";
    if (focus) {
      P.focusHeading(heading);
    }
    VIEWS[view](body, view);
  }

  /* Fill body with what load() returns, or with the error in the page language. */
  function load(body, view, path, render) {
    call("GET", path).then(function (result) {
      if (app.view !== view) {
        return; /* the reader moved on */
      }
      P.clear(body);
      if (!result.ok) {
        body.appendChild(h("p", { className: "portal-error", text: P.errorText(result.data) }));
        announce(P.errorText(result.data), true);
        return;
      }
      render(body, result.data);
    });
  }

  function studentPath(suffix) {
    return "/students/" + encodeURIComponent(app.studentId) + suffix;
  }

  /* Views -------------------------------------------------------------------------------- */

  function periodOrder(a, b) {
    var na = /^\d+$/.test(a) ? Number(a) : -1;
    var nb = /^\d+$/.test(b) ? Number(b) : -1;
    return na !== nb ? na - nb : String(a).localeCompare(String(b), P.lang);
  }

  function renderSchedule(body, data) {
    var terms = data.terms || [];
    var classes = data.classes || [];
    if (!classes.length || !terms.length) {
      body.appendChild(nothing());
      return;
    }
    var periods = [];
    classes.forEach(function (cls) {
      (cls.periods || []).forEach(function (period) {
        if (periods.indexOf(period) < 0) {
          periods.push(period);
        }
      });
    });
    periods.sort(periodOrder);
    var years = data.school_year ? (data.school_year - 1) + "–" + data.school_year : "";
    var rows = periods.map(function (period) {
      return [period].concat(terms.map(function (term) {
        var here = classes.filter(function (cls) {
          return (cls.periods || []).indexOf(period) >= 0 && (cls.terms || []).indexOf(term.id) >= 0;
        });
        return here.map(function (cls) {
          return h("div", { className: "portal-class" }, [
            h("strong", { text: cls.title || cls.course_title }),
            (cls.teachers || []).length ? h("span", { text: cls.teachers.join(", ") }) : null,
            cls.room ? h("span", { text: cls.room }) : null
          ]);
        });
      }));
    });
    var headers = [t("period")].concat(terms.map(function (term) {
      return term.title + (term.start && term.end
        ? " (" + P.formatDay(term.start, { month: "short", year: undefined }) + " – " +
          P.formatDay(term.end, { month: "short", year: undefined }) + ")"
        : "");
    }));
    body.appendChild(table(t("schedule_caption", { years: years }), headers, rows));
  }

  function renderAttendance(body, data) {
    var summary = data.summary || {};
    var counts = Object.keys(summary).filter(function (status) { return summary[status] > 0; });
    if (counts.length) {
      body.appendChild(h("h3", { text: t("attendance_summary") }));
      body.appendChild(h("ul", { className: "portal-summary" }, counts.map(function (status) {
        return h("li", null, [attendanceLabel(status), " ", P.formatNumber(summary[status])]);
      })));
    }
    var entries = data.entries || [];
    if (!entries.length) {
      body.appendChild(nothing());
      return;
    }
    body.appendChild(table(t("tab_attendance"), [t("date"), t("class"), t("status")],
      entries.map(function (entry) {
        return [day(entry.date), entry.class_title || "", attendanceLabel(entry.status)];
      })));
  }

  var GRADE_STATUS = { late: "grade_late", missing: "grade_missing", pending: "grade_pending",
    scored: "grade_scored" };

  function score(assignment) {
    if (assignment.score === null || assignment.score === undefined || assignment.score === "") {
      return "—";
    }
    return t("score_value", { score: P.formatNumber(assignment.score),
      max: P.formatNumber(assignment.max_score) });
  }

  function gradeStatus(status) {
    var key = GRADE_STATUS[status];
    if (!key) {
      return "";
    }
    return status === "late" || status === "missing" ? badge(status, t(key)) : t(key);
  }

  function renderGrades(body, data) {
    var classes = data.classes || [];
    if (!classes.length) {
      body.appendChild(nothing());
      return;
    }
    classes.forEach(function (cls) {
      body.appendChild(h("h3", { text: cls.title }));
      var categories = cls.categories || [];
      if (categories.length) {
        body.appendChild(table(t("categories_caption", { class_title: cls.title }),
          [t("category"), t("weight")],
          categories.map(function (c) {
            return [c.name, c.weight === null || c.weight === undefined ? "—"
              : P.formatNumber(c.weight)];
          })));
      }
      var assignments = cls.assignments || [];
      if (!assignments.length) {
        body.appendChild(nothing());
        return;
      }
      body.appendChild(table(t("assignments_caption", { class_title: cls.title }), [
        t("assignment"), t("category"), t("assigned_date"), t("due_date"), t("score"),
        t("status"), t("comment")
      ], assignments.map(function (a) {
        return [a.title, a.category || "", a.assign_date ? day(a.assign_date) : "",
          a.due_date ? day(a.due_date) : "", score(a), gradeStatus(a.status), a.comment || ""];
      })));
    });
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function monthRange(month) {
    var year = month.getUTCFullYear();
    var index = month.getUTCMonth();
    var last = new Date(Date.UTC(year, index + 1, 0)).getUTCDate();
    var prefix = year + "-" + pad(index + 1) + "-";
    return { from: prefix + "01", to: prefix + pad(last) };
  }

  function eventText(event) {
    var title = event.title || "";
    if (event.kind === "assignment_due") {
      return t("event_assignment_due", { title: title });
    }
    if (event.kind === "term_start") {
      return t("event_term_start", { title: title });
    }
    if (event.kind === "term_end") {
      return t("event_term_end", { title: title });
    }
    if (event.kind === "attendance") {
      return t("event_attendance", { status: t("status_" + (ATTENDANCE.indexOf(event.status) >= 0
        ? event.status : "unknown")) });
    }
    return title;
  }

  function calendarView(body, view) {
    if (!app.month) {
      var now = new Date();
      app.month = new Date(Date.UTC(now.getFullYear(), now.getMonth(), 1));
    }
    var range = monthRange(app.month);
    var monthName = new Intl.DateTimeFormat(P.lang, { month: "long", year: "numeric",
      timeZone: "UTC" }).format(app.month);
    function move(delta) {
      app.month = new Date(Date.UTC(app.month.getUTCFullYear(), app.month.getUTCMonth() + delta, 1));
      show("calendar", false);
      var label = app.panel.querySelector(".portal-month");
      if (label) {
        P.focusHeading(label);
      }
    }
    P.clear(body);
    body.appendChild(h("div", { className: "portal-month-nav" }, [
      h("button", { type: "button", className: "portal-button", text: t("previous_month"),
        onclick: function () { move(-1); } }),
      h("h3", { className: "portal-month", text: monthName }),
      h("button", { type: "button", className: "portal-button", text: t("next_month"),
        onclick: function () { move(1); } })
    ]));
    var days = h("div", { className: "portal-days" }, h("p", { text: t("working") }));
    body.appendChild(days);
    load(days, view, studentPath("/calendar?from=" + range.from + "&to=" + range.to),
      function (box, data) {
        var withEvents = (data.days || []).filter(function (d) { return (d.events || []).length; });
        if (!withEvents.length) {
          box.appendChild(nothing(t("no_events")));
          return;
        }
        box.appendChild(h("ul", { className: "portal-calendar" }, withEvents.map(function (d) {
          return h("li", null, [
            h("strong", { text: P.formatDay(d.date, { weekday: "long", year: undefined }) }),
            h("ul", null, d.events.map(function (event) {
              return h("li", { className: "portal-event portal-event--" + event.kind }, [
                event.kind === "attendance" ? attendanceLabel(event.status) : null,
                event.kind === "attendance" ? " " : null,
                eventText(event),
                event.class_title ? " — " + event.class_title : ""
              ]);
            }))
          ]);
        })));
      });
  }

  function noticeItem(notice) {
    var item = h("details", { className: "portal-notice-item" });
    var isNew = !!notice.new;
    var newBadge = isNew ? badge("new", t("notice_new")) : null;
    item.appendChild(h("summary", null, [
      h("span", { className: "portal-notice-title", text: notice.title }), " ", newBadge,
      h("span", { className: "portal-notice-meta", text: [notice.date ? day(notice.date) : "",
        notice.school || ""].filter(Boolean).join(" · ") })
    ]));
    item.appendChild(h("div", { className: "portal-notice-body" }, P.richText(notice.body)));
    item.addEventListener("toggle", function () {
      if (!item.open || !isNew) {
        return;
      }
      isNew = false;
      call("POST", "/notices/" + encodeURIComponent(notice.id) + "/read", {}).then(function (r) {
        if (r.ok && newBadge && newBadge.parentNode) {
          newBadge.parentNode.removeChild(newBadge);
        } else if (!r.ok) {
          isNew = true;
        }
      });
    });
    return item;
  }

  function renderNotices(body, data) {
    [["district", "district_notices"], ["school", "school_notices"]].forEach(function (pair) {
      body.appendChild(h("h3", { text: t(pair[1]) }));
      var notices = data[pair[0]] || [];
      body.appendChild(notices.length
        ? h("div", { className: "portal-notices" }, notices.map(noticeItem))
        : nothing(t("no_notices")));
    });
  }

  function roleName(role) {
    var key = "role_" + role;
    return P.hasMessage(key) ? t(key) : role;
  }

  function renderHousehold(body, data) {
    var households = data.households || [];
    if (!households.length) {
      body.appendChild(nothing());
      return;
    }
    households.forEach(function (home, index) {
      if (households.length > 1) {
        body.appendChild(h("h3", { text: t("household_n", { n: index + 1 }) }));
      }
      body.appendChild(h("dl", { className: "portal-facts" }, [
        h("dt", { text: t("phone") }), h("dd", { text: home.phone || "—" }),
        h("dt", { text: t("primary_address") }), h("dd", { text: home.primary_address || "—" }),
        h("dt", { text: t("mailing_address") }), h("dd", { text: home.mailing_address || "—" })
      ]));
      body.appendChild(table(t("members"), [t("name"), t("role")],
        (home.members || []).map(function (m) { return [m.name, roleName(m.role)]; })));
    });
  }

  function renderAccessLog(body, data) {
    var entries = data.entries || [];
    if (!entries.length) {
      body.appendChild(nothing());
      return;
    }
    body.appendChild(table(t("tab_access_log"), [t("access_time"), t("ip_address"), t("result")],
      entries.map(function (entry) {
        return [P.formatInstant(entry.at), entry.ip || "",
          entry.success ? badge("ok", t("login_success")) : badge("failed", t("login_failure"))];
      })));
  }

  function changePasswordView(body) {
    P.clear(body);
    var flow = new P.Flow(body, "change-password");
    var form = passwordForm(flow, function () {
      flow.message(t("password_changed"), null, false);
    });
    flow.stepBox.appendChild(form);
  }

  var VIEWS = {
    schedule: function (body, view) { load(body, view, studentPath("/schedule"), renderSchedule); },
    attendance: function (body, view) {
      load(body, view, studentPath("/attendance"), renderAttendance);
    },
    grades: function (body, view) { load(body, view, studentPath("/grades"), renderGrades); },
    calendar: calendarView,
    notices: function (body, view) { load(body, view, "/notices", renderNotices); },
    household: function (body, view) { load(body, view, "/household", renderHousehold); },
    access_log: function (body, view) { load(body, view, "/me/access-log", renderAccessLog); },
    change_password: changePasswordView
  };

  /* Start: who is this, which students, then the shell ---------------------------------- */

  function start() {
    P.clear(root).classList.add("portal-ready");
    root.appendChild(h("p", { text: t("working") }));
    call("GET", "/me").then(function (me) {
      if (!me.ok) {
        P.clear(root).appendChild(h("p", { className: "portal-error", "aria-live": "polite",
          text: P.errorText(me.data) }));
        return null;
      }
      app.me = me.data;
      return call("GET", "/students").then(function (list) {
        app.students = list.ok ? (list.data.students || []) : [];
        var ids = app.students.map(function (s) { return s.student_id; });
        var wanted = recalled().student;
        app.studentId = ids.indexOf(wanted) >= 0 ? wanted : (ids[0] || null);
        renderShell();
      });
    });
  }

  var current = P.session();
  if (!current) {
    showLoggedOut();
  } else if (current.must_change_password) {
    showPasswordChange(true);
  } else {
    start();
  }
}());
