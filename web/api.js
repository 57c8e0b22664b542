// Every call the console makes: the public /v1 API with the admin key from sessionStorage, and
// Roster's own /roster/ routes. Nothing else is fetched, from here or from anywhere.

const KEY_STORAGE = 'roster.adminKey';

export function getKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setKey(key) {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function clearKey() {
  sessionStorage.removeItem(KEY_STORAGE);
}

// An error envelope from the API ({error: {message, type, param, code}}), or a network failure.
export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `The server answered ${status}.`);
    this.status = status;
    this.code = error.code || null;
    this.param = error.param || null;
    this.type = error.type || null;
  }
}

// Listeners told when the key stops working (401), so the app can sign out.
const unauthorizedListeners = new Set();
export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
}

// `query` values may be arrays (sent as `name[]=v`, as the SDKs do) or scalars; empty ones are
// left out.
export function buildPath(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(`${name}[]`, item);
    } else {
      params.append(name, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(method, url, { body, key } = {}) {
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { error: { message: 'Roster could not be reached. Check that the server is running.' } });
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

// A call to /v1 with the signed-in key. `path` starts after /v1.
export async function v1(method, path, { query, body, key } = {}) {
  const useKey = key || getKey();
  try {
    return await send(method, buildPath(`/v1${path}`, query), { body, key: useKey });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && !key) {
      for (const listener of unauthorizedListeners) listener(error);
    }
    throw error;
  }
}

// Roster's own routes outside /v1 (invite acceptance needs no key; the others take it).
export function roster(method, path, { body, withKey = false } = {}) {
  return send(method, `/roster${path}`, { body, key: withKey ? getKey() : undefined });
}

// Every item of a list endpoint, following its cursors. `cursorOf(page)` names the next `after`.
export async function listAll(path, { query = {}, limit = 100, onPage } = {}) {
  const items = [];
  let after;
  for (;;) {
    const page = await v1('GET', path, { query: { ...query, limit, after } });
    items.push(...page.data);
    if (onPage) onPage(items.length);
    const next = page.next ?? page.last_id;
    if (!page.has_more || !next) return items;
    after = next;
  }
}

const enc = encodeURIComponent;
export { enc };
