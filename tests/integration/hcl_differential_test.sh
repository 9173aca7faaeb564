#!/usr/bin/env bash
# Differential test of drydock's HCL parser against HashiCorp's (hcl2json).
# Usage: hcl_differential_test.sh <drydock-binary> <repo-dir>
# Needs node and tools/hcl-oracle/node_modules (`npm ci` there); fails, never
# skips, when they are missing. Prints "N passed, M failed" as its last line.
set -uo pipefail

drydock="${1:?usage: $0 <drydock-binary> <repo-dir>}"
repo="${2:?usage: $0 <drydock-binary> <repo-dir>}"
oracle="$repo/tools/hcl-oracle"

fail() {
  echo "hcl_differential_test: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

command -v node >/dev/null 2>&1 || fail "node is not installed (apt-get install nodejs npm)"
[[ -x "$drydock" ]] || fail "drydock binary not found or not executable: $drydock"
[[ -d "$oracle/node_modules/@cdktf/hcl2json" ]] ||
  fail "$oracle/node_modules is missing: run 'npm ci' in tools/hcl-oracle"

exec node "$oracle/compare.js" "$drydock" "$repo/tests/hcl-corpus"
