#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# portable.sh - the builds whose vector code is not the usual x86 one, each
# with the whole test suite (tests/run.sh) and the check that its records
# are byte-identical to build/'s over the shared corpus (tests/identical.sh).
# docs/portable.md tells more.
#
#   scripts/portable.sh nosimd    make NOSIMD=1 (build-nosimd): the portable
#                                 operations of lib/core/simd.h on x86
#   scripts/portable.sh aarch64   make CROSS=aarch64-linux-gnu-
#                                 (build-aarch64-linux-gnu, NEON), its programs
#                                 run under qemu-user (BK_EXEC)
#
# Builds build/ first (the reference).  aarch64 installs what it needs
# with scripts/deps.sh cross.  Prints how long each took; exits non-zero
# when a build, a test or the identity check failed.
set -u
cd "$(dirname "$0")/.." || exit 2
[ $# -gt 0 ] || set -- nosimd aarch64
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
make -s -j"$jobs" all || exit 1
rc=0
for kind in "$@"; do
	start=$(date +%s)
	case $kind in
	nosimd)
		args=NOSIMD=1 dir=build-nosimd run= ;;
	aarch64)
		sh scripts/deps.sh cross || exit 1
		# Debian's arm64 C library (libc6:arm64) is the one the programs
		# run with, so no -L: its gconv modules match it
		args=CROSS=aarch64-linux-gnu- dir=build-aarch64-linux-gnu
		run=qemu-aarch64 ;;
	*)
		echo "portable.sh: unknown build '$kind' (nosimd, aarch64)" >&2
		exit 2 ;;
	esac
	echo "portable: $kind: make $args"
	# what tests/run.sh runs: make test's programs
	if ! make -s -j"$jobs" $args all "$dir/unit-tests" "$dir/dbdriver-test" \
			"$dir/viewcheck-test"; then
		echo "FAIL portable: $kind: the build failed"
		rc=1
		continue
	fi
	BK_EXEC=$run sh tests/run.sh "$dir" || rc=1
	BK_EXEC=$run sh tests/identical.sh build "$dir" || rc=1
	echo "portable: $kind took $(($(date +%s) - start)) s"
done
exit $rc
