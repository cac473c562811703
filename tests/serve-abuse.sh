#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# serve-abuse.sh - `bouncekit serve` against malformed and hostile
# clients (docs/api.md, "Limits"): oversized headers and URLs, bad
# UTF-8, bad JSON, bad percent-encoding, path traversal, garbage request
# lines, a client that sends one byte a second (the others are served
# meanwhile; it is cut off by --timeout), more connections than
# --max-connections; and --listen on IPv6 ([::1], skipped with a message
# when the machine has no ::1) and on a unix socket.  Raw sockets
# (python3), a throwaway store, servers on free loopback ports, stopped at
# the end.  tests/serve.sh has the API's normal behaviour.
# usage: tests/serve-abuse.sh [BUILD_DIR]
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
exec python3 - "${BK_BIN:-$build/bouncekit}" <<'PY'
import json, os, re, signal, socket, subprocess, sys, tempfile, threading, time

bin_ = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="bk-abuse.")
db = os.path.join(tmp, "t.db")
passed = failed = 0
procs = []

def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL abuse: %s %s" % (name, detail))

def run(*args):
    return subprocess.run([bin_] + list(args), capture_output=True, text=True)

def start(listen, *extra):
    log = open(os.path.join(tmp, "log%d" % len(procs)), "w+")
    p = subprocess.Popen([bin_, "serve", "--listen", listen, "--db", db] + list(extra),
                         stderr=log, stdout=subprocess.DEVNULL)
    procs.append(p)
    for _ in range(200):
        log.seek(0)
        m = re.search(r"listening on (\S+)", log.read())
        if m:
            return p, m.group(1), log
        if p.poll() is not None:
            break
        time.sleep(0.05)
    log.seek(0)
    raise SystemExit("serve-abuse: the server did not start: " + log.read())

def stop_all():
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    subprocess.run(["rm", "-rf", tmp])

port = None

def conn(timeout=10):
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)

def raw(data, timeout=10, close_write=False):
    """Sends bytes, returns all that comes back until the server closes
    or the timeout ("" when the server closed without a word)."""
    s = conn(timeout)
    got = b""
    try:
        s.sendall(data)
        if close_write:
            s.shutdown(socket.SHUT_WR)
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
            if b"\r\n\r\n" in got:
                head, _, body = got.partition(b"\r\n\r\n")
                m = re.search(rb"(?i)content-length: *(\d+)", head)
                if m and len(body) >= int(m.group(1)):
                    break
    except (socket.timeout, ConnectionResetError, BrokenPipeError):
        pass
    s.close()
    return got

def status(got):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", got)
    return int(m.group(1)) if m else None

def get(path, token=None, extra=b""):
    h = b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    if token:
        h += b"Authorization: Bearer " + token.encode() + b"\r\n"
    return raw(h + extra + b"\r\n")

def post(path, body, token=None):
    h = (b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
         b"Content-Length: " + str(len(body)).encode() + b"\r\n")
    if token:
        h += b"Authorization: Bearer " + token.encode() + b"\r\n"
    return raw(h + b"\r\n" + body)

def alive(name):
    got = get(b"/healthz")
    check(name + ": the server still answers", status(got) == 200, repr(got[:80]))

try:
    r = run("db", "init", "--db", db)
    check("db init", r.returncode == 0, r.stderr)
    tok = run("token", "add", "reader", "--db", db).stdout.strip()
    check("token add", tok.startswith("bk_"))
    wtok = run("token", "add", "writer", "--scope", "write", "--db", db).stdout.strip()

    for bad in ("[::1]", "[::1]:", "[zz]:80", "::1:80x", "unix:", "127.0.0.1:-1", "[::1]:70000"):
        r = run("serve", "--db", db, "--listen", bad)
        check("--listen %s refused" % bad, r.returncode != 0 and "--listen" in r.stderr, r.stderr)

    p, where, log = start("127.0.0.1:0", "--timeout", "3", "--max-connections", "16",
                          "--threads", "2")
    port = int(where.rsplit(":", 1)[1])
    alive("start")

    # oversized header block and request target
    got = get(b"/healthz", extra=b"X-Big: " + b"a" * 200000 + b"\r\n")
    check("a 200 KB header: 4xx or closed", got == b"" or 400 <= (status(got) or 0) < 500,
          repr(got[:80]))
    got = get(b"/v1/addresses/" + b"a" * 100000 + b"@example.com", tok)
    check("a 100 KB URL: 4xx or closed", got == b"" or 400 <= (status(got) or 0) < 500,
          repr(got[:80]))
    got = get(b"/healthz", extra=b"".join(b"X-H%d: v\r\n" % i for i in range(5000)))
    check("5000 headers: 4xx or closed", got == b"" or 400 <= (status(got) or 0) < 500,
          repr(got[:80]))
    alive("oversized headers")

    # GET /v1/addresses writes its JSON itself (server/jsonw.c): the same
    # events as GET /v1/events (jansson), hostile bytes and all
    hostile = (b"From: MAILER-DAEMON@mx.example.org\nTo: sender@example.jp\n"
               b"Subject: =?UTF-8?B?" + __import__("base64").b64encode("\u732b \"<script>\\".encode()) +
               b"?=\nDate: Thu, 29 Apr 2021 12:00:00 +0900\nMIME-Version: 1.0\n"
               b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
               b"--B\nContent-Type: text/plain\n\nThe mail system\n\n--B\n"
               b"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
               b"Final-Recipient: rfc822; tora@example.com\nAction: failed\nStatus: 5.1.1\n"
               b"Diagnostic-Code: smtp; 550 5.1.1 \"quoted\" back\\slash \x01\x1f \xff\xfe tab\there\n\n--B--\n")
    got = post(b"/v1/messages?store=1", hostile, wtok)
    check("a hostile bounce stored", status(got) == 200, repr(got[:200]))
    got = get(b"/v1/addresses/tora@example.com", tok)
    body = got.partition(b"\r\n\r\n")[2]
    try:
        js = json.loads(body)
    except ValueError as e:
        js = {"bad": repr(e)}
    check("the address response is JSON", "events" in js and len(js["events"]) == 1, repr(body[:300]))
    check("no raw control bytes in it", not re.search(rb"[\x00-\x1f]", body.rstrip(b"\n")), repr(body[:300]))
    got = get(b"/v1/events?address=tora%40example.com", tok)
    ev = json.loads(got.partition(b"\r\n\r\n")[2] or b"{}").get("events")
    check("the same events as /v1/events", ev == js.get("events"), "%r\n%r" % (ev, js.get("events")))
    for k in ("address", "known", "verdict", "basis", "reason", "status", "since", "until",
              "first", "last", "counts", "cause", "events"):
        check("the address response has %s" % k, k in js, str(js)[:200])

    # bad UTF-8
    got = get(b"/v1/addresses/%ff%fe@example.com", tok)
    check("bad UTF-8 in the path (escaped): 400", status(got) == 400 and b"bad_path" in got, repr(got[:200]))
    got = get(b"/v1/addresses/\xff\xfe@example.com", tok)
    check("bad UTF-8 in the path (raw): 400", status(got) == 400, repr(got[:200]))
    got = get(b"/v1/addresses/%c0%80@example.com", tok)
    check("overlong UTF-8 in the path: 400", status(got) == 400, repr(got[:200]))
    got = get(b"/v1/addresses/%ed%a0%80@example.com", tok)
    check("a UTF-8 surrogate in the path: 400", status(got) == 400, repr(got[:200]))
    got = get(b"/v1/addresses/%e2%9c%89@example.jp", tok)
    check("good UTF-8 in the path: 200", status(got) == 200, repr(got[:200]))
    got = post(b"/v1/check", b'{"addresses": ["\xff@example.com"]}', tok)
    check("bad UTF-8 in a JSON body: 400", status(got) == 400 and b"bad_json" in got, repr(got[:200]))
    got = post(b"/v1/check", b'{"addresses": ["\\ud800@example.com"]}', tok)
    check("a lone surrogate escape in JSON: 400", status(got) == 400, repr(got[:200]))

    # bad JSON
    for name, body in (("truncated", b'{"addresses": ['), ("empty", b""),
                       ("nested 100000 deep", b"[" * 100000 + b"]" * 100000),
                       ("a NUL", b'{"addresses": ["a\x00@example.com"]}'),
                       ("an escaped NUL", b'{"addresses": ["a\\u0000@example.com"]}'),
                       ("duplicate keys", b'{"addresses": ["a@example.com"], "addresses": []}'),
                       ("a huge number", b'{"addresses": [' + b"9" * 5000 + b"]}"),
                       ("trailing garbage", b'{"addresses": ["a@example.com"]} x')):
        got = post(b"/v1/check", body, tok)
        check("bad JSON (%s): 400" % name, status(got) == 400, repr(got[:200]))
    alive("bad JSON")

    # percent-encoding and traversal
    for path in (b"/v1/addresses/a%4@example.com", b"/v1/addresses/a%@example.com",
                 b"/v1/addresses/a%zz@example.com", b"/v1/addresses/a%00@example.com",
                 b"/v1/messages?store=%zz", b"/v1/messages?store=%ff"):
        got = get(path, tok) if b"messages" not in path else post(path, b"x", tok)
        check("bad percent-encoding %r: 400" % path, status(got) == 400, repr(got[:200]))
    for path in (b"/v1/../healthz", b"/v1/addresses/..", b"/v1/addresses/%2e%2e",
                 b"/v1/addresses/%2E%2e/x", b"/./healthz", b"/v1/addresses/a\\b@example.com",
                 b"/v1/addresses/%5c..%5c@example.com", b"/v1/addresses/../../etc/passwd"):
        got = get(path, tok)
        check("traversal %r: 400" % path, status(got) == 400, repr(got[:200]))
    got = get(b"//v1//addresses//a@example.com", tok)
    check("doubled slashes: 404", status(got) == 404, repr(got[:200]))

    # garbage
    for name, data in (("a request line without a version", b"GET /healthz\r\n\r\n"),
                       ("binary garbage", bytes(range(256)) * 4 + b"\r\n\r\n"),
                       ("HTTP/1.1 without Host", b"GET /healthz HTTP/1.1\r\n\r\n"),
                       ("a header line without a colon", b"GET /healthz HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n"),
                       ("an unknown version", b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n"),
                       ("a bad Content-Length", b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"),
                       ("a bad chunk size", b"POST /v1/check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")):
        got = raw(data, timeout=8, close_write=True)
        st = status(got)
        check("%s: 4xx/5xx or closed, no crash" % name, got == b"" or (st is not None and st >= 400),
              repr(got[:120]))
    got = get(b"/v1/addresses/a@example.com", None, b"Authorization: Bearer " + b"\xff" * 300 + b"\r\n")
    check("a binary token: 401", status(got) == 401, repr(got[:120]))
    got = get(b"/v1/addresses/a@example.com", None, b"Authorization: Bearer\r\n")
    check("an empty token: 401", status(got) == 401, repr(got[:120]))
    alive("garbage")

    # slowloris: one byte a second; the others are served meanwhile, and it
    # is cut off by --timeout 3 (MHD's own timeout counts idle time only)
    def slow(data, out):
        s = conn(30)
        t0 = time.time()
        try:
            for b in data:
                s.sendall(bytes([b]))
                time.sleep(1)
            out["got"] = s.recv(4096)
        except (OSError, socket.timeout) as e:
            out["err"] = repr(e)
        out["t"] = time.time() - t0
        s.close()
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40 + b"\r\n\r\n"
    body = b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n"
    res1, res2 = {}, {}
    t1 = threading.Thread(target=slow, args=(head, res1))
    # the slow body: headers at once, then a byte a second
    def slow_body(out):
        s = conn(30)
        t0 = time.time()
        try:
            s.sendall(body)
            for _ in range(40):
                s.sendall(b"x")
                time.sleep(1)
            out["got"] = s.recv(4096)
        except (OSError, socket.timeout) as e:
            out["err"] = repr(e)
        out["t"] = time.time() - t0
        s.close()
    t2 = threading.Thread(target=slow_body, args=(res2,))
    t1.start()
    t2.start()
    lat = []
    for _ in range(10):
        t0 = time.time()
        st = status(get(b"/healthz"))
        lat.append((st, time.time() - t0))
        time.sleep(0.2)
    check("others are served during a slow client", all(st == 200 and d < 1 for st, d in lat), str(lat))
    t1.join(40)
    t2.join(40)
    check("a byte a second in the headers: cut off by the timeout",
          res1.get("t", 99) < 8 and not res1.get("got"), str(res1))
    check("a byte a second in the body: cut off by the timeout",
          res2.get("t", 99) < 8 and not (res2.get("got") or b"").startswith(b"HTTP/1.1 200"), str(res2))
    alive("slow clients")

    # more connections than --max-connections 16: the server takes 16,
    # the others wait in the kernel's queue unanswered; once those go,
    # the server answers again
    held = []
    for _ in range(40):
        try:
            held.append(conn(5))
        except OSError:
            pass
    time.sleep(0.5)
    for s in held:
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        except OSError:
            pass
    answered = 0
    for s in held:
        s.settimeout(0.1)
        try:
            if s.recv(20).startswith(b"HTTP/1.1 200"):
                answered += 1
        except OSError:
            pass
    check("over --max-connections: 16 served at once", answered == 16, "%d answered" % answered)
    for s in held:
        s.close()
    time.sleep(0.5)
    alive("connection limit")

    log.seek(0)
    text = log.read()
    check("the slow clients were logged", "not received within the timeout" in text, text[-500:])
    p.send_signal(signal.SIGTERM)
    check("stops on SIGTERM (no crash)", p.wait(10) == 0)

    # IPv6 on ::1 and a unix socket
    has6 = False
    try:
        s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s6.bind(("::1", 0))
        s6.close()
        has6 = True
    except OSError:
        pass
    if has6:
        p, where, log = start("[::1]:0")
        m = re.fullmatch(r"\[::1\]:(\d+)", where)
        check("IPv6: listening on [::1]:PORT", m is not None, where)
        if m:
            s = socket.create_connection(("::1", int(m.group(1))), timeout=10)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            got = b""
            while True:
                b = s.recv(4096)
                if not b:
                    break
                got += b
            s.close()
            check("IPv6: healthz", status(got) == 200 and b'"ok"' in got, repr(got[:120]))
        p.send_signal(signal.SIGTERM)
        check("IPv6: stops", p.wait(10) == 0)
    else:
        print("serve-abuse: skipped the IPv6 checks: this machine has no ::1")
    path = os.path.join(tmp, "api.sock")
    p, where, log = start("unix:" + path)
    check("unix: listening", where == "unix:" + path, where)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    s.sendall(b"GET /v1/addresses/a@example.com HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
              b"Authorization: Bearer " + tok.encode() + b"\r\n\r\n")
    got = b""
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
    s.close()
    check("unix: an address", status(got) == 200 and b'"verdict":"ok"' in got, repr(got[:200]))
    r = run("serve", "--db", db, "--listen", "unix:" + path)
    check("unix: a socket in use is refused", r.returncode != 0 and "in use" in r.stderr, r.stderr)
    p.send_signal(signal.SIGTERM)
    check("unix: stops", p.wait(10) == 0)
    check("unix: the socket is removed", not os.path.exists(path))
finally:
    stop_all()
print("abuse: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
