/* Shared by the site's forms: messages, API calls, session, DOM and accessibility helpers.
 * Plain ES2019, no framework, no inline script (the page's CSP allows only 'self').
 * The texts come from <script type="application/json" id="portal-messages"> (added by
 * site/hooks/portal_i18n.py in the page's language); the API address from
 * <meta name="portal-api"> (main.html). */
(function () {
  "use strict";

  var SESSION_KEY = "portal.session";
  var FLASH_KEY = "portal.flash";
  var hasOwn = Object.prototype.hasOwnProperty;

  function readMessages() {
    var node = document.getElementById("portal-messages");
    var data = null;
    try {
      data = node ? JSON.parse(node.textContent) : null;
    } catch (ignored) {
      data = null;
    }
    data = data || {};
    return {
      lang: data.lang || document.documentElement.lang || "en",
      errors: data.errors || {},
      labels: data.labels || {},
      links: data.links || {}
    };
  }

  var M = readMessages();
  var lang = M.lang;
  var apiMeta = document.querySelector('meta[name="portal-api"]');
  var apiBase = apiMeta ? apiMeta.getAttribute("content").replace(/\/+$/, "") : "";

  /* Texts ------------------------------------------------------------------------------ */

  function fill(text, params) {
    return text.replace(/\{([a-z_]+)\}/g, function (whole, name) {
      return params && hasOwn.call(params, name) ? String(params[name]) : whole;
    });
  }

  function t(key, params) {
    var text = M.labels[key];
    return fill(typeof text === "string" ? text : key, params);
  }

  function utcDate(isoDay) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDay || "");
    return parts ? new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3])) : null;
  }

  /* A calendar date ("2026-11-24") in the page language, never shifted by the time zone. */
  function formatDay(isoDay, options) {
    var date = utcDate(isoDay);
    if (!date) {
      return isoDay || "";
    }
    var opts = Object.assign({ year: "numeric", month: "long", day: "numeric" }, options || {});
    opts.timeZone = "UTC";
    return new Intl.DateTimeFormat(lang, opts).format(date);
  }

  /* An instant (ISO 8601 with zone) in the page language and the reader's time zone. */
  function formatInstant(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) {
      return iso || "";
    }
    return new Intl.DateTimeFormat(lang, {
      year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit"
    }).format(date);
  }

  function formatWait(seconds) {
    var value = Math.max(1, Math.ceil(Number(seconds) || 1));
    var unit = "second";
    if (value >= 3600) {
      value = Math.ceil(value / 3600);
      unit = "hour";
    } else if (value >= 60) {
      value = Math.ceil(value / 60);
      unit = "minute";
    }
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: unit, unitDisplay: "long" })
        .format(value);
    } catch (ignored) {
      return value + " " + unit + (value > 1 ? "s" : "");
    }
  }

  function formatNumber(value) {
    var number = Number(value);
    return isNaN(number) ? String(value) : new Intl.NumberFormat(lang).format(number);
  }

  /* The sentence for an API error body, in the page language. */
  function errorText(data) {
    var code = data && data.error;
    var text = code && M.errors[code];
    if (typeof text !== "string") {
      text = M.errors.invalid_request || "";
    }
    return fill(text, {
      opens_at: data && data.opens_at ? formatInstant(data.opens_at) : "",
      wait: formatWait(data && data.retry_after)
    });
  }

  /* Session and flash messages -------------------------------------------------------- */

  function storage() {
    try {
      return window.sessionStorage;
    } catch (ignored) {
      return null;
    }
  }

  function session() {
    var store = storage();
    try {
      var value = store ? JSON.parse(store.getItem(SESSION_KEY) || "null") : null;
      return value && value.token ? value : null;
    } catch (ignored) {
      return null;
    }
  }

  function saveSession(value) {
    var store = storage();
    if (store) {
      store.setItem(SESSION_KEY, JSON.stringify(value));
    }
  }

  function clearSession() {
    var store = storage();
    if (store) {
      store.removeItem(SESSION_KEY);
    }
  }

  /* A message for the next page: {error: code} or {label: key}. */
  function setFlash(value) {
    var store = storage();
    if (store) {
      store.setItem(FLASH_KEY, JSON.stringify(value));
    }
  }

  function takeFlash() {
    var store = storage();
    if (!store) {
      return null;
    }
    var raw = store.getItem(FLASH_KEY);
    store.removeItem(FLASH_KEY);
    try {
      return raw ? JSON.parse(raw) : null;
    } catch (ignored) {
      return null;
    }
  }

  function flashText(flash) {
    if (!flash) {
      return "";
    }
    if (flash.error) {
      return errorText({ error: flash.error });
    }
    return flash.label && typeof M.labels[flash.label] === "string" ? t(flash.label) : "";
  }

  /* The API ----------------------------------------------------------------------------- */

  /* fetch() a JSON endpoint; resolves to {ok, status, data}; never rejects. */
  function api(method, path, body, options) {
    var opts = options || {};
    var headers = { "Accept": "application/json", "Accept-Language": lang };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (opts.auth) {
      var current = session();
      if (current) {
        headers.Authorization = "Bearer " + current.token;
      }
    }
    var init = {
      method: method,
      headers: headers,
      mode: "cors",
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer"
    };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
    }
    return fetch(apiBase + path, init).then(function (response) {
      if (response.status === 204) {
        return { ok: true, status: 204, data: {} };
      }
      return response.json().then(function (data) {
        var ok = response.ok && !(data && data.error);
        return { ok: ok, status: response.status, data: data || {} };
      }, function () {
        var code = response.status >= 500 ? "unavailable" : "invalid_request";
        return { ok: response.ok, status: response.status, data: response.ok ? {} : { error: code } };
      });
    }, function () {
      return { ok: false, status: 0, data: { error: "network_error" } };
    });
  }

  /* DOM ---------------------------------------------------------------------------------- */

  var counter = 0;

  function uid(prefix) {
    counter += 1;
    return "portal-" + prefix + "-" + counter;
  }

  function append(node, children) {
    if (children === null || children === undefined || children === false) {
      return node;
    }
    if (Array.isArray(children)) {
      children.forEach(function (child) { append(node, child); });
    } else if (typeof children === "string" || typeof children === "number") {
      node.appendChild(document.createTextNode(String(children)));
    } else {
      node.appendChild(children);
    }
    return node;
  }

  /* h("p", {className: "x", text: "…", onclick: fn, "aria-live": "polite"}, children) */
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else if (name === "className") {
        node.className = value;
      } else if (name.slice(0, 2) === "on" && typeof value === "function") {
        node.addEventListener(name.slice(2), value);
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    });
    return append(node, children);
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
    return node;
  }

  function focusHeading(heading) {
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  /* Plain text with line breaks → paragraphs; http(s) addresses become links. */
  function richText(text) {
    var fragment = document.createDocumentFragment();
    String(text || "").split(/\n{2,}/).forEach(function (block) {
      var paragraph = h("p");
      block.split("\n").forEach(function (line, index) {
        if (index > 0) {
          paragraph.appendChild(h("br"));
        }
        line.split(/(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/).forEach(function (piece, part) {
          if (part % 2 === 1) {
            paragraph.appendChild(h("a", { href: piece, rel: "noopener noreferrer", text: piece }));
          } else if (piece) {
            paragraph.appendChild(document.createTextNode(piece));
          }
        });
      });
      fragment.appendChild(paragraph);
    });
    return fragment;
  }

  var EYE_ICON = "M12 5c-5 0-9 4.5-10 7 1 2.5 5 7 10 7s9-4.5 10-7c-1-2.5-5-7-10-7zm0 11.5a4.5 " +
    "4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-7a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z";

  function eyeIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "24");
    svg.setAttribute("height", "24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", EYE_ICON);
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  /* Fields ------------------------------------------------------------------------------- */

  /* A labelled input (or select, with opts.choices) with an optional hint.
   * Returns {wrap, input}. The hint's id stays in aria-describedby (data-describedby). */
  function field(opts) {
    var id = uid(opts.name);
    var control;
    var describedBy = [];
    var hint = null;
    if (opts.hint) {
      hint = h("p", { className: "portal-hint", id: id + "-hint", text: opts.hint });
      describedBy.push(hint.id);
    }
    if (opts.choices) {
      control = h("select", { id: id, name: opts.name });
      control.appendChild(h("option", { value: "", text: opts.placeholder || t("choose_answer") }));
      opts.choices.forEach(function (choice) {
        control.appendChild(h("option", { value: choice.value, text: choice.label }));
      });
      control.value = opts.value || "";
    } else {
      control = h("input", {
        id: id,
        name: opts.name,
        type: opts.type || "text",
        autocomplete: opts.autocomplete || "off",
        inputmode: opts.inputmode,
        maxlength: opts.maxlength,
        autocapitalize: opts.autocapitalize,
        spellcheck: opts.spellcheck
      });
      control.value = opts.value || "";
    }
    if (opts.questionId) {
      control.setAttribute("data-question-id", String(opts.questionId));
    }
    control.setAttribute("data-describedby", describedBy.join(" "));
    if (describedBy.length) {
      control.setAttribute("aria-describedby", describedBy.join(" "));
    }
    var label = h("label", { "for": id, text: opts.label });
    var inner = control;
    if (opts.type === "password") {
      inner = h("div", { className: "portal-password" }, [control, eyeButton(control)]);
    }
    var wrap = h("div", { className: "portal-field" }, [label, hint, inner]);
    return { wrap: wrap, input: control };
  }

  /* The eye button: shows what was typed (aria-pressed tells whether it is shown). */
  function eyeButton(input) {
    var button = h("button", {
      type: "button",
      className: "portal-eye",
      "aria-pressed": "false",
      "aria-label": t("show_password"),
      "aria-controls": input.id,
      title: t("show_password")
    }, eyeIcon());
    button.addEventListener("click", function () {
      var shown = input.type === "password";
      input.type = shown ? "text" : "password";
      button.setAttribute("aria-pressed", shown ? "true" : "false");
      button.setAttribute("title", shown ? t("hide_password") : t("show_password"));
    });
    return button;
  }

  /* Flows: one live region per mounted form, steps rendered one at a time --------------- */

  function Flow(root, name) {
    this.root = root;
    this.name = name;
    this.busy = false;
    this.stepBox = h("div", { className: "portal-step-box" });
    this.live = h("div", {
      className: "portal-alert",
      id: uid(name + "-alert"),
      "aria-live": "polite",
      "aria-atomic": "true"
    });
    clear(root);
    root.classList.add("portal-ready");
    root.appendChild(this.stepBox);
    root.appendChild(this.live);
  }

  /* Replace the step: heading (focused when focus is true), optional progress, then content. */
  Flow.prototype.step = function (options) {
    var headingId = uid(this.name + "-heading");
    var heading = h(options.level || "h3", {
      id: headingId, className: "portal-step-heading", tabindex: "-1", text: options.title
    });
    var section = h("section", { className: "portal-step", "aria-labelledby": headingId });
    if (options.progress) {
      section.appendChild(h("p", {
        className: "portal-progress",
        text: t("step_of", { n: options.progress[0], total: options.progress[1] })
      }));
    }
    section.appendChild(heading);
    append(section, options.content);
    clear(this.stepBox).appendChild(section);
    this.clearMessage();
    if (options.focus) {
      focusHeading(heading);
    }
    return section;
  };

  /* A <form novalidate> whose submit calls onSubmit(form) once at a time. */
  Flow.prototype.form = function (children, submitLabel, onSubmit, extraButtons) {
    var flow = this;
    var form = h("form", { className: "portal-step-form", novalidate: true });
    append(form, children);
    var actions = h("div", { className: "portal-actions" }, [
      h("button", { type: "submit", className: "portal-button portal-button--primary", text: submitLabel }),
      extraButtons || null
    ]);
    form.appendChild(actions);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (flow.busy) {
        return;
      }
      flow.clearMessage();
      if (!flow.checkRequired(form)) {
        return;
      }
      flow.busy = true;
      form.setAttribute("aria-busy", "true");
      Promise.resolve(onSubmit(form)).then(function () {
        flow.busy = false;
        form.removeAttribute("aria-busy");
      }, function () {
        flow.busy = false;
        form.removeAttribute("aria-busy");
        flow.error({ error: "internal_error" });
      });
    });
    return form;
  };

  /* Every visible input and select must have a value; the first empty one gets the message. */
  Flow.prototype.checkRequired = function (form) {
    var controls = form.querySelectorAll("input:not([type=hidden]):not([data-optional]), select");
    for (var i = 0; i < controls.length; i += 1) {
      if (!String(controls[i].value || "").trim()) {
        this.message(t("required"), controls[i], true);
        return false;
      }
    }
    return true;
  };

  Flow.prototype.clearMessage = function () {
    this.live.textContent = "";
    this.live.classList.remove("portal-alert--error", "portal-alert--ok");
    var marked = this.root.querySelectorAll("[aria-invalid]");
    for (var i = 0; i < marked.length; i += 1) {
      marked[i].removeAttribute("aria-invalid");
      var base = marked[i].getAttribute("data-describedby");
      if (base) {
        marked[i].setAttribute("aria-describedby", base);
      } else {
        marked[i].removeAttribute("aria-describedby");
      }
    }
  };

  /* Show text in the live region; link it to control (aria-describedby) and focus it. */
  Flow.prototype.message = function (text, control, isError, extra) {
    this.clearMessage();
    this.live.classList.add(isError ? "portal-alert--error" : "portal-alert--ok");
    append(this.live, h("p", { text: text }));
    append(this.live, extra || null);
    if (control) {
      var base = control.getAttribute("data-describedby");
      if (isError) {
        control.setAttribute("aria-invalid", "true");
      }
      control.setAttribute("aria-describedby", (base ? base + " " : "") + this.live.id);
      control.focus();
    }
  };

  /* An API error: the sentence in the page language, on the field it names (or fallback). */
  Flow.prototype.error = function (data, fallbackControl, extra) {
    var control = null;
    var fieldName = data && data.field;
    if (fieldName) {
      var match = /^question_(\d+)$/.exec(fieldName);
      control = this.root.querySelector(match
        ? '[data-question-id="' + match[1] + '"]'
        : '[name="' + String(fieldName).replace(/[^a-z_]/gi, "") + '"]');
    }
    this.message(errorText(data), control || fallbackControl || null, true, extra);
  };

  window.Portal = {
    lang: lang,
    links: M.links,
    t: t,
    errorText: errorText,
    formatDay: formatDay,
    formatInstant: formatInstant,
    formatNumber: formatNumber,
    api: api,
    session: session,
    saveSession: saveSession,
    clearSession: clearSession,
    setFlash: setFlash,
    takeFlash: takeFlash,
    flashText: flashText,
    h: h,
    clear: clear,
    uid: uid,
    focusHeading: focusHeading,
    richText: richText,
    field: field,
    Flow: Flow,
    hasMessage: function (key) { return typeof M.labels[key] === "string"; }
  };
}());
