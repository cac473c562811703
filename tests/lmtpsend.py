#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# lmtpsend.py - one LMTP session for the shell tests: deliver each MESSAGE
# file (null sender, the recipients given) over a Unix socket, in one
# session, and print each recipient's reply after DATA, one line each
# ("250 2.0.0 <...> 1 records stored").  Between two messages, when
# PAUSE_FILE is given, waits until that file exists (the test does
# something to the store meanwhile, then touches it).
# usage: lmtpsend.py SOCKET [--pause PAUSE_FILE] MESSAGE RCPT [MESSAGE RCPT]...
import os
import socket
import sys
import time

args = sys.argv[1:]
sock = args.pop(0)
pause = None
if args and args[0] == "--pause":
    pause = args[1]
    args = args[2:]
pairs = list(zip(args[0::2], args[1::2]))
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(60)
s.connect(sock)
buf = b""


def reply():
    global buf
    lines = []
    while True:
        while b"\r\n" not in buf:
            d = s.recv(65536)
            if not d:
                raise SystemExit("closed by the server")
            buf += d
        l, buf = buf.split(b"\r\n", 1)
        lines.append(l.decode("utf-8", "replace"))
        if len(l) < 4 or l[3:4] != b"-":
            return lines[-1]


def cmd(c):
    s.sendall(c.encode() + b"\r\n")
    return reply()


reply()
cmd("LHLO test.example.net")
for i, (path, rcpt) in enumerate(pairs):
    if i and pause:
        while not os.path.exists(pause):
            time.sleep(0.05)
        os.unlink(pause)
    data = open(path, "rb").read().replace(b"\r\n", b"\n").split(b"\n")
    if data and data[-1] == b"":
        data.pop()
    body = b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in data) + b".\r\n"
    cmd("MAIL FROM:<>")
    cmd("RCPT TO:<%s>" % rcpt)
    r = cmd("DATA")
    if not r.startswith("354"):
        print(r)
        continue
    s.sendall(body)
    print(reply())
    sys.stdout.flush()
cmd("QUIT")
