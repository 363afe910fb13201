/* What the site keeps for this browser tab (sessionStorage): the login session, a message for
 * the next page, and whatever else a page wants back after a reload. */

const SESSION_KEY = "portal.session";
const FLASH_KEY = "portal.flash";

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage switched off: the pages still work, they just forget
  }
}

/* The stored value for key, or null (nothing stored, or not readable). */
export function readStored(key) {
  try {
    return JSON.parse(storage()?.getItem(key) || "null");
  } catch {
    return null;
  }
}

export function writeStored(key, value) {
  try {
    storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode without room: the page still works without it.
  }
}

function removeStored(key) {
  storage()?.removeItem(key);
}

/* The logged-in session {token, role, must_change_password}, or null. */
export function session() {
  const value = readStored(SESSION_KEY);
  return value && value.token ? value : null;
}

export function saveSession(value) {
  writeStored(SESSION_KEY, value);
}

export function clearSession() {
  removeStored(SESSION_KEY);
}

/* A message for the next page: {error: code} or {label: key}. */
export function setFlash(value) {
  writeStored(FLASH_KEY, value);
}

/* The message the previous page left, read once. */
export function takeFlash() {
  const value = readStored(FLASH_KEY);
  removeStored(FLASH_KEY);
  return value;
}
