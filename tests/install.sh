#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# install.sh - `make install` into a temporary DESTDIR: every file where it
# belongs, a C program built with `pkg-config --cflags --libs bouncekit`
# alone and run against the installed libbouncekit.so.1, the installed
# command run on the sample mbox, then `make uninstall` leaving nothing.
#
# usage: tests/install.sh [BUILD_DIR]
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0
ok() { echo "ok   install: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL install: $1"; fail=$((fail + 1)); }
done_() { rm -rf "$tmp"; echo "install: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }

tmp=$(mktemp -d)
dest=$tmp/dest
prefix=/usr/local
p=$dest$prefix
if make -s O="$build" DESTDIR="$dest" PREFIX="$prefix" install >"$tmp/log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=$prefix"
else
	bad "make install failed:"; sed 's/^/    /' "$tmp/log"; done_
fi

for f in bin/bouncekit lib/libbouncekit.a lib/libbouncekit.so.1.0.0 \
	include/bouncekit/bouncekit.h lib/pkgconfig/bouncekit.pc \
	share/man/man1/bouncekit.1 share/man/man1/bouncekit-parse.1 \
	share/man/man1/bouncekit-classify.1 share/man/man3/libbouncekit.3 \
	share/bash-completion/completions/bouncekit; do
	if [ -f "$p/$f" ]; then ok "installed $f"; else bad "missing $f"; fi
done
[ "$(readlink "$p/lib/libbouncekit.so.1")" = libbouncekit.so.1.0.0 ] &&
	[ "$(readlink "$p/lib/libbouncekit.so")" = libbouncekit.so.1 ] &&
	ok "links libbouncekit.so -> .so.1 -> .so.1.0.0" ||
	bad "libbouncekit.so links wrong: $(ls -l "$p"/lib/libbouncekit.so* | tr '\n' ' ')"
# one page per command that bouncekit(1) describes
for c in $(sed -n 's/^\.SS \([a-z][a-z-]*\)$/\1/p' docs/bouncekit.1); do
	[ -f "$p/share/man/man1/bouncekit-$c.1" ] || bad "no man page bouncekit-$c.1"
done
if command -v groff >/dev/null; then
	n=0
	for m in "$p"/share/man/man*/*; do
		w=$(groff -man -Tutf8 -ww -z "$m" 2>&1)
		[ -z "$w" ] || { bad "groff warns on ${m#"$p"/}: $w"; n=$((n + 1)); }
	done
	[ "$n" -eq 0 ] && ok "groff formats every installed page without a warning"
fi

# a program built with pkg-config alone
cat >"$tmp/prog.c" <<'EOC'
#include <stdio.h>
#include <stdlib.h>
#include <bouncekit/bouncekit.h>

int main(int argc, char **argv)
{
	struct bk_source *s;
	struct bk_input in;
	struct bk_err err;
	const struct bk_record *recs;
	struct bk_parser *p = bk_parser_new(NULL, &err);
	int n, total = 0;

	if (argc != 2 || !p || bk_source_open(&s, argv[1], NULL, &err) < 0)
		return 2;
	while (bk_source_next(s, &in, &err) > 0) {
		n = bk_decode(p, in.data, in.len, in.origin, &recs, &err);
		for (int i = 0; i < n; i++)
			printf("%s %s\n", recs[i].recipient, recs[i].reason);
		total += n > 0 ? n : 0;
	}
	bk_source_close(s);
	bk_parser_free(p);
	printf("%d records, bouncekit %s\n", total, BOUNCEKIT_VERSION);
	return 0;
}
EOC
export PKG_CONFIG_PATH="$p/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest"
if ! command -v pkg-config >/dev/null; then
	bad "pkg-config not installed (scripts/deps.sh installs it)"; done_
fi
flags=$(pkg-config --cflags --libs bouncekit 2>&1) &&
	ok "pkg-config --cflags --libs bouncekit: $flags" ||
	bad "pkg-config: $flags"
# a sanitizer build's library needs the program built with the sanitizers
san=
readelf -d "$build/libbouncekit.so" | grep -q 'NEEDED.*libasan' &&
	san=-fsanitize=address,undefined
# shellcheck disable=SC2086
if ${CC:-cc} $san -o "$tmp/prog" "$tmp/prog.c" $flags 2>"$tmp/log"; then
	ok "a program compiles and links with the pkg-config flags alone"
else
	bad "compiling with the pkg-config flags:"; sed 's/^/    /' "$tmp/log"; done_
fi
if readelf -d "$tmp/prog" | grep -q 'NEEDED.*libbouncekit.so.1]'; then
	ok "the program needs libbouncekit.so.1 (the SONAME)"
else
	bad "the program does not record libbouncekit.so.1: $(readelf -d "$tmp/prog" | grep NEEDED | tr '\n' ' ')"
fi
out=$(LD_LIBRARY_PATH="$p/lib" "$tmp/prog" tests/fixtures/sample.mbox 2>&1)
want=$("$build/bouncekit" parse -q -f csv tests/fixtures/sample.mbox | tail -n +2 | wc -l)
if echo "$out" | tail -n 1 | grep -q "^$want records, bouncekit "; then
	ok "the program decodes the sample mbox through the installed library ($want records)"
else
	bad "the program gave: $(echo "$out" | tail -n 3)"
fi
if LD_LIBRARY_PATH="$p/lib" ldd "$tmp/prog" 2>/dev/null | grep -q "$p/lib/libbouncekit.so.1"; then
	ok "the program loads the installed libbouncekit.so.1"
else
	bad "the program does not load $p/lib/libbouncekit.so.1"
fi
n=$("$p/bin/bouncekit" parse -q -f csv tests/fixtures/sample.mbox | tail -n +2 | wc -l)
[ "$n" = "$want" ] && ok "the installed command parses the sample mbox ($n records)" ||
	bad "the installed command gave $n records, not $want"

# systemd units and configuration (contrib/systemd/*.service, contrib/*.conf
# once other parts add them): a unit and a file given on the command line
mkdir -p "$tmp/contrib/systemd"
printf '[Service]\nExecStart=@BINDIR@/bouncekit ingest --config @SYSCONFDIR@/bouncekit/t.conf\n' \
	>"$tmp/contrib/systemd/bk-t.service"
printf '# t.conf\nurl = sqlite:///var/lib/bouncekit/t.db\n' >"$tmp/contrib/t.conf"
extra="UNITS=$tmp/contrib/systemd/bk-t.service CONFS=$tmp/contrib/t.conf"
# shellcheck disable=SC2086
make -s O="$build" DESTDIR="$dest" PREFIX="$prefix" $extra install >"$tmp/log" 2>&1 ||
	bad "make install with a unit and a configuration file failed: $(cat "$tmp/log")"
u=$p/lib/systemd/system/bk-t.service c=$p/etc/bouncekit/t.conf
grep -q "^ExecStart=$prefix/bin/bouncekit ingest --config $prefix/etc/bouncekit/t.conf\$" "$u" 2>/dev/null &&
	ok "a unit goes to lib/systemd/system with @BINDIR@ and @SYSCONFDIR@ filled" ||
	bad "the unit: $(cat "$u" 2>&1)"
cmp -s "$c" "$tmp/contrib/t.conf" && ok "a configuration file goes to etc/bouncekit" ||
	bad "no $c"
echo "url = sqlite:///srv/mine.db" >>"$c"
# shellcheck disable=SC2086
make -s O="$build" DESTDIR="$dest" PREFIX="$prefix" $extra install >"$tmp/log" 2>&1
grep -q mine.db "$c" && cmp -s "$c.new" "$tmp/contrib/t.conf" &&
	ok "install keeps a changed configuration file, the new one beside it as .new" ||
	bad "a changed configuration file was not kept"
# shellcheck disable=SC2086
make -s O="$build" DESTDIR="$dest" PREFIX="$prefix" $extra uninstall >"$tmp/log" 2>&1
[ -f "$c" ] && [ ! -e "$c.new" ] && [ ! -e "$u" ] &&
	ok "uninstall removes the unit and keeps the changed configuration file" ||
	bad "uninstall of the unit and configuration: $(ls -R "$p/etc" "$p/lib/systemd" 2>&1 | tr '\n' ' ')"
rm -rf "$p/etc"

if make -s O="$build" DESTDIR="$dest" PREFIX="$prefix" uninstall >"$tmp/log" 2>&1; then
	left=$(find "$dest" -type f -o -type l)
	[ -z "$left" ] && ok "make uninstall removes every file" ||
		bad "left after uninstall: $left"
else
	bad "make uninstall failed:"; sed 's/^/    /' "$tmp/log"
fi
done_
