#!/usr/bin/env bash
# Installs what building and testing Roster needs on Debian 12 (bookworm). Idempotent: when every
# package is already installed it does nothing (no apt-get update), so `make` stays fast.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libboost-dev libboost-system-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libssl-dev
  libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev googletest
  ca-certificates
)
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
