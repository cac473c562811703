#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# intake.sh - real-time intake's part of `make bench` (docs/performance.md,
# issue 14's targets):
#
#   1. `bouncekit lmtp` into SQLite: BENCH_LMTP_RATE (1000) distinct
#      bounces a second for BENCH seconds (60) over BENCH_LMTP_SESSIONS (8)
#      connections (bench/lmtpload.py, paced); each message's latency from
#      the end of DATA to its 250, which the server sends only after the
#      commit.  The target: the rate held, p99 under 1 s.
#   2. `bouncekit watch` on a Maildir: BENCH_WATCH_RATE (1000) bounces a
#      second hard-linked into new/ for BENCH seconds (bench/watchload.py);
#      the lag from each link to its rename into cur/ (after the commit).
#      The target: keeps up (every message in cur/, the rate held).
#
# BENCH=5 make bench   (or sh bench/intake.sh build) for a short run.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=$PWD/$build/bouncekit
secs=${BENCH:-60}
fx=$PWD/tests/fixtures/intake/dsn-userunknown.eml
command -v python3 >/dev/null 2>&1 || { echo "== intake: skipped (needs python3)"; exit 0; }
tmp=$(mktemp -d)
spid=""
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$tmp"' EXIT
rc=0
events() { "$bin" db check --db "$1" 2>/dev/null | awk '$1 == "events" { print $2 }'; }

echo "== intake: load: $(uptime | sed 's/.*load average/load average/')"
rate=${BENCH_LMTP_RATE:-1000}
sess=${BENCH_LMTP_SESSIONS:-8}
echo "== intake: bouncekit lmtp into SQLite, $rate bounces/s for $secs s, $sess sessions"
"$bin" lmtp -q --listen "unix:$tmp/lmtp.sock" --db "$tmp/lmtp.db" &
spid=$!
i=0; while [ ! -S "$tmp/lmtp.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
python3 bench/lmtpload.py "$tmp/lmtp.sock" "$fx" "$rate" "$secs" "$sess" || rc=1
kill "$spid"; wait "$spid"; spid=""
n=$(events "$tmp/lmtp.db")
echo "   events committed: $n (of $(awk -v r="$rate" -v s="$secs" 'BEGIN { print int(r * s) }'))"

rate=${BENCH_WATCH_RATE:-1000}
echo "== intake: bouncekit watch, $rate bounces/s linked into new/ for $secs s"
md=$tmp/Maildir
mkdir -p "$md/tmp" "$md/new" "$md/cur"
"$bin" watch -q --db "$tmp/watch.db" "$md" &
spid=$!
sleep 0.5
python3 bench/watchload.py "$md" "$fx" "$rate" "$secs" || rc=1
kill "$spid"; wait "$spid"; spid=""
echo "   events committed: $(events "$tmp/watch.db")"
exit $rc
