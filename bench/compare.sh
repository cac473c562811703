#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# compare.sh - `make bench-compare`: bouncekit against Sisimai on the same
# messages, side by side in one run, each as a user runs it (whole process,
# start-up included, records produced and thrown away).
#
#   Perl Sisimai: the Debian package libsisimai-perl (installed when absent
#                 and run as root); Sisimai->make over each file.
#   Go Sisimai:   not packaged by Debian; set SISIMAI_GO to a command that
#                 decodes the files named as its arguments (e.g. a build of
#                 sisimai/go-sisimai's example program) to include it.
#
# Usage: bench/compare.sh [BUILD] [DIR]   (DIR: maildir/bsd of the corpus,
# $BOUNCEKIT_CORPUS, default ../shared/corpus)
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
dir=${2:-${BOUNCEKIT_CORPUS:-../shared/corpus}/sisimai/maildir/bsd}
if [ ! -d "$dir" ]; then
	echo "compare: $dir absent (set BOUNCEKIT_CORPUS to the shared corpus, default ../shared/corpus)"
	exit 0
fi
runs=${COMPARE_RUNS:-21}
files=$(find "$dir" -maxdepth 1 -type f | sort)
n=$(echo "$files" | wc -l)
echo "== $n messages of $dir; load: $(uptime | sed 's/.*load average/load average/')"

# median RUNS CMD...: the median wall time of RUNS runs of CMD, its output
# thrown away (timed by perl around fork and wait, nothing else).
median() {
	perl -MTime::HiRes=time -e '
		my $r = shift;
		my @t;
		for (1 .. $r) {
			my $t0 = time;
			my $pid = fork // die "fork: $!";
			if (!$pid) {
				open(STDOUT, ">", "/dev/null"); open(STDERR, ">", "/dev/null");
				exec(@ARGV) or exit 127;
			}
			waitpid($pid, 0);
			push @t, time - $t0;
		}
		@t = sort { $a <=> $b } @t;
		printf "%.6f\n", $t[int($#t / 2)];' "$@"
}

report() {	# NAME SECONDS
	awk -v name="$1" -v t="$2" -v n="$n" \
		'BEGIN { printf "%-34s %8.3f s  %9.0f emails/s\n", name, t, n / t }'
}

bk1=$(median "$runs" "$build/bouncekit" parse -q --delivered --vacation -f ndjson "$dir")
report "bouncekit parse (1 thread)" "$bk1"
bk2=$(median "$runs" "$build/bouncekit" parse -q --delivered --vacation -f ndjson -j 2 "$dir")
report "bouncekit parse -j 2" "$bk2"

if ! perl -MSisimai -e 1 2>/dev/null && [ "$(id -u)" = 0 ] &&
	command -v apt-get >/dev/null; then
	apt-get install -y -qq libsisimai-perl >/dev/null 2>&1
fi
if perl -MSisimai -e 1 2>/dev/null; then
	v=$(perl -MSisimai -e 'print $Sisimai::VERSION')
	pl=$(median 3 perl -MSisimai -e '
		for my $f (@ARGV) {
			my $v = Sisimai->make($f, delivered => 1, vacation => 1);
		}' $files)
	report "Perl Sisimai $v" "$pl"
	echo "$bk1 $pl" | awk '{ printf "bouncekit (1 thread) / Perl Sisimai: %.0fx\n", $2 / $1 }'
else
	echo "Perl Sisimai: not installed (apt-get install libsisimai-perl)"
fi
if [ -n "${SISIMAI_GO:-}" ]; then
	# shellcheck disable=SC2086 # SISIMAI_GO may carry arguments
	go=$(median 3 $SISIMAI_GO $files)
	report "Go Sisimai ($SISIMAI_GO)" "$go"
	echo "$bk1 $go" | awk '{ printf "bouncekit (1 thread) / Go Sisimai: %.0fx\n", $2 / $1 }'
else
	echo "Go Sisimai: not packaged by Debian; set SISIMAI_GO to include it"
fi
