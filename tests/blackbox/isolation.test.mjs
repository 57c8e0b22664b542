// Cross-organization isolation: an admin key sees only its own organization; ids of another
// organization answer 404 (never 403), on every users / users.roles / roles method.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { NotFoundError } from 'openai';

import { testCleanShutdown, token, useRoster } from './lib/roster.mjs';
import { assertConversationPage, assertUser, collect, expectAPIError } from './lib/shapes.mjs';

describe('cross-organization isolation', () => {
  const ctx = useRoster();
  const t = token();
  const A = {}; // bootstrap organization: a member, a custom role held by that member
  const B = {}; // second organization made with `roster orgs create`

  test('setup: a member and a role in org A, then org B via the CLI', async () => {
    const { rs, org } = ctx;
    A.email = `alice-${t}@a.example.com`;
    A.user = await rs.addUser({ email: A.email, name: 'Alice A' });
    A.role = await org.roles.create({ role_name: `Shared Name ${t}`,
      permissions: ['api.groups.read'], description: 'org A' });
    await org.users.roles.create(A.user, { role_id: A.role.id });
    A.owner = (await collect(org.users.list({ limit: 100 }))).find((u) => u.role === 'owner').id;

    B.ownerEmail = `owner-${t}@b.example.com`;
    const made = await rs.createOrg({ name: `Org B ${t}`, ownerEmail: B.ownerEmail });
    assert.deepEqual(Object.keys(made).sort(), ['admin_key', 'organization_id', 'user_id'],
      `orgs create prints {organization_id, user_id, admin_key}: ${JSON.stringify(made)}`);
    assert.match(made.admin_key, /^sk-admin-/);
    assert.ok(made.organization_id && made.user_id);
    Object.assign(B, made);
    B.org = rs.client(made.admin_key).admin.organization;

    const orgs = await rs.cli('orgs', 'list');
    assert.ok(orgs.includes(made.organization_id), `orgs list shows org B:\n${orgs}`);
  });

  test('org B lists only its own owner', async () => {
    const page = await B.org.users.list();
    assertConversationPage(page.body, 'org B users');
    assert.equal(page.body.data.length, 1, `only B's owner: ${JSON.stringify(page.body.data)}`);
    assertUser(page.body.data[0], { id: B.user_id, email: B.ownerEmail, role: 'owner' });
    assertUser(await B.org.users.retrieve(B.user_id), { id: B.user_id, role: 'owner' });
    const byEmail = await B.org.users.list({ emails: [A.email] });
    assert.deepEqual(byEmail.body.data, [], "A's email is unknown to B");
    assert.equal(byEmail.body.first_id, null);
    assert.equal(byEmail.body.last_id, null);
    // Auto-pagination in B walks B's members only.
    const all = await collect(B.org.users.list({ limit: 1 }));
    assert.deepEqual(all.map((u) => u.id), [B.user_id]);
  });

  test("org B gets 404 for org A's user on every users / users.roles method", async () => {
    const nf = (p, what) => expectAPIError(p, NotFoundError, { status: 404 }, `org B key: ${what}`);
    await nf(B.org.users.retrieve(A.user), `GET /organization/users/${A.user}`);
    await nf(B.org.users.update(A.user, { role: 'owner' }), `POST /organization/users/${A.user}`);
    await nf(B.org.users.update(A.owner, { role: 'reader' }),
      `POST /organization/users/${A.owner} (A's owner)`);
    await nf(B.org.users.delete(A.user), `DELETE /organization/users/${A.user}`);
    await nf(B.org.users.roles.list(A.user), `GET /organization/users/${A.user}/roles`);
    const bRoles = await collect(B.org.roles.list());
    const bReader = bRoles.find((r) => r.predefined_role && r.name === 'Reader');
    assert.ok(bReader, 'org B has a Reader role');
    await nf(B.org.users.roles.create(A.user, { role_id: bReader.id }),
      `POST /organization/users/${A.user}/roles`);
    await nf(B.org.users.roles.retrieve(A.role.id, { user_id: A.user }),
      `GET /organization/users/${A.user}/roles/${A.role.id}`);
    await nf(B.org.users.roles.delete(A.role.id, { user_id: A.user }),
      `DELETE /organization/users/${A.user}/roles/${A.role.id}`);
  });

  test("org B gets 404 for org A's custom role and cannot assign it", async () => {
    const nf = (p, what) => expectAPIError(p, NotFoundError, { status: 404 }, `org B key: ${what}`);
    await nf(B.org.roles.retrieve(A.role.id), `GET /organization/roles/${A.role.id}`);
    await nf(B.org.roles.update(A.role.id, { description: 'hijacked' }),
      `POST /organization/roles/${A.role.id}`);
    await nf(B.org.roles.update(A.role.id), `POST /organization/roles/${A.role.id} (no body)`);
    await nf(B.org.roles.delete(A.role.id), `DELETE /organization/roles/${A.role.id}`);
    await nf(B.org.users.roles.create(B.user_id, { role_id: A.role.id }),
      `POST /organization/users/${B.user_id}/roles {role_id: A's role}`);
    await nf(B.org.users.update(B.user_id, { role_id: A.role.id }),
      `POST /organization/users/${B.user_id} {role_id: A's role}`);

    const bRoles = await collect(B.org.roles.list({ limit: 1 }));
    assert.ok(!bRoles.some((r) => r.id === A.role.id), "A's role is not listed in B");
    assert.deepEqual(bRoles.filter((r) => r.predefined_role).map((r) => r.name).sort(),
      ['Owner', 'Reader']);
    assert.equal(bRoles.filter((r) => !r.predefined_role).length, 0, 'B has no custom roles yet');

    // Role names are unique per organization: B may use the name A already uses.
    const same = await B.org.roles.create({ role_name: A.role.name, permissions: [] });
    assert.equal(same.name, A.role.name);
    assert.notEqual(same.id, A.role.id);
    await expectAPIError(ctx.org.roles.retrieve(same.id), NotFoundError, { status: 404 },
      `org A key: GET /organization/roles/${same.id} (B's role)`);
  });

  test("org A is untouched and cannot see org B's owner", async () => {
    const { org } = ctx;
    assertUser(await org.users.retrieve(A.user), { id: A.user, email: A.email, role: 'reader' });
    assert.deepEqual(await org.roles.retrieve(A.role.id), A.role, "A's role unchanged");
    const held = await org.users.roles.retrieve(A.role.id, { user_id: A.user });
    assert.equal(held.id, A.role.id, 'A still holds its role');
    await expectAPIError(org.users.retrieve(B.user_id), NotFoundError, { status: 404 },
      `org A key: GET /organization/users/${B.user_id}`);
    await expectAPIError(org.users.roles.list(B.user_id), NotFoundError, { status: 404 },
      `org A key: GET /organization/users/${B.user_id}/roles`);
    const aUsers = await collect(org.users.list({ limit: 100 }));
    assert.ok(!aUsers.some((u) => u.id === B.user_id), "B's owner is not listed in A");
    const aByEmail = await org.users.list({ emails: [B.ownerEmail] });
    assert.deepEqual(aByEmail.body.data, []);
  });

  testCleanShutdown(ctx);
});
