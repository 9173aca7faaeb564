#!/usr/bin/env bash
# The project's two set-up commands (see README.md):
#   ./dev.sh run    install what is needed, build the release binary, run the main job
#                   (`drydock up` on the origin example; extra arguments go to `up`)
#   ./dev.sh test   install what is needed, build with ASan+UBSan, run every test
# Also: ./dev.sh build (release build only), ./dev.sh fuzz [SECONDS] (fuzzers only).
set -euo pipefail
cd "$(dirname "$0")"

jobs=$(nproc)
werror=OFF
[ "${CI:-}" = true ] && werror=ON

configure() {  # dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DDRYDOCK_WERROR="$werror" "$@" >/dev/null
}

configure_and_build() {  # dir, extra cmake args...
  configure "$@"
  cmake --build "$1" -j "$jobs"
}

build_release() {
  scripts/install-deps.sh build
  configure_and_build build/release -DCMAKE_BUILD_TYPE=Release -DDRYDOCK_TESTS=OFF
}

run_fuzzers() {  # seconds per target
  local seconds=$1
  # -O1 and line tables (-g1): what libFuzzer and sanitizer reports need; -O2 -g
  # made this build about 20 % slower.
  CXX=clang++ configure build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
      -DDRYDOCK_TESTS=OFF -DDRYDOCK_FUZZ=ON -DDRYDOCK_SANITIZE=ON
  cmake --build build/fuzz -j "$jobs" --target fuzz_targets
  # One fuzzer per core at a time; each runs single-threaded.
  local target pids=() failed=0 pid
  for target in build/fuzz/fuzz/*_fuzz; do
    fuzz_one "$target" "$seconds" &
    pids+=("$!")
    if [ ${#pids[@]} -ge "$jobs" ]; then
      wait "${pids[0]}" || failed=1
      pids=("${pids[@]:1}")
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  return "$failed"
}

fuzz_one() {  # target, seconds
  local target=$1 seconds=$2 work dict
  work=$(mktemp -d)
  mkdir -p "$work/corpus" "$work/artifacts"
  # Seeds are copied so that the fuzzer never writes into the repository.
  cp tests/hcl-corpus/*.tfvars tests/hcl-corpus/invalid/*.tfvars tests/hcl-corpus/*.json \
     tests/validate-cases/*.tfvars examples/*/*.tfvars tests/fuzz-seeds/*/* "$work/corpus/" 2>/dev/null || true
  dict=tests/hcl-corpus/fuzz/hcl.dict
  case "$(basename "$target")" in
    json_*|wire_*|control_api_*|policy_*|value_from_*) dict=tests/hcl-corpus/fuzz/json.dict ;;
    http_*) dict=tests/hcl-corpus/fuzz/$(basename "$target").dict ;;
  esac
  echo "fuzz: $(basename "$target") for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -dict="$dict" -artifact_prefix="$work/artifacts/" \
      "$work/corpus" >"$work/log" 2>&1; then
    tail -n 60 "$work/log" >&2
    echo "fuzz: $(basename "$target") failed; reproducer in $work/artifacts" >&2
    return 1
  fi
  echo "fuzz: $(basename "$target"): $(grep -E "^stat::number_of_executed_units" "$work/log" || true)"
  rm -rf "$work"
}

case "${1:-}" in
  run)
    shift
    build_release
    # The origin's cluster, live: instances, services and their tasks as real
    # processes, events on stdout until Ctrl-C (which stops it cleanly).
    exec build/release/drydock up examples/origin/local.tfvars "$@"
    ;;
  build)
    build_release
    ;;
  test)
    scripts/install-deps.sh test
    # Line tables (-g1) are all a sanitizer report needs; full debug info made
    # this build 15-20 % slower. Unity batches compile the unit tests in about
    # a third of the time (docs/development.md).
    configure_and_build build/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
        -DDRYDOCK_SANITIZE=ON -DDRYDOCK_UNITY_TESTS=ON
    (cd build/asan && ctest --output-on-failure -j "$jobs" --timeout 600)
    run_fuzzers "${DRYDOCK_FUZZ_SECONDS:-30}"
    echo "all tests passed"
    ;;
  fuzz)
    scripts/install-deps.sh test
    run_fuzzers "${2:-60}"
    ;;
  *)
    echo "usage: ./dev.sh run | test | build | fuzz [SECONDS]" >&2
    exit 2
    ;;
esac
