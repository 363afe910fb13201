/* The staff login: username → password, then for school and district administrators the
 * second step (MFA): first time, a QR code to scan, a code to confirm and the ten recovery
 * codes shown once; every time after, a code from the app or one recovery code. */
import { api } from "./portal-api.js";
import { h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { Flow } from "./portal-flow.js";
import { loginSteps } from "./portal-login-steps.js";
import { flashText, t } from "./portal-messages.js";
import { saveSession, takeFlash } from "./portal-session.js";

/* The QR code the API drew (an SVG string), as an image: never parsed into the page. */
export function qrImage(svg, alt) {
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg || "")}`;
  return h("img", { className: "portal-qr", src, alt, width: "180", height: "180" });
}

/* Log in on root; onDone() once a session is saved. */
export function showStaffLogin(root, onDone) {
  // A second step left open too long: its token is spent, the login starts again.
  const startAgain = () =>
    h("p", null, h("button", { type: "button", className: "portal-button", text: t("start_again"), onclick: () => showUsername(true) }));
  const flow = new Flow(root, "staff-login", { extras: { mfa_token_invalid: startAgain } });

  const opened = (body) => {
    saveSession({
      token: body.session_token,
      role: body.role,
      must_change_password: !!body.must_change_password,
    });
    onDone();
  };

  function codeField() {
    return field({
      name: "code",
      label: t("mfa_code"),
      hint: t("mfa_code_hint"),
      autocomplete: "one-time-code",
      autocapitalize: "none",
      spellcheck: "false",
      maxlength: 32,
    });
  }

  /* Enrolled already: a 6-digit code or a recovery code. */
  function showCode(mfaToken) {
    const code = codeField();
    const check = async () => {
      const value = code.input.value.replace(/\s+/g, "");
      opened(await api("POST", "/login/mfa", { mfa_token: mfaToken, code: value }));
    };
    const form = flow.form([code.wrap], t("go"), check, {
      errorControl: code.input,
      onError: () => {
        code.input.value = "";
      },
    });
    flow.step({ title: t("mfa_step_code"), content: form, focus: true, level: "h2" });
  }

  /* First time: the QR code and its key, then the first code confirms it. */
  async function showEnroll(mfaToken) {
    const setup = await api("POST", "/login/mfa/enroll", { mfa_token: mfaToken });
    const code = codeField();
    const confirm = async () => {
      const value = code.input.value.replace(/\s+/g, "");
      const body = await api("POST", "/login/mfa/confirm", { mfa_token: mfaToken, code: value });
      showRecoveryCodes(body);
    };
    const form = flow.form([code.wrap], t("go"), confirm, { errorControl: code.input });
    flow.step({
      level: "h2",
      title: t("mfa_enroll_title"),
      focus: true,
      content: [
        h("p", { text: t("mfa_enroll_intro") }),
        h("p", null, qrImage(setup.qr_svg, t("mfa_qr_alt"))),
        h("p", { className: "portal-secret" }, [
          `${t("mfa_secret")} `,
          h("code", { text: setup.secret || "" }),
        ]),
        form,
      ],
    });
  }

  /* The ten recovery codes, shown this once; the session opens when they are put away. */
  function showRecoveryCodes(body) {
    const list = h(
      "ol",
      { className: "portal-recovery-codes" },
      (body.recovery_codes || []).map((item) => h("li", null, h("code", { text: item }))),
    );
    const done = h("button", {
      type: "button",
      className: "portal-button portal-button--primary",
      text: t("recovery_done"),
      onclick: () => opened(body),
    });
    flow.step({
      level: "h2",
      title: t("recovery_title"),
      focus: true,
      content: [h("p", { text: t("recovery_intro") }), list, h("p", null, done)],
    });
  }

  // The page has no other heading under its title: the steps' headings are h2.
  const showUsername = loginSteps(flow, {
    level: "h2",
    onAnswer: async (body) => {
      if (!body.mfa_required) {
        opened(body);
      } else if (body.enrolled) {
        showCode(body.mfa_token);
      } else {
        await showEnroll(body.mfa_token);
      }
    },
  });
  showUsername(false);
  const note = flashText(takeFlash());
  if (note) {
    // After a short wait, so screen readers announce it once the page has settled.
    window.setTimeout(() => flow.message(note, null, false), 50);
  }
}
