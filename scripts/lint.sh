#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# lint.sh - `make lint`: what docs/style.md asks that a program can check,
# failing on any finding (.ci/run runs it):
#   - cppcheck over the library, the command, the store, intake, the
#     tools and the tests (warnings and portability);
#   - in C sources, headers, .def lists, shell scripts and makefiles: no
#     trailing white space;
#   - in C sources, headers and .def lists: indentation by tabs (no line
#     starting with eight spaces, no space before a tab in the
#     indentation);
#   - the SPDX licence line (scripts/spdx.sh).
# cppcheck is installed by scripts/deps.sh lint.
set -u
cd "$(dirname "$0")/.." || exit 2
rc=0
fail() { echo "lint: $*"; rc=1; }

if command -v cppcheck >/dev/null; then
	# ctuuninitvar in the store: fold_reset() keeps f->exists, which its
	# callers set, and clears the rest; cppcheck sees the rest unset
	# uninitvar in reason/text.c: &trace is handed to bk_classify, which
	# fills it (an out parameter); cppcheck takes the address for a read
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
		-j "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)" \
		--inline-suppr --suppress=missingIncludeSystem \
		--suppress=ctuuninitvar:store/ingest.c \
		--suppress=uninitvar:lib/reason/text.c \
		-I include -I lib -I . -D_GNU_SOURCE \
		lib cli store intake fuzz tests/unit tools || fail "cppcheck found the above"
else
	fail "cppcheck not installed (scripts/deps.sh lint)"
fi

code=$(git ls-files '*.c' '*.h' '*.def' '*.sh' 'Makefile' '*.mk' '.ci/run')
# shellcheck disable=SC2086
found=$(grep -n '[[:space:]]$' $code)
[ -n "$found" ] && { echo "$found"; fail "trailing white space (above)"; }
csrc=$(git ls-files '*.c' '*.h' '*.def')
# shellcheck disable=SC2086
found=$(grep -n '^	*        \|^	* \+	' $csrc)
[ -n "$found" ] && { echo "$found"; fail "indentation by spaces (above): a tab a level"; }

out=$(sh scripts/spdx.sh) || { echo "$out" | grep -v '^ok'; fail "a file without its SPDX line"; }

[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
