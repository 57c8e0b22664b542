// The stand-in mode through the official SDK: `roster serve --ephemeral --seed FILE
// --test-controls`, fixed ids from the fixture, snapshots and reset, the settable clock driving
// invite and key expiry, injected faults the SDK retries through, and the operations routes
// (healthz, readyz, metrics, one JSON log line per request).
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { NotFoundError, RateLimitError, AuthenticationError } from 'openai';

import { startRoster } from './lib/roster.mjs';
import { collect, expectAPIError, REQUEST_ID_RE } from './lib/shapes.mjs';

const OWNER_KEY = 'sk-admin-fixture-owner-0123456789abcdef';
const SHORT_KEY = 'sk-admin-fixture-short-0123456789abcdef';
const T0 = 1_900_000_000;

const FIXTURE = {
  organizations: [
    {
      id: 'org-acme',
      name: 'Acme',
      members: [
        { id: 'user-alice', email: 'alice@acme.test', name: 'Alice', role: 'owner' },
        { id: 'user-bob', email: 'bob@acme.test', name: 'Bob', role: 'reader' },
      ],
      roles: [
        { id: 'role_auditor', name: 'Auditor', description: 'Reads the log',
          permissions: ['api.audit_logs.read'], users: ['user-bob'] },
      ],
      groups: [{ id: 'group_eng', name: 'Engineering', users: ['user-bob'], roles: ['role_auditor'] }],
      invites: [
        { id: 'invite-carol', email: 'carol@acme.test', role: 'reader',
          token: 'fixture-invite-token-carol', expires_at: T0 + 3600 },
      ],
      keys: [
        { id: 'key_owner', name: 'ci', owner: 'user-alice', value: OWNER_KEY },
        { id: 'key_short', name: 'short', owner: 'user-alice', value: SHORT_KEY, expires_at: T0 + 60 },
      ],
    },
  ],
};

describe('stand-in mode', () => {
  let rs;
  let dir;
  let org;
  let startupMs;

  const control = async (method, urlPath, body) => {
    const res = await rs.raw(method, urlPath, { key: null, body });
    assert.equal(res.status, 200, `${method} ${urlPath}: ${res.text}`);
    return res.json;
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'roster-stand-in-'));
    const fixture = path.join(dir, 'fixture.json');
    writeFileSync(fixture, JSON.stringify(FIXTURE));
    const started = process.hrtime.bigint();
    rs = await startRoster({ serveArgs: ['--ephemeral', '--seed', fixture, '--test-controls'] });
    startupMs = Number(process.hrtime.bigint() - started) / 1e6;
    org = rs.client(OWNER_KEY).admin.organization;
    // Everything below runs at a known time.
    await control('POST', '/roster/test/clock', { now: T0 });
  });

  after(async () => {
    if (rs) await rs.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('starts from the fixture, with its ids and key values', async () => {
    // Reported for the docs' "ready in under 100 ms" (process start to listening line, including
    // the fixture); not asserted, timing must not decide a test.
    console.log(`# stand-in startup: ${startupMs.toFixed(1)} ms`);
    const users = await collect(org.users.list());
    assert.deepEqual(users.map((u) => u.id), ['user-alice', 'user-bob']);
    assert.equal((await org.roles.retrieve('role_auditor')).name, 'Auditor');
    assert.equal((await org.groups.retrieve('group_eng')).name, 'Engineering');
    const bobRoles = await collect(org.users.roles.list('user-bob'));
    assert.ok(bobRoles.some((r) => r.id === 'role_auditor'), JSON.stringify(bobRoles));
    assert.equal((await org.invites.retrieve('invite-carol')).status, 'pending');
    assert.equal((await org.adminAPIKeys.retrieve('key_short')).name, 'short');
    const invite = await rs.raw('GET', '/roster/invites/fixture-invite-token-carol', { key: null });
    assert.equal(invite.status, 200, invite.text);
  });

  test('snapshots and reset put the whole state back', async () => {
    await control('POST', '/roster/test/snapshots/clean');
    const role = await org.roles.create({ role_name: 'Temp', permissions: ['api.groups.read'] });
    assert.equal((await org.roles.retrieve(role.id)).name, 'Temp');
    await control('POST', '/roster/test/snapshots/clean/restore');
    await expectAPIError(org.roles.retrieve(role.id), NotFoundError, { status: 404 }, 'after restore');

    await org.groups.create({ name: 'Later' });
    await control('POST', '/roster/test/reset');
    const groups = await collect(org.groups.list());
    assert.deepEqual(groups.map((g) => g.id), ['group_eng']);
    await control('POST', '/roster/test/clock', { now: T0 });
  });

  test('the settable clock drives invite and key expiry', async () => {
    const shortClient = rs.client(SHORT_KEY).admin.organization;
    assert.equal((await collect(shortClient.users.list())).length, 2);
    await control('POST', '/roster/test/clock', { advance_seconds: 3600 });
    assert.equal((await org.invites.retrieve('invite-carol')).status, 'expired');
    await expectAPIError(shortClient.users.list(), AuthenticationError,
      { status: 401, code: 'invalid_api_key' },
      'expired key');
    await control('POST', '/roster/test/clock', { now: T0 });
    assert.equal((await org.invites.retrieve('invite-carol')).status, 'pending');
  });

  test('the SDK retries through injected 429s and 500s', async () => {
    const requests = [];
    const retrying = rs.client(OWNER_KEY, {
      maxRetries: 3,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        requests.push(res.status);
        return res;
      },
    }).admin.organization;
    await control('POST', '/roster/test/faults', { method: 'GET', route: '/v1/organization/users',
      status: 429, retry_after_ms: 10, count: 2 });
    const users = await collect(retrying.users.list());
    assert.equal(users.length, 2);
    assert.deepEqual(requests, [429, 429, 200]);

    requests.length = 0;
    await control('POST', '/roster/test/faults', { method: 'GET',
      route: '/v1/organization/roles/{role_id}', status: 500, count: 1 });
    assert.equal((await retrying.roles.retrieve('role_auditor')).id, 'role_auditor');
    assert.deepEqual(requests, [500, 200]);

    // Without retries the 429 reaches the caller, with the SDK's error class.
    await control('POST', '/roster/test/faults', { method: 'GET', route: '/v1/organization/users',
      status: 429, retry_after_ms: 10, count: 1 });
    await expectAPIError(org.users.list(), RateLimitError, { status: 429, type: 'requests', code: 'rate_limit_exceeded' },
      'no retries');
    assert.deepEqual((await control('GET', '/roster/test/faults')).data, []);
  });

  test('health, readiness and metrics answer without a key', async () => {
    assert.deepEqual((await rs.raw('GET', '/healthz', { key: null })).json, { status: 'ok' });
    assert.deepEqual((await rs.raw('GET', '/readyz', { key: null })).json, { status: 'ready' });
    const metrics = await rs.raw('GET', '/metrics', { key: null });
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    assert.match(metrics.text,
      /^roster_http_requests_total\{route="\/v1\/organization\/users",method="GET",status="429"\} 3$/m);
    assert.match(metrics.text, /^roster_store_operation_duration_seconds_count\{operation="list_members"\} \d+$/m);
    assert.match(metrics.text, /^roster_open_connections \d+$/m);
  });

  test('one JSON log line per request on stderr, without secrets', async () => {
    const res = await rs.raw('GET', '/v1/organization/users?limit=1', { key: OWNER_KEY });
    const id = res.headers.get('x-request-id');
    assert.match(id, REQUEST_ID_RE);
    // Written before the response, but the pipe may deliver it to this process a little later.
    const deadline = Date.now() + 5000;
    while (!rs.stderr.includes(id) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const line = rs.stderr.split('\n').find((l) => l.includes(id));
    assert.ok(line, `a log line names ${id}`);
    const record = JSON.parse(line);
    assert.equal(record.request_id, id);
    assert.equal(record.method, 'GET');
    assert.equal(record.route, '/v1/organization/users');
    assert.equal(record.status, 200);
    assert.equal(record.org_id, 'org-acme');
    assert.equal(record.key_id, 'key_owner');
    assert.equal(typeof record.duration_ms, 'number');
    assert.match(record.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(!rs.stderr.includes(OWNER_KEY), 'no key value in the log');
    assert.ok(!rs.stderr.includes('fixture-invite-token-carol'), 'no invite token in the log');
  });
});

describe('without --test-controls', () => {
  let rs;
  before(async () => {
    rs = await startRoster({ serveArgs: ['--ephemeral'] });
  });
  after(async () => {
    if (rs) await rs.stop();
  });

  test('the test routes are unknown URLs and the bootstrap key works', async () => {
    const res = await rs.raw('POST', '/roster/test/reset', { key: null });
    assert.equal(res.status, 404);
    assert.equal(res.json.error.message, 'Invalid URL (POST /roster/test/reset)');
    const users = await collect(rs.client().admin.organization.users.list());
    assert.equal(users.length, 1);
  });
});
