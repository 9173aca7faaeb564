#!/usr/bin/env bash
# Scenario S4 end to end (docs/live.md "Deployments"): the api service (the stand-in app) under
# steady load through drydock's load balancer, at 2 and then at 4 tasks, is deployed to a new
# revision, then (at 2 tasks) to a revision whose process exits at once, then to one whose health
# checks answer 500. Asserts: zero failed requests throughout; the good deployments complete with the bounds
# never violated (sampled from `drydock status` every 0.2 s: tasks RUNNING + PENDING <= 200 % and
# healthy targets >= 100 %); each bad one trips the circuit breaker at ECS's threshold (3) and rolls
# back; the old revision serves throughout. Usage: deploy_test.sh DRYDOCK REPO_DIR
set -uo pipefail
drydock=$1
repo=$2

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

state="$work/deploy"
# Bridge mode: 8 tasks (4 at 200 %) fit the two t3.medium instances, whose ENIs would allow 4.
config() {  # desired count -> a configuration file
  cat >"$work/deploy-$1.tfvars" <<EOF
cluster_name         = "deploy-test"
asg_min_size         = 2
asg_max_size         = 2
asg_desired_capacity = 2
network_mode         = "bridge"
services = {
  api = {
    desired_count  = $1
    path_pattern   = ["/api*"]
    priority       = 100
    container_port = 8080
    cpu            = 256
    memory         = 512
  }
}
EOF
  echo "$work/deploy-$1.tfvars"
}
seed=${DRYDOCK_DEPLOY_TEST_SEED:-$(((RANDOM << 15 | RANDOM) + 1))}
scale=10  # cluster seconds per wall second: health checks every 3 s, a 3 s deregistration delay

# --- load and bound sampling ---------------------------------------------------------------------

start_load() {  # drydock-load on /api until stop_load (SIGTERM: it prints its summary)
  "$(dirname "$drydock")/drydock-load" "http://127.0.0.1:$lb_port/api" --connections 4 \
    --duration 900 --json >"$work/load.json" 2>"$work/load.err" &
  load_pid=$!
}

stop_load() {  # -> the summary in $work/load.json
  kill -TERM "$load_pid" 2>/dev/null
  wait "$load_pid"
}

no_failed_request() {
  js 'd.requests > 100 && d.outcomes["2xx"] === d.requests' "$work/load.json" ||
    { sed 's/^/  | /' "$work/load.json" "$work/load.err"; return 1; }
}

# Every 0.2 s a status document into $work/samples/ (read later: sampling stays cheap).
start_sampler() {
  rm -rf "$work/samples"
  mkdir "$work/samples"
  (
    local i=0
    while :; do
      i=$((i + 1))
      timeout 10 "$drydock" status --state-dir "$state" --output json >"$work/samples/$i.json" 2>/dev/null ||
        rm -f "$work/samples/$i.json"
      sleep 0.2
    done
  ) &
  sampler_pid=$!
}

stop_sampler() { kill "$sampler_pid" 2>/dev/null; wait "$sampler_pid" 2>/dev/null; }

within_bounds() {  # desired: in every sample, api tasks with desiredStatus RUNNING that are not
  # STOPPED <= 2 x desired (maximumPercent 200) and healthy api targets >= desired (100 %)
  node -e '
    const fs = require("fs");
    const [dir, d] = [process.argv[1], Number(process.argv[2])];
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
    let bad = 0, read = 0;
    for (const f of files) {
      let s;
      try { s = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8")); } catch (e) { continue; }
      read++;
      const live = s.tasks.filter((t) => t.group === "service:api" && t.desiredStatus === "RUNNING" &&
                                         t.lastStatus !== "STOPPED").length;
      const healthy = s.loadBalancer.targetGroups.flatMap((g) => g.targetHealthDescriptions)
                       .filter((t) => t.targetHealth.state === "healthy").length;
      if (live > 2 * d || healthy < d) { console.log(`  sample ${f}: ${live} live, ${healthy} healthy`); bad++; }
    }
    if (read < 3) { console.log(`  only ${read} samples`); bad++; }
    process.exit(bad ? 1 : 0);
  ' "$work/samples" "$1" </dev/null
}

# Status helpers for jq_node's expressions.
jq_node() {
  node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const svc = (n) => (d.services || []).find((s) => s.serviceName === n);
    const healthy_targets = () => ((d.loadBalancer || {}).targetGroups || []).flatMap((g) =>
      g.targetHealthDescriptions).filter((t) => t.targetHealth.state === "healthy").length;
    const primary = (n) => (svc(n).deployments || []).find((x) => x.status === "PRIMARY");
    const v = eval(process.argv[2]);
    if (v !== undefined) console.log(typeof v === "string" ? v : JSON.stringify(v));
  ' "${2:-$work/status.json}" "$1" </dev/null
}

deploy() {  # expected exit, deploy args... (progress in $work/out)
  run "$1" deploy api "${@:2}" --state-dir "$state" --timeout 240
}

# --- the cluster ---------------------------------------------------------------------------------

check "up --detach exits 0" \
  run 0 up "$(config 2)" --detach --time-scale "$scale" --seed "$seed" --state-dir "$state" --listen 127.0.0.1:0
check "api becomes steady with its first deployment COMPLETED" wait_status "$state" \
  'svc("api").runningCount === 2 && healthy_targets() === 2 && primary("api").rolloutState === "COMPLETED"'
lb_port=$(jq_node '(d.loadBalancer || {listen: ":0"}).listen.split(":").pop()')
check "the load balancer answers /api" eval '[ "$(get "$lb_port" /api)" = 200 ]'

bad_revision() {  # desired count, what, deploy args...: the deployment trips the circuit breaker
  # at its threshold and rolls back to $revision (the good revision, set by scenario), within the
  # bounds throughout
  local n=$1 what=$2
  shift 2
  start_sampler
  check "[$n tasks] $what: deploy exits 1" deploy 1 "$@"
  check "[$n tasks] $what: it says so and that it rolled back" says "failed; rolled back to $revision"
  check "[$n tasks] $what: the breaker reached its threshold of 3" \
    grep -qE "FAILED .*\| failed [3-9]/3$" "$work/out"
  check "[$n tasks] $what: event: deployment failed" says "deployment failed: tasks failed to start."
  check "[$n tasks] $what: event: rolling back" says "rolling back to deployment ecs-svc/"
  check "[$n tasks] $what: the rollback completes" wait_status "$state" \
    "primary(\"api\").rolloutState === \"COMPLETED\" && svc(\"api\").deployments.length === 1 &&
     svc(\"api\").runningCount === $n && healthy_targets() === $n &&
     svc(\"api\").taskDefinition.endsWith(\"/$revision\")"
  stop_sampler
  check "[$n tasks] $what: bounds held through the failure and the rollback" within_bounds "$n"
}

scenario() {  # desired count, broken kinds (exit, 500): a good deployment, then bad ones, under load
  local n=$1 before
  status "$state"
  before=$(jq_node 'svc("api").taskDefinition.split("/").pop()')

  start_load
  start_sampler
  check "[$n tasks] deploy a new revision exits 0" deploy 0 --env "VERSION=$n"
  stop_sampler
  check "[$n tasks] the deployment completed" says "COMPLETED"
  check "[$n tasks] bounds held throughout (<= $((2 * n)) live, >= $n healthy)" within_bounds "$n"
  status "$state"
  revision=$(jq_node 'svc("api").taskDefinition.split("/").pop()')
  check "[$n tasks] api runs the new revision" test "$revision" != "$before"
  check "[$n tasks] one deployment left, COMPLETED, $n running" \
    js "svc(\"api\").deployments.length === 1 && primary(\"api\").rolloutState === \"COMPLETED\" &&
        primary(\"api\").runningCount === $n"
  check "[$n tasks] /api answers from the new revision" \
    eval '[ "$(get "$lb_port" /api)" = 200 ] && grep -qF "\"taskDefinition\":\"$revision\"" "$work/body"'

  case " ${*:2} " in *" exit "*)
    bad_revision "$n" "a revision whose process exits" --command '["sh", "-c", "exit 1"]' ;;
  esac
  bad_revision "$n" "a revision whose health checks answer 500" --env STAND_IN_STATUS=500
  run 0 events api --state-dir "$state"
  check "[$n tasks] events: a target is unhealthy with the checks' code" \
    says "due to (reason Health checks failed with these codes: [500])."
  status "$state"
  check "[$n tasks] unhealthy tasks stopped for failed ELB health checks" \
    js 'd.tasks.some((t) => (t.stoppedReason || "").startsWith("Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:"))'

  stop_load
  check "[$n tasks] zero failed requests through all the deployments" no_failed_request
  check "[$n tasks] /api still answers from the good revision" \
    eval '[ "$(get "$lb_port" /api)" = 200 ] && grep -qF "\"taskDefinition\":\"$revision\"" "$work/body"'
}

scenario 2 exit 500

# `up` with a changed file on the running cluster: desired 4, no new revision.
check "up with desired_count 4 applies the change" \
  run 0 up "$(config 4)" --detach --time-scale "$scale" --seed "$seed" --state-dir "$state" --listen 127.0.0.1:0
check "up reports the change" says "desired count 4"
check "api scales to 4 healthy tasks" wait_status "$state" \
  'svc("api").runningCount === 4 && healthy_targets() === 4'

scenario 4 500

check "down exits 0" run 0 down --state-dir "$state"
check "nothing is left running" no_leftovers "$work"

echo "deploy_test: $passed passed, $failed failed (seed $seed)"
[ "$failed" -eq 0 ]
