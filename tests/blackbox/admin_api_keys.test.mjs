// Admin API keys through the official SDK: every adminAPIKeys method, CursorPage paging with
// limit 1, and a revoked key failing on its very next request (CONTRACT §10.2, §5.3).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  AuthenticationError, BadRequestError, NotFoundError, PermissionDeniedError,
} from 'openai';

import { testCleanShutdown, useRoster } from './lib/roster.mjs';
import { collect, expectAPIError } from './lib/shapes.mjs';

const isInt = (v) => Number.isInteger(v);

// CONTRACT §10.2: every field of an organization.admin_api_key; `value` only when created.
function assertAdminKey(k, { created = false } = {}, where = 'admin key') {
  for (const f of ['object', 'id', 'name', 'redacted_value', 'created_at', 'expires_at',
    'last_used_at', 'owner']) {
    assert.ok(Object.hasOwn(k, f), `${where}: "${f}" missing in ${JSON.stringify(k)}`);
  }
  assert.equal(k.object, 'organization.admin_api_key', `${where}.object`);
  assert.match(k.id, /^key_/, `${where}.id`);
  assert.match(k.redacted_value, /^sk-admin\.\.\..{3}$/, `${where}.redacted_value`);
  assert.ok(isInt(k.created_at), `${where}.created_at`);
  assert.ok(k.expires_at === null || isInt(k.expires_at), `${where}.expires_at`);
  assert.ok(k.last_used_at === null || isInt(k.last_used_at), `${where}.last_used_at`);
  assert.deepEqual(Object.keys(k.owner).sort(),
    ['created_at', 'id', 'name', 'object', 'role', 'type'], `${where}.owner keys`);
  assert.equal(k.owner.type, 'user', `${where}.owner.type`);
  assert.equal(k.owner.object, 'organization.user', `${where}.owner.object`);
  assert.ok(['owner', 'reader'].includes(k.owner.role), `${where}.owner.role`);
  if (created) {
    assert.match(k.value, /^sk-admin-/, `${where}.value`);
    assert.equal(k.redacted_value, `sk-admin...${k.value.slice(-3)}`, `${where}.redacted_value`);
  } else {
    assert.ok(!Object.hasOwn(k, 'value'), `${where}: the secret must not be shown again`);
  }
}

describe('admin API keys', () => {
  const ctx = useRoster();
  let owner; // the bootstrap owner, who owns the bootstrap key
  let bootstrapKeyId;
  const made = []; // keys created by this suite, in creation order

  test('list shows the bootstrap key with its owner', async () => {
    const keys = await collect(ctx.org.adminAPIKeys.list());
    assert.equal(keys.length, 1);
    assertAdminKey(keys[0], {}, 'bootstrap key');
    bootstrapKeyId = keys[0].id;
    const users = await collect(ctx.org.users.list());
    owner = users.find((u) => u.id === keys[0].owner.id);
    assert.ok(owner, 'the key owner is a member');
    assert.equal(keys[0].owner.role, 'owner');
    assert.equal(keys[0].owner.name, owner.name);
    assert.equal(keys[0].owner.created_at, owner.added_at);
    assert.equal(keys[0].redacted_value, `sk-admin...${ctx.rs.key.slice(-3)}`);
  });

  test('create returns the secret once; the key works at once', async () => {
    const before = Math.floor(Date.now() / 1000);
    const key = await ctx.org.adminAPIKeys.create({ name: 'ci' });
    assertAdminKey(key, { created: true }, 'created key');
    assert.equal(key.name, 'ci');
    assert.equal(key.expires_at, null);
    assert.ok(key.created_at >= before - 1, 'created_at is now');
    assert.equal(key.owner.id, owner.id, 'the new key belongs to the calling key\'s owner');
    made.push(key);

    const users = await collect(ctx.rs.client(key.value).admin.organization.users.list());
    assert.ok(users.some((u) => u.id === owner.id));
  });

  test('create with expires_in_seconds', async () => {
    const key = await ctx.org.adminAPIKeys.create({ name: 'short', expires_in_seconds: 3600 });
    assertAdminKey(key, { created: true });
    assert.equal(key.expires_at, key.created_at + 3600);
    made.push(key);
  });

  test('create validation: 400 with the field as param', async () => {
    await expectAPIError(ctx.org.adminAPIKeys.create({ name: 'x', expires_in_seconds: 0 }),
      BadRequestError,
      { status: 400, param: 'expires_in_seconds', code: 'integer_below_min_value' });
    await expectAPIError(
      ctx.org.adminAPIKeys.create({ name: 'x', expires_in_seconds: 31_536_001 }),
      BadRequestError,
      { status: 400, param: 'expires_in_seconds', code: 'integer_above_max_value' });
    await expectAPIError(ctx.org.adminAPIKeys.create({}), BadRequestError,
      { status: 400, param: 'name', code: 'missing_required_parameter' });
    await expectAPIError(ctx.org.adminAPIKeys.create({ name: 'x'.repeat(256) }), BadRequestError,
      { status: 400, param: 'name', code: 'invalid_value' });
  });

  test('retrieve shows everything but the secret', async () => {
    const got = await ctx.org.adminAPIKeys.retrieve(made[0].id);
    assertAdminKey(got);
    const { value, ...rest } = made[0];
    assert.ok(value);
    assert.deepEqual({ ...got, last_used_at: null }, { ...rest, last_used_at: null });
    await expectAPIError(ctx.org.adminAPIKeys.retrieve('key_does_not_exist'), NotFoundError,
      { status: 404 });
  });

  test('last_used_at is set once a key is used', async () => {
    const key = await ctx.org.adminAPIKeys.retrieve(made[0].id);
    // made[0] listed users above.
    assert.ok(isInt(key.last_used_at), `last_used_at after use: ${key.last_used_at}`);
    assert.ok(key.last_used_at >= made[0].created_at);
    assert.equal((await ctx.org.adminAPIKeys.retrieve(made[1].id)).last_used_at, null,
      'a key never used has none');
  });

  test('list pages with limit 1 using the last item id (CursorPage)', async () => {
    for (let i = 0; i < 3; i++) made.push(await ctx.org.adminAPIKeys.create({ name: `p${i}` }));
    const expected = [bootstrapKeyId, ...made.map((k) => k.id)];
    const start = ctx.rs.requests.length;
    const ids = (await collect(ctx.org.adminAPIKeys.list({ limit: 1 }))).map((k) => k.id);
    assert.deepEqual(ids, expected);
    const pages = ctx.rs.requests.slice(start);
    assert.ok(pages.length >= expected.length, `one request per key: ${pages.join('\n')}`);
    for (let i = 1; i < expected.length; i++) {
      assert.ok(pages[i].includes(`after=${expected[i - 1]}`),
        `page ${i} asks after the previous page's last id: ${pages[i]}`);
    }

    const page = await ctx.org.adminAPIKeys.list({ limit: 2 });
    assert.equal(page.has_more, true);
    assert.deepEqual(page.data.map((k) => k.id), expected.slice(0, 2));
    // The SDK's page object keeps only data and has_more; the envelope is checked on the wire.
    const raw = await ctx.rs.raw('GET', '/v1/organization/admin_api_keys?limit=2');
    assert.equal(raw.status, 200);
    assert.deepEqual(Object.keys(raw.json).sort(),
      ['data', 'first_id', 'has_more', 'last_id', 'object']);
    assert.equal(raw.json.object, 'list');
    assert.equal(raw.json.first_id, expected[0]);
    assert.equal(raw.json.last_id, expected[1]);

    const desc = (await collect(ctx.org.adminAPIKeys.list({ order: 'desc', limit: 2 })))
      .map((k) => k.id);
    assert.deepEqual(desc, [...expected].reverse());
  });

  test('list limit is 1–100', async () => {
    await expectAPIError(ctx.org.adminAPIKeys.list({ limit: 101 }), BadRequestError,
      { status: 400, param: 'limit', code: 'integer_above_max_value' });
  });

  test('delete: the revoked key fails on its very next request', async () => {
    const victim = made[2];
    const victimClient = ctx.rs.client(victim.value).admin.organization;
    await victimClient.users.list();
    const deleted = await ctx.org.adminAPIKeys.delete(victim.id);
    assert.deepEqual(deleted,
      { id: victim.id, object: 'organization.admin_api_key.deleted', deleted: true });
    await expectAPIError(victimClient.users.list(), AuthenticationError,
      { status: 401, code: 'invalid_api_key' }, 'revoked key');
    await expectAPIError(ctx.org.adminAPIKeys.retrieve(victim.id), NotFoundError,
      { status: 404 });
    await expectAPIError(ctx.org.adminAPIKeys.delete(victim.id), NotFoundError, { status: 404 });
    const ids = (await collect(ctx.org.adminAPIKeys.list())).map((k) => k.id);
    assert.ok(!ids.includes(victim.id));
  });

  test('a key may delete itself; its next request is refused', async () => {
    const self = made[3];
    const selfClient = ctx.rs.client(self.value).admin.organization;
    const deleted = await selfClient.adminAPIKeys.delete(self.id);
    assert.equal(deleted.deleted, true);
    await expectAPIError(selfClient.adminAPIKeys.list(), AuthenticationError,
      { status: 401, code: 'invalid_api_key' }, 'self-deleted key');
  });

  test('key events are in the audit log', async () => {
    const created = await collect(ctx.org.auditLogs.list({ event_types: ['api_key.created'] }));
    const deleted = await collect(ctx.org.auditLogs.list({ event_types: ['api_key.deleted'] }));
    for (const k of made) {
      const e = created.find((ev) => ev['api_key.created']?.id === k.id);
      assert.ok(e, `api_key.created for ${k.id}`);
      assert.deepEqual(e['api_key.created'], { id: k.id, data: { scopes: [] } });
    }
    assert.deepEqual(deleted.map((e) => e['api_key.deleted'].id).sort(),
      [made[2].id, made[3].id].sort());
    const selfDelete = deleted.find((e) => e['api_key.deleted'].id === made[3].id);
    assert.equal(selfDelete.actor?.api_key?.id, made[3].id, 'actor = the key that deleted itself');
  });

  test('roster keys create issues a key for a member and prints only the key', async () => {
    const userId = await ctx.rs.addUser({ email: `cli-key-${Date.now()}@example.com`,
      name: 'Cli Keyholder' });
    const value = await ctx.rs.cli('keys', 'create', '--user', userId, '--name', 'recovery');
    assert.match(value, /^sk-admin-[A-Za-z0-9_-]+$/, `stdout is the key alone: ${value}`);
    const theirs = ctx.rs.client(value).admin.organization;
    const keys = await collect(theirs.adminAPIKeys.list());
    const mine = keys.find((k) => k.redacted_value === `sk-admin...${value.slice(-3)}` &&
      k.name === 'recovery');
    assert.ok(mine, 'the new key is listed');
    assert.equal(mine.owner.id, userId);
    assert.equal(mine.owner.role, 'reader');
    // A Reader's key: reads work, writes are refused.
    await expectAPIError(theirs.adminAPIKeys.create({ name: 'nope' }), PermissionDeniedError,
      { status: 403, code: 'insufficient_permissions' });

    await assert.rejects(ctx.rs.cli('keys', 'create', '--user', 'user-not-a-member'),
      (e) => /is not a member/.test(e.message), 'a non-member gets a clear error');
  });

  testCleanShutdown(ctx);
});
