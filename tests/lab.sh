#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# lab.sh - the bounce lab's collection (tests/lab/, made by lab/run.sh from
# real mail servers) as golden tests: each row of tests/lab/manifest.tsv
# must yield a record for its recipient, and the rows fully right
# (recipient, reason, status, reply code) must reach tests/lab/target (%).
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
if ! command -v python3 >/dev/null 2>&1; then
	echo "skip lab: python3 is needed by tools/lab-score"
	echo "lab: 0 passed, 0 failed"
	exit 0
fi
out=$(mktemp)
python3 tools/lab-score "$build/bouncekit" tests/lab >"$out"
grep '^MISS' "$out"
rows=$(grep -vc '^#' tests/lab/manifest.tsv)
found=$(sed -nE 's/^found: ([0-9]+)\/.*/\1/p' "$out")
acc=$(sed -nE 's/^accuracy: .*\(([0-9.]+)%\)/\1/p' "$out")
target=$(cat tests/lab/target)
pass=${found:-0}
fail=$((rows - pass))
grep '^accuracy' "$out"
if awk -v a="${acc:-0}" -v b="$target" 'BEGIN { exit !(a + 0 >= b + 0) }'; then
	pass=$((pass + 1))
else
	echo "FAIL lab: $acc% of the rows fully right, below the target $target%"
	fail=$((fail + 1))
fi
rm -f "$out"
echo "lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
