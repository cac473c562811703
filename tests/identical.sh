#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# identical.sh - a build's records are byte-identical to the reference
# build's over the shared corpus: parse --delivered --vacation --format
# ndjson of sisimai/maildir/{bsd,dos,mac,not} and of each mailbox, compared
# with cmp.  For the builds whose vector code differs (make NOSIMD=1, the
# aarch64 cross build; scripts/portable.sh): the same records whatever the
# processor.  The corpus is read from $BOUNCEKIT_CORPUS (default
# ../shared/corpus); skipped, with a message, when it is absent.
#
# usage: [BK_EXEC=...] tests/identical.sh REFERENCE_BUILD BUILD
# BK_EXEC (e.g. qemu-aarch64) is put before BUILD's program only.
set -u
ref=${1:-build}
build=${2:?usage: tests/identical.sh REFERENCE_BUILD BUILD}
cd "$(dirname "$0")/.." || exit 2
corpus=${BOUNCEKIT_CORPUS:-../shared/corpus}/sisimai
pass=0 fail=0
if [ ! -d "$corpus/maildir" ]; then
	echo "skip identical: no corpus at $corpus (set BOUNCEKIT_CORPUS)"
	echo "identical: 0 passed, 0 failed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# compare NAME MIN PATH...: one parse by each build, compared with cmp;
# the reference must give MIN records at least (no vacuous pass)
compare() {
	name=$1 min=$2; shift 2
	"$ref/bouncekit" parse -q --delivered --vacation --format ndjson "$@" \
		>"$tmp/want" 2>/dev/null
	# shellcheck disable=SC2086
	${BK_EXEC:-} "$build/bouncekit" parse -q --delivered --vacation \
		--format ndjson "$@" >"$tmp/got" 2>/dev/null
	n=$(wc -l <"$tmp/want")
	if [ "$n" -ge "$min" ] && cmp -s "$tmp/want" "$tmp/got"; then
		pass=$((pass + 1))
		echo "ok   identical $name ($n records)"
	else
		fail=$((fail + 1))
		echo "FAIL identical $name: $build differs from $ref ($n records there, $(wc -l <"$tmp/got") here)"
		cmp "$tmp/want" "$tmp/got" | sed 's/^/     /'
	fi
}

compare maildir 1 "$corpus"/maildir/bsd "$corpus"/maildir/dos \
	"$corpus"/maildir/mac "$corpus"/maildir/not
for f in "$corpus"/mailbox/*; do
	[ -f "$f" ] && compare "mailbox/${f##*/}" 0 "$f"
done
echo "identical: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
