// client.admin.organization.users: list (pagination, emails filter), retrieve, update, delete.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { BadRequestError, NotFoundError } from 'openai';

import { testCleanShutdown, token, useRoster } from './lib/roster.mjs';
import {
  REQUEST_ID_RE, assertConversationPage, assertUser, collect, expectAPIError,
} from './lib/shapes.mjs';

const now = () => Math.floor(Date.now() / 1000);
const withoutLastUsed = ({ api_key_last_used_at, ...rest }) => rest;

describe('users', () => {
  const ctx = useRoster();
  const t = token();

  // Runs first, while the bootstrap owner is the only owner of the organization.
  test('the last owner can be neither demoted nor deleted (400 last_owner)', async () => {
    const { org, rs } = ctx;
    const all = await collect(org.users.list({ limit: 100 }));
    const owners = all.filter((u) => u.role === 'owner');
    assert.equal(owners.length, 1, `a fresh server has exactly one owner: ${JSON.stringify(all)}`);
    const owner = owners[0];

    await expectAPIError(org.users.update(owner.id, { role: 'reader' }), BadRequestError,
      { status: 400, code: 'last_owner', param: undefined },
      `POST /organization/users/${owner.id} {role: "reader"} on the only owner`);
    await expectAPIError(org.users.delete(owner.id), BadRequestError,
      { status: 400, code: 'last_owner', param: undefined },
      `DELETE /organization/users/${owner.id} on the only owner`);
    const after = await org.users.retrieve(owner.id);
    assertUser(after, { id: owner.id, role: 'owner' });

    // With a second owner, that one can be demoted and deleted.
    const second = await rs.addUser({ email: `second-owner-${t}@example.com`, name: 'Second Owner',
      role: 'owner' });
    assertUser(await org.users.retrieve(second), { role: 'owner' });
    const demoted = await org.users.update(second, { role: 'reader' });
    assertUser(demoted, { id: second, role: 'reader' });
    // Now the bootstrap owner is alone again.
    await expectAPIError(org.users.update(owner.id, { role: 'reader' }), BadRequestError,
      { status: 400, code: 'last_owner', param: undefined },
      'demote the only owner after the second owner was demoted');
    const del = await org.users.delete(second);
    assert.deepEqual(del, { object: 'organization.user.deleted', id: second, deleted: true });
  });

  test('list: the bootstrap owner with every field, page envelope, request id', async () => {
    const { org } = ctx;
    const { data: page, request_id } = await org.users.list().withResponse();
    assert.match(request_id, REQUEST_ID_RE);
    assertConversationPage(page.body, 'GET /organization/users');
    assert.ok(page.body.data.length >= 1);
    for (const u of page.body.data) assertUser(u);
    const owner = page.body.data.find((u) => u.role === 'owner');
    assert.ok(owner, 'the bootstrap owner is listed');

    const got = await org.users.retrieve(owner.id);
    assert.match(got._request_id, REQUEST_ID_RE, 'retrieve()._request_id');
    assertUser(got, { id: owner.id, role: 'owner' });
    // api_key_last_used_at of the key owner may move between the two calls.
    assert.deepEqual(withoutLastUsed(got), withoutLastUsed(owner), 'retrieve equals the list entry');
  });

  test('retrieve: a member added with the CLI', async () => {
    const { org, rs } = ctx;
    const before = now();
    const email = `retrieve-${t}@example.com`;
    const id = await rs.addUser({ email, name: 'Retrieve Me' });
    const u = await org.users.retrieve(id);
    assertUser(u, {
      id, email, name: 'Retrieve Me', role: 'reader', technical_level: null,
      developer_persona: null, api_key_last_used_at: null,
    });
    assert.ok(u.added_at >= before - 5 && u.added_at <= now() + 5,
      `added_at ${u.added_at} is the time the user was added (now ≈ ${now()})`);
    assert.ok(u.created <= u.added_at + 5, `created ${u.created} <= added_at ${u.added_at}`);
  });

  test('update: metadata fields, {} and nulls leave the user unchanged', async () => {
    const { org, rs } = ctx;
    const id = await rs.addUser({ email: `meta-${t}@example.com`, name: 'Meta' });
    const u1 = await org.users.update(id, { technical_level: 'expert', developer_persona: 'backend' });
    assertUser(u1, { id, role: 'reader', technical_level: 'expert', developer_persona: 'backend' });
    assert.deepEqual(await org.users.retrieve(id), u1, 'update is persisted');

    const u2 = await org.users.update(id, {});
    assert.deepEqual(u2, u1, 'update with {} changes nothing');
    const u3 = await org.users.update(id, {
      role: null, role_id: null, technical_level: null, developer_persona: null,
    });
    assert.deepEqual(u3, u1, 'null fields mean "leave unchanged" (CONTRACT §7.3)');

    const u4 = await org.users.update(id, { developer_persona: 'frontend' });
    assertUser(u4, { technical_level: 'expert', developer_persona: 'frontend' });
  });

  test('update: role swaps between reader and owner', async () => {
    const { org, rs } = ctx;
    const id = await rs.addUser({ email: `swap-${t}@example.com`, name: 'Swap' });
    const promoted = await org.users.update(id, { role: 'owner' });
    assertUser(promoted, { id, role: 'owner' });
    assertUser(await org.users.retrieve(id), { role: 'owner' });
    const again = await org.users.update(id, { role: 'owner' });
    assertUser(again, { id, role: 'owner' });
    const demoted = await org.users.update(id, { role: 'reader' });
    assertUser(demoted, { id, role: 'reader' });
    assertUser(await org.users.retrieve(id), { role: 'reader' });
  });

  test('update: role "admin" → 400 invalid_value on role', async () => {
    const { org, rs } = ctx;
    const id = await rs.addUser({ email: `badrole-${t}@example.com`, name: 'Bad Role' });
    await expectAPIError(org.users.update(id, { role: 'admin' }), BadRequestError,
      { status: 400, param: 'role', code: 'invalid_value' }, `POST /organization/users/${id} {role:"admin"}`);
    assertUser(await org.users.retrieve(id), { role: 'reader' });
  });

  test('delete: confirmation, then 404 on retrieve, on list and on a replayed delete', async () => {
    const { org, rs } = ctx;
    const email = `delete-${t}@example.com`;
    const id = await rs.addUser({ email, name: 'Delete Me' });
    const del = await org.users.delete(id);
    assert.deepEqual(del, { object: 'organization.user.deleted', id, deleted: true });
    assert.match(del._request_id, REQUEST_ID_RE);
    await expectAPIError(org.users.retrieve(id), NotFoundError, { status: 404 },
      `GET /organization/users/${id} after delete`);
    await expectAPIError(org.users.delete(id), NotFoundError, { status: 404 },
      `replayed DELETE /organization/users/${id}`);
    await expectAPIError(org.users.update(id, { role: 'owner' }), NotFoundError, { status: 404 },
      `POST /organization/users/${id} after delete`);
    const page = await org.users.list({ emails: [email] });
    assertConversationPage(page.body);
    assert.deepEqual(page.body.data, [], 'a deleted user is not listed');
    const all = await collect(org.users.list({ limit: 100 }));
    assert.ok(!all.some((u) => u.id === id), 'a deleted user is not listed');
  });

  test('list: emails filter (one, several, case-insensitive, unknown → empty page)', async () => {
    const { org, rs } = ctx;
    const alice = `Alice.${t}@Example.com`;
    const bob = `bob.${t}@example.com`;
    const carol = `carol+tag.${t}@example.com`;
    const ida = await rs.addUser({ email: alice, name: 'Alice' });
    const idb = await rs.addUser({ email: bob, name: 'Bob' });
    const idc = await rs.addUser({ email: carol, name: 'Carol' });

    const one = await org.users.list({ emails: [alice] });
    assertConversationPage(one.body, 'emails=[alice]');
    assert.deepEqual(one.body.data.map((u) => u.id), [ida]);
    assertUser(one.body.data[0], { id: ida, email: alice, name: 'Alice', role: 'reader' });
    assert.equal(one.body.has_more, false);

    const lower = await org.users.list({ emails: [alice.toLowerCase()] });
    assert.deepEqual(lower.body.data.map((u) => u.id), [ida], 'match is case-insensitive');
    const upper = await org.users.list({ emails: [bob.toUpperCase()] });
    assert.deepEqual(upper.body.data.map((u) => u.id), [idb], 'match is case-insensitive');

    // `+` must survive the query encoding (emails%5B%5D=carol%2Btag...).
    const plus = await org.users.list({ emails: [carol] });
    assert.deepEqual(plus.body.data.map((u) => u.id), [idc], 'an email with "+"');

    const several = await org.users.list({ emails: [carol, alice, `nobody.${t}@example.com`] });
    assertConversationPage(several.body, 'emails=[carol, alice, nobody]');
    assert.deepEqual(several.body.data.map((u) => u.id), [ida, idc],
      'any-of match, in list order (added_at ascending)');

    const paged = await collect(org.users.list({ emails: [alice, bob, carol], limit: 1 }));
    assert.deepEqual(paged.map((u) => u.id), [ida, idb, idc], 'filter is kept across pages');

    const padded = await org.users.list({ emails: [`  ${bob}  `] });
    assert.deepEqual(padded.body.data.map((u) => u.id), [idb],
      'exact match after trimming (CONTRACT §7.1)');

    const none = await org.users.list({ emails: [`nobody.${t}@example.com`] });
    assertConversationPage(none.body, 'emails=[unknown]');
    assert.deepEqual(none.body, {
      object: 'list', data: [], first_id: null, last_id: null, has_more: false,
    });
    assert.deepEqual(none.data, []);
  });

  test('list: default limit 20, limit 100, and for-await over 250+ members with limit 7', async () => {
    const { org, rs } = ctx;
    const SEEDED = 260;
    const count = async () => {
      // Independent of the SDK: raw GETs following last_id with the maximum page size.
      const ids = [];
      let after = null;
      for (let i = 0; i < 100; i++) {
        const q = `limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`;
        const res = await rs.raw('GET', `/v1/organization/users?${q}`);
        assert.equal(res.status, 200, `GET /v1/organization/users?${q}: ${res.text}`);
        assertConversationPage(res.json, `GET /v1/organization/users?${q}`);
        ids.push(...res.json.data.map((u) => u.id));
        if (!res.json.has_more) return ids;
        after = res.json.last_id;
      }
      assert.fail('more than 100 pages of 100 users');
    };
    const before = await count();
    await rs.seed(SEEDED);
    const expected = await count();
    assert.equal(expected.length, before.length + SEEDED,
      `roster seed --users ${SEEDED} adds ${SEEDED} members`);
    assert.equal(new Set(expected).size, expected.length, 'raw pages hold each member once');

    const first = await org.users.list();
    assertConversationPage(first.body, 'GET /organization/users (default limit)');
    assert.equal(first.body.data.length, 20, 'default limit is 20');
    assert.equal(first.body.has_more, true);
    assert.deepEqual(first.body.data.map((u) => u.id), expected.slice(0, 20));

    const hundred = await org.users.list({ limit: 100 });
    assert.equal(hundred.body.data.length, 100, 'limit 100 is allowed');
    assert.deepEqual(hundred.body.data.map((u) => u.id), expected.slice(0, 100));

    // Page by page with limit 7.
    const pages = [];
    for await (const page of (await org.users.list({ limit: 7 })).iterPages()) {
      assertConversationPage(page.body, `page ${pages.length + 1} (limit 7)`);
      pages.push(page.body);
    }
    assert.equal(pages.length, Math.ceil(expected.length / 7), 'number of pages');
    for (const [i, p] of pages.entries()) {
      const last = i === pages.length - 1;
      assert.equal(p.has_more, !last, `page ${i + 1}.has_more`);
      if (!last) assert.equal(p.data.length, 7, `page ${i + 1} is full`);
    }

    const seen = [];
    const addedAt = [];
    for await (const u of org.users.list({ limit: 7 })) {
      assertUser(u, {}, `member #${seen.length + 1}`);
      seen.push(u.id);
      addedAt.push(u.added_at);
    }
    assert.equal(seen.length, expected.length, 'for await sees every member');
    assert.equal(new Set(seen).size, seen.length, 'each member exactly once');
    assert.deepEqual(seen, expected, 'same order as the raw pages of 100');
    for (let i = 1; i < addedAt.length; i++) {
      assert.ok(addedAt[i - 1] <= addedAt[i], `added_at ascending at position ${i}`);
    }
    const again = await collect(org.users.list({ limit: 7 }));
    assert.deepEqual(again.map((u) => u.id), seen, 'order is stable between two walks');
  });

  test('list: a cursor survives the deletion of the member it names', async () => {
    const { org, rs } = ctx;
    const ids = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await rs.addUser({ email: `cursor${i}-${t}@example.com`, name: `Cursor ${i}` }));
    }
    const page1 = await org.users.list({ limit: 2, after: ids[0] });
    assertConversationPage(page1.body);
    assert.deepEqual(page1.body.data.map((u) => u.id), [ids[1], ids[2]]);
    await org.users.delete(ids[2]);
    const page2 = await page1.getNextPage();
    assertConversationPage(page2.body, `GET /organization/users?limit=2&after=${ids[2]} (deleted)`);
    assert.deepEqual(page2.body.data.map((u) => u.id), [ids[3], ids[4]],
      'continues after the former position of the deleted member');
  });

  testCleanShutdown(ctx);
});
