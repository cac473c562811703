#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# store.sh - the bounce store end to end through build/bouncekit: a
# synthetic history (hard, soft below and above the threshold with the
# once-a-day rule, complaint, sender-side block, delivery after soft
# bounces, allow-listed domain, manual changes), policy recompute,
# idempotency (duplicates, a second channel, two distinct bounces),
# Sisimai JSON import with bad rows, export, stats, and the error classes
# of a locked or corrupt SQLite file; a new store made by several writers
# at once.
#
# usage: tests/store.sh [BUILD_DIR]
# The store: $BK_TEST_DB (any URL: sqlite:..., mysql://..., postgresql://...),
# else a SQLite file in a temporary directory.  Addresses carry a tag unique
# to the run, so a shared server database may hold other runs' data.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=${BK_BIN:-$PWD/$build/bouncekit}	# BK_BIN: tests/run.sh, under BK_EXEC
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=${BK_TEST_DB:-sqlite:$tmp/store.db}
case $db in
sqlite:*|/*|./*) kind=sqlite ;;
*) kind=server ;;
esac
name=store
pass=0 fail=0
tag=$$$(date +%s | tail -c 5)

# A server: a fresh database of our own for this run (the server may hold
# an earlier run's data, or another run's at the same time), made with the
# server's own client as the URL's user and dropped on exit.
# dbsql SQL: runs one statement on the URL's server (in its database).
dbsql() {
	case $db in
	mysql://*|mariadb://*)
		u=$(echo "$db" | sed -E 's|^[a-z]+://([^:@/]*).*|\1|')
		pw=$(echo "$db" | sed -nE 's|^[a-z]+://[^:@/]*:([^@/]*)@.*|\1|p')
		sock=$(echo "$db" | sed -nE 's|.*[?&]socket=([^&]*).*|\1|p')
		MYSQL_PWD=$pw mariadb --no-defaults ${sock:+--socket="$sock"} -u"$u" -e "$1" ;;
	postgres*) psql -X -q -v ON_ERROR_STOP=1 "$db" -c "$1" ;;
	esac
}
if [ "$kind" = server ]; then
	base=$(echo "$db" | sed -E 's|^[a-z]+://[^/]*/([^?]*).*|\1|')
	fresh=${base}_t$tag
	dbsql "CREATE DATABASE $fresh" >"$tmp/create.log" 2>&1 || {
		echo "FAIL store: cannot create a fresh database $fresh on the server: $(cat "$tmp/create.log")"
		echo "$name: 0 passed, 1 failed"; exit 1; }
	admin=$db
	db=$(echo "$db" | sed -E "s|^([a-z]+://[^/]*)/[^?]*|\1/$fresh|")
	trap 'db=$admin; dbsql "DROP DATABASE $fresh" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
fi
now=$(date +%s)

ok() { pass=$((pass + 1)); echo "ok   store $1"; }
ko() { fail=$((fail + 1)); echo "FAIL store $1"; [ -n "${2:-}" ] && echo "     $2"; }
check() {	# check NAME COMMAND...
	n=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$n"; else ko "$n"; fi
}

bk() { "$bin" "$@" --db "$db"; }

# verdict ADDRESS [POLICY...]: "verdict basis" of the address
verdict() {
	a=$1; shift
	"$bin" query --db "$db" --format tsv "$@" "$a" 2>/dev/null | awk -F'\t' '{ print $2, $4 }'
}
expect() {	# expect NAME ADDRESS WANT
	got=$(verdict "$2")
	if [ "$got" = "$3" ]; then ok "$1"; else ko "$1" "$2: got '$got', want '$3'"; fi
}

# rfc2822 EPOCH
rfc() { LC_ALL=C date -u -d "@$1" '+%a, %d %b %Y %H:%M:%S +0000'; }

# dsn EPOCH RCPT STATUS ACTION DIAG [MSGID]: one RFC 3464 bounce, mbox-framed
dsn() {
	d=$(rfc "$1")
	cat <<MSG
From MAILER-DAEMON Sat Jul 11 10:00:00 2020
Date: $d
From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.jp>
To: <sender@example.jp>
Message-Id: <dsn-$1-$(echo "$2" | tr '@' '.')@mx.example.jp>
Subject: Delivery Status Notification
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BND"

--BND
Content-Type: text/plain

A message could not be delivered.

--BND
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.jp

Final-Recipient: rfc822; $2
Action: $4
Status: $3
Diagnostic-Code: smtp; $5
Last-Attempt-Date: $d

--BND
Content-Type: text/rfc822-headers

From: Sender <sender@example.jp>
To: $2
Subject: News
Message-ID: <${6:-news-$1}@example.jp>

--BND--

MSG
}

# arf EPOCH RCPT: an abuse complaint
arf() {
	d=$(rfc "$1")
	cat <<MSG
From MAILER-DAEMON Sat Jul 11 10:00:00 2020
Date: $d
From: feedback@fbl.example.net
To: abuse@example.jp
Subject: Abuse report
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="fbl"

--fbl
Content-Type: text/plain

This is an email abuse report.

--fbl
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <sender@example.jp>
Original-Rcpt-To: <$2>
Arrival-Date: $d
Reporting-MTA: dns; fbl.example.net

--fbl
Content-Type: message/rfc822

From: Sender <sender@example.jp>
To: $2
Subject: News
Date: $d
Message-ID: <news-fbl-$1@example.jp>

Hello.
--fbl--

MSG
}

day=86400
t() { echo $((now - $1 * day + ${2:-0})); }	# t DAYS_AGO [SECONDS]
hard() { dsn "$1" "$2" 5.1.1 failed "550 5.1.1 <$2>... User unknown" "${3:-}"; }
soft() { dsn "$1" "$2" 4.2.2 delayed "452 4.2.2 <$2>... Mailbox full" "${3:-}"; }
block() { dsn "$1" "$2" 5.7.1 failed "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"; }
deliv() { dsn "$1" "$2" 2.0.0 delivered "250 2.0.0 OK"; }

H=hard-$tag@example.org
S2=soft2-$tag@example.org
S1D=soft1day-$tag@example.org
S3=soft3-$tag@example.org
C=complaint-$tag@example.net
B=blocked-$tag@example.com
D=delivery-$tag@example.org
A=someone@allow-$tag.example.com
M=manual-$tag@example.org

{
	hard "$(t 10)" "$H"
	soft "$(t 2)" "$S2"; soft "$(t 1)" "$S2"
	soft "$(t 2 0)" "$S1D"; soft "$(t 2 600)" "$S1D"; soft "$(t 2 1200)" "$S1D"
	soft "$(t 3)" "$S3"; soft "$(t 2)" "$S3"; soft "$(t 1)" "$S3"
	arf "$(t 4)" "$C"
	block "$(t 4)" "$B"; block "$(t 3)" "$B"; block "$(t 2)" "$B"; block "$(t 1)" "$B"
	soft "$(t 5)" "$D"; soft "$(t 4)" "$D"; deliv "$(t 3)" "$D"; soft "$(t 2)" "$D"
	hard "$(t 3)" "$A"
} > "$tmp/history.mbox"

# ---- a new store made by several writers at once (pipe deliveries on
# a file or database nobody initialised): each stores its bounce, the
# schema is made once
i=0
while [ $i -lt 6 ]; do
	i=$((i + 1))
	{ hard "$(t 20)" "race$i@racers.example" | "$bin" ingest - -q --db "$db" \
		2>"$tmp/race$i.err"; echo $? >"$tmp/race$i.rc"; } &
done
wait
bad=$(for i in 1 2 3 4 5 6; do [ "$(cat "$tmp/race$i.rc")" = 0 ] ||
	echo "writer $i: exit $(cat "$tmp/race$i.rc"): $(cat "$tmp/race$i.err")"; done)
[ -z "$bad" ] && ok "six writers creating a new store at once: all stored (0)" ||
	ko "six writers creating a new store at once" "$bad"
"$bin" db check --db "$db" >"$tmp/check" 2>&1
grep -q '^events 6$' "$tmp/check" && grep -q '^schema [0-9]' "$tmp/check" &&
	ok "six writers at once: one schema, six events" || ko "six writers at once: the store" "$(cat "$tmp/check")"

# ---- init, ingest, summary
check "db init" bk db init
check "db init again: nothing to do" bk db init
check "db check" sh -c "'$bin' db check --db '$db' | grep -q '^schema 10'"
# the HTTP API's tokens (schema 3, table api_tokens) on this back end
check "token add" sh -c "'$bin' token add t$tag --scope write --db '$db' | grep -q '^bk_[0-9a-f]*$'"
check "token list" sh -c "'$bin' token list --db '$db' | grep -q '^t$tag[[:space:]]write[[:space:]]'"
check "token add: a name twice is refused" sh -c "! '$bin' token add t$tag --db '$db'"
check "token revoke" bk token revoke t$tag
check "token revoked: gone from the list" sh -c "! '$bin' token list --db '$db' | grep -q '^t$tag[[:space:]]'"
bk ingest "$tmp/history.mbox" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && ok "ingest the history: 0" || ko "ingest the history: 0" "exit $rc: $(cat "$tmp/err")"
grep -q "ingest: 19 messages, 19 records, 19 events new, 0 duplicates skipped, 4 addresses newly suppressed" "$tmp/err" &&
	ok "ingest summary" || ko "ingest summary" "$(cat "$tmp/err")"

# ---- verdicts
expect "hard bounce: suppressed" "$H" "suppressed hard"
expect "two soft days: ok" "$S2" "ok "
expect "three soft bounces in one day count once: ok" "$S1D" "ok "
expect "three soft days in the window: retry-after" "$S3" "retry-after soft"
until=$("$bin" query --db "$db" --format tsv "$S3" | cut -f3)
want=$(date -u -d "@$(($(t 1) + 3 * day))" '+%Y-%m-%dT%H:%M:%SZ')
[ "$until" = "$want" ] && ok "retry-after until: last soft + 3 days" || ko "retry-after until" "got $until want $want"
expect "complaint: suppressed" "$C" "suppressed complaint"
expect "sender-side block: never the recipient" "$B" "ok "
expect "delivery resets the soft count" "$D" "ok "
expect "hard bounce before allow: suppressed" "$A" "suppressed hard"
expect "unknown address: ok" "nobody-$tag@example.org" "ok "
check "query text shows the evidence" sh -c "'$bin' query --db '$db' '$H' | grep -q 'userunknown'"
check "query counts" sh -c "'$bin' query --db '$db' --format json '$S1D' | grep -q '\"soft\":3'"

# ---- stats: sender-side counts against the destination and the sender
check "stats by destination: sender-side" sh -c "'$bin' stats --db '$db' --by destination --format csv | grep -q '^example.com,4,0,0,0,4,'"
check "stats by senderdomain" sh -c "'$bin' stats --db '$db' --by senderdomain --format csv | grep -q '^example.jp,'"
check "stats by reason json" sh -c "'$bin' stats --db '$db' --by reason --format json | grep -q '\"key\":\"blocked\"'"
check "stats by day table" sh -c "'$bin' stats --db '$db' --by day | grep -q '^key'"
check "stats --since bounds" sh -c "[ \"\$('$bin' stats --db '$db' --by reason --format csv --since $(t 0) | wc -l)\" -le 1 ]"
check "stats bad --by: 2" sh -c "'$bin' stats --db '$db' --by color; [ \$? -eq 2 ]"

# ---- allow-list by domain overrides everything
check "allow @domain" bk allow "@allow-$tag.example.com" --reason "our own domain"
expect "allow-listed domain: ok" "$A" "ok allowed"
hard "$(t 0)" "other@allow-$tag.example.com" > "$tmp/allow.mbox"
bk ingest -q "$tmp/allow.mbox" 2>/dev/null
expect "new hard bounce in an allow-listed domain: ok" "other@allow-$tag.example.com" "ok allowed"

# ---- complaint: lifted only with --force
bk unsuppress "$C" >/dev/null 2>&1
[ $? -eq 1 ] && ok "unsuppress a complaint without --force: 1" || ko "unsuppress a complaint without --force: 1"
expect "complaint still suppressed" "$C" "suppressed complaint"
check "unsuppress --force" bk unsuppress "$C" --force --reason "asked by the user"
expect "complaint lifted" "$C" "ok "

# ---- manual suppress / unsuppress, audited
check "suppress --reason" bk suppress "$M" --reason "asked to stop"
expect "manual suppression" "$M" "suppressed manual"
check "suppress without --reason: 2" sh -c "'$bin' suppress --db '$db' x-$tag@example.org; [ \$? -eq 2 ]"
check "unsuppress" bk unsuppress "$M"
expect "manual unsuppress" "$M" "ok "

# ---- idempotency
bk ingest "$tmp/history.mbox" >/dev/null 2>"$tmp/err"
grep -q "0 events new, 19 duplicates skipped" "$tmp/err" && ok "same mbox again: all duplicates" ||
	ko "same mbox again: all duplicates" "$(cat "$tmp/err")"
# the same message by a second channel, with envelope headers added
{ echo "Return-Path: <>"; echo "Delivered-To: bounces@example.jp";
  echo "Received: from mx.example.jp by lmtp.example.jp; $(rfc "$now")";
  hard "$(t 10)" "$H" | sed 1d; } > "$tmp/again.eml"
bk ingest - < "$tmp/again.eml" >/dev/null 2>"$tmp/err"
grep -q "0 events new, 1 duplicates skipped" "$tmp/err" && ok "second channel with envelope headers: one event" ||
	ko "second channel with envelope headers: one event" "$(cat "$tmp/err")"
# two different bounces for one recipient are two events
{ hard "$(t 9)" "two-$tag@example.org" m1; hard "$(t 8)" "two-$tag@example.org" m2; } > "$tmp/two.mbox"
bk ingest "$tmp/two.mbox" >/dev/null 2>"$tmp/err"
grep -q "2 events new, 0 duplicates" "$tmp/err" && ok "two bounces for one recipient: two events" ||
	ko "two bounces for one recipient: two events" "$(cat "$tmp/err")"
check "query shows both events" sh -c "'$bin' query --db '$db' --format json 'two-$tag@example.org' | grep -q '\"hard\":2'"
# out of order: an older soft bounce arriving late re-derives the state
soft "$(t 3)" "$S2" > "$tmp/late.mbox"
bk ingest -q "$tmp/late.mbox"
expect "a late older soft bounce (3 days in the window): retry-after" "$S2" "retry-after soft"

# ---- a delivery log's deliveries are counted once per line: read twice,
# grown, and read by two writers at once (a batch a delivery)
lg() { printf 'Dec  6 09:00:%02d mail postfix/smtp[3103]: 6F00000%03d: to=<d%d@dl-%s.example>, relay=mx.example.com[192.0.2.40]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n' "$(($1 % 60))" "$1" "$1" "$tag"; }
dlcount() { "$bin" stats --db "$db" --by destination --format csv 2>/dev/null | awk -F, -v d="dl-$tag.example" '$1 == d { print $7 }'; }
{ lg 1; lg 2; } > "$tmp/d.log"
bk ingest -q --log-year 2026 --log postfix "$tmp/d.log" 2>/dev/null
bk ingest -q --log-year 2026 --log postfix "$tmp/d.log" 2>/dev/null
[ "$(dlcount)" = 2 ] && ok "a delivery log read twice: each delivery counted once" ||
	ko "a delivery log read twice" "delivered: $(dlcount)"
lg 3 >> "$tmp/d.log"
bk ingest -q --log-year 2026 --log postfix "$tmp/d.log" 2>/dev/null
[ "$(dlcount)" = 3 ] && ok "a delivery log that grew: only the new line counted" ||
	ko "a delivery log that grew" "delivered: $(dlcount)"
i=10; : > "$tmp/d2.log"; while [ $i -lt 50 ]; do lg $i >> "$tmp/d2.log"; i=$((i + 1)); done
bk ingest -q --batch 1 --log-year 2026 --log postfix "$tmp/d2.log" 2>"$tmp/dla.err" &
bk ingest -q --batch 1 --log-year 2026 --log postfix "$tmp/d2.log" 2>"$tmp/dlb.err"
wait
[ "$(dlcount)" = 43 ] && ok "a delivery log read by two writers at once: each delivery counted once" ||
	ko "a delivery log read by two writers at once" "delivered: $(dlcount) (want 43): $(cat "$tmp/dla.err" "$tmp/dlb.err")"

# ---- recompute after a policy change
check "recompute, soft_threshold=4" bk db recompute --policy soft_threshold=4
expect "threshold 4: three soft days are ok" "$S3" "ok "
expect "threshold 4: hard stays suppressed" "$H" "suppressed hard"
expect "threshold 4: allow-list kept" "$A" "ok allowed"
expect "recompute keeps the manual history" "$M" "ok "
check "the store keeps the policy" sh -c "'$bin' db check --db '$db' | grep -q '^policy soft_threshold=4'"
P3=soft3b-$tag@example.org
{ soft "$(t 3)" "$P3"; soft "$(t 2)" "$P3"; soft "$(t 1)" "$P3"; } > "$tmp/p3.mbox"
bk ingest -q "$tmp/p3.mbox"
expect "ingest without a policy uses the store's (threshold 4)" "$P3" "ok "
bk ingest --policy soft_threshold=3 "$tmp/p3.mbox" >/dev/null 2>"$tmp/err"
grep -q "policy is not the store's" "$tmp/err" && ok "ingest with another policy: a warning" || ko "ingest with another policy: a warning" "$(cat "$tmp/err")"
check "recompute, defaults" bk db recompute --policy soft_threshold=3
expect "recompute re-derives with the new policy" "$P3" "retry-after soft"
expect "defaults again: retry-after" "$S3" "retry-after soft"
expect "defaults again: complaint lifted by the audited --force" "$C" "ok "
check "bad policy key: 2" sh -c "'$bin' db recompute --db '$db' --policy colour=blue; [ \$? -eq 2 ]"
printf '# policy\nsoft_threshold = 1\n' > "$tmp/policy"
check "policy file" bk db recompute --policy-file "$tmp/policy"
expect "policy file threshold 1: one soft day suppresses" "$S2" "retry-after soft"
check "recompute, defaults again" bk db recompute --policy soft_threshold=3

# ---- scope per sender domain (bounceHammer's sender+recipient key)
check "recompute, scope=senderdomain" bk db recompute --policy scope=senderdomain
[ "$("$bin" query --db "$db" --format tsv --scope example.jp "$H" | cut -f2)" = suppressed ] &&
	ok "scope senderdomain: the sender's verdict" || ko "scope senderdomain: the sender's verdict"
[ "$("$bin" query --db "$db" --format tsv --scope example.net "$H" | cut -f2)" = ok ] &&
	ok "scope senderdomain: another sender unaffected" || ko "scope senderdomain: another sender unaffected"
check "recompute, global again" bk db recompute --policy scope=global
expect "global again" "$H" "suppressed hard"

# ---- query -: one verdict a line, streaming
printf '%s\nnot-an-address\n%s\n' "$H" "$B" | "$bin" query --db "$db" - > "$tmp/q.ndjson" 2>/dev/null
[ $? -eq 1 ] && [ "$(wc -l < "$tmp/q.ndjson")" -eq 3 ] && grep -q '"verdict":"invalid"' "$tmp/q.ndjson" &&
	ok "query -: a verdict per line, invalid flagged, exit 1" || ko "query -" "$(cat "$tmp/q.ndjson")"
printf '%s\n' "$H" | "$bin" query --db "$db" --format tsv - | grep -q "^$H	suppressed" &&
	ok "query - tsv" || ko "query - tsv"

# ---- export
bk export --suppressed > "$tmp/supp.csv" 2>/dev/null
grep -q "^,$H,suppressed,hard," "$tmp/supp.csv" && ! grep -q "$A" "$tmp/supp.csv" && ! grep -q "$B" "$tmp/supp.csv" &&
	ok "export --suppressed: suppressed in, allowed and sender-side out" || ko "export --suppressed" "$(cat "$tmp/supp.csv")"
check "export --suppressed ndjson" sh -c "'$bin' export --db '$db' --suppressed --format ndjson | grep -q '\"address\":\"$S3\"'"
bk export --events --format ndjson > "$tmp/ev.ndjson" 2>/dev/null
n=$(grep -c "$tag" "$tmp/ev.ndjson")
[ "$n" -eq 26 ] && ok "export --events: every event once" || ko "export --events: every event once" "got $n"
check "export --events csv" sh -c "'$bin' export --db '$db' --events --format csv | head -1 | grep -q recipient"
check "export without a kind: 2" sh -c "'$bin' export --db '$db'; [ \$? -eq 2 ]"

# ---- Sisimai JSON import, bad rows reported and skipped
cat > "$tmp/sisimai.json" <<JSON
[
 {"timestamp": $(t 1), "recipient": "json1-$tag@example.org", "addresser": "sender@example.jp",
  "reason": "userunknown", "deliverystatus": "5.1.1", "hardbounce": 1, "smtpagent": "Postfix",
  "diagnosticcode": "550 5.1.1 User unknown", "messageid": "j1@example.jp", "catch": null,
  "timestampsource": "arrival-date"},
 {"timestamp": $(t 1), "addresser": "sender@example.jp", "reason": "userunknown"},
 {"timestamp": "yesterday", "recipient": "json3-$tag@example.org", "reason": "mailboxfull"},
 {"timestamp": $(t 2), "recipient": "json4-$tag@example.org", "reason": "mailboxfull",
  "deliverystatus": "4.2.2", "softbounce": 1}
]
JSON
bk ingest --records "$tmp/sisimai.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && ok "records with bad rows: exit 1" || ko "records with bad rows: exit 1" "exit $rc"
grep -q "record 1: missing or bad recipient" "$tmp/err" && grep -q "record 2: bad timestamp" "$tmp/err" &&
	ok "bad records named by index and why" || ko "bad records named" "$(cat "$tmp/err")"
grep -q "2 records, 2 events new" "$tmp/err" && ok "good records stored" || ko "good records stored" "$(cat "$tmp/err")"
expect "imported hard bounce: suppressed" "json1-$tag@example.org" "suppressed hard"
expect "imported soft bounce: ok" "json4-$tag@example.org" "ok "
printf '{"timestamp": %s, "recipient": "nd1-%s@example.org", "reason": "hasmoved", "deliverystatus": "5.1.6"}\n{"timestamp": 1,\n' "$(t 1)" "$tag" > "$tmp/r.ndjson"
bk ingest --records "$tmp/r.ndjson" >/dev/null 2>"$tmp/err"
grep -q "r.ndjson:2: bad JSON" "$tmp/err" && ok "NDJSON records: bad line named by line" || ko "NDJSON bad line" "$(cat "$tmp/err")"
expect "NDJSON record stored" "nd1-$tag@example.org" "suppressed hard"
check "export keeps where the timestamp came from" grep -q "\"recipient\":\"$H\".*\"timestampsource\":\"last-attempt-date\"" "$tmp/ev.ndjson"
check "a record's timestampsource is imported and exported" sh -c "'$bin' export --db '$db' --events --format ndjson | grep 'json1-$tag@' | grep -q '\"timestampsource\":\"arrival-date\"'"
check "exported events import back as records" sh -c "grep '$H' '$tmp/ev.ndjson' | '$bin' ingest --db '$db' --records - 2>&1 | grep -q '0 events new, 1 duplicates'"

# ---- one failure, one event: a webhook event and a bounce message for
# the same Message-ID and recipient (docs/store.md, the message key)
T0=$(t 2)
TS=$(date -u -d "@$T0" '+%Y-%m-%dT%H:%M:%S.000Z')
# hook PROVIDER RCPT MSGID ID [RCPT2]: a payload of PROVIDER's bouncing
# RCPT (and RCPT2) of the message MSGID, event id ID
hook() {
	case $1 in
	ses) r2=""; [ -n "${5:-}" ] && r2=", {\"emailAddress\": \"$5\", \"action\": \"failed\", \"status\": \"5.2.2\", \"diagnosticCode\": \"smtp; 552 5.2.2 Mailbox full\"}"
	     printf '{"notificationType": "Bounce", "bounce": {"feedbackId": "%s", "bounceType": "Permanent", "bounceSubType": "General", "bouncedRecipients": [{"emailAddress": "%s", "action": "failed", "status": "5.1.1", "diagnosticCode": "smtp; 550 5.1.1 User unknown"}%s], "timestamp": "%s", "reportingMTA": "dsn; a8-12.smtp-out.amazonses.com"}, "mail": {"timestamp": "%s", "source": "sender@example.jp", "messageId": "0100-%s", "commonHeaders": {"messageId": "<%s>", "subject": "News"}}}\n' "$4" "$2" "$r2" "$TS" "$TS" "$4" "$3" ;;
	sendgrid) printf '[{"email": "%s", "timestamp": %s, "smtp-id": "<%s>", "event": "bounce", "type": "bounce", "status": "5.1.1", "reason": "550 5.1.1 User unknown", "sg_event_id": "%s", "bounce_classification": "Invalid Address"}]\n' "$2" "$T0" "$3" "$4" ;;
	mailgun) printf '{"event-data": {"event": "failed", "id": "%s", "timestamp": %s, "severity": "permanent", "reason": "bounce", "recipient": "%s", "message": {"headers": {"message-id": "%s", "subject": "News"}}, "delivery-status": {"message": "550 5.1.1 User unknown", "code": 550, "enhanced-code": "5.1.1"}}}\n' "$4" "$T0" "$2" "$3" ;;
	esac
}
nevents() { "$bin" export --db "$db" --events --format ndjson 2>/dev/null | grep -c "\"recipient\":\"$1\""; }
pre=""	# dbsql names no database on MariaDB
case $db in mysql://*|mariadb://*) pre="$fresh." ;; esac
# pclass ADDRESS: the provider_class column of its events (SQL at hand)
pclass() {
	q="SELECT provider_class FROM ${pre}events WHERE address = '$1'"
	if [ "$kind" = server ]; then dbsql "$q"; else sqlite3 "${db#sqlite:}" "$q"; fi 2>/dev/null
}
for p in ses sendgrid mailgun; do
	for order in hook-first bounce-first; do
		a="mj-$p-$order-$tag@example.org"
		mid="mj-$p-$order-$tag@example.jp"
		hook $p "$a" "$mid" "ev-$p-$order-$tag" > "$tmp/mj.json"
		dsn "$T0" "$a" 5.1.1 failed "550 5.1.1 User unknown" "mj-$p-$order-$tag" > "$tmp/mj.mbox"
		if [ $order = hook-first ]; then
			bk ingest -q "$tmp/mj.json"; bk ingest -q "$tmp/mj.mbox"
		else
			bk ingest -q "$tmp/mj.mbox"; bk ingest -q "$tmp/mj.json"
		fi
		n=$(nevents "$a")
		ev=$("$bin" export --db "$db" --events --format ndjson 2>/dev/null | grep "\"recipient\":\"$a\"")
		[ "$n" = 1 ] && echo "$ev" | grep -q "\"event_id\":\"ev-$p-$order-$tag\"" &&
			echo "$ev" | grep -q "\"provider\":\"$p\"" &&
			{ [ "$kind" = sqlite ] && ! command -v sqlite3 >/dev/null 2>&1 ||
			  pclass "$a" | grep -q "\"provider\":\"$p\""; } &&
			ok "message key: $p webhook and bounce message ($order): one event, the provider's class and event id kept" ||
			ko "message key: $p ($order)" "events $n: $ev"
		bk ingest "$tmp/mj.json" 2>"$tmp/err"
		[ "$(nevents "$a")" = 1 ] && grep -q "0 events new" "$tmp/err" &&
			ok "message key: $p webhook retried ($order): still one event" ||
			ko "message key: $p retry ($order)" "$(cat "$tmp/err")"
	done
done
expect "message key: joined hard bounce suppresses" "mj-ses-bounce-first-$tag@example.org" "suppressed hard"
# two recipients of one message in one SES notification, one of them
# also bounced by mail: one event per recipient
a="mj-multi1-$tag@example.org"; b="mj-multi2-$tag@example.org"
hook ses "$a" "mj-multi-$tag@example.jp" "ev-multi-$tag" "$b" > "$tmp/mj.json"
dsn "$T0" "$a" 5.1.1 failed "550 5.1.1 User unknown" "mj-multi-$tag" > "$tmp/mj.mbox"
bk ingest -q "$tmp/mj.mbox"; bk ingest -q "$tmp/mj.json"
[ "$(nevents "$a")" = 1 ] && [ "$(nevents "$b")" = 1 ] &&
	ok "message key: a multi-recipient SES bounce is one event per recipient, the mailed one joined" ||
	ko "message key: multi-recipient" "$(nevents "$a") and $(nevents "$b") events"
# different recipients of one message, by mail: separate events
c="mj-other-$tag@example.org"
dsn "$T0" "$c" 5.1.1 failed "550 5.1.1 User unknown" "mj-multi-$tag" > "$tmp/mj.mbox"
bk ingest -q "$tmp/mj.mbox"
[ "$(nevents "$c")" = 1 ] && [ "$(nevents "$a")" = 1 ] &&
	ok "message key: another recipient of the same message is another event" ||
	ko "message key: another recipient" "$(nevents "$c") and $(nevents "$a")"
# a deferral by webhook made final by the bounce message (both in one
# batch too): one event, the final one
a="mj-defer-$tag@example.org"
printf '{"eventType": "DeliveryDelay", "deliveryDelay": {"delayType": "MailboxFull", "delayedRecipients": [{"emailAddress": "%s", "status": "4.2.2", "diagnosticCode": "smtp; 452 4.2.2 Mailbox full"}], "timestamp": "%s"}, "mail": {"timestamp": "%s", "source": "sender@example.jp", "messageId": "0100-d-%s", "commonHeaders": {"messageId": "<mj-defer-%s@example.jp>"}}}\n' "$a" "$TS" "$TS" "$tag" "$tag" > "$tmp/mjd.json"
dsn "$((T0 + 3600))" "$a" 5.1.1 failed "550 5.1.1 User unknown" "mj-defer-$tag" > "$tmp/mj.mbox"
bk ingest "$tmp/mjd.json" "$tmp/mj.mbox" 2>"$tmp/err"
[ "$(nevents "$a")" = 1 ] && grep -q "1 events new" "$tmp/err" && grep -q "deferrals made final: 1" "$tmp/err" &&
	"$bin" export --db "$db" --events --format ndjson | grep "\"recipient\":\"$a\"" | grep -q '"action":"failed"' &&
	ok "message key: a webhook deferral and the final bounce message in one batch: one final event" ||
	ko "message key: deferral made final" "$(nevents "$a") events: $(cat "$tmp/err") $("$bin" export --db "$db" --events --format ndjson | grep "mj-defer")"
expect "message key: the final bounce decides" "$a" "suppressed hard"
# an event stored before the message key (none: schema version 6 and
# earlier): the same bounce again is a duplicate, not a second event
a="mj-old-$tag@example.org"
dsn "$T0" "$a" 5.1.1 failed "550 5.1.1 User unknown" "mj-old-$tag" > "$tmp/mj.mbox"
bk ingest -q "$tmp/mj.mbox"
sql="UPDATE ${pre}events SET mkey = NULL WHERE address = '$a'"
if [ "$kind" = server ] || command -v sqlite3 >/dev/null 2>&1; then
	if [ "$kind" = server ]; then dbsql "$sql" >"$tmp/sql.log" 2>&1; else sqlite3 "${db#sqlite:}" "$sql" >"$tmp/sql.log" 2>&1; fi ||
		ko "message key: the key taken off a stored event" "$(cat "$tmp/sql.log")"
	bk ingest "$tmp/mj.mbox" 2>"$tmp/err"
	[ "$(nevents "$a")" = 1 ] && grep -q "0 events new, 1 duplicates" "$tmp/err" &&
		ok "message key: a bounce stored without one, again: a duplicate" ||
		ko "message key: stored without one" "$(nevents "$a") events: $(cat "$tmp/err")"
	# ... with a webhook event of it in the same batch: the old event
	# is not joined (it has no key); the webhook's is stored once
	hook sendgrid "$a" "mj-old-$tag@example.jp" "ev-old-$tag" > "$tmp/mj.json"
	bk ingest "$tmp/mj.mbox" "$tmp/mj.json" 2>"$tmp/err"
	bk ingest "$tmp/mj.json" "$tmp/mj.mbox" 2>"$tmp/err2"
	[ "$(nevents "$a")" = 2 ] && grep -q "1 events new" "$tmp/err" && grep -q "0 events new" "$tmp/err2" &&
		ok "message key: beside a bounce stored without one, a webhook event is stored once" ||
		ko "message key: beside one stored without" "$(nevents "$a") events: $(cat "$tmp/err" "$tmp/err2")"
fi

# ---- command line
for c in ingest query stats export suppress unsuppress allow prune db; do
	check "$c --help" sh -c "'$bin' $c --help | grep -qi usage"
done
check "ingest without input: 2" sh -c "'$bin' ingest --db '$db'; [ \$? -eq 2 ]"
check "ingest bad -j: 2" sh -c "'$bin' ingest --db '$db' -j 0 x; [ \$? -eq 2 ]"
check "ingest -j 2 (threads)" sh -c "'$bin' ingest --db '$db' -j 2 '$tmp/history.mbox' 2>&1 | grep -q '0 events new, 19 duplicates'"
check "ingest a missing file: 1" sh -c "'$bin' ingest --db '$db' '$tmp/nope' ; [ \$? -eq 1 ]"

# ---- prune keeps address state (a separate store, so as not to empty the shared one)
if [ "$kind" = sqlite ]; then
	p="sqlite:$tmp/prune.db"
	"$bin" ingest -q --db "$p" "$tmp/history.mbox"
	"$bin" prune --db "$p" --events-older-than 0 > "$tmp/out" 2>&1
	grep -q "pruned 19 events" "$tmp/out" && ok "prune" || ko "prune" "$(cat "$tmp/out")"
	[ "$("$bin" query --db "$p" --format tsv "$H" | cut -f2)" = suppressed ] &&
		ok "prune keeps address state" || ko "prune keeps address state"
else
	"$bin" prune --db "$db" --events-older-than 36500 > "$tmp/out" 2>&1 &&
		ok "prune (nothing that old)" || ko "prune" "$(cat "$tmp/out")"
	expect "prune keeps address state" "$H" "suppressed hard"
fi

# ---- the recent events kept with an address's state (SQLite, schema 10)
# GET /v1/addresses/{address} reads an address's events from its state
# row, where triggers keep them; build/viewcheck-test compares them, for
# each address and at several limits, with the events' table.  25 bounces
# for one address (more than the 20 kept), in shuffled order, some at one
# second; then a prune, a recompute and a store of schema 9 migrated.
vc=${BK_VIEWCHECK:-$PWD/$build/viewcheck-test}
if [ "$kind" = sqlite ] && [ -x "$vc" ] && command -v sqlite3 >/dev/null 2>&1; then
	r="$tmp/recent.db"
	R=many$tag@recent.example
	: >"$tmp/recent.mbox"
	for i in 7 3 19 11 0 24 15 2 22 9 13 5 17 1 21 8 12 4 23 6 14 10 18 16 20; do
		dsn "$((now - 86400 * 30 + (i / 2) * 3600))" "$R" 4.2.2 delayed \
			"452 4.2.2 Mailbox full ($i)" "m$i-$tag" >>"$tmp/recent.mbox"
	done
	for i in 1 2 3; do
		dsn "$((now - 86400 * 40 * i))" "few$i$tag@recent.example" 5.1.1 failed \
			"550 5.1.1 User unknown" "f$i-$tag" >>"$tmp/recent.mbox"
		dsn "$((now - 86400 * 2))" "few$i$tag@recent.example" 4.2.2 delayed \
			"452 4.2.2 Mailbox full" "g$i-$tag" >>"$tmp/recent.mbox"
	done
	"$bin" ingest -q --db "sqlite:$r" "$tmp/recent.mbox"
	addrs() { sqlite3 "$r" "SELECT DISTINCT address FROM events ORDER BY 1"; }
	vcheck() {	# vcheck NAME
		addrs | "$vc" "sqlite:$r" >"$tmp/vc.out" 2>&1 &&
			ok "$1: $(tail -n 1 "$tmp/vc.out")" || ko "$1" "$(grep -v '^viewcheck:' "$tmp/vc.out" | head -n 3)"
	}
	n=$(sqlite3 "$r" "SELECT COUNT(recent) FROM addr_state WHERE scope = ''")
	[ "$n" = 4 ] && ok "recent events kept for 4 addresses" || ko "recent events kept for 4 addresses" "got $n"
	vcheck "recent events: the view reads what the events' table has"
	"$bin" prune --db "sqlite:$r" --events-older-than 35 >"$tmp/out" 2>&1
	grep -q "pruned 3 events" "$tmp/out" && ok "recent events: prune" || ko "recent events: prune" "$(cat "$tmp/out")"
	vcheck "recent events after a prune"
	"$bin" db recompute --db "sqlite:$r" >"$tmp/out" 2>&1 && ok "recent events: recompute" ||
		ko "recent events: recompute" "$(cat "$tmp/out")"
	vcheck "recent events after a recompute"
	# a store of schema 9: no column, no triggers; the migration fills it
	sqlite3 "$r" "DROP TRIGGER events_recent_upd;
		DROP TRIGGER events_recent_del;
		ALTER TABLE addr_state DROP COLUMN recent; UPDATE schema_version SET version = 9"
	"$bin" db migrate --db "sqlite:$r" >"$tmp/out" 2>&1 &&
		[ "$(sqlite3 "$r" "SELECT COUNT(recent) FROM addr_state WHERE scope = ''")" = 4 ] &&
		ok "recent events filled by the migration to schema 10" ||
		ko "recent events filled by the migration to schema 10" "$(cat "$tmp/out")"
	vcheck "recent events after the migration"
	# a new event for an address whose global row a sender domain's
	# policy leaves alone: its copy is dropped, the view reads the table
	dsn "$now" "$R" 4.2.2 delayed "452 4.2.2 Mailbox full (new)" "new-$tag" |
		"$bin" ingest - -q --db "sqlite:$r" --policy scope=senderdomain
	n=$(sqlite3 "$r" "SELECT COUNT(recent) FROM addr_state WHERE scope = ''")
	[ "$n" = 3 ] && ok "recent events: a global copy dropped" || ko "recent events: a global copy dropped" "$n kept"
	vcheck "recent events after an event under another scope"
	# a webhook event and a bounce message of one failure joined in one
	# batch, each order, for an address new to the store (hook(): below)
	for p in ses sendgrid mailgun; do
		for order in hook-first bounce-first; do
			a="rj-$p-$order-$tag@example.org"
			hook $p "$a" "rj-$p-$order-$tag@example.jp" "rev-$p-$order-$tag" >"$tmp/rj-$p-$order.json"
			dsn "$now" "$a" 5.1.1 failed "550 5.1.1 User unknown" "rj-$p-$order-$tag" >"$tmp/rj-$p-$order.mbox"
			if [ $order = hook-first ]; then
				"$bin" ingest -q --db "sqlite:$r" "$tmp/rj-$p-$order.json" "$tmp/rj-$p-$order.mbox"
			else
				"$bin" ingest -q --db "sqlite:$r" "$tmp/rj-$p-$order.mbox" "$tmp/rj-$p-$order.json"
			fi
		done
	done
	vcheck "recent events after webhook events joined in the batch"
	# real bounces: the corpus's Maildir, its LF then its CRLF copy (the
	# same bounces again: duplicates, some new keys)
	c=../shared/corpus/sisimai/maildir
	if [ -d "$c/bsd" ] && [ -d "$c/dos" ]; then
		"$bin" ingest -q --db "sqlite:$tmp/corpus.db" "$c/bsd" 2>/dev/null
		"$bin" ingest -q --db "sqlite:$tmp/corpus.db" "$c/dos" 2>/dev/null
		sqlite3 "$tmp/corpus.db" "SELECT DISTINCT address FROM events" |
			"$vc" "sqlite:$tmp/corpus.db" >"$tmp/vc.out" 2>&1 &&
			ok "recent events of the corpus: $(tail -n 1 "$tmp/vc.out")" ||
			ko "recent events of the corpus" "$(head -n 3 "$tmp/vc.out")"
	else
		echo "skip store: recent events of the corpus (no ../shared/corpus)"
	fi
	# the check can fail: a copy that differs from the table in one column
	sqlite3 "$r" "UPDATE addr_state SET recent = replace(recent, 'Mailbox full', 'Mailbox FULL')
		WHERE scope = '' AND recent IS NOT NULL"
	addrs | "$vc" "sqlite:$r" >"$tmp/vc.out" 2>&1 &&
		ko "viewcheck sees a copy that differs" || ok "viewcheck sees a copy that differs"
else
	echo "skip store: recent events (SQLite, build/viewcheck-test and sqlite3)"
fi

# ---- error classes (SQLite files)
if [ "$kind" = sqlite ] && command -v sqlite3 >/dev/null 2>&1; then
	l="$tmp/locked.db"
	"$bin" db init --db "$l" >/dev/null 2>&1
	( echo "BEGIN IMMEDIATE; INSERT INTO audit (at, who, action, scope, address, reason) VALUES (0, 'x', 'x', '', 'x', 'x');"; sleep 3; echo "ROLLBACK;" ) | sqlite3 "$l" &
	lockpid=$!
	sleep 1
	"$bin" ingest --db "sqlite:$l?timeout=200" "$tmp/history.mbox" >/dev/null 2>"$tmp/err"
	rc=$?
	wait $lockpid
	[ $rc -eq 75 ] && grep -qi "locked\|busy" "$tmp/err" && ok "locked database: clear error, exit 75" ||
		ko "locked database: exit 75" "exit $rc: $(cat "$tmp/err")"
	[ "$("$bin" db check --db "$l" | awk '$1 == "events" { print $2 }')" = 0 ] &&
		ok "locked: nothing half-written" || ko "locked: nothing half-written"
	"$bin" ingest --db "$l" "$tmp/history.mbox" >/dev/null 2>&1 && ok "unlocked: the same ingest goes in" || ko "unlocked ingest"
	c="$tmp/corrupt.db"
	i=0; while [ $i -lt 200 ]; do echo "this is not a database, it is a text file"; i=$((i + 1)); done > "$c"
	cp "$c" "$tmp/corrupt.orig"
	"$bin" ingest --db "$c" "$tmp/history.mbox" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -ne 0 ] && [ $rc -ne 75 ] && grep -q "not a database" "$tmp/err" && ok "corrupt file: reported (exit $rc)" ||
		ko "corrupt file: reported" "exit $rc: $(cat "$tmp/err")"
	cmp -s "$c" "$tmp/corrupt.orig" && ok "corrupt file: never overwritten" || ko "corrupt file: never overwritten"
	check "corrupt file: db check fails" sh -c "! '$bin' db check --db '$c'"
	n="$tmp/newer.db"
	"$bin" db init --db "$n" >/dev/null 2>&1
	sqlite3 "$n" "UPDATE schema_version SET version = 99"
	"$bin" ingest --db "$n" "$tmp/history.mbox" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -ne 0 ] && grep -q "newer" "$tmp/err" && ok "newer schema: refused" || ko "newer schema: refused" "exit $rc: $(cat "$tmp/err")"
	check "query on a missing store: an error, no file made" sh -c "! '$bin' query --db '$tmp/none.db' a@example.org && [ ! -e '$tmp/none.db' ]"
	check "BOUNCEKIT_DB names the store" sh -c "cd '$tmp' && BOUNCEKIT_DB='$tmp/env.db' '$bin' ingest -q history.mbox && [ -s '$tmp/env.db' ] && [ ! -e '$tmp/bouncekit.db' ]"
else
	echo "skip store: SQLite file errors (store is $kind)"
fi
[ "$kind" = server ] && echo "store: ran against $(echo "$db" | sed 's|//[^@]*@|//***@|')"
echo "$name: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
