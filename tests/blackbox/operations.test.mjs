// Operations from the outside: configuration precedence (flag > ROSTER_* > TOML file > default)
// as `serve --print-config` reports it, and `roster backup` / `roster restore` of a live server's
// database while the SDK keeps writing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { ROSTER_BIN, startRoster, token } from './lib/roster.mjs';
import { collect } from './lib/shapes.mjs';

const execFileAsync = promisify(execFile);

// Runs the binary with a clean ROSTER_*/OPENAI_* environment plus `env`.
async function roster(args, env = {}) {
  const clean = Object.fromEntries(Object.entries(process.env)
    .filter(([k]) => !k.startsWith('ROSTER_') && !k.startsWith('OPENAI_')));
  try {
    const { stdout } = await execFileAsync(ROSTER_BIN, args, { env: { ...clean, ...env } });
    return { code: 0, stdout };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// `key = value  # source` lines of --print-config, as {key: {value, source}}.
function parseConfig(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+) = (.+?)  # (.+)$/.exec(line);
    if (m) out[m[1]] = { value: m[2], source: m[3] };
  }
  return out;
}

describe('configuration', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'roster-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('flag > environment > file > default, secrets masked', async () => {
    const file = path.join(dir, 'roster.toml');
    // Only their paths are read here; they must exist.
    const tlsKey = path.join(dir, 'server.key');
    const tlsCert = path.join(dir, 'server.crt');
    writeFileSync(tlsKey, 'not read by --print-config\n');
    writeFileSync(tlsCert, 'not read by --print-config\n');
    writeFileSync(file, [
      'listen = "127.0.0.1:7001"',
      'workers = 3',
      'invite_ttl_days = 9',
      'log_format = "text"',
      'db = "postgres://roster:hunter2@db.internal:5432/roster"',
      `tls_key = ${JSON.stringify(tlsKey)}`,
      `tls_cert = ${JSON.stringify(tlsCert)}`,
    ].join('\n'));
    const r = await roster(['serve', '--config', file, '--print-config', '--workers', '5'], {
      ROSTER_LISTEN: '127.0.0.1:7002',
      ROSTER_BOOTSTRAP_ADMIN_KEY: 'sk-admin-secret-value-that-must-not-show',
    });
    assert.equal(r.code, 0, r.stderr);
    const config = parseConfig(r.stdout);
    assert.deepEqual(config.workers, { value: '5', source: 'flag' });
    assert.deepEqual(config.listen, { value: '"127.0.0.1:7002"', source: 'env ROSTER_LISTEN' });
    assert.deepEqual(config.invite_ttl_days, { value: '9', source: 'config file' });
    assert.deepEqual(config.log_format, { value: '"text"', source: 'config file' });
    // One IO thread per core by default (std::thread::hardware_concurrency, the online CPUs).
    assert.deepEqual(config.io_threads, { value: String(Math.max(1, cpus().length)), source: 'default' });
    assert.equal(config.db.value, '"postgres://roster:****@db.internal:5432/roster"');
    // The TLS settings name files: shown as given, not masked as if they were keys.
    assert.deepEqual(config.tls_key, { value: JSON.stringify(tlsKey), source: 'config file' });
    assert.deepEqual(config.tls_cert, { value: JSON.stringify(tlsCert), source: 'config file' });
    assert.ok(!r.stdout.includes('hunter2'), r.stdout);
    assert.ok(!r.stdout.includes('secret-value-that-must-not-show'), r.stdout);
    assert.match(r.stdout, /ROSTER_BOOTSTRAP_ADMIN_KEY = sk-admin…\(masked\)/);
  });

  test('ROSTER_CONFIG names the file; unknown keys and bad values are refused', async () => {
    const good = path.join(dir, 'good.toml');
    writeFileSync(good, 'log_level = "warn"\n');
    const r = await roster(['serve', '--print-config'], { ROSTER_CONFIG: good });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parseConfig(r.stdout).log_level, { value: '"warn"', source: 'config file' });

    const unknown = path.join(dir, 'unknown.toml');
    writeFileSync(unknown, 'listne = "x"\n');
    const u = await roster(['serve', '--config', unknown, '--print-config']);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /unknown setting 'listne'/);

    const bad = path.join(dir, 'bad.toml');
    writeFileSync(bad, 'workers = 0\n');
    const b = await roster(['serve', '--config', bad, '--print-config']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /'workers'/);

    const broken = path.join(dir, 'broken.toml');
    writeFileSync(broken, 'workers = [\n');
    assert.equal((await roster(['serve', '--config', broken, '--print-config'])).code, 2);
  });

  test('--test-controls without --ephemeral is refused', async () => {
    const r = await roster(['serve', '--test-controls', '--db', path.join(dir, 'x.db')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--test-controls needs --ephemeral/);
  });
});

// SQLite files only: in the PostgreSQL run (ROSTER_TEST_BACKEND=postgres) the server's --db is a
// URL, which `roster backup` refuses (use pg_dump).
const sqliteRun = process.env.ROSTER_TEST_BACKEND !== 'postgres';
describe('backup and restore', { skip: !sqliteRun && 'SQLite backend only' }, () => {
  let rs;
  let dir;
  before(async () => {
    rs = await startRoster();
    dir = mkdtempSync(path.join(tmpdir(), 'roster-backup-'));
  });
  after(async () => {
    if (rs) await rs.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a backup taken during writes restores to a working database', async () => {
    const org = rs.client().admin.organization;
    const t = token();
    let writing = true;
    let created = 0;
    const writer = (async () => {
      while (writing) {
        await org.groups.create({ name: `g-${t}-${created}` });
        created += 1;
      }
    })();
    while (created < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    const file = path.join(dir, 'backup.db');
    const b = await roster(['backup', '--to', file, '--db', rs.db]);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /^backed up /);
    writing = false;
    await writer;
    assert.ok(existsSync(file) && !existsSync(`${file}.tmp`));

    // Restore into a fresh database path and serve it: the groups of the backup are there.
    const restored = path.join(dir, 'restored.db');
    const r = await roster(['restore', '--from', file, '--db', restored]);
    assert.equal(r.code, 0, r.stderr);
    const copy = await startRoster({ serveArgs: ['--db', restored] });
    try {
      const groups = await collect(copy.client(rs.key).admin.organization.groups.list());
      const ours = groups.filter((g) => g.name.startsWith(`g-${t}-`));
      assert.ok(ours.length >= 5 && ours.length <= created, `${ours.length} of ${created}`);
      // Consecutive names: the backup is a prefix of the writes, never a gap.
      const names = new Set(ours.map((g) => g.name));
      for (let i = 0; i < ours.length; i += 1) assert.ok(names.has(`g-${t}-${i}`), `g-${t}-${i}`);
    } finally {
      await copy.stop();
    }
  });

  test('restore refuses a file that is not a Roster backup', async () => {
    const junk = path.join(dir, 'junk.db');
    writeFileSync(junk, 'not a database');
    const r = await roster(['restore', '--from', junk, '--db', path.join(dir, 'target.db')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not a usable Roster backup/);
  });
});
