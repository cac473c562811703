#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# explain.sh - the evidence chains of a dozen representative records are
# pinned: each name of tests/explain/cases is a fixture of tests/golden,
# decoded with
#   bouncekit parse --explain --delivered --vacation --format ndjson
# and compared with tests/explain/NAME.ndjson (the records and their
# "explain" objects, docs/record.md).  Several reasons, several decoders,
# every step of the order (docs/classifier.md).
#
# usage: tests/explain.sh [--update] [BUILD_DIR]
# Prints one "ok"/"FAIL" line per case and "explain: N passed, N failed".
set -u
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=$build/bouncekit
pass=0 fail=0
tmp=$(mktemp)
for n in $(grep -v '^#' tests/explain/cases); do
	f=tests/golden/$n.eml
	want=tests/explain/$n.ndjson
	"$bin" parse -q --explain --delivered --vacation --format ndjson "$f" \
		>"$tmp" 2>/dev/null
	if [ $update -eq 1 ]; then
		cp "$tmp" "$want"
		echo "updated $want"
		continue
	fi
	# every record has its explanation, and it is the one pinned
	if [ -f "$want" ] && cmp -s "$tmp" "$want" &&
	   [ "$(grep -c '"explain":{"decoder":' "$tmp")" -eq "$(wc -l <"$tmp")" ]; then
		pass=$((pass + 1))
		echo "ok   explain $n"
	else
		fail=$((fail + 1))
		echo "FAIL explain $n"
		[ -f "$want" ] && diff "$want" "$tmp" | head -20 | sed 's/^/     /'
	fi
done
# without --explain, no record has the field
"$bin" parse -q --delivered --vacation --format ndjson tests/golden/postfix-01.eml >"$tmp" 2>/dev/null
if [ -s "$tmp" ] && ! grep -q '"explain"' "$tmp"; then
	pass=$((pass + 1))
	echo "ok   explain: absent unless asked for"
else
	fail=$((fail + 1))
	echo "FAIL explain: absent unless asked for"
fi
# classify --explain names the phrase row that decided
out=$("$bin" classify --explain "550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual mailbox table" 2>&1)
if echo "$out" | grep -q '^explain: {"decoder":"","decided":{"step":"probe","reason":"userunknown"'; then
	pass=$((pass + 1))
	echo "ok   explain: classify --explain"
else
	fail=$((fail + 1))
	echo "FAIL explain: classify --explain"
	echo "$out" | sed 's/^/     /'
fi
rm -f "$tmp"
[ $update -eq 1 ] && exit 0
echo "explain: $pass passed, $fail failed"
[ $fail -eq 0 ]
