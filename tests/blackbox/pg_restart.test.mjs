// PostgreSQL going away and coming back (the PostgreSQL run of `make test`): while the database is
// down every request gets a clean 503 with `retry-after`, and once it is back the node serves
// again by itself, without a restart. The outage is staged on a cluster of this test's own
// (scripts/pg-test-cluster.sh on another port), so the suites sharing the main cluster are not
// disturbed. No timing: each step waits for the previous one to finish.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { REPO_ROOT, startRoster } from './lib/roster.mjs';

const execFileAsync = promisify(execFile);
const onPostgres = process.env.ROSTER_TEST_BACKEND === 'postgres';
const SCRIPT = path.join(REPO_ROOT, 'scripts', 'pg-test-cluster.sh');
const PORT = '54339';

async function cluster(command) {
  const { stdout } = await execFileAsync(SCRIPT, [command], {
    env: { ...process.env, ROSTER_PG_PORT: PORT },
    timeout: 120_000,
  });
  return stdout.trim();
}

describe('PostgreSQL restart', { skip: !onPostgres && 'PostgreSQL run only' }, () => {
  let node;
  let started = false;

  before(async () => {
    const url = await cluster('start');
    started = true;
    const previous = process.env.ROSTER_TEST_PG_URL;
    process.env.ROSTER_TEST_PG_URL = url; // startRoster makes its database on this cluster
    try {
      node = await startRoster();
    } finally {
      process.env.ROSTER_TEST_PG_URL = previous;
    }
  });

  after(async () => {
    try {
      if (node) {
        const r = await node.stop();
        assert.deepEqual(r, { code: 0, signal: null }, `roster serve must exit 0; stderr:\n${node.stderr}`);
      }
    } finally {
      if (started) await cluster('stop');
    }
  });

  test('requests work, get 503 + retry-after while the database is down, then work again', async () => {
    const list = () => node.raw('GET', '/v1/organization/users?limit=5');
    // Several requests, so every pooled connection has been used before the outage.
    for (let i = 0; i < 6; i++) assert.equal((await list()).status, 200);

    await cluster('pause');
    for (let i = 0; i < 6; i++) {
      const r = await list();
      assert.equal(r.status, 503, `request ${i} during the outage: ${r.text}`);
      assert.equal(r.json?.error?.type, 'server_error', r.text);
      const retryAfter = r.headers.get('retry-after');
      assert.ok(retryAfter !== null && /^\d+$/.test(retryAfter), `retry-after: ${retryAfter}`);
    }

    await cluster('resume');
    const back = await list();
    assert.equal(back.status, 200, `the node recovers by itself: ${back.text}`);
    assert.ok(back.json.data.length >= 1, 'the data is still there');
    for (let i = 0; i < 6; i++) assert.equal((await list()).status, 200);
  });
});
