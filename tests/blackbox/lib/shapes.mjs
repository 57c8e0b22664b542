// Assertions on the wire shapes of CONTRACT §3, §5 and §6, and on SDK error objects.
import assert from 'node:assert/strict';

import { APIError } from 'openai';

export const REQUEST_ID_RE = /^req_[0-9a-f]{32}$/;

const isInt = (v) => Number.isInteger(v);
const isStr = (v) => typeof v === 'string';
const isBool = (v) => typeof v === 'boolean';
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function has(obj, key, where) {
  assert.ok(
    Object.prototype.hasOwnProperty.call(obj, key),
    `${where}: key "${key}" missing in ${JSON.stringify(obj)}`,
  );
}

function check(ok, where, key, obj, what) {
  assert.ok(ok, `${where}.${key} must be ${what}, got ${JSON.stringify(obj[key])}`);
}

// CONTRACT §6.1 — all 16 fields of an organization.user.
export function assertUser(u, expected = {}, where = 'user') {
  assert.ok(isObj(u), `${where} must be an object, got ${JSON.stringify(u)}`);
  const keys = [
    'object', 'id', 'added_at', 'name', 'email', 'role', 'is_default', 'created', 'user',
    'is_service_account', 'is_scale_tier_authorized_purchaser', 'is_scim_managed',
    'api_key_last_used_at', 'technical_level', 'developer_persona', 'projects',
  ];
  for (const k of keys) has(u, k, where);
  assert.equal(u.object, 'organization.user', `${where}.object`);
  check(isStr(u.id) && u.id.length > 0, where, 'id', u, 'a non-empty string');
  check(isInt(u.added_at) && u.added_at > 0, where, 'added_at', u, 'a positive integer');
  check(u.name === null || isStr(u.name), where, 'name', u, 'string|null');
  check(u.email === null || isStr(u.email), where, 'email', u, 'string|null');
  check(u.role === 'owner' || u.role === 'reader', where, 'role', u, '"owner"|"reader"');
  assert.equal(u.is_default, false, `${where}.is_default`);
  check(isInt(u.created) && u.created > 0, where, 'created', u, 'a positive integer');
  assert.equal(u.is_service_account, false, `${where}.is_service_account`);
  check(
    u.is_scale_tier_authorized_purchaser === null || isBool(u.is_scale_tier_authorized_purchaser),
    where, 'is_scale_tier_authorized_purchaser', u, 'bool|null',
  );
  assert.equal(u.is_scim_managed, false, `${where}.is_scim_managed`);
  check(
    u.api_key_last_used_at === null || isInt(u.api_key_last_used_at),
    where, 'api_key_last_used_at', u, 'int|null',
  );
  check(u.technical_level === null || isStr(u.technical_level), where, 'technical_level', u,
    'string|null');
  check(u.developer_persona === null || isStr(u.developer_persona), where, 'developer_persona',
    u, 'string|null');

  // Nested account object.
  const a = u.user;
  assert.ok(isObj(a), `${where}.user must be an object, got ${JSON.stringify(a)}`);
  for (const k of ['object', 'id', 'email', 'name', 'picture', 'enabled', 'banned', 'banned_at']) {
    has(a, k, `${where}.user`);
  }
  assert.equal(a.object, 'user', `${where}.user.object`);
  assert.equal(a.id, u.id, `${where}.user.id is the membership id (guide §1)`);
  assert.equal(a.email, u.email, `${where}.user.email`);
  assert.equal(a.name, u.name, `${where}.user.name`);
  check(a.picture === null || isStr(a.picture), `${where}.user`, 'picture', a, 'string|null');
  check(a.enabled === null || isBool(a.enabled), `${where}.user`, 'enabled', a, 'bool|null');
  check(a.banned === null || isBool(a.banned), `${where}.user`, 'banned', a, 'bool|null');
  check(a.banned_at === null || isInt(a.banned_at), `${where}.user`, 'banned_at', a, 'int|null');

  // Projects list (N-19: a list, never null).
  const p = u.projects;
  assert.ok(isObj(p), `${where}.projects must be an object, got ${JSON.stringify(p)}`);
  assert.equal(p.object, 'list', `${where}.projects.object`);
  assert.ok(Array.isArray(p.data), `${where}.projects.data must be an array`);
  for (const [i, pr] of p.data.entries()) {
    for (const k of ['id', 'name', 'role']) has(pr, k, `${where}.projects.data[${i}]`);
    assert.ok(pr.id === null || isStr(pr.id), `${where}.projects.data[${i}].id`);
    assert.ok(pr.name === null || isStr(pr.name), `${where}.projects.data[${i}].name`);
    assert.ok([null, 'owner', 'member'].includes(pr.role), `${where}.projects.data[${i}].role`);
  }

  for (const [k, v] of Object.entries(expected)) {
    assert.deepEqual(u[k], v, `${where}.${k}`);
  }
}

// CONTRACT §6.2 — all seven fields of a role.
export function assertRole(r, expected = {}, where = 'role') {
  assert.ok(isObj(r), `${where} must be an object, got ${JSON.stringify(r)}`);
  for (const k of ['object', 'id', 'name', 'description', 'permissions', 'resource_type',
    'predefined_role']) {
    has(r, k, where);
  }
  assert.equal(r.object, 'role', `${where}.object`);
  check(isStr(r.id) && r.id.length > 0, where, 'id', r, 'a non-empty string');
  check(isStr(r.name) && r.name.length > 0, where, 'name', r, 'a non-empty string');
  check(r.description === null || isStr(r.description), where, 'description', r, 'string|null');
  check(Array.isArray(r.permissions) && r.permissions.every(isStr), where, 'permissions', r,
    'an array of strings');
  assert.equal(r.resource_type, 'api.organization', `${where}.resource_type`);
  check(isBool(r.predefined_role), where, 'predefined_role', r, 'bool');
  for (const [k, v] of Object.entries(expected)) {
    assert.deepEqual(r[k], v, `${where}.${k}`);
  }
}

// CONTRACT §6.3 — all twelve fields of an assigned role, and no `object` key.
export function assertAssignedRole(a, expected = {}, where = 'assigned role') {
  assert.ok(isObj(a), `${where} must be an object, got ${JSON.stringify(a)}`);
  for (const k of ['id', 'name', 'permissions', 'resource_type', 'predefined_role', 'description',
    'created_at', 'updated_at', 'created_by', 'created_by_user_obj', 'metadata',
    'assignment_sources']) {
    has(a, k, where);
  }
  assert.ok(!('object' in a), `${where} must have no "object" key (CONTRACT §6.3): ${JSON.stringify(a)}`);
  check(isStr(a.id) && a.id.length > 0, where, 'id', a, 'a non-empty string');
  check(isStr(a.name), where, 'name', a, 'a string');
  check(Array.isArray(a.permissions) && a.permissions.every(isStr), where, 'permissions', a,
    'an array of strings');
  assert.equal(a.resource_type, 'api.organization', `${where}.resource_type`);
  check(isBool(a.predefined_role), where, 'predefined_role', a, 'bool');
  check(a.description === null || isStr(a.description), where, 'description', a, 'string|null');
  check(a.created_at === null || isInt(a.created_at), where, 'created_at', a, 'int|null');
  check(a.updated_at === null || isInt(a.updated_at), where, 'updated_at', a, 'int|null');
  check(a.created_by === null || isStr(a.created_by), where, 'created_by', a, 'string|null');
  check(a.created_by_user_obj === null || isObj(a.created_by_user_obj), where,
    'created_by_user_obj', a, 'object|null');
  check(a.metadata === null || isObj(a.metadata), where, 'metadata', a, 'object|null');
  // §7.9: user-level lists and retrieves always emit the array.
  check(Array.isArray(a.assignment_sources), where, 'assignment_sources', a,
    'an array on user endpoints (CONTRACT §7.9)');
  for (const [i, s] of a.assignment_sources.entries()) {
    assert.ok(isStr(s.principal_id), `${where}.assignment_sources[${i}].principal_id`);
    assert.ok(isStr(s.principal_type), `${where}.assignment_sources[${i}].principal_type`);
  }
  for (const [k, v] of Object.entries(expected)) {
    assert.deepEqual(a[k], v, `${where}.${k}`);
  }
}

// The AssignedRoleDetails must describe `role` (a Role object) held directly by `userId`.
export function assertAssignedMatchesRole(a, role, userId, where = 'assigned role') {
  assertAssignedRole(a, {}, where);
  assert.equal(a.id, role.id, `${where}.id`);
  assert.equal(a.name, role.name, `${where}.name`);
  assert.deepEqual([...a.permissions].sort(), [...role.permissions].sort(),
    `${where}.permissions`);
  assert.equal(a.predefined_role, role.predefined_role, `${where}.predefined_role`);
  assert.equal(a.description, role.description, `${where}.description`);
  assert.ok(
    a.assignment_sources.some((s) => s.principal_id === userId && s.principal_type === 'user'),
    `${where}.assignment_sources must contain {principal_id: ${userId}, principal_type: "user"}, ` +
      `got ${JSON.stringify(a.assignment_sources)}`,
  );
}

// CONTRACT §5.1 — ConversationCursorPage body (users list).
export function assertConversationPage(body, where = 'page') {
  assert.ok(isObj(body), `${where} body must be an object`);
  for (const k of ['object', 'data', 'has_more', 'first_id', 'last_id']) has(body, k, where);
  assert.equal(body.object, 'list', `${where}.object`);
  assert.ok(Array.isArray(body.data), `${where}.data must be an array`);
  assert.ok(isBool(body.has_more), `${where}.has_more must be a bool`);
  if (body.data.length === 0) {
    assert.equal(body.first_id, null, `${where}.first_id on an empty page`);
    assert.equal(body.last_id, null, `${where}.last_id on an empty page`);
    assert.equal(body.has_more, false, `${where}.has_more on an empty page`);
  } else {
    assert.equal(body.first_id, body.data[0].id, `${where}.first_id`);
    assert.equal(body.last_id, body.data.at(-1).id, `${where}.last_id`);
  }
}

// CONTRACT §5.2 — NextCursorPage body (roles, user roles).
export function assertNextCursorPage(body, where = 'page') {
  assert.ok(isObj(body), `${where} body must be an object`);
  for (const k of ['object', 'data', 'has_more', 'next']) has(body, k, where);
  assert.equal(body.object, 'list', `${where}.object`);
  assert.ok(Array.isArray(body.data), `${where}.data must be an array`);
  assert.ok(isBool(body.has_more), `${where}.has_more must be a bool`);
  if (body.has_more) {
    assert.ok(body.data.length > 0, `${where}: has_more true with empty data`);
    assert.ok(isStr(body.next) && body.next.length > 0,
      `${where}.next must be a non-empty string while has_more, got ${JSON.stringify(body.next)}`);
  } else {
    assert.equal(body.next, null, `${where}.next when has_more is false`);
  }
}

// Awaits `promise`, which must reject with an SDK APIError of class `cls` and the given fields.
// `expected` keys: status, type (default invalid_request_error), param, code (both default null;
// pass undefined to skip), message (exact) or messagePrefix.
export async function expectAPIError(promise, cls, expected, what = 'request') {
  let err;
  try {
    const value = await promise;
    assert.fail(`${what}: expected ${cls.name} ${expected.status}, got success ` +
      JSON.stringify(value)?.slice(0, 500));
  } catch (e) {
    err = e;
  }
  if (err instanceof assert.AssertionError) throw err;
  const got = err instanceof APIError
    ? `${err.constructor.name} status=${err.status} body=${JSON.stringify(err.error)}`
    : String(err?.stack ?? err);
  assert.ok(err instanceof cls, `${what}: expected ${cls.name}, got ${got}`);
  const exp = { type: 'invalid_request_error', param: null, code: null, ...expected };
  assert.equal(err.status, exp.status, `${what}: status (${got})`);
  // The envelope has all four keys (§3.1).
  assert.ok(isObj(err.error), `${what}: error body must carry an "error" object (${got})`);
  for (const k of ['message', 'type', 'param', 'code']) has(err.error, k, `${what}: error`);
  assert.ok(isStr(err.error.message) && err.error.message.length > 0,
    `${what}: error.message must be a non-empty string (${got})`);
  assert.equal(err.type, exp.type, `${what}: type (${got})`);
  if (exp.param !== undefined) assert.equal(err.param, exp.param, `${what}: param (${got})`);
  if (exp.code !== undefined) assert.equal(err.code, exp.code, `${what}: code (${got})`);
  if (exp.message !== undefined) {
    assert.equal(err.error.message, exp.message, `${what}: message (${got})`);
  }
  if (exp.messagePrefix !== undefined) {
    assert.ok(err.error.message.startsWith(exp.messagePrefix),
      `${what}: message must start with ${JSON.stringify(exp.messagePrefix)} (${got})`);
  }
  assert.match(String(err.requestID), REQUEST_ID_RE, `${what}: requestID (${got})`);
  return err;
}

// Raw-fetch responses: JSON content type and a request id on every response.
export function assertRawHeaders(res, what = 'response') {
  const ct = res.headers.get('content-type') ?? '';
  assert.match(ct, /^application\/json\b/i, `${what}: content-type ${JSON.stringify(ct)}`);
  assert.match(res.headers.get('x-request-id') ?? '', REQUEST_ID_RE, `${what}: x-request-id`);
  assert.ok(res.json !== undefined, `${what}: body is not JSON: ${res.text.slice(0, 300)}`);
}

// Raw-fetch error: status and the four-key envelope.
// `param`/`code` default to null; pass them as undefined to skip the check.
export function assertRawError(res, expected, what = 'response') {
  const { status, type, param, code } = {
    type: 'invalid_request_error', param: null, code: null, ...expected,
  };
  assertRawHeaders(res, what);
  assert.equal(res.status, status, `${what}: status, body ${res.text.slice(0, 300)}`);
  const e = res.json?.error;
  assert.ok(isObj(e), `${what}: body must have an "error" object: ${res.text.slice(0, 300)}`);
  for (const k of ['message', 'type', 'param', 'code']) has(e, k, `${what}: error`);
  assert.ok(isStr(e.message) && e.message.length > 0, `${what}: error.message`);
  assert.equal(e.type, type, `${what}: error.type`);
  if (param !== undefined) assert.equal(e.param, param, `${what}: error.param`);
  if (code !== undefined) assert.equal(e.code, code, `${what}: error.code`);
  return e;
}

// Collects every item of an SDK list via `for await` auto-pagination.
export async function collect(pagePromise) {
  const out = [];
  for await (const item of pagePromise) out.push(item);
  return out;
}
