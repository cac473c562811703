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
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
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
    for bad in ({"limit": "0"}, {"limit": "1001"}, {"limit": "x"}, {"class": "fatal"},
                {"cursor": "nonsense!"}, {"cursor": "ZXY"}, {"address": "nope"}, {"until": "2026-13-45"}):
        st, js, rc = evq(**bad)
        check("events: bad %s 400" % bad, st == 400 and js and js.get("error"), (st, js))
    st, js, _, _ = req(port, "GET", "/v1/events")
    check("events: no token 401", st == 401, (st, js))

    p.send_signal(signal.SIGTERM)
    check("stops on SIGTERM", p.wait(10) == 0)
finally:
    stop_all()
print("api: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
