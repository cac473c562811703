#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# serve.sh - the HTTP API (bouncekit serve, docs/api.md) end to end: a
# server on a free loopback port (port 0, the port read from its log) over
# a throwaway SQLite store, driven with python3's http.client; stopped at
# the end whatever happens.
# usage: tests/serve.sh [BUILD_DIR]
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
exec python3 - "${BK_BIN:-$build/bouncekit}" <<'PY'
import http.client, json, os, re, signal, socket, subprocess, sys, tempfile, time

bin_ = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="bk-serve.")
db = os.path.join(tmp, "t.db")
passed = failed = 0
procs = []

def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL serve: %s %s" % (name, detail))

def run(*args):
    return subprocess.run([bin_] + list(args), capture_output=True, text=True)

def start(*extra):
    log = open(os.path.join(tmp, "log%d" % len(procs)), "w+")
    p = subprocess.Popen([bin_, "serve", "--listen", "127.0.0.1:0", "--db", db] + list(extra),
                         stderr=log, stdout=subprocess.DEVNULL)
    procs.append(p)
    for _ in range(100):
        log.seek(0)
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read())
        if m:
            return p, int(m.group(1)), log
        if p.poll() is not None:
            break
        time.sleep(0.05)
    log.seek(0)
    raise SystemExit("serve: the server did not start: " + log.read())

def stop_all():
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    subprocess.run(["rm", "-rf", tmp])

def req(port, method, path, body=None, token=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    c.putrequest(method, path, skip_accept_encoding=True)
    for k, v in h.items():
        c.putheader(k, v)
    if body is not None:
        c.putheader("Content-Length", str(len(body)))
    c.endheaders(body)
    r = c.getresponse()
    data = r.read()
    c.close()
    try:
        js = json.loads(data) if data else None
    except ValueError:
        js = None
    return r.status, js, r, data

BOUNCE = b"""From: MAILER-DAEMON@mx.example.org
To: sender@example.jp
Subject: Undelivered Mail Returned to Sender
Date: Thu, 29 Apr 2021 12:00:00 +0900
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; neko@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <neko@example.com>: user unknown "</script>\\u0000 \x01

--B--
"""

try:
    r = run("db", "init", "--db", db)
    check("db init", r.returncode == 0, r.stderr)
    r = run("token", "add", "reader", "--db", db)
    rtok = r.stdout.strip()
    check("token add read", r.returncode == 0 and re.fullmatch(r"bk_[0-9a-f]{40}", rtok), r.stdout + r.stderr)
    r = run("token", "add", "writer", "--scope", "write", "--db", db)
    wtok = r.stdout.strip()
    check("token add write", r.returncode == 0 and len(wtok) == 43 and wtok != rtok)
    r = run("token", "add", "writer", "--db", db)
    check("token add: a name twice is refused", r.returncode != 0 and "exists" in r.stderr, r.stderr)
    r = run("token", "add", "x", "--scope", "admin", "--db", db)
    check("token add: bad scope", r.returncode == 2, r.stderr)
    r = run("token", "add", "bad/name", "--db", db)
    check("token add: bad name", r.returncode != 0, r.stderr)
    r = run("token", "add", "temp", "--db", db)
    ttok = r.stdout.strip()
    r = run("token", "list", "--db", db)
    check("token list", r.returncode == 0 and re.search(r"^reader\tread\t", r.stdout, re.M)
          and re.search(r"^writer\twrite\t", r.stdout, re.M) and rtok not in r.stdout, r.stdout)
    with open(db, "rb") as f:
        check("tokens are stored hashed", rtok.encode() not in f.read())
    r = run("serve", "--listen", "nonsense", "--db", db)
    check("serve: bad --listen", r.returncode != 0 and "--listen" in r.stderr, r.stderr)
    r = run("serve", "--help")
    check("serve --help", r.returncode == 0 and "--listen" in r.stdout and "--max-body" in r.stdout)
    r = run("token", "--help")
    check("token --help", r.returncode == 0 and "revoke" in r.stdout)
    r = run("token", "frob", "--db", db)
    check("token: unknown subcommand 2", r.returncode == 2, r.stderr)
    r = run("serve", "--db", os.path.join(tmp, "none.db"), "--listen", "127.0.0.1:0")
    check("serve: a store not initialised is refused", r.returncode == 3 and "db" in r.stderr, r.stderr)
    r = run("serve", "--threads", "0", "--db", db)
    check("serve: bad --threads", r.returncode == 2, r.stderr)

    p, port, log = start("--max-body", "65536", "--timeout", "2", "--threads", "2")

    st, js, _, _ = req(port, "GET", "/healthz")
    check("healthz", st == 200 and js == {"status": "ok"}, str((st, js)))
    st, js, resp, _ = req(port, "GET", "/v1/addresses/neko@example.com")
    check("no token: 401", st == 401 and js["error"] == "unauthorized"
          and resp.getheader("WWW-Authenticate", "").startswith("Bearer"), str((st, js)))
    st, js, resp, _ = req(port, "GET", "/v1/addresses/neko@example.com", token="bk_" + "0" * 40)
    check("bad token: 401", st == 401 and "invalid_token" in resp.getheader("WWW-Authenticate", ""))
    st, js, _, _ = req(port, "GET", "/v1/addresses/neko@example.com",
                       headers={"Authorization": "Basic " + rtok})
    check("not Bearer: 401", st == 401)
    st, js, _, _ = req(port, "GET", "/v1/addresses/neko@example.com", token=rtok)
    check("read token: unknown address", st == 200 and js["known"] is False and js["verdict"] == "ok"
          and js["events"] == [], str((st, js)))

    st, js, _, raw = req(port, "POST", "/v1/messages", BOUNCE, token=rtok)
    check("messages: decoded, not stored", st == 200 and isinstance(js, list) and len(js) == 1
          and js[0]["reason"] == "userunknown" and js[0]["recipient"] == "neko@example.com", str((st, raw[:300])))
    check("messages: hostile strings escaped", st == 200 and b"\x01" not in raw and
          js and "</script>" in js[0]["diagnosticcode"], repr(raw[:400]))
    st, js, _, _ = req(port, "POST", "/v1/messages?store=1", BOUNCE, token=rtok)
    check("read token, store=1: 403", st == 403 and js["error"] == "forbidden", str((st, js)))
    st, js, _, _ = req(port, "POST", "/v1/messages?store=2", BOUNCE, token=wtok)
    check("store=2: 400", st == 400, str((st, js)))
    st, js, resp, _ = req(port, "POST", "/v1/messages?store=1", BOUNCE, token=wtok)
    check("write token, store=1", st == 200 and resp.getheader("X-Bouncekit-Stored") == "1 new, 0 duplicate",
          str((st, resp.getheader("X-Bouncekit-Stored"))))
    st, js, resp, _ = req(port, "POST", "/v1/messages?store=1", BOUNCE, token=wtok)
    check("store=1 again: a duplicate", st == 200 and resp.getheader("X-Bouncekit-Stored") == "0 new, 1 duplicate")
    st, js, _, _ = req(port, "POST", "/v1/messages", b"not a bounce at all\n", token=rtok)
    check("messages: not a bounce gives []", st == 200 and js == [], str((st, js)))
    st, js, _, _ = req(port, "POST", "/v1/messages", b"", token=rtok)
    check("messages: empty body 400", st == 400, str((st, js)))

    st, js, _, _ = req(port, "GET", "/v1/addresses/NEKO@Example%2Ecom", token=rtok)
    check("stored message shows in /v1/addresses", st == 200 and js["known"] and js["verdict"] == "suppressed"
          and js["basis"] == "hard" and js["counts"]["hard"] == 1 and len(js["events"]) == 1
          and js["events"][0]["channel"] == "api" and js["events"][0]["key"] == js["cause"], str((st, js)))
    r = run("query", "--db", db, "neko@example.com")
    check("the CLI sees the API's event", r.returncode == 0 and "suppressed" in r.stdout, r.stdout + r.stderr)

    body = json.dumps({"addresses": ["NEKO@example.com", "ok@example.com", "nope"]}).encode()
    st, js, _, _ = req(port, "POST", "/v1/check", body, token=rtok)
    res = js["results"] if st == 200 else []
    check("check", st == 200 and len(res) == 3 and res[0]["verdict"] == "suppressed"
          and res[1]["verdict"] == "ok" and res[1]["known"] is False and "error" in res[2], str((st, js)))
    st, js, _, _ = req(port, "POST", "/v1/check", b'{"addresses": [', token=rtok)
    check("check: bad JSON 400", st == 400 and js["error"] == "bad_json", str((st, js)))
    st, js, _, _ = req(port, "POST", "/v1/check", b'{"addresses": "a@example.com"}', token=rtok)
    check("check: not a list 400", st == 400, str((st, js)))
    st, js, _, _ = req(port, "POST", "/v1/check", b'{"addresses": [1]}', token=rtok)
    check("check: not a string 400", st == 400, str((st, js)))
    many = json.dumps({"addresses": ["a%d@example.com" % i for i in range(1001)]}).encode()
    st, js, _, _ = req(port, "POST", "/v1/check", many, token=rtok)
    check("check: over 1000 addresses 413", st == 413, str((st, js)))

    st, js, _, _ = req(port, "GET", "/v1/addresses/%zz@example.com", token=rtok)
    check("bad percent-encoding 400", st == 400 and js["error"] == "bad_path", str((st, js)))
    st, js, _, _ = req(port, "GET", "/v1/addresses/a%00@example.com", token=rtok)
    check("encoded NUL 400", st == 400, str((st, js)))
    st, js, _, _ = req(port, "GET", "/v1/addresses/../../etc/passwd", token=rtok)
    check("path traversal 400", st == 400 and js["error"] == "bad_path", str((st, js)))
    st, js, _, _ = req(port, "GET", "/v1/addresses/%2e%2e", token=rtok)
    check("encoded traversal 400", st == 400, str((st, js)))
    st, js, _, _ = req(port, "GET", "/v1/addresses/not-an-address", token=rtok)
    check("not an address 400", st == 400 and js["error"] == "bad_address", str((st, js)))
    st, js, _, _ = req(port, "GET", "/v2/nothing", token=rtok)
    check("unknown path 404", st == 404 and js["error"] == "not_found", str((st, js)))
    st, js, resp, _ = req(port, "GET", "/")
    check("root: the dashboard (tests/browser.py)", st == 200 and
          resp.getheader("Content-Type", "").startswith("text/html"))
    st, js, resp, _ = req(port, "DELETE", "/v1/addresses/a@example.com", token=wtok)
    check("wrong method 405", st == 405 and resp.getheader("Allow") == "GET", str((st, js)))
    st, js, resp, _ = req(port, "GET", "/v1/check", token=rtok)
    check("GET /v1/check 405", st == 405 and resp.getheader("Allow") == "POST")
    st, js, _, _ = req(port, "POST", "/v1/messages", b"x" * 70000, token=rtok)
    check("oversized body 413", st == 413 and js["error"] == "too_large", str((st, js)))

    # a chunked body (no Content-Length) over the limit
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    got = b""
    try:
        s.sendall(("POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n" % rtok).encode())
        for _ in range(3):
            s.sendall(b"9c40\r\n" + b"y" * 40000 + b"\r\n")
        s.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    try:
        while True:
            b = s.recv(4096)
            if not b:
                break
            got += b
    except OSError:
        pass
    s.close()
    check("oversized chunked body 413", got.startswith(b"HTTP/1.1 413"), repr(got[:100]))

    # a slow client is dropped after --timeout
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    s.settimeout(8)
    t0 = time.time()
    try:
        got = s.recv(100)
    except socket.timeout:
        got = b"timeout"
    check("slow client dropped", got == b"" and time.time() - t0 < 7, repr(got))
    s.close()

    # concurrent requests over the pool of store handles (--threads 2):
    # reads and stores of distinct bounces at once, all answered
    import threading
    codes = []
    def worker(k):
        for j in range(6):
            body = BOUNCE.replace(b"neko@example.com", b"c%d-%d@example.com" % (k, j))
            st1, _, _, _ = req(port, "POST", "/v1/messages?store=1", body, token=wtok)
            st2, js2, _, _ = req(port, "GET", "/v1/addresses/c%d-%d@example.com" % (k, j), token=rtok)
            codes.append((st1, st2, js2 and js2.get("verdict")))
    ts = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    check("concurrent stores and reads", len(codes) == 36 and all(c == (200, 200, "suppressed") for c in codes),
          str([c for c in codes if c != (200, 200, "suppressed")][:5]))

    sts = []
    for _ in range(8):   # each worker thread caches it
        sts.append(req(port, "GET", "/v1/addresses/a@example.com", token=ttok)[0])
        sts.append(req(port, "POST", "/v1/check", b'{"addresses":["a@example.com"]}', token=ttok)[0])
    check("token before revoke: 200", sts == [200] * 16, str(sts))
    r = run("token", "revoke", "temp", "--db", db)
    check("token revoke", r.returncode == 0, r.stderr)
    # valid tokens are cached per worker thread, but on SQLite only until
    # the next commit to the store: the revoke is seen by the next request
    codes = [req(port, "GET", "/v1/addresses/a@example.com", token=ttok)[0] for _ in range(8)]
    check("revoked token: 401 at once (GET)", codes == [401] * 8, str(codes))
    codes = [req(port, "POST", "/v1/check", b'{"addresses":["a@example.com"]}', token=ttok)[0]
             for _ in range(4)]
    check("revoked token: 401 at once (POST)", codes == [401] * 4, str(codes))
    st, _, _, _ = req(port, "GET", "/v1/addresses/a@example.com", token=rtok)
    check("the other tokens still work", st == 200)
    # the allow-list, changed by another process while the server runs:
    # seen by the next request of every worker thread
    r = run("allow", "@allowed.example", "--reason", "test", "--db", db)
    check("allow a domain", r.returncode == 0, r.stderr)
    got = [req(port, "GET", "/v1/addresses/x%d@allowed.example" % k, token=rtok) for k in range(6)]
    check("allowed at once", all(g[0] == 200 and g[1]["verdict"] == "ok" and g[1]["basis"] == "allowed"
                                 for g in got), str([g[1] for g in got][:2]))
    r = run("token", "revoke", "temp", "--db", db)
    check("revoke unknown: exit 1", r.returncode == 1, r.stderr)

    # a read call's snapshot is kept for the thread's next call (1 ms at
    # most), but a write answered by the server is seen by every call that
    # starts after it: reads on six kept-alive connections (spread over the
    # worker threads) around a write on another, back to back
    def keep(method, conn, path, body=None, token=rtok):
        h = {"Authorization": "Bearer " + token}
        if body is not None:
            h["Content-Length"] = str(len(body))
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        return r.status, json.loads(data) if data else None
    cr = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(6)]
    cw = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    seen = []
    for k in range(300):
        a = "/v1/addresses/ryw%d@example.com" % k
        c = cr[k % len(cr)]
        keep("GET", c, a)
        st, _ = keep("PUT", cw, "/v1/suppressions/ryw%d@example.com" % k,
                     b'{"reason":"read your writes"}', token=wtok)
        seen.append((st, keep("GET", c, a)[1]["verdict"]))
    for c in cr + [cw]:
        c.close()
    check("a write is seen at once by every worker's next read",
          all(x == (200, "suppressed") for x in seen),
          str([x for x in seen if x != (200, "suppressed")][:3]))
    # and a worker gone idle does not keep its snapshot: the WAL can be
    # checkpointed to its start (TRUNCATE fails while any reader holds one)
    import sqlite3
    req(port, "GET", "/v1/addresses/a@example.com", token=rtok)
    time.sleep(0.5)
    con = sqlite3.connect(db)
    busy = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    con.close()
    check("an idle worker's snapshot is ended", busy[0] == 0, str(busy))

    time.sleep(0.2)
    log.seek(0)
    text = log.read()
    check("log: one line per request", re.search(r"^bouncekit: serve: GET /healthz 200 \d+ \d+us$", text, re.M)
          and re.search(r"^bouncekit: serve: POST /v1/messages 413 ", text, re.M), text[-500:])
    check("log: no query string", "store=1" not in text)
    p.send_signal(signal.SIGTERM)
    check("stops on SIGTERM", p.wait(10) == 0)
finally:
    stop_all()
print("serve: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
