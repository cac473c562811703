#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# deps.sh - make sure the Debian packages bouncekit needs to build and
# test are installed.  As root, installs what is missing with apt-get;
# otherwise prints the exact apt-get line and fails.
#
# usage: scripts/deps.sh [build|test|fuzz]   (default: test)
set -u
need=${1:-test}

# command -> Debian package
pkgs=""
want() {	# want COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || pkgs="$pkgs $2"
}
want make make
want cc gcc
want ar binutils
[ -e /usr/include/stdio.h ] || pkgs="$pkgs libc6-dev"
# the store (store/): SQLite always
want pkg-config pkg-config
[ -e /usr/include/sqlite3.h ] || pkgs="$pkgs libsqlite3-dev"
if [ "$need" = test ] || [ "$need" = fuzz ]; then
	want python3 python3		# ../shared/tools/corpus-score
	want timeout coreutils
	want cmp diffutils
	want awk mawk
	want sqlite3 sqlite3		# tests/store.sh: a locked database
fi
if [ "$need" = fuzz ]; then
	want clang clang
	[ -n "$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a \
		/usr/lib/llvm-*/lib/clang/*/lib/*/libclang_rt.fuzzer.a 2>/dev/null)" ] ||
		pkgs="$pkgs libclang-rt-dev"
fi
[ -z "$pkgs" ] && exit 0

line="apt-get install -y --no-install-recommends$pkgs"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "bouncekit: installing:$pkgs" >&2
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
		DEBIAN_FRONTEND=noninteractive $line >/dev/null && exit 0
	echo "bouncekit: '$line' failed" >&2
	exit 1
fi
echo "bouncekit: missing packages; run as root:" >&2
echo "  $line" >&2
exit 1
