#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# spdx.sh - list the source files that lack the licence line
# "SPDX-License-Identifier: BSD-2-Clause" in their first two lines (the
# second one is for scripts that start with #!).  Prints
# "spdx: N passed, N failed" (tests/run.sh registers it as a suite).
#
# Source files: C sources and headers (*.c *.h *.def), shell and Python
# (*.sh *.py and any file starting with #!), the dashboard (*.js *.css
# *.html *.svg), makefiles (Makefile, *.mk,
# debian/rules), man pages (*.1 ... *.8, as a roff comment), bash
# completion (contrib/bash-completion/*), TOML (*.toml).  Not source:
# the test fixtures (tests/golden/, tests/fixtures/, bindings' test data),
# Markdown, generated build output (never committed).  See docs/licence.md.
#
# usage: scripts/spdx.sh [FILE...]   (default: every file git tracks)
set -u
cd "$(dirname "$0")/.." || exit 2
tag='SPDX-License-Identifier: BSD-2-Clause'

files() {
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@"
	elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files
	else
		find . -type f ! -path './.git/*' ! -path './build*' |
			sed 's|^\./||' | sort
	fi
}

is_source() {
	case $1 in
	tests/golden/* | tests/fixtures/* | */testdata/*) return 1 ;;
	debian/*/*) return 1 ;;
	*.c | *.h | *.def | *.sh | *.py | *.mk | *.toml) return 0 ;;
	*.js | *.css | *.html | *.svg) return 0 ;;	# the dashboard (server/ui/)
	Makefile | */Makefile | debian/rules) return 0 ;;
	*.[1-8]) return 0 ;;
	contrib/bash-completion/*) return 0 ;;
	esac
	[ -f "$1" ] && head -c 2 "$1" | grep -q '^#!'
}

pass=0 fail=0
tmp=$(mktemp)
files "$@" >"$tmp"
while IFS= read -r f; do
	[ -f "$f" ] || continue
	is_source "$f" || continue
	if head -n 2 "$f" | grep -q "$tag"; then
		pass=$((pass + 1))
	else
		echo "spdx: $f: no '$tag' in its first two lines" \
			"(C: /* $tag */ as line 1; shell, Python, make: # $tag," \
			"after any #! line; roff: .\\\" $tag)"
		fail=$((fail + 1))
	fi
done <"$tmp"
rm -f "$tmp"
echo "spdx: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
