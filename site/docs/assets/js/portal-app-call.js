/* The portal page's API calls, made with the session. A session that has ended goes back to
 * the login page; a password that must be changed first shows the form for it. */
import { ApiError, api } from "./portal-api.js";
import { links } from "./portal-messages.js";
import { clearSession, setFlash } from "./portal-session.js";

let passwordChangeRequired = () => {};

/* What to do when the API asks for a new password before anything else. */
export function whenPasswordChangeRequired(handler) {
  passwordChangeRequired = handler;
}

/* The session ends: back to the login page, which shows why (flash). */
export function leave(flash) {
  clearSession();
  setFlash(flash);
  window.location.assign(links.login);
}

/* api() with the session's token. Resolves to the answer's body; rejects with an ApiError,
 * except when the session is over or a password change comes first: that call never settles,
 * as the page has moved on. */
export async function call(method, path, body) {
  try {
    return await api(method, path, body, { auth: true });
  } catch (error) {
    const code = error instanceof ApiError ? error.data.error : null;
    if (code === "session_invalid") {
      leave({ error: "session_invalid" });
      return new Promise(() => {});
    }
    if (code === "password_change_required") {
      passwordChangeRequired();
      return new Promise(() => {});
    }
    throw error;
  }
}

export async function logOff() {
  try {
    await api("POST", "/logout", undefined, { auth: true });
  } catch {
    // Logged off on this device whatever the API answered.
  }
  leave({ label: "logged_off" });
}
