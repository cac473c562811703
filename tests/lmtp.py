#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# lmtp.py - bouncekit lmtp end to end: a raw-socket LMTP client (every byte
# under the test's control) against a server on a Unix socket in a
# temporary directory, with small limits so that every case is quick.
# usage: tests/lmtp.py BOUNCEKIT FIXTURES TMPDIR
# Prints "ok   intake lmtp: ..." / "FAIL intake lmtp: ..." lines, then
# "lmtp-done".
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time

BIN, FX, TMP = sys.argv[1], sys.argv[2], sys.argv[3]
SOCK = os.path.join(TMP, "lmtp.sock")
DB = os.path.join(TMP, "lmtp.db")
KEEP = os.path.join(TMP, "lmtp-keep")
os.makedirs(KEEP, exist_ok=True)
results = []


def check(name, cond, detail=""):
    print(("ok   intake lmtp: " if cond else "FAIL intake lmtp: ") + name)
    if not cond and detail:
        print("     " + str(detail)[:600])
    sys.stdout.flush()


class Client:
    def __init__(self):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(10)
        self.s.connect(SOCK)
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("closed")
            self.buf += d
        l, self.buf = self.buf.split(b"\r\n", 1)
        return l.decode("utf-8", "replace")

    def reply(self):
        """one reply (all its lines): (code, [lines])"""
        lines = [self.line()]
        while len(lines[-1]) > 3 and lines[-1][3] == "-":
            lines.append(self.line())
        return int(lines[-1][:3]), lines

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.s.sendall(data)

    def cmd(self, c):
        self.send(c + "\r\n")
        return self.reply()

    def closed(self):
        try:
            self.s.settimeout(5)
            return self.s.recv(1) == b""
        except (ConnectionResetError, socket.timeout):
            return False

    def close(self):
        self.s.close()


def body(path, subst=None):
    with open(os.path.join(FX, path), "rb") as f:
        data = f.read()
    if subst:
        for a, b in subst.items():
            data = data.replace(a.encode(), b.encode())
    lines = data.replace(b"\r\n", b"\n").split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = b""
    for l in lines:
        out += (b"." + l if l.startswith(b".") else l) + b"\r\n"
    return out + b".\r\n"


def verdict(addr):
    r = subprocess.run([BIN, "query", "--db", DB, "--format", "tsv", addr],
                       capture_output=True, text=True)
    f = r.stdout.rstrip("\n").split("\t")
    return " ".join([f[1], f[3], f[4]]) if len(f) >= 5 else r.stdout + r.stderr


def events():
    r = subprocess.run([BIN, "db", "check", "--db", DB], capture_output=True, text=True)
    for l in r.stdout.splitlines():
        p = l.split()
        if p and p[0] == "events":
            return int(p[1])
    return -1


def deliver(c, rcpts, data, sender=""):
    c.cmd("MAIL FROM:<%s>" % sender)
    for r in rcpts:
        c.cmd("RCPT TO:<%s>" % r)
    code, _ = c.cmd("DATA")
    if code != 354:
        return [code]
    c.send(data)
    return [c.reply() for _ in rcpts]


log = open(os.path.join(TMP, "lmtp.log"), "w")
srv = subprocess.Popen([BIN, "lmtp", "--listen", "unix:" + SOCK,
                        "--db", "sqlite:" + DB + "?timeout=300",
                        "--keep-unparsed", KEEP, "--hostname", "lmtp.example.net",
                        "--max-line", "1000", "--max-size", "20000",
                        "--max-recipients", "3", "--idle-timeout", "1",
                        "--max-sessions", "8"],
                       stdout=log, stderr=log)
try:
    for _ in range(400):	# slow under the sanitizers
        if os.path.exists(SOCK) or srv.poll() is not None:
            break
        time.sleep(0.05)
    check("the server listens on a Unix socket", os.path.exists(SOCK),
          open(os.path.join(TMP, "lmtp.log")).read())
    if not os.path.exists(SOCK):
        raise SystemExit(1)

    # a normal session, two recipients (VERP), dot-stuffing
    c = Client()
    code, g = c.reply()
    check("greeting 220", code == 220 and "lmtp.example.net" in g[0], g)
    code, lines = c.cmd("LHLO client.example.net")
    ext = " ".join(lines)
    check("LHLO: PIPELINING, ENHANCEDSTATUSCODES, 8BITMIME, SIZE",
          code == 250 and all(x in ext for x in ("PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "SIZE 20000")), lines)
    code, _ = c.cmd("HELO client.example.net")
    check("HELO refused (500 5.5.1: LMTP)", code == 500)
    c.cmd("MAIL FROM:<> BODY=8BITMIME")
    r1 = c.cmd("RCPT TO:<bounces+alice=example.org@sender.example>")
    r2 = c.cmd("RCPT TO:<bounces+zoe=example.org@sender.example>")
    check("RCPT 250 2.1.5", r1[0] == 250 and "2.1.5" in r1[1][0] and r2[0] == 250)
    code, _ = c.cmd("DATA")
    check("DATA 354", code == 354)
    c.send(body("dsn-userunknown.eml"))
    a, b = c.reply(), c.reply()
    check("one 250 reply per recipient after DATA", a[0] == 250 and b[0] == 250 and
          "alice" in a[1][0] and "zoe" in b[1][0], (a, b))
    check("the events are committed when 250 comes", verdict("alice@example.org") == "suppressed hard userunknown",
          verdict("alice@example.org"))
    code, _ = c.cmd("NOOP")
    check("NOOP 250", code == 250)
    code, _ = c.cmd("RSET")
    check("RSET 250", code == 250)
    code, _ = c.cmd("RCPT TO:<x@example.org>")
    check("RCPT without MAIL: 503 5.5.1", code == 503)

    # dot-unstuffing, kept when not a bounce
    msg = (b"From: Carol <carol@example.net>\r\nTo: bounces@sender.example\r\n"
           b"Subject: hi\r\n\r\n..a line that starts with a dot\r\n.\r\n")
    r = deliver(c, ["bounces@sender.example"], msg, "carol@example.net")
    kept = [os.path.join(KEEP, f) for f in os.listdir(KEEP)]
    txt = open(kept[0], "rb").read() if kept else b""
    check("not a bounce: 250, kept, dot-unstuffed",
          r[0][0] == 250 and b"\n.a line that starts with a dot\n" in txt and b"\n..a line" not in txt,
          (r, txt[-200:]))
    code, _ = c.cmd("QUIT")
    check("QUIT 221 and close", code == 221 and c.closed())
    c.close()

    # pipelining: everything in one write, replies in order
    c = Client()
    c.reply()
    data = body("dsn-userunknown.eml", {"alice": "pia", "dsn-intake-1": "dsn-intake-p"})
    c.send(b"LHLO client.example.net\r\nMAIL FROM:<>\r\nRCPT TO:<bounces+pia=example.org@sender.example>\r\n"
           b"RCPT TO:<postmaster@sender.example>\r\nDATA\r\n" + data + b"NOOP\r\nQUIT\r\n")
    codes = [c.reply()[0] for _ in range(8)]
    check("pipelined: 250 250 250 250 354 250 250 250, then 221",
          codes == [250, 250, 250, 250, 354, 250, 250, 250] and c.reply()[0] == 221, codes)
    check("pipelined: stored", verdict("pia@example.org") == "suppressed hard userunknown", verdict("pia@example.org"))
    c.close()

    # over-long command line, then the session goes on
    c = Client()
    c.reply()
    c.cmd("LHLO client.example.net")
    code, l = c.cmd("NOOP " + "x" * 5000)
    check("an over-long command line: 500 5.5.0", code == 500 and "5.5.0" in l[0], l)
    code, _ = c.cmd("NOOP")
    check("the session goes on after it", code == 250)

    # too many recipients
    c.cmd("MAIL FROM:<>")
    codes = [c.cmd("RCPT TO:<r%d@example.org>" % i)[0] for i in range(4)]
    check("too many recipients: the 4th gets 452 4.5.3", codes == [250, 250, 250, 452], codes)
    c.cmd("RSET")

    # oversized: by SIZE, then by content; a long data line
    code, l = c.cmd("MAIL FROM:<> SIZE=999999")
    check("MAIL SIZE over the limit: 552 5.3.4", code == 552 and "5.3.4" in l[0], l)
    big = b"Subject: big\r\n\r\n" + (b"y" * 70 + b"\r\n") * 400 + b".\r\n"
    r = deliver(c, ["bounces+big=example.org@sender.example"], big)
    check("a message over --max-size: 552 5.3.4 after the dot", r[0][0] == 552 and "5.3.4" in r[0][1][0], r)
    lng = b"Subject: long\r\n\r\n" + b"z" * 3000 + b"\r\nshort\r\n.\r\n"
    r = deliver(c, ["bounces+long=example.org@sender.example"], lng)
    check("a data line over --max-line: 552, session goes on", r[0][0] == 552 and c.cmd("NOOP")[0] == 250, r)
    huge = b"Subject: huge\r\n\r\n" + b"w" * (2 * 1024 * 1024) + b"\r\n.\r\n"
    r = deliver(c, ["bounces+huge=example.org@sender.example"], huge)
    check("a 2 MB line: 552", r[0][0] == 552, r)
    c.cmd("QUIT")
    c.close()

    # a 10 MB line in DATA, and 10,000 recipients pipelined: the right
    # replies, while another session is served in between
    other = Client()
    other.reply()
    other.cmd("LHLO other.example.net")
    c = Client()
    c.reply()
    c.cmd("LHLO client.example.net")
    c.cmd("MAIL FROM:<>")
    c.cmd("RCPT TO:<bounces+ten=example.org@sender.example>")
    c.cmd("DATA")
    c.send(b"Subject: ten\r\n\r\n" + b"v" * (5 * 1024 * 1024))
    r = deliver(other, ["bounces+uma=example.org@sender.example"],
                body("dsn-userunknown.eml", {"alice": "uma", "dsn-intake-1": "dsn-intake-u"}))
    check("another session is served during a 10 MB line", r[0][0] == 250 and
          verdict("uma@example.org") == "suppressed hard userunknown", r)
    c.send(b"v" * (5 * 1024 * 1024) + b"\r\n.\r\n")
    r = c.reply()
    check("a 10 MB line: 552 5.3.4, the session goes on", r[0] == 552 and "5.3.4" in r[1][0] and
          c.cmd("NOOP")[0] == 250, r)
    # written by a thread while this one reads: the server stops reading
    # a client that does not read its replies
    w = threading.Thread(target=c.send, args=(b"MAIL FROM:<>\r\n" + b"".join(
        b"RCPT TO:<bounces+r%d=example.org@sender.example>\r\n" % i for i in range(10000)) + b"DATA\r\n",))
    w.start()
    codes = [c.reply()[0] for _ in range(10002)]
    w.join()
    check("10,000 recipients pipelined: 250 for 3, 452 4.5.3 for the rest, 354",
          codes[0] == 250 and codes[1:4] == [250] * 3 and codes[4:10001] == [452] * 9997 and
          codes[10001] == 354, (codes[:6], codes[-3:]))
    c.send(body("dsn-userunknown.eml", {"alice": "vera", "dsn-intake-1": "dsn-intake-v"}))
    r = [c.reply()[0] for _ in range(3)]
    check("... and the message goes in for the 3 accepted", r == [250] * 3 and
          verdict("vera@example.org") == "suppressed hard userunknown", r)
    check("... the other session still served", other.cmd("NOOP")[0] == 250)
    c.cmd("QUIT")
    c.close()
    other.cmd("QUIT")
    other.close()

    # a client that goes away mid-DATA; another session keeps being served
    other = Client()
    other.reply()
    other.cmd("LHLO other.example.net")
    c = Client()
    c.reply()
    c.cmd("LHLO client.example.net")
    deliver_part = body("dsn-userunknown.eml", {"alice": "quentin", "dsn-intake-1": "dsn-intake-q"})
    c.cmd("MAIL FROM:<>")
    c.cmd("RCPT TO:<bounces+quentin=example.org@sender.example>")
    c.cmd("DATA")
    c.send(deliver_part[:len(deliver_part) // 2])
    c.close()
    time.sleep(0.2)
    r = deliver(other, ["bounces+rita=example.org@sender.example"],
                body("dsn-userunknown.eml", {"alice": "rita", "dsn-intake-1": "dsn-intake-r"}))
    check("a client gone mid-DATA: nothing stored from it", verdict("quentin@example.org").startswith("ok"),
          verdict("quentin@example.org"))
    check("... and the other session is served", r[0][0] == 250 and
          verdict("rita@example.org") == "suppressed hard userunknown", r)
    other.cmd("QUIT")
    other.close()

    # several sessions at once, interleaved
    cs = [Client() for _ in range(5)]
    for k in cs:
        k.reply()
        k.cmd("LHLO many.example.net")
    for i, k in enumerate(cs):
        k.cmd("MAIL FROM:<>")
        k.cmd("RCPT TO:<bounces+m%d=example.org@sender.example>" % i)
        k.cmd("DATA")
    ok5 = True
    for i, k in reversed(list(enumerate(cs))):
        k.send(body("dsn-userunknown.eml", {"alice": "m%d" % i, "dsn-intake-1": "dsn-m%d" % i}))
        ok5 &= k.reply()[0] == 250
        k.close()
    check("five sessions at once, interleaved", ok5 and all(
        verdict("m%d@example.org" % i) == "suppressed hard userunknown" for i in range(5)))

    # group commit: five final dots sent before any reply is read (one turn
    # of the server's loop, most likely one commit), each followed by a
    # pipelined NOOP: each 250 names its own recipient, before the NOOP's
    cs = [Client() for _ in range(5)]
    for i, k in enumerate(cs):
        k.reply()
        k.cmd("LHLO group.example.net")
        k.cmd("MAIL FROM:<>")
        k.cmd("RCPT TO:<bounces+g%d=example.org@sender.example>" % i)
        k.cmd("DATA")
    for i, k in enumerate(cs):
        k.send(body("dsn-userunknown.eml", {"alice": "g%d" % i, "dsn-intake-1": "dsn-g%d" % i}) + b"NOOP\r\n")
    okg = True
    for i, k in enumerate(cs):
        a, b = k.reply(), k.reply()
        okg &= a[0] == 250 and "<bounces+g%d=" % i in a[1][0] and b[0] == 250 and "ok" in b[1][0]
        k.close()
    check("five messages committed together: each its own 250, then the NOOP", okg and all(
        verdict("g%d@example.org" % i) == "suppressed hard userunknown" for i in range(5)))

    # binary junk: 500s, then 421 after too many errors; the server lives on
    c = Client()
    c.reply()
    c.send(bytes(range(256)) * 4 + b"\r\n" + b"\x00\xff\xfe garbage\r\n" * 20)
    codes = []
    try:
        while True:
            codes.append(c.reply()[0])
    except (EOFError, ConnectionResetError, socket.timeout):
        pass
    check("binary junk: 500 replies, then 421 and close", codes and codes[-1] == 421 and
          all(x in (500, 421) for x in codes), codes)
    c.close()

    # idle timeout
    c = Client()
    c.reply()
    c.cmd("LHLO idle.example.net")
    t0 = time.time()
    try:
        code, l = c.reply()
    except Exception as e:
        code, l = 0, [str(e)]
    check("idle: 421 4.4.2 and close", code == 421 and "4.4.2" in l[0] and c.closed() and time.time() - t0 < 5, l)
    c.close()

    # store trouble: a locked database gives 451 4.3.0, then the retry goes in
    n0 = events()
    lock = sqlite3.connect(DB, timeout=5, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    lock.execute("INSERT INTO audit (at, who, action, scope, address, reason) VALUES (0, 'x', 'x', '', 'x', 'x')")
    c = Client()
    c.reply()
    c.cmd("LHLO client.example.net")
    msg = body("dsn-userunknown.eml", {"alice": "sam", "dsn-intake-1": "dsn-intake-s"})
    r = deliver(c, ["bounces+sam=example.org@sender.example", "postmaster@sender.example"], msg)
    lock.execute("ROLLBACK")
    lock.close()
    check("store locked: 451 4.3.0 for each recipient",
          [x[0] for x in r] == [451, 451] and "4.3.0" in r[0][1][0], r)
    check("store locked: nothing written", events() == n0, events())
    r = deliver(c, ["bounces+sam=example.org@sender.example"], msg)
    check("store back: the retry is stored", r[0][0] == 250 and
          verdict("sam@example.org") == "suppressed hard userunknown", r)
    c.cmd("QUIT")
    c.close()

    # a message the decoders cannot read still yields its VERP recipient
    c = Client()
    c.reply()
    c.cmd("LHLO client.example.net")
    r = deliver(c, ["bounces+tom=example.com@sender.example"], body("unreadable-bounce.eml"))
    check("VERP: an unreadable bounce gives tom undefined", r[0][0] == 250 and
          verdict("tom@example.com") == "ok  undefined", verdict("tom@example.com"))
    c.cmd("QUIT")
    c.close()
finally:
    srv.terminate()
    try:
        rc = srv.wait(10)
    except subprocess.TimeoutExpired:
        srv.kill()
        rc = srv.wait()
    log.close()
check("SIGTERM: the server stops (exit 0) and removes its socket", rc == 0 and not os.path.exists(SOCK), rc)
check("the log names each message", "stored" in open(os.path.join(TMP, "lmtp.log")).read())
print("lmtp-done")
