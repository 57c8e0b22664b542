// Crash durability: `roster serve` is killed with SIGKILL in the middle of a concurrent write load
// and restarted on the same database. Every write that got a 200 must be there, every change must
// have its audit event and every event its change, and (SQLite) the file must pass
// `PRAGMA integrity_check`. Several rounds on one database, each with fresh objects.
//
// Each client owns its objects, and runs one request at a time, so at the kill each object's
// state is known up to at most one request in flight: the state after its last acknowledged
// write, or after the one in flight. The kill is triggered by progress (every client has had
// enough writes acknowledged), never by a timer.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';

import { startRoster, token } from './lib/roster.mjs';

const execFileAsync = promisify(execFile);
const onPostgres = process.env.ROSTER_TEST_BACKEND === 'postgres';

const CLIENTS = 4;
const ROUNDS = 3;
const ACKED_BEFORE_KILL = 40; // writes each client has had acknowledged when the kill comes

// The kinds of write, in the order each client cycles through them.
const KINDS = ['assignment', 'role', 'base_role', 'invite'];

// Every audit event of the organization (newest first).
async function allEvents(rs, key) {
  const events = [];
  let after = null;
  for (;;) {
    const query = `limit=100${after ? `&after=${after}` : ''}`;
    const r = await rs.raw('GET', `/v1/organization/audit_logs?${query}`, { key });
    assert.equal(r.status, 200, r.text);
    events.push(...r.json.data);
    if (!r.json.has_more) return events;
    after = r.json.last_id;
  }
}

// Every invite of the organization.
async function allInvites(rs, key) {
  const invites = [];
  let after = null;
  for (;;) {
    const r = await rs.raw('GET', `/v1/organization/invites?limit=100${after ? `&after=${after}` : ''}`,
      { key });
    assert.equal(r.status, 200, r.text);
    invites.push(...r.json.data);
    if (!r.json.has_more) return invites;
    after = r.json.last_id;
  }
}

async function ok(rs, key, method, path, body) {
  const r = await rs.raw(method, path, { key, body });
  assert.equal(r.status, 200, `${method} ${path}: ${r.text}`);
  return r.json;
}

// A client's own objects: a user it assigns and unassigns a role to, a role whose description it
// rewrites, a user whose base role it toggles, and the invites it sends (emails it alone uses).
// `cli` is the first server, whose `roster users add` runs on the database all servers share.
async function setUpClient(rs, cli, key, round, c) {
  const tag = `r${round}c${c}-${token()}`;
  const assignee = await cli.addUser({ email: `assignee-${tag}@example.com` });
  const toggled = await cli.addUser({ email: `toggled-${tag}@example.com` });
  const held = await ok(rs, key, 'POST', '/v1/organization/roles',
    { role_name: `Held ${tag}`, permissions: ['api.groups.read'] });
  const edited = await ok(rs, key, 'POST', '/v1/organization/roles',
    { role_name: `Edited ${tag}`, permissions: ['api.groups.read'] });
  return {
    tag,
    assignee,
    toggled,
    heldRole: held.id,
    editedRole: edited.id,
    // per kind: acknowledged writes, and the write in flight at the kill (null: none)
    acked: { assignment: 0, role: 0, base_role: 0, invite: 0 },
    lastDescription: null,
    invites: [], // acknowledged invite emails
    inFlight: null,
    failures: [],
  };
}

// The next write of a client, from its acknowledged history.
function nextWrite(state, seq) {
  const kind = KINDS[seq % KINDS.length];
  switch (kind) {
    case 'assignment':
      // Starts unassigned: an even number of acknowledged toggles means "assign next".
      return state.acked.assignment % 2 === 0
        ? { kind, method: 'POST', path: `/v1/organization/users/${state.assignee}/roles`,
          body: { role_id: state.heldRole } }
        : { kind, method: 'DELETE',
          path: `/v1/organization/users/${state.assignee}/roles/${state.heldRole}` };
    case 'role': {
      const description = `${state.tag} #${seq}`;
      return { kind, method: 'POST', path: `/v1/organization/roles/${state.editedRole}`,
        body: { description }, value: description };
    }
    case 'base_role':
      // Starts as reader: alternately owner and reader.
      return { kind, method: 'POST', path: `/v1/organization/users/${state.toggled}`,
        body: { role: state.acked.base_role % 2 === 0 ? 'owner' : 'reader' } };
    default: {
      const email = `invite-${state.tag}-${seq}@example.com`;
      return { kind, method: 'POST', path: '/v1/organization/invites',
        body: { email, role: 'reader' }, value: email };
    }
  }
}

// Runs the client's writes one after another until the server goes away.
async function runClient(rs, key, state, progress) {
  for (let seq = 0; ; seq++) {
    const write = nextWrite(state, seq);
    state.inFlight = write;
    let r;
    try {
      r = await rs.raw(write.method, write.path, { key, body: write.body });
    } catch {
      return; // the server was killed: this write is in flight, its outcome unknown
    }
    if (r.status !== 200) {
      // Before the kill every write must succeed; the state of this one is checked as unknown.
      state.failures.push(`${write.method} ${write.path} -> ${r.status} ${r.text}`);
      return;
    }
    state.inFlight = null;
    state.acked[write.kind] += 1;
    if (write.kind === 'role') state.lastDescription = write.value;
    if (write.kind === 'invite') state.invites.push(write.value);
    progress();
  }
}

// Checks one client's objects against its acknowledged writes and the audit log.
async function verifyClient(rs, key, state, events) {
  const label = `client ${state.tag}`;
  const flying = state.inFlight?.kind;
  const payload = (event) => event[event.type];

  // Role assignment: assigned iff an odd number of toggles was applied, and exactly as many
  // assignment events as applied toggles.
  const assignmentId = `${state.assignee}:${state.heldRole}`;
  const toggles = events.filter((e) =>
    (e.type === 'role.assignment.created' || e.type === 'role.assignment.deleted') &&
    payload(e).id === assignmentId);
  const roles = await ok(rs, key, 'GET', `/v1/organization/users/${state.assignee}/roles`);
  const assigned = roles.data.some((r) => r.id === state.heldRole);
  const allowed = [state.acked.assignment];
  if (flying === 'assignment') allowed.push(state.acked.assignment + 1);
  assert.ok(allowed.includes(toggles.length),
    `${label}: ${toggles.length} assignment events for ${state.acked.assignment} acknowledged toggles`);
  assert.equal(assigned, toggles.length % 2 === 1,
    `${label}: assigned=${assigned} but ${toggles.length} assignment events`);
  if (toggles.length > 0) {
    assert.equal(toggles[0].type === 'role.assignment.created', assigned,
      `${label}: the latest assignment event disagrees with the state`);
  }

  // Role modification: the description is the last acknowledged one (or the one in flight), and
  // the newest role.updated event says the same.
  const role = await ok(rs, key, 'GET', `/v1/organization/roles/${state.editedRole}`);
  const updates = events.filter((e) => e.type === 'role.updated' && payload(e).id === state.editedRole);
  if (role.description === state.lastDescription || state.lastDescription === null &&
      !updates.length) {
    assert.equal(updates.length, state.acked.role, `${label}: role.updated events`);
  } else {
    assert.equal(flying, 'role', `${label}: description ${role.description} was never written`);
    assert.equal(role.description, state.inFlight.value, `${label}: role description`);
    assert.equal(updates.length, state.acked.role + 1, `${label}: role.updated events`);
  }
  if (updates.length > 0) {
    assert.equal(payload(updates[0]).changes_requested?.description, role.description,
      `${label}: the newest role.updated event disagrees with the role`);
  }

  // Base role: owner iff an odd number of changes was applied, one user.updated event each.
  const user = await ok(rs, key, 'GET', `/v1/organization/users/${state.toggled}`);
  const userUpdates = events.filter((e) => e.type === 'user.updated' && payload(e).id === state.toggled);
  const allowedUpdates = [state.acked.base_role];
  if (flying === 'base_role') allowedUpdates.push(state.acked.base_role + 1);
  assert.ok(allowedUpdates.includes(userUpdates.length),
    `${label}: ${userUpdates.length} user.updated events for ${state.acked.base_role} acknowledged`);
  assert.equal(user.role, userUpdates.length % 2 === 1 ? 'owner' : 'reader',
    `${label}: base role ${user.role} after ${userUpdates.length} user.updated events`);

  // Invites: every acknowledged one exists, nothing else but the one in flight, and the invites
  // are exactly those with an invite.sent event.
  const prefix = `invite-${state.tag}-`;
  const invites = (await allInvites(rs, key)).filter((i) => i.email.startsWith(prefix));
  const invited = new Set(invites.map((i) => i.email));
  for (const email of state.invites) assert.ok(invited.has(email), `${label}: invite ${email} lost`);
  const expected = new Set(state.invites);
  if (flying === 'invite') expected.add(state.inFlight.value);
  for (const email of invited) assert.ok(expected.has(email), `${label}: invite ${email} never sent`);
  const sent = new Set(events
    .filter((e) => e.type === 'invite.sent' && payload(e).data?.email?.startsWith(prefix))
    .map((e) => payload(e).data.email));
  assert.deepEqual([...sent].sort(), [...invited].sort(), `${label}: invite.sent events vs invites`);
}

async function integrityCheck(db) {
  const { stdout } = await execFileAsync('sqlite3', [db, 'PRAGMA integrity_check; PRAGMA foreign_key_check;']);
  assert.equal(stdout.trim(), 'ok', `integrity_check / foreign_key_check of ${db}`);
}

describe('SIGKILL during a concurrent write load', () => {
  const servers = [];
  after(async () => {
    for (const s of servers) await s.stop().catch(() => {});
  });

  test(`${ROUNDS} kills and restarts: acknowledged writes kept, changes and events agree`, async (t) => {
    const first = await startRoster();
    let rs = first;
    servers.push(rs);
    const key = rs.key; // the bootstrap key of the first start; restarts do not bootstrap
    const db = rs.db;
    for (let round = 0; round < ROUNDS; round++) {
      const states = [];
      for (let c = 0; c < CLIENTS; c++) states.push(await setUpClient(rs, first, key, round, c));

      // The load: every client writes until the server is gone; the kill comes once each has
      // had ACKED_BEFORE_KILL writes acknowledged.
      let killed = null;
      const progress = () => {
        if (killed) return;
        const done = states.every((s) =>
          Object.values(s.acked).reduce((a, b) => a + b, 0) >= ACKED_BEFORE_KILL);
        if (done) killed = rs.kill('SIGKILL');
      };
      await Promise.all(states.map((s) => runClient(rs, key, s, progress)));
      assert.ok(killed, 'every client stopped before the kill');
      const exit = await killed;
      assert.equal(exit.signal, 'SIGKILL', `roster died of SIGKILL: ${JSON.stringify(exit)}`);
      for (const s of states) assert.deepEqual(s.failures, [], `writes before the kill`);

      if (!onPostgres) await integrityCheck(db);

      rs = await startRoster({ serveArgs: ['--db', db] });
      servers.push(rs);
      const events = await allEvents(rs, key);
      for (const s of states) await verifyClient(rs, key, s, events);
      const acked = states.reduce((n, s) => n + Object.values(s.acked).reduce((a, b) => a + b, 0), 0);
      const inFlight = states.filter((s) => s.inFlight).map((s) => s.inFlight.kind);
      t.diagnostic(`round ${round}: ${acked} writes acknowledged, in flight at the kill: ` +
        `${inFlight.join(', ') || 'none'}; ${events.length} audit events after the restart`);
    }
    const r = await rs.stop();
    assert.deepEqual(r, { code: 0, signal: null }, `roster serve must exit 0; stderr:\n${rs.stderr}`);
    if (!onPostgres) await integrityCheck(db);
  });
});
