#!/usr/bin/env node
// Roster's benchmark suite (issue 5). Builds a dataset with `roster seed`, serves it, and loads
// each endpoint with wrk, interleaved with nginx serving a fixed body of the same size on the same
// machine, so every number is reported as a ratio measured in the same round.
//
//   node bench/bench.mjs [--smoke] [--roster PATH] [--rounds N] [--seconds S] [--out DIR] [--chart PNG]
//   node bench/bench.mjs --replot bench/results/full.json --chart docs/perf-chart.png
//
// --smoke: a small dataset and one short round (about 30 s), run by `make test` so the suite
// never rots. Benchmarks are not tests: nothing here fails on a timing; it fails only when a tool
// is missing or a request is refused (a non-2xx answer means the benchmark measures an error).
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const opts = { smoke: false, roster: null, rounds: null, seconds: null, out: null, chart: null,
                 replot: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--smoke') opts.smoke = true;
    else if (a === '--roster') opts.roster = value();
    else if (a === '--rounds') opts.rounds = Number(value());
    else if (a === '--seconds') opts.seconds = Number(value());
    else if (a === '--out') opts.out = value();
    else if (a === '--chart') opts.chart = value();
    else if (a === '--replot') opts.replot = value();
    else throw new Error(`unknown option ${a}`);
  }
  const scale = opts.smoke
    ? { members: 10_000, smallOrgs: 3, smallOrgMembers: 200, customRoles: 5, spreadAssignments: 500,
        sliceSize: 4_000, rounds: 1, seconds: 2 }
    : { members: 1_000_000, smallOrgs: 100, smallOrgMembers: 1_000, customRoles: 10,
        spreadAssignments: 50_000, sliceSize: 10_000, rounds: 3, seconds: 10 };
  if (opts.rounds) scale.rounds = opts.rounds;
  if (opts.seconds) scale.seconds = opts.seconds;
  return { ...opts, scale };
}

const opts = parseArgs(process.argv.slice(2));
const ROSTER = path.resolve(opts.roster ?? path.join(repo, 'build-release', 'roster'));
const LUA = path.join(here, 'lua');
const WRK_THREADS = 1;
const WRK_CONNECTIONS = 32;
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat reports CPU time in 1/100 s

function log(...args) {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
}

function need(tool) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} not found: run scripts/install-deps.sh --bench (Debian package ${tool})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

function roster(db, ...args) {
  return execFileSync(ROSTER, [...args, '--db', db], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Starts `roster serve` and measures the time from spawn to the first answered API request.
async function startRoster(db, key) {
  const started = process.hrtime.bigint();
  const child = spawn(ROSTER, ['serve', '--listen', '127.0.0.1:0', '--db', db, '--log-level', 'warn'],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = await new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`roster serve exited early (${code})`)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = /roster listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  for (;;) {
    const res = await fetch(`${origin}/v1/organization/users?limit=1`,
                            { headers: { authorization: `Bearer ${key}` } }).catch(() => null);
    if (res && res.status === 200) {
      await res.arrayBuffer();
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const firstAnswerMs = Number(process.hrtime.bigint() - started) / 1e6;
  child.stdout.resume();
  return { child, origin, firstAnswerMs };
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// CPU seconds (user + system) used so far by the processes in `pids`.
function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  }
  return ticks / CLK_TCK;
}

function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

function childPids(pid) {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers (node's fetch; the SDK is used where the SDK itself is measured)

async function api(origin, key, method, p, body) {
  const res = await fetch(origin + p, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method} ${p} → ${res.status}: ${text}`);
  return { text, json: JSON.parse(text) };
}

async function inParallel(items, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function shuffle(array, seed = 42) {
  // Deterministic Fisher-Yates with a small LCG, so reruns use the same samples.
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

// ---------------------------------------------------------------------------------------------
// wrk

function runWrk(url, script, env, seconds) {
  const out = execFileSync('wrk', [`-t${WRK_THREADS}`, `-c${WRK_CONNECTIONS}`, `-d${seconds}s`,
                                   '--timeout', '10s', '-s', path.join(LUA, script), url],
                           { encoding: 'utf8', env: { ...process.env, ROSTER_BENCH_LUA: LUA, ...env } });
  const line = out.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`wrk printed no BENCH line:\n${out}`);
  return JSON.parse(line.slice(6));
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

// ---------------------------------------------------------------------------------------------
// nginx: one worker, tcp_nopush off, each endpoint's body inline with `return 200 '…'`.

async function startNginx(dir, bodies) {
  const port = await freePort();
  const prefix = path.join(dir, 'nginx');
  mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  // nginx's worker runs as nobody when started by root: let it read the bodies.
  chmodSync(dir, 0o755);
  chmodSync(prefix, 0o755);
  // nginx's configuration tokens are limited to 4 KiB: larger bodies are served from a file of
  // the same size (open_file_cache keeps the descriptor; the body is still read per request).
  const locations = Object.entries(bodies).map(([name, size]) => {
    if (size <= 4000) return `    location = /${name} { return 200 '${'x'.repeat(size)}'; }`;
    writeFileSync(path.join(prefix, `${name}.json`), 'x'.repeat(size));
    return `    location = /${name} { alias ${prefix}/${name}.json; }`;
  }).join('\n');
  const user = process.getuid && process.getuid() === 0 ? 'user nobody nogroup;' : '';
  const conf = `${user}
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log stderr error;
events { worker_connections 1024; }
http {
  access_log off;
  tcp_nopush off;
  keepalive_requests 1000000;
  open_file_cache max=64;
  default_type application/json;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
${locations}
  }
}
`;
  const confPath = path.join(prefix, 'nginx.conf');
  writeFileSync(confPath, conf);
  const child = spawn('nginx', ['-p', prefix, '-c', confPath, '-e', 'stderr'],
                      { stdio: ['ignore', 'inherit', 'pipe'] });
  // Keep only the first lines of nginx's errors: a misconfiguration logs once per request.
  let nginxErrors = 0;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    if (nginxErrors++ < 5) process.stderr.write(d);
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const res = await fetch(`${origin}/${Object.keys(bodies)[0]}`).catch(() => null);
    if (res && res.status === 200) {
      await res.arrayBuffer();
      break;
    }
    if (i > 500) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 10));
  }
  return { child, origin, pids: () => [child.pid, ...childPids(child.pid)] };
}

// ---------------------------------------------------------------------------------------------
// The run

async function main() {
  for (const tool of ['wrk', 'nginx', 'pgrep']) need(tool);
  if (!existsSync(ROSTER)) throw new Error(`${ROSTER} not found (make bench builds it)`);
  const { scale } = opts;
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-bench-'));
  const db = path.join(dir, 'bench.db');
  const report = { mode: opts.smoke ? 'smoke' : 'full', scale, roster: ROSTER,
                   machine: machineFacts(), endpoints: {} };
  // Every process this run starts, stopped on the way out even when a step fails.
  const started = [];
  try {
    // Dataset: the large organization, then the small ones.
    const big = JSON.parse(roster(db, 'orgs', 'create', '--name', 'Bench Org'));
    const key = big.admin_key;
    let t = Date.now();
    log(roster(db, 'seed', '--users', String(scale.members), '--org', big.organization_id).trim());
    report.seed_seconds = (Date.now() - t) / 1000;
    t = Date.now();
    for (let i = 0; i < scale.smallOrgs; i++) {
      const org = JSON.parse(roster(db, 'orgs', 'create', '--name', `Small Org ${i + 1}`));
      roster(db, 'seed', '--users', String(scale.smallOrgMembers), '--org', org.organization_id);
    }
    log(`${scale.smallOrgs} small organizations in ${(Date.now() - t) / 1000} s`);

    const server = await startRoster(db, key);
    started.push(server.child);
    report.first_answer_ms = server.firstAnswerMs;
    log(`roster answered ${server.firstAnswerMs.toFixed(0)} ms after start at ${server.origin}`);

    // The official SDK pages through every member with limit 100; the ids and emails it returns
    // become the benchmark's samples.
    const require = createRequire(path.join(repo, 'tests', 'blackbox', 'package.json'));
    const { default: OpenAI } = await import(pathToFileURL(require.resolve('openai')).href);
    const client = new OpenAI({ apiKey: 'unused', adminAPIKey: key,
                                baseURL: `${server.origin}/v1`, maxRetries: 0 });
    t = process.hrtime.bigint();
    const members = [];  // the readers: samples for every benchmark
    let paged = 0;
    for await (const u of client.admin.organization.users.list({ limit: 100 })) {
      paged += 1;
      if (u.role === 'reader') members.push({ id: u.id, email: u.email });
    }
    report.sdk_page_all_seconds = Number(process.hrtime.bigint() - t) / 1e9;
    report.sdk_page_all_members = paged;
    log(`SDK paged ${paged} members in ${report.sdk_page_all_seconds.toFixed(1)} s`);

    // Custom roles, spread over a random sample of members.
    const roles = [];
    for (let i = 0; i < scale.customRoles; i++) {
      const { json } = await api(server.origin, key, 'POST', '/v1/organization/roles', {
        role_name: `Bench Role ${i + 1}`, permissions: ['api.groups.read', 'api.all.read'] });
      roles.push(json.id);
    }
    shuffle(members);
    const spread = members.slice(0, scale.spreadAssignments);
    t = Date.now();
    await inParallel(spread, 32, (m, i) => api(server.origin, key, 'POST',
      `/v1/organization/users/${m.id}/roles`, { role_id: roles[i % (roles.length - 1) + 1] }));
    log(`${spread.length} role assignments in ${(Date.now() - t) / 1000} s`);

    // Samples: reads pick from 100,000 members; each write run gets its own fresh slice.
    const readSample = members.slice(0, Math.min(100_000, members.length));
    const writeable = members.slice(scale.spreadAssignments);
    let sliceAt = 0;
    const freshSlice = (name) => {
      const slice = writeable.slice(sliceAt, sliceAt + scale.sliceSize);
      if (slice.length < scale.sliceSize) throw new Error('not enough members for a fresh write slice per round: fewer rounds or more members');
      sliceAt += scale.sliceSize;
      const file = path.join(dir, `${name}-${sliceAt}.ids`);
      writeFileSync(file, slice.map((m) => m.id).join('\n') + '\n');
      return file;
    };
    const idsFile = path.join(dir, 'read.ids');
    const emailsFile = path.join(dir, 'read.emails');
    writeFileSync(idsFile, readSample.map((m) => m.id).join('\n') + '\n');
    writeFileSync(emailsFile, readSample.map((m) => m.email).join('\n') + '\n');

    // Each endpoint: its script, its environment, and a sample response to size nginx's body.
    const sample = readSample[0];
    const endpoints = {
      retrieve: { script: 'retrieve.lua', env: () => ({ ROSTER_BENCH_IDS: idsFile }),
                  sample: () => api(server.origin, key, 'GET', `/v1/organization/users/${sample.id}`) },
      list_deep: { script: 'list_deep.lua', env: () => ({ ROSTER_BENCH_IDS: idsFile }),
                   sample: () => api(server.origin, key, 'GET',
                                     `/v1/organization/users?limit=100&after=${readSample[1].id}`) },
      list_emails: { script: 'list_emails.lua', env: () => ({ ROSTER_BENCH_EMAILS: emailsFile }),
                     sample: () => api(server.origin, key, 'GET', '/v1/organization/users?' +
                       readSample.slice(2, 5).map((m) => `emails[]=${encodeURIComponent(m.email)}`)
                         .join('&')) },
      user_roles: { script: 'user_roles.lua', env: () => ({ ROSTER_BENCH_IDS: idsFile }),
                    sample: () => api(server.origin, key, 'GET',
                                      `/v1/organization/users/${spread[0].id}/roles`) },
      modify: { script: 'modify.lua', write: true,
                env: () => ({ ROSTER_BENCH_IDS: freshSlice('modify') }),
                sample: () => api(server.origin, key, 'POST',
                                  `/v1/organization/users/${sample.id}`, { role: 'reader' }) },
      assign_unassign: { script: 'assign.lua', write: true,
                         env: () => ({ ROSTER_BENCH_IDS: freshSlice('assign'),
                                       ROSTER_BENCH_ROLE: roles[0] }),
                         sample: () => api(server.origin, key, 'GET',
                                           `/v1/organization/roles/${roles[0]}`) },
    };
    const sizes = {};
    for (const [name, e] of Object.entries(endpoints)) sizes[name] = (await e.sample()).text.length;
    const nginx = await startNginx(dir, sizes);
    started.push(nginx.child);

    const rounds = {};
    for (let round = 1; round <= scale.rounds; round++) {
      for (const [name, e] of Object.entries(endpoints)) {
        const env = { ...e.env(), ROSTER_BENCH_KEY: key, ROSTER_BENCH_SEED: String(round) };
        let cpu0 = cpuSeconds([server.child.pid]);
        const r = runWrk(server.origin, e.script, env, scale.seconds);
        r.cpu_us_per_request = ((cpuSeconds([server.child.pid]) - cpu0) * 1e6) / r.requests;
        const nginxPids = nginx.pids();
        cpu0 = cpuSeconds(nginxPids);
        const n = runWrk(nginx.origin, 'static.lua',
                         { ROSTER_BENCH_KEY: key, ROSTER_BENCH_PATH: `/${name}` }, scale.seconds);
        n.cpu_us_per_request = ((cpuSeconds(nginxPids) - cpu0) * 1e6) / n.requests;
        (rounds[name] ??= []).push({ roster: r, nginx: n, ratio: r.rps / n.rps });
        if (r.first_refusal) log(`${name}: first refused request: ${r.first_refusal}`);
        log(`round ${round} ${name}: roster ${r.rps.toFixed(0)}/s (${r.status_errors} errors), ` +
            `nginx ${n.rps.toFixed(0)}/s, ratio ${(r.rps / n.rps).toFixed(2)}`);
      }
    }
    report.peak_rss_mib = peakRssMiB(server.child.pid);
    await stopProcess(server.child);
    await stopProcess(nginx.child);

    for (const [name, rs] of Object.entries(rounds)) {
      const pick = (side, field) => median(rs.map((x) => x[side][field]));
      report.endpoints[name] = {
        write: Boolean(endpoints[name].write),
        body_bytes: sizes[name],
        roster_rps: pick('roster', 'rps'), roster_p50_us: pick('roster', 'p50_us'),
        roster_p99_us: pick('roster', 'p99_us'),
        roster_cpu_us: pick('roster', 'cpu_us_per_request'),
        nginx_rps: pick('nginx', 'rps'), nginx_p50_us: pick('nginx', 'p50_us'),
        nginx_cpu_us: pick('nginx', 'cpu_us_per_request'),
        ratio: median(rs.map((x) => x.ratio)),
        status_errors: rs.reduce((a, x) => a + x.roster.status_errors + x.nginx.status_errors, 0),
        socket_errors: rs.reduce((a, x) => a + x.roster.socket_errors + x.nginx.socket_errors, 0),
        rounds: rs,
      };
    }
  } finally {
    for (const child of started) await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  }

  const table = renderTable(report);
  console.log(table);
  const outDir = opts.out ? path.resolve(opts.out) : path.join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, `${report.mode}.json`), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(path.join(outDir, `${report.mode}.md`), table + '\n');
  if (opts.chart) writeChart(report, path.resolve(opts.chart), dir);
  const failed = Object.entries(report.endpoints).filter(([, e]) => e.status_errors > 0);
  if (failed.length) {
    console.error(`non-2xx answers on: ${failed.map(([n]) => n).join(', ')}`);
    process.exitCode = 1;
  }
}

function machineFacts() {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpu)?.[1] ?? 'unknown';
  const cores = (cpu.match(/^processor\s*:/gm) ?? []).length;
  const mem = /MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
  return { cpu: model, cores, memory_gib: mem ? Math.round(Number(mem) / 1048576) : null,
           wrk: `-t${WRK_THREADS} -c${WRK_CONNECTIONS}` };
}

function renderTable(report) {
  const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '–');
  const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
  const ms = (us) => (Number.isFinite(us) ? (us / 1000).toFixed(2) : '–');
  const lines = [
    `Roster benchmark (${report.mode}): ${report.scale.members.toLocaleString('en')} members + ` +
      `${report.scale.smallOrgs} × ${report.scale.smallOrgMembers} ; wrk ${report.machine.wrk}, ` +
      `${report.scale.rounds} round(s) of ${report.scale.seconds} s; medians; ` +
      `${report.machine.cores} × ${report.machine.cpu}`,
    '',
    '| endpoint | roster req/s | p50 ms | p99 ms | CPU µs/req | nginx req/s | nginx CPU µs/req | ratio to nginx | CPU ratio | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, e] of Object.entries(report.endpoints)) {
    lines.push(`| ${name}${e.write ? ' (durable write)' : ''} | ${f0(e.roster_rps)} | ` +
      `${ms(e.roster_p50_us)} | ${ms(e.roster_p99_us)} | ${f0(e.roster_cpu_us)} | ` +
      `${f0(e.nginx_rps)} | ${f0(e.nginx_cpu_us)} | ${f2(e.ratio)} | ` +
      `${f2(e.roster_cpu_us / e.nginx_cpu_us)} | ${e.status_errors + e.socket_errors} |`);
  }
  lines.push('',
    `| measure | value |`, `|---|---:|`,
    `| seed ${report.scale.members.toLocaleString('en')} members | ${f2(report.seed_seconds)} s |`,
    `| start to first answered request | ${f0(report.first_answer_ms)} ms |`,
    `| peak RSS of roster serve | ${f0(report.peak_rss_mib)} MiB |`,
    `| official SDK pages through ${report.sdk_page_all_members.toLocaleString('en')} members (limit 100) | ${f2(report.sdk_page_all_seconds)} s |`);
  return lines.join('\n');
}

// A PNG bar chart (gnuplot) of requests/s per endpoint, Roster beside nginx.
function writeChart(report, pngPath, dir) {
  const data = Object.entries(report.endpoints)
    .map(([name, e]) => `${name} ${e.roster_rps.toFixed(0)} ${e.nginx_rps.toFixed(0)}`).join('\n');
  const script = `set terminal pngcairo size 900,480 font ",10" noenhanced
set output '${pngPath}'
set title 'Requests/s per endpoint (median of ${report.scale.rounds} rounds, wrk ${report.machine.wrk})'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel 'requests/s'
set yrange [0:*]
set grid ytics
set xtics rotate by -20
set key top right
$data << EOD
${data}
EOD
plot $data using 2:xtic(1) title 'Roster' lc rgb '#2b6cb0', '' using 3 title 'nginx (same body size)' lc rgb '#a0aec0'
`;
  execFileSync('gnuplot', [], { input: script });
  log(`chart written to ${pngPath}`);
}

// `--replot RESULTS.json --chart PNG`: redraw the chart of an earlier run without measuring again.
const run = opts.replot
  ? async () => writeChart(JSON.parse(readFileSync(opts.replot, 'utf8')), path.resolve(opts.chart))
  : main;
run().catch((e) => {
  console.error(e.stack ?? String(e));
  process.exit(1);
});
