// Starts the real `roster` binary on a fresh SQLite file (as tests/blackbox/lib/roster.mjs does)
// and Debian's chromium through playwright-core. Never downloads a browser.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { chromium } from 'playwright-core';

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..', '..');
export const ROSTER_BIN = process.env.ROSTER_BIN
  ? path.resolve(process.env.ROSTER_BIN)
  : path.join(REPO_ROOT, 'build', 'roster');
export const CHROMIUM = process.env.ROSTER_E2E_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');

const START_TIMEOUT_MS = 15_000;
const LISTENING_RE = /^roster listening on (http:\/\/\S+:\d+)\s*$/;

export function randomAdminKey() {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let suffix = '';
  for (const b of randomBytes(40)) suffix += alphabet[b % alphabet.length];
  return `sk-admin-${suffix}`;
}

function childEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  for (const k of Object.keys(env)) if (k.startsWith('OPENAI_')) delete env[k];
  return env;
}

// `roster serve --listen 127.0.0.1:0` on a fresh database with a known bootstrap key; resolves
// once it prints its address (no sleeps).
export async function startRoster() {
  if (!existsSync(ROSTER_BIN)) throw new Error(`roster binary not found at ${ROSTER_BIN} (make build, or set ROSTER_BIN)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-e2e-'));
  const db = path.join(dir, 'roster.db');
  const key = randomAdminKey();
  const child = spawn(ROSTER_BIN, ['serve', '--listen', '127.0.0.1:0', '--db', db], {
    env: childEnv({ ROSTER_BOOTSTRAP_ADMIN_KEY: key }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`roster serve did not report its address:\n${output}`));
    }, START_TIMEOUT_MS);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.stdout.setEncoding('utf8');
    let pending = '';
    child.stdout.on('data', (d) => {
      output += d;
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const m = LISTENING_RE.exec(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`roster serve exited (${code}):\n${output}`));
    });
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    origin,
    key,
    db,
    async cli(...args) {
      const { stdout } = await execFileAsync(ROSTER_BIN, [...args, '--db', db], { env: childEnv() });
      return stdout.trim();
    },
    // A raw call to the API, outside the browser.
    async call(method, urlPath, { key: k = key, body } = {}) {
      const headers = {};
      if (k) headers.authorization = `Bearer ${k}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${origin}${urlPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, headers: res.headers, json: await res.json().catch(() => undefined) };
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Debian's chromium, headless. Playwright gives every launch() a fresh temporary
// --user-data-dir of its own (it refuses the flag in `args`) and removes it on close.
export async function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium (scripts/install-deps.sh does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // Containers often have a tiny /dev/shm; chromium then crashes without this.
      '--disable-dev-shm-usage',
    ],
  });
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // The passing "saved" notice would cover part of the page.
  await page.evaluate(() => document.getElementById('notice')?.setAttribute('hidden', ''));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
