#!/usr/bin/env bash
# The load balancer's HTTPS listener (docs/alb.md, "HTTPS") with the real curl and openssl:
#   1. `drydock up` with https_listen_address, the self-signed default and redirect_http_to_https:
#      TLS 1.2 and 1.3 handshakes succeed, TLS 1.1 fails, `curl --cacert <state-dir>/tls/...`
#      gets 200 from the api service, http://.../api?x=1 gets a 301 with the exact Location;
#   2. `drydock proxy FILE` (static mode) with two certificates generated here by `openssl req`
#      (a.example the default, b.example an additional one): SNI picks the right subject, curl
#      verifies each name, an unknown name gets the default.
# Every request goes to 127.0.0.1; every wait is bounded. Usage: tls_test.sh DRYDOCK REPO_DIR
set -uo pipefail
drydock=$1

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

free_port() {  # a port nothing listens on now (the kernel's choice)
  node -e 'const s = require("net").createServer();
           s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

handshake() {  # port, s_client options...: the handshake's output into $work/hs (exit status kept)
  local port=$1; shift
  timeout 10 openssl s_client -connect "127.0.0.1:$port" "$@" </dev/null >"$work/hs" 2>&1
}

protocol_is() {  # version: the last handshake negotiated it
  grep -qE "^ *Protocol *: *$1\$|^New, $1," "$work/hs" || { echo "  no $1 in: $(grep -E 'Protocol|^New' "$work/hs")"; return 1; }
}

subject_is() {  # CN: the last handshake's server certificate
  grep -qE "^subject=.*CN ?= ?$1\$" "$work/hs" || { echo "  subject: $(grep '^subject=' "$work/hs")"; return 1; }
}

wait_https() {  # port: a TLS handshake succeeds (0.2 s x 150)
  local i
  for ((i = 0; i < 150; i++)); do
    handshake "$1" && return 0
    sleep 0.2
  done
  echo "  no handshake on 127.0.0.1:$1"; tail -5 "$work/hs"
  return 1
}

# --- 1. up: self-signed, redirect ----------------------------------------------------------------

https_port=$(free_port)
cat >"$work/tls.tfvars" <<HCL
cluster_name            = "tls-test"
asg_min_size            = 1
asg_max_size            = 2
asg_desired_capacity    = 1
on_demand_base_capacity = 1
network_mode            = "bridge"
https_listen_address    = "127.0.0.1:$https_port"
redirect_http_to_https  = true
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
HCL
state="$work/up"
certificate="$state/tls/self-signed.crt"
check "validate accepts the HTTPS settings" run 0 validate "$work/tls.tfvars"
# The local HTTPS listener is not AWS's: that one needs an ACM certificate (certificate_arn).
check "plan: no AWS HTTPS listener without certificate_arn, and a note that says why" eval \
  'run 0 plan "$work/tls.tfvars" && ! says "aws_lb_listener.https" >/dev/null && says "until certificate_arn"'
check "up --detach exits 0" run 0 up "$work/tls.tfvars" --detach --time-scale 20 --state-dir "$state" \
  --listen 127.0.0.1:0
check "up says where HTTPS serves and which certificate to trust" \
  says "https://127.0.0.1:$https_port (self-signed: curl --cacert $certificate)"
check "the api task is running" wait_status "$state" 'd.services[0].runningCount === 1'
lb_port=$(jq_node 'd.loadBalancer.listen.split(":").pop()')
check "the self-signed pair: key 0600 in a 0700 dir" eval \
  '[ "$(stat -c %a "$state/tls")" = 700 ] && [ "$(stat -c %a "$state/tls/self-signed.key")" = 600 ] && [ -s "$certificate" ]'
check "it names localhost, 127.0.0.1 and ::1" eval \
  'openssl x509 -in "$certificate" -noout -ext subjectAltName | grep -q "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"'
check "the HTTPS listener answers" wait_https "$https_port"
check "TLS 1.2 handshake succeeds" eval 'handshake "$https_port" -tls1_2 && protocol_is TLSv1.2'
check "TLS 1.3 handshake succeeds" eval 'handshake "$https_port" -tls1_3 && protocol_is TLSv1.3'
# The client must be willing to offer 1.1 (OpenSSL 3 will not at its default level).
check "TLS 1.1 handshake fails" eval '! handshake "$https_port" -tls1_1 -cipher "DEFAULT:@SECLEVEL=0"'
check "ALPN: http/1.1 only" eval 'handshake "$https_port" -alpn h2,http/1.1 && grep -q "ALPN protocol: http/1.1" "$work/hs"'

https_get() {  # url, curl options... -> status on stdout; body in $work/body (retried while 503)
  local url=$1 i code; shift
  for ((i = 0; i < 50; i++)); do
    code=$(curl --noproxy '*' -s -m 5 -o "$work/body" -w '%{http_code}' "$@" "$url" </dev/null)
    [ "$code" != 000 ] && [ "$code" != 503 ] && break
    sleep 0.2
  done
  echo "$code"
}
check "curl --cacert https://127.0.0.1/api: 200 from the api service" eval \
  '[ "$(https_get "https://127.0.0.1:$https_port/api" --cacert "$certificate")" = 200 ] &&
   js "d.service === \"api\"" "$work/body"'
check "and by the name localhost" eval \
  '[ "$(https_get "https://localhost:$https_port/api/x" --cacert "$certificate" \
        --resolve "localhost:$https_port:127.0.0.1")" = 200 ]'
check "without --cacert the certificate is not trusted" eval \
  '! curl --noproxy "*" -s -m 5 -o /dev/null "https://127.0.0.1:$https_port/api" </dev/null'
check "http://…/api?x=1: 301 to the HTTPS listener with the query" eval \
  'out=$(curl --noproxy "*" -s -m 5 -o /dev/null -w "%{http_code} %{redirect_url}" \
         "http://127.0.0.1:$lb_port/api?x=1" </dev/null) &&
   [ "$out" = "301 https://127.0.0.1:$https_port/api?x=1" ] || { echo "  got: $out"; false; }'
check "the Location header is exact" eval \
  'curl --noproxy "*" -s -m 5 -D - -o /dev/null "http://127.0.0.1:$lb_port/api?x=1" </dev/null |
   tr -d "\r" | grep -qx "Location: https://127.0.0.1:$https_port/api?x=1"'
check "a Host with a port: the host without it" eval \
  'curl --noproxy "*" -s -m 5 -D - -o /dev/null -H "Host: example.test:8080" \
     "http://127.0.0.1:$lb_port/p" </dev/null | tr -d "\r" |
   grep -qx "Location: https://example.test:$https_port/p"'
check "curl -L follows it to the api service" eval \
  '[ "$(https_get "http://127.0.0.1:$lb_port/api" -L --cacert "$certificate")" = 200 ]'
check "down exits 0" run 0 down --state-dir "$state"
check "nothing left behind" no_leftovers "$state"

# --- 2. drydock proxy FILE: two certificates, SNI ------------------------------------------------

certs="$work/certs"
mkdir -p "$certs"
for name in a.example b.example; do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=$name" \
    -addext "subjectAltName=DNS:$name" -keyout "$certs/$name.key" -out "$certs/$name.crt" >/dev/null 2>&1
done
https_port=$(free_port)
# Paths relative to the file's directory.
cat >"$work/sni.tfvars" <<HCL
https_listen_address = "127.0.0.1:$https_port"
certificate_file     = "certs/a.example.crt"
private_key_file     = "certs/a.example.key"
additional_certificates = [
  { certificate_file = "certs/b.example.crt", private_key_file = "certs/b.example.key" },
]
ssl_policy = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
services = {
  api = { desired_count = 1, path_pattern = ["/api*"], priority = 110, container_port = 80, cpu = 256, memory = 512 }
}
HCL
check "validate accepts the SNI file" run 0 validate "$work/sni.tfvars"
timeout 120 "$drydock" proxy "$work/sni.tfvars" --listen 127.0.0.1:0 --backends 127.0.0.1:9 \
  --state-dir "$work/proxy-state" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
check "drydock proxy serves HTTPS" wait_https "$https_port"
check "no SNI: the default certificate (a.example)" eval 'handshake "$https_port" && subject_is a.example'
check "SNI a.example: a.example" eval 'handshake "$https_port" -servername a.example && subject_is a.example'
check "SNI b.example: b.example" eval 'handshake "$https_port" -servername b.example && subject_is b.example'
check "SNI B.EXAMPLE: b.example (case-insensitive)" eval \
  'handshake "$https_port" -servername B.EXAMPLE && subject_is b.example'
check "SNI c.example: the default" eval 'handshake "$https_port" -servername c.example && subject_is a.example'
for name in a.example b.example; do
  check "curl --resolve $name verifies $name's certificate" eval \
    '[ "$(https_get "https://'$name':$https_port/other" --cacert "$certs/'$name'.crt" \
          --resolve "'$name':$https_port:127.0.0.1")" = 404 ]'
done
check "the restricted policy still takes TLS 1.2 with GCM" eval \
  'handshake "$https_port" -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256'
check "but not a CBC suite it leaves out" eval \
  '! handshake "$https_port" -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA256'
check "the proxy logs its HTTPS listener" eval 'grep -q "listening on https://127.0.0.1:$https_port" "$work/proxy.log"'
kill "$proxy_pid" 2>/dev/null
wait "$proxy_pid" 2>/dev/null

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
