// client.admin.organization.users.roles (list, create, retrieve, delete) and role_id on
// users.update: base roles as assignments, replays, pagination, cascades, last owner.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { BadRequestError, NotFoundError } from 'openai';

import { testCleanShutdown, token, useRoster } from './lib/roster.mjs';
import {
  REQUEST_ID_RE, assertAssignedMatchesRole, assertAssignedRole, assertNextCursorPage, assertRole,
  assertUser, collect, expectAPIError,
} from './lib/shapes.mjs';

describe('user role assignments', () => {
  const ctx = useRoster();
  const t = token();
  let owner; // the bootstrap owner's id
  let ownerRole; // predefined Owner
  let readerRole; // predefined Reader
  const customs = []; // four custom roles

  const listIds = async (userId, query = {}) => {
    const page = await ctx.org.users.roles.list(userId, query);
    assertNextCursorPage(page.body, `GET /organization/users/${userId}/roles`);
    for (const a of page.body.data) assertAssignedRole(a);
    return page.body.data.map((a) => a.id);
  };

  test('setup: predefined roles, custom roles, bootstrap owner', async () => {
    const { org } = ctx;
    const roles = await collect(org.roles.list());
    ownerRole = roles.find((r) => r.predefined_role && r.name === 'Owner');
    readerRole = roles.find((r) => r.predefined_role && r.name === 'Reader');
    assert.ok(ownerRole && readerRole, `predefined Owner and Reader exist: ${JSON.stringify(roles)}`);
    for (let i = 0; i < 4; i++) {
      customs.push(await org.roles.create({
        role_name: `Custom ${i} ${t}`,
        permissions: i % 2 ? ['api.groups.read', 'api.roles.read'] : ['api.groups.write'],
        description: i === 0 ? null : `custom role ${i}`,
      }));
    }
    for (const r of customs) assertRole(r, { predefined_role: false });
    const users = await collect(org.users.list({ limit: 100 }));
    owner = users.find((u) => u.role === 'owner').id;
  });

  test('list: a member holds exactly its base role, with every field', async () => {
    const { org, rs } = ctx;
    const reader = await rs.addUser({ email: `base-r-${t}@example.com`, name: 'Base Reader' });
    const page = await org.users.roles.list(reader);
    assertNextCursorPage(page.body);
    assert.equal(page.body.has_more, false);
    assert.equal(page.body.data.length, 1, `one base role: ${JSON.stringify(page.body.data)}`);
    assertAssignedMatchesRole(page.body.data[0], readerRole, reader, 'Reader holding');
    assert.equal(page.body.data[0].predefined_role, true);

    const ownerPage = await org.users.roles.list(owner);
    const ownerHoldings = ownerPage.body.data;
    assert.deepEqual(ownerHoldings.map((a) => a.id), [ownerRole.id],
      'the bootstrap owner holds Owner only');
    assertAssignedMatchesRole(ownerHoldings[0], ownerRole, owner, 'Owner holding');
  });

  test('create / retrieve / list / delete a custom role assignment; replays', async () => {
    const { org, rs } = ctx;
    const uid = await rs.addUser({ email: `assign-${t}@example.com`, name: 'Assignee' });
    const role = customs[1];

    const created = await org.users.roles.create(uid, { role_id: role.id });
    assert.match(created._request_id, REQUEST_ID_RE);
    for (const k of ['object', 'user', 'role']) assert.ok(k in created, `user.role has "${k}"`);
    assert.equal(created.object, 'user.role');
    assertUser(created.user, { id: uid, role: 'reader', email: `assign-${t}@example.com` });
    assertRole(created.role);
    assert.deepEqual(created.role, await org.roles.retrieve(role.id), 'role is the full Role');

    // A replayed POST (SDK retry) answers the same body and creates nothing new.
    const replay = await org.users.roles.create(uid, { role_id: role.id });
    assert.deepEqual(replay, created, 'replayed assignment returns an identical body');

    const ids = await listIds(uid);
    assert.deepEqual(ids, [readerRole.id, role.id], 'base role first, then the custom role');

    const got = await org.users.roles.retrieve(role.id, { user_id: uid });
    assert.match(got._request_id, REQUEST_ID_RE);
    assertAssignedMatchesRole(got, role, uid, `GET /organization/users/${uid}/roles/${role.id}`);
    assert.deepEqual(got.assignment_sources, [{ principal_id: uid, principal_type: 'user' }]);
    const listed = (await org.users.roles.list(uid)).body.data.find((a) => a.id === role.id);
    assert.deepEqual(got, listed, 'retrieve equals the list entry');
    const base = await org.users.roles.retrieve(readerRole.id, { user_id: uid });
    assertAssignedMatchesRole(base, readerRole, uid, 'Reader holding via retrieve');

    const del = await org.users.roles.delete(role.id, { user_id: uid });
    assert.deepEqual(del, { object: 'user.role.deleted', deleted: true });
    await expectAPIError(org.users.roles.retrieve(role.id, { user_id: uid }), NotFoundError,
      { status: 404 }, `GET /organization/users/${uid}/roles/${role.id} after unassign`);
    // A replayed DELETE finds nothing to remove.
    await expectAPIError(org.users.roles.delete(role.id, { user_id: uid }), NotFoundError,
      { status: 404 }, `replayed DELETE /organization/users/${uid}/roles/${role.id}`);
    assert.deepEqual(await listIds(uid), [readerRole.id]);
    // The role itself is untouched.
    assert.deepEqual(await org.roles.retrieve(role.id), created.role);
  });

  test('concurrent identical assignments: all 200 with one body, one holding', async () => {
    const { org, rs } = ctx;
    const uid = await rs.addUser({ email: `race-${t}@example.com`, name: 'Race' });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => org.users.roles.create(uid, { role_id: customs[0].id })));
    const failed = results.filter((r) => r.status === 'rejected');
    assert.deepEqual(failed.map((r) => `${r.reason?.status} ${r.reason?.message}`), [],
      '8 concurrent POST /organization/users/{id}/roles with the same role all succeed');
    for (const r of results) assert.deepEqual(r.value, results[0].value, 'identical bodies');
    assert.deepEqual(await listIds(uid), [readerRole.id, customs[0].id], 'held once');
  });

  test("holders see a role's new permissions immediately", async () => {
    const { org, rs } = ctx;
    const uid = await rs.addUser({ email: `perm-${t}@example.com`, name: 'Perm' });
    const role = await org.roles.create({ role_name: `Live ${t}`, permissions: ['api.groups.read'] });
    await org.users.roles.create(uid, { role_id: role.id });
    const updated = await org.roles.update(role.id, {
      permissions: ['api.groups.read', 'api.groups.write'], description: 'now writes',
      role_name: `Live renamed ${t}`,
    });
    const held = await org.users.roles.retrieve(role.id, { user_id: uid });
    assertAssignedMatchesRole(held, updated, uid, 'holding after the role changed');
    assert.ok(held.updated_at >= held.created_at, 'updated_at >= created_at');
    const listed = (await org.users.roles.list(uid)).body.data.find((a) => a.id === role.id);
    assert.deepEqual(listed, held);
  });

  test('list: for-await with limit 1 over several holdings; order asc/desc', async () => {
    const { org, rs } = ctx;
    const uid = await rs.addUser({ email: `many-${t}@example.com`, name: 'Many Roles' });
    // Assign in reverse creation order: the list is sorted by the role, not the assignment.
    for (const r of [...customs].reverse()) await org.users.roles.create(uid, { role_id: r.id });

    const single = await org.users.roles.list(uid);
    assertNextCursorPage(single.body);
    assert.equal(single.body.has_more, false);
    const expected = [readerRole.id, ...customs.map((r) => r.id)];
    assert.deepEqual(single.body.data.map((a) => a.id), expected,
      'sorted by role creation (predefined first)');
    for (const a of single.body.data) {
      const role = [readerRole, ...customs].find((r) => r.id === a.id);
      assertAssignedMatchesRole(a, role, uid, `holding ${a.id}`);
    }

    const pages = [];
    for await (const page of (await org.users.roles.list(uid, { limit: 1 })).iterPages()) {
      assertNextCursorPage(page.body, `page ${pages.length + 1} (limit 1)`);
      pages.push(page.body);
    }
    assert.equal(pages.length, expected.length, 'one page per holding');
    for (const [i, p] of pages.entries()) {
      assert.equal(p.data.length, 1, `page ${i + 1} size`);
      assert.equal(p.has_more, i < pages.length - 1, `page ${i + 1}.has_more`);
    }
    const walked = await collect(org.users.roles.list(uid, { limit: 1 }));
    assert.deepEqual(walked.map((a) => a.id), expected, 'each holding once, in order');
    assert.deepEqual(walked, single.body.data, 'same items as the single page');

    const asc = await listIds(uid, { order: 'asc' });
    assert.deepEqual(asc, expected);
    const desc = await listIds(uid, { order: 'desc' });
    assert.deepEqual(desc, [...expected].reverse(), 'order desc reverses');
    const descWalk = await collect(org.users.roles.list(uid, { limit: 2, order: 'desc' }));
    assert.deepEqual(descWalk.map((a) => a.id), [...expected].reverse(), 'desc across pages');
  });

  test('users.update role_id: a predefined base role swaps `role`, a custom role is assigned',
    async () => {
      const { org, rs } = ctx;
      const uid = await rs.addUser({ email: `roleid-${t}@example.com`, name: 'Role Id' });

      const toOwner = await org.users.update(uid, { role_id: ownerRole.id });
      assertUser(toOwner, { id: uid, role: 'owner' });
      assert.deepEqual(await listIds(uid), [ownerRole.id], 'Owner replaced Reader');

      const toReader = await org.users.update(uid, { role_id: readerRole.id });
      assertUser(toReader, { id: uid, role: 'reader' });
      assert.deepEqual(await listIds(uid), [readerRole.id], 'Reader replaced Owner');

      const custom = customs[2];
      const withCustom = await org.users.update(uid, { role_id: custom.id });
      assertUser(withCustom, { id: uid, role: 'reader' });
      assert.deepEqual(await listIds(uid), [readerRole.id, custom.id], 'custom role assigned');
      const held = await org.users.roles.retrieve(custom.id, { user_id: uid });
      assertAssignedMatchesRole(held, custom, uid);

      // `role` still swaps the base role and keeps the custom one.
      const viaRole = await org.users.update(uid, { role: 'owner' });
      assertUser(viaRole, { role: 'owner' });
      assert.deepEqual(await listIds(uid), [ownerRole.id, custom.id]);

      // Agreeing role + role_id is fine; disagreeing → 400.
      const agree = await org.users.update(uid, { role: 'reader', role_id: readerRole.id });
      assertUser(agree, { role: 'reader' });
      await expectAPIError(org.users.update(uid, { role: 'owner', role_id: readerRole.id }),
        BadRequestError, { status: 400, param: undefined, code: 'conflicting_parameters' },
        `POST /organization/users/${uid} {role:"owner", role_id: Reader}`);
      assertUser(await org.users.retrieve(uid), { role: 'reader' });

      await expectAPIError(org.users.update(uid, { role_id: 'role_doesnotexist000000000000' }),
        NotFoundError, { status: 404 }, `POST /organization/users/${uid} {role_id: unknown}`);
    });

  test('last owner: unassigning or swapping away the only Owner holding → 400 last_owner',
    async () => {
      const { org } = ctx;
      const users = await collect(org.users.list({ limit: 100 }));
      const owners = users.filter((u) => u.role === 'owner');
      // Earlier tests may have left another owner; demote them so the bootstrap owner is alone.
      for (const u of owners) if (u.id !== owner) await org.users.update(u.id, { role: 'reader' });

      await expectAPIError(org.users.roles.delete(ownerRole.id, { user_id: owner }),
        BadRequestError, { status: 400, code: 'last_owner', param: undefined },
        `DELETE /organization/users/${owner}/roles/${ownerRole.id} (only owner)`);
      await expectAPIError(org.users.update(owner, { role_id: readerRole.id }), BadRequestError,
        { status: 400, code: 'last_owner', param: undefined },
        `POST /organization/users/${owner} {role_id: Reader} (only owner)`);
      assert.deepEqual(await listIds(owner), [ownerRole.id], 'still holds Owner');
      assertUser(await org.users.retrieve(owner), { role: 'owner' });
    });

  // docs/DECISIONS.md: unassigning Owner demotes to Reader; Reader cannot be unassigned.
  test('unassigning Owner demotes to Reader; unassigning Reader → 400 base_role_required',
    async () => {
      const { org, rs } = ctx;
      const uid = await rs.addUser({ email: `demote-${t}@example.com`, name: 'Demote',
        role: 'owner' });
      assert.deepEqual(await listIds(uid), [ownerRole.id]);
      const del = await org.users.roles.delete(ownerRole.id, { user_id: uid });
      assert.deepEqual(del, { object: 'user.role.deleted', deleted: true });
      assertUser(await org.users.retrieve(uid), { id: uid, role: 'reader' });
      assert.deepEqual(await listIds(uid), [readerRole.id]);
      await expectAPIError(org.users.roles.delete(readerRole.id, { user_id: uid }),
        BadRequestError, { status: 400, code: 'base_role_required', param: undefined },
        `DELETE /organization/users/${uid}/roles/${readerRole.id} (base role)`);
      assert.deepEqual(await listIds(uid), [readerRole.id]);
      // Assigning Owner through the roles endpoint promotes (the inverse).
      const promoted = await org.users.roles.create(uid, { role_id: ownerRole.id });
      assertUser(promoted.user, { id: uid, role: 'owner' });
      assert.deepEqual(await listIds(uid), [ownerRole.id]);
      await org.users.update(uid, { role: 'reader' });
    });

  test('deleting a role removes its assignments; deleting a user removes its holdings',
    async () => {
      const { org, rs } = ctx;
      const uid = await rs.addUser({ email: `cascade-${t}@example.com`, name: 'Cascade' });
      const doomed = await org.roles.create({ role_name: `Doomed ${t}`,
        permissions: ['api.roles.read'] });
      await org.users.roles.create(uid, { role_id: doomed.id });
      assert.deepEqual(await listIds(uid), [readerRole.id, doomed.id]);
      const del = await org.roles.delete(doomed.id);
      assert.deepEqual(del, { object: 'role.deleted', id: doomed.id, deleted: true });
      assert.deepEqual(await listIds(uid), [readerRole.id], 'assignment went with the role');
      await expectAPIError(org.users.roles.retrieve(doomed.id, { user_id: uid }), NotFoundError,
        { status: 404 }, `GET /organization/users/${uid}/roles/${doomed.id} (role deleted)`);
      await expectAPIError(org.users.roles.create(uid, { role_id: doomed.id }), NotFoundError,
        { status: 404 }, `POST /organization/users/${uid}/roles {role_id: deleted role}`);

      await org.users.roles.create(uid, { role_id: customs[3].id });
      await org.users.delete(uid);
      await expectAPIError(org.users.roles.list(uid), NotFoundError, { status: 404 },
        `GET /organization/users/${uid}/roles (user deleted)`);
      await expectAPIError(org.users.roles.retrieve(customs[3].id, { user_id: uid }),
        NotFoundError, { status: 404 }, `GET /organization/users/${uid}/roles/... (user deleted)`);
      await expectAPIError(org.users.roles.create(uid, { role_id: customs[3].id }), NotFoundError,
        { status: 404 }, `POST /organization/users/${uid}/roles (user deleted)`);
    });

  test('not found and validation on assignment endpoints', async () => {
    const { org, rs } = ctx;
    const uid = await rs.addUser({ email: `errs-${t}@example.com`, name: 'Errors' });
    const ghostUser = 'user-doesnotexist0000000000';
    const ghostRole = 'role_doesnotexist0000000000';
    await expectAPIError(org.users.roles.list(ghostUser), NotFoundError, { status: 404 },
      `GET /organization/users/${ghostUser}/roles`);
    await expectAPIError(org.users.roles.create(ghostUser, { role_id: customs[0].id }),
      NotFoundError, { status: 404 }, `POST /organization/users/${ghostUser}/roles`);
    await expectAPIError(org.users.roles.create(uid, { role_id: ghostRole }), NotFoundError,
      { status: 404 }, `POST /organization/users/${uid}/roles {role_id: unknown}`);
    await expectAPIError(org.users.roles.retrieve(ghostRole, { user_id: uid }), NotFoundError,
      { status: 404 }, `GET /organization/users/${uid}/roles/${ghostRole}`);
    await expectAPIError(org.users.roles.retrieve(customs[0].id, { user_id: uid }), NotFoundError,
      { status: 404 }, `GET /organization/users/${uid}/roles/<custom role not held>`);
    await expectAPIError(org.users.roles.delete(customs[0].id, { user_id: uid }), NotFoundError,
      { status: 404 }, `DELETE /organization/users/${uid}/roles/<custom role not held>`);
    await expectAPIError(org.users.roles.create(uid, {}), BadRequestError,
      { status: 400, param: 'role_id', code: 'missing_required_parameter' },
      `POST /organization/users/${uid}/roles {}`);
    await expectAPIError(org.users.roles.create(uid, { role_id: 7 }), BadRequestError,
      { status: 400, param: 'role_id', code: 'invalid_type' },
      `POST /organization/users/${uid}/roles {role_id: 7}`);
    await expectAPIError(org.users.roles.list(uid, { limit: 1001 }), BadRequestError,
      { status: 400, param: 'limit', code: 'integer_above_max_value' },
      `GET /organization/users/${uid}/roles?limit=1001`);
    await expectAPIError(org.users.roles.list(uid, { order: 'up' }), BadRequestError,
      { status: 400, param: 'order', code: 'invalid_value' },
      `GET /organization/users/${uid}/roles?order=up`);
    assert.deepEqual(await listIds(uid), [readerRole.id], 'nothing was assigned');
  });

  testCleanShutdown(ctx);
});
