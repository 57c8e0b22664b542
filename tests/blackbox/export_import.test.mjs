// `roster export` / `roster import`: a SQLite deployment moved to PostgreSQL without losing
// anything. SQLite file → export → import into a fresh PostgreSQL database → export gives the
// same bytes, and a server on the PostgreSQL copy answers the old admin key with the same data.
// Needs the PostgreSQL test cluster (ROSTER_TEST_PG_URL, started by `make test`); skipped without
// it outside CI, and failing in CI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';

import { ROSTER_BIN, startRoster, token } from './lib/roster.mjs';
import { collect } from './lib/shapes.mjs';

const execFileAsync = promisify(execFile);
const PG_URL = process.env.ROSTER_TEST_PG_URL;
const skip = !PG_URL && !process.env.CI
  ? 'needs ROSTER_TEST_PG_URL (run `make test`, or start scripts/pg-test-cluster.sh)'
  : false;

// Runs `roster ...args`; resolves {code, stdout, stderr} whatever the exit status.
async function roster(...args) {
  try {
    const { stdout, stderr } = await execFileAsync(ROSTER_BIN, args, { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (typeof e.code !== 'number') throw e;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function freshPostgresDatabase() {
  assert.ok(PG_URL, 'ROSTER_TEST_PG_URL is set (CI must run this test)');
  const name = `roster_bb_export_${process.pid}_${randomBytes(6).toString('hex')}`;
  await execFileAsync('psql', [PG_URL, '-v', 'ON_ERROR_STOP=1', '-q', '-c',
    `CREATE DATABASE ${name}`], { timeout: 60_000 });
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

describe('export / import from SQLite to PostgreSQL', { skip }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-export-'));
  const sqlite = path.join(dir, 'source.db');
  const first = path.join(dir, 'first.jsonl');
  const second = path.join(dir, 'second.jsonl');
  const t = token();
  let pg;
  let key;
  let usersBefore;
  let rolesBefore;

  test('setup: a SQLite deployment with members, roles, a group, invites and keys', async () => {
    const rs = await startRoster({ serveArgs: ['--db', sqlite] });
    // `roster ...args --db <the SQLite file>`, which must succeed; its stdout.
    const cli = async (...args) => {
      const r = await roster(...args, '--db', sqlite);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim();
    };
    try {
      key = rs.key;
      const org = rs.client().admin.organization;
      const role = await org.roles.create({ role_name: `Mover ${t}`,
        permissions: ['api.usage.read'] });
      const accept = async (email, name) => {
        const invite = await org.invites.create({ email, role: 'reader' });
        const link = await cli('invites', 'link', invite.id);
        const res = await rs.raw('POST', '/roster/invites/accept',
          { key: null, body: { token: link.split('/').pop(), name } });
        assert.equal(res.status, 200, res.text);
        return res.json.id;
      };
      const stays = await accept(`stays-${t}@example.com`, 'Stays');
      const leaves = await accept(`leaves-${t}@example.com`, 'Leaves');
      await org.invites.create({ email: `pending-${t}@example.com`, role: 'owner' });
      await org.users.roles.create(stays, { role_id: role.id });
      const group = await org.groups.create({ name: `Movers ${t}` });
      await org.groups.users.create(group.id, { user_id: stays });
      await org.groups.roles.create(group.id, { role_id: role.id });
      await cli('keys', 'create', '--user', stays, '--name', 'ci');
      await org.users.delete(leaves);
      usersBefore = (await collect(org.users.list({ limit: 100 }))).map((u) => u.id).sort();
      rolesBefore = (await collect(org.roles.list({ limit: 100 }))).map((r) => r.id);
    } finally {
      const r = await rs.stop();
      assert.deepEqual(r, { code: 0, signal: null }, rs.stderr);
    }
  });

  test('SQLite → file → PostgreSQL → file is byte-for-byte identical', async () => {
    const out = await roster('export', '--db', sqlite, '--out', first);
    assert.equal(out.code, 0, out.stderr);
    const text = readFileSync(first, 'utf8');
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines[0].format, 'roster-export');
    const tables = new Set(lines.slice(1).map((l) => l.table));
    for (const table of ['organizations', 'accounts', 'memberships', 'roles', 'user_roles',
      'groups', 'group_members', 'group_roles', 'invites', 'admin_keys', 'audit_events']) {
      assert.ok(tables.has(table), `the export has rows of ${table}`);
    }
    assert.ok(lines.some((l) => l.table === 'memberships' && l.row.deleted_at !== null),
      'the removed member is exported as a tombstone');
    assert.ok(!text.includes(key), 'no admin key value in the export');

    pg = await freshPostgresDatabase();
    const imported = await roster('import', '--db', pg, '--in', first);
    assert.equal(imported.code, 0, imported.stderr);
    const again = await roster('export', '--db', pg, '--out', second);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(second, 'utf8'), text);
  });

  test('a server on the PostgreSQL copy serves the same data to the old admin key', async () => {
    const rs = await startRoster({ serveArgs: ['--db', pg] });
    try {
      const org = rs.client(key).admin.organization;
      const users = (await collect(org.users.list({ limit: 100 }))).map((u) => u.id).sort();
      assert.deepEqual(users, usersBefore);
      const roles = (await collect(org.roles.list({ limit: 100 }))).map((r) => r.id);
      assert.deepEqual(roles, rolesBefore, 'predefined roles are not duplicated');
    } finally {
      const r = await rs.stop();
      assert.deepEqual(r, { code: 0, signal: null }, rs.stderr);
    }
  });

  test('import refuses a non-empty database and a malformed file, writing nothing', async () => {
    const again = await roster('import', '--db', pg, '--in', first);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not empty/);

    const target = await freshPostgresDatabase();
    const broken = path.join(dir, 'broken.jsonl');
    const lines = readFileSync(first, 'utf8').trimEnd().split('\n');
    lines.push('{"table": "accounts", "row": ');
    writeFileSync(broken, `${lines.join('\n')}\n`);
    const refused = await roster('import', '--db', target, '--in', broken);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`line ${lines.length}: not JSON`));
    const empty = await roster('export', '--db', target);
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stdout.trimEnd().split('\n').length, 1, 'only the header: nothing written');
  });
});
