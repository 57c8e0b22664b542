// Permissions through the official SDK: a key acts with its owner's effective permissions. A
// Reader's key is refused (PermissionDeniedError, 403 insufficient_permissions, not retried) on
// every write method and allowed on every read method (docs/PERMISSIONS.md).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { PermissionDeniedError } from 'openai';

import { testCleanShutdown, token, useRoster } from './lib/roster.mjs';
import { collect, expectAPIError } from './lib/shapes.mjs';

const missing = (permission) =>
  `You have insufficient permissions for this operation. Missing permission: ${permission}.`;

describe('permissions', () => {
  const ctx = useRoster();
  const t = token();
  let reader; // SDK organization resource authenticated with a Reader's key
  let readerClient;
  const ids = {};

  test('setup: an organization whose first owner becomes a Reader, keeping their keys',
    async () => {
      const { rs } = ctx;
      // The first owner's keys turn into Reader keys once they are demoted, which a second owner
      // makes possible.
      const org = await rs.createOrg({ name: `Perm ${t}`, ownerEmail: `first-${t}@example.com` });
      ids.org = org.organization_id;
      ids.reader = org.user_id;
      const out = await rs.cli('users', 'add', '--email', `second-${t}@example.com`, '--name',
        'Second Owner', '--role', 'owner', '--org', ids.org);
      ids.owner = out.split('\n').pop().trim();

      readerClient = rs.client(org.admin_key, { maxRetries: 2 });
      const admin = readerClient.admin.organization;
      ids.role = (await admin.roles.create({ role_name: `Usage ${t}`,
        permissions: ['api.usage.read'] })).id;
      ids.group = (await admin.groups.create({ name: `Group ${t}` })).id;
      await admin.groups.users.create(ids.group, { user_id: ids.reader });
      await admin.groups.roles.create(ids.group, { role_id: ids.role });
      ids.invite = (await admin.invites.create({ email: `invitee-${t}@example.com`,
        role: 'reader' })).id;
      ids.key = (await collect(admin.adminAPIKeys.list()))[0].id;

      const demoted = await admin.users.update(ids.reader, { role: 'reader' });
      assert.equal(demoted.role, 'reader');
      reader = admin;
    });

  test('a Reader key is refused on every write, with one request and no change', async () => {
    const before = (await collect(reader.auditLogs.list({ limit: 100 }))).length;
    const writes = [
      ['users.update', 'api.management.write',
        () => reader.users.update(ids.owner, { role: 'reader' })],
      ['users.delete', 'api.management.write', () => reader.users.delete(ids.owner)],
      ['users.roles.create', 'api.roles.write',
        () => reader.users.roles.create(ids.reader, { role_id: ids.role })],
      ['users.roles.delete', 'api.roles.write',
        () => reader.users.roles.delete(ids.role, { user_id: ids.reader })],
      ['roles.create', 'api.roles.write',
        () => reader.roles.create({ role_name: `New ${t}`, permissions: [] })],
      ['roles.update', 'api.roles.write',
        () => reader.roles.update(ids.role, { role_name: `Renamed ${t}` })],
      ['roles.delete', 'api.roles.write', () => reader.roles.delete(ids.role)],
      ['groups.create', 'api.groups.write', () => reader.groups.create({ name: 'Nope' })],
      ['groups.update', 'api.groups.write',
        () => reader.groups.update(ids.group, { name: 'Renamed' })],
      ['groups.delete', 'api.groups.write', () => reader.groups.delete(ids.group)],
      ['groups.users.create', 'api.groups.write',
        () => reader.groups.users.create(ids.group, { user_id: ids.owner })],
      ['groups.users.delete', 'api.groups.write',
        () => reader.groups.users.delete(ids.reader, { group_id: ids.group })],
      ['groups.roles.create', 'api.groups.write',
        () => reader.groups.roles.create(ids.group, { role_id: ids.role })],
      ['groups.roles.delete', 'api.groups.write',
        () => reader.groups.roles.delete(ids.role, { group_id: ids.group })],
      ['invites.create', 'api.management.write',
        () => reader.invites.create({ email: `other-${t}@example.com`, role: 'reader' })],
      ['invites.delete', 'api.management.write', () => reader.invites.delete(ids.invite)],
      ['adminAPIKeys.create', 'api.management.write',
        () => reader.adminAPIKeys.create({ name: 'nope' })],
      ['adminAPIKeys.delete', 'api.management.write',
        () => reader.adminAPIKeys.delete(ids.key)],
    ];
    for (const [what, permission, call] of writes) {
      const start = ctx.rs.requests.length;
      await expectAPIError(call(), PermissionDeniedError,
        { status: 403, code: 'insufficient_permissions', param: null,
          message: missing(permission) }, what);
      assert.equal(ctx.rs.requests.length - start, 1, `${what}: a 403 is not retried`);
    }
    const after = await collect(reader.auditLogs.list({ limit: 100 }));
    assert.equal(after.length, before, 'no refused write left an event');
  });

  test('a Reader key is allowed on every read', async () => {
    const reads = [
      ['users.list', async () => assert.ok((await collect(reader.users.list())).length >= 2)],
      ['users.retrieve', async () => assert.equal((await reader.users.retrieve(ids.owner)).role,
        'owner')],
      ['users.roles.list', async () => {
        const held = (await collect(reader.users.roles.list(ids.reader))).map((r) => r.id);
        assert.ok(held.includes(ids.role), 'the group role is held');
      }],
      ['users.roles.retrieve', async () => assert.equal(
        (await reader.users.roles.retrieve(ids.role, { user_id: ids.reader })).id, ids.role)],
      ['roles.list', async () => assert.ok((await collect(reader.roles.list())).length >= 3)],
      ['roles.retrieve', async () => assert.equal((await reader.roles.retrieve(ids.role)).id,
        ids.role)],
      ['groups.list', async () => assert.equal((await collect(reader.groups.list())).length, 1)],
      ['groups.retrieve', async () => assert.equal((await reader.groups.retrieve(ids.group)).id,
        ids.group)],
      ['groups.users.list', async () => assert.deepEqual(
        (await collect(reader.groups.users.list(ids.group))).map((u) => u.id), [ids.reader])],
      ['groups.users.retrieve', async () => assert.equal(
        (await reader.groups.users.retrieve(ids.reader, { group_id: ids.group })).id,
        ids.reader)],
      ['groups.roles.list', async () => assert.deepEqual(
        (await collect(reader.groups.roles.list(ids.group))).map((r) => r.id), [ids.role])],
      ['groups.roles.retrieve', async () => assert.equal(
        (await reader.groups.roles.retrieve(ids.role, { group_id: ids.group })).id, ids.role)],
      ['invites.list', async () => assert.equal((await collect(reader.invites.list())).length, 1)],
      ['invites.retrieve', async () => assert.equal((await reader.invites.retrieve(ids.invite)).id,
        ids.invite)],
      ['adminAPIKeys.list', async () => assert.deepEqual(
        (await collect(reader.adminAPIKeys.list())).map((k) => k.id), [ids.key])],
      ['adminAPIKeys.retrieve', async () => {
        const key = await reader.adminAPIKeys.retrieve(ids.key);
        assert.equal(key.owner.role, 'reader', 'the key shows its owner\'s current role');
      }],
      ['auditLogs.list', async () => assert.ok(
        (await collect(reader.auditLogs.list())).some((e) => e.type === 'user.updated'))],
    ];
    for (const [what, check] of reads) {
      try {
        await check();
      } catch (e) {
        assert.fail(`${what}: ${e?.constructor?.name} ${e?.status ?? ''} ${e?.message}`);
      }
    }
  });

  test('the Reader key still cannot act in another organization', async () => {
    // The bootstrap organization's users are not visible: the key is bound to its own org.
    const users = (await collect(reader.users.list())).map((u) => u.id);
    const bootstrapUsers = (await collect(ctx.org.users.list())).map((u) => u.id);
    assert.ok(users.every((id) => !bootstrapUsers.includes(id)));
  });

  testCleanShutdown(ctx);
});
