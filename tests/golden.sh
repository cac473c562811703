#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# golden.sh - fixture in, expected records out.
#
# Each tests/golden/NAME.eml (or .mbox) is decoded with
#   bouncekit parse --delivered --vacation --format ndjson
# and compared with tests/golden/NAME.ndjson.  Anyone can add a case
# without writing C: write the fixture, run `tests/golden.sh --update NAME`,
# read the .ndjson it wrote, and commit both when the records are right.
#
# usage: tests/golden.sh [--update] [BUILD_DIR] [NAME...]
# Prints one "ok"/"FAIL" line per case and "golden: N passed, N failed".
set -u
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
build=${1:-build}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")/.." || exit 2
bin=$build/bouncekit
pass=0 fail=0
if [ $# -gt 0 ]; then
	cases=""
	for n in "$@"; do cases="$cases $(ls tests/golden/$n.eml tests/golden/$n.mbox 2>/dev/null)"; done
else
	cases=$(ls tests/golden/*.eml tests/golden/*.mbox 2>/dev/null)
fi
tmp=$(mktemp)
for f in $cases; do
	want=${f%.*}.ndjson
	"$bin" parse -q --delivered --vacation --format ndjson "$f" >"$tmp" 2>/dev/null
	if [ $update -eq 1 ]; then
		cp "$tmp" "$want"
		echo "updated $want"
		continue
	fi
	if [ -f "$want" ] && cmp -s "$tmp" "$want"; then
		pass=$((pass + 1))
		echo "ok   golden $f"
	else
		fail=$((fail + 1))
		echo "FAIL golden $f"
		[ -f "$want" ] && diff "$want" "$tmp" | head -20 | sed 's/^/     /'
		[ -f "$want" ] || echo "     (no $want: run tests/golden.sh --update)"
	fi
done
rm -f "$tmp"
[ $update -eq 1 ] && exit 0
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
