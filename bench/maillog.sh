#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# maillog.sh - the delivery log reader's part of `make bench` (issue 14's
# target: 100,000 lines/s; docs/performance.md).  A synthetic Postfix
# syslog (bench/maillog.py) read by `bouncekit ingest --log postfix` into
# SQLite, end to end (parse, classify, store, commit):
#   1. deliveries only (every message sent): the reader and the delivery
#      counts;
#   2. a quarter of the messages failed (10% deferred, 15% bounced): an
#      event each, through the classifier into the store.
# BENCH_LOG_LINES (400000) lines each.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=$PWD/$build/bouncekit
n=${BENCH_LOG_LINES:-400000}
command -v python3 >/dev/null 2>&1 || { echo "== maillog: skipped (needs python3)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== maillog: load: $(uptime | sed 's/.*load average/load average/')"
for share in 0 0.25; do
	python3 bench/maillog.py "$n" "$share" > "$tmp/mail.log"
	best=""
	for run in 1 2 3; do
		rm -f "$tmp/b.db"*
		t0=$(date +%s%N)
		"$bin" ingest -q --log-year 2026 --log postfix --db "$tmp/b.db" "$tmp/mail.log" || exit 1
		t1=$(date +%s%N)
		ms=$(( (t1 - t0) / 1000000 ))
		[ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
	done
	ev=$("$bin" db check --db "$tmp/b.db" | awk '$1 == "events" { print $2 }')
	echo "   ingest --log postfix, failed share $share: $n lines, $ev events, best of 3 ${best} ms:" \
		"$(awk -v n="$n" -v ms="$best" 'BEGIN { printf "%.0f", n * 1000 / (ms ? ms : 1) }') lines/s"
done
