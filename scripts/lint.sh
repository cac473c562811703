#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# lint.sh - `make lint`: cppcheck over the library and the command (fails
# on any finding), and clang-format's view of the style (reported, not
# enforced: tables and aligned comments are kept as written).
set -u
cd "$(dirname "$0")/.." || exit 2
rc=0
if command -v cppcheck >/dev/null; then
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
		--inline-suppr --suppress=missingIncludeSystem \
		-I include -I lib -D_GNU_SOURCE lib cli intake fuzz tests/unit tools || rc=1
else
	echo "lint: cppcheck not installed (apt-get install cppcheck)"
fi
if command -v clang-format >/dev/null; then
	n=0
	for f in $(git ls-files '*.c' '*.h'); do
		clang-format --dry-run "$f" 2>&1 | grep -q warning && n=$((n + 1))
	done
	echo "lint: clang-format would re-flow $n files (advisory)"
fi
exit $rc
