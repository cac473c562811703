#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bad.sh - hostile and broken input (docs/limits.md): each case must give a
# clear message or nothing, the documented exit status, no crash, no hang,
# and the rest of the batch must still be decoded.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
bin=${BK_BIN:-$build/bouncekit}	# BK_BIN: tests/run.sh, under BK_EXEC
tmp=$(mktemp -d)
good=tests/golden/rfc3464-01.eml
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   bad $1"; }
ko() { fail=$((fail + 1)); echo "FAIL bad $1"; }

# run NAME WANT_STATUS FILE [OPTIONS...]: decode FILE then a good message;
# the good message's record must come out; the status must be WANT.
run() {
	name=$1 want=$2 file=$3; shift 3
	timeout 60 "$bin" parse -v -f ndjson "$@" "$file" "$good" >"$tmp/out" 2>"$tmp/err"
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

# (a first byte of its own: random bytes that start with '{' or '[' after
# white space are a webhook payload, and bad JSON: exit 1, about 1 run in 120)
{ printf 'x'; head -c 199999 /dev/urandom; } >"$tmp/junk.bin"
run "binary junk" 0 "$tmp/junk.bin"
n=$(grep -c . "$tmp/out")
[ "$n" -eq 1 ] && ! grep -v 'warning:' "$tmp/err" | grep -q junk.bin &&
	ok "binary junk: no record, no error" || ko "binary junk: $n records or an error"

printf 'From: a@example.com\nSubject: nul\0inside\n\nbody\0with\0nuls\n' >"$tmp/nul.eml"
run "NUL bytes" 0 "$tmp/nul.eml"
# in a bounce: a NUL does not cut the field short; the output is valid UTF-8
sed -e 's/^Subject: .*/Subject: Returned mail: nul\x00in subject/' \
    -e 's/^\(Diagnostic-Code: SMTP; 550 5.1.1\)/\1 nul\x00byte/' \
    -e 's/nekochan/nulrcpt/g' "$good" >"$tmp/nulbounce.eml"
run "NUL bytes in a bounce" 0 "$tmp/nulbounce.eml"
fffd=$(printf '\357\277\275')
grep nulrcpt "$tmp/out" | LC_ALL=C grep -q "nul${fffd}byte.*User Unknown" &&
	iconv -f UTF-8 -t UTF-8 "$tmp/out" >/dev/null 2>&1 &&
	ok "NUL bytes: fields go on past the NUL, valid UTF-8" ||
	ko "NUL bytes: field cut at the NUL or invalid UTF-8"

# cut in the middle of the returned message: the report before it is read
sed 's/nekochan/truncated/g' "$good" | head -c 1500 >"$tmp/truncated.eml"
run "truncated MIME" 0 "$tmp/truncated.eml"
grep -q '"recipient":"truncated@example.org"' "$tmp/out" &&
	ok "truncated MIME: decoded as far as it goes" || ko "truncated MIME: no record"

sed '/^--3A1B2C3D4E5F.1583198135\/mx1.example.jp--$/d' "$good" | sed 's/nekochan/neverclosed/g' >"$tmp/open.eml"
run "boundary never closes" 0 "$tmp/open.eml"
grep -q 'truncated MIME' "$tmp/err" && ok "boundary never closes: warned" || ko "boundary never closes: no warning"

printf 'From: a@example.com\nSubject: =?utf-8?B?/w==?= =?nonexistent-cs?Q?=FF?=\nContent-Type: text/plain; charset=bogus-charset\n\n\377\376 invalid \300\257 utf-8\n' >"$tmp/charset.eml"
run "invalid UTF-8, wrong charset labels" 0 "$tmp/charset.eml"
grep -q 'charset.eml: unknown charset or invalid bytes' "$tmp/err" &&
	ok "invalid UTF-8: warned" || ko "invalid UTF-8: no warning"
sed -e 's/nekochan/badbytes/g' -e 's/^\(Diagnostic-Code: SMTP; 550 5.1.1\)/\1 \xff\xc0\xaf/' \
	"$good" >"$tmp/badbytes.eml"
run "invalid UTF-8 in a bounce" 0 "$tmp/badbytes.eml"
grep badbytes "$tmp/out" | LC_ALL=C grep -q "5.1.1 ${fffd}${fffd}${fffd} <" &&
	iconv -f UTF-8 -t UTF-8 "$tmp/out" >/dev/null 2>&1 &&
	ok "invalid UTF-8: bytes become U+FFFD" || ko "invalid UTF-8: not replaced"

printf 'From: a@example.com\nthis header has no colon\nSubject: x\n\nbody\n' >"$tmp/nocolon.eml"
run "header without a colon" 0 "$tmp/nocolon.eml"
# in a bounce, before the Content-Type: the block goes on past it
sed -e 's/^MIME-Version: 1.0$/this header has no colon\nMIME-Version: 1.0/' \
	-e 's/nekochan/nocolon/g' "$good" >"$tmp/nocolon2.eml"
run "header without a colon in a bounce" 0 "$tmp/nocolon2.eml"
grep -q '"recipient":"nocolon@example.org"' "$tmp/out" &&
	ok "header without a colon: the block goes on" || ko "header without a colon: the block stopped"

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

# Each limit through its option (docs/limits.md): the warning (printed
# with -v) names the message and the limit, and the batch goes on.
# limit NAME FILE WARNING OPTIONS...: decode FILE then a small DSN with
# OPTIONS; the small DSN's record must still come out.
dsn_with 1 | sed 's/u0@/small@/' >"$tmp/small.eml"
limit() {
	name=$1 file=$2 what=$3; shift 3
	timeout 60 "$bin" parse -v -f ndjson "$@" "$file" "$tmp/small.eml" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		ko "$name: exit status $rc"; sed 's/^/     /' "$tmp/err" | head -5
	elif ! grep -q "warning: $file: $what\$" "$tmp/err"; then
		ko "$name: no warning '$file: $what'"; sed 's/^/     /' "$tmp/err" | head -5
	elif ! grep -q small@example.org "$tmp/out"; then
		ko "$name: the batch did not go on"
	else
		ok "$name"
	fi
}
# headers of a DSN, N filler fields, then its body: past the limit the
# rest of the block is skipped and the body is still read
filler() {
	sed -n '1,/^$/p' "$good" | sed '$d'
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "X-Filler-%d: %060d\n", i, i }'
	sed -n '/^$/,$p' "$good"
}
filler 200 | sed 's/nekochan/hdrsize/g' >"$tmp/hdrsize.eml"
limit "header size limit" "$tmp/hdrsize.eml" "header size limit" --max-header-size 2K
grep -q '"recipient":"hdrsize@example.org"' "$tmp/out" &&
	ok "header size limit: the body is still read" || ko "header size limit: the body was lost"
filler 50 | sed 's/nekochan/hdrcount/g' >"$tmp/hdrcount.eml"
limit "header count limit" "$tmp/hdrcount.eml" "header count limit" --max-headers 20
grep -q '"recipient":"hdrcount@example.org"' "$tmp/out" &&
	ok "header count limit: the body is still read" || ko "header count limit: the body was lost"
{ sed 's/nekochan/longline/g' "$good"; head -c 5000 /dev/zero | tr '\0' 'y'; echo; } >"$tmp/line.eml"
limit "line length limit" "$tmp/line.eml" "line length limit" --max-line 1K
awk 'BEGIN { print "From: a@example.com"; print "Content-Type: multipart/mixed; boundary=b0"; print "";
	for (i = 0; i < 3; i++) printf "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i + 1
	print "--b3"; print ""; print "deep" }' >"$tmp/depth.eml"
limit "MIME depth limit" "$tmp/depth.eml" "MIME depth limit" --max-depth 2
awk 'BEGIN { print "From: a@example.com"; print "Content-Type: multipart/mixed; boundary=b"; print "";
	for (i = 0; i < 20; i++) printf "--b\n\npart %d\n", i; print "--b--" }' >"$tmp/parts.eml"
limit "MIME part count limit" "$tmp/parts.eml" "MIME part count limit" --max-parts 3
awk 'BEGIN { print "From: a@example.com"; print "Content-Type: multipart/mixed; boundary=b"; print "";
	for (i = 0; i < 20000; i++) printf "--b\n\nx\n"; print "--b--" }' >"$tmp/manyparts.eml"
limit "20,000 MIME parts" "$tmp/manyparts.eml" "MIME part count limit"
# a base64 bomb: 3 MB of base64 in a small message would decode to 2.2 MB
{ printf 'From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n'
  printf 'Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n'
  head -c 2250000 /dev/zero | base64; printf -- '--b--\n'; } >"$tmp/b64.eml"
limit "decoded size limit (base64)" "$tmp/b64.eml" "decoded size limit" --max-decoded 1M
# one text part whose invalid bytes triple in size as U+FFFD
{ printf 'From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\n'
  head -c 800000 /dev/zero | tr '\0' '\377'; } >"$tmp/grow.eml"
limit "decoded size limit (charset)" "$tmp/grow.eml" "decoded size limit" --max-decoded 1M
dsn_with 50 >"$tmp/fifty.eml"
limit "recipient count limit" "$tmp/fifty.eml" "recipient count limit" --max-recipients 10
n=$(grep -c '"recipient":"u[0-9]*@example.org"' "$tmp/out")
[ "$n" -eq 10 ] && ok "recipient count limit: 10 records kept" || ko "recipient count limit: $n records"
# in an mbox the warning names the message
{ echo "From a@example.com Mon Jul  6 08:00:00 2020"; cat "$tmp/small.eml"
  echo "From a@example.com Mon Jul  6 08:00:00 2020"; cat "$tmp/parts.eml"; } >"$tmp/limits.mbox"
"$bin" parse -v -f ndjson --max-parts 3 "$tmp/limits.mbox" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && grep -q "warning: $tmp/limits.mbox (message 2): MIME part count limit" "$tmp/err" &&
	grep -q small@example.org "$tmp/out" && ok "a limit in an mbox" || ko "a limit in an mbox (status $rc)"
# --max-size: an error naming the message and the limit, status 1
"$bin" parse -f ndjson --max-size 1K "$good" "$tmp/small.eml" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "$good: message of .* over the size limit of 1024 bytes" "$tmp/err" &&
	grep -q small@example.org "$tmp/out" && ok "--max-size" || ko "--max-size (status $rc)"
# in an mbox it names the message by its number (whether the message is
# whole in the read buffer or not), and the next one is decoded
{ echo "From a@example.com Mon Jul  6 08:00:00 2020"; cat "$tmp/small.eml"
  echo "From a@example.com Mon Jul  6 08:00:00 2020"; cat "$good"
  echo "From a@example.com Mon Jul  6 08:00:00 2020"; sed 's/small@/third@/' "$tmp/small.eml"; } >"$tmp/big2.mbox"
"$bin" parse -f ndjson --max-size 1K "$tmp/big2.mbox" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "big2.mbox (message 2): message of .* over the size limit" "$tmp/err" &&
	grep -q third@example.org "$tmp/out" && ok "--max-size in an mbox" ||
	ko "--max-size in an mbox (status $rc): $(cat "$tmp/err")"

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
grep -q 'broken.eml: cannot open: No such file or directory' "$tmp/err" &&
	ok "broken symlink: named" || ko "broken symlink: not named"

"$bin" parse - <&- >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q '<STDIN>: read error: Bad file descriptor' "$tmp/err" &&
	ok "closed stdin" || ko "closed stdin (status $rc)"

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
