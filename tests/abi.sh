#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# abi.sh - the shared library's interface (docs/abi.md): libbouncekit.so
# exports exactly the symbols listed in lib/libbouncekit.sym, its SONAME is
# libbouncekit.so.1, and the command compiles against include/ only.
#
# usage: tests/abi.sh [BUILD_DIR]            check (suite "abi")
#        tests/abi.sh BUILD_DIR --update     rewrite lib/libbouncekit.sym
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
list=lib/libbouncekit.sym
so=$build/libbouncekit.so
pass=0 fail=0
ok() { echo "ok   abi: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL abi: $1"; fail=$((fail + 1)); }

if ! command -v nm >/dev/null || ! command -v readelf >/dev/null; then
	echo "abi: skipped: nm and readelf (binutils) not installed"
	echo "abi: 0 passed, 0 failed"
	exit 0
fi
if [ ! -e "$so" ]; then
	bad "$so not built (make $so)"
	echo "abi: $pass passed, $fail failed"
	exit 1
fi

exported() {
	nm -D --defined-only --format=posix "$so" | awk '{ print $1 }' | LC_ALL=C sort
}

if [ "${2:-}" = --update ]; then
	{
		echo "# SPDX-License-Identifier: BSD-2-Clause"
		echo "# The symbols libbouncekit.so exports (nm -D --defined-only), one a"
		echo "# line, sorted: the public API of include/bouncekit/bouncekit.h,"
		echo "# marked BK_API.  Written by: sh tests/abi.sh build --update"
		exported
	} >"$list"
	echo "abi: wrote $list ($(grep -cv '^#' "$list") symbols)"
	exit 0
fi

tmp=$(mktemp -d)
exported >"$tmp/have"
grep -v '^#' "$list" | LC_ALL=C sort >"$tmp/want"
if cmp -s "$tmp/have" "$tmp/want"; then
	ok "exports the $(wc -l <"$tmp/want") symbols of $list"
else
	bad "$so exports other symbols than $list:"
	diff "$tmp/want" "$tmp/have" | sed -n 's/^>/    new (exported, not listed):/p; s/^</    gone (listed, not exported):/p'
	echo "    A new public function: declare it with BK_API in"
	echo "    include/bouncekit/bouncekit.h, document it in docs/libbouncekit.3,"
	echo "    then run 'sh tests/abi.sh $build --update' and commit $list."
	echo "    A symbol exported by mistake: it lacks 'static', or is an"
	echo "    internal function declared BK_API.  A symbol gone or changed in"
	echo "    an incompatible way needs a new SONAME (SOVERSION in Makefile)."
fi
rm -rf "$tmp"

soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
if [ "$soname" = libbouncekit.so.1 ]; then
	ok "SONAME $soname"
else
	bad "SONAME is '$soname', not libbouncekit.so.1"
fi

# the command includes only public headers: its dependency files name no
# header under lib/ (the Makefile gives cli/ -Iinclude only)
n=0
for d in "$build"/obj/cli/*.d; do
	[ -e "$d" ] || continue
	n=$((n + 1))
	if grep -q '\(^\|[ /]\)lib/[a-z]*/[a-z_0-9]*\.h' "$d"; then
		bad "${d#"$build"/obj/} includes a header of lib/: $(grep -o 'lib/[a-z]*/[a-z_0-9]*\.h' "$d" | sort -u | tr '\n' ' ')"
		n=-1000
	fi
done
if [ "$n" -gt 0 ]; then
	ok "cli/ includes no header of lib/ ($n files)"
elif [ "$n" -eq 0 ]; then
	bad "no dependency files in $build/obj/cli (build first)"
fi
echo "abi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
