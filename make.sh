#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make.sh - the two set-up commands of the README on a fresh Debian machine:
#   ./make.sh demo   build and decode the sample mbox (JSON on stdout)
#   ./make.sh test   build and run every test
# Installs missing Debian packages first (as root), then runs make.
# Any other argument is passed to make as a target.
set -u
cd "$(dirname "$0")" || exit 2
target=${1:-all}
case $target in
	fuzz) kind=fuzz ;;
	demo|all) kind=build ;;
	*) kind=test ;;
esac
sh scripts/deps.sh "$kind" || exit 1
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
if [ "$target" = demo ]; then
	make -s -j"$jobs" all >&2 || exit 1
	exec make -s demo
fi
exec make -j"$jobs" "$@"
