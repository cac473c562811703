#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# storedb.sh - the server back ends' part of `make bench`
# (docs/performance.md): decode + store into MariaDB and into PostgreSQL,
# each a throwaway server on a Unix socket (scripts/dbserver.sh), one
# ingest process, over the synthetic mbox of bench/store.sh
# (BENCH_STORE_N distinct bounces, default 200000), and beside each figure
# the ceiling measured in the same run: the database alone doing as many
# event inserts and state upserts (bench/dbceiling.c).  Skipped for a
# server that is not installed.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=$build/bouncekit
n=${BENCH_STORE_N:-200000}
data=$build/bench-data
mkdir -p "$data" || exit 1
srv=$(mktemp -d)
kinds=""
[ -x /usr/sbin/mariadbd ] && kinds=mariadb
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && kinds="$kinds postgresql"
cleanup() {
	for k in $kinds; do
		[ -d "$srv/$k" ] && sh scripts/dbserver.sh stop "$k" "$srv" >/dev/null 2>&1
	done
	rm -rf "$srv"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
if [ -z "$kinds" ]; then
	echo "== store on MariaDB/PostgreSQL: no server installed (scripts/deps.sh test), skipped"
	exit 0
fi

mbox=$data/store-$n.mbox
[ -s "$mbox" ] || "$build/storebench" -m "$n" "$mbox" || exit 1

# rate N COMMAND...: wall rate and the client's CPU of one run
rate() {
	k=$1; shift
	bash -c 'TIMEFORMAT="%R %U %S"; time "$@" > /dev/null' sh "$@" 2>&1 >/dev/null | tail -n 1 |
	awk -v n="$k" '{ printf "wall %.2f s: %.0f bounces/s; client CPU %.2f s\n", $1, n / $1, $2 + $3 }'
}

for k in $kinds; do
	url=$(sh scripts/dbserver.sh start "$k" "$srv") || continue
	echo "== decode + store into $k over a Unix socket, 1 ingest process: $mbox ($n bounces)"
	echo "-- load: $(uptime | sed 's/.*load average/load average/')"
	"$bin" db init --db "$url" >/dev/null || continue
	echo "-- bouncekit ingest"
	rate "$n" "$bin" ingest -q --db "$url" "$mbox"
	"$bin" db check --db "$url" | grep -E "^(events|addresses)" | tr '\n' ' '
	echo
	echo "-- the ceiling now: the database alone, the same number of inserts + upserts"
	"$build/dbceiling" "$url" "$n"
	sh scripts/dbserver.sh stop "$k" "$srv" >/dev/null 2>&1
done
