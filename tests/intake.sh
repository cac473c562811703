#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# intake.sh - real-time intake (docs/intake.md): `bouncekit ingest --pipe -`
# as an MTA pipe (envelope options, VERP, --keep-unparsed, sysexits 0/65/75
# with a locked or broken store) and `bouncekit lmtp` (tests/lmtp.py).
# usage: tests/intake.sh [BUILD_DIR]
set -u
suite=intake
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh	# build, bin, tmp, ok, ko, report
fx=$PWD/tests/fixtures/intake

db=$tmp/pipe.db
keep=$tmp/keep
mkdir "$keep"
# pipe FIXTURE ARGS...: exit status of one pipe delivery
pipe() { f=$1; shift; "$bin" ingest --db "$db" "$@" - < "$fx/$f" >"$tmp/out" 2>&1; }
verdict() { "$bin" query --db "$1" --format tsv "$2" 2>/dev/null | cut -f2,4,5 | tr '\t' ' '; }
events() { "$bin" db check --db "$1" 2>/dev/null | awk '$1 == "events" { print $2 }'; }
V="bounces+alice=example.org@sender.example"

# ---- the MTA pipe
pipe dsn-userunknown.eml --sender MAILER-DAEMON --recipient "$V"; rc=$?
[ $rc -eq 0 ] && [ "$(verdict "$db" alice@example.org)" = "suppressed hard userunknown" ] &&
	ok "pipe: a bounce is stored (exit 0), verdict suppressed" ||
	ko "pipe: a bounce is stored" "exit $rc, $(verdict "$db" alice@example.org): $(cat "$tmp/out")"
grep -q "1 records stored" "$tmp/out" && ok "pipe: says what it stored" || ko "pipe: says what it stored" "$(cat "$tmp/out")"
pipe dsn-userunknown.eml --recipient "$V"; rc=$?
[ $rc -eq 0 ] && [ "$(events "$db")" = 1 ] && ok "pipe: the same message again is one event" ||
	ko "pipe: the same message again" "exit $rc, events $(events "$db")"
"$bin" query --db "$db" alice@example.org 2>&1 | grep -q pipe &&
	ok "pipe: channel pipe in the evidence" || ko "pipe: channel pipe" "$("$bin" query --db "$db" alice@example.org 2>&1)"
{ echo "From MAILER-DAEMON  Sat Dec  5 10:00:01 2026"; sed 's/alice/frank/g; s/dsn-intake-1/dsn-intake-f/' "$fx/dsn-userunknown.eml"; } > "$tmp/fromline.eml"
"$bin" ingest --db "$db" --pipe - < "$tmp/fromline.eml" >/dev/null 2>&1; rc=$?
[ $rc -eq 0 ] && [ "$(verdict "$db" frank@example.org)" = "suppressed hard userunknown" ] &&
	ok "pipe: a leading From_ line (Postfix pipe flags=F)" || ko "pipe: From_ line" "exit $rc $(verdict "$db" frank@example.org)"

pipe not-a-bounce.eml --sender carol@example.net --recipient "bounces+bob=example.org@sender.example" --keep-unparsed "$keep"; rc=$?
kept=$(ls "$keep" | head -n 1)
[ $rc -eq 0 ] && [ -n "$kept" ] && [ "$(verdict "$db" bob@example.org)" = "ok  " ] &&
	ok "pipe: not a bounce: accepted (exit 0), kept, no event" ||
	ko "pipe: not a bounce" "exit $rc, kept '$kept', $(verdict "$db" bob@example.org): $(cat "$tmp/out")"
[ -n "$kept" ] && grep -q "^X-Original-To: bounces+bob=example.org@sender.example" "$keep/$kept" &&
	grep -q "^Return-Path: <carol@example.net>" "$keep/$kept" && grep -q "Please take me off" "$keep/$kept" &&
	ok "pipe: the kept file holds the envelope and the message" || ko "pipe: the kept file"
ls -a "$keep" | grep -q '^\.tmp' && ko "pipe: no temporary file left" || ok "pipe: no temporary file left"

pipe unreadable-bounce.eml --sender MAILER-DAEMON --recipient "bounces+dave=example.com@sender.example" --keep-unparsed "$keep"; rc=$?
[ $rc -eq 0 ] && [ "$(verdict "$db" dave@example.com)" = "ok  undefined" ] && [ "$(ls "$keep" | wc -l)" -eq 2 ] &&
	ok "pipe: VERP: an unreadable bounce still yields its recipient (undefined), kept" ||
	ko "pipe: VERP undefined" "exit $rc, $(verdict "$db" dave@example.com), $(ls "$keep" | wc -l) kept: $(cat "$tmp/out")"
pipe unreadable-bounce.eml --recipient "bounces+gina=example.com@sender.example"; rc=$?
[ $rc -eq 0 ] && [ "$(verdict "$db" gina@example.com)" = "ok  undefined" ] &&
	ok "pipe: VERP: a null sender read from Return-Path: <>" || ko "pipe: Return-Path null sender" "exit $rc $(verdict "$db" gina@example.com)"
pipe unreadable-bounce.eml --sender MAILER-DAEMON --recipient "bounces-erin#example.com@sender.example" --verp-delimiters '-#'; rc=$?
[ $rc -eq 0 ] && [ "$(verdict "$db" erin@example.com)" = "ok  undefined" ] &&
	ok "pipe: VERP delimiters configurable (-#)" || ko "pipe: --verp-delimiters -#" "exit $rc $(verdict "$db" erin@example.com)"
pipe unreadable-bounce.eml --sender MAILER-DAEMON --recipient "bounces+hugo=example.com@sender.example" --verp-delimiters ''; rc=$?
[ $rc -eq 0 ] && [ "$(verdict "$db" hugo@example.com)" = "ok  " ] &&
	ok "pipe: --verp-delimiters '' turns VERP off" || ko "pipe: VERP off" "exit $rc $(verdict "$db" hugo@example.com)"
pipe not-a-bounce.eml --sender carol@example.net --recipient "bounces+ivan=example.org@sender.example"; rc=$?
[ $rc -eq 0 ] && [ "$(verdict "$db" ivan@example.org)" = "ok  " ] &&
	ok "pipe: VERP: a reply from a person is no bounce" || ko "pipe: reply to VERP" "exit $rc $(verdict "$db" ivan@example.org)"
check_usage() { "$bin" ingest --db "$db" --sender x@example.org "$@" >/dev/null 2>&1; [ $? -eq 2 ]; }
check_usage "$fx/dsn-userunknown.eml" && check_usage --verp-delimiters '+' - && check_usage --verp-delimiters '+@' - &&
	ok "pipe: usage errors (a PATH other than -, bad delimiters)" || ko "pipe: usage errors"

n0=$(events "$db")
printf '\r\n\n' | "$bin" ingest --db "$db" --pipe - >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 65 ] && [ "$(events "$db")" = "$n0" ] && ok "pipe: an empty message: 65 EX_DATAERR" || ko "pipe: empty message" "exit $rc: $(cat "$tmp/out")"
pipe dsn-userunknown.eml --keep-unparsed "$tmp/nowhere"; rc=$?
[ $rc -eq 75 ] && ok "pipe: a missing --keep-unparsed directory: 75" || ko "pipe: missing keep dir" "exit $rc"

# the store unavailable: a locked SQLite file, a broken one
if command -v sqlite3 >/dev/null 2>&1; then
	l=$tmp/locked.db
	"$bin" db init --db "$l" >/dev/null 2>&1
	sqlite_lock "$l"
	"$bin" ingest --db "sqlite:$l?timeout=200" --recipient "$V" --keep-unparsed "$keep" - < "$fx/dsn-userunknown.eml" >"$tmp/out" 2>&1; rc=$?
	sqlite_unlock
	[ $rc -eq 75 ] && grep -qi "locked\|busy" "$tmp/out" && ok "pipe: a locked store: 75 EX_TEMPFAIL" ||
		ko "pipe: locked store: 75" "exit $rc: $(cat "$tmp/out")"
	[ "$(events "$l")" = 0 ] && ok "pipe: locked: nothing written" || ko "pipe: locked: nothing written" "events $(events "$l")"
	"$bin" ingest --db "$l" --recipient "$V" - < "$fx/dsn-userunknown.eml" >/dev/null 2>&1; rc=$?
	[ $rc -eq 0 ] && [ "$(events "$l")" = 1 ] && ok "pipe: the MTA's retry goes in" || ko "pipe: retry" "exit $rc"
else
	echo "skip: no sqlite3 command (scripts/deps.sh test): the locked-store test"
fi
c=$tmp/corrupt.db
i=0; while [ $i -lt 200 ]; do echo "this is not a database"; i=$((i + 1)); done > "$c"
"$bin" ingest --db "$c" --pipe - < "$fx/dsn-userunknown.eml" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 75 ] && grep -q "not a database" "$tmp/out" && ok "pipe: a broken store: 75, the MTA keeps the message" ||
	ko "pipe: broken store" "exit $rc: $(cat "$tmp/out")"

# ---- watch: Maildirs followed with inotify (bounded waits)
# waitfor SECONDS COMMAND...: true as soon as COMMAND is
waitfor() {
	t=$(($1 * 10)); shift
	while [ $t -gt 0 ]; do "$@" && return 0; sleep 0.1; t=$((t - 1)); done
	return 1
}
wdb=$tmp/watch.db
md=$tmp/mail/bounces
un=$tmp/unparsed
mkdir -p "$md/new" "$md/cur" "$md/tmp" "$un"
# a message there before the watcher starts: the rescan at start
cp "$fx/dsn-userunknown.eml" "$md/new/1000.M1P1.test"
"$bin" watch --db "$wdb" --unparsed "$un" --retry 0.3 "$md" 2>"$tmp/watch.log" &
wpid=$!
incur() { [ -n "$(ls "$md/cur" | grep "^$1:2,\$")" ] && [ ! -e "$md/new/$1" ]; }
waitfor 10 incur 1000.M1P1.test && [ "$(verdict "$wdb" alice@example.org)" = "suppressed hard userunknown" ] &&
	ok "watch: a message there at start: stored, moved to cur/ with :2," ||
	ko "watch: rescan at start" "$(ls -R "$md"; cat "$tmp/watch.log")"
# delivered the Maildir way: tmp/ then a rename into new/ (IN_MOVED_TO)
sed 's/alice/kim/g; s/dsn-intake-1/dsn-intake-k/' "$fx/dsn-userunknown.eml" > "$md/tmp/1001.M1P1.test"
mv "$md/tmp/1001.M1P1.test" "$md/new/1001.M1P1.test"
waitfor 10 incur 1001.M1P1.test && [ "$(verdict "$wdb" kim@example.org)" = "suppressed hard userunknown" ] &&
	ok "watch: a message renamed into new/ is stored at once" || ko "watch: IN_MOVED_TO" "$(cat "$tmp/watch.log")"
# written straight into new/ (IN_CLOSE_WRITE)
sed 's/alice/lou/g; s/dsn-intake-1/dsn-intake-l/' "$fx/dsn-userunknown.eml" > "$md/new/1002.M1P1.test"
waitfor 10 incur 1002.M1P1.test && [ "$(verdict "$wdb" lou@example.org)" = "suppressed hard userunknown" ] &&
	ok "watch: a message written into new/ is stored" || ko "watch: IN_CLOSE_WRITE" "$(cat "$tmp/watch.log")"
# linked from tmp/ (qmail's Maildir way: link, then unlink; IN_CREATE only)
sed 's/alice/lea/g; s/dsn-intake-1/dsn-intake-lea/' "$fx/dsn-userunknown.eml" > "$md/tmp/1006.M1P1.test"
ln "$md/tmp/1006.M1P1.test" "$md/new/1006.M1P1.test" && rm "$md/tmp/1006.M1P1.test"
waitfor 10 incur 1006.M1P1.test && [ "$(verdict "$wdb" lea@example.org)" = "suppressed hard userunknown" ] &&
	ok "watch: a message linked into new/ is stored" || ko "watch: link (IN_CREATE)" "$(cat "$tmp/watch.log")"
# not a bounce: to --unparsed
cp "$fx/not-a-bounce.eml" "$md/new/1003.M1P1.test"
inun() { [ -e "$un/1003.M1P1.test" ] && [ ! -e "$md/new/1003.M1P1.test" ]; }
waitfor 10 inun && ok "watch: not a bounce: moved to --unparsed" || ko "watch: --unparsed" "$(ls -R "$tmp/mail" "$un")"
# the Maildir removed and made again
rm -rf "$md"
sleep 0.3
mkdir -p "$md/tmp" "$md/new" "$md/cur"
sleep 0.3
sed 's/alice/max/g; s/dsn-intake-1/dsn-intake-m/' "$fx/dsn-userunknown.eml" > "$md/tmp/1004.M1P1.test"
mv "$md/tmp/1004.M1P1.test" "$md/new/1004.M1P1.test"
waitfor 10 incur 1004.M1P1.test && [ "$(verdict "$wdb" max@example.org)" = "suppressed hard userunknown" ] &&
	ok "watch: survives the Maildir removed and made again" || ko "watch: recreated Maildir" "$(ls -R "$md"; cat "$tmp/watch.log")"
# the store locked: the message stays in new/, goes in once it is free
if command -v sqlite3 >/dev/null 2>&1; then
	kill "$wpid"; wait "$wpid"
	"$bin" watch --db "sqlite:$wdb?timeout=100" --unparsed "$un" --retry 0.3 "$md" 2>>"$tmp/watch.log" &
	wpid=$!
	sleep 0.5
	sqlite_lock "$wdb"
	sed 's/alice/ned/g; s/dsn-intake-1/dsn-intake-n/' "$fx/dsn-userunknown.eml" > "$md/new/1005.M1P1.test"
	sleep 1
	[ -e "$md/new/1005.M1P1.test" ] && ok "watch: store locked: the message stays in new/" ||
		ko "watch: store locked: stays in new/" "$(cat "$tmp/watch.log")"
	sqlite_unlock
	waitfor 10 incur 1005.M1P1.test && [ "$(verdict "$wdb" ned@example.org)" = "suppressed hard userunknown" ] &&
		ok "watch: store back: retried, stored, moved" || ko "watch: retry after the lock" "$(cat "$tmp/watch.log")"
fi
kill "$wpid"; wait "$wpid"; rc=$?
[ $rc -eq 0 ] && ok "watch: SIGTERM: exit 0" || ko "watch: SIGTERM" "exit $rc"
grep -q "stored" "$tmp/watch.log" && ok "watch: the log names each message" || ko "watch: log"
# --once: one scan, then exit
mkdir -p "$tmp/once/new" "$tmp/once/cur"
sed 's/alice/otto/g; s/dsn-intake-1/dsn-intake-o/' "$fx/dsn-userunknown.eml" > "$tmp/once/new/1.M1P1.test"
"$bin" watch -q --once --db "$wdb" "$tmp/once" && [ -e "$tmp/once/cur/1.M1P1.test:2," ] &&
	ok "watch --once: one scan" || ko "watch --once"
# more messages than one group commit takes (256): every one stored, moved
mkdir -p "$tmp/many/new" "$tmp/many/cur"
i=0
while [ $i -lt 300 ]; do
	sed "s/alice/many$i/g; s/dsn-intake-1/dsn-intake-many$i/" "$fx/dsn-userunknown.eml" > "$tmp/many/new/$i.M1P1.test"
	i=$((i + 1))
done
"$bin" watch -q --once --db "$tmp/many.db" "$tmp/many" && [ "$(ls "$tmp/many/cur" | wc -l)" -eq 300 ] &&
	[ -z "$(ls "$tmp/many/new")" ] && [ "$(events "$tmp/many.db")" = 300 ] &&
	ok "watch: 300 messages (two group commits): all stored and moved" ||
	ko "watch: 300 messages" "$(ls "$tmp/many/cur" | wc -l) in cur/, $(events "$tmp/many.db") events"

# ---- LMTP
if [ -f tests/lmtp.py ]; then
	if command -v python3 >/dev/null 2>&1; then
		python3 tests/lmtp.py "$bin" "$fx" "$tmp" > "$tmp/lmtp.out" 2>&1
		cat "$tmp/lmtp.out"
		p=$(grep -c '^ok ' "$tmp/lmtp.out"); f=$(grep -c '^FAIL ' "$tmp/lmtp.out")
		grep -q '^lmtp-done' "$tmp/lmtp.out" || { f=$((f + 1)); echo "FAIL intake lmtp: the client script did not finish"; }
		pass=$((pass + p)); fail=$((fail + f))
	else
		echo "skip: no python3: the LMTP tests"
	fi
fi

report
