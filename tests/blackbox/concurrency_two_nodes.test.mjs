// Many parallel SDK clients on the same members, split across two `roster serve` nodes on one
// PostgreSQL database (the PostgreSQL run of `make test`); in the SQLite run the same test drives
// one node, where the same invariants must hold. The workers change base roles (demoting owners
// too), assign and unassign custom roles, remove members and revoke admin keys, at random.
// Every response is recorded, and what is asserted afterwards holds for any interleaving:
//   - no response is a 5xx or a broken connection; refusals are only the expected ones;
//   - the organization keeps an owner; nobody holds a role twice;
//   - the audit log has exactly one event per effective change and nothing else;
//   - a revoked key is refused (401) by every node from the moment its revocation answered.
// A 200 that changed nothing (setting the current role, assigning a held role) writes no event,
// so the number of effective role changes is not known from the responses alone; it follows from
// the state instead: a holding alternates between held and not held, so per (member, role) the
// `created` events outnumber the `deleted` ones by exactly 1 when it is held at the end and by 0
// when it is not (either for a removed member, whose holdings go without events), and every
// `deleted` event is one 200 unassign. Base roles alternate the same way between owner and reader.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';

import { APIError } from 'openai';

import { startRoster, token } from './lib/roster.mjs';
import { collect } from './lib/shapes.mjs';

const onPostgres = process.env.ROSTER_TEST_BACKEND === 'postgres';

const OWNERS = 3; // including the key owner
const READERS = 20;
const TOGGLE_ROLES = 3; // custom roles the workers assign and unassign
const STABLE_KEYS = 4; // never revoked
const DOOMED_KEYS = 4; // revoked while in use
const WORKERS = 24; // the first 2 * DOOMED_KEYS use doomed keys, two per key
// ROSTER_CONC_OPS raises the count for a longer local soak; `make test` uses the default.
const OPS_PER_WORKER = Number(process.env.ROSTER_CONC_OPS) || 40;
const CONTESTED_READERS = 3; // readers whose base role the workers change, with the owners
const DELETABLE = 8; // members the workers may remove (never the key owner)

const title = onPostgres
  ? 'parallel clients on the same members across two nodes on one PostgreSQL database'
  : 'parallel clients on the same members on one node (SQLite)';

describe(title, () => {
  const t = token();
  const nodes = []; // [A] or [A, B]
  let org; // client.admin.organization through A with the bootstrap key
  const s = {
    keyOwner: null, // member id of the bootstrap owner: every admin key acts as them
    members: [], // every member id the workers touch
    initialRole: new Map(), // member id -> 'owner' | 'reader'
    deletable: [], // member ids the workers may remove
    contested: [], // member ids whose base role the workers change
    toggles: [], // custom role ids
    keyAdmin: null, // custom role keeping the keys usable while the key owner is a reader
    base: {}, // {owner: role id of Owner, reader: role id of Reader}
    stableKeys: [], // {id, value}
    doomedKeys: [], // {id, value}
    start: 0, // unix second from which every event is the workers'
  };
  const results = []; // one record per request the workers made

  before(async () => {
    const a = await startRoster();
    nodes.push(a);
    // B reads A's tables, so it serves A's bootstrap key (its own is ignored).
    if (onPostgres) nodes.push(await startRoster({ serveArgs: ['--db', a.db] }));
    org = a.client().admin.organization;
  });

  after(async () => {
    for (const node of [...nodes].reverse()) {
      const r = await node.stop();
      assert.deepEqual(r, { code: 0, signal: null }, `roster serve must exit 0; stderr:\n${node.stderr}`);
    }
  });

  test('setup: owners, readers, custom roles and admin keys', async () => {
    const [a] = nodes;
    const users = await collect(org.users.list({ limit: 100 }));
    assert.equal(users.length, 1, 'a fresh database has one member, the bootstrap owner');
    s.keyOwner = users[0].id;

    // A key acts with its owner's permissions; this role keeps them while the workers demote
    // the key owner, so the race tests the invariants rather than the key policy.
    s.keyAdmin = (await org.roles.create({
      role_name: `Key Admin ${t}`,
      permissions: ['api.management.read', 'api.management.write', 'api.roles.read',
        'api.roles.write', 'api.audit_logs.read'],
    })).id;
    await org.users.roles.create(s.keyOwner, { role_id: s.keyAdmin });
    for (let i = 0; i < TOGGLE_ROLES; i++) {
      s.toggles.push((await org.roles.create({ role_name: `Toggle ${i} ${t}`,
        permissions: ['api.groups.read'] })).id);
    }
    for (const r of await collect(org.roles.list())) {
      if (r.predefined_role && r.name === 'Owner') s.base.owner = r.id;
      if (r.predefined_role && r.name === 'Reader') s.base.reader = r.id;
    }
    assert.ok(s.base.owner && s.base.reader, 'the predefined Owner and Reader roles are listed');

    s.members.push(s.keyOwner);
    s.initialRole.set(s.keyOwner, 'owner');
    const wanted = [];
    for (let i = 1; i < OWNERS; i++) wanted.push({ email: `owner${i}-${t}@example.com`, role: 'owner' });
    for (let i = 0; i < READERS; i++) wanted.push({ email: `reader${i}-${t}@example.com`, role: 'reader' });
    for (let i = 0; i < wanted.length; i += 6) {
      const batch = wanted.slice(i, i + 6);
      const ids = await Promise.all(batch.map((w) => a.addUser({ email: w.email, role: w.role })));
      ids.forEach((id, j) => {
        s.members.push(id);
        s.initialRole.set(id, batch[j].role);
      });
    }
    // Base roles change among the owners and a few readers; everyone's custom roles change.
    s.contested = s.members.slice(0, OWNERS + CONTESTED_READERS);
    // Two owners besides the key owner and uncontested readers may go.
    const firstFree = OWNERS + CONTESTED_READERS;
    s.deletable = [...s.members.slice(1, OWNERS),
      ...s.members.slice(firstFree, firstFree + DELETABLE - (OWNERS - 1))];

    for (let i = 0; i < STABLE_KEYS; i++) {
      const k = await org.adminAPIKeys.create({ name: `stable ${i} ${t}` });
      s.stableKeys.push({ id: k.id, value: k.value });
    }
    for (let i = 0; i < DOOMED_KEYS; i++) {
      const k = await org.adminAPIKeys.create({ name: `doomed ${i} ${t}` });
      s.doomedKeys.push({ id: k.id, value: k.value });
    }

    // The workers start on a fresh second, so `effective_at >= start` holds their events only.
    const next = Math.floor(Date.now() / 1000) + 1;
    while (Math.floor(Date.now() / 1000) < next) await sleep(20);
    s.start = next;
  });

  test(`${WORKERS} workers, ${OPS_PER_WORKER} random requests each`, async () => {
    assert.ok(s.start > 0, 'setup ran');
    const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
    // Mostly demotions among few members, so the last owner is often contested.
    const demoteMostly = () => (Math.random() < 0.7 ? 'reader' : 'owner');

    // One operation: what it asks, and the SDK call making it.
    const operations = [
      // Base role changes, through every path that can change one.
      [14, (o) => {
        const user = pick(s.contested);
        const role = demoteMostly();
        return { op: 'set_role', user, role, call: () => o.users.update(user, { role }) };
      }],
      [4, (o) => {
        const user = pick(s.contested);
        const role = demoteMostly();
        return { op: 'set_role', user, role,
          call: () => o.users.update(user, { role_id: s.base[role] }) };
      }],
      [4, (o) => {
        const user = pick(s.contested);
        const role = demoteMostly();
        return { op: 'set_role', user, role,
          call: () => o.users.roles.create(user, { role_id: s.base[role] }) };
      }],
      [4, (o) => {
        const user = pick(s.contested); // removing Owner leaves Reader
        return { op: 'set_role', user, role: 'reader',
          call: () => o.users.roles.delete(s.base.owner, { user_id: user }) };
      }],
      // Custom role holdings.
      [16, (o) => {
        const user = pick(s.members);
        const role = pick(s.toggles);
        return { op: 'assign', user, role, call: () => o.users.roles.create(user, { role_id: role }) };
      }],
      [5, (o) => {
        const user = pick(s.members);
        const role = pick(s.toggles);
        return { op: 'assign', user, role, call: () => o.users.update(user, { role_id: role }) };
      }],
      [20, (o) => {
        const user = pick(s.members);
        const role = pick(s.toggles);
        return { op: 'unassign', user, role,
          call: () => o.users.roles.delete(role, { user_id: user }) };
      }],
      [2, (o) => {
        const user = pick(s.deletable);
        return { op: 'delete', user, call: () => o.users.delete(user) };
      }],
      [3, (o) => {
        const key = pick(s.doomedKeys).id;
        return { op: 'revoke', key, call: () => o.adminAPIKeys.delete(key) };
      }],
      // Reads, so refusals of revoked keys and 5xx on reads are seen too.
      [7, (o) => {
        const user = pick(s.members);
        return { op: 'read', user, call: () => collect(o.users.roles.list(user)) };
      }],
    ];
    const totalWeight = operations.reduce((n, [w]) => n + w, 0);
    const randomOperation = (o) => {
      let r = Math.random() * totalWeight;
      for (const [w, make] of operations) {
        if ((r -= w) < 0) return make(o);
      }
      return operations[0][1](o);
    };

    const worker = async (w) => {
      const key = w < 2 * DOOMED_KEYS ? s.doomedKeys[Math.floor(w / 2)] : s.stableKeys[w % STABLE_KEYS];
      const clients = nodes.map((n) => n.client(key.value).admin.organization);
      const doomed = s.doomedKeys.includes(key);
      // One of the two workers of a doomed key revokes it itself at some point, so every doomed
      // key is revoked while in use (by this worker or an earlier random revocation).
      const selfRevokeAt = doomed && w % 2 === 0 ? 5 + Math.floor(Math.random() * 25) : -1;
      for (let i = 0; i < OPS_PER_WORKER; i++) {
        const node = Math.floor(Math.random() * nodes.length);
        const o = clients[node];
        let req;
        if (i === selfRevokeAt) {
          req = { op: 'revoke', key: key.id, call: () => o.adminAPIKeys.delete(key.id) };
        } else if (!doomed && i < 3) {
          // Requests that cannot be refused (the key owner is never removed and a stable key
          // never revoked), so the race surely has successful writes and reads.
          const user = s.keyOwner;
          const role = s.toggles[w % s.toggles.length];
          req = [
            { op: 'assign', user, role, call: () => o.users.roles.create(user, { role_id: role }) },
            { op: 'read', user, call: () => collect(o.users.roles.list(user)) },
            { op: 'set_role', user, role: 'owner', call: () => o.users.update(user, { role: 'owner' }) },
          ][i];
        } else {
          req = randomOperation(o);
        }
        const rec = { worker: w, node, via: key.id, op: req.op, user: req.user, role: req.role,
          key: req.key, t0: performance.now() };
        try {
          await req.call();
          rec.status = 200;
        } catch (e) {
          if (e instanceof APIError && typeof e.status === 'number') {
            rec.status = e.status;
            rec.code = e.code;
          } else {
            rec.status = 'no response';
            rec.code = String(e?.message ?? e);
          }
        }
        rec.t1 = performance.now();
        results.push(rec);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    assert.equal(results.length, WORKERS * OPS_PER_WORKER);
  });

  const show = (rs) => rs.slice(0, 10).map((r) => JSON.stringify(r)).join('\n');

  test('no 5xx, no broken connection, only the expected refusals', (tc) => {
    assert.ok(results.length > 0, 'the workers ran');
    const tally = {};
    for (const r of results) {
      const k = `${r.op} ${r.status}${r.code ? ` ${r.code}` : ''}`;
      tally[k] = (tally[k] ?? 0) + 1;
    }
    tc.diagnostic(`outcomes: ${JSON.stringify(tally)}`);
    const broken = results.filter((r) => typeof r.status !== 'number' || r.status >= 500);
    assert.deepEqual(broken.length, 0, `5xx or no response:\n${show(broken)}`);

    const revoked = new Map(); // key id -> the 200 revocation
    for (const r of results) {
      if (r.op === 'revoke' && r.status === 200) {
        assert.ok(!revoked.has(r.key), `key ${r.key} revoked twice with 200`);
        revoked.set(r.key, r);
      }
    }
    const unexpected = results.filter((r) => {
      switch (r.status) {
        case 200:
        case 404: // a removed member, a role not held, a key already revoked
          return false;
        case 400: // the last owner stays
          return !(r.code === 'last_owner' && ['set_role', 'delete'].includes(r.op));
        case 401: // only with a key revoked during the run
          return !(r.code === 'invalid_api_key' && revoked.has(r.via));
        default:
          return true;
      }
    });
    assert.equal(unexpected.length, 0, `unexpected refusals:\n${show(unexpected)}`);
    // Every doomed key was revoked while in use, exactly once.
    assert.deepEqual([...revoked.keys()].sort(), s.doomedKeys.map((k) => k.id).sort());
    // From the moment a revocation answered, every node refuses the key.
    const late = results.filter((r) => revoked.has(r.via) && r.t0 > revoked.get(r.via).t1 &&
      r.status !== 401);
    assert.equal(late.length, 0, `requests sent after their key's revocation answered:\n${show(late)}`);
    // Not vacuous: the fixed first requests of the stable keys' workers and the revocations.
    for (const op of ['set_role', 'assign', 'read', 'revoke']) {
      assert.ok(results.some((r) => r.op === op && r.status === 200), `some ${op} succeeded`);
    }
  });

  // Read once by the tests below: every live member, as each node sees them.
  let live; // member id -> organization.user, for members not removed
  const removed = () => new Set(results.filter((r) => r.op === 'delete' && r.status === 200)
    .map((r) => r.user));

  test('every node sees the same members, and at least one owner', async () => {
    const views = [];
    for (const n of nodes) {
      views.push(await collect(n.client(nodes[0].key).admin.organization.users.list({ limit: 100 })));
    }
    const summary = (v) => v.map((u) => `${u.id} ${u.role}`);
    for (const v of views.slice(1)) {
      assert.deepEqual(summary(v), summary(views[0]), 'both nodes list the same members');
    }
    live = new Map(views[0].map((u) => [u.id, u]));
    const gone = removed();
    for (const id of s.members) {
      assert.equal(live.has(id), !gone.has(id), `member ${id} is listed iff it was not removed`);
    }
    assert.ok(live.has(s.keyOwner), 'the key owner is never removed');
    assert.ok(views[0].some((u) => u.role === 'owner'),
      `the organization still has an owner: ${JSON.stringify(views[0].map((u) => u.role))}`);
  });

  const held = new Map(); // member id -> role ids held directly (custom roles only)

  test('nobody holds a role twice; the base role is held once', async () => {
    assert.ok(live, 'members were read');
    for (const [id, u] of live) {
      const n = nodes[held.size % nodes.length];
      const roles = await collect(n.client(nodes[0].key).admin.organization.users.roles.list(id));
      const ids = roles.map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, `${id} lists a role twice: ${ids}`);
      const base = roles.filter((r) => r.predefined_role).map((r) => r.id);
      assert.deepEqual(base, [s.base[u.role]], `${id} holds exactly its base role ${u.role}`);
      for (const r of roles) {
        assert.deepEqual(r.assignment_sources, [{ principal_id: id, principal_type: 'user' }],
          `${id} holds ${r.id} directly`);
      }
      assert.equal(ids.includes(s.keyAdmin), id === s.keyOwner, 'only the key owner is Key Admin');
      held.set(id, new Set(ids.filter((r) => s.toggles.includes(r))));
    }
  });

  test('exactly one audit event per effective change, and no other event', async (tc) => {
    assert.equal(held.size, live?.size, 'holdings were read');
    const events = await collect(org.auditLogs.list({ effective_at: { gte: s.start }, limit: 100 }));
    const workerKeys = new Set([...s.stableKeys, ...s.doomedKeys].map((k) => k.id));
    const count = new Map(); // "type|resource" -> events
    const bump = (k) => count.set(k, (count.get(k) ?? 0) + 1);
    for (const e of events) {
      assert.ok(workerKeys.has(e.actor?.api_key?.id), `event by a worker key: ${JSON.stringify(e)}`);
      const p = e[e.type];
      switch (e.type) {
        case 'user.updated':
          bump(`user.updated|${p.id}|${p.changes_requested.role}`);
          break;
        case 'user.deleted':
          bump(`user.deleted|${p.id}`);
          break;
        case 'api_key.deleted':
          bump(`api_key.deleted|${p.id}`);
          break;
        case 'role.assignment.created':
        case 'role.assignment.deleted':
          assert.equal(p.principal_type, 'user', JSON.stringify(e));
          // The assignment id is `<principal_id>:<role_id>` (docs/DECISIONS.md, N-12).
          assert.ok(p.id.startsWith(`${p.principal_id}:`), JSON.stringify(e));
          bump(`${e.type}|${p.id}`);
          break;
        default:
          assert.fail(`an event no worker request makes: ${JSON.stringify(e)}`);
      }
    }
    const n = (k) => count.get(k) ?? 0;
    const ok200 = (pred) => results.filter((r) => r.status === 200 && pred(r)).length;
    let expected = 0; // events accounted for

    const gone = removed();
    for (const id of s.members) {
      // Removal: one event per 200.
      const deletes = ok200((r) => r.op === 'delete' && r.user === id);
      assert.ok(deletes <= 1, `${id} removed with 200 ${deletes} times`);
      assert.equal(n(`user.deleted|${id}`), deletes, `user.deleted events of ${id}`);
      expected += deletes;

      // Base role: changes alternate starting from the initial role.
      const toOwner = n(`user.updated|${id}|owner`);
      const toReader = n(`user.updated|${id}|reader`);
      const initial = s.initialRole.get(id);
      const away = initial === 'owner' ? toReader - toOwner : toOwner - toReader;
      const what = `${id} (was ${initial}): ${toOwner} events to owner, ${toReader} to reader`;
      if (gone.has(id)) {
        assert.ok(away === 0 || away === 1, what);
      } else {
        assert.equal(away, live.get(id).role === initial ? 0 : 1, `${what}, now ${live.get(id).role}`);
      }
      for (const [role, events] of [['owner', toOwner], ['reader', toReader]]) {
        const asked = ok200((r) => r.op === 'set_role' && r.user === id && r.role === role);
        assert.ok(events <= asked, `${what}: more events than 200s asking for ${role} (${asked})`);
      }
      expected += toOwner + toReader;

      // Custom roles: every 200 unassign removed a holding; holdings alternate.
      for (const role of s.toggles) {
        const aid = `${id}:${role}`;
        const created = n(`role.assignment.created|${aid}`);
        const deleted = n(`role.assignment.deleted|${aid}`);
        const unassigns = ok200((r) => r.op === 'unassign' && r.user === id && r.role === role);
        const assigns = ok200((r) => r.op === 'assign' && r.user === id && r.role === role);
        const pair = `${aid}: ${created} created, ${deleted} deleted events; ${assigns} assign ` +
          `and ${unassigns} unassign 200s`;
        assert.equal(deleted, unassigns, pair);
        assert.ok(created <= assigns, pair);
        if (gone.has(id)) {
          assert.ok(created - deleted === 0 || created - deleted === 1, pair);
        } else {
          assert.equal(created - deleted, held.get(id).has(role) ? 1 : 0,
            `${pair}; held now: ${held.get(id).has(role)}`);
        }
        expected += created + deleted;
      }
    }
    for (const k of s.doomedKeys) {
      assert.equal(n(`api_key.deleted|${k.id}`), 1, `one api_key.deleted event for ${k.id}`);
      expected += 1;
    }
    // Nothing else: every event was counted above (events for unknown members or roles were not).
    tc.diagnostic(`${events.length} events since the start`);
    assert.equal(events.length, expected,
      `${events.length} events since the start, ${expected} accounted for`);
  });

  test('revoked keys are refused by every node; the others still work', async () => {
    assert.ok(results.length > 0, 'the workers ran');
    for (const n of nodes) {
      for (const k of s.doomedKeys) {
        const r = await n.raw('GET', '/v1/organization/users', { key: k.value });
        assert.equal(r.status, 401, `revoked ${k.id} through ${n.origin}: ${r.text}`);
        assert.equal(r.json?.error?.code, 'invalid_api_key', r.text);
      }
      for (const k of s.stableKeys) {
        const r = await n.raw('GET', '/v1/organization/users', { key: k.value });
        assert.equal(r.status, 200, `live ${k.id} through ${n.origin}: ${r.text}`);
      }
    }
  });
});
