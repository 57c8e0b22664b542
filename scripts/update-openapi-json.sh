#!/usr/bin/env bash
# Regenerates spec/openapi-admin-subset.json from the project's shared spec (YAML), which the
# build embeds for GET /v1/openapi.json. A maintainer's step, not part of the build: it needs
# python3-yaml, the build needs nothing but CMake.
#   scripts/update-openapi-json.sh [/work/shared/spec/openapi-admin-subset.yaml]
set -euo pipefail
src="${1:-/work/shared/spec/openapi-admin-subset.yaml}"
out="$(cd "$(dirname "$0")/.." && pwd)/spec/openapi-admin-subset.json"
python3 - "$src" "$out" <<'PY'
import json, sys, yaml
with open(sys.argv[1]) as f:
    doc = yaml.safe_load(f)
with open(sys.argv[2], "w") as f:
    json.dump(doc, f, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    f.write("\n")
PY
echo "wrote $out"
