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
targets=${FUZZ_TARGETS:-"header mime encodings mbox dsn json decode server hooks"}
corpus=${BOUNCEKIT_CORPUS:-../shared/corpus}/sisimai
# (-Wno-string-concatenation: clang flags store/mysql.c's SQL split over
# two literals on purpose)
make -s O=$out CC=clang OPT=-O1 \
	CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -Wno-string-concatenation" \
	$out/libbouncekit.a $out/libbkstore.a $out/libbkserver.a $out/libbkhooks.a || exit 1
# fuzz_server links the HTTP API and the store (server/, store/) and
# their client libraries, as build/bouncekit does
server_libs="$out/libbkserver.a $out/libbkhooks.a $out/libbkstore.a $out/libbouncekit.a $(pkg-config --libs \
	libmicrohttpd libcrypto libcurl sqlite3 jansson $([ -f store/mysql.c ] && echo libmariadb) \
	$([ -f store/pg.c ] && echo libpq))"
# fuzz_hooks: the providers' payloads (hooks/), jansson and libcrypto
hooks_libs="$out/libbkhooks.a $out/libbouncekit.a $(pkg-config --libs jansson libcrypto)"
# Seeds in the form a target reads: the JSON bodies of the fixtures for
# fuzz_json, messages in mboxes (with a quoted ">From ") for fuzz_mbox.
seed_more() {
	case $1 in
	json)
		for f in tests/golden/*.eml "$corpus"/maildir/*/*; do
			[ -f "$f" ] && grep -q '^{' "$f" &&
				sed -n '/^{/,$p' "$f" >"$2/json-$(echo "$f" | tr '/' '_')"
		done ;;
	server)
		# requests as fuzz/fuzz_server.c reads them: a flags byte (1: the
		# write token, 2: the read token), the request line, headers, body
		printf '\001GET /v1/addresses/nobody%%40example.com\n\n' >"$2/s-addr"
		printf '\002GET /v1/addresses/No%%2Bbody@Example.COM\nAccept: */*\n\n' >"$2/s-addr2"
		printf '\000GET /healthz\n\n' >"$2/s-health"
		printf '\002POST /v1/check\nContent-Type: application/json\n\n{"addresses":["nobody@example.com","x@example.jp",1]}' >"$2/s-check"
		printf '\000POST /v1/check\nAuthorization: Bearer bk_x\n\n{"addresses":[' >"$2/s-badtok"
		printf '\001GET /v1/addresses/%%2e%%2e/x\n\n' >"$2/s-trav"
		{ printf '\001POST /v1/messages?store=1\n\n'; cat tests/golden/*.eml | head -c 6000; } >"$2/s-msg"
		;;
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
	libs=$out/libbouncekit.a
	[ "$t" = server ] && libs=$server_libs
	[ "$t" = hooks ] && libs=$hooks_libs
	clang -std=c17 -D_GNU_SOURCE -Iinclude -Ilib -I. -O1 -g \
		$(pkg-config --cflags jansson) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o "$bin" fuzz/fuzz_$t.c $libs -pthread || exit 1
	seeds=$out/corpus-$t
	mkdir -p "$seeds"
	case $t in
	server) ;;
	hooks) for f in tests/webhooks/*.json; do
			# the first byte: 0, detect the provider
			{ printf '\000'; cat "$f"; } >"$seeds/$(basename "$f")"
		done ;;
	*) cp tests/golden/*.eml tests/golden/*.mbox "$seeds/" 2>/dev/null ;;
	esac
	if [ -d "$corpus" ] && [ "$t" != server ] && [ "$t" != hooks ]; then
		for f in "$corpus"/maildir/*/* "$corpus"/mailbox/*; do
			cp "$f" "$seeds/$(echo "$f" | tr '/' '_')" 2>/dev/null
		done
	fi
	seed_more "$t" "$seeds"
	dict=fuzz/mail.dict
	[ -f fuzz/$t.dict ] && dict=fuzz/$t.dict
	echo "== fuzz_$t for ${secs}s"
	if ! "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 \
		-dict="$dict" \
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
