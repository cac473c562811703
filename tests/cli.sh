#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# cli.sh - the command line: exit statuses, standard input, formats,
# errors on stderr, the batch going on past a bad input.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=${BK_BIN:-$build/bouncekit}	# BK_BIN: tests/run.sh, under BK_EXEC
tmp=$(mktemp -d)
pass=0 fail=0
fx=tests/golden/rfc3464-01.eml

check() {	# check NAME COMMAND...: passes when the command succeeds
	name=$1; shift
	if "$@" >/dev/null 2>&1; then
		pass=$((pass + 1)); echo "ok   cli $name"
	else
		fail=$((fail + 1)); echo "FAIL cli $name"
	fi
}

status() {	# status WANT COMMAND...: the exit status of the command
	want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	[ $? -eq "$want" ]
}

check "no arguments: usage, 2" status 2 "$bin"
check "unknown command: 2" status 2 "$bin" frobnicate
check "parse without a path: 2" status 2 "$bin" parse
check "parse bad format: 2" status 2 "$bin" parse --format xml "$fx"
check "parse bad limit: 2" status 2 "$bin" parse --max-size 0 "$fx"
check "help: 0" status 0 "$bin" help
for c in parse classify reasons decoders; do
	check "$c --help: 0" sh -c "'$bin' $c --help | grep -qi usage"
done
check "version" sh -c "'$bin' version | grep -q '^bouncekit [0-9]'"

# a file: one JSON array, one record
check "parse a file: 0" status 0 "$bin" parse "$fx"
check "json is an array" sh -c "'$bin' parse '$fx' | head -c 1 | grep -q '\['"
check "json has the record" sh -c "'$bin' parse '$fx' | grep -q '\"recipient\":\"nekochan@example.org\"'"
check "json carries origin" sh -c "'$bin' parse '$fx' | grep -q '\"origin\":\"$fx\"'"

# standard input: a message, then an mbox
check "stdin message" sh -c "'$bin' parse --format ndjson - < '$fx' | grep -q '\"origin\":\"<STDIN>\"'"
check "stdin mbox" sh -c "[ \$('$bin' parse --format ndjson - < tests/fixtures/sample.mbox | wc -l) -ge 4 ]"
check "closed stdin: a clear error" sh -c "'$bin' parse - <&- 2>&1 >/dev/null | grep -q 'STDIN'"

# formats
check "ndjson: one object a line" sh -c "'$bin' parse -f ndjson tests/golden/rfc3464-02.eml | grep -c '^{' | grep -q '^3$'"
check "yaml" sh -c "'$bin' parse -f yaml '$fx' | grep -q '^- action: \"failed\"'"
check "csv header" sh -c "'$bin' parse -f csv '$fx' | head -n 1 | grep -q '^action,addresser,'"
check "empty result is []" sh -c "[ \"\$('$bin' parse tests/golden/not-bounce-01.eml)\" = '[]' ]"

# delivered and vacation are off by default
check "vacation off" sh -c "[ \"\$('$bin' parse tests/golden/rfc3834-01.eml)\" = '[]' ]"
check "vacation on" sh -c "'$bin' parse --vacation tests/golden/rfc3834-01.eml | grep -q '\"reason\":\"vacation\"'"

# bad input does not stop the batch; the status says so
check "missing file: 1, named on stderr, batch goes on" sh -c "
	'$bin' parse -f ndjson /nonexistent.eml '$fx' >'$tmp/o' 2>'$tmp/e'; rc=\$?
	[ \$rc -eq 1 ] && grep -q '/nonexistent.eml' '$tmp/e' && grep -q nekochan '$tmp/o'"
check "over the size limit: 1 and a message" sh -c "
	'$bin' parse --max-size 100 '$fx' >/dev/null 2>'$tmp/e'; [ \$? -eq 1 ] && grep -q 'size limit' '$tmp/e'"
check "empty file: a warning, status 0" sh -c "
	: >'$tmp/empty.eml'; '$bin' parse '$tmp/empty.eml' 2>'$tmp/e'; [ \$? -eq 0 ] &&
	grep -q '^bouncekit: warning: .*empty' '$tmp/e'"
check "empty file: silenced by -q, status 0" sh -c "
	'$bin' parse -q '$tmp/empty.eml' 2>'$tmp/e'; [ \$? -eq 0 ] && [ ! -s '$tmp/e' ]"
check "closed stdout: 3 and a message" sh -c "
	'$bin' parse '$fx' >&- 2>'$tmp/e'; [ \$? -eq 3 ] && grep -q 'output' '$tmp/e'"

# directories: plain, recursive, Maildir
mkdir -p "$tmp/dir/sub" "$tmp/md/cur" "$tmp/md/new" "$tmp/md/tmp"
cp "$fx" "$tmp/dir/a.eml"; cp tests/golden/rfc3464-02.eml "$tmp/dir/sub/b.eml"
cp "$fx" "$tmp/md/cur/1.eml"; cp tests/golden/arf-01.eml "$tmp/md/new/2.eml"
cp tests/golden/not-bounce-01.eml "$tmp/md/tmp/3.eml"
check "directory without -r" sh -c "[ \$('$bin' parse -f ndjson '$tmp/dir' | wc -l) -eq 1 ]"
check "directory with -r" sh -c "[ \$('$bin' parse -r -f ndjson '$tmp/dir' | wc -l) -eq 4 ]"
check "maildir: cur and new" sh -c "[ \$('$bin' parse -f ndjson '$tmp/md' | wc -l) -eq 2 ]"
# a directory of folders only, without -r: nothing read, and said so
mkdir -p "$tmp/tree/x" "$tmp/tree/y"; cp "$fx" "$tmp/tree/x/a.eml"
check "folders only, without -r: a note naming -r, status 0" sh -c "
	'$bin' parse '$tmp/tree' 2>'$tmp/e' >'$tmp/o'; [ \$? -eq 0 ] &&
	grep -q 'tree: no file in it, 2 sub-directories not read (-r reads them)' '$tmp/e' &&
	[ \"\$(cat '$tmp/o')\" = '[]' ]"
check "folders only, with -q: no note" sh -c "
	'$bin' parse -q '$tmp/tree' 2>'$tmp/e' >/dev/null; [ ! -s '$tmp/e' ]"
check "folders only, with -r: no note, read" sh -c "
	'$bin' parse -r -f ndjson '$tmp/tree' 2>'$tmp/e' | grep -q nekochan && ! grep -q 'not read' '$tmp/e'"
check "a directory with a file, a Maildir: no note" sh -c "
	'$bin' parse '$tmp/md' '$tmp/dir' 2>'$tmp/e' >/dev/null; ! grep -q 'not read' '$tmp/e'"
# Maildir++: folders .Name/ (each a Maildir) are read with -r, after the
# inbox; a hidden directory that is no Maildir is not
mkdir -p "$tmp/md/.Bounces/cur" "$tmp/md/.Bounces/new" "$tmp/md/.Bounces/tmp" "$tmp/md/.state"
cp tests/golden/rfc3464-02.eml "$tmp/md/.Bounces/new/4.eml"; cp "$fx" "$tmp/md/.state/5.eml"
check "maildir++ folders: not without -r" sh -c "[ \$('$bin' parse -f ndjson '$tmp/md' | wc -l) -eq 2 ]"
check "maildir++ folders: read with -r" sh -c "
	'$bin' parse -r -f ndjson '$tmp/md' >'$tmp/o'; [ \$(wc -l <'$tmp/o') -eq 5 ] &&
	tail -n 1 '$tmp/o' | grep -q '.Bounces/new/4.eml' && ! grep -q '.state' '$tmp/o'"
if [ "$(id -u)" -ne 0 ]; then
	mkdir "$tmp/locked"; chmod 000 "$tmp/locked"
	check "unreadable directory: 1" status 1 "$bin" parse "$tmp/locked"
	chmod 700 "$tmp/locked"
fi
ln -s /nonexistent/target "$tmp/dir/broken.eml"
check "broken symlink: 1, named" sh -c "
	'$bin' parse '$tmp/dir' >/dev/null 2>'$tmp/e'; [ \$? -eq 1 ] && grep -q broken.eml '$tmp/e'"

# line endings give the same records
for f in tests/golden/rfc3464-02.eml; do
	sed 's/$/\r/' "$f" >"$tmp/crlf.eml"; tr '\n' '\r' <"$f" >"$tmp/cr.eml"
	"$bin" parse -f ndjson "$f" | sed 's/"origin":"[^"]*"//' >"$tmp/lf.out"
	"$bin" parse -f ndjson "$tmp/crlf.eml" | sed 's/"origin":"[^"]*"//' >"$tmp/crlf.out"
	"$bin" parse -f ndjson "$tmp/cr.eml" | sed 's/"origin":"[^"]*"//' >"$tmp/cr.out"
	check "CRLF = LF" cmp -s "$tmp/lf.out" "$tmp/crlf.out"
	check "CR = LF" cmp -s "$tmp/lf.out" "$tmp/cr.out"
done

# threads keep the input order
check "-j 3 gives the same output as -j 1" sh -c "
	'$bin' parse -f ndjson tests/golden >'$tmp/j1'; '$bin' parse -j 3 -f ndjson tests/golden >'$tmp/j3'
	cmp -s '$tmp/j1' '$tmp/j3' && [ -s '$tmp/j1' ]"
# many batches (64 messages each): the ring fills, the reading thread
# decodes batches too; every format's framing across batches
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	for f in tests/golden/*.eml; do
		printf 'From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n'
		tr -d '\r' <"$f" | sed 's/^From />From /'
		printf '\n'
	done
done >"$tmp/many.mbox"
for fmt in ndjson json csv yaml; do
	check "-j 2 and -j 3 = -j 1 over many batches ($fmt)" sh -c "
	'$bin' parse -q -f $fmt '$tmp/many.mbox' /nonexistent '$tmp/many.mbox' >'$tmp/m1' 2>'$tmp/e1'
	'$bin' parse -q -j 2 -f $fmt '$tmp/many.mbox' /nonexistent '$tmp/many.mbox' >'$tmp/m2' 2>'$tmp/e2'
	'$bin' parse -q -j 3 -f $fmt '$tmp/many.mbox' /nonexistent '$tmp/many.mbox' >'$tmp/m3' 2>'$tmp/e3'
	[ \$(wc -l <'$tmp/m1') -gt 5000 ] && cmp -s '$tmp/m1' '$tmp/m2' && cmp -s '$tmp/m1' '$tmp/m3' &&
	cmp -s '$tmp/e1' '$tmp/e2' && cmp -s '$tmp/e1' '$tmp/e3'"
done
check "-j with errors in order" sh -c "
	'$bin' parse -j 2 /nonexistent1 '$fx' /nonexistent2 2>'$tmp/e' >/dev/null; [ \$? -eq 1 ] &&
	head -n 1 '$tmp/e' | grep -q nonexistent1 && tail -n 1 '$tmp/e' | grep -q nonexistent2"

# classify, reasons, decoders
check "classify text" sh -c "'$bin' classify '550 5.1.1 <a@example.org>: User unknown' | grep -q '^reason: userunknown'"
check "classify stdin" sh -c "printf '552 5.2.2 Mailbox full\n' | '$bin' classify - | grep -q '^reason: mailboxfull'"
check "reasons lists all" sh -c "'$bin' reasons | grep -q '^userunknown *yes'"
check "decoders lists RFC3464" sh -c "'$bin' decoders | grep -q '^RFC3464'"

# the command line (issue 18): errors name the option, carry the prefix,
# exit 2; help COMMAND; classify per argument, per line, streaming
check "parse --format xml names the option and the choices" sh -c "
	'$bin' parse --format xml '$fx' 2>'$tmp/e'; [ \$? -eq 2 ] &&
	grep -q \"^bouncekit: parse: --format: unknown format 'xml' (json, ndjson, yaml, csv)\" '$tmp/e'"
check "-j 0 names --jobs" sh -c "'$bin' parse -j 0 '$fx' 2>&1 | grep -q '^bouncekit: parse: --jobs: '"
check "--max-size 0 names --max-size" sh -c "'$bin' parse --max-size 0 '$fx' 2>&1 | grep -q '^bouncekit: parse: --max-size: '"
for args in "parse --bogus $fx" "parse -x $fx" "parse --quiet=1 $fx" "parse --format" \
	"classify --bogus" "classify" "reasons extra" "reasons --bogus" "decoders --bogus" \
	"decoders extra" "version extra" "help parse extra" "help nosuch"; do
	check "$args: 2, every line prefixed" sh -c "
		'$bin' $args >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && [ -s '$tmp/e' ] &&
		! grep -v '^bouncekit: ' '$tmp/e'"
done
# every command `help` lists: --help and help COMMAND agree; an unknown
# option is 2 with the prefix (getopt's own message too)
for c in $("$bin" help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 { print $1 }'); do
	check "$c --help = help $c" sh -c "
		'$bin' $c --help >'$tmp/h1' && '$bin' help $c >'$tmp/h2' &&
		grep -q '^usage: bouncekit' '$tmp/h1' && cmp -s '$tmp/h1' '$tmp/h2'"
	check "$c --bogus: 2, prefixed" sh -c "
		'$bin' $c --bogus >/dev/null 2>'$tmp/e'; [ \$? -eq 2 ] && head -n 1 '$tmp/e' | grep -q '^bouncekit: $c: '"
done
check "help parse is parse's help" sh -c "'$bin' help parse | head -n 1 | grep -q '^usage: bouncekit parse'"
check "help classify is classify's help" sh -c "'$bin' help classify | head -n 1 | grep -q '^usage: bouncekit classify'"
check "classify: each argument on its own" sh -c "
	'$bin' classify -f tsv '550 5.1.1 User unknown' '452 4.2.2 Mailbox full' >'$tmp/o' &&
	[ \$(wc -l <'$tmp/o') -eq 2 ] && head -n 1 '$tmp/o' | grep -q '^userunknown' &&
	tail -n 1 '$tmp/o' | grep -q '^mailboxfull'"
check "classify --format ndjson" sh -c "
	'$bin' classify --format ndjson '550 5.1.1 \"x\" User unknown' |
	grep -q '^{\"text\":\"550 5.1.1 \\\\\"x\\\\\" User unknown\",\"reason\":\"userunknown\",\"deliverystatus\":\"5.1.1\",\"replycode\":\"550\",.*\"hardbounce\":true}\$'"
check "classify --format text: one verdict as before" sh -c "
	[ \"\$('$bin' classify --format text '550 5.1.1 User unknown' | head -n 1)\" = 'reason: userunknown' ]"
check "classify --format bogus: 2, names it" sh -c "'$bin' classify --format bogus x 2>&1 | grep -q -- '--format: unknown format'"
# streaming: the answer to a line comes while standard input is still open
mkfifo "$tmp/fifo"
check "classify -: each line answered as it arrives" sh -c "
	'$bin' classify -f tsv - <'$tmp/fifo' >'$tmp/stream' & pid=\$!
	exec 3>'$tmp/fifo'; printf '550 5.1.1 User unknown\n' >&3
	i=0; while [ \$i -lt 50 ] && [ ! -s '$tmp/stream' ]; do sleep 0.1; i=\$((i + 1)); done
	got=\$(cat '$tmp/stream'); exec 3>&-; wait \$pid
	echo \"\$got\" | grep -q '^userunknown'"
# bounded memory: 48 MB of log lines, and one line of 48 MB
python3 -c "
import sys
l = 'Dec  6 20:00:00 mx postfix/smtp[123]: 1A2B3C: to=<u@example.org>, status=bounced (host said: 550 5.1.1 <u@example.org>: User unknown (in reply to RCPT TO command))'
sys.stdout.write(((l + ' ' * 1200)[:1200] + chr(10)) * 40000)" >"$tmp/big.log"
tr -d '\n' <"$tmp/big.log" >"$tmp/long.log"
for f in big long; do
	check "classify - over 48 MB ($f lines): bounded memory" python3 -c "
import resource, subprocess, sys
r = subprocess.run(['$bin', 'classify', '-f', 'tsv', '-'], stdin=open('$tmp/$f.log', 'rb'),
                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
lines = r.stdout.count(b'\\n')
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(lines, rss)
sys.exit(not (r.returncode == 0 and lines == (40000 if '$f' == 'big' else 1) and rss < 40000))"
done
rm -f "$tmp/big.log" "$tmp/long.log"

# postcat(1)'s output (tests/fixtures/postcat.txt imitates `postcat -q ID1
# ID2`: envelope records, then each message between markers) gives the
# records of the messages it frames, from a file or from standard input
"$bin" parse -f ndjson tests/golden/rfc3464-01.eml tests/golden/postfix-01.eml |
	sed 's/"origin":"[^"]*"//; s/"token":"[^"]*"//' >"$tmp/pc.want"
check "postcat output on stdin: the framed messages' records" sh -c "
	'$bin' parse -f ndjson - <tests/fixtures/postcat.txt |
	sed 's/\"origin\":\"[^\"]*\"//; s/\"token\":\"[^\"]*\"//' >'$tmp/pc.got' &&
	[ \$(wc -l <'$tmp/pc.want') -eq 3 ] && cmp -s '$tmp/pc.want' '$tmp/pc.got'"
check "postcat output in a file: no envelope record taken for a message" sh -c "
	'$bin' parse -f ndjson tests/fixtures/postcat.txt >'$tmp/o' && [ \$(wc -l <'$tmp/o') -eq 3 ] &&
	! grep -q 'message_size' '$tmp/o'"

# every decodedby value is listed by decoders (the local delivery agents
# whose notice names a record's decoder too)
"$bin" decoders | awk '{ print $1 }' >"$tmp/decoders"
"$bin" parse -q --delivered --vacation -f ndjson tests/golden tests/fixtures |
	grep -o '"decodedby":"[^"]*"' | sed 's/.*:"//; s/"$//' | sort -u >"$tmp/decodedby"
check "decodedby values include dovecot and mail.local" sh -c "
	grep -qx dovecot '$tmp/decodedby' && grep -qx mail.local '$tmp/decodedby'"
check "every decodedby value is listed by decoders" sh -c "
	[ -s '$tmp/decodedby' ] && ! grep -vxF -f '$tmp/decoders' '$tmp/decodedby'"

# long runs: warnings counted, printed each with -v; summary on demand;
# no progress line off a terminal
mkdir -p "$tmp/warn"
sed 's/nekochan/truncated/g' "$fx" | head -c 1500 >"$tmp/warn/a.eml"
cp "$fx" "$tmp/warn/b.eml"
check "warnings: one count line without -v" sh -c "
	'$bin' parse '$tmp/warn' >/dev/null 2>'$tmp/e' && [ \$(wc -l <'$tmp/e') -eq 1 ] &&
	grep -q '^bouncekit: parse: 1 messages with warnings (truncated MIME structure 1); -v lists each' '$tmp/e'"
check "warnings: each with -v" sh -c "
	'$bin' parse -v '$tmp/warn' >/dev/null 2>'$tmp/e' &&
	grep -q '^bouncekit: warning: $tmp/warn/a.eml: truncated MIME structure' '$tmp/e'"
check "warnings: none with -q" sh -c "'$bin' parse -q '$tmp/warn' >/dev/null 2>'$tmp/e' && [ ! -s '$tmp/e' ]"
check "--summary off a terminal, no progress line" sh -c "
	'$bin' parse --summary '$tmp/warn' /nonexistent >/dev/null 2>'$tmp/e'; [ \$? -eq 1 ] &&
	grep -q '^bouncekit: parse: 2 messages read, 2 records, 1 inputs skipped, 0 empty' '$tmp/e' &&
	grep -q '^bouncekit: parse: records by reason: userunknown 2' '$tmp/e' &&
	grep -q '^bouncekit: parse: warnings: 1 messages (truncated MIME structure 1)' '$tmp/e' &&
	! grep -q \"\$(printf '\\r')\" '$tmp/e'"
check "--summary with -j 2 counts the same" sh -c "
	'$bin' parse -j 2 --summary '$tmp/warn' /nonexistent 2>&1 >/dev/null | grep -v ' in [0-9.]* s' |
	grep -v '^bouncekit: /nonexistent' >'$tmp/s2'
	'$bin' parse --summary '$tmp/warn' /nonexistent 2>&1 >/dev/null | grep -v ' in [0-9.]* s' |
	grep -v '^bouncekit: /nonexistent' >'$tmp/s1'; [ -s '$tmp/s1' ] && cmp -s '$tmp/s1' '$tmp/s2'"
check "no summary off a terminal without --summary" sh -c "
	'$bin' parse '$fx' 2>&1 >/dev/null | [ \$(wc -c) -eq 0 ]"
# on a terminal (a pseudo-terminal from script(1)): a progress line, then
# the summary; the second message arrives after the first redraw is due
if command -v script >/dev/null 2>&1; then
	{ echo "From a@example.com Mon Jul  6 08:00:00 2020"; tr -d '\r' <"$fx"; } >"$tmp/m1"
	cat >"$tmp/slow.sh" <<EOS
(cat '$tmp/m1'; sleep 1; cat '$tmp/m1') | '$bin' parse -f ndjson - >/dev/null
EOS
	script -qec "sh '$tmp/slow.sh'" /dev/null </dev/null >"$tmp/tty" 2>&1
	check "terminal: a progress line" grep -q 'bouncekit: parse: [0-9]* messages, [0-9]* records, [0-9]*/s, 0:0' "$tmp/tty"
	check "terminal: the summary" grep -q 'bouncekit: parse: 2 messages read, 2 records' "$tmp/tty"
	check "terminal: no progress line when the records go to it too" sh -c "
		sed 's/ >\/dev\/null\$//' '$tmp/slow.sh' >'$tmp/slow2.sh'
		script -qec \"sh '$tmp/slow2.sh'\" /dev/null </dev/null >'$tmp/tty2' 2>&1
		grep -q 'messages read' '$tmp/tty2' && ! grep -q '/s, 0:0' '$tmp/tty2'"
	check "terminal: -q shows neither" sh -c "
		sed -i 's/parse -f/parse -q -f/' '$tmp/slow.sh'; script -qec \"sh '$tmp/slow.sh'\" /dev/null </dev/null >'$tmp/tty' 2>&1
		! grep -q 'bouncekit' '$tmp/tty'"
else
	echo "skip cli terminal tests: script(1) (util-linux/bsdutils) not installed"
fi

rm -rf "$tmp"
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
