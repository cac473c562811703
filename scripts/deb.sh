#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# deb.sh - `make deb`: the Debian packages built from the tree and tried.
#
#  1. the tracked files copied into a temporary directory (the build tree is
#     left alone), `dpkg-buildpackage -us -uc -b` there: bouncekit,
#     libbouncekit1, libbouncekit-dev (debian/);
#  2. lintian on the result: no error and no warning (overrides, each with
#     its reason, in debian/*.lintian-overrides);
#  3. the packages installed with apt-get on this machine, then, from them
#     alone: `bouncekit parse` on tests/fixtures/sample.mbox, a C program
#     built with `pkg-config --cflags --libs bouncekit` and run without
#     LD_LIBRARY_PATH, the Python binding loading the installed library;
#  4. the packages removed again, unless they were installed before or
#     DEB_KEEP=1.  The .deb files are left in DEB_OUT (default: a temporary
#     directory, named at the end).
#
# Needs root for the install (CI runs as root); scripts/deps.sh deb
# installs debhelper, lintian and the Build-Depends.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
sh scripts/deps.sh deb
out=${DEB_OUT:-$(mktemp -d)}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ver=$(dpkg-parsechangelog -l debian/changelog -S Version)
src=$work/bouncekit-$ver
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude=./.git --exclude='./build*' -cf - . | tar -xf - -C "$src"
fi

# every library the Makefile links through pkg-config (the store's) must be
# a Build-Depends: the Debian package holding its .pc file
bdeps=$(sed -n '/^Build-Depends:/,/^[A-Z][-A-Za-z]*:/p' debian/control | sed '$d')
for m in $(make -s print-STORE_PKGS); do
	pc=$(pkg-config --path "$m" 2>/dev/null) || continue
	pkg=$(dpkg -S "$pc" 2>/dev/null | sed 's/[:,].*//')
	[ -n "$pkg" ] || continue
	if ! echo "$bdeps" | grep -qw -- "$pkg"; then
		echo "deb: the build links $m ($pc, package $pkg): add $pkg to Build-Depends in debian/control" >&2
		exit 1
	fi
done

echo "deb: building bouncekit $ver in $src"
start=$(date +%s)
if ! (cd "$src" && dpkg-checkbuilddeps); then
	echo "deb: Build-Depends of debian/control missing: add them to scripts/deps.sh (kind deb)" >&2
	exit 1
fi
(cd "$src" && dpkg-buildpackage -us -uc -b -j"$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)") \
	>"$work/build.log" 2>&1 || {
	tail -n 60 "$work/build.log"; echo "deb: dpkg-buildpackage failed" >&2; exit 1; }
grep -E '^(ok|golden:|unit:)|passed' "$work/build.log" | grep -v '^ok' | sed 's/^/deb: test in the build: /'
echo "deb: built in $(($(date +%s) - start)) s"
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
debs=$(ls "$out"/*_"$ver"_*.deb | grep -v -- '-dbgsym_')
ls -l $debs | sed 's/^/deb: /'

# lintian: errors and warnings fail; info tags are shown.  The info tags
# spelling-error-in-binary name misspellings that real servers write in
# their bounces ("autentication"), which the phrase tables must match.
echo "deb: lintian"
lintian --fail-on error,warning --display-info "$out"/bouncekit_"$ver"_*.changes

# install, unless a newer bouncekit is there
pkgs="bouncekit libbouncekit1 libbouncekit-dev"
before=$(dpkg-query -W -f '${db:Status-Abbrev}${Package}\n' $pkgs 2>/dev/null | grep -c '^ii' || true)
echo "deb: apt-get install$(printf ' %s' $debs)"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 \
	--no-install-recommends $debs >"$work/apt.log" 2>&1 || {
	cat "$work/apt.log"; echo "deb: apt-get install failed" >&2; exit 1; }
remove() {
	if [ "$before" -eq 0 ] && [ "${DEB_KEEP:-0}" != 1 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 \
			$pkgs >/dev/null 2>&1 && echo "deb: removed the packages again"
	fi
}
trap 'remove; rm -rf "$work"' EXIT

fail=0
check() { if [ "$1" = ok ]; then echo "ok   deb: $2"; else echo "FAIL deb: $2"; fail=1; fi; }
# the installed command on the sample
/usr/bin/bouncekit parse -q --format ndjson tests/fixtures/sample.mbox >"$work/sample.ndjson" || true
n=$(wc -l <"$work/sample.ndjson")
[ "$n" -gt 0 ] && check ok "/usr/bin/bouncekit parse tests/fixtures/sample.mbox: $n records" ||
	check no "/usr/bin/bouncekit parse gave no record"
if [ -x build/bouncekit ]; then
	build/bouncekit parse -q --format ndjson tests/fixtures/sample.mbox >"$work/tree.ndjson" || true
	cmp -s "$work/sample.ndjson" "$work/tree.ndjson" &&
		check ok "the same records as build/bouncekit" ||
		check no "other records than build/bouncekit"
fi
man -w bouncekit-parse >/dev/null 2>&1 && check ok "man bouncekit-parse" ||
	check no "no man page bouncekit-parse"
# a program against the installed library, found by the loader alone
cat >"$work/prog.c" <<'EOC'
#include <stdio.h>
#include <bouncekit/bouncekit.h>
int main(void)
{
	const struct bk_reason_info *list;
	size_t n = bk_reasons(&list);
	printf("%zu reasons, the first %s\n", n, n ? list[0].name : "none");
	return n ? 0 : 1;
}
EOC
# shellcheck disable=SC2046
cc -o "$work/prog" "$work/prog.c" $(pkg-config --cflags --libs bouncekit) &&
	env -u LD_LIBRARY_PATH "$work/prog" >/dev/null &&
	check ok "a program built with pkg-config runs against libbouncekit.so.1" ||
	check no "a program built with pkg-config against the package"
# the Python binding over the installed library
if command -v python3 >/dev/null; then
	r=$(env -u BOUNCEKIT_LIBRARY PYTHONPATH="$top/bindings/python" python3 -c \
		'import bouncekit; print(len(bouncekit.parse("tests/fixtures/sample.mbox")))' 2>&1) || true
	[ "$r" = "$n" ] && check ok "the Python binding loads the installed library ($r records)" ||
		check no "the Python binding: $r"
fi
echo "deb: packages in $out"
[ "$fail" -eq 0 ]
