// client.admin.organization.roles: list (NextCursorPage), create, retrieve, update, delete;
// predefined roles, name uniqueness, validation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { BadRequestError, NotFoundError } from 'openai';

import { testCleanShutdown, token, useRoster } from './lib/roster.mjs';
import {
  REQUEST_ID_RE, assertNextCursorPage, assertRole, collect, expectAPIError,
} from './lib/shapes.mjs';

const sorted = (a) => [...a].sort();

describe('roles', () => {
  const ctx = useRoster();
  const t = token();

  const predefined = async () => {
    const all = await collect(ctx.org.roles.list());
    return {
      owner: all.find((r) => r.predefined_role && r.name === 'Owner'),
      reader: all.find((r) => r.predefined_role && r.name === 'Reader'),
      all,
    };
  };

  test('list: predefined Owner and Reader with every field', async () => {
    const { org } = ctx;
    const { data: page, request_id } = await org.roles.list().withResponse();
    assert.match(request_id, REQUEST_ID_RE);
    assertNextCursorPage(page.body, 'GET /organization/roles');
    assert.equal(page.body.has_more, false, 'default limit 1000 holds every role');
    for (const r of page.body.data) assertRole(r);
    const names = page.body.data.filter((r) => r.predefined_role).map((r) => r.name);
    assert.deepEqual(sorted(names), ['Owner', 'Reader'], 'predefined organization roles');
    const { owner, reader } = await predefined();
    assert.ok(owner.permissions.length > 0, 'Owner has permissions');
    for (const p of reader.permissions) {
      assert.ok(owner.permissions.includes(p), `Owner holds everything Reader holds (${p})`);
    }
    assert.ok(owner.permissions.includes('api.groups.write'), 'Owner can write groups');
    assert.ok(owner.permissions.includes('api.management.write'), 'Owner manages the organization');
    assert.deepEqual(await org.roles.retrieve(owner.id), owner, 'retrieve equals the list entry');
    assert.deepEqual(await org.roles.retrieve(reader.id), reader, 'retrieve equals the list entry');
  });

  // The product rule (issue "Invites, admin API keys, groups…"): Reader reads everything and
  // changes nothing; it deliberately differs from the dashboard summary in CONTRACT §8.6, see
  // docs/DECISIONS.md.
  test('predefined Reader reads organization management and changes nothing of it', async () => {
    const { reader } = await predefined();
    const admin = reader.permissions.filter((p) =>
      /^api\.(management|roles|groups)\./.test(p));
    assert.ok(admin.includes('api.management.read'), 'Reader reads users, invites and keys');
    assert.deepEqual(admin.filter((p) => p.endsWith('.write')), [],
      'Reader holds no write permission on organization management, roles or groups');
  });

  test('create / retrieve / delete a custom role', async () => {
    const { org } = ctx;
    const name = `Group Admin ${t}`;
    const created = await org.roles.create({
      role_name: name,
      permissions: ['api.groups.read', 'api.groups.write'],
      description: 'Manages groups',
    });
    assert.match(created._request_id, REQUEST_ID_RE);
    assertRole(created, { name, description: 'Manages groups', predefined_role: false });
    assert.deepEqual(sorted(created.permissions), ['api.groups.read', 'api.groups.write']);

    const got = await org.roles.retrieve(created.id);
    assert.deepEqual(got, created, 'retrieve equals create');
    const listed = (await collect(org.roles.list())).find((r) => r.id === created.id);
    assert.deepEqual(listed, created, 'listed');

    const bare = await org.roles.create({ role_name: `Bare ${t}`, permissions: [] });
    assertRole(bare, { name: `Bare ${t}`, description: null, permissions: [],
      predefined_role: false });

    const del = await org.roles.delete(created.id);
    assert.deepEqual(del, { object: 'role.deleted', id: created.id, deleted: true });
    assert.match(del._request_id, REQUEST_ID_RE);
    await expectAPIError(org.roles.retrieve(created.id), NotFoundError, { status: 404 },
      `GET /organization/roles/${created.id} after delete`);
    await expectAPIError(org.roles.delete(created.id), NotFoundError, { status: 404 },
      `replayed DELETE /organization/roles/${created.id}`);
    await expectAPIError(org.roles.update(created.id, { description: 'x' }), NotFoundError,
      { status: 404 }, `POST /organization/roles/${created.id} after delete`);
    assert.ok(!(await collect(org.roles.list())).some((r) => r.id === created.id), 'not listed');

    // The name is free again.
    const reborn = await org.roles.create({ role_name: name, permissions: ['api.groups.read'] });
    assertRole(reborn, { name });
    assert.notEqual(reborn.id, created.id);
  });

  test('update: no body and {} → 200 unchanged; partial updates; nulls unchanged', async () => {
    const { org } = ctx;
    const role = await org.roles.create({
      role_name: `Editable ${t}`, permissions: ['api.groups.read'], description: 'before',
    });

    const noBody = await org.roles.update(role.id);
    assert.match(noBody._request_id, REQUEST_ID_RE);
    assert.deepEqual(noBody, role, 'roles.update(id) with no body changes nothing');
    assert.deepEqual(await org.roles.update(role.id, {}), role, '{} changes nothing');
    assert.deepEqual(
      await org.roles.update(role.id, { role_name: null, permissions: null, description: null }),
      role, 'nulls change nothing');

    const d = await org.roles.update(role.id, { description: 'after' });
    assertRole(d, { id: role.id, name: role.name, description: 'after',
      permissions: role.permissions, predefined_role: false });

    const p = await org.roles.update(role.id, {
      permissions: ['api.roles.read', 'api.groups.write'],
    });
    assertRole(p, { name: role.name, description: 'after' });
    assert.deepEqual(sorted(p.permissions), ['api.groups.write', 'api.roles.read'],
      'permissions are replaced as a whole');

    const n = await org.roles.update(role.id, { role_name: `Renamed ${t}` });
    assertRole(n, { name: `Renamed ${t}`, description: 'after' });
    assert.deepEqual(sorted(n.permissions), ['api.groups.write', 'api.roles.read']);

    const cleared = await org.roles.update(role.id, { permissions: [] });
    assertRole(cleared, { permissions: [] });

    assert.deepEqual(await org.roles.retrieve(role.id), cleared, 'updates are persisted');
  });

  test('list: for-await with limit 1 (NextCursorPage), order asc/desc', async () => {
    const { org } = ctx;
    for (let i = 0; i < 4; i++) {
      await org.roles.create({ role_name: `Paged ${i} ${t}`, permissions: ['api.roles.read'] });
    }
    const single = await org.roles.list();
    assertNextCursorPage(single.body);
    const expected = single.body.data.map((r) => r.id);
    assert.ok(expected.length >= 6, 'Owner, Reader and at least four custom roles');
    assert.equal(new Set(expected).size, expected.length);
    const firstTwo = single.body.data.slice(0, 2).map((r) => r.name);
    assert.deepEqual(sorted(firstTwo), ['Owner', 'Reader'], 'predefined roles come first (oldest)');

    const pages = [];
    for await (const page of (await org.roles.list({ limit: 1 })).iterPages()) {
      assertNextCursorPage(page.body, `roles page ${pages.length + 1} (limit 1)`);
      pages.push(page.body);
    }
    assert.equal(pages.length, expected.length, 'one page per role');
    for (const [i, p] of pages.entries()) {
      assert.equal(p.data.length, 1, `page ${i + 1} size`);
      assert.equal(p.has_more, i < pages.length - 1, `page ${i + 1}.has_more`);
    }
    const walked = await collect(org.roles.list({ limit: 1 }));
    assert.deepEqual(walked.map((r) => r.id), expected, 'each role once, same order');
    assert.deepEqual(walked, single.body.data);

    const desc = await collect(org.roles.list({ order: 'desc', limit: 3 }));
    assert.deepEqual(desc.map((r) => r.id), [...expected].reverse(), 'order desc across pages');
    const asc = await org.roles.list({ order: 'asc' });
    assert.deepEqual(asc.body.data.map((r) => r.id), expected, 'order asc is the default');

    // limit=0 is legal on this endpoint and means the default (CONTRACT §5.5, N-7).
    const zero = await org.roles.list({ limit: 0 });
    assertNextCursorPage(zero.body, 'GET /organization/roles?limit=0');
    assert.deepEqual(zero.body.data.map((r) => r.id), expected);
  });

  test('list: a cursor survives the deletion of the role it names', async () => {
    const { org } = ctx;
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push(await org.roles.create({ role_name: `Cursor ${i} ${t}`, permissions: [] }));
    }
    const page1 = await org.roles.list({ limit: 1, after: made[0].id });
    assertNextCursorPage(page1.body);
    assert.deepEqual(page1.body.data.map((r) => r.id), [made[1].id]);
    await org.roles.delete(made[1].id);
    const page2 = await page1.getNextPage();
    assertNextCursorPage(page2.body, `GET /organization/roles?limit=1&after=${made[1].id} (deleted)`);
    assert.deepEqual(page2.body.data.map((r) => r.id), [made[2].id]);
    await expectAPIError(org.roles.list({ after: 'role_neverexisted00000000000' }), BadRequestError,
      { status: 400, param: 'after', code: 'invalid_value' },
      'GET /organization/roles?after=<never existed>');
  });

  test('predefined roles cannot be updated or deleted (400 predefined_role_immutable)',
    async () => {
      const { org } = ctx;
      const { owner, reader } = await predefined();
      const cases = [
        ['update Owner description', () => org.roles.update(owner.id, { description: 'x' })],
        ['update Owner permissions', () => org.roles.update(owner.id, { permissions: [] })],
        ['rename Reader', () => org.roles.update(reader.id, { role_name: `Reader ${t}` })],
        ['delete Owner', () => org.roles.delete(owner.id)],
        ['delete Reader', () => org.roles.delete(reader.id)],
      ];
      for (const [what, call] of cases) {
        await expectAPIError(call(), BadRequestError,
          { status: 400, code: 'predefined_role_immutable', param: undefined }, what);
      }
      const after = await predefined();
      assert.deepEqual(after.owner, owner, 'Owner unchanged');
      assert.deepEqual(after.reader, reader, 'Reader unchanged');
    });

  test('role names are unique, case-insensitively (400 role_name_taken on role_name)',
    async () => {
      const { org } = ctx;
      const name = `Dup ${t}`;
      const first = await org.roles.create({ role_name: name, permissions: [] });
      const taken = { status: 400, param: 'role_name', code: 'role_name_taken' };
      await expectAPIError(org.roles.create({ role_name: name, permissions: [] }),
        BadRequestError, taken, `POST /organization/roles {role_name: "${name}"} again`);
      await expectAPIError(org.roles.create({ role_name: name.toUpperCase(), permissions: [] }),
        BadRequestError, taken, `POST /organization/roles {role_name: "${name.toUpperCase()}"}`);
      await expectAPIError(org.roles.create({ role_name: 'owner', permissions: [] }),
        BadRequestError, taken, 'POST /organization/roles {role_name: "owner"} (predefined name)');

      const other = await org.roles.create({ role_name: `Other ${t}`, permissions: [] });
      await expectAPIError(org.roles.update(other.id, { role_name: name.toLowerCase() }),
        BadRequestError, taken, `rename "Other ${t}" to an existing name`);
      assert.equal((await org.roles.retrieve(other.id)).name, `Other ${t}`, 'name unchanged');
      assert.equal((await collect(org.roles.list())).filter((r) => r.name === name).length, 1);
      assert.deepEqual(await org.roles.retrieve(first.id), first);
    });

  test('concurrent creates with one name: one 200, the rest 400 role_name_taken', async () => {
    const { org } = ctx;
    const name = `Race ${t}`;
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => org.roles.create({ role_name: name, permissions: [] })));
    const summary = results.map((r) => (r.status === 'fulfilled' ? 200
      : `${r.reason?.status} ${r.reason?.code}`));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1,
      `exactly one create succeeds: ${summary}`);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      assert.ok(r.reason instanceof BadRequestError && r.reason.code === 'role_name_taken',
        `the others are 400 role_name_taken: ${summary}`);
    }
    const created = results.find((r) => r.status === 'fulfilled').value;
    const dels = await Promise.allSettled(
      Array.from({ length: 4 }, () => org.roles.delete(created.id)));
    const delSummary = dels.map((r) => (r.status === 'fulfilled' ? 200
      : `${r.reason?.status} ${r.reason?.code}`));
    assert.equal(dels.filter((r) => r.status === 'fulfilled').length, 1,
      `exactly one concurrent delete succeeds: ${delSummary}`);
    for (const r of dels.filter((x) => x.status === 'rejected')) {
      assert.ok(r.reason instanceof NotFoundError, `the others are 404: ${delSummary}`);
    }
  });

  test('create/update validation', async () => {
    const { org } = ctx;
    const bad = (body, param, code, what) => expectAPIError(org.roles.create(body),
      BadRequestError, { status: 400, param, code }, `POST /organization/roles ${what}`);
    await bad({ role_name: `NoPerms ${t}` }, 'permissions', 'missing_required_parameter',
      'without permissions');
    await bad({ permissions: ['api.groups.read'] }, 'role_name', 'missing_required_parameter',
      'without role_name');
    await bad({ role_name: `StrPerms ${t}`, permissions: 'api.groups.read' }, 'permissions',
      'invalid_type', 'with permissions as a string');
    await bad({ role_name: 42, permissions: [] }, 'role_name', 'invalid_type',
      'with role_name as a number');
    await bad({ role_name: `Unknown ${t}`, permissions: ['api.nope.nope'] }, 'permissions',
      'invalid_value', 'with an unknown permission');
    await bad({ role_name: '', permissions: [] }, 'role_name', undefined, 'with an empty name');
    await bad({ role_name: `Extra ${t}`, permissions: [], colour: 'blue' }, 'colour',
      'unknown_parameter', 'with an unknown field');
    assert.ok(!(await collect(org.roles.list())).some((r) => r.name.endsWith(t) &&
      /^(NoPerms|StrPerms|Unknown|Extra) /.test(r.name)), 'no refused role was created');

    const role = await org.roles.create({ role_name: `Valid ${t}`, permissions: [] });
    await expectAPIError(org.roles.update(role.id, { permissions: 'x' }), BadRequestError,
      { status: 400, param: 'permissions', code: 'invalid_type' }, 'update permissions: "x"');
    await expectAPIError(org.roles.update(role.id, { permissions: ['api.nope.nope'] }),
      BadRequestError, { status: 400, param: 'permissions', code: 'invalid_value' },
      'update with an unknown permission');
    assert.deepEqual(await org.roles.retrieve(role.id), role, 'refused updates change nothing');

    await expectAPIError(org.roles.list({ limit: 1001 }), BadRequestError,
      { status: 400, param: 'limit', code: 'integer_above_max_value' },
      'GET /organization/roles?limit=1001');
    await expectAPIError(org.roles.list({ order: 'up' }), BadRequestError,
      { status: 400, param: 'order', code: 'invalid_value' }, 'GET /organization/roles?order=up');
    await expectAPIError(org.roles.retrieve('role_doesnotexist0000000000'), NotFoundError,
      { status: 404 }, 'GET /organization/roles/<unknown>');
    await expectAPIError(org.roles.delete('role_doesnotexist0000000000'), NotFoundError,
      { status: 404 }, 'DELETE /organization/roles/<unknown>');
  });

  testCleanShutdown(ctx);
});
