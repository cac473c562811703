# SPDX-License-Identifier: BSD-2-Clause
# lib.sh - the start the suites share.  A suite sets its name and goes to
# the repository's root, then sources this:
#     suite=maillog
#     cd "$(dirname "$0")/.." || exit 2
#     . tests/lib.sh
# which sets
#   build   the build directory: the suite's first argument, else build
#   bin     the bouncekit under test, an absolute path (BK_BIN: the wrapper
#           tests/run.sh makes under BK_EXEC)
#   tmp     a fresh directory, removed on exit after the suite's own
#           at_exit function (redefine it to stop what the suite started)
#   pass, fail and
#   ok NAME          "ok   SUITE NAME", counted passed
#   ko NAME [DETAIL] "FAIL SUITE NAME" (and the detail indented), failed
#   report           the last line, "SUITE: N passed, N failed", and the
#                    exit status (0 when nothing failed)
#   sqlite_lock FILE, sqlite_unlock   hold a SQLite store's write lock
set -u
build=${1:-build}
bin=${BK_BIN:-$PWD/$build/bouncekit}
tmp=$(mktemp -d)
lockpid=""
at_exit() { :; }
lib_cleanup() { at_exit; [ -n "$lockpid" ] && kill "$lockpid" 2>/dev/null; rm -rf "$tmp"; }
trap lib_cleanup EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $suite $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $suite $1"; [ -n "${2:-}" ] && echo "     $2"; }
report() { echo "$suite: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; }

# sqlite_lock FILE: a sqlite3 in the background holds FILE's write lock
# (a transaction left open) until sqlite_unlock; returns once it holds it
# (30 s at most).  Needs the sqlite3 command.
sqlite_lock() {
	rm -f "$tmp/lockfifo"
	mkfifo "$tmp/lockfifo"
	# .timeout: the probe below may hold the lock for an instant first
	( echo ".timeout 10000"
	  echo "BEGIN IMMEDIATE; INSERT INTO audit (at, who, action, scope, address, reason) VALUES (0, 'x', 'x', '', 'x', 'x');"
	  cat "$tmp/lockfifo"; echo "ROLLBACK;" ) | sqlite3 "$1" &
	lockpid=$!
	exec 7>"$tmp/lockfifo"
	i=0; while [ $i -lt 300 ] && ! sqlite3 "$1" "PRAGMA busy_timeout=0; BEGIN IMMEDIATE; ROLLBACK;" 2>&1 | grep -q locked; do sleep 0.1; i=$((i + 1)); done
}
sqlite_unlock() { exec 7>&-; wait "$lockpid"; lockpid=""; }
