#!/usr/bin/env bash
# The AWS target's checks (tests/aws/modules_check.js): every .tf parses with HashiCorp's parser,
# variables match drydock's documented settings, module inputs are declared and used, and
# `drydock plan` shows exactly the resources the modules declare.
# Usage: aws_modules_test.sh <drydock-binary> <repo-dir>. Needs node and tools/hcl-oracle's
# node_modules (`npm ci` there); fails, never skips, when they are missing.
set -uo pipefail

drydock="${1:?usage: $0 <drydock-binary> <repo-dir>}"
repo="${2:?usage: $0 <drydock-binary> <repo-dir>}"

fail() {
  echo "aws_modules_test: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}
command -v node >/dev/null 2>&1 || fail "node is not installed (apt-get install nodejs npm)"
[[ -d "$repo/tools/hcl-oracle/node_modules/@cdktf/hcl2json" ]] ||
  fail "$repo/tools/hcl-oracle/node_modules is missing: run 'npm ci' in tools/hcl-oracle"

exec node "$repo/tests/aws/modules_check.js" "$drydock" "$repo"
