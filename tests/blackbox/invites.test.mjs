// client.admin.organization.invites (create, retrieve, list, delete) and Roster's acceptance
// outside /v1: `roster invites link`, GET /roster/invites/TOKEN, POST /roster/invites/accept and
// `roster invites accept`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { BadRequestError, NotFoundError } from 'openai';

import { testCleanShutdown, token, useRoster } from './lib/roster.mjs';
import {
  assertConversationPage, assertRawError, assertRawHeaders, assertUser, collect, expectAPIError,
} from './lib/shapes.mjs';

const WEEK = 7 * 24 * 3600;
const now = () => Math.floor(Date.now() / 1000);

// CONTRACT §10.1 — the nine fields of an organization.invite.
function assertInvite(inv, expected = {}, where = 'invite') {
  assert.deepEqual(Object.keys(inv).sort(), ['accepted_at', 'created_at', 'email', 'expires_at',
    'id', 'object', 'projects', 'role', 'status'], `${where} keys: ${JSON.stringify(inv)}`);
  assert.equal(inv.object, 'organization.invite', `${where}.object`);
  assert.match(inv.id, /^invite-[0-9a-z]{24}$/, `${where}.id`);
  assert.ok(['owner', 'reader'].includes(inv.role), `${where}.role`);
  assert.ok(['pending', 'accepted', 'expired'].includes(inv.status), `${where}.status`);
  assert.ok(Number.isInteger(inv.created_at), `${where}.created_at`);
  assert.ok(inv.expires_at === null || Number.isInteger(inv.expires_at), `${where}.expires_at`);
  assert.ok(inv.accepted_at === null || Number.isInteger(inv.accepted_at), `${where}.accepted_at`);
  assert.ok(Array.isArray(inv.projects), `${where}.projects`);
  for (const p of inv.projects) {
    assert.deepEqual(Object.keys(p).sort(), ['id', 'role'], `${where}.projects item`);
    assert.ok(['member', 'owner'].includes(p.role), `${where}.projects role`);
  }
  for (const [k, v] of Object.entries(expected)) assert.deepEqual(inv[k], v, `${where}.${k}`);
}

describe('invites', () => {
  const ctx = useRoster();
  const t = token();
  const email = (name) => `${name}-${t}@example.com`;
  let defaultProject;

  // The acceptance token of a pending invite, from the link `roster invites link` prints.
  async function linkToken(inviteId) {
    const url = await ctx.rs.cli('invites', 'link', inviteId, '--base-url', ctx.rs.origin);
    const prefix = `${ctx.rs.origin}/invite/`;
    assert.ok(url.startsWith(prefix), `link ${JSON.stringify(url)} starts with ${prefix}`);
    const secret = url.slice(prefix.length);
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/, 'the token is URL-safe');
    return secret;
  }

  // POST /roster/invites/accept without any key, as the invitee's browser would.
  const accept = (body) => ctx.rs.raw('POST', '/roster/invites/accept', { key: null, body });

  test('create: a pending invite with every field, expiring in seven days', async () => {
    const { org } = ctx;
    const owner = (await collect(org.users.list())).find((u) => u.role === 'owner');
    defaultProject = owner.projects.data[0].id;

    const before = now();
    const inv = await org.invites.create({ email: email('first'), role: 'reader' });
    assertInvite(inv, { email: email('first'), role: 'reader', status: 'pending',
      accepted_at: null, projects: [{ id: defaultProject, role: 'member' }] });
    assert.ok(inv.created_at >= before - 1 && inv.created_at <= now() + 1, 'created_at is now');
    assert.equal(inv.expires_at, inv.created_at + WEEK, 'expires_at = created_at + 7 days');

    const owned = await org.invites.create({ email: email('projects'), role: 'reader',
      projects: [{ id: defaultProject, role: 'owner' }] });
    assert.deepEqual(owned.projects, [{ id: defaultProject, role: 'owner' }]);
    const none = await org.invites.create({ email: email('none'), role: 'owner', projects: [] });
    assert.deepEqual(none.projects, []);
  });

  test('create refusals: 400 with the field and a code', async () => {
    const { org } = ctx;
    for (const bad of ['no-at-sign', 'two@@example.com', '@example.com', 'local@', 'a b@c.d']) {
      await expectAPIError(org.invites.create({ email: bad, role: 'reader' }), BadRequestError,
        { status: 400, param: 'email', code: 'invalid_value' }, `invite ${JSON.stringify(bad)}`);
    }
    await expectAPIError(org.invites.create({ email: email('x'), role: 'member' }),
      BadRequestError, { status: 400, param: 'role', code: 'invalid_value' }, 'role member');
    await expectAPIError(org.invites.create({ role: 'reader' }), BadRequestError,
      { status: 400, param: 'email', code: 'missing_required_parameter' }, 'no email');
    await expectAPIError(
      org.invites.create({ email: email('x'), role: 'reader',
        projects: [{ id: 'proj_unknown', role: 'member' }] }),
      BadRequestError, { status: 400, param: 'projects', code: 'invalid_value' },
      'unknown project');
    await expectAPIError(org.invites.create({ email: email('first').toUpperCase(), role: 'owner' }),
      BadRequestError, { status: 400, param: 'email', code: 'invite_already_exists' },
      'a second pending invite for the same address');
    const owner = (await collect(org.users.list())).find((u) => u.role === 'owner');
    await expectAPIError(org.invites.create({ email: owner.email, role: 'reader' }),
      BadRequestError, { status: 400, param: 'email', code: 'already_member' }, 'a member');
  });

  test('retrieve and list: ConversationCursorPage walked with limit 1', async () => {
    const { org } = ctx;
    const { data: page } = await org.invites.list({ limit: 1 }).withResponse();
    assertConversationPage(page.body, 'GET /organization/invites?limit=1');
    assert.equal(page.body.has_more, true);

    const all = await collect(org.invites.list({ limit: 1 }));
    const full = (await org.invites.list({ limit: 100 })).data;
    assert.deepEqual(all.map((i) => i.id), full.map((i) => i.id), 'pages of 1 = one page of 100');
    assert.equal(all.length, 3);
    assert.deepEqual(all.map((i) => i.email),
      [email('first'), email('projects'), email('none')], 'creation order');
    for (const inv of all) {
      assertInvite(inv);
      assert.deepEqual(await org.invites.retrieve(inv.id), inv, 'retrieve = list item');
    }
    await expectAPIError(org.invites.retrieve(`invite-nope${t}`), NotFoundError,
      { status: 404 }, 'retrieve unknown');
    await expectAPIError(org.invites.list({ after: `invite-nope${t}` }), BadRequestError,
      { status: 400, param: 'after', code: 'invalid_value' }, 'unknown cursor');
    await expectAPIError(org.invites.list({ limit: 101 }), BadRequestError,
      { status: 400, param: 'limit', code: 'integer_above_max_value' }, 'limit 101');
  });

  test('delete: confirmation, then 404; its id still pages on', async () => {
    const { org } = ctx;
    const ids = (await collect(org.invites.list())).map((i) => i.id);
    const del = await org.invites.delete(ids[1]);
    assert.deepEqual(del, { object: 'organization.invite.deleted', id: ids[1], deleted: true });
    await expectAPIError(org.invites.retrieve(ids[1]), NotFoundError, { status: 404 },
      'retrieve deleted');
    await expectAPIError(org.invites.delete(ids[1]), NotFoundError, { status: 404 },
      'delete again');
    assert.deepEqual((await collect(org.invites.list({ limit: 1 }))).map((i) => i.id),
      [ids[0], ids[2]]);
    const after = await org.invites.list({ after: ids[1] });
    assert.deepEqual(after.data.map((i) => i.id), [ids[2]], 'after a deleted invite');
  });

  test('invite → link → accept → member', async () => {
    const { org, rs } = ctx;
    const inv = await org.invites.create({ email: email('colleague'), role: 'owner' });
    const secret = await linkToken(inv.id);

    // The acceptance page reads the invite with the token alone.
    const page = await rs.raw('GET', `/roster/invites/${secret}`, { key: null });
    assertRawHeaders(page, 'GET /roster/invites/TOKEN');
    assert.equal(page.status, 200, page.text);
    assert.equal(page.json.object, 'roster.invite');
    assert.equal(page.json.email, email('colleague'));
    assert.equal(page.json.role, 'owner');
    assert.equal(page.json.status, 'pending');
    assert.equal(page.json.expires_at, inv.expires_at);
    assert.match(page.json.organization.id, /^org-/);
    assert.equal(typeof page.json.organization.name, 'string');

    const res = await accept({ token: secret, name: 'New Colleague' });
    assertRawHeaders(res, 'POST /roster/invites/accept');
    assert.equal(res.status, 200, res.text);
    assertUser(res.json, { email: email('colleague'), name: 'New Colleague', role: 'owner' });

    // A member now, seen through the SDK; the invite is accepted.
    assertUser(await org.users.retrieve(res.json.id), { role: 'owner', name: 'New Colleague' });
    const accepted = await org.invites.retrieve(inv.id);
    assertInvite(accepted, { status: 'accepted' });
    assert.ok(Number.isInteger(accepted.accepted_at));

    // The link works once; an accepted invite can no longer be deleted; no new link.
    assertRawError(await accept({ token: secret }),
      { status: 400, code: 'invite_already_accepted' }, 'accept twice');
    await expectAPIError(org.invites.delete(inv.id), BadRequestError,
      { status: 400, code: 'invite_already_accepted' }, 'delete an accepted invite');
    await assert.rejects(rs.cli('invites', 'link', inv.id), /is accepted/,
      'roster invites link refuses an accepted invite');
  });

  test('roster invites accept: the same from the shell', async () => {
    const { org, rs } = ctx;
    const inv = await org.invites.create({ email: email('shell'), role: 'reader' });
    const userId = await rs.cli('invites', 'accept', inv.id, '--name', 'Shell Person');
    assert.match(userId, /^user-[0-9a-z]{24}$/);
    assertUser(await org.users.retrieve(userId),
      { email: email('shell'), name: 'Shell Person', role: 'reader' });
    assert.equal((await org.invites.retrieve(inv.id)).status, 'accepted');
    await assert.rejects(rs.cli('invites', 'accept', inv.id), /already been accepted/);
    await assert.rejects(rs.cli('invites', 'accept', `invite-nope${t}`), /No such invite/);
  });

  test('acceptance refusals: revoked, unknown, malformed', async () => {
    const { org, rs } = ctx;
    const inv = await org.invites.create({ email: email('revoked'), role: 'reader' });
    const secret = await linkToken(inv.id);
    await org.invites.delete(inv.id);
    assertRawError(await accept({ token: secret }), { status: 400, code: 'invite_not_found' },
      'a revoked link');
    assertRawError(await rs.raw('GET', `/roster/invites/${secret}`, { key: null }),
      { status: 404 }, 'the page of a revoked link');
    assertRawError(await accept({ token: 'nope' }), { status: 400, code: 'invite_not_found' },
      'an unknown token');
    assertRawError(await accept({}), { status: 400, param: 'token',
      code: 'missing_required_parameter' }, 'no token');
    assertRawError(await accept({ token: secret, role: 'owner' }),
      { status: 400, param: 'role', code: 'unknown_parameter' }, 'unknown field');
    assertRawError(await accept('{"token":'), { status: 400 }, 'not JSON');
    const wrong = await rs.raw('GET', '/roster/nothing', { key: null });
    assertRawError(wrong, { status: 404 }, 'unknown path outside /v1');
    assert.equal(wrong.json.error.message, 'Invalid URL (GET /roster/nothing)');
  });

  testCleanShutdown(ctx);
});
