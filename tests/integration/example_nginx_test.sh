#!/usr/bin/env bash
# Runs the origin example's nginx task command (examples/origin/nginx/run-nginx.sh) the way
# drydock runs a task: private working directory, env -i with the task environment, a free
# loopback port. Usage: example_nginx_test.sh DRYDOCK REPO_DIR
set -uo pipefail
drydock=$1
repo=$2
script="$repo/examples/origin/nginx/run-nginx.sh"
passed=0
failed=0

check() {  # description, command...
  local description=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $description"; fi
}

free_port() {  # a loopback port in 49153..65535 that nothing answers on
  local start=$((RANDOM % 16383)) i p
  for ((i = 0; i < 16383; i++)); do
    p=$((49153 + (start + i) % 16383))
    bash -c "</dev/tcp/127.0.0.1/$p" 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}

arn=arn:aws:ecs:us-east-1:000000000000:task/production-cluster/0123456789abcdef0123456789abcdef
task_vars=(  # the environment drydock gives a task, but PORT and HOME
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  ECS_CLUSTER=production-cluster ECS_SERVICE_NAME=nginx ECS_TASK_ARN="$arn"
  ECS_TASK_DEFINITION=nginx:1 ECS_CONTAINER_NAME=nginx
  ECS_CONTAINER_INSTANCE_ARN=arn:aws:ecs:us-east-1:000000000000:container-instance/production-cluster/ci1
  EC2_INSTANCE_ID=i-0123456789abcdef0 ECS_AVAILABILITY_ZONE=us-east-1b
  AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
)

get() {  # path -> status code on stdout; body in $work/body, headers in $work/headers
  curl --noproxy '*' -s -m 5 -D "$work/headers" -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port$1"
}

expect() {  # status, path
  local code; code=$(get "$2")
  [ "$code" = "$1" ] || { echo "GET $2: $code, expected $1"; return 1; }
}

exited() {  # pid: gone or a zombie
  local state
  { read -r _ _ state _ <"/proc/$1/stat"; } 2>/dev/null || return 0
  [ "$state" = Z ]
}

leftovers() {  # processes (other than this test) running in or naming the task directory
  local p args
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" = $$ ] && continue
    args=()
    { mapfile -d '' -t args <"$p/cmdline"; } 2>/dev/null
    if [ "$p/cwd" -ef "$task" ] || [[ ${args[*]} == *"$task"* ]]; then echo "${p#/proc/}"; fi
  done
}

cleanup() {  # kills what this test started, then removes its files
  local p
  for p in $pid $(leftovers); do kill -KILL "$p" 2>/dev/null; done
  rm -rf "$work"
}
work=$(mktemp -d)
task="$work/task"
mkdir -m 0700 "$task"
pid=""
trap cleanup EXIT

validates() { "$drydock" validate "$1" >/dev/null 2>&1; }
check "local.tfvars validates" validates "$repo/examples/origin/local.tfvars"
check "run-nginx.sh is executable" test -x "$script"

port=$(free_port) || { echo "no free loopback port"; exit 1; }
cd "$task" || exit 1
env -i "${task_vars[@]}" HOME="$task" PORT="$port" "$script" >"$work/stdout" 2>"$work/stderr" &
pid=$!
cd "$work" || exit 1
for ((i = 0; i < 100; i++)); do
  [ "$(get /)" = 200 ] && break
  exited "$pid" && break
  sleep 0.1
done

check "nginx answers / within 10 s" expect 200 /
check "keep-alive is on" grep -qi '^connection: keep-alive' "$work/headers"
check "/nginx answers 200" expect 200 /nginx
check "/nginx names the task" grep -qF "$arn" "$work/body"
check "/nginx names the instance and AZ" grep -q 'i-0123456789abcdef0.*us-east-1b' "$work/body"
check "/nginx/deep/path answers 200" expect 200 /nginx/deep/path
check "/nginxfoo answers 200 (like the ALB's /nginx*)" expect 200 /nginxfoo
check "/other answers 404" expect 404 /other
check "config sits in the task dir" test -f "$task/nginx.conf"
check "temp paths sit in the task dir" test -d "$task/client_body_temp"
check "listens on 127.0.0.1:PORT only" \
  test "$(grep -E '^\s*listen ' "$task/nginx.conf" | tr -s ' ')" = " listen 127.0.0.1:$port;"
check "access log goes to stdout" grep -q 'GET /nginx/deep/path' "$work/stdout"

kill -TERM "$pid" 2>/dev/null
for ((i = 0; i < 100; i++)); do exited "$pid" && break; sleep 0.1; done
if exited "$pid"; then
  wait "$pid"; code=$?; pid=""
  check "SIGTERM stops nginx with exit 0" test "$code" -eq 0
else
  check "SIGTERM stops nginx within 10 s" false
fi
check "no process left from the task dir" test -z "$(leftovers)"
[ "$failed" -eq 0 ] || { echo "--- stderr:"; cat "$work/stderr"; }

mkdir -m 0700 "$work/bad" && cd "$work/bad" || exit 1
timeout 10 env -i "${task_vars[@]}" HOME="$work/bad" "$script" >/dev/null 2>"$work/err"; code=$?
check "missing PORT exits 1" test "$code" -eq 1
check "missing PORT is explained" grep -q 'PORT is not set' "$work/err"
timeout 10 env -i "${task_vars[@]}" HOME="$work/bad" PORT=http "$script" >/dev/null 2>"$work/err"; code=$?
check "non-numeric PORT exits 1" test "$code" -eq 1
check "non-numeric PORT is explained" grep -q "PORT is not a port number: 'http'" "$work/err"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
