#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# lmtpload.py - a paced LMTP client for bench/intake.sh: RATE bounces a
# second for SECONDS over SESSIONS connections to `bouncekit lmtp` on a
# Unix socket, each one a distinct bounce (its own recipient and
# Message-ID, so that each is a new event).  Message k is due at
# t0 + k/RATE and goes out on the first idle session (MAIL, RCPT, DATA
# pipelined, the body after the 354); the latency is from the final dot
# written to the 250 read: the server answers only after the commit, so
# it is the time from the end of DATA to the committed verdict.
# usage: lmtpload.py SOCKET FIXTURE RATE SECONDS SESSIONS
# Prints a line "lmtp: ..." with the figures and whether the target is
# met; exits 1 when a reply was not 250.
import selectors
import socket
import sys
import time

SOCK, FIXTURE = sys.argv[1], sys.argv[2]
RATE, SECONDS, NSESS = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
TOTAL = int(RATE * SECONDS)

tmpl = open(FIXTURE, "rb").read().replace(b"\r\n", b"\n")
lines = tmpl.split(b"\n")
if lines and lines[-1] == b"":
    lines.pop()
tmpl = b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in lines) + b".\r\n"


def message(k):
    u = b"lb%d" % k
    return (tmpl.replace(b"alice", u).replace(b"dsn-intake-1", b"lmtpbench-%d" % k),
            b"MAIL FROM:<>\r\nRCPT TO:<bounces+%s=example.org@sender.example>\r\nDATA\r\n" % u)


class Sess:
    def __init__(self):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(SOCK)
        self.s.setblocking(False)
        self.buf = b""
        self.want = 0		# replies awaited
        self.state = "idle"	# idle | envelope | body
        self.body = b""
        self.t_dot = 0.0
        self.t_due = 0.0


def read_replies(x):
    """the complete reply codes in x's buffer"""
    out = []
    while b"\r\n" in x.buf:
        l, x.buf = x.buf.split(b"\r\n", 1)
        if len(l) > 3 and l[3:4] == b"-":
            continue
        out.append(int(l[:3]))
    return out


def blocking_cmd(x, c, n=1):
    x.s.setblocking(True)
    x.s.sendall(c)
    codes = []
    while len(codes) < n:
        x.buf += x.s.recv(65536)
        codes += read_replies(x)
    x.s.setblocking(False)
    return codes


sessions = [Sess() for _ in range(NSESS)]
for x in sessions:
    blocking_cmd(x, b"", 1)		# the greeting
    blocking_cmd(x, b"LHLO bench.example.net\r\n", 1)
sel = selectors.DefaultSelector()
for x in sessions:
    sel.register(x.s, selectors.EVENT_READ, x)

lat = []	# end of DATA -> 250
late = []	# due -> 250 (includes waiting for an idle session)
bad = 0
sent = 0
t0 = time.monotonic()
idle = list(sessions)
while len(lat) + bad < TOTAL:
    now = time.monotonic()
    while sent < TOTAL and idle and t0 + sent / RATE <= now:
        x = idle.pop()
        x.body, env = message(sent)
        x.t_due = t0 + sent / RATE
        x.s.sendall(env)
        x.state, x.want = "envelope", 3
        sent += 1
    due = t0 + sent / RATE - time.monotonic() if sent < TOTAL and idle else 0.05
    for key, _ in sel.select(max(0.0, min(due, 0.05))):
        x = key.data
        d = x.s.recv(65536)
        if not d:
            sys.exit("lmtp: the server closed a session")
        x.buf += d
        for code in read_replies(x):
            x.want -= 1
            if x.state == "envelope":
                if code not in (250, 354):
                    bad += 1
                if x.want == 0:
                    x.s.setblocking(True)
                    x.s.sendall(x.body)
                    x.s.setblocking(False)
                    x.t_dot = time.monotonic()
                    x.state, x.want = "body", 1
            elif x.state == "body":
                t = time.monotonic()
                if code == 250:
                    lat.append(t - x.t_dot)
                    late.append(t - x.t_due)
                else:
                    bad += 1
                x.state = "idle"
                idle.append(x)
elapsed = time.monotonic() - t0
for x in sessions:
    try:
        x.s.setblocking(True)
        x.s.sendall(b"QUIT\r\n")
        x.s.close()
    except OSError:
        pass


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p / 100))] * 1000 if v else 0.0


rate = len(lat) / elapsed
print("lmtp: %d bounces in %.1f s (%.0f/s; asked %.0f/s, %d sessions); end of DATA -> 250 "
      "(committed): p50 %.1f ms, p99 %.1f ms, max %.1f ms; due -> 250: p99 %.1f ms; %d not 250"
      % (len(lat), elapsed, rate, RATE, NSESS, pct(lat, 50), pct(lat, 99), pct(lat, 100),
         pct(late, 99), bad))
met = rate >= RATE * 0.95 and pct(lat, 99) < 1000
print("   target (the rate held, p99 end of DATA -> committed under 1 s): %s" % ("met" if met else "MISSED"))
sys.exit(1 if bad else 0)
