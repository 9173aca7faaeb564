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

# deploy and rollback: bad flags are usage errors; without a cluster, a clear error.
check "deploy with --env lacking = exits 2" expect_exit 2 deploy api --env VERSION --state-dir "$work/none"
check "it names the flag and the form" says '--env "VERSION": expected KEY=VALUE'
check "deploy with an empty --env name exits 2" expect_exit 2 deploy api --env =2 --state-dir "$work/none"
check "it says the name is empty" says "the variable name before '=' is empty"
check "deploy with a bad JSON --command exits 2" expect_exit 2 deploy api --command '["sh", 1]' --state-dir "$work/none"
check "it shows the JSON form" says 'not a JSON array of strings'
check "deploy with --cpu 0 exits 2" expect_exit 2 deploy api --cpu 0 --state-dir "$work/none"
check "deploy without SERVICE exits 2" expect_exit 2 deploy
check "rollback with --timeout 0 exits 2" expect_exit 2 rollback api --timeout 0 --state-dir "$work/none"
check "deploy without state exits 1" expect_exit 1 deploy api --env VERSION=2 --state-dir "$work/none"
check "it says to run up" says "no drydock state in $work/none: start the cluster with \`drydock up FILE\` first"
check "rollback without state exits 1" expect_exit 1 rollback api --state-dir "$work/none"
check "status of a service without state exits 1" expect_exit 1 status api --state-dir "$work/none"
# A cluster that ran and was stopped: the service is checked against what its state recorded,
# before the (absent) control plane is asked. One stand-in service, 50 times faster than AWS.
cat >"$work/small.tfvars" <<'TFVARS'
cluster_name         = "cli-test"
asg_min_size         = 1
asg_max_size         = 2
asg_desired_capacity = 1
services = {
  api = {
    desired_count  = 1
    path_pattern   = ["/api*"]
    priority       = 110
    container_port = 80
    cpu            = 256
    memory         = 512
  }
}
TFVARS
stopped="$work/stopped"
trap '"$drydock" down --state-dir "$stopped" >/dev/null 2>&1; rm -rf "$work"' EXIT
check "a small cluster starts" expect_exit 0 up "$work/small.tfvars" --state-dir "$stopped" \
  --listen 127.0.0.1:0 --time-scale 50 --detach
check "and stops" expect_exit 0 down --state-dir "$stopped"
check "deploy of an unknown service exits 1" expect_exit 1 deploy nope --env A=1 --state-dir "$stopped"
check "it names the service and the services there are" says "no service 'nope' in cluster cli-test; services: api"
check "rollback of an unknown service exits 1" expect_exit 1 rollback nope --state-dir "$stopped"
check "status of an unknown service exits 1" expect_exit 1 status nope --state-dir "$stopped"
check "it names the service" says "no service 'nope'"
check "status of a known service exits 0" expect_exit 0 status api --state-dir "$stopped"
check "deploy without a control plane exits 1" expect_exit 1 deploy api --env A=1 --state-dir "$stopped"
check "it says to start the cluster" says "no control plane runs on"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
