// The end of the secret audit (lib/secrets.mjs): fails when any secret recorded during the run
// appears in any output the run kept — a server's stdout or stderr (its logs), a CLI's stderr,
// or a server's database files (audit events, stored keys).
//
//   node scan-secrets.mjs DIR [--min-secrets N]
//
// The one place a secret may be printed is the first start's delivery of a generated key on
// stdout ("admin key: sk-admin-…", for `make run`); that line is exempt. A leak is reported by
// file and the secret's first characters only, so the report does not leak it again. Exit 0 when
// clean, 1 on a leak, 2 when the audit is empty (fewer than N secrets or no output files), so a
// run that recorded nothing cannot pass as clean.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const EXEMPT_LINE = /^admin key: sk-admin-\S+$/gm;

function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

export function scan(dir) {
  const secrets = new Set();
  const outputs = [];
  for (const file of filesUnder(dir)) {
    if (/^secrets-\d+\.txt$/.test(path.basename(file))) {
      for (const s of readFileSync(file, 'utf8').split('\n')) if (s) secrets.add(s);
    } else {
      outputs.push(file);
    }
  }
  const leaks = [];
  let bytes = 0;
  for (const file of outputs) {
    // latin1 keeps every byte, so a secret inside a binary database page is still found.
    let text = readFileSync(file).toString('latin1');
    bytes += text.length;
    if (/serve-stdout-[^/]*\.log$/.test(file)) text = text.replace(EXEMPT_LINE, '');
    for (const secret of secrets) {
      if (text.includes(secret)) leaks.push({ file, secret: `${secret.slice(0, 12)}… (${secret.length} chars)` });
    }
  }
  return { secrets: secrets.size, files: outputs.length, bytes, leaks };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  const minIndex = process.argv.indexOf('--min-secrets');
  const min = minIndex > 0 ? Number(process.argv[minIndex + 1]) : 1;
  if (!dir) {
    console.error('usage: node scan-secrets.mjs DIR [--min-secrets N]');
    process.exit(2);
  }
  const r = scan(path.resolve(dir));
  console.log(`secret audit: ${r.secrets} secrets searched for in ${r.files} files (${r.bytes} bytes)`);
  if (r.secrets < min || r.files === 0) {
    console.error(`secret audit: too little recorded (need at least ${min} secrets and one file)`);
    process.exit(2);
  }
  for (const leak of r.leaks) console.error(`secret audit: LEAK of ${leak.secret} in ${leak.file}`);
  process.exit(r.leaks.length ? 1 : 0);
}
