#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run.sh - every test: unit, golden, command line, corpus.
# usage: tests/run.sh [BUILD_DIR]
# The last line is "N passed, N failed" (all suites together).
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
log=$(mktemp)
total_pass=0 total_fail=0

suite() {
	name=$1; shift
	"$@" >"$log" 2>&1
	cat "$log"
	line=$(grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $name: the suite did not report (crashed?)"
		total_fail=$((total_fail + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) failed.*/\1/')
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

suite unit "$build/unit-tests"
suite golden sh tests/golden.sh "$build"
suite cli sh tests/cli.sh "$build"
suite bad sh tests/bad.sh "$build"
suite corpus sh tests/corpus.sh "$build"
suite mutate python3 tests/mutate.py "$build"
suite store sh tests/store.sh "$build"
suite abi sh tests/abi.sh "$build"
suite install sh tests/install.sh "$build"
suite python sh tests/python.sh "$build"
suite spdx sh scripts/spdx.sh
suite lab sh tests/lab.sh "$build"
rm -f "$log"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
