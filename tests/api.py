# SPDX-License-Identifier: BSD-2-Clause
# api.py - run by tests/api.sh (see there).
import hashlib, http.client, json, os, re, signal, subprocess, sys, tempfile, time
import urllib.parse

bin_ = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="bk-api.")
db = os.environ.get("BK_API_DB") or os.path.join(tmp, "t.db")
kind = "sqlite" if not os.environ.get("BK_API_DB") else db.split(":")[0]
passed = failed = 0
procs = []

def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL api (%s): %s %s" % (kind, name, str(detail)[:600]))

def run(*args, stdin=None):
    return subprocess.run([bin_] + list(args), capture_output=True, text=True, input=stdin)

def start(*extra):
    log = open(os.path.join(tmp, "log%d" % len(procs)), "w+")
    p = subprocess.Popen([bin_, "serve", "--listen", "127.0.0.1:0", "--db", db] + list(extra),
                         stderr=log, stdout=subprocess.DEVNULL)
    procs.append(p)
    for _ in range(200):
        log.seek(0)
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read())
        if m:
            return p, int(m.group(1)), log
        if p.poll() is not None:
            break
        time.sleep(0.05)
    log.seek(0)
    raise SystemExit("api: the server did not start: " + log.read())

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
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    if isinstance(body, str):
        body = body.encode()
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

def q(path, **args):
    return path + ("?" + urllib.parse.urlencode(args) if args else "")

DAY = 86400
T0 = 1767225600          # 2026-01-01T00:00:00Z

def record(n, rcpt, reason, ts, status, hard, **kw):
    r = {"action": "failed", "addresser": "sender@example.com", "alias": "", "catch": None,
         "command": "RCPT", "decodedby": "Postfix", "deliverystatus": status,
         "destination": rcpt.split("@")[1], "diagnosticcode": "550 test %d" % n,
         "diagnostictype": "SMTP", "feedbackid": "", "feedbacktype": "", "hardbounce": hard,
         "lhost": "mx.example.com", "listid": "", "messageid": "m%d@example.com" % n,
         "origin": "api-test", "reason": reason, "recipient": rcpt, "replycode": "550",
         "rhost": "mx." + rcpt.split("@")[1], "senderdomain": "example.com",
         "subject": "test %d" % n, "timestamp": ts, "timestampsource": "arrival-date",
         "timezoneoffset": "+0000", "token": hashlib.sha1(b"t%d" % n).hexdigest()}
    r.update(kw)
    return r

RECS = []
for i in range(5):                       # hard, example.net, one a day
    RECS.append(record(len(RECS), "a%d@example.net" % i, "userunknown", T0 + i * DAY + 3600, "5.1.1", True))
for i in range(3):                       # soft, example.org
    RECS.append(record(len(RECS), "b%d@example.org" % i, "mailboxfull", T0 + i * DAY + 7200, "4.2.2", False,
                       replycode="452"))
RECS.append(record(len(RECS), "c0@example.jp", "feedback", T0 + 2 * DAY, "", False,
                   feedbacktype="abuse", action="", replycode="", command=""))
for i in range(2):                       # a0 again, soft
    RECS.append(record(len(RECS), "a0@example.net", "mailboxfull", T0 + (5 + i) * DAY, "4.2.2", False))

try:
    r = run("db", "init", "--db", db)
    check("db init", r.returncode == 0, r.stderr)
    rtok = run("token", "add", "reader", "--db", db).stdout.strip()
    wtok = run("token", "add", "writer", "--scope", "write", "--db", db).stdout.strip()
    check("tokens", len(rtok) == 43 and len(wtok) == 43)
    r = run("ingest", "--records", "-", "--channel", "log", "--db", db,
            stdin="\n".join(json.dumps(x) for x in RECS) + "\n")
    check("ingest records", r.returncode == 0, r.stderr)

    p, port, log = start("--threads", "2")

    # ---- /v1/stats ----
    st, js, _, _ = req(port, "GET", q("/v1/stats", by="reason"))
    check("stats: no token 401", st == 401, (st, js))
    st, js, _, _ = req(port, "GET", q("/v1/stats", by="reason"), token=rtok)
    rows = {x["key"]: x for x in js["rows"]} if st == 200 else {}
    check("stats by reason", st == 200 and js["by"] == "reason" and
          rows.get("userunknown", {}).get("events") == 5 and rows["userunknown"]["hard"] == 5 and
          rows["userunknown"]["addresses"] == 5 and rows.get("mailboxfull", {}).get("events") == 5 and
          rows["mailboxfull"]["soft"] == 5 and rows["mailboxfull"]["addresses"] == 4 and
          rows.get("feedback", {}).get("complaint") == 1 and js["since"] is None, (st, js))
    r = run("stats", "--by", "reason", "--format", "json", "--db", db)
    check("stats: the CLI agrees", r.returncode == 0 and "userunknown" in r.stdout, r.stdout + r.stderr)
    st, js, _, _ = req(port, "GET", q("/v1/stats", by="day", since="2026-01-02", until=str(T0 + 4 * DAY)), token=rtok)
    keys = [x["key"] for x in js["rows"]] if st == 200 else []
    check("stats by day, since/until", st == 200 and keys == ["2026-01-02", "2026-01-03", "2026-01-04"]
          and js["since"] == T0 + DAY and js["until"] == T0 + 4 * DAY, (st, js))
    st, js, _, _ = req(port, "GET", q("/v1/stats", by="destination"), token=rtok)
    rows = {x["key"]: x["events"] for x in js["rows"]} if st == 200 else {}
    check("stats by destination", rows == {"example.net": 7, "example.org": 3, "example.jp": 1}, (st, js))
    for by in ("senderdomain", "provider", "hour"):
        st, js, _, _ = req(port, "GET", q("/v1/stats", by=by), token=rtok)
        check("stats by " + by, st == 200 and sum(x["events"] for x in js["rows"]) == len(RECS), (st, js))
    st, js, _, _ = req(port, "GET", q("/v1/stats", by="weekday"), token=rtok)
    check("stats: bad by 400", st == 400 and js["error"] == "bad_request", (st, js))
    st, js, _, _ = req(port, "GET", "/v1/stats", token=rtok)
    check("stats: by missing 400", st == 400, (st, js))
    st, js, _, _ = req(port, "GET", q("/v1/stats", by="reason", since="yesterday"), token=rtok)
    check("stats: bad since 400", st == 400 and "since" in js["message"], (st, js))
    st, js, r_, _ = req(port, "POST", q("/v1/stats", by="reason"), b"", token=rtok)
    check("stats: POST 405", st == 405 and r_.getheader("Allow") == "GET", (st, js))

    # ---- /v1/events ----
    st, js, _, _ = req(port, "GET", "/v1/events", token=rtok)
    evs = js["events"] if st == 200 else []
    ids = [e["id"] for e in evs]
    check("events: all, newest first", st == 200 and len(evs) == len(RECS) and ids == sorted(ids, reverse=True)
          and js["next"] is None, (st, js))
    check("events: fields", evs and {"id", "key", "channel", "timestamp", "recipient", "reason", "class",
                                      "diagnosticcode", "destination"} <= set(evs[0]), evs[:1])
    seen, cur, pages = [], None, 0
    while pages < 10:
        args = {"limit": "4"}
        if cur:
            args["cursor"] = cur
        st, js, _, _ = req(port, "GET", q("/v1/events", **args), token=rtok)
        if st != 200:
            break
        pages += 1
        seen += [e["id"] for e in js["events"]]
        cur = js["next"]
        if not cur:
            break
    check("events: cursor paging", pages == 3 and seen == ids, (pages, seen, ids))
    def evq(**args):
        st, js, _, _ = req(port, "GET", q("/v1/events", **args), token=rtok)
        return st, js, ([e["recipient"] for e in js["events"]] if st == 200 else None)
    st, js, rc = evq(address="A0@Example.NET")
    check("events: address", rc == ["a0@example.net"] * 3, (st, js))
    st, js, rc = evq(domain="example.org")
    check("events: domain", sorted(rc or []) == ["b0@example.org", "b1@example.org", "b2@example.org"], (st, js))
    st, js, rc = evq(reason="mailboxfull")
    check("events: reason", rc is not None and len(rc) == 5, (st, js))
    st, js, rc = evq(**{"class": "hard"})
    check("events: class hard", rc is not None and len(rc) == 5 and
          all(e["class"] == "hard" for e in js["events"]), (st, js))
    st, js, rc = evq(**{"class": "complaint"})
    check("events: class complaint", rc == ["c0@example.jp"], (st, js))
    # class is filtered after the query: paging must still be exact
    seen, cur = [], None
    for _ in range(10):
        args = {"class": "soft", "limit": "2"}
        if cur:
            args["cursor"] = cur
        st, js, rc = evq(**args)
        if st != 200:
            break
        seen += rc
        cur = js["next"]
        if not cur:
            break
    check("events: class soft, paged", len(seen) == 5 and len(set(seen)) == 4, seen)
    st, js, rc = evq(channel="log", since=str(T0 + 5 * DAY))
    check("events: channel and since", rc == ["a0@example.net"] * 2, (st, js))
    st, js, rc = evq(until="2026-01-02")
    check("events: until", rc is not None and sorted(rc) == ["a0@example.net", "b0@example.org"], (st, js))
    st, js, rc = evq(channel="api")
    check("events: another channel, none", rc == [] and js["next"] is None, (st, js))

    # ---- /v1/addresses/{address}: the events oldest first (docs/api.md),
    # each as /v1/events gives it ----
    st, js, _, _ = req(port, "GET", "/v1/addresses/A0%40example.net", token=rtok)
    ts = [e["timestamp"] for e in js.get("events", [])] if st == 200 else []
    check("address: three events, oldest first", ts == [T0 + 3600, T0 + 5 * DAY, T0 + 6 * DAY]
          and js["counts"]["hard"] == 1 and js["counts"]["soft"] == 2 and js["verdict"] == "suppressed", (st, js))
    st2, js2, _, _ = req(port, "GET", q("/v1/events", address="a0@example.net"), token=rtok)
    check("address: the same events as /v1/events, in the other order",
          st2 == 200 and js2["events"][::-1] == js.get("events"), (js2, js))
    st, js, _, _ = req(port, "GET", "/v1/addresses/nobody%40example.net", token=rtok)
    check("address: unknown", st == 200 and js["known"] is False and js["verdict"] == "ok"
          and js["events"] == [] and js["since"] is None, (st, js))
    for bad in ({"limit": "0"}, {"limit": "1001"}, {"limit": "x"}, {"class": "fatal"},
                {"cursor": "nonsense!"}, {"cursor": "ZXY"}, {"address": "nope"}, {"until": "2026-13-45"}):
        st, js, rc = evq(**bad)
        check("events: bad %s 400" % bad, st == 400 and js and js.get("error"), (st, js))
    st, js, _, _ = req(port, "GET", "/v1/events")
    check("events: no token 401", st == 401, (st, js))

    # ---- /v1/suppressions: listing ----
    def sq(**args):
        st, js, _, raw = req(port, "GET", q("/v1/suppressions", **args), token=rtok)
        return st, js, ([x["address"] for x in js["suppressions"]] if st == 200 and js else None)
    st, js, al = sq()
    hard = ["a%d@example.net" % i for i in range(5)]
    check("suppressions: all, by address", st == 200 and al == ["a0@example.net", "a1@example.net",
          "a2@example.net", "a3@example.net", "a4@example.net", "c0@example.jp"] and js["next"] is None, (st, js))
    check("suppressions: fields", st == 200 and {"address", "scope", "verdict", "basis", "since", "until", "reason",
          "status", "cause"} <= set(js["suppressions"][0]), js)
    st, js, al = sq(**{"class": "hard"})
    check("suppressions: class hard", al == hard, (st, js))
    st, js, al = sq(**{"class": "complaint"})
    check("suppressions: class complaint", al == ["c0@example.jp"], (st, js))
    st, js, al = sq(domain="Example.NET", reason="userunknown")
    check("suppressions: domain, reason", al == [h for h in hard if h != "a0@example.net"] or al == hard, (st, js))
    st, js, al = sq(since=str(T0 + 3 * DAY))
    check("suppressions: since", al == ["a3@example.net", "a4@example.net"], (st, js))
    st, js, al = sq(until=str(T0 + DAY))
    check("suppressions: until", al == ["a0@example.net"], (st, js))
    seen, cur, pages = [], None, 0
    while pages < 10:
        args = {"limit": "2"}
        if cur:
            args["cursor"] = cur
        st, js, al = sq(**args)
        if st != 200:
            break
        pages += 1
        seen += al
        cur = js["next"]
        if not cur:
            break
    check("suppressions: cursor paging", pages == 3 and seen == hard + ["c0@example.jp"], (pages, seen))
    for bad in ({"class": "undefined"}, {"verdict": "ok"}, {"domain": "a%b"}, {"scope": "x y"},
                {"limit": "1001"}, {"cursor": "ZXYfMTEf"}, {"format": "xml"}, {"since": "soon"}):
        st, js, al = sq(**bad)
        check("suppressions: bad %s 400" % bad, st == 400, (st, js))
    st, js, _, _ = req(port, "GET", "/v1/suppressions")
    check("suppressions: no token 401", st == 401, (st, js))

    # ---- PUT and DELETE ----
    def put(addr, body, token=wtok, query=""):
        return req(port, "PUT", "/v1/suppressions/" + urllib.parse.quote(addr) + query,
                   json.dumps(body) if body is not None else None, token=token)
    def delete(addr, query="", token=wtok):
        return req(port, "DELETE", "/v1/suppressions/" + urllib.parse.quote(addr) + query, token=token)
    st, js, _, _ = put("m1@example.com", {"reason": "asked by the customer"}, token=rtok)
    check("PUT: read token 403", st == 403 and js["error"] == "forbidden", (st, js))
    st, js, _, _ = put("m1@example.com", {})
    check("PUT: no reason 400", st == 400, (st, js))
    st, js, _, _ = req(port, "PUT", "/v1/suppressions/m1@example.com", b"{nope", token=wtok)
    check("PUT: bad JSON 400", st == 400 and js["error"] == "bad_json", (st, js))
    st, js, _, _ = put("m1@example.com", {"reason": 5})
    check("PUT: reason not a string 400", st == 400, (st, js))
    st, js, _, _ = put("not-an-address", {"reason": "x"})
    check("PUT: not an address 400", st == 400 and js["error"] == "bad_address", (st, js))
    st, js, _, _ = put("M1@Example.com", {"reason": "asked by the customer"})
    check("PUT: suppressed by hand", st == 200 and js["address"] == "m1@example.com" and js["verdict"] == "suppressed"
          and js["basis"] == "manual" and js["scope"] == "", (st, js))
    st, js, _, _ = req(port, "GET", "/v1/addresses/m1@example.com", token=rtok)
    check("PUT: the verdict shows in /v1/addresses", st == 200 and js["verdict"] == "suppressed"
          and js["cause"].startswith("audit:"), (st, js))
    st, js, al = sq(**{"class": "manual"})
    check("suppressions: class manual", al == ["m1@example.com"], (st, js))
    st, js, _, _ = put("m2@example.com", {"reason": "only for example.com", "scope": "Example.COM"})
    check("PUT: with a scope", st == 200 and js["scope"] == "example.com", (st, js))
    st, js, al = sq(scope="example.com")
    check("suppressions: scope", al == ["m2@example.com"], (st, js))
    st, js, al = sq(scope="")
    check("suppressions: the global scope", al is not None and "m2@example.com" not in al and "m1@example.com" in al, (st, js))
    st, js, _, _ = put("m2@example.com", {"reason": "x", "scope": "bad scope"})
    check("PUT: bad scope 400", st == 400, (st, js))
    if kind == "sqlite":
        import sqlite3
        con = sqlite3.connect(db)
        rows = con.execute("SELECT who, action, scope, address, reason FROM audit ORDER BY id").fetchall()
        con.close()
        check("PUT: audited with the token's name and the reason",
              ("writer", "suppress", "", "m1@example.com", "asked by the customer") in rows, rows)
    st, js, _, _ = delete("m1@example.com")
    check("DELETE: no reason 400", st == 400, (st, js))
    st, js, _, _ = delete("m1@example.com", "?reason=customer+changed+mind", token=rtok)
    check("DELETE: read token 403", st == 403, (st, js))
    st, js, _, _ = delete("m1@example.com", "?reason=customer+changed+mind")
    check("DELETE: lifted", st == 200 and js["verdict"] == "ok", (st, js))
    st, js, _, _ = delete("m1@example.com", "?reason=again")
    check("DELETE: not suppressed 404", st == 404 and js["error"] == "not_suppressed", (st, js))
    st, js, _, _ = delete("c0@example.jp", "?reason=mistake")
    check("DELETE: a complaint without force 409", st == 409 and js["error"] == "complaint", (st, js))
    st, js, _, _ = delete("c0@example.jp", "?reason=mistake&force=maybe")
    check("DELETE: bad force 400", st == 400, (st, js))
    st, js, _, _ = delete("c0@example.jp", "?reason=mistake&force=true")
    check("DELETE: a complaint with force", st == 200 and js["verdict"] == "ok", (st, js))
    st, js, _, _ = delete("m2@example.com", "?reason=done&scope=example.com")
    check("DELETE: in a scope", st == 200 and js["verdict"] == "ok" and js["scope"] == "example.com", (st, js))
    if kind == "sqlite":
        con = sqlite3.connect(db)
        rows = con.execute("SELECT who, action, address, reason FROM audit ORDER BY id").fetchall()
        con.close()
        check("DELETE: audited", ("writer", "unsuppress", "m1@example.com", "customer changed mind") in rows
              and ("writer", "unsuppress-force", "c0@example.jp", "mistake") in rows, rows)
    st, js, r_, _ = req(port, "POST", "/v1/suppressions/a@example.com", b"{}", token=wtok)
    check("POST on an address 405", st == 405 and r_.getheader("Allow") == "PUT, DELETE", (st, r_.getheader("Allow")))

    # ---- import ----
    body = ("address,comment\n"
            "i1@example.com,from the old system\n"
            "\n"
            "not-an-address,x\n"
            "\"i2@example.com\",\"with, a comma\"\n"
            "\"i3@example.com,open quote\n"
            "I4@EXAMPLE.COM\r\n")
    st, js, _, _ = req(port, "POST", "/v1/suppressions/import", body, token=rtok,
                       headers={"Content-Type": "text/csv"})
    check("import: read token 403", st == 403, (st, js))
    st, js, _, _ = req(port, "POST", "/v1/suppressions/import", body, token=wtok,
                       headers={"Content-Type": "text/csv"})
    check("import: CSV, bad lines by number", st == 200 and js["applied"] == 3 and js["failed"] == 2 and
          js["lines"] == 5 and [e["line"] for e in js["errors"]] == [4, 6], (st, js))
    st, js, al = sq(**{"class": "manual"})
    check("import: applied", al == ["i1@example.com", "i2@example.com", "i4@example.com"], (st, js))
    if kind == "sqlite":
        con = sqlite3.connect(db)
        rows = con.execute("SELECT who, address, reason FROM audit WHERE action = 'suppress'").fetchall()
        con.close()
        check("import: audited with each comment", ("writer", "i2@example.com", "with, a comma") in rows
              and ("writer", "i4@example.com", "import") in rows, rows)
    nd = ('{"address": "j1@example.com", "comment": "nd"}\n'
          '{"address": 7}\n'
          'not json\n'
          '{"address": "j2@example.com", "scope": "example.org"}\n')
    st, js, _, _ = req(port, "POST", "/v1/suppressions/import?reason=bulk", nd, token=wtok,
                       headers={"Content-Type": "application/x-ndjson"})
    check("import: NDJSON", st == 200 and js["applied"] == 2 and [e["line"] for e in js["errors"]] == [2, 3], (st, js))
    st, js, al = sq(scope="example.org")
    check("import: NDJSON scope", al == ["j2@example.com"], (st, js))
    st, js, _, _ = req(port, "POST", "/v1/suppressions/import", "", token=wtok)
    check("import: empty 400", st == 400, (st, js))

    # ---- export ----
    many = "".join("bulk%04d@example.net\n" % i for i in range(1200))
    st, js, _, _ = req(port, "POST", "/v1/suppressions/import", many, token=wtok)
    check("import: 1200 lines", st == 200 and js["applied"] == 1200 and js["failed"] == 0, (st, js))
    st, js, _, _ = req(port, "GET", q("/v1/suppressions", limit="1000"), token=rtok)
    total = []
    while st == 200:
        total += [x["address"] for x in js["suppressions"]]
        if not js["next"]:
            break
        st, js, _, _ = req(port, "GET", q("/v1/suppressions", limit="1000", cursor=js["next"]), token=rtok)
    st, _, r_, raw = req(port, "GET", q("/v1/suppressions", format="csv"), token=rtok)
    lines = raw.decode().splitlines()
    check("export: CSV, streamed", st == 200 and r_.getheader("Content-Type").startswith("text/csv")
          and lines[0].startswith("scope,address,verdict") and len(lines) == len(total) + 1
          and [l.split(",")[1] for l in lines[1:]] == total and len(total) == 1200 + 10, (st, len(lines), len(total)))
    st, _, r_, raw = req(port, "GET", "/v1/suppressions", token=rtok, headers={"Accept": "application/x-ndjson"})
    objs = [json.loads(l) for l in raw.decode().splitlines()]
    check("export: NDJSON by Accept", st == 200 and [o["address"] for o in objs] == total, (st, len(objs)))
    st, _, r_, raw = req(port, "GET", q("/v1/suppressions", format="ndjson", domain="example.com"), token=rtok)
    objs = [json.loads(l) for l in raw.decode().splitlines()]
    check("export: filtered", st == 200 and [(o["address"], o["scope"]) for o in objs] ==
          [(a, "") for a in ["i1@example.com", "i2@example.com", "i4@example.com", "j1@example.com"]] + [("j2@example.com", "example.org")], [(o["address"], o["scope"]) for o in objs])
    # what was exported imports back: nothing new, nothing refused
    st, _, _, raw = req(port, "GET", q("/v1/suppressions", format="csv", domain="example.com"), token=rtok)
    st, js, _, _ = req(port, "POST", "/v1/suppressions/import", raw, token=wtok, headers={"Content-Type": "text/csv"})
    check("import: an export reads back", st == 200 and js["applied"] == 5 and js["failed"] == 0, (st, js))

    # ---- docs/openapi.yaml: the server's routes, no more, no fewer ----
    import yaml
    spec = yaml.safe_load(open("docs/openapi.yaml"))
    r = run("serve", "--routes")
    routes, scopes = set(), {}
    for line in r.stdout.splitlines():
        m_, path, scope = line.split()
        routes.add((m_.lower(), path))
        scopes[(m_.lower(), path)] = scope
    doc = {(m_, p_) for p_, ops in spec["paths"].items() for m_ in ops
           if m_ in ("get", "put", "post", "delete", "patch", "head", "options")}
    check("openapi: version 3", str(spec.get("openapi", "")).startswith("3."), spec.get("openapi"))
    check("openapi: the paths and methods of the server's routes", r.returncode == 0 and routes and routes == doc,
          sorted(routes ^ doc))
    opened = {k for k, v in scopes.items() if v == "none"}
    docopen = {(m_, p_) for p_, ops in spec["paths"].items() for m_, op in ops.items()
               if isinstance(op, dict) and op.get("security") == []}
    check("openapi: the calls without a token", opened == docopen | ({("get", "/metrics")} & opened), (opened, docopen))
    # and the running server routes each of them (not 404/405 from the router)
    for m_, p_ in sorted(doc):
        path = p_.replace("{address}", "probe%40example.com").replace("{provider}", "ses")
        st, js, _, _ = req(port, m_.upper(), path, b"" if m_ in ("post", "put") else None, token=wtok)
        check("openapi: %s %s is routed" % (m_.upper(), p_), st not in (404, 405) or
              (js and js.get("error") not in ("not_found", "method_not_allowed")), (st, js))

    # ---- /metrics ----
    st, js, _, _ = req(port, "GET", "/metrics")
    check("metrics: no token 401", st == 401, (st, js))
    def scrape():
        _, _, _, raw = req(port, "GET", "/metrics", token=rtok)
        out = {}
        for line in raw.decode().splitlines():
            if not line.startswith("#") and " " in line:
                k, v = line.rsplit(" ", 1)
                out[k] = float(v)
        return out
    before = scrape()
    for _ in range(3):
        req(port, "GET", q("/v1/events", limit="1"), token=rtok)
    req(port, "GET", "/v1/nothing", token=rtok)
    r = run("query", "--db", db, "a1@example.net")
    st, _, r_, raw = req(port, "GET", "/metrics", token=rtok)
    text = raw.decode()
    check("metrics: text format", st == 200 and r_.getheader("Content-Type").startswith("text/plain; version=0.0.4"),
          (st, r_.getheader("Content-Type")))
    samples = {}
    okfmt = True
    for line in text.splitlines():
        if line.startswith("#"):
            okfmt &= bool(re.match(r"^# (HELP|TYPE) bouncekit_[a-z_]+ ", line))
            continue
        m = re.match(r'^(bouncekit_[a-z_]+)(\{[a-z]+="[^"]*"(?:,[a-z]+="[^"]*")*\})? ([0-9.e+-]+)$', line)
        okfmt &= bool(m)
        if m:
            samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    check("metrics: every line a sample or a comment", okfmt and samples, text[:800])
    ev = samples.get('bouncekit_http_requests_total{method="GET",route="/v1/events",status="200"}', 0)
    k404 = 'bouncekit_http_requests_total{method="",route="other",status="404"}'
    kev = 'bouncekit_http_requests_total{method="GET",route="/v1/events",status="200"}'
    check("metrics: requests by route and status", ev - before.get(kev, 0) == 3 and
          samples.get(k404, 0) - before.get(k404, 0) == 1 and
          samples.get('bouncekit_http_requests_total{method="GET",route="/metrics",status="401"}') == 1, [l for l in text.splitlines() if "other" in l or "/metrics" in l or "events" in l][:12])
    cnt = samples.get('bouncekit_http_request_duration_seconds_count{method="GET",route="/v1/events"}')
    inf = samples.get('bouncekit_http_request_duration_seconds_bucket{method="GET",route="/v1/events",le="+Inf"}')
    bks = [v for k, v in samples.items() if k.startswith('bouncekit_http_request_duration_seconds_bucket{method="GET",route="/v1/events"')]
    check("metrics: latency histogram", cnt and inf == cnt and bks == sorted(bks) and
          samples.get('bouncekit_http_request_duration_seconds_sum{method="GET",route="/v1/events"}', -1) > 0, (cnt, inf, bks))
    nsupp = len(total) - 0
    st, js, _, _ = req(port, "GET", q("/v1/suppressions", limit="1000", verdict="suppressed"), token=rtok)
    supp = 0
    while st == 200:
        supp += len(js["suppressions"])
        if not js["next"]:
            break
        st, js, _, _ = req(port, "GET", q("/v1/suppressions", limit="1000", verdict="suppressed", cursor=js["next"]), token=rtok)
    check("metrics: addresses by verdict", samples.get('bouncekit_addresses{verdict="suppressed"}') == supp
          and samples.get('bouncekit_addresses{verdict="ok"}', 0) >= 3, (supp, {k: v for k, v in samples.items() if "addresses" in k}))
    BOUNCE = open("tests/fixtures/maillocal.eml", "rb").read()
    st, _, r_, _ = req(port, "POST", "/v1/messages?store=1", BOUNCE, token=wtok)
    st2, _, _, raw = req(port, "GET", "/metrics", token=rtok)
    m = re.search(r"^bouncekit_api_events_stored_total (\d+)$", raw.decode(), re.M)
    check("metrics: events stored through the API", st == 200 and m and int(m.group(1)) ==
          int(r_.getheader("X-Bouncekit-Stored").split()[0]) and int(m.group(1)) >= 1, (st, r_.getheader("X-Bouncekit-Stored"), m))

    p.send_signal(signal.SIGTERM)
    check("stops on SIGTERM", p.wait(10) == 0)

    # ---- --metrics-open, the rate limit ----
    p, port, log = start("--threads", "2", "--metrics-open", "--rate-limit", "1", "--rate-burst", "3")
    st, _, _, raw = req(port, "GET", "/metrics")
    check("metrics: --metrics-open needs no token", st == 200 and b"bouncekit_addresses" in raw, st)
    codes = [req(port, "GET", "/v1/events?limit=1", token=rtok)[0] for _ in range(3)]
    st, js, r_, _ = req(port, "GET", "/v1/events?limit=1", token=rtok)
    check("rate limit: a burst of 3, then 429", codes == [200, 200, 200] and st == 429 and
          js["error"] == "rate_limited" and int(r_.getheader("Retry-After", "0")) >= 1, (codes, st, js))
    st2, _, _, _ = req(port, "GET", "/v1/events?limit=1", token=wtok)
    check("rate limit: per token", st2 == 200, st2)
    st3, _, _, _ = req(port, "GET", "/healthz")
    check("rate limit: /healthz is not limited", st3 == 200, st3)
    time.sleep(1.2)
    st, _, _, _ = req(port, "GET", "/v1/events?limit=1", token=rtok)
    check("rate limit: refilled after Retry-After", st == 200, st)
    st, _, _, raw = req(port, "GET", "/metrics")
    check("metrics: the 429 counted", re.search(rb"^bouncekit_http_rate_limited_total [1-9]", raw, re.M), raw[-600:])
    r = run("serve", "--rate-limit", "-1", "--db", db)
    check("serve: bad --rate-limit", r.returncode == 2, r.stderr)

    p.send_signal(signal.SIGTERM)
    check("stops on SIGTERM", p.wait(10) == 0)
finally:
    stop_all()
print("api: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
