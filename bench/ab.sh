#!/bin/bash
# A/B of two roster binaries (e.g. the Release build of two commits) on one 1,000,000-member
# SQLite file: interleaved 5-s `wrk -t1 -c32` runs of `modify` (every request a real change: each
# run gets a fresh slice of readers) and `retrieve`, with the server's CPU time and context
# switches per request from `perf stat`. Ratios within a round are what to compare.
#
#   bench/ab.sh BEFORE_ROSTER AFTER_ROSTER [ROUNDS] [WORKDIR]
#
# Builds the database in WORKDIR (default /tmp/roster-ab) on first use with `roster orgs create`
# and `roster seed` of the AFTER binary. Needs wrk, perf, sqlite3, jq, curl, bc.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
declare -A BIN=([before]="$(realpath "$1")" [after]="$(realpath "$2")")
rounds="${3:-3}"
work="${4:-/tmp/roster-ab}"
mkdir -p "$work"
cd "$work"
db="$work/ab.db"
if [[ ! -f "$db" ]]; then
  "${BIN[after]}" orgs create --name "AB Org" --db "$db" > org.json
  "${BIN[after]}" seed --users 1000000 --org "$(jq -r .organization_id org.json)" --db "$db" >&2
fi
key="$(jq -r .admin_key org.json)"
# 40,000 fresh readers per modify run (a 5-s run makes fewer changes than that).
sqlite3 "$db" "SELECT user_id FROM memberships WHERE base_role = 'reader' AND deleted_at IS NULL
               ORDER BY random() LIMIT $((rounds * 2 * 40000))" > pool
slice=0

run() { # binary-name script ids-file
  local name=$1 script=$2 ids=$3 port=18090 pid pp out req ms cs
  "${BIN[$name]}" serve --listen 127.0.0.1:$port --db "$db" --log-level warn > /dev/null &
  pid=$!
  for _ in $(seq 200); do
    curl -sf -o /dev/null -H "authorization: Bearer $key" \
      "http://127.0.0.1:$port/v1/organization/users?limit=1" && break
    sleep 0.05
  done
  perf stat -e context-switches,task-clock -p "$pid" -o stat.txt &
  pp=$!
  out=$(ROSTER_BENCH_LUA="$here/lua" ROSTER_BENCH_IDS="$ids" ROSTER_BENCH_KEY="$key" \
        ROSTER_BENCH_SEED=1 wrk -t1 -c32 -d5s --timeout 10s -s "$here/lua/$script" \
        "http://127.0.0.1:$port" | grep '^BENCH ')
  kill -INT "$pp"; wait "$pp" || true
  kill "$pid"; wait "$pid" || true
  out=${out#BENCH }
  req=$(jq .requests <<< "$out")
  ms=$(awk '/task-clock/ {gsub(",", "", $1); print $1}' stat.txt)
  cs=$(awk '/context-switches/ {gsub(",", "", $1); print $1}' stat.txt)
  printf '%-9s %-6s %8.0f req/s  p99 %5.1f ms  CPU %4.0f µs/req  %4.1f switches/req  errors %s\n' \
    "${script%.lua}" "$name" "$(jq .rps <<< "$out")" "$(jq '.p99_us / 1000' <<< "$out")" \
    "$(bc <<< "scale=1; $ms * 1000 / $req")" "$(bc <<< "scale=2; $cs / $req")" \
    "$(jq .status_errors <<< "$out")"
}

for round in $(seq "$rounds"); do
  echo "round $round"
  for name in before after; do
    sed -n "$((slice * 40000 + 1)),$(((slice + 1) * 40000))p" pool > "ids.$slice"
    run "$name" modify.lua "ids.$slice"
    slice=$((slice + 1))
  done
  for name in before after; do run "$name" retrieve.lua pool; done
done
