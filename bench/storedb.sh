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

# srvcpu KIND: the CPU seconds the server has used so far, its processes
# and the children they reaped (a PostgreSQL backend's time goes to the
# postmaster's children's time when the connection ends)
srvcpu() {
	case $1 in
	mariadb) pids=$(cat "$srv/mariadb/mysqld.pid" 2>/dev/null) ;;
	postgresql)
		pm=$(head -n 1 "$srv/postgresql/data/postmaster.pid" 2>/dev/null)
		pids="$pm $(ps -o pid= --ppid "$pm" 2>/dev/null)" ;;
	esac
	t=0
	for p in $pids; do
		# fields after the command's ')': utime is the 12th, then
		# stime, cutime, cstime
		v=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }')
		t=$((t + ${v:-0}))
	done
	awk -v t="$t" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

# a cache that holds the data, as a server in service has
# (BENCH_DB_MEM MB; the tests' servers have 64)
mem=${BENCH_DB_MEM:-512}
for k in $kinds; do
	url=$(DBSERVER_MEM=$mem sh scripts/dbserver.sh start "$k" "$srv") || continue
	echo "== decode + store into $k over a Unix socket (a ${mem} MB cache), 1 ingest process: $mbox ($n bounces)"
	echo "-- load: $(uptime | sed 's/.*load average/load average/')"
	"$bin" db init --db "$url" >/dev/null || continue
	echo "-- bouncekit ingest (batches of 5000)"
	s0=$(srvcpu "$k")
	bash -c 'TIMEFORMAT="%R %U %S"; time "$@" 2>"'"$srv"'/ingest.err" >/dev/null' sh \
		"$bin" ingest -v --db "$url" "$mbox" 2>"$srv/time" >/dev/null
	sleep 1	# the backend ends (and is reaped) after its client
	s1=$(srvcpu "$k")
	grep "statements" "$srv/ingest.err" | sed 's/^ingest: //'
	tail -n 1 "$srv/time" | awk -v n="$n" -v s0="$s0" -v s1="$s1" '{
		c = $2 + $3; sv = s1 - s0
		printf "wall %.2f s: %.0f bounces/s; client CPU %.2f s (%.0f bounces/s of it), server CPU %.2f s;\n", $1, n / $1, c, n / c, sv
		printf "CPU bound (client + server CPU, nothing else running): %.0f bounces/s\n", n / (c + sv) }'
	"$bin" db check --db "$url" | grep -E "^(events|addresses)" | tr '\n' ' '
	echo
	echo "-- the ceiling now: the database alone, the same number of inserts + upserts"
	"$build/dbceiling" "$url" "$n"
	sh scripts/dbserver.sh stop "$k" "$srv" >/dev/null 2>&1
done
