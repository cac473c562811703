#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# python.sh - the Python binding's tests (bindings/python/tests, pytest)
# against BUILD_DIR/libbouncekit.so.1; prints "python: N passed, N failed".
# Skips, saying so, when no Python 3 with pytest is installed (Debian:
# python3-pytest; scripts/deps.sh test installs it).
#
# usage: tests/python.sh [BUILD_DIR]
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import pytest' >/dev/null 2>&1; then py=$p; break; fi
done
if [ -z "$py" ]; then
	echo "python: skipped: no python3 with pytest (apt-get install python3-pytest)"
	echo "python: 0 passed, 0 failed"
	exit 0
fi
lib=$top/$build/libbouncekit.so.1
if [ ! -e "$lib" ]; then
	echo "FAIL python: $lib not built"
	echo "python: 0 passed, 1 failed"
	exit 1
fi
# A sanitizer build's library can only be loaded into Python with the
# sanitizer runtime preloaded; Python's own allocations are not checked.
pre=
if readelf -d "$lib" 2>/dev/null | grep -q 'NEEDED.*libasan'; then
	pre=$(${CC:-cc} -print-file-name=libasan.so)
	pre="$pre $(${CC:-cc} -print-file-name=libubsan.so)"
fi
log=$(mktemp)
LD_PRELOAD=$pre ASAN_OPTIONS=detect_leaks=0 \
	BOUNCEKIT_LIBRARY=$lib BOUNCEKIT_CLI=$top/$build/bouncekit \
	PYTHONPATH=$top/bindings/python PYTHONDONTWRITEBYTECODE=1 \
	"$py" -m pytest -q -p no:cacheprovider bindings/python/tests >"$log" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then
	echo "ok   python: $(tail -n 1 "$log") ($py, $lib)"
else
	sed 's/^/    /' "$log" | tail -n 60
fi
summary=$(tail -n 1 "$log")
pass=$(echo "$summary" | sed -n 's/.* \([0-9][0-9]*\) passed.*/\1/p; s/^\([0-9][0-9]*\) passed.*/\1/p' | head -n 1)
fail=$(echo "$summary" | sed -n 's/.*\([^0-9]\|^\)\([0-9][0-9]*\) failed.*/\2/p' | head -n 1)
errs=$(echo "$summary" | sed -n 's/.*\([^0-9]\|^\)\([0-9][0-9]*\) error.*/\2/p' | head -n 1)
pass=${pass:-0} fail=$((${fail:-0} + ${errs:-0}))
[ "$rc" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1	# pytest failed otherwise
rm -f "$log"
echo "python: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
