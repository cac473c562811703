#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# manpages.sh - write one page per subcommand, bouncekit-COMMAND(1), from
# docs/bouncekit.1: each ".SS COMMAND" of its DESCRIPTION becomes the
# DESCRIPTION of bouncekit-COMMAND.1, with the SYNOPSIS lines that start
# with ".B bouncekit COMMAND", the EXIT STATUS of bouncekit(1), and a NAME
# line taken from a comment right under the .SS line:
#
#     .SS parse
#     .\" summary: decode bounce messages into records
#
# So a new command needs only its section in docs/bouncekit.1 (and its
# synopsis there) to get its own page.
#
# usage: scripts/manpages.sh docs/bouncekit.1 OUTDIR
set -eu
src=$1 out=$2
mkdir -p "$out"
awk -v out="$out" -v src="$src" '
function flush(   f, i) {
	if (cmd == "") return
	f = out "/bouncekit-" cmd ".1"
	print ".\\\" SPDX-License-Identifier: BSD-2-Clause" > f
	print ".\\\" Generated from " src " by scripts/manpages.sh; edit that file." > f
	print ".TH BOUNCEKIT\\-" toupper(cmd) " 1 " threst > f
	print ".SH NAME" > f
	print "bouncekit\\-" cmd " \\- " (summary[cmd] != "" ? summary[cmd] : "the bouncekit " cmd " command") > f
	print ".SH SYNOPSIS" > f
	if (syn[cmd] != "") printf "%s", syn[cmd] > f
	else print ".B bouncekit " cmd > f
	print ".SH DESCRIPTION" > f
	printf "%s", body > f
	if (exitst != "") { print ".SH EXIT STATUS" > f; printf "%s", exitst > f }
	print ".SH SEE ALSO" > f
	print ".BR bouncekit (1)" > f
	close(f)
	n++
	cmd = ""; body = ""
}
# first pass: the title line, the synopsis by command, the exit status
FNR == NR {
	if ($1 == ".TH") { threst = $0; sub(/^\.TH +[^ ]+ +[^ ]+ +/, "", threst) }
	if ($1 == ".SH") { sect = $2; for (i = 3; i <= NF; i++) sect = sect " " $i; next }
	if (sect == "SYNOPSIS") {
		if ($1 == ".B" && $2 == "bouncekit" && NF >= 3) { cur = $3; syn[cur] = "" }
		if ($0 == ".br") { cur = ""; next }
		if (cur != "") syn[cur] = syn[cur] $0 "\n"
	}
	if (sect == "EXIT STATUS") exitst = exitst $0 "\n"
	if (sect == "DESCRIPTION" && $1 == ".SS") last = $2
	if (sect == "DESCRIPTION" && $0 ~ /^\.\\" summary: /) {
		s = $0; sub(/^\.\\" summary: */, "", s); summary[last] = s
	}
	next
}
# second pass: the sections
$1 == ".SH" { flush(); sect = $2; next }
sect == "DESCRIPTION" && $1 == ".SS" { flush(); cmd = $2; next }
cmd != "" && $0 ~ /^\.\\" summary: / { next }
cmd != "" { body = body $0 "\n" }
END { flush(); if (n == 0) { print "manpages.sh: no .SS section in " src > "/dev/stderr"; exit 1 } }
' "$src" "$src"
