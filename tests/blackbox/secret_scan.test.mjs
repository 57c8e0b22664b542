// The secret audit's scanner (scan-secrets.mjs) finds a planted secret wherever the run keeps
// output, honours only the first-start key delivery line, and refuses an empty audit.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, test } from 'node:test';

import { randomAdminKey } from './lib/roster.mjs';

const execFileAsync = promisify(execFile);
const SCANNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scan-secrets.mjs');

let dir;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'roster-secret-scan-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function runScanner(...extra) {
  try {
    const { stdout, stderr } = await execFileAsync('node', [SCANNER, dir, ...extra]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function plant({ secret, file, text }) {
  writeFileSync(path.join(dir, 'secrets-1.txt'), `${secret}\n`);
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

test('clean output passes', async () => {
  plant({ secret: randomAdminKey(), file: 'serve-stderr-1-1.log', text: 'level=info route=/v1/x\n' });
  const r = await runScanner();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 secrets searched for in 1 files/);
});

test('a key in a server log is a leak, reported without repeating the key', async () => {
  const key = randomAdminKey();
  plant({ secret: key, file: 'serve-stderr-1-1.log', text: `auth failed for ${key}\n` });
  const r = await runScanner();
  assert.equal(r.code, 1);
  assert.match(r.stderr, /LEAK of sk-admin-.{3}… \(49 chars\) in .*serve-stderr-1-1\.log/);
  assert.ok(!r.stderr.includes(key), 'the report must not leak the key again');
});

test('a key inside a binary database file is a leak', async () => {
  const key = randomAdminKey();
  const page = Buffer.concat([Buffer.from([0, 1, 2, 255]), Buffer.from(key), Buffer.from([0])]);
  plant({ secret: key, file: 'db-1-2/roster.db', text: page });
  assert.equal((await runScanner()).code, 1);
});

test('only the first-start delivery line on stdout is exempt', async () => {
  const key = randomAdminKey();
  plant({ secret: key, file: 'serve-stdout-1-1.log', text: `admin key: ${key}\nroster listening\n` });
  assert.equal((await runScanner()).code, 0);
  plant({ secret: key, file: 'serve-stdout-1-1.log', text: `admin key: ${key}\nrequest ${key}\n` });
  assert.equal((await runScanner()).code, 1);
  rmSync(path.join(dir, 'serve-stdout-1-1.log'));
  plant({ secret: key, file: 'serve-stderr-1-1.log', text: `admin key: ${key}\n` });
  assert.equal((await runScanner()).code, 1, 'the exemption is for stdout only');
});

test('an audit that recorded too little fails', async () => {
  plant({ secret: randomAdminKey(), file: 'serve-stderr-1-1.log', text: 'x\n' });
  assert.equal((await runScanner('--min-secrets', '5')).code, 2);
});
