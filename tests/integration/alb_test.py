#!/usr/bin/env python3
"""End-to-end checks of drydock's load balancer process (`drydock proxy --managed`), configured
over its Unix socket the way the control plane does it, in front of real backends on loopback:
routing by priority with a fixed 404, round robin, health transitions with ALB's thresholds and
reasons, fail-open, 503 without targets, draining (an in-flight request finishes, one that
outlives the delay is cut), keep-alive reuse, chunked bodies both ways, 502/504/400/431, request
smuggling refusals, and a hostile API call. Every request goes to 127.0.0.1; every wait is bounded.

Usage: alb_test.py DRYDOCK REPO_DIR
"""
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DRYDOCK = sys.argv[1]
TIME_SCALE = 10  # health-check interval 5 s -> 0.5 s, deregistration delay 20 s -> 2 s
IDLE_TIMEOUT = 5  # seconds (real): also the 504 deadline
failures = []
passed = 0


def check(description, condition, detail=""):
    global passed
    if condition:
        passed += 1
    else:
        failures.append(description)
        print(f"FAIL: {description} {detail}", flush=True)


def wait_until(predicate, timeout=15.0, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


# --- backends ----------------------------------------------------------------------------------

class Backend:
    """A target: answers /who with its name, /health with a settable status, /slow?ms=N late,
    /echo with the request body, /chunked with a chunked body; counts the TCP connections that
    carry requests other than health checks."""

    def __init__(self, name):
        self.name = name
        self.health_status = 200
        self.connections = 0
        backend = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                self.counted = False
                super().setup()

            def count(self):
                if not self.counted and not self.path.endswith("/health"):
                    backend.connections += 1
                    self.counted = True

            def log_message(self, *args):
                pass

            def body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().split(b";")[0], 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b""):
                                pass
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length", "0")))

            def answer(self, status, body, extra=()):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                for name, value in extra:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                self.count()
                path = self.path
                if path.endswith("/health"):
                    return self.answer(backend.health_status, b"health")
                if "/slow" in path:
                    time.sleep(int(path.split("ms=")[1]) / 1000)
                    return self.answer(200, b"slow " + backend.name.encode())
                if path.endswith("/chunked"):
                    self.send_response(200)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for piece in (b"hello ", b"chunked ", b"world"):
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.write(b"0\r\n\r\n")
                    return
                headers = json.dumps({k.lower(): v for k, v in self.headers.items()})
                return self.answer(200, backend.name.encode(), [("X-Seen-Headers", headers)])

            def do_POST(self):
                self.count()
                try:
                    data = self.body()
                except ValueError:  # a malformed chunk the proxy let through would land here
                    self.close_connection = True
                    return
                self.answer(200, data)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # clients the proxy cut or gave up on: expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


# --- the proxy and its API ---------------------------------------------------------------------

class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=5)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(5)
        self.sock.connect(self.path)


def api(method, target, body=None, token=True):
    connection = UnixConnection(SOCKET)
    headers = {}
    if token:  # the state directory's API token (docs/control-api.md)
        with open(os.path.join(work, "control.token")) as f:
            headers["Authorization"] = "Bearer " + f.read().strip()
    connection.request(method, target, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def group(name, targets, path="/health", delay=20, algorithm="round_robin"):
    return {"name": name, "algorithm": algorithm, "deregistrationDelaySeconds": delay,
            "healthCheck": {"path": path, "intervalSeconds": 5, "timeoutSeconds": 2,
                            "healthyThreshold": 2, "unhealthyThreshold": 2, "matcher": "200"},
            "targets": [{"id": "127.0.0.1", "port": t.port if isinstance(t, Backend) else t,
                         "task": t.name if isinstance(t, Backend) else f"port{t}"}
                        for t in targets]}


def configure(groups):
    rules = [{"priority": 10, "pathPatterns": ["/api*"], "targetGroup": "api-tg"},
             {"priority": 5, "pathPatterns": ["/api/special"], "targetGroup": "web-tg"},
             {"priority": 20, "pathPatterns": ["/web*"], "targetGroup": "web-tg"},
             {"priority": 30, "pathPatterns": ["/drain*"], "targetGroup": "drain-tg"},
             {"priority": 40, "pathPatterns": ["/bad*"], "targetGroup": "bad-tg"}]
    config = {"timeScale": TIME_SCALE,
              "listener": {"rules": rules,
                           "defaultAction": {"statusCode": 404, "contentType": "text/plain",
                                             "messageBody": "no route\n"}},
              "targetGroups": groups}
    status, body = api("PUT", "/v1/config", json.dumps(config))
    check("PUT /v1/config is accepted", status == 200, body)


def targets(group_name):
    status, body = api("GET", "/v1/targets")
    for g in json.loads(body)["targetGroups"]:
        if g["targetGroupName"] == group_name:
            return {d["task"]: d["targetHealth"] for d in g["targetHealthDescriptions"]}
    return {}


def targets_in_flight(group_name, task):
    status, body = api("GET", "/v1/targets")
    for g in json.loads(body)["targetGroups"]:
        for d in g["targetHealthDescriptions"]:
            if g["targetGroupName"] == group_name and d["task"] == task:
                return d["inFlightRequests"]
    return None


def state_of(group_name, task):
    return targets(group_name).get(task, {}).get("state", "absent")


def get(path, headers=None, connection=None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response
    except (OSError, http.client.HTTPException) as error:
        return None, str(error).encode(), None
    finally:
        if own:
            connection.close()


def raw(request_bytes, timeout=5):
    """Sends bytes on a fresh connection; returns the status code of the answer (or None)."""
    with socket.create_connection(("127.0.0.1", PORT), timeout=timeout) as sock:
        sock.sendall(request_bytes)
        data = b""
        try:
            while b"\r\n" not in data:
                piece = sock.recv(4096)
                if not piece:
                    break
                data += piece
        except socket.timeout:
            return None
    try:
        return int(data.split(b" ")[1])
    except (IndexError, ValueError):
        return None


work = tempfile.mkdtemp(prefix="drydock-alb-")
os.chmod(work, 0o700)
SOCKET = os.path.join(work, "proxy.sock")
log = open(os.path.join(work, "proxy.log"), "w")
proxy = subprocess.Popen([DRYDOCK, "proxy", "--managed", "--state-dir", work, "--listen",
                          "127.0.0.1:0", "--idle-timeout", str(IDLE_TIMEOUT)],
                         stdout=log, stderr=subprocess.STDOUT)


def proxy_listen():
    try:
        return json.loads(api("GET", "/v1/health")[1])["listen"]
    except (OSError, ValueError, KeyError):
        return None


try:
    listen = wait_until(proxy_listen, timeout=10)
    check("the proxy answers on its socket with its address", listen is not None)
    if listen is None:
        raise SystemExit(1)
    PORT = int(listen.rsplit(":", 1)[1])
    check("the API refuses a caller without the token (401)",
          api("GET", "/v1/health", token=False)[0] == 401)
    check("control.token is 0600", os.stat(os.path.join(work, "control.token")).st_mode & 0o777 == 0o600)

    b1, b2, b3, b4 = Backend("b1"), Backend("b2"), Backend("b3"), Backend("b4")

    # --- 1. routing, round robin, the default action, no targets ---------------------------------
    configure([group("api-tg", [b1, b2]), group("web-tg", [b3]), group("drain-tg", [])])
    check("new targets become healthy after the first passing check",
          wait_until(lambda: state_of("api-tg", "b1") == state_of("api-tg", "b2") == "healthy"))
    check("web target healthy", wait_until(lambda: state_of("web-tg", "b3") == "healthy"))
    seen = [get("/api/who")[1] for _ in range(6)]
    check("round robin alternates the api targets", seen == [seen[0], seen[1]] * 3 and
          set(seen) == {b"b1", b"b2"}, seen)
    check("/web goes to web-tg", get("/web/x")[1] == b"b3")
    check("a lower priority number wins (/api/special -> web-tg)", get("/api/special")[1] == b"b3")
    status, body, _ = get("/other")
    check("no rule matches: the fixed 404", status == 404 and body == b"no route\n", (status, body))
    check("a path is matched case-sensitively (/API -> 404)", get("/API")[0] == 404)
    check("the query string is not matched (/x?/api -> 404)", get("/x?/api")[0] == 404)
    check("a group without targets answers 503", get("/drain/x")[0] == 503)

    # --- 2. headers --------------------------------------------------------------------------------
    status, body, response = get("/web/h", {"X-Forwarded-For": "10.0.0.1", "Connection": "X-Drop",
                                            "X-Drop": "1", "Host": "example.test"})
    seen_headers = json.loads(response.getheader("X-Seen-Headers"))
    check("X-Forwarded-For is appended to", seen_headers.get("x-forwarded-for") == "10.0.0.1, 127.0.0.1",
          seen_headers)
    check("X-Forwarded-Proto and -Port are set", seen_headers.get("x-forwarded-proto") == "http" and
          seen_headers.get("x-forwarded-port") == str(PORT), seen_headers)
    check("Host is kept", seen_headers.get("host") == "example.test", seen_headers)
    check("hop-by-hop headers named by Connection are dropped", "x-drop" not in seen_headers)

    # --- 3. keep-alive reuse on both sides -------------------------------------------------------
    before = b3.connections
    client = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    statuses = [get("/web/ka", connection=client)[0] for _ in range(20)]
    client.close()
    check("20 requests on one client connection all answer 200", statuses == [200] * 20)
    check("the proxy reuses its upstream connection", b3.connections - before <= 1,
          b3.connections - before)

    # --- 4. chunked bodies both ways -----------------------------------------------------------
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    connection.request("POST", "/web/echo", body=iter([b"abc", b"defgh", b"i" * 70000]),
                       encode_chunked=True, headers={"Transfer-Encoding": "chunked"})
    response = connection.getresponse()
    echoed = response.read()
    check("a chunked request body reaches the target whole",
          response.status == 200 and echoed == b"abcdefgh" + b"i" * 70000, len(echoed))
    connection.request("GET", "/web/chunked")
    response = connection.getresponse()
    check("a chunked response is relayed chunked",
          response.getheader("Transfer-Encoding") == "chunked" and
          response.read() == b"hello chunked world")
    connection.close()

    # --- 5. health transitions, reasons, fail-open -----------------------------------------------
    b1.health_status = 500
    check("a failing target becomes unhealthy after 2 failed checks",
          wait_until(lambda: state_of("api-tg", "b1") == "unhealthy"))
    reason = targets("api-tg")["b1"]
    check("its reason is Target.ResponseCodeMismatch with the code",
          reason.get("reason") == "Target.ResponseCodeMismatch" and "500" in reason.get("description", ""),
          reason)
    check("an unhealthy target gets no requests", {get("/api/who")[1] for _ in range(6)} == {b"b2"})
    b2.health_status = 503
    check("both unhealthy", wait_until(lambda: state_of("api-tg", "b2") == "unhealthy"))
    check("fail-open: with every target unhealthy, both get requests",
          {get("/api/who")[1] for _ in range(6)} == {b"b1", b"b2"})
    b1.health_status = b2.health_status = 200
    check("targets come back after 2 passing checks",
          wait_until(lambda: state_of("api-tg", "b1") == state_of("api-tg", "b2") == "healthy"))

    # --- 6. error statuses -------------------------------------------------------------------------
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead_port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    configure([group("api-tg", [b1, b2]), group("web-tg", [b3]), group("drain-tg", []),
               group("bad-tg", [dead_port])])
    check("a refusing target is unhealthy (connection failed)",
          wait_until(lambda: targets("bad-tg").get(f"port{dead_port}", {}).get("reason")
                     == "Target.FailedHealthChecks"))
    check("a refusing target gets 502 (fail-open routes to it)", get("/bad/x")[0] == 502)
    status, _, _ = get(f"/web/slow?ms={(IDLE_TIMEOUT + 2) * 1000}")
    check("a target slower than the idle timeout gets 504", status == 504, status)
    check("a malformed request line gets 400", raw(b"GET /web/x HTTP/1.1 junk\r\nHost: a\r\n\r\n") == 400)
    check("an oversized header gets 431",
          raw(b"GET /web/x HTTP/1.1\r\nHost: a\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n") == 431)
    smuggling = {
        "Content-Length with Transfer-Encoding":
            b"POST /web/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "two Content-Length": b"POST /web/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
        "a Content-Length list": b"POST /web/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\nx",
        "a non-numeric Content-Length": b"POST /web/echo HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\nx",
        "a coding other than chunked": b"POST /web/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "a bad chunk size": b"POST /web/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        "obsolete line folding": b"GET /web/x HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n folded\r\n\r\n",
        "two Host headers": b"GET /web/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    }
    for name, request in smuggling.items():
        check(f"smuggling refused with 400: {name}", raw(request) == 400)
    check("the proxy still serves after all that", get("/web/x")[1] == b"b3")

    # --- 7. draining ----------------------------------------------------------------------------
    # A 5 s (scaled) delay: a 1 s request in flight finishes well within it.
    configure([group("api-tg", [b1, b2]), group("web-tg", [b3]), group("drain-tg", [b4], delay=50)])
    check("drain target healthy", wait_until(lambda: state_of("drain-tg", "b4") == "healthy"))
    result = {}
    thread = threading.Thread(target=lambda: result.update(short=get("/drain/slow?ms=1000")[:2]))
    thread.start()
    check("the slow request is in flight",
          wait_until(lambda: targets_in_flight("drain-tg", "b4") == 1))
    configure([group("api-tg", [b1, b2]), group("web-tg", [b3]), group("drain-tg", [], delay=50)])
    check("a deregistered target is draining with Target.DeregistrationInProgress",
          targets("drain-tg").get("b4", {}).get("reason") == "Target.DeregistrationInProgress",
          targets("drain-tg"))
    check("a draining target gets no new request (503)", get("/drain/x")[0] == 503)
    thread.join(10)
    check("the in-flight request completes while draining",
          result.get("short") == (200, b"slow b4"), result)
    check("the drained target is forgotten", wait_until(lambda: "b4" not in targets("drain-tg")))

    # A 2 s (scaled) delay: a 4 s request outlives it (and stays within the 5 s idle timeout).
    configure([group("api-tg", [b1, b2]), group("web-tg", [b3]), group("drain-tg", [b4])])
    check("re-registered", wait_until(lambda: state_of("drain-tg", "b4") == "healthy"))
    thread = threading.Thread(target=lambda: result.update(long=get("/drain/slow?ms=4000")[:2]))
    thread.start()
    check("the long request is in flight",
          wait_until(lambda: targets_in_flight("drain-tg", "b4") == 1))
    configure([group("api-tg", [b1, b2]), group("web-tg", [b3]), group("drain-tg", [])])
    thread.join(10)
    # Had it not been cut, the target's answer (200 "slow b4") would have arrived.
    check("a request that outlives the deregistration delay is cut",
          result.get("long", (0,))[0] in (None, 502), result.get("long"))
    check("and the target is gone", wait_until(lambda: "b4" not in targets("drain-tg")))

    # --- 8. the API refuses bad input and keeps serving --------------------------------------------
    status, body = api("PUT", "/v1/config", b"{not json")
    check("a malformed configuration is refused with 400", status == 400, body)
    bad = {"timeScale": 1, "listener": {"rules": [], "defaultAction": {"statusCode": 404}},
           "targetGroups": [{"name": "x", "algorithm": "random", "deregistrationDelaySeconds": 1,
                             "healthCheck": {}, "targets": []}]}
    status, body = api("PUT", "/v1/config", json.dumps(bad))
    check("an invalid field is named in the error", status == 400 and b"algorithm" in body, body)
    check("the previous configuration still serves", get("/web/x")[1] == b"b3")
    check("unknown endpoints answer 404", api("GET", "/v1/nothing")[0] == 404)

    status, _ = api("POST", "/v1/stop")
    check("POST /v1/stop is answered", status == 200)
    try:
        proxy.wait(10)
    except subprocess.TimeoutExpired:
        pass
    check("the proxy exits after /v1/stop", proxy.poll() == 0, proxy.poll())
finally:
    if proxy.poll() is None:
        proxy.kill()
        proxy.wait()
    log.close()
    if failures:
        print(open(os.path.join(work, "proxy.log")).read()[-3000:])

print(f"alb_test: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
