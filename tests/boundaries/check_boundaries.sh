#!/usr/bin/env bash
# Checks the layer boundaries of docs/ARCHITECTURE.md: which folders may include what.
# Exits non-zero and names each offending include.
set -u
root="${1:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$root/src" || exit 2
fail=0
# forbid FOLDER REGEX WHY
forbid() {
  local hits
  hits=$(grep -rnE "^#include [<\"]($2)" "$1" 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "boundary violated: $1 must not include $2 ($3):"
    echo "$hits"
    fail=1
  fi
}
forbid core 'boost/|sqlite3\.h|libpq-fe\.h|openssl/|api/|storage/|transport/|app/|crypto/' "core is std-only (plus nlohmann::json as a value type)"
forbid storage/store.hpp 'boost/|sqlite3\.h|libpq-fe\.h|api/|transport/' "the store interface is driver-free"
forbid storage/sqlite 'boost/|libpq-fe\.h|api/|transport/|app/' "a backend knows only core, store.hpp and its driver"
forbid storage/postgres 'boost/|sqlite3\.h|api/|transport/|app/|storage/sqlite/' "a backend knows only core, store.hpp and its driver"
forbid api 'boost/|sqlite3\.h|libpq-fe\.h|transport/|app/|storage/sqlite/' "the API layer sees the store interface only"
forbid transport 'sqlite3\.h|libpq-fe\.h|storage/|app/' "transport knows the API, not storage"
forbid crypto 'boost/|sqlite3\.h|api/|storage/|transport/|app/' "crypto is OpenSSL only"
# nlohmann only in core (value type) and api/json; api handlers go through api/json codecs.
hits=$(grep -rlE '^#include <nlohmann/' api 2>/dev/null | grep -v '^api/json/' || true)
if [ -n "$hits" ]; then echo "nlohmann::json included outside api/json/: $hits"; fail=1; fi
[ $fail -eq 0 ] && echo "boundaries hold"
exit $fail
