#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# durability.sh - the store under crashes, concurrency and a database that
# goes away, on every back end installed (SQLite always; MariaDB and
# PostgreSQL on their own throwaway servers, scripts/dbserver.sh):
#
# - kill -9: `bouncekit ingest` killed with SIGKILL at random moments,
#   KILLS times (default 100) per back end, each kill followed by a restart
#   over the same input (the next round's process, then a last one left to
#   finish): the events and the verdicts are exactly those of one
#   uninterrupted run (one event per message and recipient);
# - four writers: four `bouncekit ingest` processes at once over
#   overlapping halves of the input into one database give the same events
#   and verdicts as one process (MariaDB, PostgreSQL, and SQLite too);
# - a server that is down: a clear error and exit 75 (EX_TEMPFAIL); a
#   server stopped in the middle of an ingest: exit 75 (or 0 had it
#   finished), and after the server is back, a run to the end gives the
#   same result as an uninterrupted one (no batch half-written); a server
#   stopped in the middle of an LMTP session: 451 4.3.0 for the message
#   then, and after the restart its retry in the same session is stored.
#
# The input: the shared corpus's maildir/bsd when present, else our own
# fixtures (tests/golden/*.eml).  Bounded in time: a kill comes within the
# time one uninterrupted run takes, with small batches so that kills land
# between and inside transactions.
#
# usage: tests/durability.sh [BUILD_DIR]     (KILLS=N to change the count)
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=${BK_BIN:-$PWD/$build/bouncekit}	# BK_BIN: tests/run.sh's wrapper (BK_EXEC)
kills=${KILLS:-100}
tmp=$(mktemp -d)
srv=$(mktemp -d)	# its own: dbserver.sh opens it to the postgres user
pass=0 fail=0
kinds=""

cleanup() {
	for k in $kinds; do
		[ -d "$srv/$k" ] && sh scripts/dbserver.sh stop "$k" "$srv" >/dev/null 2>&1
	done
	rm -rf "$tmp" "$srv"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ok() { pass=$((pass + 1)); echo "ok   durability $1"; }
ko() { fail=$((fail + 1)); echo "FAIL durability $1"; [ -n "${2:-}" ] && echo "     $2"; return 0; }

# ---- input ----
corpus=${BOUNCEKIT_CORPUS:-../shared/corpus}/sisimai/maildir/bsd
if [ -d "$corpus" ]; then
	input=$corpus
else
	echo "skip durability: no shared corpus at $corpus (BOUNCEKIT_CORPUS, default ../shared/corpus): our fixtures instead"
	mkdir -p "$tmp/in"
	cp tests/golden/*.eml "$tmp/in/"
	input=$tmp/in
fi
ls "$input" | sort >"$tmp/files"
nfiles=$(wc -l <"$tmp/files")

# ---- servers ----
[ -x /usr/sbin/mariadbd ] && kinds=mariadb
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && kinds="$kinds postgresql"
# a cross build (BK_EXEC) has the store with SQLite only (docs/portable.md)
[ -n "${BK_EXEC:-}" ] && kinds=""
for k in $kinds; do
	sh scripts/dbserver.sh start "$k" "$srv" >"$tmp/$k.url" 2>"$tmp/$k.err" &
done
wait
[ -z "$kinds" ] && echo "skip durability: no MariaDB or PostgreSQL server installed: SQLite only"

# fresh_db URL NAME: a new empty database beside URL's; prints its URL
fresh_db() {
	case $1 in
	sqlite:*) echo "sqlite:$tmp/$2.db" ;;
	mysql://*)
		sock=$(echo "$1" | sed -n 's/.*[?&]socket=\([^&]*\).*/\1/p')
		cred=$(echo "$1" | sed -n 's#^mysql://\([^@/]*\)@.*#\1#p')
		mariadb --no-defaults --socket="$sock" -u"${cred%%:*}" -p"${cred#*:}" \
			-e "CREATE DATABASE bouncekit_$2 CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" ||
			return 1
		echo "$1" | sed "s#^\(mysql://[^/]*/\)[^?]*#\1bouncekit_$2#"
		;;
	postgres*)
		psql -X -q "$1" -c "CREATE DATABASE bouncekit_$2" >/dev/null || return 1
		echo "$1" | sed "s#^\(postgres[a-z]*://[^/]*/\)[^?]*#\1bouncekit_$2#"
		;;
	esac
}

# snapshot URL FILE [keys]: the events and the verdicts, sorted (the order
# of rows is the database's business).  The events whole but for their
# origin (the same message in two files is one event, whose origin is the
# file that came first); with "keys", only what identifies each event (its
# message token and recipient): two copies of one message may differ in a
# header, and which copy is stored depends on who came first.
snapshot() {
	{ if [ "${3:-}" = keys ]; then
		"$bin" export --events --format ndjson --db "$1" | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["token"], r["recipient"])' | sort
	  else
		"$bin" export --events --format ndjson --db "$1" |
			sed 's/"origin":"[^"]*",//' | sort
	  fi
	  echo "--"
	  "$bin" export --suppressed --db "$1" | sort; } >"$2" 2>"$2.err"
}

# rand N: a random integer in [0, N)
rand() {
	r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	echo $((r % $1))
}

now_ms() { date +%s%3N; }

# ---- the reference: one uninterrupted run (SQLite) ----
ref=sqlite:$tmp/ref.db
t0=$(now_ms)
"$bin" ingest -q --db "$ref" "$input"
rc=$?
run_ms=$(($(now_ms) - t0))
snapshot "$ref" "$tmp/ref.snap"
snapshot "$ref" "$tmp/ref.keys" keys
nev=$("$bin" export --events --format ndjson --db "$ref" | wc -l)
if [ $rc -eq 0 ] && [ "$nev" -gt 0 ]; then
	ok "reference: $nfiles files, $nev events, ${run_ms} ms"
else
	ko "reference run (exit $rc, $nev events)"
fi

same() {	# same NAME SNAPSHOT [REFERENCE]
	r=${3:-$tmp/ref.snap}
	if cmp -s "$r" "$2"; then
		ok "$1"
	else
		ko "$1" "$(diff "$r" "$2" | head -n 6 | cut -c 1-300 | tr '\n' ' ')"
	fi
}

# ---- kill -9 ----
killtest() {	# killtest KIND URL
	url=$(fresh_db "$2" kill) || { ko "$1 kill -9: a fresh database"; return; }
	"$bin" db init --db "$url" >/dev/null 2>&1
	# a kill within the time a run over stored input takes on this back
	# end (most rounds find most of it stored), and at least 50 ms
	turl=$(fresh_db "$2" timing)
	"$bin" ingest -q --db "$turl" "$input" >/dev/null 2>&1
	t0=$(now_ms)
	"$bin" ingest -q --db "$turl" "$input" >/dev/null 2>&1
	span=$(($(now_ms) - t0 + 50))
	hit=0 i=0 bad=""
	while [ $i -lt "$kills" ]; do
		i=$((i + 1))
		batch=$((1 + $(rand 200)))
		"$bin" ingest -q --batch $batch --db "$url" "$input" >/dev/null 2>"$wd/kill.err" &
		pid=$!
		ms=$(rand "$span")
		sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
		kill -KILL $pid 2>/dev/null && hit=$((hit + 1))
		wait $pid 2>/dev/null
		rc=$?
		# killed (137) or finished (0): anything else is an error
		[ $rc -ne 137 ] && [ $rc -ne 0 ] && bad="$bad round $i exit $rc: $(head -c 200 "$wd/kill.err");"
	done
	"$bin" ingest -q --db "$url" "$input"
	rc=$?
	[ -z "$bad" ] && ok "$1 kill -9: $kills rounds, $hit killed while running" ||
		ko "$1 kill -9: a round failed otherwise" "$bad"
	# how many land depends on the machine's load (24 to 95 of 100 seen):
	# a tenth is enough to show that runs were cut at random places
	[ $hit -ge $((kills / 10)) ] && ok "$1 kill -9: kills land in a run" ||
		ko "$1 kill -9: only $hit of $kills kills landed in a run"
	[ $rc -eq 0 ] && ok "$1 kill -9: the last run finishes" || ko "$1 kill -9: the last run (exit $rc)"
	snapshot "$url" "$wd/kill.snap"
	same "$1 kill -9: the same events and verdicts as one run" "$wd/kill.snap"
}

# ---- four writers ----
fourtest() {	# fourtest KIND URL
	url=$(fresh_db "$2" four) || { ko "$1 four writers: a fresh database"; return; }
	"$bin" db init --db "$url" >/dev/null 2>&1
	# writer w takes the files whose number mod 4 is w or w+1: each file
	# twice, in four different mixes
	pids=""
	for w in 0 1 2 3; do
		awk -v w=$w -v d="$input" '(NR % 4 == w) || (NR % 4 == (w + 1) % 4) { print d "/" $0 }' \
			"$tmp/files" >"$wd/four.$w"
		xargs "$bin" ingest -q --batch 50 --db "$url" <"$wd/four.$w" \
			>"$wd/four.$w.out" 2>&1 &
		pids="$pids $!"
	done
	bad=""
	w=0
	for p in $pids; do
		wait "$p" || bad="$bad writer $w: $(head -c 300 "$wd/four.$w.out");"
		w=$((w + 1))
	done
	[ -z "$bad" ] && ok "$1 four writers: all finish" || ko "$1 four writers: all finish" "$bad"
	snapshot "$url" "$wd/four.snap" keys
	same "$1 four writers: the same events and verdicts as one" "$wd/four.snap" "$tmp/ref.keys"
}

# ---- the server goes away ----
downtest() {	# downtest KIND URL
	url=$(fresh_db "$2" down) || { ko "$1 down: a fresh database"; return; }
	"$bin" db init --db "$url" >/dev/null 2>&1
	sh scripts/dbserver.sh stop "$1" "$srv" >/dev/null 2>&1
	"$bin" ingest -q --db "$url" "$input" >/dev/null 2>"$wd/down.err"
	rc=$?
	[ $rc -eq 75 ] && ok "$1 server stopped: exit 75" || ko "$1 server stopped: exit $rc, want 75"
	grep -qi 'store' "$wd/down.err" && grep -qi 'temporar\|try again\|connect\|server' "$wd/down.err" &&
		ok "$1 server stopped: a clear message" ||
		ko "$1 server stopped: the message" "$(head -c 300 "$wd/down.err")"
	sh scripts/dbserver.sh start "$1" "$srv" >/dev/null 2>"$wd/restart.err" ||
		{ ko "$1 restart" "$(cat "$wd/restart.err")"; return; }
	# stopped in the middle of a run, small batches
	"$bin" ingest -q --batch 20 --db "$url" "$input" >/dev/null 2>"$wd/mid.err" &
	pid=$!
	sleep "0.$(printf '%03d' $((100 + $(rand 400))))"
	sh scripts/dbserver.sh stop "$1" "$srv" >/dev/null 2>&1
	wait $pid
	rc=$?
	[ $rc -eq 75 ] || [ $rc -eq 0 ] && ok "$1 server stopped mid-run: exit $rc" ||
		ko "$1 server stopped mid-run: exit $rc, want 75" "$(head -c 300 "$wd/mid.err")"
	sh scripts/dbserver.sh start "$1" "$srv" >/dev/null 2>"$wd/restart.err" ||
		{ ko "$1 restart" "$(cat "$wd/restart.err")"; return; }
	"$bin" ingest -q --db "$url" "$input"
	rc=$?
	[ $rc -eq 0 ] && ok "$1 after the restart: the run finishes" || ko "$1 after the restart: exit $rc"
	snapshot "$url" "$wd/down.snap"
	same "$1 after the restart: the same events and verdicts as one run" "$wd/down.snap"
}

# ---- the server goes away in the middle of an LMTP session ----
# one session: a bounce stored (250); the server stopped, the next one
# gets 451 4.3.0 (nothing lost: the MTA keeps it); the server back, the
# same message again in the same session is stored (250)
lmtpdown() {	# lmtpdown KIND URL
	url=$(fresh_db "$2" lmtp) || { ko "$1 lmtp: a fresh database"; return; }
	"$bin" db init --db "$url" >/dev/null 2>&1
	fx=tests/fixtures/intake/dsn-userunknown.eml
	sed 's/alice/lmtpb/g; s/dsn-intake-1/dsn-intake-lmtpb/' "$fx" >"$wd/lmtpb.eml"
	rm -f "$wd/go" "$wd/lmtp.sock"
	"$bin" lmtp --listen "unix:$wd/lmtp.sock" --db "$url" 2>"$wd/lmtp.log" &
	lpid=$!
	i=0; while [ ! -S "$wd/lmtp.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	python3 tests/lmtpsend.py "$wd/lmtp.sock" --pause "$wd/go" \
		"$fx" "bounces+alice=example.org@sender.example" \
		"$wd/lmtpb.eml" "bounces+lmtpb=example.org@sender.example" \
		"$wd/lmtpb.eml" "bounces+lmtpb=example.org@sender.example" >"$wd/lmtp.out" 2>&1 &
	spid=$!
	lines() { [ "$(wc -l <"$wd/lmtp.out")" -ge "$1" ]; }
	i=0; while ! lines 1 && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	sh scripts/dbserver.sh stop "$1" "$srv" >/dev/null 2>&1
	touch "$wd/go"
	i=0; while ! lines 2 && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	sh scripts/dbserver.sh start "$1" "$srv" >/dev/null 2>"$wd/restart.err" ||
		ko "$1 lmtp: restart" "$(cat "$wd/restart.err")"
	touch "$wd/go"
	wait $spid
	kill $lpid 2>/dev/null; wait $lpid 2>/dev/null
	codes=$(cut -c1-3 "$wd/lmtp.out" | tr '\n' ' ')
	[ "$codes" = "250 451 250 " ] && grep -q "^451 4.3.0" "$wd/lmtp.out" &&
		ok "$1 lmtp: the server stopped mid-session: 451 4.3.0, then the retry stored (250)" ||
		ko "$1 lmtp: server stopped mid-session: replies $codes, want 250 451 250" \
			"$(cat "$wd/lmtp.out" | tr '\n' ' '; tail -n 3 "$wd/lmtp.log" | tr '\n' ' ')"
	v=$("$bin" query --db "$url" --format tsv lmtpb@example.org 2>/dev/null | cut -f2)
	[ "$v" = suppressed ] && ok "$1 lmtp: the bounce refused while the server was down is stored" ||
		ko "$1 lmtp: the retried bounce" "verdict '$v'"
}

# the back ends at once (each its own scratch directory $wd and output)
backend() {	# backend KIND URL
	wd=$tmp/w.$1
	mkdir -p "$wd"
	killtest "$1" "$2"
	fourtest "$1" "$2"
	[ "$1" = sqlite ] || { downtest "$1" "$2"; lmtpdown "$1" "$2"; }
}
backend sqlite "sqlite:$tmp/x.db" >"$tmp/out.sqlite" 2>&1 &
for k in $kinds; do
	if [ ! -s "$tmp/$k.url" ]; then
		ko "$k: the throwaway server did not start" "$(cat "$tmp/$k.err")"
		continue
	fi
	backend "$k" "$(cat "$tmp/$k.url")" >"$tmp/out.$k" 2>&1 &
done
wait
for k in sqlite $kinds; do
	[ -f "$tmp/out.$k" ] || continue
	cat "$tmp/out.$k"
	pass=$((pass + $(grep -c '^ok   durability' "$tmp/out.$k")))
	fail=$((fail + $(grep -c '^FAIL durability' "$tmp/out.$k")))
done
echo "durability: $pass passed, $fail failed"
[ $fail -eq 0 ]
