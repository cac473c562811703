#!/bin/sh
# bad.sh - hostile and broken input (docs/limits.md): each case must give a
# clear message or nothing, the documented exit status, no crash, no hang,
# and the rest of the batch must still be decoded.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=$build/bouncekit
tmp=$(mktemp -d)
good=tests/golden/rfc3464-01.eml
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   bad $1"; }
ko() { fail=$((fail + 1)); echo "FAIL bad $1"; }

# run NAME WANT_STATUS FILE [OPTIONS...]: decode FILE then a good message;
# the good message's record must come out; the status must be WANT.
run() {
	name=$1 want=$2 file=$3; shift 3
	timeout 60 "$bin" parse -f ndjson "$@" "$file" "$good" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne "$want" ]; then
		ko "$name: exit status $rc, expected $want"; sed 's/^/     /' "$tmp/err" | head -5
	elif ! grep -q nekochan@example.org "$tmp/out"; then
		ko "$name: the batch did not go on"
	else
		ok "$name"
	fi
}

# a DSN with N recipients
dsn_with() {
	printf 'From: MAILER-DAEMON@example.net\nTo: s@example.com\nDate: Mon, 6 Jul 2020 08:00:00 +0000\n'
	printf 'Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n'
	printf 'Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n'
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "Final-Recipient: rfc822; u%d@example.org\nAction: failed\nStatus: 5.1.1\n\n", i }'
	printf -- '--b--\n'
}

: >"$tmp/empty.eml"
run "empty file" 0 "$tmp/empty.eml"
grep -q 'empty file' "$tmp/err" && ok "empty file: warned" || ko "empty file: no warning"

head -c 200000 /dev/urandom >"$tmp/junk.bin"
run "binary junk" 0 "$tmp/junk.bin"

printf 'From: a@example.com\nSubject: nul\0inside\n\nbody\0with\0nuls\n' >"$tmp/nul.eml"
run "NUL bytes" 0 "$tmp/nul.eml"

head -c 3000 "$good" >"$tmp/truncated.eml"
run "truncated MIME" 0 "$tmp/truncated.eml"

sed '/^--3A1B2C3D4E5F.1583198135\/mx1.example.jp--$/d' "$good" | sed 's/nekochan/neverclosed/g' >"$tmp/open.eml"
run "boundary never closes" 0 "$tmp/open.eml"
grep -q 'truncated MIME' "$tmp/err" && ok "boundary never closes: warned" || ko "boundary never closes: no warning"

printf 'From: a@example.com\nSubject: =?utf-8?B?/w==?= =?nonexistent-cs?Q?=FF?=\nContent-Type: text/plain; charset=bogus-charset\n\n\377\376 invalid \300\257 utf-8\n' >"$tmp/charset.eml"
run "invalid UTF-8, wrong charset labels" 0 "$tmp/charset.eml"

printf 'From: a@example.com\nthis header has no colon\nSubject: x\n\nbody\n' >"$tmp/nocolon.eml"
run "header without a colon" 0 "$tmp/nocolon.eml"

{ printf 'From: a@example.com\nSubject: long line\n\n'; head -c 10485760 /dev/zero | tr '\0' 'x'; printf '\n'; } >"$tmp/longline.eml"
run "a 10 MB line" 0 "$tmp/longline.eml"
grep -q 'line length limit' "$tmp/err" && ok "10 MB line: warned" || ko "10 MB line: no warning"

dsn_with 100000 >"$tmp/many.eml"
run "100,000 recipients" 0 "$tmp/many.eml"
grep -q 'recipient count limit' "$tmp/err" && ok "100,000 recipients: limit warned" || ko "100,000 recipients: no limit warning"
n=$(grep -c '@example.org' "$tmp/out")
[ "$n" -eq 10001 ] && ok "100,000 recipients: 10000 records kept" || ko "100,000 recipients: $n records"

awk 'BEGIN { print "From: a@example.com"; print "Content-Type: multipart/mixed; boundary=b0"; print "";
	for (i = 0; i < 10000; i++) { printf "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i + 1 }
	print "--b10000"; print ""; print "deep" }' >"$tmp/nested.eml"
run "10,000 nested parts" 0 "$tmp/nested.eml"
grep -q 'MIME depth limit' "$tmp/err" && ok "10,000 nested parts: warned" || ko "10,000 nested parts: no warning"

run "unreadable file" 1 "$tmp/does-not-exist.eml"
grep -q 'does-not-exist.eml: cannot open' "$tmp/err" && ok "unreadable file: named" || ko "unreadable file: not named"

mkdir "$tmp/locked" && cp "$good" "$tmp/locked/x.eml" && chmod 000 "$tmp/locked"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	# root reads anything: drop to nobody for this case, with copies of
	# the program and the good message that nobody can reach
	chmod 755 "$tmp"
	cp "$bin" "$tmp/bk" && cp "$good" "$tmp/good.eml" && chmod 755 "$tmp/bk" &&
		chmod 644 "$tmp/good.eml"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$tmp/bk" parse "$tmp/locked" "$tmp/good.eml" >"$tmp/out" 2>"$tmp/err"
	rc=$?
else
	"$bin" parse "$tmp/locked" "$good" >"$tmp/out" 2>"$tmp/err"; rc=$?
fi
if [ $rc -eq 1 ] && grep -q 'locked: cannot read directory' "$tmp/err" && grep -q nekochan "$tmp/out"; then
	ok "directory without permission"
else
	ko "directory without permission (status $rc)"
fi
chmod 700 "$tmp/locked"

ln -s "$tmp/nowhere" "$tmp/broken.eml"
run "broken symlink" 1 "$tmp/broken.eml"

"$bin" parse - <&- >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'STDIN' "$tmp/err" && ok "closed stdin" || ko "closed stdin (status $rc)"

"$bin" parse "$good" >&- 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] && grep -q 'cannot write output' "$tmp/err" && ok "closed stdout" || ko "closed stdout (status $rc)"

# output to a pipe that closes early: exit 3 and a message, no SIGPIPE death
dsn_with 5000 >"$tmp/big.eml"
( "$bin" parse "$tmp/big.eml" 2>"$tmp/err"; echo $? >"$tmp/rc" ) | head -c 100 >/dev/null
rc=$(cat "$tmp/rc")
[ "$rc" -eq 3 ] && grep -q 'cannot write output' "$tmp/err" && ok "output to a closed pipe" || ko "output to a closed pipe (status $rc)"

head -c 70000000 /dev/zero | tr '\0' 'a' >"$tmp/huge.eml"
run "message over the size limit" 1 "$tmp/huge.eml"
grep -q 'size limit' "$tmp/err" && ok "size limit: named" || ko "size limit: not named"

rm -rf "$tmp"
echo "bad: $pass passed, $fail failed"
[ $fail -eq 0 ]
