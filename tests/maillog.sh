#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# maillog.sh - the MTA's delivery log (docs/intake.md): `bouncekit ingest
# --log-year 2026 --log postfix|exim|sendmail` on our fixtures (tests/fixtures/maillog),
# one failure is one event (deferrals, the final bounce line and the bounce
# message of the same queue id), deliveries in `stats`, torn and unknown
# lines; and `bouncekit watch --log` following a file through rotation and
# restarts.
# usage: tests/maillog.sh [BUILD_DIR]
set -u
suite=maillog
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh	# build, bin, tmp, ok, ko, report
fx=$PWD/tests/fixtures/maillog
wpid=""
at_exit() { [ -n "$wpid" ] && kill "$wpid" 2>/dev/null; }
export TZ=UTC

verdict() { "$bin" query --db "$1" --format tsv "$2" 2>/dev/null | cut -f2,4,5 | tr '\t' ' '; }
events() { "$bin" db check --db "$1" 2>/dev/null | awk '$1 == "events" { print $2 }'; }
# field FIELD ADDRESS DB: the field of the address's events (NDJSON export), one a line
field() {
	"$bin" export --events --db "$3" --format ndjson 2>/dev/null |
		python3 -c "import json,sys
for l in sys.stdin:
    r = json.loads(l)
    if r['recipient'] == sys.argv[2]: print(r[sys.argv[1]])" "$1" "$2"
}

# ---- Postfix, classic syslog
db=$tmp/pf.db
"$bin" ingest --db "$db" --log-year 2026 --log postfix "$fx/postfix-syslog.log" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ "$(events "$db")" = 4 ] && ok "postfix syslog: 4 failures and deferrals, exit 0" ||
	ko "postfix syslog" "exit $rc, events $(events "$db"): $(cat "$tmp/err")"
grep -q "13 lines: 2 failed, 2 deferred, 1 delivered, 0 unknown" "$tmp/err" &&
	ok "postfix syslog: the summary counts the lines" || ko "postfix syslog summary" "$(cat "$tmp/err")"
[ "$(verdict "$db" alice@example.org)" = "suppressed hard userunknown" ] &&
	ok "postfix: status=bounced 550 5.1.1 is userunknown, suppressed" ||
	ko "postfix bounced" "$(verdict "$db" alice@example.org)"
[ "$(verdict "$db" carol@example.net)" = "ok  mailboxfull" ] &&
	[ "$(field action carol@example.net "$db")" = delayed ] &&
	[ "$(field alias carol@example.net "$db")" = carol.alias@example.net ] &&
	ok "postfix: status=deferred is a delayed event (soft), orig_to is its alias" ||
	ko "postfix deferred" "$(verdict "$db" carol@example.net) $(field action carol@example.net "$db")"
[ "$(field addresser alice@example.org "$db")" = news@sender.example ] &&
	[ "$(field messageid alice@example.org "$db")" = "<20261205100001.1@sender.example>" ] &&
	"$bin" query --db "$db" alice@example.org | grep -q '\[log, ' &&
	ok "postfix: the qmgr from= and cleanup message-id= lines give sender and Message-ID" ||
	ko "postfix from=" "$(field addresser alice@example.org "$db") $(field messageid alice@example.org "$db")"
[ "$(verdict "$db" erin@sender.example)" = "suppressed hard userunknown" ] &&
	ok "postfix: local(8) 'unknown user' with dsn=5.1.1 is userunknown" ||
	ko "postfix local" "$(verdict "$db" erin@sender.example)"
"$bin" stats --db "$db" --by destination --format csv > "$tmp/stats.csv"
grep -q '^example.org,1,1,0,0,0,1,0,1,0.5000$' "$tmp/stats.csv" &&
	ok "stats: status=sent counts as delivered for its destination, with the rate" ||
	ko "stats delivered" "$(cat "$tmp/stats.csv")"
"$bin" stats --db "$db" --by day --format csv | grep -q '^2026-12-05,' &&
	ok "stats: deliveries by day" || ko "stats by day"
"$bin" ingest --db "$db" --log-year 2026 --log postfix "$fx/postfix-syslog.log" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ "$(events "$db")" = 4 ] && grep -q "0 events new" "$tmp/err" &&
	ok "postfix: the same log again stores no event" || ko "postfix again" "$(cat "$tmp/err")"

# ---- Postfix maillog_file (postlogd) and RFC 3339 syslog; an unknown line
db=$tmp/pf2.db
"$bin" ingest --db "$db" --log-year 2026 --log postfix "$fx/postfix-maillog_file.log" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && [ "$(events "$db")" = 2 ] && grep -q "1 unknown" "$tmp/err" &&
	ok "postfix maillog_file: read; an unknown line is counted and skipped (exit 1)" ||
	ko "postfix maillog_file" "exit $rc, events $(events "$db"): $(cat "$tmp/err")"
"$bin" ingest -v --db "$db" --log-year 2026 --log postfix "$fx/postfix-maillog_file.log" 2>&1 |
	grep -q "postfix-maillog_file.log:5: not a postfix log line" &&
	ok "-v names the unknown line with file:line" || ko "-v unknown line"
[ "$(verdict "$db" frank@example.jp)" = "ok  blocked" ] &&
	[ "$(field reason henry@example.jp "$db")" = mailboxfull ] &&
	ok "postfix maillog_file: blocked is sender-side, mailbox full soft" ||
	ko "postfix maillog_file verdicts" "$(verdict "$db" frank@example.jp) / $(verdict "$db" henry@example.jp)"
[ "$(field timestamp henry@example.jp "$db")" = 1796468403 ] &&
	ok "RFC 3339 timestamps with their zone" || ko "RFC 3339" "$(field timestamp henry@example.jp "$db")"

# ---- Exim main log
db=$tmp/ex.db
"$bin" ingest --db "$db" --log exim --log-host mail.sender.example "$fx/exim-main.log" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ "$(events "$db")" = 3 ] && grep -q "2 failed, 1 deferred, 1 delivered, 0 unknown" "$tmp/err" &&
	ok "exim: ** failures, == deferrals, => deliveries" || ko "exim" "exit $rc: $(cat "$tmp/err")"
[ "$(verdict "$db" alice@example.org)" = "suppressed hard userunknown" ] &&
	[ "$(field addresser alice@example.org "$db")" = news@sender.example ] &&
	[ "$(field command alice@example.org "$db")" = RCPT ] &&
	ok "exim: the SMTP error after RCPT TO, the sender from the <= line" ||
	ko "exim alice" "$(verdict "$db" alice@example.org) $(field addresser alice@example.org "$db")"
[ "$(field action carol@example.net "$db")" = delayed ] && ok "exim: == is a deferral" || ko "exim =="
[ "$(field reason nobody@example.invalid "$db")" = hostunknown ] &&
	ok "exim: 'Unrouteable address' is hostunknown" || ko "exim unrouteable" "$(field reason nobody@example.invalid "$db")"
"$bin" ingest --db "$db" "$fx/exim-bounce.eml" 2>"$tmp/err"
[ "$(events "$db")" = 3 ] && grep -q "1 duplicates skipped" "$tmp/err" &&
	ok "exim: the bounce message of a logged failure is the same event (Received id)" ||
	ko "exim join" "events $(events "$db"): $(cat "$tmp/err")"

# ---- Sendmail
db=$tmp/sm.db
"$bin" ingest --db "$db" --log-year 2026 --log sendmail "$fx/sendmail-syslog.log" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ "$(events "$db")" = 2 ] && grep -q "1 failed, 1 deferred, 2 delivered" "$tmp/err" &&
	ok "sendmail: stat=User unknown, stat=Deferred, stat=Sent for two recipients" ||
	ko "sendmail" "exit $rc: $(cat "$tmp/err")"
[ "$(verdict "$db" alice@example.org)" = "suppressed hard userunknown" ] &&
	[ "$(field addresser alice@example.org "$db")" = news@sender.example ] &&
	ok "sendmail: dsn=5.1.1 stat=User unknown is userunknown; sender from from=" ||
	ko "sendmail alice" "$(verdict "$db" alice@example.org)"
"$bin" stats --db "$db" --by destination --format csv | grep -q '^example.org,1,1,0,0,0,2,' &&
	ok "sendmail: deliveries counted per recipient" || ko "sendmail deliveries"
"$bin" ingest --db "$db" "$fx/sendmail-bounce.eml" 2>"$tmp/err"
[ "$(events "$db")" = 2 ] && grep -q "1 duplicates skipped" "$tmp/err" &&
	ok "sendmail: the bounce message of a logged failure is the same event (Received id)" ||
	ko "sendmail join" "events $(events "$db"): $(cat "$tmp/err")"

# ---- one failure is one event
db=$tmp/join.db
head -n 5 "$fx/join-deferrals.log" > "$tmp/j1.log"
tail -n +6 "$fx/join-deferrals.log" > "$tmp/j2.log"
"$bin" ingest --db "$db" --log-year 2026 --log postfix "$tmp/j1.log" 2>"$tmp/err"
[ "$(events "$db")" = 1 ] && [ "$(verdict "$db" ivan@example.net)" = "ok  mailboxfull" ] &&
	ok "join: three deferrals on three days are one event, counted once (no retry-after)" ||
	ko "join deferrals" "events $(events "$db"), $(verdict "$db" ivan@example.net): $(cat "$tmp/err")"
"$bin" ingest --db "$db" --log-year 2026 --log postfix "$tmp/j2.log" 2>"$tmp/err"
[ "$(events "$db")" = 1 ] && [ "$(verdict "$db" ivan@example.net)" = "suppressed hard userunknown" ] &&
	grep -q "1 deferrals made final" "$tmp/err" &&
	ok "join: the final bounce line upgrades the same event" ||
	ko "join bounce" "events $(events "$db"), $(verdict "$db" ivan@example.net): $(cat "$tmp/err")"
"$bin" ingest --db "$db" "$fx/join-bounce.eml" 2>"$tmp/err"
[ "$(events "$db")" = 1 ] && grep -q "1 duplicates skipped" "$tmp/err" &&
	ok "join: the bounce message (X-Postfix-Queue-ID) is the same event" ||
	ko "join message" "events $(events "$db"): $(cat "$tmp/err")"
db=$tmp/join2.db
"$bin" ingest --db "$db" --pipe - < "$fx/join-bounce.eml" >/dev/null 2>&1
"$bin" ingest --db "$db" --log-year 2026 --log postfix "$fx/join-deferrals.log" 2>"$tmp/err"
[ "$(events "$db")" = 1 ] && [ "$(verdict "$db" ivan@example.net)" = "suppressed hard userunknown" ] &&
	ok "join: bounce message first (pipe), then the log: one event" ||
	ko "join message first" "events $(events "$db"): $(cat "$tmp/err")"
db=$tmp/join3.db
# (the other host's message has its own Message-ID: the same one and
# recipient would be one failure by the message key)
sed -e 's/^Dec  8 10:10:03 mail /Dec  8 10:10:03 other /' \
    -e 's/^\(Dec  8 10:10:03 other postfix\/smtp.*\)$/Dec  8 10:10:02 other postfix\/cleanup[9]: 8E1F2A3B4C: message-id=<other-7@sender.example>\n\1/' \
    "$fx/join-deferrals.log" > "$tmp/j3.log"
"$bin" ingest --db "$db" --log-year 2026 --log postfix "$tmp/j3.log" 2>/dev/null
[ "$(events "$db")" = 2 ] && ok "join: the same queue id at another MTA host is another failure" ||
	ko "join host" "events $(events "$db")"

# Postfix's queue lifetime over: qmgr's status=expired fails each deferred recipient
cat > "$tmp/expired.log" <<'LOG'
Dec  5 10:00:01 mail postfix/qmgr[2050]: 7A1B2C3D4E: from=<news@sender.example>, size=900, nrcpt=1 (queue active)
Dec  5 10:00:02 mail postfix/smtp[2103]: 7A1B2C3D4E: to=<kate@example.net>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (connect to mx.example.net[192.0.2.30]:25: Connection refused)
Dec 10 10:00:02 mail postfix/qmgr[2050]: 7A1B2C3D4E: from=<news@sender.example>, status=expired, returned to sender
Dec 10 10:00:02 mail postfix/qmgr[2050]: 7A1B2C3D4E: removed
LOG
"$bin" ingest --db "$tmp/exp.db" --log-year 2026 --log postfix "$tmp/expired.log" 2>"$tmp/err"
[ "$(events "$tmp/exp.db")" = 1 ] && [ "$(field action kate@example.net "$tmp/exp.db")" = failed ] &&
	[ "$(field reason kate@example.net "$tmp/exp.db")" = expired ] &&
	ok "postfix: status=expired, returned to sender: the deferral becomes a failure (expired)" ||
	ko "postfix expired" "events $(events "$tmp/exp.db"): $(cat "$tmp/err")"

# ---- deliveries are counted once per log line (docs/store.md "Delivery
# logs"): the same log again, a log that grew, a rotated log, a crash
dl() {	# dl N: a Postfix delivery line for dN@example.com, its own queue id
	echo "Dec  6 09:00:0$(($1 % 10)) mail postfix/smtp[3103]: 6F0000000$1: to=<d$1@example.com>, relay=mx.example.com[192.0.2.40]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok)"
}
delivered() {	# delivered DB DOMAIN: the delivery count of a destination
	"$bin" stats --db "$1" --by destination --format csv 2>/dev/null | awk -F, -v d="$2" '$1 == d { print $7 }'
}
db=$tmp/dl.db
"$bin" ingest -q --db "$db" --log-year 2026 --log postfix "$fx/postfix-syslog.log" 2>/dev/null
"$bin" stats --db "$db" --by destination --format csv > "$tmp/dl1.csv"
"$bin" ingest --db "$db" --log-year 2026 --log postfix "$fx/postfix-syslog.log" 2>"$tmp/err"
"$bin" stats --db "$db" --by destination --format csv > "$tmp/dl2.csv"
cmp -s "$tmp/dl1.csv" "$tmp/dl2.csv" && grep -q "1 deliveries counted before: skipped" "$tmp/err" &&
	ok "deliveries: the same log read twice counts them once" ||
	ko "deliveries: the same log twice" "$(cat "$tmp/dl1.csv" "$tmp/dl2.csv" "$tmp/err")"
"$bin" ingest -q --db "$db" --log-year 2026 --log postfix - < "$fx/postfix-syslog.log" 2>/dev/null
"$bin" stats --db "$db" --by destination --format csv > "$tmp/dl2.csv"
cmp -s "$tmp/dl1.csv" "$tmp/dl2.csv" && ok "deliveries: ... and a third time on standard input" ||
	ko "deliveries: stdin again" "$(cat "$tmp/dl2.csv")"
{ dl 1; dl 2; dl 3; } > "$tmp/dl.log"
"$bin" ingest -q --db "$db" --log-year 2026 --log postfix "$tmp/dl.log" 2>/dev/null
{ dl 4; dl 5; } >> "$tmp/dl.log"
"$bin" ingest --db "$db" --log-year 2026 --log postfix "$tmp/dl.log" 2>"$tmp/err"
[ "$(delivered "$db" example.com)" = 5 ] && grep -q "3 deliveries counted before" "$tmp/err" &&
	ok "deliveries: a log that grew: only its new lines are counted" ||
	ko "deliveries: grown log" "delivered $(delivered "$db" example.com): $(cat "$tmp/err")"
mv "$tmp/dl.log" "$tmp/dl.log.1"
{ dl 6; dl 7; } > "$tmp/dl.log"
"$bin" ingest -q --db "$db" --log-year 2026 --log postfix "$tmp/dl.log.1" "$tmp/dl.log" 2>/dev/null
[ "$(delivered "$db" example.com)" = 7 ] &&
	ok "deliveries: a rotated log is counted from its start, the old one not again" ||
	ko "deliveries: rotated log" "delivered $(delivered "$db" example.com)"
db=$tmp/dl2.db
"$bin" ingest -q --batch 1 --db "$db" --log-year 2026 --log sendmail "$fx/sendmail-syslog.log" 2>/dev/null
"$bin" ingest -q --batch 1 --db "$db" --log-year 2026 --log sendmail "$fx/sendmail-syslog.log" 2>/dev/null
[ "$(delivered "$db" example.org)" = 2 ] &&
	ok "deliveries: two recipients of one line, a batch each, twice: counted once each" ||
	ko "deliveries: one line, two recipients" "delivered $(delivered "$db" example.org)"

# ---- bad input
db=$tmp/bad.db
printf '%s\n%s' "$(sed -n 5p "$fx/postfix-syslog.log")" "$(sed -n 11p "$fx/postfix-syslog.log" | cut -c1-80)" > "$tmp/torn.log"
"$bin" ingest --db "$db" --log-year 2026 --log postfix "$tmp/torn.log" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && [ "$(events "$db")" = 1 ] && grep -q "torn.log:2: the last line has no end (torn)" "$tmp/err" &&
	ok "a torn last line is reported with file:line and skipped (exit 1)" ||
	ko "torn line" "exit $rc, events $(events "$db"): $(cat "$tmp/err")"
"$bin" ingest --db "$db" --log-year 2026 --log postfix - < "$fx/postfix-syslog.log" 2>/dev/null; rc=$?
[ $rc -eq 0 ] && [ "$(events "$db")" = 4 ] && ok "standard input (-)" || ko "stdin" "exit $rc events $(events "$db")"
head -c 200000 /dev/zero | tr '\0' 'x' > "$tmp/long.log"; echo >> "$tmp/long.log"
sed -n 5p "$fx/postfix-syslog.log" >> "$tmp/long.log"
"$bin" ingest --db "$tmp/long.db" --log-year 2026 --log postfix "$tmp/long.log" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && [ "$(events "$tmp/long.db")" = 1 ] && grep -q "1 too long" "$tmp/err" &&
	ok "a 200 kB line is skipped, the next line read" || ko "long line" "exit $rc: $(cat "$tmp/err")"
head -c 100000 /dev/urandom > "$tmp/junk.log"
"$bin" ingest --db "$tmp/junk.db" --log-year 2026 --log sendmail "$tmp/junk.log" >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && ok "binary junk: exit 1, no crash" || ko "junk" "exit $rc"
"$bin" ingest --db "$tmp/x.db" --log qmail "$fx/postfix-syslog.log" 2>/dev/null; rc=$?
[ $rc -eq 2 ] && ok "an unknown MTA name is a usage error" || ko "--log qmail" "exit $rc"
"$bin" ingest --db "$tmp/x.db" --log-year 2026 --log postfix "$tmp/missing.log" 2>/dev/null; rc=$?
[ $rc -eq 1 ] && ok "a missing file: exit 1" || ko "missing file" "exit $rc"

# ---- watch --log: follow, torn lines, rotation, restarts
db=$tmp/w.db log=$tmp/w/mail.log st=$tmp/w/state
mkdir "$tmp/w"
bounce() {	# bounce N: a Postfix bounce line for wN@example.org, queue id QN...
	echo "Dec  5 10:00:0$(($1 % 10)) mail postfix/smtp[2103]: 5E0000000$1: to=<w$1@example.org>, relay=mx.example.org[192.0.2.20]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.20] said: 550 5.1.1 <w$1@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command))"
}
sent() { echo "Dec  5 10:00:00 mail postfix/smtp[2103]: 5E00000009: to=<s$1@example.org>, relay=mx.example.org[192.0.2.20]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok)"; }
until_events() {	# until_events N: wait (10 s at most) for N events
	i=0
	while [ "$(events "$db")" != "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(events "$db")" = "$1" ]
}
startw() { "$bin" watch --log postfix --log-year 2026 --poll 0.1 --db "$db" --state "$st" "$log" 2>>"$tmp/w.err" & wpid=$!; }
stopw() { kill -TERM "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null; wpid=""; }
"$bin" db init --db "$db" >/dev/null 2>&1
{ bounce 1; sent 1; } > "$log"
startw
until_events 1 && ok "watch --log: the lines already there are read" || ko "watch --log: start" "$(cat "$tmp/w.err")"
bounce 2 >> "$log"
until_events 2 && ok "watch --log: an appended line is stored" || ko "watch --log: append" "$(cat "$tmp/w.err")"
bounce 3 > "$tmp/l3"
head -c 60 "$tmp/l3" | tr -d '\n' >> "$log"
sleep 0.5
[ "$(events "$db")" = 2 ] && ok "watch --log: a torn line is held" || ko "watch --log: torn held" "events $(events "$db")"
tail -c +61 "$tmp/l3" >> "$log"
until_events 3 && [ "$(verdict "$db" w3@example.org)" = "suppressed hard userunknown" ] &&
	ok "watch --log: ... and read once its end is written" || ko "watch --log: torn completed" "$(cat "$tmp/w.err")"
mv "$log" "$log.1"
bounce 4 >> "$log.1"	# the writer has not reopened yet
sleep 0.3
bounce 5 > "$log"
until_events 5 && ok "watch --log: rotation by rename: the old file's end, then the new file" ||
	ko "watch --log: rename" "events $(events "$db"): $(cat "$tmp/w.err")"
sleep 0.3
cp "$log" "$log.2"; : > "$log"
sleep 0.3
bounce 6 >> "$log"
until_events 6 && ok "watch --log: copytruncate" || ko "watch --log: copytruncate" "events $(events "$db"): $(cat "$tmp/w.err")"
stopw
: > "$tmp/w.err"
bounce 7 >> "$log"
sent 2 >> "$log"
startw
until_events 7 && sleep 0.3 && stopw && grep -q "watch: 2 lines:" "$tmp/w.err" &&
	ok "watch --log: a restart reads from the saved position (only the 2 new lines)" ||
	ko "watch --log: restart" "events $(events "$db"): $(cat "$tmp/w.err")"
stopw
mv "$log" "$log.1"
bounce 8 >> "$log.1"
bounce 9 > "$log"
: > "$tmp/w.err"
startw
until_events 9 && ok "watch --log: rotated while stopped: the rest of FILE.1, then FILE" ||
	ko "watch --log: rotated while stopped" "events $(events "$db"): $(cat "$tmp/w.err")"
stopw
"$bin" stats --db "$db" --by destination --format csv | grep -q '^example.org,9,9,0,0,0,2,' &&
	ok "watch --log: each delivery counted once across rotations and restarts" ||
	ko "watch --log: deliveries" "$("$bin" stats --db "$db" --by destination --format csv)"
# a crash after a commit and before the state file was written: the lines
# are read again, their deliveries are not counted again
db=$tmp/wc.db log=$tmp/wc.log st=$tmp/wc.state
{ sent 1; sent 2; } > "$log"
wonce() { "$bin" watch --log postfix --log-year 2026 --once --db "$db" --state "$st" "$log" 2>>"$tmp/w.err"; }
: > "$tmp/w.err"
wonce
cp "$st" "$st.old"
{ sent 3; bounce 1; } >> "$log"
wonce
cp "$st.old" "$st"
wonce
[ "$(events "$db")" = 1 ] && "$bin" stats --db "$db" --by destination --format csv | grep -q '^example.org,1,1,0,0,0,3,' &&
	ok "watch --log: lines read again after a crash (an old state file) count no delivery twice" ||
	ko "watch --log: crash before the state file" "events $(events "$db"): $("$bin" stats --db "$db" --by destination --format csv) $(cat "$tmp/w.err")"
# the store locked while following: nothing lost, read again once it is back
if command -v sqlite3 >/dev/null 2>&1; then
	db=$tmp/lk.db log=$tmp/lk.log st=$tmp/lk.state
	"$bin" db init --db "$db" >/dev/null 2>&1
	bounce 1 > "$log"
	: > "$tmp/w.err"
	"$bin" watch --log postfix --log-year 2026 --poll 0.1 --retry 0.3 --db "sqlite:$db?timeout=100" \
		--state "$st" "$log" 2>>"$tmp/w.err" & wpid=$!
	until_events 1 || ko "watch --log locked: start" "$(cat "$tmp/w.err")"
	sqlite_lock "$db"
	bounce 2 >> "$log"
	sleep 1
	n_locked=$(events "$db")
	sqlite_unlock
	until_events 2 && [ "$n_locked" = 1 ] && grep -q "the store failed" "$tmp/w.err" &&
		ok "watch --log: a locked store: reported, the lines read again once it is back" ||
		ko "watch --log: locked store" "events $(events "$db") (locked: $n_locked): $(cat "$tmp/w.err")"
	stopw
else
	echo "skip: no sqlite3 command (scripts/deps.sh test): the locked-store test"
fi
"$bin" watch --log postfix --once --db "$tmp/once.db" --state "$tmp/once.st" "$fx/postfix-syslog.log" 2>/dev/null; rc=$?
[ $rc -eq 0 ] && [ "$(events "$tmp/once.db")" = 4 ] && ok "watch --log --once reads to the end and exits" ||
	ko "watch --log --once" "exit $rc"

report
