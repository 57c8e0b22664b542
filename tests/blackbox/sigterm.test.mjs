// SIGTERM under load: requests in flight when the signal arrives complete with their normal
// answer, connections made after the stop began are refused (never answered), and the process
// exits 0. The test controls' stall fault keeps the requests in flight deterministically: the
// signal is sent only once every stalled call has taken its fault (inside the handler).
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';

import { startRoster } from './lib/roster.mjs';

const IN_FLIGHT = 4;
const STALL_MS = 4000;
const WAIT_MS = 20_000;

// Polls `probe` until it returns true (bounded: fails after WAIT_MS).
async function waitFor(what, probe) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Opens a fresh TCP connection, sends a GET and resolves to what happened: {refused: code} when
// the connection failed or was closed without a byte of answer, {answered: text} otherwise.
function freshConnectionAttempt(port, urlPath) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    socket.setTimeout(WAIT_MS, () => socket.destroy(new Error('ETIMEDOUT')));
    socket.on('connect', () => socket.write(`GET ${urlPath} HTTP/1.1\r\nHost: x\r\n\r\n`));
    socket.on('data', (d) => { data += d; });
    socket.on('error', (e) => resolve(data ? { answered: data } : { refused: e.code ?? e.message }));
    socket.on('close', () => resolve(data ? { answered: data } : { refused: 'closed' }));
  });
}

test('SIGTERM with requests in flight: they complete, new connections are refused, exit 0', async () => {
  const rs = await startRoster({ serveArgs: ['--ephemeral', '--test-controls'] });
  try {
    const armed = await rs.raw('POST', '/roster/test/faults', {
      key: null,
      body: { method: 'GET', route: '/v1/organization/users', stall_ms: STALL_MS, count: IN_FLIGHT },
    });
    assert.equal(armed.status, 200, armed.text);

    // Each on its own connection (the SDK's pool opens one per concurrent request).
    const clients = Array.from({ length: IN_FLIGHT }, () => rs.client());
    const started = clients.map((c) =>
      c.admin.organization.users.list().then(
        (page) => ({ page }),
        (error) => ({ error: `${error.constructor.name}: ${error.message}` }),
      ));
    // Every stalled call has taken its fault: all are inside the handler now.
    await waitFor('the stalled requests to reach the handler', async () => {
      const faults = await rs.raw('GET', '/roster/test/faults', { key: null });
      return faults.status === 200 && !JSON.stringify(faults.json).includes('/v1/organization/users');
    });

    const exited = rs.stop();  // SIGTERM, resolves on exit
    await waitFor('the stop to begin', () => /SIGTERM received/.test(rs.stdout));
    const late = await freshConnectionAttempt(rs.port, '/v1/organization/users');
    assert.ok(late.refused, `a connection after the stop began must not be served: ${JSON.stringify(late)}`);

    const results = await Promise.all(started);
    for (const r of results) {
      assert.equal(r.error, undefined, `an in-flight request failed: ${r.error}\n${rs.stderr}`);
      assert.equal(r.page.data.length, 1);
      assert.equal(r.page.data[0].object, 'organization.user');
    }
    assert.deepEqual(await exited, { code: 0, signal: null }, rs.stderr);
    assert.match(rs.stdout, /roster stopped/);
  } finally {
    await rs.stop().catch(() => {});
  }
});
