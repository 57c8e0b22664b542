#!/usr/bin/env bash
# Installs what building and testing Roster needs on Debian 12 (bookworm). Idempotent: when every
# package is already installed it does nothing (no apt-get update), so `make` stays fast.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libboost-dev libboost-system-dev nlohmann-json3-dev rapidjson-dev libsqlite3-dev sqlite3 libssl-dev
  openssl
  libcli11-dev libspdlog-dev libfmt-dev libtoml11-dev
  libgtest-dev libgmock-dev googletest
  libpq-dev postgresql-15
  ca-certificates
  chromium
  clang-14 libclang-rt-14-dev llvm-14
)
# clang-14, libclang-rt-14-dev: the ASan+UBSan, TSan and libFuzzer builds of `make test-sanitize`,
# `test-tsan` and `fuzz-smoke` (build-asan, build-tsan); llvm-14: llvm-symbolizer for their reports.
# openssl: the CLI makes the throwaway CA and certificate of tests/blackbox/tls.test.mjs.
# libpq-dev: the PostgreSQL backend's client library; postgresql-15: the throwaway cluster the
# tests run the PostgreSQL backend on (scripts/pg-test-cluster.sh; psql comes with it).
# chromium: Debian's browser, driven headless by the web console's end-to-end tests (tests/e2e).
# `--bench`: only what the benchmark suite adds (bench/bench.mjs): wrk, nginx as the ceiling, and
# gnuplot for the chart.
if [[ "${1:-}" == "--bench" ]]; then
  PACKAGES=(wrk nginx gnuplot-nox procps)
fi
# The black-box tests need Node (>= 20) and npm. Some machine images ship Node outside Debian's
# packages; Debian's npm conflicts with it, so only install Debian's when there is no node at all.
if ! command -v node >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

check_npm() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: node is on PATH but npm is not; install npm for $(command -v node)" >&2
    exit 1
  fi
}

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  check_npm
  exit 0
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  SUDO=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
"${SUDO[@]}" apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
check_npm
