#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run.sh - `make bench`: throughput and memory, in one run (bench/bench.c
# has the modes; docs/performance.md explains the numbers):
#
#   1. the corpus mix decoded in memory, single-threaded (and with NDJSON);
#   2. pathological messages, each at two sizes;
#   3. an mbox of BENCH_MBOX_MB (default 1024) megabytes built from the
#      corpus under $build/bench-data (not committed, kept between runs),
#      streamed by the library and by `bouncekit parse`, with 1 and 2
#      threads: throughput, peak resident memory, time to the first record;
#   4. start-up: `bouncekit parse` on one small message.
#
# Wall-clock numbers move with the machine's load: take the median of
# several runs when `uptime` is low (docs/performance.md).
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
secs=${BENCH_SECONDS:-3}
mbox_mb=${BENCH_MBOX_MB:-1024}
corpus=${BOUNCEKIT_CORPUS:-../shared/corpus}/sisimai/maildir/bsd
if [ ! -d "$corpus" ]; then
	echo "($corpus absent, set BOUNCEKIT_CORPUS: measuring tests/golden instead)"
	corpus=tests/golden
fi
data=$build/bench-data
mkdir -p "$data" || exit 1
parse="$build/bouncekit parse -q --delivered --vacation -f ndjson"

echo "== load: $(uptime | sed 's/.*load average/load average/')"
echo "== corpus mix, decode only, 1 thread: $corpus"
"$build/bench" -t "$secs" "$corpus"
echo "== corpus mix, decode and write NDJSON, 1 thread"
"$build/bench" -t "$secs" -w "$corpus"

echo "== pathological input, 1 thread (MB/s about equal at both sizes: linear)"
"$build/bench" -P -t 1

mbox=$data/corpus-${mbox_mb}MB.mbox
if [ ! -s "$mbox" ] || [ ! -s "$mbox.count" ]; then
	echo "== building $mbox from $corpus"
	"$build/bench" -G "$mbox_mb" -o "$mbox" "$corpus" > "$mbox.count" || exit 1
fi
read -r _ msgs _ bytes < "$mbox.count"
echo "== $mbox: $msgs messages, $bytes bytes"
echo "-- the library streaming it (bk_source, bk_decode, NDJSON), 1 thread"
"$build/bench" -S "$mbox"
runs=${BENCH_RUNS:-3}
echo "-- bouncekit parse -f ndjson, 1 thread (output through a pipe into /dev/null)"
j1=$("$build/bench" -x -n "$runs" -M "$msgs" -B "$bytes" -- $parse "$mbox")
echo "$j1"
echo "-- bouncekit parse -f ndjson -j 2"
j2=$("$build/bench" -x -n "$runs" -M "$msgs" -B "$bytes" -- $parse -j 2 "$mbox")
echo "$j2"
printf '%s\n%s\n' "$j1" "$j2" | awk '$1 == "wall" { t[++n] = $2 }
	END { if (n == 2 && t[2] > 0) printf "-j 2 / 1 thread  %.2fx (medians; %d cores)\n", t[1] / t[2], '"$(nproc 2>/dev/null || echo 0)"' }'

echo "== start-up: bouncekit parse on one small message"
"$build/bench" -x -n 51 -- $parse tests/golden/postfix-01.eml
