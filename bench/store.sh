#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# store.sh - the store's part of `make bench` (docs/performance.md):
#
#   1. decode + store into SQLite, one core: BENCH_STORE_N (200000)
#      distinct synthetic bounces, beside plain `bouncekit parse` of the
#      same mbox and the ceiling: SQLite alone doing as many event inserts
#      and state upserts (bench/storebench.c -c);
#   2. bytes per stored event (SQLite's dbstat);
#   3. `bouncekit query -` over 1,000,000 stored addresses against SQLite's
#      own point-lookup rate on the same file (storebench -l);
#   4. ingesting the 1 GB corpus mbox of bench/run.sh (when built) into
#      SQLite: peak RSS (the target: under 64 MB).
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=$build/bouncekit
sb=$build/storebench
n=${BENCH_STORE_N:-200000}
nq=${BENCH_QUERY_N:-1000000}
data=$build/bench-data
mkdir -p "$data" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== store: load: $(uptime | sed 's/.*load average/load average/')"
mbox=$data/store-$n.mbox
[ -s "$mbox" ] || "$sb" -m "$n" "$mbox" || exit 1
bytes=$(wc -c < "$mbox")
echo "== decode + store, 1 thread: $mbox ($n distinct bounces, $bytes bytes)"
# cputime N COMMAND...: wall and CPU (user + system) rates of one run;
# on a loaded machine the CPU rate is the one-core figure
cputime() {
	k=$1; shift
	bash -c 'TIMEFORMAT="%R %U %S"; time "$@" > /dev/null' sh "$@" 2>&1 >/dev/null | tail -n 1 |
	awk -v n="$k" '{ printf "wall %.2f s (%.0f/s), CPU %.2f s: %.0f bounces/s on one core\n", $1, n / $1, $2 + $3, n / ($2 + $3) }'
}
echo "-- bouncekit parse -f ndjson (decode alone, for scale)"
cputime "$n" "$bin" parse -q --delivered -f ndjson "$mbox"
echo "-- bouncekit ingest into a new SQLite file"
cputime "$n" "$bin" ingest -q --db "$tmp/ingest.db" "$mbox"
"$bin" db check --db "$tmp/ingest.db" | grep -E "^(events|addresses)"
echo "-- the ceiling on this machine now"
"$sb" -c "$n" "$tmp/ceiling.db"
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$tmp/ingest.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	ev=$("$bin" db check --db "$tmp/ingest.db" | awk '$1 == "events" { print $2 }')
	sqlite3 "$tmp/ingest.db" "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name" 2>/dev/null |
	awk -F'|' -v ev="$ev" '
		$1 ~ /^(events|events_address|events_ts|sqlite_autoindex_events_1)$/ { e += $2 }
		$1 ~ /^(addr_state|addr_state_verdict|sqlite_autoindex_addr_state_1)$/ { s += $2 }
		{ t += $2 }
		END { if (ev > 0) printf "bytes per event %.0f (events table and its indexes); %.0f with the address states; file %.0f\n", e / ev, (e + s) / ev, t / ev }'
fi

echo "== query - over $nq stored addresses"
"$bin" db init --db "$tmp/query.db" >/dev/null || exit 1
"$sb" -f "$nq" "$tmp/query.db" "$tmp/list" || exit 1
"$sb" -l "$tmp/query.db" "$tmp/list" | tee "$tmp/lookup"
q=$(bash -c 'TIMEFORMAT="%R %U %S"; time "$@" < "$0" > "$0.out"' "$tmp/list" "$bin" query --db "$tmp/query.db" --format tsv - 2>&1 | tail -n 1)
got=$(wc -l < "$tmp/list.out")
echo "$q" | awk -v n="$got" -v f="$tmp/lookup" '{
	getline l < f; split(l, w, " "); base = w[3]; basecpu = w[14]
	printf "bouncekit query - %.0f verdicts/s wall, %.0f/s CPU (%d in %.2f s, TSV): %.0f%% of SQLite alone (CPU: %.0f%%)\n",
		n / $1, n / ($2 + $3), n, $1, 100 * (n / $1) / base, 100 * (n / ($2 + $3)) / basecpu }'

big=$(ls "$data"/corpus-*MB.mbox 2>/dev/null | head -n 1)
if [ -n "$big" ]; then
	echo "== ingest $big into SQLite: memory"
	"$build/bench" -x -n 1 -- "$bin" ingest -q --db "$tmp/big.db" "$big" | grep -E "RSS"
	"$bin" db check --db "$tmp/big.db" | grep -E "^events"
else
	echo "== (no corpus mbox under $data: bench/run.sh builds it)"
fi
