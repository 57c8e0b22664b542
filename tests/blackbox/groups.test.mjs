// client.admin.organization.groups (+ .users, .roles) through the official SDK: every method,
// shapes, auto-pagination, replays, error classes, and roles inherited through groups as seen by
// users.roles.list / retrieve (CONTRACT §7.9, §9).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { BadRequestError, NotFoundError } from 'openai';

import { testCleanShutdown, token, useRoster } from './lib/roster.mjs';
import {
  REQUEST_ID_RE, assertAssignedRole, assertNextCursorPage, assertRole, collect, expectAPIError,
} from './lib/shapes.mjs';

// GroupResponse (CONTRACT §9), with `object` as in the spec's examples (N-13).
function assertGroup(g, expected = {}, where = 'group') {
  assert.deepEqual(Object.keys(g).sort(),
    ['created_at', 'group_type', 'id', 'is_scim_managed', 'name', 'object'], `${where} keys`);
  assert.equal(g.object, 'group', `${where}.object`);
  assert.match(g.id, /^group_/, `${where}.id`);
  assert.ok(Number.isInteger(g.created_at) && g.created_at > 0, `${where}.created_at`);
  assert.equal(g.is_scim_managed, false, `${where}.is_scim_managed`);
  assert.equal(g.group_type, 'group', `${where}.group_type`);
  for (const [k, v] of Object.entries(expected)) assert.deepEqual(g[k], v, `${where}.${k}`);
}

const source = (id, type) => ({ principal_id: id, principal_type: type });

describe('groups', () => {
  const ctx = useRoster();
  const t = token();
  let readerRole; // predefined Reader
  let ownerRole; // predefined Owner
  let managers; // a custom role
  const users = []; // three members added from the shell

  test('setup: roles and members', async () => {
    const { org, rs } = ctx;
    const roles = await collect(org.roles.list());
    readerRole = roles.find((r) => r.predefined_role && r.name === 'Reader');
    ownerRole = roles.find((r) => r.predefined_role && r.name === 'Owner');
    assert.ok(readerRole && ownerRole);
    managers = await org.roles.create({
      role_name: `Group Managers ${t}`, permissions: ['api.groups.read', 'api.groups.write'],
    });
    for (let i = 0; i < 3; i++) {
      users.push(await rs.addUser({ email: `member${i}-${t}@example.com`, name: `Member ${i}` }));
    }
  });

  test('create, retrieve, update, list and delete a group', async () => {
    const { org } = ctx;
    const created = await org.groups.create({ name: `Support ${t}` });
    assert.match(created._request_id, REQUEST_ID_RE);
    assertGroup(created, { name: `Support ${t}` });
    assert.deepEqual(await org.groups.retrieve(created.id), created);

    // The update response has no group_type (GroupResourceWithSuccess).
    const updated = await org.groups.update(created.id, { name: `Escalations ${t}` });
    assert.deepEqual(updated, {
      object: 'group', id: created.id, name: `Escalations ${t}`, created_at: created.created_at,
      is_scim_managed: false,
    });
    assert.equal((await org.groups.retrieve(created.id)).name, `Escalations ${t}`);

    const page = await org.groups.list();
    assertNextCursorPage(page.body, 'GET /organization/groups');
    assert.ok(page.body.data.some((g) => g.id === created.id));
    for (const g of page.body.data) assertGroup(g);

    const deleted = await org.groups.delete(created.id);
    assert.deepEqual({ ...deleted }, { object: 'group.deleted', id: created.id, deleted: true });
    await expectAPIError(org.groups.retrieve(created.id), NotFoundError, { status: 404 },
      'retrieve a deleted group');
    await expectAPIError(org.groups.delete(created.id), NotFoundError, { status: 404 },
      'delete a deleted group');
    await expectAPIError(org.groups.update(created.id, { name: 'x' }), NotFoundError,
      { status: 404 }, 'update a deleted group');
  });

  test('list auto-paginates in both orders and survives a deleted cursor', async () => {
    const { org } = ctx;
    const before = (await collect(org.groups.list())).map((g) => g.id);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await org.groups.create({ name: `Page ${i} ${t}` })).id);
    const all = [...before, ...ids];

    assert.deepEqual((await collect(org.groups.list({ limit: 1 }))).map((g) => g.id), all);
    assert.deepEqual((await collect(org.groups.list({ limit: 2, order: 'desc' }))).map((g) => g.id),
      [...all].reverse());
    const first = await org.groups.list({ limit: 2 });
    assertNextCursorPage(first.body);
    assert.equal(first.body.has_more, all.length > 2);

    // Delete the group a cursor names, then continue after it.
    await org.groups.delete(ids[1]);
    const rest = await org.groups.list({ after: ids[1] });
    assert.deepEqual(rest.body.data.map((g) => g.id), ids.slice(2));
    for (const id of [ids[0], ...ids.slice(2)]) await org.groups.delete(id);
  });

  test('invalid bodies and queries are BadRequestError with the field', async () => {
    const { org } = ctx;
    await expectAPIError(org.groups.create({}), BadRequestError,
      { status: 400, param: 'name', code: 'missing_required_parameter' }, 'no name');
    await expectAPIError(org.groups.create({ name: '   ' }), BadRequestError,
      { status: 400, param: 'name', code: 'invalid_value' }, 'blank name');
    await expectAPIError(org.groups.create({ name: 'x'.repeat(256) }), BadRequestError,
      { status: 400, param: 'name', code: 'invalid_value' }, '256 characters');
    await expectAPIError(org.groups.create({ name: 7 }), BadRequestError,
      { status: 400, param: 'name', code: 'invalid_type' }, 'name not a string');
    await expectAPIError(org.groups.list({ limit: 1001 }), BadRequestError,
      { status: 400, param: 'limit', code: 'integer_above_max_value' }, 'limit 1001');
    await expectAPIError(org.groups.list({ after: 'group_doesnotexist' }), BadRequestError,
      { status: 400, param: 'after', code: 'invalid_value' }, 'unknown cursor');
    // One character is a valid name.
    const g = await org.groups.create({ name: 'x' });
    assertGroup(g, { name: 'x' });
    await org.groups.delete(g.id);
  });

  test('group users: create, retrieve, list, delete, replays and 404s', async () => {
    const { org } = ctx;
    const group = await org.groups.create({ name: `Members ${t}` });
    const added = await org.groups.users.create(group.id, { user_id: users[0] });
    assert.deepEqual({ ...added }, { object: 'group.user', user_id: users[0], group_id: group.id });
    // A replay (SDK retry) answers 200 with the same body.
    assert.deepEqual({ ...await org.groups.users.create(group.id, { user_id: users[0] }) },
      { ...added });
    await org.groups.users.create(group.id, { user_id: users[1] });
    await org.groups.users.create(group.id, { user_id: users[2] });

    const member = await org.groups.users.retrieve(users[0], { group_id: group.id });
    assert.deepEqual({ ...member }, {
      id: users[0], name: 'Member 0', email: `member0-${t}@example.com`, picture: null,
      is_service_account: false, user_type: 'user',
    });

    const page = await org.groups.users.list(group.id);
    assertNextCursorPage(page.body, 'GET /organization/groups/{id}/users');
    for (const u of page.body.data) {
      assert.deepEqual(Object.keys(u).sort(), ['email', 'id', 'name'], 'group user list item');
    }
    // Default order is descending by user id; auto-pagination walks every member either way.
    const asc = [...users].sort();
    assert.deepEqual(page.body.data.map((u) => u.id), [...asc].reverse());
    assert.deepEqual((await collect(org.groups.users.list(group.id, { limit: 1, order: 'asc' })))
      .map((u) => u.id), asc);
    assert.deepEqual((await collect(org.groups.users.list(group.id, { limit: 2 })))
      .map((u) => u.id), [...asc].reverse());

    const removed = await org.groups.users.delete(users[0], { group_id: group.id });
    assert.deepEqual({ ...removed }, { object: 'group.user.deleted', deleted: true });
    await expectAPIError(org.groups.users.retrieve(users[0], { group_id: group.id }), NotFoundError,
      { status: 404 }, 'retrieve a removed group user');
    await expectAPIError(org.groups.users.delete(users[0], { group_id: group.id }), NotFoundError,
      { status: 404 }, 'remove twice');
    // Still a member of the organization.
    assert.equal((await org.users.retrieve(users[0])).id, users[0]);

    await expectAPIError(org.groups.users.create(group.id, { user_id: 'user-doesnotexist' }),
      NotFoundError, { status: 404 }, 'add a non-member');
    await expectAPIError(org.groups.users.create('group_doesnotexist', { user_id: users[0] }),
      NotFoundError, { status: 404 }, 'add to an unknown group');
    await expectAPIError(org.groups.users.create(group.id, {}), BadRequestError,
      { status: 400, param: 'user_id', code: 'missing_required_parameter' }, 'no user_id');
    await expectAPIError(org.groups.users.list(group.id, { after: 'user-doesnotexist' }),
      BadRequestError, { status: 400, param: 'after', code: 'invalid_value' }, 'unknown cursor');
    await org.groups.delete(group.id);
  });

  test('group roles: create, retrieve, list, delete, replays and 404s', async () => {
    const { org } = ctx;
    const group = await org.groups.create({ name: `Roles ${t}` });
    const assigned = await org.groups.roles.create(group.id, { role_id: managers.id });
    assert.equal(assigned.object, 'group.role');
    assert.deepEqual(assigned.group, {
      object: 'group', id: group.id, name: `Roles ${t}`, created_at: group.created_at,
      scim_managed: false,
    });
    assertRole(assigned.role);
    assert.deepEqual(assigned.role, await org.roles.retrieve(managers.id));
    const replay = await org.groups.roles.create(group.id, { role_id: managers.id });
    assert.deepEqual({ ...replay }, { ...assigned }, 'a replayed assignment answers the same');

    const held = await org.groups.roles.retrieve(managers.id, { group_id: group.id });
    assertAssignedRole(held, { id: managers.id, name: managers.name });
    assert.deepEqual(held.assignment_sources, [source(group.id, 'group')]);

    // A predefined role may be assigned too; the list is in role creation order.
    await org.groups.roles.create(group.id, { role_id: readerRole.id });
    const page = await org.groups.roles.list(group.id);
    assertNextCursorPage(page.body);
    assert.deepEqual(page.body.data.map((r) => r.id), [readerRole.id, managers.id]);
    assert.deepEqual((await collect(org.groups.roles.list(group.id, { limit: 1 })))
      .map((r) => r.id), [readerRole.id, managers.id]);
    assert.deepEqual((await collect(org.groups.roles.list(group.id, { limit: 1, order: 'desc' })))
      .map((r) => r.id), [managers.id, readerRole.id]);

    const unassigned = await org.groups.roles.delete(managers.id, { group_id: group.id });
    assert.deepEqual({ ...unassigned }, { object: 'group.role.deleted', deleted: true });
    await expectAPIError(org.groups.roles.retrieve(managers.id, { group_id: group.id }),
      NotFoundError, { status: 404 }, 'retrieve an unassigned role');
    await expectAPIError(org.groups.roles.delete(managers.id, { group_id: group.id }),
      NotFoundError, { status: 404 }, 'unassign twice');
    await expectAPIError(org.groups.roles.create(group.id, { role_id: 'role_doesnotexist' }),
      NotFoundError, { status: 404 }, 'assign an unknown role');
    await expectAPIError(org.groups.roles.create(group.id, {}), BadRequestError,
      { status: 400, param: 'role_id', code: 'missing_required_parameter' }, 'no role_id');
    await expectAPIError(org.groups.roles.list('group_doesnotexist'), NotFoundError,
      { status: 404 }, 'roles of an unknown group');
    await org.groups.delete(group.id);
  });

  test('inherited roles appear in users.roles and disappear on the next read', async () => {
    const { org } = ctx;
    const uid = users[1];
    const group = await org.groups.create({ name: `Inherit ${t}` });
    await org.groups.roles.create(group.id, { role_id: managers.id });
    const heldIds = async () => (await collect(org.users.roles.list(uid, { limit: 1 })))
      .map((a) => a.id);
    assert.deepEqual(await heldIds(), [readerRole.id]);

    await org.groups.users.create(group.id, { user_id: uid });
    const list = await org.users.roles.list(uid);
    assertNextCursorPage(list.body);
    for (const a of list.body.data) assertAssignedRole(a);
    assert.deepEqual(list.body.data.map((a) => [a.id, a.assignment_sources]), [
      [readerRole.id, [source(uid, 'user')]],
      [managers.id, [source(group.id, 'group')]],
    ]);
    const retrieved = await org.users.roles.retrieve(managers.id, { user_id: uid });
    assert.deepEqual(retrieved.assignment_sources, [source(group.id, 'group')]);

    // Held only through the group: unassigning it from the user is refused, naming the group.
    const err = await expectAPIError(org.users.roles.delete(managers.id, { user_id: uid }),
      BadRequestError, { status: 400, code: 'role_inherited_from_group' },
      'unassign an inherited role');
    assert.ok(err.error.message.includes(`Inherit ${t}`), err.error.message);

    // Held both ways: both sources, user first; unassigning removes only the direct link.
    await org.users.roles.create(uid, { role_id: managers.id });
    assert.deepEqual((await org.users.roles.retrieve(managers.id, { user_id: uid }))
      .assignment_sources, [source(uid, 'user'), source(group.id, 'group')]);
    await org.users.roles.delete(managers.id, { user_id: uid });
    assert.deepEqual((await org.users.roles.retrieve(managers.id, { user_id: uid }))
      .assignment_sources, [source(group.id, 'group')]);

    // Every way of cutting the link takes effect on the next read.
    await org.groups.users.delete(uid, { group_id: group.id });
    assert.deepEqual(await heldIds(), [readerRole.id], 'after removal from the group');
    await expectAPIError(org.users.roles.retrieve(managers.id, { user_id: uid }), NotFoundError,
      { status: 404 }, 'retrieve a role no longer inherited');

    await org.groups.users.create(group.id, { user_id: uid });
    assert.deepEqual(await heldIds(), [readerRole.id, managers.id]);
    await org.groups.roles.delete(managers.id, { group_id: group.id });
    assert.deepEqual(await heldIds(), [readerRole.id], 'after unassigning the group role');

    await org.groups.roles.create(group.id, { role_id: managers.id });
    assert.deepEqual(await heldIds(), [readerRole.id, managers.id]);
    await org.groups.delete(group.id);
    assert.deepEqual(await heldIds(), [readerRole.id], 'after deleting the group');
  });

  test('a group granting Owner: inherited Owner, base role unchanged', async () => {
    const { org } = ctx;
    const uid = users[2];
    const group = await org.groups.create({ name: `Admins ${t}` });
    await org.groups.roles.create(group.id, { role_id: ownerRole.id });
    await org.groups.users.create(group.id, { user_id: uid });
    const held = (await org.users.roles.list(uid)).body.data;
    assert.deepEqual(held.map((a) => [a.id, a.assignment_sources]), [
      [ownerRole.id, [source(group.id, 'group')]],
      [readerRole.id, [source(uid, 'user')]],
    ]);
    assert.equal((await org.users.retrieve(uid)).role, 'reader', 'the legacy role is the base role');
    await expectAPIError(org.users.roles.delete(ownerRole.id, { user_id: uid }), BadRequestError,
      { status: 400, code: 'role_inherited_from_group' }, 'unassign Owner held through a group');
    await org.groups.delete(group.id);
  });

  test('the audit log records group changes and group role assignments', async () => {
    const { org } = ctx;
    const group = await org.groups.create({ name: `Audited ${t}` });
    await org.groups.update(group.id, { name: `Audited again ${t}` });
    await org.groups.update(group.id, { name: `Audited again ${t}` }); // no change, no event
    await org.groups.users.create(group.id, { user_id: users[0] }); // membership: no event
    await org.groups.roles.create(group.id, { role_id: managers.id });
    await org.groups.delete(group.id);

    const events = await collect(org.auditLogs.list({ resource_ids: [group.id], limit: 2 }));
    assert.deepEqual(events.map((e) => e.type), ['group.deleted', 'group.updated', 'group.created'],
      'newest first; the no-op rename and the membership wrote nothing');
    assert.deepEqual(events[2]['group.created'],
      { id: group.id, data: { group_name: `Audited ${t}` } });
    assert.deepEqual(events[1]['group.updated'],
      { id: group.id, changes_requested: { group_name: `Audited again ${t}` } });
    assert.deepEqual(events[0]['group.deleted'], { id: group.id });

    const assignment = `${group.id}:${managers.id}`;
    const assignments = await collect(org.auditLogs.list({ resource_ids: [assignment] }));
    assert.deepEqual(assignments.map((e) => e.type),
      ['role.assignment.deleted', 'role.assignment.created']);
    for (const e of assignments) {
      assert.deepEqual(e[e.type], {
        id: assignment, principal_id: group.id, principal_type: 'group',
        resource_id: e[e.type].resource_id, resource_type: 'api.organization',
      });
      assert.match(e[e.type].resource_id, /^org-/);
    }
  });

  testCleanShutdown(ctx);
});
