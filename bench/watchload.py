#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# watchload.py - a paced Maildir writer for bench/intake.sh: RATE bounces a
# second for SECONDS, each written to tmp/ and hard-linked into new/ (then
# unlinked from tmp/, qmail's way), each a distinct bounce; `bouncekit
# watch` moves each to cur/ only after its events are committed, so the
# time from the link to its rename into cur/ (seen with inotify on cur/)
# is the lag from delivery to committed verdict.
# usage: watchload.py MAILDIR FIXTURE RATE SECONDS
# Prints a line "watch: ..." and whether the target is met; exits 1 when
# a message did not reach cur/ within 10 s of the last link.
import ctypes
import os
import select
import struct
import sys
import time

MD, FIXTURE = sys.argv[1], sys.argv[2]
RATE, SECONDS = float(sys.argv[3]), float(sys.argv[4])
TOTAL = int(RATE * SECONDS)
IN_MOVED_TO, IN_NONBLOCK = 0x80, 0o4000

libc = ctypes.CDLL(None, use_errno=True)
ifd = libc.inotify_init1(IN_NONBLOCK)
if ifd < 0 or libc.inotify_add_watch(ifd, os.path.join(MD, "cur").encode(), IN_MOVED_TO) < 0:
    sys.exit("watch: inotify: %s" % os.strerror(ctypes.get_errno()))
tmpl = open(FIXTURE, "rb").read()

# The reader is a process of its own (the writer's bursts do not delay
# it): the time each name reached cur/, sent back when all have, or 10 s
# after the writer is done (CLOCK_MONOTONIC is the same in both).
rfd, wfd = os.pipe()	# reader -> writer: results
dfd, ddfd = os.pipe()	# writer -> reader: closed when done, then the end time
pid = os.fork()
if pid == 0:
    os.close(rfd)
    os.close(ddfd)
    seen = {}
    pend = b""
    t_done = None
    while len(seen) < TOTAL and (t_done is None or time.monotonic() - t_done < 10):
        r, _, _ = select.select([ifd] + ([dfd] if t_done is None else []), [], [], 0.1)
        if dfd in r and t_done is None:
            os.read(dfd, 64)
            t_done = time.monotonic()
        if ifd not in r:
            continue
        try:
            pend += os.read(ifd, 1 << 20)
        except BlockingIOError:
            continue
        now = time.monotonic()
        while len(pend) >= 16:
            wd, mask, cookie, ln = struct.unpack("iIII", pend[:16])
            if len(pend) < 16 + ln:
                break
            seen.setdefault(pend[16:16 + ln].rstrip(b"\0").decode().split(":", 1)[0], now)
            pend = pend[16 + ln:]
    with os.fdopen(wfd, "w") as f:
        for name, t in seen.items():
            f.write("%s %.6f\n" % (name, t))
    os._exit(0)
os.close(wfd)
os.close(dfd)
os.close(ifd)

linked = {}	# name -> time of the link
mypid = os.getpid()
t0 = time.monotonic()
k = 0
while k < TOTAL:
    now = time.monotonic()
    while k < TOTAL and t0 + k / RATE <= now:
        name = "%d.M%dP%d.bench" % (int(time.time()), k, mypid)
        tmp = os.path.join(MD, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(tmpl.replace(b"alice", b"wb%d" % k).replace(b"dsn-intake-1", b"watchbench-%d" % k))
        os.link(tmp, os.path.join(MD, "new", name))
        linked[name] = time.monotonic()
        os.unlink(tmp)
        k += 1
    time.sleep(max(0.0, min(t0 + k / RATE - time.monotonic(), 0.01)))
t_last = time.monotonic()
linking = t_last - t0
os.write(ddfd, b"done")
os.close(ddfd)
lag = []
last_in = t0
with os.fdopen(rfd) as f:
    for line in f:
        name, t = line.split()
        t = float(t)
        if name in linked:
            lag.append(t - linked.pop(name))
            last_in = max(last_in, t)
os.waitpid(pid, 0)
done = last_in - t0


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p / 100))] * 1000 if v else 0.0


print("watch: %d bounces linked into new/ in %.1f s (%.0f/s), %d in cur/ after %.1f s (%.0f/s); "
      "link -> committed, in cur/: p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d not moved"
      % (TOTAL, linking, TOTAL / linking, len(lag), done, len(lag) / done, pct(lag, 50),
         pct(lag, 99), pct(lag, 100), len(linked)))
met = not linked and TOTAL / linking >= RATE * 0.95 and len(lag) / done >= RATE * 0.9
print("   target (keeps up: every message in cur/, the rate held): %s" % ("met" if met else "MISSED"))
sys.exit(1 if linked else 0)
