#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# cli.sh - the command line: exit statuses, standard input, formats,
# errors on stderr, the batch going on past a bad input.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=$build/bouncekit
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
	: >'$tmp/empty.eml'; '$bin' parse '$tmp/empty.eml' 2>'$tmp/e'; [ \$? -eq 0 ] && grep -q 'empty' '$tmp/e'"
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

rm -rf "$tmp"
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
