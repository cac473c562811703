#!/bin/sh
# run.sh - `make bench`: decode throughput over the shared corpus (or our
# own fixtures when it is absent), single-threaded, in one process.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
corpus=../shared/corpus/sisimai/maildir/bsd
if [ -d "$corpus" ]; then set -- "$corpus"; else
	echo "(../shared/corpus absent: measuring tests/golden instead)"
	set -- tests/golden
fi
echo "== decode only: $*"
"$build/bench" -t "${BENCH_SECONDS:-3}" "$@"
echo "== decode and write NDJSON: $*"
"$build/bench" -t "${BENCH_SECONDS:-3}" -w "$@"
