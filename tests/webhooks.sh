#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# webhooks.sh - the providers' event payloads (hooks/, docs/webhooks.md):
# each tests/webhooks/NAME.json through `bouncekit parse` against
# NAME.ndjson (tests/webhooks.sh --update writes them: read before
# committing), bad payloads, `bouncekit ingest` (one event per recipient,
# the provider's class kept, retries stored once), then the endpoints of
# `bouncekit serve` (tests/webhooks.py: signatures, replays, malformed
# bodies, and the same records as the command line).
#
# usage: tests/webhooks.sh [--update] [BUILD_DIR]
# Prints one "ok"/"FAIL" line per check and "webhooks: N passed, N failed".
set -u
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=${BK_BIN:-$build/bouncekit}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); echo "ok   webhooks $1"; }
ko() { fail=$((fail + 1)); echo "FAIL webhooks $1"; }
check() { # NAME COMMAND...: passes when the command succeeds
	name=$1; shift
	if "$@" >"$tmp/out" 2>&1; then ok "$name"; else ko "$name"; sed 's/^/     /' "$tmp/out" | head -20; fi
}

# ---- golden records ----
for f in tests/webhooks/*.json; do
	want=${f%.json}.ndjson
	"$bin" parse -q --format ndjson "$f" >"$tmp/got" 2>"$tmp/err"
	if [ $update -eq 1 ]; then
		cp "$tmp/got" "$want"; echo "updated $want"; continue
	fi
	if [ -f "$want" ] && cmp -s "$tmp/got" "$want" && [ ! -s "$tmp/err" ]; then
		ok "golden $f"
	else
		ko "golden $f"
		[ -f "$want" ] && diff "$want" "$tmp/got" | head -10 | sed 's/^/     /'
		sed 's/^/     /' "$tmp/err"
	fi
done
[ $update -eq 1 ] && exit 0

# one record per bounced recipient: two of the three recipients of the mail
n=$("$bin" parse -q --format ndjson tests/webhooks/ses-bounce-multi.json | wc -l)
check "SES bounce with two bouncedRecipients of three: two records ($n)" [ "$n" -eq 2 ]
check "the recipient not bounced has no record" \
	sh -c "! '$bin' parse -q --format ndjson tests/webhooks/ses-bounce-multi.json | grep -q shironeko"

# ---- bad payloads: a clear error, exit 1, the rest of the batch goes on ----
printf '{"notificationType": "Bounce", "bounce": {' >"$tmp/truncated.json"
printf '{"hello": "world"}\n' >"$tmp/unknown.json"
printf '[{"event":"bounce","sg_event_id":"x1","reason":"550 5.1.1 unknown"}]\n' >"$tmp/norcpt.json"
printf '[{"msys":{"message_event":{"type":"bounce","rcpt_to":"a@example.org","timestamp":"not a time","bounce_class":"ten","error_code":{"x":1}}}}]\n' >"$tmp/oddtypes.json"
for f in truncated unknown norcpt; do
	"$bin" parse -q "$tmp/$f.json" tests/webhooks/postmark-bounce.json >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q "$f.json: " "$tmp/err" && grep -q kijitora "$tmp/out"; then
		ok "bad payload $f: exit 1, $(head -1 "$tmp/err" | cut -c1-90)"
	else
		ko "bad payload $f (exit $rc)"; sed 's/^/     /' "$tmp/err"
	fi
done
check "odd field types (a time, class and code that are not what is documented): read, not a crash" \
	sh -c "'$bin' parse -q --format ndjson '$tmp/oddtypes.json' | grep -q '\"recipient\":\"a@example.org\"'"
# an over-sized payload: refused with a message (16 MiB)
python3 -c "import sys; sys.stdout.write('[' + ','.join(['{\"event\":\"open\",\"email\":\"a@example.org\"}'] * 450000) + ']')" >"$tmp/big.json"
"$bin" parse -q "$tmp/big.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "over" "$tmp/err"; then ok "oversized payload refused: $(cut -c1-80 "$tmp/err")"
else ko "oversized payload (exit $rc)"; sed 's/^/     /' "$tmp/err"; fi
check "events of types not mapped (open, click, ping) give no record and no error" \
	sh -c "[ \"\$('$bin' parse -q --format ndjson tests/webhooks/ses-open.json)\" = '' ]"

# ---- ingest: the same records, one event each, the class kept, idempotent ----
db="$tmp/hooks.db"
"$bin" ingest -q --db "$db" tests/webhooks/*.json >"$tmp/out" 2>&1
check "ingest of every payload" [ $? -eq 0 ]
want=$(cat tests/webhooks/*.ndjson | wc -l)
"$bin" ingest -q --db "$db" tests/webhooks/*.json >"$tmp/out" 2>&1
check "ingest again: nothing new" python3 - "$db" "$want" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = c.execute("select count(*) from events").fetchone()[0]
assert n == int(sys.argv[2]), (n, sys.argv[2])
# every event from a payload has the provider's class, verbatim
rows = c.execute("select provider_class from events where provider_class is null").fetchall()
assert not rows, rows
ses = c.execute("select provider_class from events where recipient = 'kijitora@example.org' and decodedby = 'AmazonSES'").fetchone()[0]
assert '"bounceSubType":"General"' in ses and '"bounceType":"Permanent"' in ses, ses
PY
check "ingested verdict: the SES hard bounce suppresses kijitora@example.org" \
	sh -c "echo kijitora@example.org | '$bin' query --db '$db' --format tsv - | grep -q suppressed"
check "the multi-recipient SES mail: its recipient that was not bounced is unknown" \
	sh -c "! (echo shironeko@example.com | '$bin' query --db '$db' --format tsv - | grep -q suppressed)"

# threads: each worker keeps its own payload's records (cli/hookin.c)
"$bin" parse -q --format ndjson tests/webhooks/*.json >"$tmp/j1" 2>&1
"$bin" parse -q -j 4 --format ndjson tests/webhooks/*.json >"$tmp/j4" 2>&1
check "parse -j 4 gives the records of parse" cmp "$tmp/j1" "$tmp/j4"
"$bin" ingest -q -j 3 --db "$tmp/threads.db" tests/webhooks/*.json >"$tmp/out" 2>&1
check "ingest -j 3: every event with the provider's class" python3 - "$tmp/threads.db" "$want" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n, k = c.execute("select count(*), count(provider_class) from events").fetchone()
assert n == k == int(sys.argv[2]), (n, k, sys.argv[2])
PY

# ---- the endpoints ----
if [ -f tests/webhooks.py ]; then
	python3 tests/webhooks.py "$bin" "$tmp" >"$tmp/py" 2>&1
	cat "$tmp/py"
	p=$(sed -n 's/^py: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/py")
	f=$(sed -n 's/^py: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/py")
	if [ -z "$p" ]; then fail=$((fail + 1)); echo "FAIL webhooks endpoints: tests/webhooks.py did not report"
	else pass=$((pass + p)); fail=$((fail + f)); fi
fi

echo "webhooks: $pass passed, $fail failed"
[ $fail -eq 0 ]
