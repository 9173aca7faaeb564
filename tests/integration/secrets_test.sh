#!/usr/bin/env bash
# Scenario S2 end to end (docs/secrets.md, docs/iam.md): the api service (the stand-in app) reads
# its vault at task start. Under steady load through drydock's load balancer:
#   - a value put into the vault reaches the tasks of a forced new deployment (the stand-in reports
#     the SHA-256 of its SECRETS variable, so the value itself never travels);
#   - with the execution role's secrets policy detached, a forced deployment's tasks stop before
#     their process starts with ECS's ResourceInitializationError, the circuit breaker fails the
#     deployment and rolls back, and the running tasks serve on (zero failed requests);
#   - with the policy attached again a forced deployment completes; after a rotation the next
#     deployment's tasks see the new value;
#   - api's role cannot read the web service's vault (S5's identity half);
#   - neither value appears in any process's argv, in any environment but the api tasks', in any
#     file of the state directory (databases, logs, events), or in what status, events, logs,
#     describe and the error of a failed `get` print.
# Usage: secrets_test.sh DRYDOCK REPO_DIR
set -uo pipefail
drydock=$1

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

state="$work/secrets"
cat >"$work/secrets.tfvars" <<'EOF'
cluster_name         = "secrets-test"
asg_min_size         = 2
asg_max_size         = 2
asg_desired_capacity = 2
network_mode         = "bridge"
services = {
  api = {
    desired_count  = 2
    path_pattern   = ["/api*"]
    priority       = 100
    container_port = 8080
    cpu            = 256
    memory         = 512
    environment    = { STAND_IN_DIGESTS = "SECRETS" }
  }
  web = {
    desired_count  = 1
    path_pattern   = ["/web*"]
    priority       = 110
    container_port = 8081
    cpu            = 256
    memory         = 512
  }
}
EOF
seed=${DRYDOCK_SECRETS_TEST_SEED:-$(((RANDOM << 15 | RANDOM) + 1))}
role=secrets-test-api-execution
policy=secrets-test-api-secrets

# The values live in files (0600 in $work), never on a command line: grep reads them with -f.
umask 077
printf 'first-%s%s-value' "$RANDOM" "$RANDOM" >"$work/value1"
printf 'rotated-%s%s-value' "$RANDOM" "$RANDOM" >"$work/value2"

start_load() {
  "$(dirname "$drydock")/drydock-load" "http://127.0.0.1:$lb_port/api" --connections 4 \
    --duration 900 --json >"$work/load.json" 2>"$work/load.err" &
  load_pid=$!
}
stop_load() { kill -TERM "$load_pid" 2>/dev/null; wait "$load_pid"; }
no_failed_request() {
  js 'd.requests > 100 && d.outcomes["2xx"] === d.requests' "$work/load.json" ||
    { sed 's/^/  | /' "$work/load.json" "$work/load.err"; return 1; }
}

primary_is() {  # rollout state
  jq_node '(svc("api").deployments || []).find((x) => x.status === "PRIMARY").rolloutState' |
    grep -qx "$1"
}

deploy() {  # expected exit, deploy args...
  run "$1" deploy api --force-new-deployment --state-dir "$state" --timeout 240 "${@:2}"
}

# The digest every api answer carries must be that of the vault's current value.
sees_current_value() {
  local expected i
  timeout 30 "$drydock" secrets get api --state-dir "$state" >"$work/current" 2>"$work/get.err" ||
    { cat "$work/get.err"; return 1; }
  # `get` ends the value with a newline; printf is a builtin, so the value is in no argv.
  expected="sha256:$(printf %s "$(cat "$work/current")" | sha256sum | cut -d' ' -f1)"
  for ((i = 0; i < 6; i++)); do  # both tasks, whichever the balancer picks
    [ "$(get "$lb_port" /api)" = 200 ] || return 1
    grep -qF "\"SECRETS\":\"$expected\"" "$work/body" || { echo "  $(cat "$work/body")"; return 1; }
  done
}

# --- the cluster, its vaults and roles -----------------------------------------------------------

check "up --detach exits 0" \
  run 0 up "$work/secrets.tfvars" --detach --time-scale 10 --seed "$seed" --state-dir "$state" \
    --listen 127.0.0.1:0
check "api and web become steady" wait_status "$state" \
  'svc("api").runningCount === 2 && svc("web").runningCount === 1'
lb_port=$(jq_node '(d.loadBalancer || {listen: ":0"}).listen.split(":").pop()')
check "each service has its vault" run 0 secrets list --state-dir "$state"
check "  api's" says "api"
check "  web's" says "web"
check "the state directory and the vault files are private" \
  eval '[ "$(stat -c %a "$state" "$state/secrets" "$state/secrets/master.key" "$state/secrets/secrets.db" "$state/iam.db" | sort -u | tr "\n" " ")" = "600 700 " ]'
check "the vault starts as {\"PORT\": \"8080\"}" \
  eval 'timeout 30 "$drydock" secrets get api --state-dir "$state" | grep -qxF "{\"PORT\":\"8080\"}"'
check "api's tasks see it" sees_current_value
web_arn=$(timeout 30 "$drydock" secrets describe web --state-dir "$state" --output json |
  node -e 'let s="";process.stdin.on("data",(c)=>s+=c).on("end",()=>console.log(JSON.parse(s).ARN))')
check "api's role may not read web's vault (S5)" \
  run 0 iam simulate "$role" secretsmanager:GetSecretValue "$web_arn" --state-dir "$state"
check "  implicitDeny" says "implicitDeny"

check "a key put into the vault from stdin" \
  eval 'timeout 30 "$drydock" secrets put api --key TOKEN --state-dir "$state" <"$work/value1" >/dev/null'
start_load
check "a forced new deployment completes" deploy 0
check "its tasks see the new value" sees_current_value

# --- S2: the role loses its vault ----------------------------------------------------------------

check "detach the role's secrets policy" run 0 iam detach "$role" "$policy" --state-dir "$state"
check "a forced new deployment fails" deploy 1
status "$state"
check "new tasks stopped with ResourceInitializationError (AccessDeniedException)" \
  js 'd.tasks.filter((t) => (t.stoppedReason || "").startsWith("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm:") &&
                             t.stoppedReason.includes("AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role/secrets-test-api-execution/") &&
                             t.stoppedReason.includes("secretsmanager:GetSecretValue")).length >= 3'
check "they never had a process (no pid, no host port)" \
  js 'd.tasks.filter((t) => (t.stoppedReason || "").startsWith("ResourceInitializationError")).every((t) => t.containers[0].networkBindings.length === 0)'
run 0 events api --state-dir "$state" --limit 0
check "event: a task failed to start" says "failed to start: ResourceInitializationError"
check "event: the breaker failed the deployment" says "deployment failed: tasks failed to start."
check "event: it rolled back" says "rolling back to deployment ecs-svc/"
check "the running tasks serve on" \
  eval '[ "$(get "$lb_port" /api)" = 200 ] && wait_status "$state" "svc(\"api\").runningCount === 2"'

check "attach the policy again" run 0 iam attach "$role" "$policy" --state-dir "$state"
check "a forced new deployment completes" deploy 0
check "its tasks see the vault's value" sees_current_value

# --- rotation ------------------------------------------------------------------------------------

check "rotate the secret (new TOKEN from stdin)" \
  eval 'timeout 30 "$drydock" secrets rotate api --key TOKEN --state-dir "$state" <"$work/value2" >"$work/out" 2>&1'
check "  every step ran" eval 'grep -q createSecret "$work/out" && grep -q finishSecret "$work/out"'
check "running tasks keep the value they started with" \
  eval '! sees_current_value >/dev/null'
check "a forced new deployment completes" deploy 0
check "its tasks see the rotated value" sees_current_value
check "the old version is AWSPREVIOUS" run 0 secrets describe api --state-dir "$state"
check "  labels shown" says "AWSPREVIOUS"

stop_load
check "zero failed requests through every deployment" no_failed_request

# --- no leaks ------------------------------------------------------------------------------------

cat "$work/value1" >"$work/values"; echo >>"$work/values"; cat "$work/value2" >>"$work/values"
leaks_in() {  # files... : none holds a value
  local hits
  hits=$(grep -laF -f "$work/values" "$@" 2>/dev/null)
  [ -z "$hits" ] || { echo "  a secret value is in: $hits"; return 1; }
}
api_task_pids=""
status "$state"
for arn in $(jq_node 'of("api").map((t) => t.taskArn)'); do
  api_task_pids+=" $(task_pids "$state" "$arn")"
done
check "found the api tasks' processes" test -n "${api_task_pids// /}"
check "no process's argv holds a value" leaks_in /proc/[0-9]*/cmdline
other_environs() {
  local f p
  for f in /proc/[0-9]*/environ; do
    p=${f#/proc/}; p=${p%/environ}
    case " $api_task_pids " in *" $p "*) continue ;; esac
    echo "$f"
  done
}
# shellcheck disable=SC2046
check "no environment but the api tasks' holds a value" leaks_in $(other_environs)
# shellcheck disable=SC2086
check "the api tasks' environments do (the check can see a value)" \
  eval 'grep -qaF -f "$work/value2" $(printf "/proc/%s/environ " $api_task_pids)'
check "no file in the state directory holds a value (databases, logs, events)" \
  eval 'leaks_in $(find "$state" -type f)'
for command in "status" "status api" "status --output json" "status api --output json" \
               "events --limit 0" "logs api" "secrets describe api" "secrets describe api --output json" \
               "secrets list --output json" "iam show $role"; do
  # shellcheck disable=SC2086
  timeout 30 "$drydock" $command --state-dir "$state" >"$work/printed" 2>&1
  check "\`drydock $command\` prints no value" leaks_in "$work/printed"
done
timeout 30 "$drydock" secrets get api --key NO_SUCH_KEY --state-dir "$state" >"$work/printed" 2>&1
check "a failed get says why without printing the value" \
  eval 'grep -q NO_SUCH_KEY "$work/printed" && leaks_in "$work/printed"'

check "down exits 0" run 0 down --state-dir "$state"
check "nothing is left running" no_leftovers "$work"

echo "secrets_test: $passed passed, $failed failed (seed $seed)"
[ "$failed" -eq 0 ]
