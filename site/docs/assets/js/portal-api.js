/* The API: JSON over fetch(), with the session's token when asked; every failure, the
 * network's included, arrives as one ApiError. Its address: <meta name="portal-api">. */
import { lang } from "./portal-messages.js";
import { session } from "./portal-session.js";

const apiMeta = document.querySelector('meta[name="portal-api"]');
const apiBase = apiMeta ? apiMeta.getAttribute("content").replace(/\/+$/, "") : "";

/* A failed call; data is the API's error body ({error, field, retry_after, opens_at}). */
export class ApiError extends Error {
  constructor(status, data) {
    super(data.error);
    this.name = "ApiError";
    this.status = status;
    this.data = data;
  }
}

/* The error body to show for anything a call threw: the API's, or internal_error. */
export function errorBody(error) {
  return error instanceof ApiError ? error.data : { error: "internal_error" };
}

function request(method, body, auth) {
  const headers = { Accept: "application/json", "Accept-Language": lang };
  const init = {
    method,
    headers,
    mode: "cors",
    credentials: "omit",
    cache: "no-store",
    referrerPolicy: "no-referrer",
  };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const current = auth ? session() : null;
  if (current) {
    headers.Authorization = `Bearer ${current.token}`;
  }
  return init;
}

/* Call a JSON endpoint: resolves to the answer's body, rejects with an ApiError. */
export async function api(method, path, body, { auth = false } = {}) {
  let response;
  try {
    response = await fetch(apiBase + path, request(method, body, auth));
  } catch {
    throw new ApiError(0, { error: "network_error" });
  }
  if (response.status === 204) {
    return {};
  }
  let data;
  try {
    data = (await response.json()) || {};
  } catch {
    if (response.ok) {
      return {};
    }
    // No JSON body: a proxy's or gateway's page rather than the API's answer.
    const code = response.status >= 500 ? "unavailable" : "invalid_request";
    throw new ApiError(response.status, { error: code });
  }
  if (!response.ok || data.error) {
    throw new ApiError(response.status, data);
  }
  return data;
}

/* A file from the API (a CSV export) with the session's token: resolves to its Blob. */
export async function download(path) {
  let response;
  try {
    response = await fetch(apiBase + path, request("GET", undefined, true));
  } catch {
    throw new ApiError(0, { error: "network_error" });
  }
  if (!response.ok) {
    let data = { error: response.status >= 500 ? "unavailable" : "invalid_request" };
    try {
      data = (await response.json()) || data;
    } catch {
      // No JSON body: the status says enough.
    }
    throw new ApiError(response.status, data);
  }
  return response.blob();
}
