// Starts the real `roster` binary on a fresh SQLite file and hands out clients of the official
// `openai` SDK pointed at it, plus the CLI side channels (users add, orgs create, seed).
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync, createWriteStream, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';

import OpenAI from 'openai';

import { auditingFetch, outputDir, outputFile, recordSecret, recordSecretsIn } from './secrets.mjs';

const execFileAsync = promisify(execFile);

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..', '..');
export const ROSTER_BIN = process.env.ROSTER_BIN
  ? path.resolve(process.env.ROSTER_BIN)
  : path.join(REPO_ROOT, 'build', 'roster');

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 60_000;
const MAX_CAPTURE = 64 * 1024;
const LISTENING_RE = /^roster listening on (https?:\/\/(\S+):(\d+))\s*$/;

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

// The fetch every SDK client uses: the global one, searched for secrets when the audit is on.
const audited = auditingFetch();

// Deletes a stopped server's directory; with the secret audit on, its database files are kept
// for the scan first (an audit event or a log row must not hold a secret either).
function discardDir(dir) {
  const keep = outputDir('db');
  if (keep) {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('roster.db')) copyFileSync(path.join(dir, name), path.join(keep, name));
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

// `sk-admin-` followed by 40 random alphanumerics.
export function randomAdminKey() {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(40);
  let suffix = '';
  for (const b of bytes) suffix += alphabet[b % alphabet.length];
  return `sk-admin-${suffix}`;
}

// A short random token for unique names and emails inside one test file.
export function token() {
  return randomBytes(4).toString('hex');
}

function childEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  // The SDK and the server must not pick up anything from the developer's shell.
  for (const k of Object.keys(env)) {
    if (k.startsWith('OPENAI_')) delete env[k];
  }
  return env;
}

function append(buf, chunk) {
  const s = buf + chunk;
  return s.length > MAX_CAPTURE ? s.slice(s.length - MAX_CAPTURE) : s;
}

// The `--db` of a new server: a file in `dir`, or with ROSTER_TEST_BACKEND=postgres a new database
// on the test cluster (ROSTER_TEST_PG_URL, started by `make test`), created with psql. The
// throwaway cluster is deleted after the run, so databases are not dropped one by one.
export async function freshDatabase(dir) {
  if (process.env.ROSTER_TEST_BACKEND !== 'postgres') return path.join(dir, 'roster.db');
  const base = process.env.ROSTER_TEST_PG_URL;
  if (!base) {
    throw new Error(
      'ROSTER_TEST_BACKEND=postgres needs ROSTER_TEST_PG_URL (run `make test`, or start ' +
        'scripts/pg-test-cluster.sh and export the URL it prints)',
    );
  }
  const name = `roster_bb_${process.pid}_${randomBytes(6).toString('hex')}`;
  await execFileAsync('psql', [base, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `CREATE DATABASE ${name}`], {
    timeout: CLI_TIMEOUT_MS,
  });
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

// Starts `roster serve --listen 127.0.0.1:0 --db <fresh file>` and waits (no sleeps) for the
// line `roster listening on http://HOST:PORT` on stdout. `serveArgs` replaces `--db <file>`
// (e.g. the stand-in mode's `--ephemeral --seed F --test-controls`).
export async function startRoster({ serveArgs } = {}) {
  if (!existsSync(ROSTER_BIN)) {
    throw new Error(
      `roster binary not found at ${ROSTER_BIN}: build it first (make build) or set ROSTER_BIN`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-blackbox-'));
  const db = await freshDatabase(dir);
  const key = randomAdminKey();
  recordSecret(key);
  const args = ['serve', '--listen', '127.0.0.1:0', ...(serveArgs ?? ['--db', db])];
  const child = spawn(ROSTER_BIN, args, {
    env: childEnv({ ROSTER_BOOTSTRAP_ADMIN_KEY: key }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  // The secret audit keeps every byte the server writes (lib/secrets.mjs).
  for (const [name, stream] of [['stdout', child.stdout], ['stderr', child.stderr]]) {
    const file = outputFile(`serve-${name}`);
    if (file) stream.pipe(createWriteStream(file));
  }

  let stdout = '';
  let stderr = '';
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(child);
      resolve(exited);
    });
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr = append(stderr, d);
  });
  child.stdout.setEncoding('utf8');

  const url = await new Promise((resolve, reject) => {
    let pending = '';
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        // Do not let a half-started server (or anything it spawned) keep the test process alive.
        child.kill('SIGKILL');
        child.stdout.destroy();
        child.stderr.destroy();
        child.unref();
        rmSync(dir, { recursive: true, force: true });
        reject(err);
      } else {
        resolve(value);
      }
    };
    const describe = (why) =>
      new Error(
        `roster serve did not report its address: ${why}\n` +
          `command: ${ROSTER_BIN} ${args.join(' ')}\n` +
          `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
      );
    const timer = setTimeout(() => {
      finish(describe(`no "roster listening on" line within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.on('error', (e) => finish(describe(`spawn failed: ${e.message}`)));
    child.on('exit', (code, signal) =>
      // Give the stderr pipe a moment to drain into the message.
      setImmediate(() => finish(describe(`exited early (code ${code}, signal ${signal})`))),
    );
    child.stdout.on('data', (d) => {
      stdout = append(stdout, d);
      if (done) return;
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        const m = LISTENING_RE.exec(line);
        if (m) {
          finish(null, { origin: m[1], host: m[2], port: Number(m[3]) });
          return;
        }
      }
    });
  });

  const requests = [];
  const server = {
    dir,
    db,
    key,
    origin: url.origin,
    host: url.host,
    port: url.port,
    baseURL: `${url.origin}/v1`,
    requests, // log of every SDK request, for failure messages: "METHOD URL -> STATUS"
    get stderr() {
      return stderr;
    },
    get stdout() {
      return stdout;
    },

    // An SDK client authenticated with `adminKey` (the bootstrap key by default).
    client(adminKey = key, extra = {}) {
      return new OpenAI({
        adminAPIKey: adminKey,
        apiKey: 'unused',
        organization: null,
        project: null,
        baseURL: server.baseURL,
        maxRetries: 0,
        timeout: 20_000,
        fetch: async (input, init) => {
          const res = await audited(input, init);
          requests.push(`${init?.method ?? 'GET'} ${String(input)} -> ${res.status}`);
          return res;
        },
        ...extra,
      });
    },

    // A raw HTTP request (no SDK). `key: null` sends no Authorization header.
    async raw(method, urlPath, { key: k = key, body, headers = {} } = {}) {
      const h = { ...headers };
      if (k !== null && h.authorization === undefined) h.authorization = `Bearer ${k}`;
      let payload;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        if (h['content-type'] === undefined) h['content-type'] = 'application/json';
      }
      const res = await fetch(`${url.origin}${urlPath}`, { method, headers: h, body: payload });
      const text = await res.text();
      recordSecretsIn(text);
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },

    // Runs `roster <args...> --db <db>` and returns its trimmed stdout.
    async cli(...cliArgs) {
      const all = [...cliArgs, '--db', db];
      try {
        const { stdout: out, stderr: err } = await execFileAsync(ROSTER_BIN, all, {
          env: childEnv(),
          timeout: CLI_TIMEOUT_MS,
          maxBuffer: 16 * 1024 * 1024,
        });
        recordSecretsIn(out);
        const file = outputFile('cli-stderr');
        if (file) writeFileSync(file, err);
        return out.trim();
      } catch (e) {
        recordSecretsIn(e.stdout);
        const file = outputFile('cli-stderr');
        if (file) writeFileSync(file, String(e.stderr ?? ''));
        throw new Error(
          `roster ${all.join(' ')} failed (code ${e.code}, signal ${e.signal})\n` +
            `--- stdout ---\n${e.stdout}\n--- stderr ---\n${e.stderr}`,
        );
      }
    },

    // `roster users add`: returns the new user's id (the last line printed).
    // `org` is needed once the database holds several organizations.
    async addUser({ email, name, role, org } = {}) {
      const a = ['users', 'add', '--email', email, '--name', name ?? email.split('@')[0]];
      if (role) a.push('--role', role);
      if (org) a.push('--org', org);
      const out = await server.cli(...a);
      const id = out.split('\n').pop().trim();
      if (!id) throw new Error(`roster ${a.join(' ')} printed no user id`);
      return id;
    },

    // `roster orgs create`: returns {organization_id, user_id, admin_key}.
    async createOrg({ name, ownerEmail }) {
      const out = await server.cli('orgs', 'create', '--name', name, '--owner-email', ownerEmail);
      const line = out.split('\n').pop();
      try {
        return JSON.parse(line);
      } catch {
        throw new Error(`roster orgs create printed no JSON line: ${JSON.stringify(out)}`);
      }
    },

    // `roster seed --users N`.
    async seed(users) {
      return server.cli('seed', '--users', String(users));
    },

    // Kills the server with `signal` (a crash: SIGKILL by default) and waits for the exit; the
    // database stays for a restart on it (`startRoster({ serveArgs: ['--db', server.db] })`).
    // stop() afterwards only removes the directory. Resolves to {code, signal}.
    async kill(signal = 'SIGKILL') {
      if (!exited) child.kill(signal);
      return exitPromise;
    },

    // SIGTERM, then wait for the exit; resolves to {code, signal}.
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timeout = new Promise((resolve) =>
          setTimeout(() => resolve(null), STOP_TIMEOUT_MS).unref(),
        );
        const r = await Promise.race([exitPromise, timeout]);
        if (!r) {
          child.kill('SIGKILL');
          await exitPromise;
          discardDir(dir);
          throw new Error(
            `roster did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM\n--- stderr ---\n${stderr}`,
          );
        }
      }
      discardDir(dir);
      return exited;
    },
  };
  return server;
}

// Registers before/after hooks in the current suite: one server per suite. Returns a context
// filled in by `before`: {rs (the server), client (bootstrap-key SDK client), org
// (client.admin.organization)}. End the suite with testCleanShutdown(ctx); the `after` hook only
// cleans up (and fails) when that test did not stop the server.
export function useRoster() {
  const ctx = {};
  before(async () => {
    ctx.rs = await startRoster();
    ctx.client = ctx.rs.client();
    ctx.org = ctx.client.admin.organization;
  });
  after(async () => {
    if (!ctx.rs || ctx.stopped) return;
    const r = await ctx.rs.stop();
    assert.deepEqual(r, { code: 0, signal: null },
      `roster serve must exit 0 on SIGTERM; stderr:\n${ctx.rs.stderr}`);
  });
  return ctx;
}

// The last test of a suite: SIGTERM stops the server gracefully with exit status 0.
export function testCleanShutdown(ctx) {
  test('SIGTERM stops the server with exit status 0', async () => {
    assert.ok(ctx.rs, 'the server was started');
    ctx.stopped = true;
    const r = await ctx.rs.stop();
    assert.deepEqual(r, { code: 0, signal: null },
      `roster serve must exit 0 on SIGTERM; stdout:\n${ctx.rs.stdout}\nstderr:\n${ctx.rs.stderr}`);
  });
}
