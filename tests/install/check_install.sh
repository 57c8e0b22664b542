#!/usr/bin/env bash
# `make install` in miniature: installs the build tree into a temporary prefix with CMake's install
# rules and runs what was installed (the binary, the example config and systemd unit).
set -euo pipefail
build="${1:?usage: check_install.sh BUILD_DIR}"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
"$prefix/bin/roster" --version | grep -q '^roster '
docs="$prefix/share/doc/roster"
for f in README.md TESTING-WITH-ROSTER.md OPERATIONS.md roster.service roster.example.toml; do
  test -f "$docs/$f" || { echo "missing $docs/$f"; exit 1; }
done
grep -q '^ExecStart=/usr/local/bin/roster serve$' "$docs/roster.service"
out="$(env -u ROSTER_LISTEN "$prefix/bin/roster" serve --config "$docs/roster.example.toml" --print-config)"
grep -qx 'listen = "127.0.0.1:8080"  # config file' <<<"$out" || { echo "$out"; exit 1; }
echo "install ok: $prefix"
