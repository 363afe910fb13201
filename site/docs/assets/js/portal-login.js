/* Login (students/login): username → Go → password (eye button) → Go → the portal page. */
import { h, link } from "./portal-dom.js";
import { Flow, mountEach } from "./portal-flow.js";
import { nextStep } from "./portal-form-parts.js";
import { loginSteps } from "./portal-login-steps.js";
import { flashText, links, t } from "./portal-messages.js";
import { saveSession, session, takeFlash } from "./portal-session.js";

function mountLogin(root) {
  // The parents' login page (parents/login) speaks to parents: their hint, their help link.
  const parent = root.dataset.audience === "parent";
  const forgot = parent ? links.parent_forgot_password : links.forgot_password;
  const flow = new Flow(root, "login", {
    // The district's "Authentication Failed" says nothing more: the way out follows it.
    extras: { authentication_failed: () => h("p", null, link(forgot, t("forgot_password"))) },
  });
  const onAnswer = async (opened) => {
    saveSession({
      token: opened.session_token,
      role: opened.role,
      must_change_password: !!opened.must_change_password,
    });
    flow.message(t("login_done"), null, false);
    window.location.assign(links.portal);
  };
  const usernameHint = t(parent ? "username_hint_parent" : "username_hint");
  const showUsername = loginSteps(flow, { usernameHint, onAnswer });

  showUsername(false);
  const note = flashText(takeFlash());
  if (session()) {
    flow.message(t("login_done"), null, false, nextStep(links.portal, t("open_portal")));
  } else if (note) {
    // After a short wait, so screen readers announce it once the page has settled.
    window.setTimeout(() => flow.message(note, null, false), 50);
  }
}

mountEach("login", mountLogin);
