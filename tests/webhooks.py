#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# webhooks.py - POST /v1/webhooks/PROVIDER on `bouncekit serve`, end to
# end (docs/webhooks.md): each endpoint with a valid, a badly signed, a
# replayed and a malformed request; SES through SNS with signature
# versions 1 and 2, the signing certificate served over https by a
# python3 server on 127.0.0.1 (a CA, a server certificate and an SNS
# signing certificate this test makes with openssl; bouncekit is pointed
# at it by ses.ca_file and ses.connect_to); a multi-recipient SES bounce;
# the records stored equal those `bouncekit parse` gives for the same
# payloads.  Called by tests/webhooks.sh.
#
# usage: tests/webhooks.py BOUNCEKIT TMPDIR
# Prints "ok"/"FAIL" lines and "py: N passed, N failed".
import base64, hashlib, hmac, http.client, http.server, json, os, re, sqlite3
import ssl, subprocess, sys, threading, time

bin_, tmp = os.path.abspath(sys.argv[1]) if "/" in sys.argv[1] else sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
fx = os.path.join(here, "webhooks")
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok   webhooks endpoint: " + name)
    else:
        failed += 1
        print("FAIL webhooks endpoint: %s %s" % (name, str(detail)[:600]))


def sh(*args, data=None):
    r = subprocess.run(list(args), input=data, capture_output=True, cwd=tmp)
    if r.returncode:
        raise SystemExit("%s: %s" % (args, r.stderr.decode(errors="replace")))
    return r.stdout


def sign(key, data, md="-sha256"):
    path = os.path.join(tmp, "tosign")
    with open(path, "wb") as f:
        f.write(data)
    return base64.b64encode(sh("openssl", "dgst", md, "-sign", key, path)).decode()


# ---- keys and certificates ----
sh("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sg1.key")
sh("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sg2.key")
sh("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sgbad.key")
sg1_der = base64.b64encode(sh("openssl", "ec", "-in", "sg1.key", "-pubout", "-outform", "DER")).decode()
sh("openssl", "ec", "-in", "sg2.key", "-pubout", "-out", "sg2.pub")
sns_host = "sns.us-east-1.amazonaws.com"
sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
   "-days", "2", "-subj", "/CN=bouncekit test CA")
for name, cn in (("srv", sns_host), ("signer", "sns.amazonaws.com"), ("other", "other.example.com")):
    sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
       "-subj", "/CN=" + cn)
    with open(os.path.join(tmp, name + ".ext"), "w") as f:
        f.write("subjectAltName=DNS:%s\n" % cn)
    sh("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
       "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext")

# ---- the https server of the signing certificate (and SubscribeURL) ----
hits = []


class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        hits.append(self.path)
        if self.path.endswith(".pem"):
            name = "other.pem" if "Other" in self.path else "signer.pem"
            with open(os.path.join(tmp, name), "rb") as f:
                body = f.read()
        elif self.path.startswith("/?Action=ConfirmSubscription"):
            body = b"<ConfirmSubscriptionResponse/>"
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(tmp, "srv.pem"), os.path.join(tmp, "srv.key"))
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
tls_port = httpd.server_address[1]
threading.Thread(target=httpd.serve_forever, daemon=True).start()

topic = "arn:aws:sns:us-east-1:123456789012:ses-bounces"
mg_key = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
conf = os.path.join(tmp, "webhooks.conf")
with open(conf, "w") as f:
    f.write("""# test configuration
sendgrid.public_key = %s
sendgrid.public_key = %s
mailgun.signing_key = %s
postmark.user = pm
postmark.password = pm-secret-0123
sparkpost.token = sp-token-0123456789abcdef
ses.topic = %s
ses.auto_confirm = yes
ses.ca_file = %s
ses.connect_to = %s:443:127.0.0.1:%d
""" % (sg1_der, os.path.join(tmp, "sg2.pub"), mg_key, topic, os.path.join(tmp, "ca.pem"), sns_host, tls_port))

db = os.path.join(tmp, "serve.db")
sh(bin_, "db", "init", "--db", db)


def start(*extra):
    log = open(os.path.join(tmp, "serve%d.log" % len(procs)), "w+")
    p = subprocess.Popen([bin_, "serve", "--listen", "127.0.0.1:0", "--db", db] + list(extra),
                         stdout=subprocess.DEVNULL, stderr=log)
    procs.append(p)
    for _ in range(100):
        log.seek(0)
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read())
        if m:
            return int(m.group(1)), log
        if p.poll() is not None:
            break
        time.sleep(0.05)
    log.seek(0)
    raise SystemExit("the server did not start: " + log.read())


procs = []


def post(port, path, body, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.request("POST", path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    try:
        return r.status, json.loads(data)
    except ValueError:
        return r.status, data


def events():
    c = sqlite3.connect(db)
    try:
        return c.execute("select count(*) from events where channel = 'webhook'").fetchone()[0]
    finally:
        c.close()


def fixture(name):
    with open(os.path.join(fx, name), "rb") as f:
        return f.read()


try:
    port, log = start("--webhooks", conf)
    n0 = events()

    # ---- SendGrid: ECDSA over timestamp + body ----
    body = fixture("sendgrid-events.json")
    ts = str(int(time.time()))
    good = {"X-Twilio-Email-Event-Webhook-Signature": sign("sg1.key", ts.encode() + body),
            "X-Twilio-Email-Event-Webhook-Timestamp": ts, "Content-Type": "application/json"}
    st, r = post(port, "/v1/webhooks/sendgrid", body, good)
    check("sendgrid valid: 200, 6 records stored", st == 200 and r.get("records") == 6 and r.get("new") == 6, (st, r))
    st, r = post(port, "/v1/webhooks/sendgrid", body, good)
    check("sendgrid replayed: 200, nothing new (6 duplicates)", st == 200 and r.get("new") == 0 and r.get("duplicates") == 6, (st, r))
    ts2 = str(int(time.time()) + 1)
    rot = dict(good, **{"X-Twilio-Email-Event-Webhook-Signature": sign("sg2.key", ts2.encode() + body),
                        "X-Twilio-Email-Event-Webhook-Timestamp": ts2})
    st, r = post(port, "/v1/webhooks/sendgrid", body, rot)
    check("sendgrid signed with the second configured key (rotation): 200", st == 200, (st, r))
    n = events()
    bad = dict(good, **{"X-Twilio-Email-Event-Webhook-Signature": sign("sgbad.key", ts.encode() + body)})
    st, r = post(port, "/v1/webhooks/sendgrid", body, bad)
    check("sendgrid badly signed: 403", st == 403, (st, r))
    tampered = body.replace(b"kijitora", b"kijitorb")
    st, r = post(port, "/v1/webhooks/sendgrid", tampered, good)
    check("sendgrid body changed after signing: 403", st == 403, (st, r))
    st, r = post(port, "/v1/webhooks/sendgrid", body, {"Content-Type": "application/json"})
    check("sendgrid unsigned: 401", st == 401, (st, r))
    junk = b'[{"event": "bounce", "email": '
    st, r = post(port, "/v1/webhooks/sendgrid", junk,
                 dict(good, **{"X-Twilio-Email-Event-Webhook-Signature": sign("sg1.key", ts.encode() + junk)}))
    check("sendgrid malformed (signed): 400 with a message", st == 400 and "JSON" in r.get("message", ""), (st, r))
    check("sendgrid: nothing stored by the refused requests", events() == n, (events(), n))

    # ---- Mailgun: HMAC over timestamp + token, window, replay cache ----
    def mailgun(name, key=mg_key, ts=None, token=None):
        d = json.loads(fixture(name))
        ts = ts or str(int(time.time()))
        token = token or hashlib.sha256(os.urandom(16)).hexdigest()[:50]
        sig = hmac.new(key.encode(), (ts + token).encode(), hashlib.sha256).hexdigest()
        d["signature"] = {"timestamp": ts, "token": token, "signature": sig}
        return json.dumps(d).encode()
    n = events()
    body = mailgun("mailgun-failed-permanent.json")
    st, r = post(port, "/v1/webhooks/mailgun", body)
    check("mailgun valid: 200, 1 record stored", st == 200 and r.get("new") == 1, (st, r))
    st, r = post(port, "/v1/webhooks/mailgun", body)
    check("mailgun replayed token: 403, nothing stored", st == 403 and "replay" in r.get("message", ""), (st, r))
    st, r = post(port, "/v1/webhooks/mailgun", mailgun("mailgun-failed-temporary.json", key="key-wrong"))
    check("mailgun badly signed: 403", st == 403, (st, r))
    st, r = post(port, "/v1/webhooks/mailgun", mailgun("mailgun-failed-temporary.json", ts=str(int(time.time()) - 600)))
    check("mailgun timestamp 10 minutes old: 403", st == 403 and "window" in r.get("message", ""), (st, r))
    st, r = post(port, "/v1/webhooks/mailgun", b'{"signature": {"timestamp": ')
    check("mailgun malformed: 400", st == 400, (st, r))
    d = json.loads(fixture("mailgun-delivered.json"))
    del d["signature"]
    st, r = post(port, "/v1/webhooks/mailgun", json.dumps(d).encode())
    check("mailgun without a signature: 401", st == 401, (st, r))
    check("mailgun: only the valid request stored", events() == n + 1, (events(), n))
    for name in ("mailgun-failed-temporary.json", "mailgun-delivered.json", "mailgun-complained.json"):
        st, r = post(port, "/v1/webhooks/mailgun", mailgun(name))
        check("mailgun %s: 200" % name, st == 200 and r.get("records") == 1, (st, r))

    # ---- Postmark: basic auth; SparkPost: a token in the URL ----
    auth = {"Authorization": "Basic " + base64.b64encode(b"pm:pm-secret-0123").decode()}
    wrong = {"Authorization": "Basic " + base64.b64encode(b"pm:nope").decode()}
    n = events()
    st, r = post(port, "/v1/webhooks/postmark", fixture("postmark-bounce.json"), auth)
    check("postmark valid: 200, 1 record", st == 200 and r.get("new") == 1, (st, r))
    st, r = post(port, "/v1/webhooks/postmark", fixture("postmark-bounce.json"), auth)
    check("postmark replayed: 200, nothing new", st == 200 and r.get("new") == 0 and r.get("duplicates") == 1, (st, r))
    st, r = post(port, "/v1/webhooks/postmark", fixture("postmark-transient.json"), wrong)
    check("postmark wrong password: 401", st == 401, (st, r))
    st, r = post(port, "/v1/webhooks/postmark", fixture("postmark-transient.json"))
    check("postmark no credentials: 401", st == 401, (st, r))
    st, r = post(port, "/v1/webhooks/postmark", b'{"RecordType": "Bounce", "Email": ', auth)
    check("postmark malformed: 400", st == 400, (st, r))
    st, r = post(port, "/v1/webhooks/postmark", b'{"RecordType": "Open", "Recipient": "a@example.org"}', auth)
    check("postmark unknown event type: 200, ignored", st == 200 and r.get("ignored") == 1 and r.get("records") == 0, (st, r))
    check("postmark: only the valid request stored", events() == n + 1, (events(), n))
    for name in ("postmark-transient.json", "postmark-delivery.json", "postmark-spamcomplaint.json"):
        st, r = post(port, "/v1/webhooks/postmark", fixture(name), auth)
        check("postmark %s: 200" % name, st == 200 and r.get("records") == 1, (st, r))
    n = events()
    sp = "/v1/webhooks/sparkpost?token=sp-token-0123456789abcdef"
    st, r = post(port, sp, fixture("sparkpost-events.json"))
    check("sparkpost valid: 200, 4 records, 2 ignored", st == 200 and r.get("new") == 4 and r.get("ignored") == 2, (st, r))
    st, r = post(port, sp, fixture("sparkpost-events.json"))
    check("sparkpost replayed: 200, nothing new", st == 200 and r.get("new") == 0, (st, r))
    st, r = post(port, "/v1/webhooks/sparkpost?token=sp-token-wrong-000000", fixture("sparkpost-events.json"))
    check("sparkpost wrong token: 403", st == 403, (st, r))
    st, r = post(port, sp, b"[{\"msys\": ")
    check("sparkpost malformed: 400", st == 400, (st, r))
    check("sparkpost: only the valid request stored", events() == n + 4, (events(), n))

    # ---- SES through SNS ----
    cert_url = "https://%s/SimpleNotificationService-0123456789abcdef.pem" % sns_host

    def sns(message, ver="1", key="signer.key", url=cert_url, typ="Notification", tp=topic, extra=None):
        m = {"Type": typ, "MessageId": hashlib.md5(message.encode() + ver.encode()).hexdigest(),
             "TopicArn": tp, "Message": message, "Timestamp": "2026-12-06T11:00:01.000Z",
             "SignatureVersion": ver, "SigningCertURL": url}
        m.update(extra or {})
        keys = (["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] if typ == "Notification"
                else ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"])
        canon = "".join("%s\n%s\n" % (k, m[k]) for k in keys if k in m)
        m["Signature"] = sign(os.path.join(tmp, key), canon.encode(), "-sha1" if ver == "1" else "-sha256")
        return json.dumps(m).encode()
    multi = fixture("ses-bounce-multi.json").decode()
    n = events()
    st, r = post(port, "/v1/webhooks/ses", sns(multi))
    check("ses (SNS, SignatureVersion 1) multi-recipient bounce: 200, 2 records (2 of 3 recipients bounced)",
          st == 200 and r.get("records") == 2 and r.get("new") == 2, (st, r))
    st, r = post(port, "/v1/webhooks/ses", sns(multi))
    check("ses replayed: 200, nothing new", st == 200 and r.get("new") == 0, (st, r))
    inner = json.loads(fixture("ses-sns-bounce.json"))["Message"]
    st, r = post(port, "/v1/webhooks/ses", sns(inner, ver="2"))
    check("ses SignatureVersion 2 (SHA256): 200, 1 record", st == 200 and r.get("new") == 1, (st, r))
    st, r = post(port, "/v1/webhooks/ses", sns(fixture("ses-complaint.json").decode(), key="other.key"))
    check("ses signed by another key: 403", st == 403, (st, r))
    good = json.loads(sns(fixture("ses-complaint.json").decode()))
    good["Message"] = good["Message"].replace("kuroneko", "kuronekp")
    st, r = post(port, "/v1/webhooks/ses", json.dumps(good).encode())
    check("ses message changed after signing: 403", st == 403, (st, r))
    st, r = post(port, "/v1/webhooks/ses", sns(multi, url="https://sns.us-east-1.amazonaws.com.example.com/x.pem"))
    check("ses certificate URL on a host that is not SNS's: 403", st == 403 and "SNS host" in r.get("message", ""), (st, r))
    st, r = post(port, "/v1/webhooks/ses", sns(multi, url="http://%s/x.pem" % sns_host))
    check("ses certificate URL not https: 403", st == 403, (st, r))
    st, r = post(port, "/v1/webhooks/ses", sns(multi, tp="arn:aws:sns:us-east-1:999999999999:other"))
    check("ses topic not allowed (signature valid): 403", st == 403 and "TopicArn" in r.get("message", ""), (st, r))
    st, r = post(port, "/v1/webhooks/ses", fixture("ses-bounce-multi.json"))
    check("ses bare notification without SNS signature: 403", st == 403, (st, r))
    st, r = post(port, "/v1/webhooks/ses", b'{"Type": "Notification", "Message": ')
    check("ses malformed: 400", st == 400, (st, r))
    check("ses: only the valid requests stored", events() == n + 3, (events(), n))
    st, r = post(port, "/v1/webhooks/ses", sns(fixture("ses-open.json").decode()))
    check("ses event type not mapped (Open): 200, ignored", st == 200 and r.get("ignored") == 1, (st, r))
    for name in ("ses-complaint.json", "ses-delivery.json"):
        st, r = post(port, "/v1/webhooks/ses", sns(fixture(name).decode()))
        check("ses %s: 200, 1 record" % name, st == 200 and r.get("records") == 1, (st, r))
    confirm = "https://%s/?Action=ConfirmSubscription&TopicArn=%s&Token=abc" % (sns_host, topic)
    hits.clear()
    st, r = post(port, "/v1/webhooks/ses", sns("You have chosen to subscribe", typ="SubscriptionConfirmation",
                                               extra={"SubscribeURL": confirm, "Token": "abc"}))
    check("ses SubscriptionConfirmation with auto_confirm: SubscribeURL fetched",
          st == 200 and "confirmed" in r.get("status", "") and any("ConfirmSubscription" in h for h in hits), (st, r, hits))
    st, r = post(port, "/v1/webhooks/ses", sns("You have chosen to subscribe", typ="SubscriptionConfirmation",
                                               tp="arn:aws:sns:us-east-1:999999999999:other",
                                               extra={"SubscribeURL": confirm, "Token": "abc"}))
    check("ses SubscriptionConfirmation of a topic not allowed: logged, not confirmed",
          st == 200 and "not confirmed" in r.get("status", ""), (st, r))
    hits.clear()
    post(port, "/v1/webhooks/ses", sns(multi))
    check("ses signing certificate cached (not fetched again)", not any(h.endswith(".pem") for h in hits), hits)

    # ---- the same records as the command line ----
    # (export the stored webhook events, compare with parse of each fixture)
    out = subprocess.run([bin_, "export", "--events", "--format", "ndjson", "--db", db],
                         capture_output=True, text=True).stdout
    keyf = ("recipient", "action", "reason", "deliverystatus", "replycode", "diagnosticcode",
            "hardbounce", "messageid", "catch", "timestamp", "feedbacktype", "addresser", "decodedby")
    def sig(rec):
        return tuple(json.dumps(rec.get(k), sort_keys=True) for k in keyf)
    stored = {sig(json.loads(l)) for l in out.splitlines() if l.strip()}
    names = ["sendgrid-events.json", "mailgun-failed-permanent.json", "mailgun-failed-temporary.json",
             "mailgun-delivered.json", "mailgun-complained.json", "postmark-bounce.json",
             "postmark-transient.json", "postmark-delivery.json", "postmark-spamcomplaint.json",
             "sparkpost-events.json", "ses-bounce-multi.json", "ses-sns-bounce.json", "ses-complaint.json",
             "ses-delivery.json"]
    want = set()
    for name in names:
        p = subprocess.run([bin_, "parse", "-q", "--format", "ndjson", os.path.join(fx, name)],
                           capture_output=True, text=True).stdout
        want |= {sig(json.loads(l)) for l in p.splitlines() if l.strip()}
    check("the %d stored records are those parse gives for the same payloads" % len(want),
          want == stored, (want ^ stored))
    c = sqlite3.connect(db)
    pcs = c.execute("select provider_class from events where channel = 'webhook'").fetchall()
    c.close()
    check("every webhook event has the provider's class", pcs and all(p[0] and '"provider"' in p[0] for p in pcs))
    q = subprocess.run([bin_, "query", "--db", db, "--format", "tsv", "-"], input="kijitora@example.org\nshironeko@example.com\n",
                       capture_output=True, text=True).stdout
    check("verdicts: kijitora suppressed, shironeko (not bounced) not",
          re.search(r"kijitora@example.org\tsuppressed", q) and not re.search(r"shironeko@example.com\tsuppressed", q), q)
    n = events()
    # (the server answers on the Content-Length, before the body)
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.putrequest("POST", "/v1/webhooks/postmark")
    c.putheader("Content-Length", str(2 << 20))
    c.putheader("Authorization", auth["Authorization"])
    c.endheaders()
    st = c.getresponse().status
    c.close()
    check("postmark body over --max-body (2 MiB): 413, nothing stored", st == 413 and events() == n, st)
    st, r = post(port, "/v1/webhooks/nosuch", b"{}")
    check("unknown provider: 404", st == 404, (st, r))
    log.seek(0)
    check("refusals logged with their reason", "webhook mailgun: 403 forbidden" in log.read())

    # ---- never open by default ----
    port2, _ = start()
    n = events()
    st, r = post(port2, "/v1/webhooks/postmark", fixture("postmark-bounce.json"), auth)
    check("a server without --webhooks refuses postmark: 403", st == 403 and r.get("error") == "not_configured", (st, r))
    st, r = post(port2, "/v1/webhooks/ses", sns(multi))
    check("a server without --webhooks refuses ses: 403", st == 403, (st, r))
    check("nothing stored by an endpoint not configured", events() == n)
finally:
    for p in procs:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    httpd.shutdown()

print("py: %d passed, %d failed" % (passed, failed))
