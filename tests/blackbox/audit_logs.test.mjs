// client.admin.organization.auditLogs.list: the whole story of an invited colleague read back,
// every filter of CONTRACT §11.1 checked against the unfiltered log, and paging with limit 1.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';

import { BadRequestError } from 'openai';

import { testCleanShutdown, token, useRoster } from './lib/roster.mjs';
import { assertConversationPage, collect, expectAPIError } from './lib/shapes.mjs';

// CONTRACT §11.2: id, type, effective_at, project, actor and the payload under the type's name.
function assertAuditLog(e, where = 'audit log') {
  assert.match(e.id, /^audit_log-/, `${where}.id`);
  assert.equal(typeof e.type, 'string', `${where}.type`);
  assert.ok(Number.isInteger(e.effective_at), `${where}.effective_at`);
  assert.deepEqual(Object.keys(e).sort(),
    ['actor', 'effective_at', 'id', 'project', e.type, 'type'].sort(), `${where} keys`);
  assert.deepEqual(Object.keys(e.project).sort(), ['id', 'name'], `${where}.project`);
  assert.ok(e[e.type] !== null && typeof e[e.type] === 'object', `${where} payload`);
}

describe('audit logs', () => {
  const ctx = useRoster();
  const t = token();
  const s = {}; // the story's ids
  let all; // every event, newest first

  test('setup: invite a colleague, they accept, a group grants them a role', async () => {
    const { org, rs } = ctx;
    const owner = (await collect(org.users.list())).find((u) => u.role === 'owner');
    s.owner = owner;
    s.project = owner.projects.data[0].id;
    s.key = (await collect(org.adminAPIKeys.list()))[0].id;

    s.role = (await org.roles.create({ role_name: `Story ${t}`,
      permissions: ['api.usage.read'] })).id;
    s.email = `colleague-${t}@example.com`;
    s.invite = (await org.invites.create({ email: s.email, role: 'reader' })).id;
    const link = await rs.cli('invites', 'link', s.invite);
    const res = await rs.raw('POST', '/roster/invites/accept',
      { key: null, body: { token: link.split('/').pop(), name: 'Colleague' } });
    assert.equal(res.status, 200, res.text);
    s.user = res.json.id;

    // A second later, so the effective_at filters have two sides to tell apart.
    const second = Math.floor(Date.now() / 1000) + 1;
    while (Math.floor(Date.now() / 1000) < second) await sleep(50);
    s.boundary = second;

    s.group = (await org.groups.create({ name: `Story group ${t}` })).id;
    await org.groups.users.create(s.group, { user_id: s.user });
    await org.groups.roles.create(s.group, { role_id: s.role });
    // The role is theirs through the group.
    const held = await collect(org.users.roles.list(s.user));
    const inherited = held.find((r) => r.id === s.role);
    assert.ok(inherited, `the group's role is held: ${JSON.stringify(held)}`);
    assert.deepEqual(inherited.assignment_sources,
      [{ principal_id: s.group, principal_type: 'group' }]);
    await org.users.update(s.user, { role: 'owner' });

    all = await collect(org.auditLogs.list({ limit: 100 }));
  });

  test('the whole story reads back, newest first, with actors and payloads', async () => {
    for (const [i, e] of all.entries()) assertAuditLog(e, `event ${i}`);
    for (let i = 1; i < all.length; i++) {
      assert.ok(all[i - 1].effective_at >= all[i].effective_at, 'newest first');
    }
    for (const e of all) assert.deepEqual(e.project, { id: s.project, name: 'Default project' });

    const story = all.map((e) => e.type);
    const expected = ['user.updated', 'role.assignment.created', 'group.created',
      'user.added', 'invite.accepted', 'invite.sent', 'role.created'];
    // The story's events in this order (other events, such as the bootstrap's, come around them).
    let at = 0;
    for (const type of story) if (type === expected[at]) at++;
    assert.equal(at, expected.length, `story ${JSON.stringify(story)}`);

    const keyActor = { type: 'api_key', api_key: { id: s.key, type: 'user',
      user: { id: s.owner.id, email: s.owner.email } } };
    const colleague = { type: 'session',
      session: { user: { id: s.user, email: s.email }, ip_address: null } };
    // The event of `type` whose payload names `id`.
    const find = (type, id) => {
      const e = all.find((x) => x.type === type && x[type].id === id);
      assert.ok(e, `a ${type} event for ${id}`);
      return e;
    };

    assert.deepEqual(find('invite.sent', s.invite).actor, keyActor);
    assert.deepEqual(find('invite.sent', s.invite)['invite.sent'],
      { id: s.invite, data: { email: s.email, role: 'reader' } });
    assert.deepEqual(find('invite.accepted', s.invite).actor, colleague);
    assert.deepEqual(find('invite.accepted', s.invite)['invite.accepted'], { id: s.invite });
    assert.deepEqual(find('user.added', s.user).actor, colleague);
    assert.deepEqual(find('user.added', s.user)['user.added'],
      { id: s.user, data: { role: 'reader' } });
    assert.deepEqual(find('group.created', s.group)['group.created'],
      { id: s.group, data: { group_name: `Story group ${t}` } });
    const granted = all.find((e) => e.type === 'role.assignment.created' &&
      e['role.assignment.created'].principal_id === s.group);
    assert.ok(granted, 'the group role assignment is recorded');
    assert.equal(granted['role.assignment.created'].principal_type, 'group');
    assert.deepEqual(granted.actor, keyActor);
    assert.deepEqual(find('user.updated', s.user)['user.updated'],
      { id: s.user, changes_requested: { role: 'owner' } });
    assert.deepEqual(find('user.updated', s.user).actor, keyActor);
  });

  test('paging every event with limit 1 gives the same list', async () => {
    const { org } = ctx;
    const { data: first } = await org.auditLogs.list({ limit: 1 }).withResponse();
    assertConversationPage(first.body, 'GET /organization/audit_logs?limit=1');
    assert.equal(first.body.has_more, true);
    const paged = await collect(org.auditLogs.list({ limit: 1 }));
    assert.deepEqual(paged.map((e) => e.id), all.map((e) => e.id));
  });

  test('each filter returns exactly the matching events', async () => {
    const { org } = ctx;
    const ids = (events) => events.map((e) => e.id);
    const check = async (params, keep, what) => {
      const got = await collect(org.auditLogs.list({ ...params, limit: 2 }));
      const want = all.filter(keep);
      assert.deepEqual(ids(got), ids(want), `${what}: ${JSON.stringify(params)}`);
      return got;
    };
    const b = s.boundary;
    await check({ effective_at: { gt: b } }, (e) => e.effective_at > b, 'gt');
    await check({ effective_at: { gte: b } }, (e) => e.effective_at >= b, 'gte');
    await check({ effective_at: { lt: b } }, (e) => e.effective_at < b, 'lt');
    await check({ effective_at: { lte: b } }, (e) => e.effective_at <= b, 'lte');
    await check({ effective_at: { gte: b - 1, lt: b + 1 } },
      (e) => e.effective_at >= b - 1 && e.effective_at < b + 1, 'window');
    assert.ok(all.some((e) => e.effective_at < b) && all.some((e) => e.effective_at >= b),
      'events on both sides of the boundary');

    const types = ['invite.sent', 'group.created'];
    assert.equal((await check({ event_types: types }, (e) => types.includes(e.type), 'types'))
      .length, 2);
    assert.equal((await check({ actor_ids: [s.user] },
      (e) => e.actor?.session?.user?.id === s.user, 'actor user')).length, 2);
    assert.ok((await check({ actor_ids: [s.key] }, (e) => e.actor?.api_key?.id === s.key,
      'actor key')).length >= 5);
    await check({ actor_emails: [s.email.toUpperCase()] },
      (e) => e.actor?.session?.user?.email === s.email, 'actor email');
    assert.deepEqual((await check({ resource_ids: [s.invite] },
      (e) => e[e.type].id === s.invite, 'resource')).map((e) => e.type),
    ['invite.accepted', 'invite.sent']);
    await check({ project_ids: [s.project] }, () => true, 'project');
    await check({ project_ids: ['proj_elsewhere'] }, () => false, 'other project');
    await check({ event_types: ['user.added', 'user.updated'], actor_ids: [s.owner.id] },
      (e) => ['user.added', 'user.updated'].includes(e.type) && e.actor?.api_key?.user?.id ===
        s.owner.id, 'types AND actor');
  });

  test('before: the newer page, still newest first', async () => {
    const { org } = ctx;
    const page = await org.auditLogs.list({ before: all[3].id, limit: 2 });
    assert.deepEqual(page.data.map((e) => e.id), [all[1].id, all[2].id]);
    assert.equal(page.has_more, true);
  });

  test('tenant_only and refusals', async () => {
    const { org } = ctx;
    assert.deepEqual(await collect(org.auditLogs.list({ tenant_only: true })), []);
    assert.deepEqual(await collect(org.auditLogs.list({ tenant_only: true,
      event_types: ['tenant.user.added'] })), []);
    await expectAPIError(org.auditLogs.list({ tenant_only: true, event_types: ['user.added'] }),
      BadRequestError, { status: 400, param: 'event_types', code: 'invalid_value' },
      'tenant_only with a non-tenant type');
    await expectAPIError(org.auditLogs.list({ event_types: ['user.exploded'] }), BadRequestError,
      { status: 400, param: 'event_types', code: 'invalid_value' }, 'unknown type');
    await expectAPIError(org.auditLogs.list({ limit: 0 }), BadRequestError,
      { status: 400, param: 'limit', code: 'integer_below_min_value' }, 'limit 0');
    await expectAPIError(org.auditLogs.list({ after: `audit_log-nope${t}` }), BadRequestError,
      { status: 400, param: 'after', code: 'invalid_value' }, 'unknown cursor');
  });

  testCleanShutdown(ctx);
});
