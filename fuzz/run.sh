#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run.sh - `make fuzz`: build every libFuzzer target with ASan and UBSan,
# seed it from our fixtures and, when present, the shared corpus
# ($BOUNCEKIT_CORPUS, default ../shared/corpus; copied at run time into
# build-fuzz/, never committed), and run each for
# FUZZ_SECONDS (default 60).  A crash leaves its input in build-fuzz/.
set -u
cd "$(dirname "$0")/.." || exit 2
secs=${FUZZ_SECONDS:-60}
out=build-fuzz
targets=${FUZZ_TARGETS:-"header mime encodings mbox dsn json decode"}
corpus=${BOUNCEKIT_CORPUS:-../shared/corpus}/sisimai
make -s O=$out CC=clang OPT=-O1 \
	CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	$out/libbouncekit.a || exit 1
# Seeds in the form a target reads: the JSON bodies of the fixtures for
# fuzz_json, messages in mboxes (with a quoted ">From ") for fuzz_mbox.
seed_more() {
	case $1 in
	json)
		for f in tests/golden/*.eml "$corpus"/maildir/*/*; do
			[ -f "$f" ] && grep -q '^{' "$f" &&
				sed -n '/^{/,$p' "$f" >"$2/json-$(echo "$f" | tr '/' '_')"
		done ;;
	mbox)
		for f in tests/golden/*.eml; do
			{ echo "From MAILER-DAEMON Mon Jul  6 08:00:00 2020"; cat "$f"
			  echo; echo ">From a quoted line"
			  echo "From MAILER-DAEMON Mon Jul  6 08:00:01 2020"
			  sed -n '1,/^$/p' "$f"; } >"$2/mbox-$(basename "$f")"
		done ;;
	esac
}

fail=0
for t in $targets; do
	bin=$out/fuzz_$t
	clang -std=c17 -D_GNU_SOURCE -Iinclude -Ilib -O1 -g \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o "$bin" fuzz/fuzz_$t.c $out/libbouncekit.a -pthread || exit 1
	seeds=$out/corpus-$t
	mkdir -p "$seeds"
	cp tests/golden/*.eml tests/golden/*.mbox "$seeds/" 2>/dev/null
	if [ -d "$corpus" ]; then
		for f in "$corpus"/maildir/*/* "$corpus"/mailbox/*; do
			cp "$f" "$seeds/$(echo "$f" | tr '/' '_')" 2>/dev/null
		done
	fi
	seed_more "$t" "$seeds"
	echo "== fuzz_$t for ${secs}s"
	if ! "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 \
		-dict=fuzz/mail.dict \
		-rss_limit_mb=2048 -artifact_prefix="$out/crash-$t-" \
		-print_final_stats=1 "$seeds" 2>"$out/fuzz-$t.log"; then
		echo "FAIL fuzz_$t: see $out/fuzz-$t.log and $out/crash-$t-*"
		tail -30 "$out/fuzz-$t.log"
		fail=1
	else
		grep -E 'stat::number_of_executed_units|cov:' "$out/fuzz-$t.log" | tail -2
	fi
done
exit $fail
