// HTTPS (`roster serve --tls-cert FILE --tls-key FILE`): the official SDK against
// https://127.0.0.1:PORT/v1 trusting a test CA made here with the `openssl` CLI (no key is
// committed); an untrusting client is refused; plain HTTP to the TLS port gets a 400 and the
// server goes on; bad certificate files stop the start with a clear error and exit non-zero.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { ROSTER_BIN, startRoster } from './lib/roster.mjs';

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

// A throwaway CA and a server certificate for 127.0.0.1 / localhost signed by it (EC P-256).
async function makeTestPki(dir) {
  const openssl = (...args) => execFileAsync('openssl', args, { cwd: dir, timeout: 30_000 });
  await openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/O=Roster test/CN=Roster test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/O=Roster test/CN=127.0.0.1');
  writeFileSync(path.join(dir, 'server.ext'), [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '',
  ].join('\n'));
  await openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-set_serial', `0x${Date.now().toString(16)}`, '-days', '2', '-extfile', 'server.ext',
    '-out', 'server.pem');
  return {
    ca: path.join(dir, 'ca.pem'),
    cert: path.join(dir, 'server.pem'),
    key: path.join(dir, 'server.key'),
  };
}

// Runs lib/tls_sdk_child.mjs with `env` and returns its JSON line.
async function runSdkChild(env) {
  const { stdout } = await execFileAsync(process.execPath, [path.join(here, 'lib', 'tls_sdk_child.mjs')], {
    cwd: here,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

// A plain-HTTP GET with node:http; resolves to {status, body} or {error}.
function plainGet(port, urlPath) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: 20_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ error: e.code ?? e.message }));
  });
}

describe('roster serve over TLS', () => {
  let dir;
  let pki;
  let rs;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'roster-tls-'));
    pki = await makeTestPki(dir);
    rs = await startRoster({
      serveArgs: ['--ephemeral', '--tls-cert', pki.cert, '--tls-key', pki.key],
    });
  });

  after(async () => {
    if (rs) await rs.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('announces an https:// address', () => {
    assert.match(rs.origin, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(rs.baseURL, `${rs.origin}/v1`);
  });

  test('the SDK works against https://…/v1 when the process trusts the test CA', async () => {
    const out = await runSdkChild({
      NODE_EXTRA_CA_CERTS: pki.ca,
      ROSTER_BASE_URL: rs.baseURL,
      ROSTER_KEY: rs.key,
    });
    assert.equal(out.error, undefined, out.error);
    assert.deepEqual(out.users, [{ object: 'organization.user', role: 'owner' }]);
    assert.equal(out.created.object, 'role');
    assert.equal(out.role_listed, true);
    assert.equal(out.deleted, true);
  });

  test('a client that does not trust the CA cannot connect', async () => {
    const out = await runSdkChild({ ROSTER_BASE_URL: rs.baseURL, ROSTER_KEY: rs.key });
    assert.match(out.error ?? '', /APIConnectionError/);
    assert.equal(out.users, undefined);
  });

  test('plain HTTP to the TLS port gets a 400 saying to use HTTPS, and the server goes on', async () => {
    const r = await plainGet(rs.port, '/v1/organization/users');
    assert.equal(r.status, 400, JSON.stringify(r));
    const body = JSON.parse(r.body);
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /HTTPS/);
    const again = await runSdkChild({
      NODE_EXTRA_CA_CERTS: pki.ca,
      ROSTER_BASE_URL: rs.baseURL,
      ROSTER_KEY: rs.key,
    });
    assert.equal(again.error, undefined, again.error);
  });

  test('SIGTERM stops the TLS server with exit status 0', async () => {
    const r = await rs.stop();
    rs = null;
    assert.deepEqual(r, { code: 0, signal: null });
  });

  test('bad certificate or key files stop the start with a clear error and a non-zero exit', async () => {
    const garbage = path.join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate\n');
    const cases = [
      { args: ['--tls-cert', garbage, '--tls-key', pki.key], message: /cannot load TLS certificate/ },
      { args: ['--tls-cert', pki.cert, '--tls-key', garbage], message: /cannot load TLS key/ },
      { args: ['--tls-cert', pki.cert, '--tls-key', pki.cert], message: /cannot load TLS key/ },
      { args: ['--tls-cert', pki.cert, '--tls-key', path.join(dir, 'ca.key')], message: /does not match/ },
      { args: ['--tls-cert', pki.cert], message: /--tls-cert and --tls-key go together/ },
      { args: ['--tls-cert', path.join(dir, 'missing.pem'), '--tls-key', pki.key], message: /missing\.pem/ },
    ];
    for (const c of cases) {
      const db = path.join(dir, `bad-${cases.indexOf(c)}.db`);
      const result = await execFileAsync(ROSTER_BIN, ['serve', '--listen', '127.0.0.1:0', '--db', db, ...c.args], {
        timeout: 30_000,
      }).then(() => ({ code: 0, stdout: '', stderr: '' }), (e) => e);
      assert.notEqual(result.code, 0, `${c.args.join(' ')} must fail`);
      assert.match(String(result.stderr), c.message, c.args.join(' '));
      // Refused before anything else: no organization was created, no key printed.
      assert.doesNotMatch(String(result.stdout), /admin key|listening/);
    }
  });
});
