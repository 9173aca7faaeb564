#!/usr/bin/env bash
# End-to-end checks of live mode with real processes: `drydock up --detach` on the origin example,
# the tasks' HTTP answers, state-dir modes, a second `up`, crash replacement, logs, adoption after
# a `kill -9` of the control plane, the load balancer in front of the tasks (routing, target
# health, no failed request while the control plane is killed and restarted or while a task is
# stopped and replaced), `down` (with and without a control plane), the unchanged origin file and
# bad input. Every request goes to 127.0.0.1; every wait is bounded.
# JSON is read with node (python3 is not a test dependency). Usage: live_test.sh DRYDOCK REPO_DIR
set -uo pipefail
drydock=$1
repo=$2
local_file="$repo/examples/origin/local.tfvars"
origin="$repo/examples/origin/terraform.tfvars"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

in_port_range() { [ "$1" -ge 49153 ] 2>/dev/null && [ "$1" -le 65535 ]; }

answers_as_task() {  # task ARN, service, host port, az: the task's HTTP answer names it
  local arn=$1 service=$2 port=$3 az=$4 code
  in_port_range "$port" || { echo "  host port $port of $arn is outside 49153..65535"; return 1; }
  if [ "$service" = nginx ] && [ "$stand_in_nginx" = 0 ]; then
    code=$(get "$port" /nginx)
    [ "$code" = 200 ] || { echo "  GET :$port/nginx answered $code"; return 1; }
    grep -qF "nginx task $arn " "$work/body" || { echo "  :$port/nginx body: $(cat "$work/body")"; return 1; }
  else
    code=$(get "$port" /)
    [ "$code" = 200 ] || { echo "  GET :$port/ answered $code"; return 1; }
    [ "$(jq_node 'd.taskArn === process.argv[3] && d.availabilityZone === process.argv[4] &&
                  d.service === process.argv[5]' "$work/body" "$arn" "$az" "$service" 2>&1)" = true ] ||
      { echo "  :$port/ answered $(cat "$work/body"), expected $arn in $az"; return 1; }
  fi
}

all_tasks_answer() {  # every RUNNING task of the last status answers as itself
  local arn service port az ok=0
  while read -r arn service port az; do
    answers_as_task "$arn" "$service" "$port" "$az" || ok=1
  done < <(jq_node 'R.map((t) => [t.taskArn, t.group.slice(8), port(t), t.availabilityZone].join(" "))')
  return $ok
}

stand_in_pid() {  # port -> the pid the stand-in reports
  [ "$(get "$1" /)" = 200 ] && jq_node 'd.pid' "$work/body"
}

one_pid_per_task() {  # every RUNNING task has exactly one process; pids into $work/pids
  local arn pids ok=0
  : >"$work/pids"
  for arn in $(jq_node 'R.map((t) => t.taskArn)'); do
    pids=$(task_pids "$state" "$arn")
    [ "$(wc -w <<<"$pids")" -eq 1 ] || { echo "  task $arn has processes: '$pids'"; ok=1; continue; }
    echo "$pids" >>"$work/pids"
  done
  return $ok
}

stand_in_nginx=0
state="$work/local"
# A seed of its own: clusters with the same seed draw the same host ports, so two copies of this
# test running at once would fight over them. DRYDOCK_LIVE_TEST_SEED replays a run.
seed=${DRYDOCK_LIVE_TEST_SEED:-$(((RANDOM << 15 | RANDOM) + 1))}
# Port 0: the load balancer listens wherever the kernel says, so tests can run side by side.
up_local=(up "$local_file" --detach --time-scale 20 --seed "$seed" --state-dir "$state" --listen 127.0.0.1:0)
steady='R.length === 4 && svc("nginx").runningCount === 2 && svc("api").runningCount === 2 &&
        d.controlPlane.running === true'

# --- 1. up --detach: instances, services, tasks that answer --------------------------------------

check "up local.tfvars --detach exits 0" run 0 "${up_local[@]}"
check "up says the cluster is up" says "is up"
check "the cluster becomes steady" wait_status "$state" "$steady"
check "2 instances, t3.medium, on-demand, running" \
  js 'd.instances.length === 2 && d.instances.every((i) => i.instanceType === "t3.medium" &&
      i.lifecycle === "on-demand" && i.state === "running")'
check "the instances are in 2 AZs" js 'new Set(d.instances.map((i) => i.availabilityZone)).size === 2'
check "2 container instances ACTIVE" \
  js 'd.containerInstances.length === 2 && d.containerInstances.every((c) => c.status === "ACTIVE")'
check "container instances are the instances" \
  js 'd.containerInstances.map((c) => c.ec2InstanceId).sort().join() === d.instances.map((i) => i.instanceId).sort().join()'
check "nginx 2/2, api 2/2" \
  js '["nginx", "api"].every((n) => svc(n).desiredCount === 2 && svc(n).runningCount === 2 && svc(n).pendingCount === 0)'
check "4 tasks, all RUNNING (desired RUNNING)" \
  js 'd.tasks.length === 4 && R.length === 4 && R.every((t) => t.desiredStatus === "RUNNING")'
check "each service's tasks are in 2 AZs" \
  js '["nginx", "api"].every((n) => new Set(of(n).map((t) => t.availabilityZone)).size === 2)'
check "each task is on a container instance of its AZ" \
  js 'R.every((t) => d.containerInstances.some((c) => c.containerInstanceArn === t.containerInstanceArn &&
      c.attributes.some((a) => a.name === "ecs.availability-zone" && a.value === t.availabilityZone)))'
check "host ports are distinct" js 'new Set(R.map(port)).size === 4'
check "every task answers HTTP as itself" all_tasks_answer
check "every task is one real process" one_pid_per_task
api_ports=$(jq_node 'of("api").map(port)')
api_pids_ok=0
for p in $api_ports; do
  pid=$(stand_in_pid "$p")
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && grep -qx "$pid" "$work/pids" || api_pids_ok=1
done
check "the stand-in's pid is its task's live process" test "$api_pids_ok" -eq 0

# --- 1b. the load balancer -------------------------------------------------------------------------

status "$state"
lb_port=$(jq_node 'd.loadBalancer.listen.split(":").pop()')
check "up says where it serves" says "serving on http://127.0.0.1:$lb_port"
check "status: every target healthy" \
  js 'd.loadBalancer.targetGroups.length === 2 && d.loadBalancer.targetGroups.every((g) =>
      g.targetHealthDescriptions.length === 2 &&
      g.targetHealthDescriptions.every((t) => t.targetHealth.state === "healthy"))'
check "status: the targets are the tasks' host ports" \
  js 'd.loadBalancer.targetGroups.every((g) => g.targetHealthDescriptions.every((t) =>
      R.some((r) => id(r) === t.task && port(r) === t.target.port)))'
api_answers() {  # two requests to /api through the load balancer answer from both api tasks
  local first second
  [ "$(get "$lb_port" /api)" = 200 ] && first=$(jq_node 'd.taskArn' "$work/body") || return 1
  [ "$(get "$lb_port" /api/x)" = 200 ] && second=$(jq_node 'd.taskArn' "$work/body") || return 1
  status "$state"
  [ "$first" != "$second" ] && js "of(\"api\").every((t) => [\"$first\", \"$second\"].includes(t.taskArn))" ||
    { echo "  /api answered from $first then $second"; return 1; }
}
check "/api round-robins over both api tasks" api_answers
check "/nginx answers from an nginx task" \
  eval '[ "$(get "$lb_port" /nginx)" = 200 ] && grep -qF "nginx task" "$work/body"'
check "anything else: the listener's fixed 404" eval '[ "$(get "$lb_port" /other)" = 404 ]'
check "targets api exits 0" run 0 targets api --state-dir "$state"
check "targets api lists 2 healthy targets" eval '[ "$(grep -c " healthy " "$work/out")" = 2 ]'
check "targets of an unknown service exits 1" run 1 targets nope --state-dir "$state"
check "it lists the services" says "services: api, nginx"

load() {  # seconds, path -> drydock-load's JSON report into $work/load.json (in the background)
  "$(dirname "$drydock")/drydock-load" "http://127.0.0.1:$lb_port$2" --connections 4 \
    --duration "$1" --json >"$work/load.json" 2>"$work/load.err" &
  load_pid=$!
}
no_failed_request() {  # waits for the load; every request answered 2xx
  wait "$load_pid"
  js 'd.requests > 0 && d.outcomes["2xx"] === d.requests' "$work/load.json" ||
    { cat "$work/load.json" "$work/load.err" | sed 's/^/  | /'; return 1; }
}

# --- 2. modes ----------------------------------------------------------------------------------

check "state dir is 0700" test "$(stat -c %a "$state")" = 700
check "state.db is 0600" test "$(stat -c %a "$state/state.db")" = 600
check "control.sock is a socket" test -S "$state/control.sock"
check "control.sock is 0600" test "$(stat -c %a "$state/control.sock")" = 600
check "control.token is 0600" test "$(stat -c %a "$state/control.token")" = 600
api_status() {  # [curl args...] -> the HTTP status of GET /v1/health on control.sock
  curl --noproxy '*' -s -m 5 -o /dev/null -w '%{http_code}' --unix-socket "$state/control.sock" "$@" http://x/v1/health
}
check "control API without the token: 401" test "$(api_status)" = 401
check "control API with a wrong token: 401" \
  test "$(api_status -H "Authorization: Bearer $(printf '0%.0s' {1..64})")" = 401
check "control API with the token: 200" \
  test "$(api_status -H "Authorization: Bearer $(cat "$state/control.token")")" = 200
check "the token is in no log" bash -c '! grep -rqF "$(cat "$1/control.token")" "$1"/*.log "$1/logs"' _ "$state"

# --- 3. a second up ----------------------------------------------------------------------------

status "$state"
cp_pid=$(jq_node 'd.controlPlane.pid')
check "second up exits 0" run 0 "${up_local[@]}"
check "second up says already up" says "already up with this configuration"
status "$state"
check "second up started no control plane" test "$(jq_node 'd.controlPlane.pid')" = "$cp_pid"
check "second up started no task" js 'd.tasks.length === 4 && R.length === 4'

# --- 4. a crashed task is replaced -------------------------------------------------------------

status "$state"
victim=$(jq_node 'of("api").map((t) => t.taskArn).sort()[0]')
victim_id=${victim##*/}
victim_pid=$(stand_in_pid "$(jq_node "port(of(\"api\").find((t) => t.taskArn === \"$victim\"))")")
check "the api task to crash has a pid" test -n "$victim_pid"
[ -n "$victim_pid" ] && kill -KILL "$victim_pid"
crashed="d.tasks.find((t) => t.taskArn === \"$victim\")"
# The exit is persisted first (STOPPED, desired RUNNING, no stopCode) and the scheduler records
# the stop in its next round, so wait for desiredStatus STOPPED too.
check "the crashed task becomes STOPPED" \
  wait_status "$state" "$crashed.lastStatus === \"STOPPED\" && $crashed.desiredStatus === \"STOPPED\""
check "stopCode EssentialContainerExited" js "$crashed.stopCode === \"EssentialContainerExited\""
check "stoppedReason names the exited container" \
  js "$crashed.stoppedReason.includes(\"Essential container in task exited\")"
check "exitCode 137" js "$crashed.containers[0].exitCode === 137"
check "exit.json records SIGKILL of that pid" \
  js "d.kind === \"signaled\" && d.signal === 9 && d.taskPid === $victim_pid" "$state/tasks/$victim_id/exit.json"
check "api is back to 2 running tasks" \
  wait_status "$state" "svc(\"api\").runningCount === 2 && of(\"api\").length === 2 &&
                        !of(\"api\").some((t) => t.taskArn === \"$victim\")"
check "5 tasks: 4 RUNNING, the crashed one STOPPED" \
  js 'd.tasks.length === 5 && R.length === 4 && d.tasks.filter((t) => t.lastStatus === "STOPPED").length === 1'
check "the replacement answers HTTP as itself" all_tasks_answer
run 0 events api --state-dir "$state"
check "events api tell of the replacement" \
  grep -qE "$victim_id|has started 1 tasks" "$work/out"

# --- 5. logs -----------------------------------------------------------------------------------

logs_say() {  # service, extended regexp: poll `drydock logs SERVICE` (0.2 s x 50)
  local i
  for ((i = 0; i < 50; i++)); do
    timeout 30 "$drydock" logs "$1" --state-dir "$state" --since 10m >"$work/logs" 2>"$work/logs.err" &&
      grep -qE -- "$2" "$work/logs" && return 0
    sleep 0.2
  done
  echo "  drydock logs $1 lacks /$2/:"; tail -n 5 "$work/logs" "$work/logs.err" | sed 's/^/  | /'
  return 1
}
check "logs api: the stand-ins' listening lines" \
  logs_say api '^[0-9-]+T[0-9:.]+Z [0-9a-f]{8} listening on 127\.0\.0\.1:[0-9]+$'
check "logs api: the crashed task's line" logs_say api "^[^ ]+ ${victim_id:0:8} listening on "
check "logs nginx: an access-log line of /nginx" \
  logs_say nginx '^[^ ]+ [0-9a-f]{8} .*"GET /nginx HTTP/1\.1" 200 '
check "logs nginx: nginx's stderr is marked" logs_say nginx '^[^ ]+ [0-9a-f]{8} stderr\| '

# --- 6. adoption after kill -9 of the control plane ----------------------------------------------

status "$state"
cp_pid=$(jq_node 'd.controlPlane.pid')
arns=$(jq_node 'R.map((t) => t.taskArn).sort()')
one_pid_per_task
task_pids_before=$(sort -n "$work/pids")
api_pids_before=$(for p in $(jq_node 'of("api").map(port)'); do stand_in_pid "$p"; done | sort -n)
check "4 task pids and 2 api pids recorded" \
  test "$(wc -w <<<"$task_pids_before")" -eq 4 -a "$(wc -w <<<"$api_pids_before")" -eq 2
check "the control plane pid is known" test -n "$cp_pid"
load 8 /api  # through the kill -9 and the restart
sleep 1
[ -n "$cp_pid" ] && kill -KILL "$cp_pid"
for ((i = 0; i < 150; i++)); do exited "$cp_pid" && break; sleep 0.2; done
check "the control plane is gone" exited "$cp_pid"
check "status: no control plane running" wait_status "$state" 'd.controlPlane.running === false'
# shellcheck disable=SC2086
check "the task processes survive" all_alive $task_pids_before
check "the tasks still answer" all_tasks_answer
check "up again exits 0" run 0 "${up_local[@]}"
check "a new control plane runs" wait_status "$state" "$steady"
check "the new control plane has a new pid" \
  js "d.controlPlane.pid !== $cp_pid && d.controlPlane.pid > 0"
check "the same 4 tasks are RUNNING" test "$(jq_node 'R.map((t) => t.taskArn).sort()')" = "$arns"
check "no task was started" js 'd.tasks.length === 5'
one_pid_per_task
check "the task processes are the same" test "$(sort -n "$work/pids")" = "$task_pids_before"
check "the api pids are the same" \
  test "$(for p in $(jq_node 'of("api").map(port)'); do stand_in_pid "$p"; done | sort -n)" = "$api_pids_before"
check "the adopted tasks answer" all_tasks_answer
check "no request failed while the control plane was killed and restarted" no_failed_request

# --- 6b. a task stopped under load -----------------------------------------------------------------

status "$state"
victim=$(jq_node 'id(of("api").sort((a, b) => a.taskArn < b.taskArn ? -1 : 1)[0])')
load 6 /api
sleep 1
check "stop-task exits 0" run 0 stop-task "${victim:0:12}" --state-dir "$state"
stopped="d.tasks.find((t) => id(t) === \"$victim\")"
check "the stopped task drains, then stops" \
  wait_status "$state" "$stopped.lastStatus === \"STOPPED\" && $stopped.stopCode === \"UserInitiated\" &&
                        $stopped.stoppedReason === \"Task stopped by user\""
check "its service replaces it" wait_status "$state" "$steady && d.tasks.length === 6"
check "no request failed while the task was deregistered and stopped" no_failed_request
run 0 events api --state-dir "$state"
check "events: the stopped task's target was drained and deregistered" \
  eval 'grep -qF "(service api) has begun draining connections on 1 tasks." "$work/out" &&
        grep -qE "\(service api\) deregistered 1 targets in \(target-group arn:aws:elasticloadbalancing:[^:]+:[0-9]+:targetgroup/api-tg/[0-9a-f]{16}\)" "$work/out"'
check "events: its replacement's target was registered" \
  eval '[ "$(grep -c "(service api) registered 1 targets in (target-group" "$work/out")" -ge 1 ]'
check "stop-task of a stopped task exits 1" run 1 stop-task "$victim" --state-dir "$state"
check "it says so" says "already stopping"
check "stop-task of an unknown task exits 1" run 1 stop-task 0123456789abcdef --state-dir "$state"
status "$state"
arns=$(jq_node 'R.map((t) => t.taskArn).sort()')
one_pid_per_task
task_pids_before=$(sort -n "$work/pids")

# --- 7. down -----------------------------------------------------------------------------------

check "down exits 0" run 0 down --state-dir "$state"
# shellcheck disable=SC2086
check "the task processes are gone" all_exited $task_pids_before
check "no process names the state dir" no_leftovers "$state"
status "$state"
check "control plane not running" js 'd.controlPlane.running === false'
check "every task STOPPED" js 'd.tasks.length === 6 && d.tasks.every((t) => t.lastStatus === "STOPPED")'
# shellcheck disable=SC2086
check "down's tasks stopped UserInitiated" \
  js "process.argv.length === 7 && process.argv.slice(3).every((a) => d.tasks.some((t) => t.taskArn === a &&
      t.stopCode === \"UserInitiated\" && t.stoppedReason.includes(\"drydock down\")))" \
  "$work/status.json" $arns
check "every instance terminated" js 'd.instances.length === 2 && d.instances.every((i) => i.state === "terminated")'
check "services run nothing" js 'd.services.every((s) => s.runningCount === 0)'
check "control.sock is gone" test ! -e "$state/control.sock"
check "the load balancer is gone (proxy.sock)" test ! -e "$state/proxy.sock"
check "the state dir is kept" test -d "$state"
check "state.db is kept" test -f "$state/state.db"

# --- 8. down after kill -9 of the control plane --------------------------------------------------

old_instances=$(jq_node 'd.instances.map((i) => i.instanceId).sort()')
check "up on the stopped cluster exits 0" \
  run 0 up "$local_file" --detach --time-scale 20 --state-dir "$state" --listen 127.0.0.1:0
check "the cluster is steady again" wait_status "$state" "$steady && d.instances.filter((i) => i.state === \"running\").length === 2"
# shellcheck disable=SC2086
check "its tasks are new" \
  js "R.every((t) => !process.argv.slice(3).includes(t.taskArn))" "$work/status.json" $arns
# shellcheck disable=SC2086
check "its instances are new" \
  js "d.instances.filter((i) => i.state === \"running\").every((i) => !process.argv.slice(3).includes(i.instanceId))" \
  "$work/status.json" $old_instances
check "the new tasks answer" all_tasks_answer
one_pid_per_task
task_pids_before=$(sort -n "$work/pids")
cp_pid=$(jq_node 'd.controlPlane.pid')
[ -n "$cp_pid" ] && kill -KILL "$cp_pid"
for ((i = 0; i < 150; i++)); do exited "$cp_pid" && break; sleep 0.2; done
check "the control plane is gone again" exited "$cp_pid"
# shellcheck disable=SC2086
check "its tasks survive it" all_alive $task_pids_before
check "down without a control plane exits 0" run 0 down --state-dir "$state"
# shellcheck disable=SC2086
check "down without a control plane stops the tasks" all_exited $task_pids_before
check "no process names the state dir after down" no_leftovers "$state"
status "$state"
check "every task STOPPED after down" js 'd.tasks.every((t) => t.lastStatus === "STOPPED")'
check "every instance terminated after down" js 'd.instances.every((i) => i.state === "terminated")'

# --- 9. the unchanged origin file --------------------------------------------------------------

origin_state="$work/origin"
stand_in_nginx=1
check "up terraform.tfvars --detach exits 0" \
  run 0 up "$origin" --detach --time-scale 20 --state-dir "$origin_state" --listen 127.0.0.1:0
check "origin: steady with 4 RUNNING tasks" wait_status "$origin_state" "$steady"
check "origin: each service's tasks are in 2 AZs" \
  js '["nginx", "api"].every((n) => new Set(of(n).map((t) => t.availabilityZone)).size === 2)'
check "origin: every task (stand-ins) answers as itself" all_tasks_answer
check "origin: down exits 0" run 0 down --state-dir "$origin_state"
check "origin: no process names its state dir" no_leftovers "$origin_state"

# --- 10. bad input -----------------------------------------------------------------------------

check "up with a missing file exits 1" run 1 up "$work/missing.tfvars" --detach --state-dir "$work/never"
check "it names the file" says "$work/missing.tfvars"
check "it creates no state dir" test ! -e "$work/never"
check "up --time-scale 0 exits 2" run 2 up "$local_file" --time-scale 0 --state-dir "$work/never"
check "it creates no state dir either" test ! -e "$work/never"
missing_dir=/nonexistent
[ -e "$missing_dir" ] && missing_dir="$work/nonexistent"
check "status of a missing state dir exits 1" run 1 status --state-dir "$missing_dir"
check "it names the dir" says "$missing_dir"
check "down of a missing state dir exits 1" run 1 down --state-dir "$work/fresh"
check "it names the dir too" says "$work/fresh"
check "down creates no state dir" test ! -e "$work/fresh"

[ "$failed" -eq 0 ] || echo "seed $seed (DRYDOCK_LIVE_TEST_SEED=$seed replays it)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
