// The owner invariant under concurrency, and what happens to the admin key of a demoted or removed
// member. Destructive for the bootstrap owner, hence its own server.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { AuthenticationError, BadRequestError, PermissionDeniedError } from 'openai';

import { testCleanShutdown, token, useRoster } from './lib/roster.mjs';
import { assertUser, collect, expectAPIError } from './lib/shapes.mjs';

describe('owners and the key owner', () => {
  const ctx = useRoster();
  const t = token();
  let first; // bootstrap owner, who owns the admin key in use
  let second;
  let keyAdmin; // custom role keeping the key usable while its owner is demoted

  const owners = async () =>
    (await collect(ctx.org.users.list({ limit: 100 }))).filter((u) => u.role === 'owner')
      .map((u) => u.id).sort();
  const outcome = (r) => (r.status === 'fulfilled'
    ? '200'
    : `${r.reason?.constructor?.name} ${r.reason?.status} ${r.reason?.code}`);

  test('setup: the key owner also holds a custom management role', async () => {
    const { org } = ctx;
    first = (await owners())[0];
    // A key acts with its owner's permissions; this role keeps them while the races below
    // demote the owner, so the races test the invariant rather than the key policy.
    keyAdmin = await org.roles.create({
      role_name: `Key Admin ${t}`,
      permissions: ['api.management.read', 'api.management.write', 'api.roles.read',
        'api.roles.write'],
    });
    await org.users.roles.create(first, { role_id: keyAdmin.id });
  });

  test('two owners demoted concurrently: exactly one succeeds, one gets 400 last_owner',
    async () => {
      const { org, rs } = ctx;
      second = await rs.addUser({ email: `second-${t}@example.com`, name: 'Second',
        role: 'owner' });
      const ROUNDS = 10;
      for (let round = 0; round < ROUNDS; round++) {
        assert.deepEqual(await owners(), [first, second].sort(), `round ${round}: two owners`);
        const results = await Promise.allSettled([
          org.users.update(first, { role: 'reader' }),
          org.users.update(second, { role: 'reader' }),
        ]);
        const summary = results.map(outcome).join(', ');
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1,
          `round ${round}: exactly one demotion succeeds (${summary})`);
        const err = results.find((r) => r.status === 'rejected').reason;
        assert.ok(err instanceof BadRequestError && err.status === 400 && err.code === 'last_owner',
          `round ${round}: the other is 400 last_owner (${summary})`);
        const left = await owners();
        assert.equal(left.length, 1, `round ${round}: one owner left, got ${left}`);
        const demoted = left[0] === first ? second : first;
        assertUser(await org.users.update(demoted, { role: 'owner' }), { role: 'owner' });
      }
    });

  test('concurrent delete of one owner and demotion of the other keep one owner', async () => {
    const { org, rs } = ctx;
    const third = await rs.addUser({ email: `third-${t}@example.com`, name: 'Third',
      role: 'owner' });
    // Three owners: removing two at once is fine, `first` stays.
    const both = await Promise.allSettled([org.users.delete(second), org.users.delete(third)]);
    assert.deepEqual(both.map(outcome), ['200', '200']);
    assert.deepEqual(await owners(), [first]);

    second = await rs.addUser({ email: `second-again-${t}@example.com`, name: 'Second Again',
      role: 'owner' });
    const race = await Promise.allSettled([
      org.users.delete(second),
      org.users.update(first, { role: 'reader' }),
    ]);
    const summary = race.map(outcome).join(', ');
    assert.equal(race.filter((r) => r.status === 'fulfilled').length, 1,
      `exactly one of (delete second, demote first) succeeds: ${summary}`);
    const rejected = race.find((r) => r.status === 'rejected').reason;
    assert.ok(rejected instanceof BadRequestError && rejected.code === 'last_owner',
      `the other is 400 last_owner: ${summary}`);
    assert.equal((await owners()).length, 1, 'one owner left');
    if (race[1].status === 'fulfilled') {
      // `first` was demoted and `second` kept: restore `first`, drop `second`.
      await org.users.update(first, { role: 'owner' });
      await org.users.delete(second);
    }
    assert.deepEqual(await owners(), [first]);
  });

  // docs/DECISIONS.md: a key whose owner is no longer a member stops authenticating.
  test('removing the key owner revokes the key (401 invalid_api_key)', async () => {
    const { org, rs } = ctx;
    const heir = await rs.addUser({ email: `heir-${t}@example.com`, name: 'Heir', role: 'owner' });
    const del = await org.users.delete(first);
    assert.deepEqual(del, { object: 'organization.user.deleted', id: first, deleted: true });
    await expectAPIError(org.users.retrieve(heir), AuthenticationError,
      { status: 401, code: 'invalid_api_key' },
      'GET /organization/users/{heir} with the key of a removed member');
  });

  // CONTRACT §2: 403 is for "authenticated but forbidden by policy (e.g. the key's owner lost the
  // owner role)". Uses a second organization so this server's bootstrap key stays usable.
  test("a key whose owner was demoted can no longer write (403 PermissionDeniedError)",
    async () => {
      const { rs } = ctx;
      const b = await rs.createOrg({ name: `Demoted ${t}`, ownerEmail: `bo-${t}@example.com` });
      const heir = await rs.addUser({ email: `bheir-${t}@example.com`, name: 'B Heir',
        role: 'owner', org: b.organization_id });
      const orgB = rs.client(b.admin_key).admin.organization;
      assertUser(await orgB.users.update(b.user_id, { role: 'reader' }), { role: 'reader' });
      const denied = { status: 403, code: 'insufficient_permissions', param: undefined };
      await expectAPIError(orgB.users.update(heir, { role: 'reader' }), PermissionDeniedError,
        denied, 'POST /organization/users/{heir} with the key of a demoted owner');
      await expectAPIError(orgB.users.update(b.user_id, { role: 'owner' }), PermissionDeniedError,
        denied, 'the demoted owner promoting themself back');
      await expectAPIError(orgB.roles.create({ role_name: `Nope ${t}`, permissions: [] }),
        PermissionDeniedError, denied, 'POST /organization/roles with the key of a demoted owner');
    });

  testCleanShutdown(ctx);
});
