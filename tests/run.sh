#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run.sh - every test: unit, golden, command line, corpus.
# usage: tests/run.sh [BUILD_DIR]
# The last line is "N passed, N failed" (all suites together).
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
log=$(mktemp)

# BK_EXEC: a command put before each program of the build that the suites
# run, e.g. an emulator for a cross build (scripts/portable.sh):
#   BK_EXEC=qemu-aarch64 tests/run.sh build-aarch64-linux-gnu
# The suites then run wrappers (BK_BIN for bouncekit) that exec the
# programs through it; install and python, which need a library the
# host's compiler and Python can load, say they are skipped.
wrap=""
unit=$build/unit-tests
dbdriver=$build/dbdriver-test
if [ -n "${BK_EXEC:-}" ]; then
	wrap=$(mktemp -d)
	chmod 755 "$wrap"
	real=$(cd "$build" && pwd)
	for prog in bouncekit unit-tests dbdriver-test viewcheck-test; do
		printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$BK_EXEC" "$real/$prog" >"$wrap/$prog"
		chmod 755 "$wrap/$prog"
	done
	BK_BIN=$wrap/bouncekit
	BK_VIEWCHECK=$wrap/viewcheck-test
	export BK_BIN BK_VIEWCHECK
	unit=$wrap/unit-tests
	dbdriver=$wrap/dbdriver-test
fi
total_pass=0 total_fail=0

suite() {
	name=$1; shift
	"$@" >"$log" 2>&1
	cat "$log"
	line=$(grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $name: the suite did not report (crashed?)"
		total_fail=$((total_fail + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) failed.*/\1/')
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

# The store's back ends: SQLite always; MariaDB and PostgreSQL each on a
# throwaway server (scripts/dbserver.sh: a mktemp directory, a Unix socket)
# when installed, started now in the background while the other suites
# run, and stopped on exit, whatever happened.
dbdir=$(mktemp -d)
dbkinds=""
[ -x /usr/sbin/mariadbd ] && dbkinds=mariadb
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && dbkinds="$dbkinds postgresql"
# a cross build's store has SQLite only (docs/portable.md)
[ -n "${BK_EXEC:-}" ] && dbkinds=""
for k in $dbkinds; do
	sh scripts/dbserver.sh start "$k" "$dbdir" >"$dbdir/$k.url" 2>"$dbdir/$k.err" &
done
dbstop() {
	wait
	for k in $dbkinds; do
		[ -d "$dbdir/$k" ] && sh scripts/dbserver.sh stop "$k" "$dbdir" >/dev/null 2>&1
	done
	rm -rf "$dbdir"
}
trap dbstop EXIT
trap 'exit 130' INT TERM HUP

suite unit "$unit"
suite golden sh tests/golden.sh "$build"
suite explain sh tests/explain.sh "$build"
suite layers sh tests/layers.sh
suite cli sh tests/cli.sh "$build"
suite bad sh tests/bad.sh "$build"
suite corpus sh tests/corpus.sh "$build"
suite mutate python3 tests/mutate.py "$build"
suite store sh tests/store.sh "$build"
suite serve sh tests/serve.sh "$build"
suite abuse sh tests/serve-abuse.sh "$build"
suite api sh tests/api.sh "$build"
suite browser python3 tests/browser.py "$build"
suite webhooks sh tests/webhooks.sh "$build"
suite intake sh tests/intake.sh "$build"
suite maillog sh tests/maillog.sh "$build"
suite postfix sh tests/postfix.sh "$build"
suite abi sh tests/abi.sh "$build"
suite install sh tests/install.sh "$build"
suite python sh tests/python.sh "$build"
suite spdx sh scripts/spdx.sh
suite lab sh tests/lab.sh "$build"
# the database drivers, then the store suite on each server
wait
db_urls=""
for k in $dbkinds; do
	if [ -s "$dbdir/$k.url" ]; then
		db_urls="$db_urls $(cat "$dbdir/$k.url")"
	else
		echo "FAIL $k: the throwaway server did not start"
		sed 's/^/     /' "$dbdir/$k.err"
		total_fail=$((total_fail + 1))
	fi
done
if [ -n "${BK_EXEC:-}" ]; then
	echo "skip: a cross build (BK_EXEC): the store is tested on SQLite only"
elif [ -z "$dbkinds" ]; then
	echo "skip: no MariaDB or PostgreSQL server installed" \
		"(scripts/deps.sh test): the store is tested on SQLite only"
fi
suite dbdriver "$dbdriver" "sqlite:$dbdir/dbdriver.db" $db_urls
if [ -f tests/store.sh ]; then
	for u in $db_urls; do
		suite store env BK_TEST_DB="$u" sh tests/store.sh "$build"
		suite api env BK_TEST_DB="$u" sh tests/api.sh "$build"
	done
fi
# kill -9, four writers, a server stopped: on its own servers (~2 min)
suite durability sh tests/durability.sh "$build"
rm -f "$log"
[ -n "$wrap" ] && rm -rf "$wrap"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
