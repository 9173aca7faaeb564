#!/usr/bin/env bash
# End-to-end checks of the real binary: exit codes, diagnostics on stderr,
# JSON on stdout, NO_COLOR. Usage: cli_test.sh DRYDOCK REPO_DIR
set -uo pipefail
drydock=$1
repo=$2
origin="$repo/examples/origin/terraform.tfvars"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() {  # description, command...
  local description=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $description"; fi
}

expect_exit() {  # expected-code, args...
  local expected=$1; shift
  "$drydock" "$@" >"$work/out" 2>"$work/err"
  local code=$?
  [ "$code" -eq "$expected" ] || { echo "exit $code, expected $expected: drydock $*"; cat "$work/err"; return 1; }
}

check "validate origin exits 0" expect_exit 0 validate "$origin"
check "plan origin exits 0" expect_exit 0 plan "$origin"
check "plan names the listener rules" grep -q "aws_lb_listener_rule" "$work/out"
check "plan --output json parses" expect_exit 0 plan "$origin" --output json
check "plan json has cost" python3 -c "import json,sys; d=json.load(open('$work/out')); assert d['cost']['monthly_usd'] > 0; assert d['capacity']['asg_mix'][0]['size'] == 2"

cat >"$work/bad.tfvars" <<'TFVARS'
services = {
  api = {
    desired_count  = 2
    path_pattern   = ["/api*"]
    priority       = 0
    container_port = 80
    cpu            = 256
    memory         = 512
  }
}
TFVARS
check "out-of-range priority exits 1" expect_exit 1 validate "$work/bad.tfvars"
check "diagnostic names file:line:col and setting" grep -q "bad.tfvars:5:22: error: services.api.priority" "$work/err"
check "unknown verb exits 2" expect_exit 2 frobnicate
check "missing file exits 1" expect_exit 1 validate "$work/missing.tfvars"

# The load balancer's verbs refuse bad input before touching anything.
says() { grep -qF -- "$1" "$work/err" || { echo "  stderr lacks: $1"; sed 's/^/  | /' "$work/err"; return 1; }; }
check "proxy without FILE or --managed exits 2" expect_exit 2 proxy
check "it says what to give" says "give a configuration FILE (static mode) or --managed"
check "proxy --managed without --listen exits 2" expect_exit 2 proxy --managed --state-dir "$work"
check "it asks for --listen" says "--managed needs --listen ADDR:PORT"
check "proxy with bad --backends exits 2" \
  expect_exit 2 proxy "$origin" --listen 127.0.0.1:0 --backends 127.0.0.1:9001,nonsense
check "it names the bad backend" says '"nonsense" is not IPV4:PORT'
check "proxy with a bad --listen exits 2" expect_exit 2 proxy "$origin" --listen 127.0.0.1
check "it names the flag" says '--listen "127.0.0.1" has no ":PORT"'
check "proxy with an invalid file exits 1" expect_exit 1 proxy "$work/bad.tfvars" --listen 127.0.0.1:0
check "up with a bad --listen exits 2" expect_exit 2 up "$origin" --listen "[::1" --state-dir "$work/never"
check "up --listen creates no state dir" test ! -e "$work/never"
check "targets without state exits 1" expect_exit 1 targets api --state-dir "$work/none"
check "stop-task without state exits 1" expect_exit 1 stop-task 0123456789ab --state-dir "$work/none"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
