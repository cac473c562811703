#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# layers.sh - the folders of lib/ include each other in one direction
# only (docs/design.md): an edge A -> B for each `#include "B/..."` in a
# file of lib/A, and the check fails on any cycle among them (tsort finds
# it), and on an edge the layers of docs/design.md do not allow.
#
# usage: tests/layers.sh
# Prints one "ok"/"FAIL" line per check and "layers: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0
edges=$(mktemp)
for dir in lib/*/; do
	from=$(basename "$dir")
	for f in "$dir"*.c "$dir"*.h "$dir"*.def; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z_]*\)\/.*/\1/p' "$f" |
		while read -r to; do
			[ -d "lib/$to" ] && [ "$to" != "$from" ] && echo "$from $to"
		done
	done
done | sort -u >"$edges"
echo "     edges: $(tr '\n' ';' <"$edges" | sed 's/ / -> /g; s/;/, /g')"
if tsort "$edges" >/dev/null 2>&1; then
	pass=$((pass + 1))
	echo "ok   layers: no include cycle between the folders of lib/"
else
	fail=$((fail + 1))
	echo "FAIL layers: an include cycle between the folders of lib/:"
	tsort "$edges" 2>&1 >/dev/null | sed 's/^/     /'
fi
# what each folder may include (docs/design.md): the parser sits above
# decode/ and report/, which do not include each other
allowed() {
	case $1 in
	core) echo "" ;;
	mail) echo "core" ;;
	dsn) echo "core mail" ;;
	reason) echo "core mail dsn" ;;
	decode) echo "core mail dsn reason" ;;
	report) echo "core mail dsn reason" ;;
	source) echo "core mail" ;;
	parse) echo "core mail dsn reason decode report source" ;;
	*) echo "?" ;;
	esac
}
bad=0
while read -r a b; do
	case " $(allowed "$a") " in
	*" $b "*) ;;
	*)
		echo "FAIL layers: lib/$a includes lib/$b (allowed: $(allowed "$a"))"
		bad=$((bad + 1)) ;;
	esac
done <"$edges"
if [ $bad -eq 0 ]; then
	pass=$((pass + 1))
	echo "ok   layers: every include goes down the layers of docs/design.md"
else
	fail=$((fail + 1))
fi
rm -f "$edges"
echo "layers: $pass passed, $fail failed"
[ $fail -eq 0 ]
