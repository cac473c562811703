#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# api.sh - the HTTP API's listing and writing calls (docs/api.md):
# /v1/stats, /v1/events, /v1/suppressions (paging, filters, manual changes,
# export, import), /metrics, the rate limit and docs/openapi.yaml against
# the server's routes.  A server on a free loopback port over a throwaway
# store: SQLite in a mktemp directory, or, with BK_TEST_DB (a MariaDB or
# PostgreSQL URL from tests/run.sh), a new database beside it, dropped at
# the end (the counts the suite checks need a store of its own).
# usage: tests/api.sh [BUILD_DIR]
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=${BK_BIN:-$build/bouncekit}
url=${BK_TEST_DB:-}
name=bouncekit_api$$
drop=""
case $url in
mysql://*)
	sock=$(echo "$url" | sed -n 's/.*[?&]socket=\([^&]*\).*/\1/p')
	cred=$(echo "$url" | sed -n 's#^mysql://\([^@/]*\)@.*#\1#p')
	my() { mariadb --no-defaults --socket="$sock" -u"${cred%%:*}" -p"${cred#*:}" -e "$1"; }
	my "CREATE DATABASE $name CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" ||
		{ echo "FAIL api: cannot create a database"; echo "api: 0 passed, 1 failed"; exit 1; }
	drop="my 'DROP DATABASE $name'"
	url=$(echo "$url" | sed "s#^\(mysql://[^/]*/\)[^?]*#\1$name#")
	;;
postgres*)
	psql -X -q "$url" -c "CREATE DATABASE $name" >/dev/null ||
		{ echo "FAIL api: cannot create a database"; echo "api: 0 passed, 1 failed"; exit 1; }
	drop="psql -X -q '$url' -c 'DROP DATABASE $name' >/dev/null"
	url=$(echo "$url" | sed "s#^\(postgres[a-z]*://[^/]*/\)[^?]*#\1$name#")
	;;
esac
BK_API_DB=$url python3 tests/api.py "$bin"
rc=$?
[ -n "$drop" ] && eval "$drop"
exit $rc
