// The secret audit of a test run (docs/SECURITY.md, "No secret in any output").
//
// With ROSTER_SECRET_AUDIT_DIR set, every `roster` process the harness starts writes its whole
// stdout and stderr there, and every secret that crosses the wire is recorded: the bootstrap
// admin keys the harness makes, every `sk-admin-…` value and invite token in a response body the
// SDK clients or raw requests receive, and every secret printed by a CLI side channel.
// `scan-secrets.mjs` then looks for each recorded secret in every output file (and in the
// database files, which the harness copies there before deleting a server's directory).
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const AUDIT_DIR = process.env.ROSTER_SECRET_AUDIT_DIR
  ? path.resolve(process.env.ROSTER_SECRET_AUDIT_DIR)
  : null;

// An admin key value (crypto/keys.hpp: `sk-admin-` + 64 CSPRNG characters; the harness makes
// 40-character ones) and an invite token in the console's path or an accept body.
const SECRET_PATTERNS = [
  /sk-admin-[A-Za-z0-9_-]{20,}/g,
  /\/invite\/([A-Za-z0-9_-]{40,})/g,
  /"token"\s*:\s*"([A-Za-z0-9_-]{40,})"/g,
];

const recorded = new Set();
let files = 0;

function auditFile(name) {
  mkdirSync(AUDIT_DIR, { recursive: true });
  return path.join(AUDIT_DIR, name);
}

// Remembers `secret` for the end-of-run scan.
export function recordSecret(secret) {
  if (!AUDIT_DIR || !secret || recorded.has(secret)) return;
  recorded.add(secret);
  appendFileSync(auditFile(`secrets-${process.pid}.txt`), `${secret}\n`);
}

// Records every secret found in `text` (a response body, a CLI's stdout).
export function recordSecretsIn(text) {
  if (!AUDIT_DIR || typeof text !== 'string') return;
  for (const re of SECRET_PATTERNS) {
    for (const m of text.matchAll(re)) recordSecret(m[1] ?? m[0]);
  }
}

// A new output file for the audit (`kind` names what it holds); null when the audit is off.
export function outputFile(kind) {
  if (!AUDIT_DIR) return null;
  files += 1;
  return auditFile(`${kind}-${process.pid}-${files}.log`);
}

// A new directory for the audit (copies of database files); null when the audit is off.
export function outputDir(kind) {
  if (!AUDIT_DIR) return null;
  files += 1;
  const dir = auditFile(`${kind}-${process.pid}-${files}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

// Wraps a fetch so every response body is searched for secrets (bodies are read from a clone,
// so the caller's stream is untouched).
export function auditingFetch(inner = fetch) {
  if (!AUDIT_DIR) return inner;
  return async (input, init) => {
    const res = await inner(input, init);
    try {
      recordSecretsIn(await res.clone().text());
    } catch {
      // A body that cannot be read twice (aborted) holds nothing the scan needs.
    }
    return res;
  };
}
