# Helpers shared by the live-mode integration tests (live_test.sh, deploy_test.sh): checks and
# their tally, process inspection, a work directory cleaned up on exit (with `down` on every
# state dir made in it), running drydock, reading its status JSON with node, and HTTP GETs.
# Every request goes to 127.0.0.1; every wait is bounded. Source it after setting $drydock.
passed=0
failed=0

check() {  # description, command...
  local description=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $description"; fi
}

# --- processes ---------------------------------------------------------------------------------

exited() {  # pid: gone or a zombie
  local state
  { read -r _ _ state _ <"/proc/$1/stat"; } 2>/dev/null || return 0
  [ "$state" = Z ]
}

alive() { ! exited "$1"; }

all_exited() {  # pid...
  local p
  for p in "$@"; do alive "$p" && { echo "  pid $p is still alive: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"; return 1; }; done
  return 0
}

all_alive() {  # pid...
  local p
  for p in "$@"; do exited "$p" && { echo "  pid $p is gone"; return 1; }; done
  return 0
}

leftovers() {  # dir -> pids (other than this test) whose command line, environment, working
  # directory or open files name dir. A task names its task dir (cwd, HOME), a shim its log file,
  # the control plane its --state-dir. The dirs are mktemp paths, so nothing else names them.
  local dir=$1
  {
    grep -laF -f <(printf '%s\n' "$dir") /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null
    find /proc/[0-9]*/cwd /proc/[0-9]*/fd -maxdepth 1 \( -lname "$dir" -o -lname "$dir/*" \) 2>/dev/null
  } | sed -n 's|^/proc/\([0-9][0-9]*\)/.*|\1|p' | sort -u | grep -vx -e "$$" -e "$BASHPID"
}

no_leftovers() {  # dir: no process names it (polled 0.2 s x 50: a shim may be finishing)
  local i p live
  for ((i = 0; i < 50; i++)); do
    live=""
    for p in $(leftovers "$1"); do alive "$p" && live+=" $p"; done
    [ -z "$live" ] && return 0
    sleep 0.2
  done
  for p in $live; do echo "  left behind: $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"; done
  return 1
}

task_pids() {  # state dir, task ARN -> pids of the processes whose environment holds that task's
  # HOME (its task dir: unique to this state dir, where the ARN alone may not be)
  grep -laF -f <(printf 'HOME=%s/tasks/%s\n' "$1" "${2##*/}") /proc/[0-9]*/environ 2>/dev/null |
    sed -n 's|^/proc/\([0-9][0-9]*\)/environ$|\1|p'
}

work=$(mktemp -d)
cleanup() {  # `down` on every state dir this test made, then kill what still names $work
  local dir i pids
  for dir in "$work"/*/; do
    [ -e "$dir/state.db" ] && timeout 60 "$drydock" down --state-dir "${dir%/}" >/dev/null 2>&1
  done
  for ((i = 0; i < 10; i++)); do
    pids=$(leftovers "$work")
    [ -z "$pids" ] && break
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null
    sleep 0.2
  done
  # DRYDOCK_KEEP_WORK=1 keeps the directory (task logs, state) for a post-mortem.
  if [ "${DRYDOCK_KEEP_WORK:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- drydock, JSON, HTTP -----------------------------------------------------------------------

run() {  # expected-exit, args... (stdout in $work/out, stderr in $work/err)
  local expected=$1; shift
  timeout 90 "$drydock" "$@" >"$work/out" 2>"$work/err"
  local code=$?
  [ "$code" -eq "$expected" ] || {
    echo "  exit $code, expected $expected: drydock $*"; sed 's/^/  | /' "$work/out" "$work/err" | tail -20
    return 1
  }
}

says() {  # text: in $work/out or $work/err
  grep -qF -- "$1" "$work/out" "$work/err" || { echo "  output lacks: $1"; return 1; }
}

status() {  # state-dir: the status document into $work/status.json
  timeout 30 "$drydock" status --state-dir "$1" --output json >"$work/status.json" 2>"$work/status.err"
}

jq_node() {  # JS expression over the document d ($work/status.json, or FILE) -> stdout.
  # Strings print raw, arrays one element a line, anything else as JSON. Helpers for status:
  # R (RUNNING tasks), svc(name), of(name) (its RUNNING tasks), port(t), id(t) (task id).
  node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const R = (d.tasks || []).filter((t) => t.lastStatus === "RUNNING");
    const svc = (n) => (d.services || []).find((s) => s.serviceName === n);
    const of = (n) => R.filter((t) => t.group === "service:" + n);
    const port = (t) => t.containers[0].networkBindings[0].hostPort;
    const id = (t) => t.taskArn.split("/").pop();
    const v = eval(process.argv[2]);
    const show = (x) => (typeof x === "string" ? x : JSON.stringify(x));
    if (Array.isArray(v)) v.forEach((x) => console.log(show(x)));
    else if (v !== undefined) console.log(show(v));
  ' "${2:-$work/status.json}" "$1" "${@:3}" </dev/null
}

js() {  # JS expression [FILE [ARG...]] (jq_node): true?
  local v
  v=$(jq_node "$@" 2>&1)
  [ "$v" = true ] || { echo "  not true ($v): $1"; return 1; }
}

wait_status() {  # state-dir, JS expression: poll status until true (0.2 s x 150)
  local i
  for ((i = 0; i < 150; i++)); do
    status "$1" && [ "$(jq_node "$2" 2>/dev/null)" = true ] && return 0
    sleep 0.2
  done
  echo "  timed out waiting for: $2"
  return 1
}

get() {  # port, path -> HTTP status on stdout; body in $work/body (retried while nothing answers)
  local i code
  for ((i = 0; i < 50; i++)); do
    code=$(curl --noproxy '*' -s -m 5 -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$1$2" </dev/null)
    [ "$code" != 000 ] && break
    sleep 0.1
  done
  echo "$code"
}

