// Roster as a stand-in for the OpenAI Admin API in a Node test suite (node:test + the official
// `openai` SDK). Run: `ROSTER_BIN=/path/to/roster node --test` (default: `roster` on PATH).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, test } from 'node:test';

import OpenAI from 'openai';

const ROSTER_BIN = process.env.ROSTER_BIN ?? 'roster';
const FIXTURE = fileURLToPath(new URL('./fixture.json', import.meta.url));
const ADMIN_KEY = 'sk-admin-example-ci-key-0123456789'; // fixture.json, key_ci

let roster; // the child process
let origin; // http://127.0.0.1:PORT
let admin; // client.admin.organization

// One Roster for the whole file: in memory, seeded, with the test controls on.
before(async () => {
  roster = spawn(ROSTER_BIN, ['serve', '--ephemeral', '--seed', FIXTURE, '--test-controls',
    '--listen', '127.0.0.1:0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Ready when it prints `roster listening on http://HOST:PORT`.
  for await (const line of createInterface({ input: roster.stdout })) {
    const match = /^roster listening on (\S+)$/.exec(line);
    if (match) {
      origin = match[1];
      break;
    }
  }
  assert.ok(origin, 'roster printed its address');
  roster.stdout.resume();
  const client = new OpenAI({ adminAPIKey: ADMIN_KEY, apiKey: 'unused', baseURL: `${origin}/v1` });
  admin = client.admin.organization;
  await control('POST', '/roster/test/snapshots/seeded');
});

after(async () => {
  roster.kill('SIGTERM');
  await once(roster, 'exit');
});

// Every test starts from the seeded state (a restore takes milliseconds).
beforeEach(async () => {
  await control('POST', '/roster/test/snapshots/seeded/restore');
  await control('DELETE', '/roster/test/faults');
  await control('POST', '/roster/test/clock', { now: 1_900_000_000 });
});

// The test controls are plain HTTP calls without a key.
async function control(method, path, body) {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.equal(res.status, 200, `${method} ${path}: ${text}`);
  return JSON.parse(text);
}

test('the fixture ids are there to name', async () => {
  const users = [];
  for await (const user of admin.users.list()) users.push(user.id);
  assert.deepEqual(users, ['user-owner', 'user-reader']);
  const roles = [];
  for await (const role of admin.users.roles.list('user-reader')) roles.push(role.id);
  assert.ok(roles.includes('role_auditor'));
});

test('changes made by one test are gone in the next', async () => {
  await admin.users.update('user-reader', { role: 'owner' });
  assert.equal((await admin.users.retrieve('user-reader')).role, 'owner');
});

test('...as this one shows', async () => {
  assert.equal((await admin.users.retrieve('user-reader')).role, 'reader');
});

test('invites expire when the clock says so', async () => {
  assert.equal((await admin.invites.retrieve('invite-new-hire')).status, 'pending');
  await control('POST', '/roster/test/clock', { advance_seconds: 7200 });
  assert.equal((await admin.invites.retrieve('invite-new-hire')).status, 'expired');
});

test('the SDK retries a rate-limited call', async () => {
  await control('POST', '/roster/test/faults', {
    method: 'GET', route: '/v1/organization/users/{user_id}', status: 429, retry_after_ms: 20,
    count: 2,
  });
  const user = await admin.users.retrieve('user-owner'); // two 429s, then the answer
  assert.equal(user.email, 'owner@example.test');
});

test('a script sees a 500 it cannot retry away', async () => {
  await control('POST', '/roster/test/faults', {
    method: 'DELETE', route: '/v1/organization/users/{user_id}', status: 500, count: 10,
  });
  const noRetries = new OpenAI({ adminAPIKey: ADMIN_KEY, apiKey: 'unused',
    baseURL: `${origin}/v1`, maxRetries: 0 });
  await assert.rejects(noRetries.admin.organization.users.delete('user-reader'),
    (err) => err instanceof OpenAI.InternalServerError && err.status === 500);
});
