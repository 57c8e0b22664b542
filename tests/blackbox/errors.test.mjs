// Error envelope, SDK error classes, authentication, unknown URLs, validation, and the headers
// every response carries (checked with raw fetch).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { AuthenticationError, BadRequestError, NotFoundError } from 'openai';

import { randomAdminKey, testCleanShutdown, token, useRoster } from './lib/roster.mjs';
import {
  REQUEST_ID_RE, assertRawError, assertRawHeaders, assertUser, expectAPIError,
} from './lib/shapes.mjs';

describe('errors and headers', () => {
  const ctx = useRoster();
  const t = token();

  test('authentication: a wrong admin key → AuthenticationError 401 invalid_api_key', async () => {
    const { rs } = ctx;
    const wrong = randomAdminKey();
    const bad = rs.client(wrong).admin.organization;
    const err = await expectAPIError(bad.users.list(), AuthenticationError,
      { status: 401, code: 'invalid_api_key', messagePrefix: 'Incorrect API key provided' },
      'GET /organization/users with an unknown key');
    assert.ok(!err.error.message.includes(wrong), 'the message masks the key');
    await expectAPIError(bad.roles.create({ role_name: `Nope ${t}`, permissions: [] }),
      AuthenticationError, { status: 401, code: 'invalid_api_key' },
      'POST /organization/roles with an unknown key');
    await expectAPIError(rs.client('not-a-key').admin.organization.users.retrieve('user-x'),
      AuthenticationError, { status: 401, code: 'invalid_api_key' },
      'GET /organization/users/user-x with a malformed key');
    // Nothing was created with the wrong key.
    const roles = await ctx.org.roles.list();
    assert.ok(!roles.body.data.some((r) => r.name === `Nope ${t}`));
  });

  test('authentication: missing or non-Bearer credentials → 401, code null', async () => {
    const { rs } = ctx;
    for (const [what, headers] of [
      ['no Authorization header', {}],
      ['empty Bearer', { authorization: 'Bearer ' }],
      ['Basic scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ]) {
      const res = await rs.raw('GET', '/v1/organization/users', { key: null, headers });
      const e = assertRawError(res, { status: 401, code: null }, `GET /v1/organization/users, ${what}`);
      assert.ok(e.message.startsWith("You didn't provide an API key."),
        `${what}: message ${JSON.stringify(e.message)}`);
    }
  });

  test('OpenAI-Organization header: must match the key\'s organization', async () => {
    const { rs } = ctx;
    const orgs = (await rs.cli('orgs', 'list')).split('\n').map((l) => l.split('\t')[0]);
    assert.equal(orgs.length, 1, `one organization: ${orgs}`);
    const good = rs.client(rs.key, { organization: orgs[0] }).admin.organization;
    const page = await good.users.list();
    assert.ok(page.body.data.length >= 1, 'the matching organization header is accepted');
    const bad = rs.client(rs.key, { organization: 'org-someoneelse0000000000000' })
      .admin.organization;
    await expectAPIError(bad.users.list(), AuthenticationError,
      { status: 401, code: 'mismatched_organization' },
      'GET /organization/users with OpenAI-Organization of another organization');
  });

  test('oversized body → 413 with the JSON envelope', async () => {
    const { rs } = ctx;
    const big = JSON.stringify({ role_name: `Big ${t}`, permissions: [],
      description: 'x'.repeat(2 * 1024 * 1024) });
    const res = await rs.raw('POST', '/v1/organization/roles', { body: big });
    assertRawError(res, { status: 413, param: undefined, code: undefined },
      'POST /v1/organization/roles with a 2 MiB body');
  });

  test('unknown URL → 404 "Invalid URL (METHOD /v1/path)"', async () => {
    const { rs, client } = ctx;
    await expectAPIError(client.get('/nope'), NotFoundError,
      { status: 404, message: 'Invalid URL (GET /v1/nope)' }, 'client.get("/nope")');
    await expectAPIError(client.post('/organization/nope', { body: {} }), NotFoundError,
      { status: 404, message: 'Invalid URL (POST /v1/organization/nope)' },
      'client.post("/organization/nope")');

    const res = await rs.raw('GET', '/v1/nope');
    const e = assertRawError(res, { status: 404 }, 'GET /v1/nope');
    assert.equal(e.message, 'Invalid URL (GET /v1/nope)');
    // A known path with a method it does not support answers the same way (CONTRACT §1).
    const del = await rs.raw('DELETE', '/v1/organization/users');
    const e2 = assertRawError(del, { status: 404 }, 'DELETE /v1/organization/users');
    assert.equal(e2.message, 'Invalid URL (DELETE /v1/organization/users)');
    const put = await rs.raw('PUT', '/v1/organization/roles', { body: {} });
    const e3 = assertRawError(put, { status: 404 }, 'PUT /v1/organization/roles');
    assert.equal(e3.message, 'Invalid URL (PUT /v1/organization/roles)');
  });

  test('validation: users.list limit bounds, unknown cursor', async () => {
    const { org } = ctx;
    await expectAPIError(org.users.list({ limit: 0 }), BadRequestError,
      { status: 400, param: 'limit', code: 'integer_below_min_value' },
      'GET /organization/users?limit=0');
    await expectAPIError(org.users.list({ limit: 101 }), BadRequestError,
      { status: 400, param: 'limit', code: 'integer_above_max_value' },
      'GET /organization/users?limit=101');
    await expectAPIError(org.users.list({ limit: 5000 }), BadRequestError,
      { status: 400, param: 'limit', code: 'integer_above_max_value' },
      'GET /organization/users?limit=5000');
    // An `after` that never named a member (CONTRACT §5.4, N-1).
    await expectAPIError(org.users.list({ after: 'user-neverexisted00000000000' }), BadRequestError,
      { status: 400, param: 'after', code: 'invalid_value' },
      'GET /organization/users?after=<never existed>');
    const page = await org.users.list({ limit: 100 });
    assert.equal(page.body.object, 'list', 'limit=100 is in range');
  });

  test('validation: request bodies', async () => {
    const { org, rs } = ctx;
    const uid = await rs.addUser({ email: `val-${t}@example.com`, name: 'Validate' });
    await expectAPIError(org.users.update(uid, { role: 'admin' }), BadRequestError,
      { status: 400, param: 'role', code: 'invalid_value' },
      `POST /organization/users/${uid} {role: "admin"}`);
    await expectAPIError(org.users.update(uid, { role: 'member' }), BadRequestError,
      { status: 400, param: 'role', code: 'invalid_value' },
      `POST /organization/users/${uid} {role: "member"} (N-2: rejected)`);
    await expectAPIError(org.users.update(uid, { role: 5 }), BadRequestError,
      { status: 400, param: 'role', code: 'invalid_type' },
      `POST /organization/users/${uid} {role: 5}`);
    await expectAPIError(org.users.update(uid, { technical_level: 5 }), BadRequestError,
      { status: 400, param: 'technical_level', code: 'invalid_type' },
      `POST /organization/users/${uid} {technical_level: 5}`);
    await expectAPIError(org.users.update(uid, { nickname: 'x' }), BadRequestError,
      { status: 400, param: 'nickname', code: 'unknown_parameter' },
      `POST /organization/users/${uid} {nickname: "x"}`);
    await expectAPIError(org.roles.create({ role_name: `NoPerms ${t}` }), BadRequestError,
      { status: 400, param: 'permissions', code: 'missing_required_parameter' },
      'POST /organization/roles without permissions');

    // Malformed JSON and non-object JSON, with raw fetch.
    const notJson = await rs.raw('POST', `/v1/organization/users/${uid}`, { body: '{"role":' });
    assertRawError(notJson, { status: 400, param: null, code: null },
      `POST /v1/organization/users/${uid} with a truncated JSON body`);
    const arr = await rs.raw('POST', '/v1/organization/roles', { body: '[1,2]' });
    assertRawError(arr, { status: 400, param: null, code: 'invalid_type' },
      'POST /v1/organization/roles with a JSON array body');
    // An empty POST body is treated as {} (CONTRACT §1).
    const empty = await rs.raw('POST', `/v1/organization/users/${uid}`, { body: '' });
    assertRawHeaders(empty, `POST /v1/organization/users/${uid} with an empty body`);
    assert.equal(empty.status, 200, `empty body: ${empty.text}`);
    assertUser(empty.json, { id: uid, role: 'reader' });
  });

  test('not found: unknown ids, encoded path segments', async () => {
    const { org } = ctx;
    for (const id of ['user-doesnotexist0000000000', 'a/b', 'with space', '..x']) {
      await expectAPIError(org.users.retrieve(id), NotFoundError, { status: 404 },
        `GET /organization/users/${encodeURIComponent(id)}`);
    }
    await expectAPIError(org.users.delete('user-doesnotexist0000000000'), NotFoundError,
      { status: 404 }, 'DELETE /organization/users/<unknown>');
    await expectAPIError(org.users.update('user-doesnotexist0000000000', { role: 'owner' }),
      NotFoundError, { status: 404 }, 'POST /organization/users/<unknown>');
    await expectAPIError(org.roles.update('role_doesnotexist0000000000', {}), NotFoundError,
      { status: 404 }, 'POST /organization/roles/<unknown>');
  });

  test('every response has content-type application/json and x-request-id', async () => {
    const { rs } = ctx;
    const ids = new Set();
    const seen = (res, what) => {
      assertRawHeaders(res, what);
      const id = res.headers.get('x-request-id');
      assert.ok(!ids.has(id), `${what}: request id ${id} reused`);
      ids.add(id);
    };

    const list = await rs.raw('GET', '/v1/organization/users');
    assert.equal(list.status, 200);
    seen(list, 'GET /v1/organization/users');
    const owner = list.json.data.find((u) => u.role === 'owner');

    const one = await rs.raw('GET', `/v1/organization/users/${owner.id}`);
    assert.equal(one.status, 200);
    seen(one, 'GET /v1/organization/users/{id}');

    const created = await rs.raw('POST', '/v1/organization/roles',
      { body: { role_name: `Hdr ${t}`, permissions: ['api.roles.read'] } });
    assert.equal(created.status, 200, created.text);
    seen(created, 'POST /v1/organization/roles');

    // GET with a content-type and no body (as the spec's curl examples do) is fine.
    const withCt = await rs.raw('GET', '/v1/organization/roles',
      { headers: { 'content-type': 'application/json' } });
    assert.equal(withCt.status, 200, withCt.text);
    seen(withCt, 'GET /v1/organization/roles with content-type');

    const updated = await rs.raw('POST', `/v1/organization/roles/${created.json.id}`,
      { body: '' });
    assert.equal(updated.status, 200, updated.text);
    seen(updated, 'POST /v1/organization/roles/{id} with an empty body');
    assert.deepEqual(updated.json, created.json, 'empty update changes nothing');

    const del = await rs.raw('DELETE', `/v1/organization/roles/${created.json.id}`);
    assert.equal(del.status, 200, del.text);
    seen(del, 'DELETE /v1/organization/roles/{id}');

    for (const [what, res, status] of [
      ['401', await rs.raw('GET', '/v1/organization/users', { key: randomAdminKey() }), 401],
      ['401 no key', await rs.raw('GET', '/v1/organization/roles', { key: null }), 401],
      ['404 route', await rs.raw('GET', '/v1/nope'), 404],
      ['404 id', await rs.raw('GET', '/v1/organization/roles/role_doesnotexist0000000000'), 404],
      ['400 limit', await rs.raw('GET', '/v1/organization/users?limit=0'), 400],
      ['400 json', await rs.raw('POST', '/v1/organization/roles', { body: 'nope' }), 400],
    ]) {
      assertRawError(res, { status, param: undefined, code: undefined }, what);
      seen(res, what);
    }
    for (const id of ids) assert.match(id, REQUEST_ID_RE);
  });

  test('query encoding: emails[] and plain repeated emails are both accepted', async () => {
    const { rs } = ctx;
    const a = `Q1.${t}@example.com`;
    const b = `q2+x.${t}@example.com`;
    const ida = await rs.addUser({ email: a, name: 'Q1' });
    const idb = await rs.addUser({ email: b, name: 'Q2' });
    const enc = encodeURIComponent;
    for (const q of [
      `emails%5B%5D=${enc(a)}&emails%5B%5D=${enc(b)}`,
      `emails[]=${enc(a)}&emails[]=${enc(b)}`,
      `emails=${enc(a)}&emails=${enc(b)}`,
    ]) {
      const res = await rs.raw('GET', `/v1/organization/users?${q}`);
      assert.equal(res.status, 200, `GET /v1/organization/users?${q}: ${res.text}`);
      assert.deepEqual(res.json.data.map((u) => u.id), [ida, idb], `?${q}`);
    }
  });

  testCleanShutdown(ctx);
});
