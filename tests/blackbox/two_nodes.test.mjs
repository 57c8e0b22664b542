// Two `roster serve` processes on one PostgreSQL database (the PostgreSQL run of `make test`,
// ROSTER_TEST_BACKEND=postgres): a write through node A is visible to the very next read through
// node B. Nothing is cached in a node, so there is no window to wait for: every assertion reads
// B right after A answered.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { AuthenticationError } from 'openai';

import { startRoster, token } from './lib/roster.mjs';
import { collect, expectAPIError } from './lib/shapes.mjs';

const onPostgres = process.env.ROSTER_TEST_BACKEND === 'postgres';

describe('two nodes on one PostgreSQL database', { skip: !onPostgres && 'PostgreSQL run only' }, () => {
  let a; // node A: bootstrapped the database
  let b; // node B: started on A's database
  let orgA; // client.admin.organization through A (bootstrap key)
  let orgB; // the same key through B
  const t = token();

  before(async () => {
    a = await startRoster();
    // The database has an organization already, so B's own bootstrap key is ignored; B serves
    // A's key because it reads the same tables.
    b = await startRoster({ serveArgs: ['--db', a.db] });
    orgA = a.client().admin.organization;
    orgB = b.client(a.key).admin.organization;
  });

  after(async () => {
    for (const node of [b, a]) {
      if (!node) continue;
      const r = await node.stop();
      assert.deepEqual(r, { code: 0, signal: null }, `roster serve must exit 0; stderr:\n${node.stderr}`);
    }
  });

  test('a user role change through A is what B reads next', async () => {
    const id = await a.addUser({ email: `pat-${t}@example.com`, name: 'Pat' });
    assert.equal((await orgB.users.retrieve(id)).role, 'reader');
    for (const role of ['owner', 'reader', 'owner']) {
      await orgA.users.update(id, { role });
      assert.equal((await orgB.users.retrieve(id)).role, role, `B sees role ${role} at once`);
    }
  });

  test('a role assignment through A is listed by B; its removal too', async () => {
    const id = await a.addUser({ email: `sam-${t}@example.com`, name: 'Sam' });
    const role = await orgA.roles.create({ role_name: `Auditors ${t}`, permissions: ['api.groups.read'] });
    await orgA.users.roles.create(id, { role_id: role.id });
    let held = await collect(orgB.users.roles.list(id));
    assert.ok(held.some((r) => r.id === role.id), `B lists the new assignment: ${JSON.stringify(held)}`);
    await orgA.users.roles.delete(role.id, { user_id: id });
    held = await collect(orgB.users.roles.list(id));
    assert.ok(!held.some((r) => r.id === role.id), 'B no longer lists the removed assignment');
  });

  test('a key revoked through A is refused by B on the very next request', async () => {
    const key = await orgA.adminAPIKeys.create({ name: `short-lived ${t}` });
    const viaB = b.client(key.value).admin.organization;
    await collect(viaB.users.list()); // works through B
    await orgA.adminAPIKeys.delete(key.id);
    await expectAPIError(viaB.users.list(), AuthenticationError, { status: 401, code: 'invalid_api_key' });
  });

  test('a member removed through A is gone for B', async () => {
    const id = await a.addUser({ email: `lee-${t}@example.com`, name: 'Lee' });
    await orgA.users.delete(id);
    const users = await collect(orgB.users.list());
    assert.ok(!users.some((u) => u.id === id), 'B does not list the removed member');
  });
});
