#!/usr/bin/env bash
# Installs what drydock needs from Debian's packages (and, for the test
# oracles only, from npm). Safe to run repeatedly: it installs only what is
# missing. Usage: scripts/install-deps.sh [build|test]
set -euo pipefail

mode="${1:-build}"
# nginx: the origin example's nginx service runs Debian's nginx (examples/origin).
build_packages=(g++ make cmake ninja-build ccache pkg-config
                nlohmann-json3-dev libcli11-dev libfmt-dev libsqlite3-dev libboost-dev libssl-dev
                nginx)
test_packages=(libgtest-dev libgmock-dev libbenchmark-dev
               clang libclang-rt-14-dev nodejs npm python3 curl openssl)

packages=("${build_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")

missing=()
for package in "${packages[@]}"; do
  # node and npm may come from outside Debian on developer machines.
  if [ "$package" = nodejs ] && command -v node >/dev/null; then continue; fi
  if [ "$package" = npm ] && command -v npm >/dev/null; then continue; fi
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: run as root (or with sudo) to install packages" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # drydock runs nginx per task; installing the package must not also start
  # a system-wide nginx on port 80. policy-rc.d is Debian's switch for that.
  policy=/usr/sbin/policy-rc.d
  made_policy=false
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=true
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if $made_policy; then rm -f "$policy"; fi
fi

if [ "$mode" = test ]; then
  # HashiCorp's HCL parser, used only as a test oracle (tools/hcl-oracle).
  oracle_dir="$(cd "$(dirname "$0")/.." && pwd)/tools/hcl-oracle"
  if [ -f "$oracle_dir/package-lock.json" ] && [ ! -d "$oracle_dir/node_modules/@cdktf" ]; then
    echo "install-deps: npm ci in tools/hcl-oracle"
    (cd "$oracle_dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
