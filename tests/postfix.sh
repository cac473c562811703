#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# postfix.sh - end to end with a real Postfix (docs/intake.md's recipes, as
# written there): Debian's postfix .deb unpacked into a private directory
# (scripts/postfix-deb.sh; never installed, the lab installs MTAs on this
# machine), run with its own config, queue and data directories, its own
# address and port (127.0.14.1, a free port) and maillog_file, started and
# stopped here.  Mail to an unknown user of example.net bounces, and the
# bounce reaches bouncekit three ways, each asserted by `bouncekit query`
# (suppressed, userunknown):
#   (a) LMTP: transport_maps sends lmtp.sender.example to `bouncekit lmtp`
#   (b) pipe: transport_maps sends pipe.sender.example to a master.cf pipe
#       service running `bouncekit ingest ... -` with the envelope
#   (c) watch: watch.sender.example is a virtual mailbox domain, delivered
#       to a Maildir that `bouncekit watch` follows
#   (d) the deferral through Postfix's log: a message deferred (a retry
#       transport), then made to bounce (the transport turned into an
#       error one, the queue flushed); `bouncekit ingest --log postfix`
#       reads the maillog_file into the LMTP store, which has the bounce
#       message: one event, suppressed.
# Needs root (Postfix's master, its users).  Its users bkpostfix and
# bkpostdrop (not Debian's postfix/postdrop, which an installed postfix
# of the lab's would own) are made when missing and removed at the end
# when this test made them; one run at a time (flock).  Skips when postfix
# cannot be fetched at all, or without root; under CI=true both fail.
# usage: tests/postfix.sh [BUILD_DIR]
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
repo=$PWD
bin=${BK_BIN:-$PWD/$build/bouncekit}
ADDR=127.0.14.1
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   postfix $1"; }
ko() { fail=$((fail + 1)); echo "FAIL postfix $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     /'; }
finish() { echo "postfix: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
# skip WHY: a clear message; a failure in CI, where it must run
skip() {
	if [ "${CI:-}" = true ]; then
		ko "cannot run: $1 (CI=true: this suite must run)"
	else
		echo "skip postfix: $1"
	fi
	finish
}

[ -n "${BK_EXEC:-}" ] && { echo "skip postfix: a cross build (BK_EXEC): run by the native build"; finish; }
[ "$(id -u)" -eq 0 ] || skip "needs root (Postfix's master and its users)"
command -v python3 >/dev/null 2>&1 || skip "needs python3 (the SMTP client)"
command -v flock >/dev/null 2>&1 || skip "needs flock (util-linux)"
. "$repo/scripts/postfix-deb.sh"

# one run at a time on this machine: the users are shared
exec 9>"${TMPDIR:-/tmp}/bouncekit-postfix-test.lock"
flock -w 300 9 || skip "another run holds ${TMPDIR:-/tmp}/bouncekit-postfix-test.lock"

T=$(mktemp -d)
chmod 755 "$T"
PF=$T/pf
lmtppid="" watchpid=""
made_users="" made_groups=""
pf() { _p=$1; shift; pfdeb_env "$PF" "$PF/usr/sbin/$_p" -c "$T/etc" "$@"; }
master_pid() { cat "$T/spool/pid/master.pid" 2>/dev/null | tr -d ' '; }
stop_all() {
	m=$(master_pid)
	if [ -n "$m" ] && kill -0 "$m" 2>/dev/null; then
		pfdeb_env "$PF" "$PF/usr/sbin/postfix" -c "$T/etc" stop >/dev/null 2>&1
		i=0
		while kill -0 "$m" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1; i=$((i + 1))
		done
	fi
	for p in $lmtppid $watchpid; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	lmtppid="" watchpid=""
}
cleanup() {
	stop_all
	for u in $made_users; do
		i=0	# a Postfix child may take a moment to go
		while ! userdel "$u" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	done
	for g in $made_groups; do getent group "$g" >/dev/null && groupdel "$g"; done
	[ -n "${BK_POSTFIX_KEEP:-}" ] && cp -r "$T/maillog" "$T/lmtp.log" "$T/watch.log" "$BK_POSTFIX_KEEP/" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

pfdeb_unpack "$PF" || skip "postfix cannot be fetched (apt-get download postfix failed, nothing cached in $(pfdeb_cache))"
[ -x "$PF/usr/lib/postfix/sbin/master" ] && ok "Debian's postfix unpacked ($(basename "$(pfdeb_find)"))" ||
	{ ko "the unpacked .deb has no master"; finish; }

# the users: Postfix's owner (and its own group), the setgid group
if ! getent passwd bkpostfix >/dev/null; then
	useradd -r -M -U -d /nonexistent -s /usr/sbin/nologin bkpostfix && made_users=bkpostfix
fi
if ! getent group bkpostdrop >/dev/null; then
	groupadd -r bkpostdrop && made_groups=bkpostdrop
fi
getent passwd bkpostfix >/dev/null && getent group bkpostdrop >/dev/null ||
	{ ko "cannot make the users bkpostfix, bkpostdrop"; finish; }
uid=$(id -u bkpostfix) gid=$(id -g bkpostfix)
nobody_group=$(id -gn nobody)

# the instance
mkdir -p "$T/etc" "$T/data" "$T/vmail" "$T/lmtp" "$T/pipe" "$T/bin"
pfdeb_spool "$T/spool" bkpostfix bkpostdrop || { ko "cannot lay out the queue directory"; finish; }
md=$T/vmail/watch.sender.example/bounces
mkdir -p "$md/tmp" "$md/new" "$md/cur"
chown -R bkpostfix:bkpostfix "$T/data" "$T/vmail"
# the pipe runs as nobody: its own copy of the program, its own store
cp "$bin" "$T/bin/bouncekit" && chmod 755 "$T/bin/bouncekit"
mkdir -p "$T/pipe/unparsed"
# the store made before the MTA's pipes open it (docs/intake.md: db init
# first), as the user they run as
"$bin" db init --db "$T/pipe/bouncekit.db" >/dev/null 2>&1
chown -R "nobody:$nobody_group" "$T/pipe"
port=$(python3 -c "import socket; s = socket.socket(); s.bind(('$ADDR', 0)); print(s.getsockname()[1])") ||
	{ ko "no free port on $ADDR"; finish; }
for f in main.cf master.cf transport vmailbox; do
	sed -e "s|@T@|$T|g" -e "s|@PF@|$PF|g" -e "s|@UID@|$uid|g" -e "s|@GID@|$gid|g" \
		-e "s|@ADDR@|$ADDR|g" -e "s|@PORT@|$port|g" -e "s|@BIN@|$T/bin/bouncekit|g" \
		"tests/postfix/$f" >"$T/etc/$f"
done
pf postmap "$T/etc/transport" && pf postmap "$T/etc/vmailbox" ||
	{ ko "postmap failed"; finish; }

# bouncekit's side: the LMTP server (its socket 0666, so that Postfix's
# lmtp client, running as bkpostfix, can connect), the Maildir follower
"$bin" lmtp --listen "unix:$T/lmtp/lmtp.sock" --socket-mode 0666 \
	--db "$T/lmtp.db" 2>"$T/lmtp.log" &
lmtppid=$!
"$bin" watch --db "$T/watch.db" "$md" 2>"$T/watch.log" &
watchpid=$!
i=0; while [ ! -S "$T/lmtp/lmtp.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$T/lmtp/lmtp.sock" ] || { ko "bouncekit lmtp did not listen" "$(cat "$T/lmtp.log")"; finish; }

if pf postfix start >"$T/start.log" 2>&1; then
	ok "postfix started (config_directory $T/etc, smtpd on $ADDR:$port)"
else
	ko "postfix start" "$(cat "$T/start.log" "$T/maillog" 2>/dev/null | tail -n 20)"
	finish
fi

# mail from each bounce address to an unknown user of example.net, and one
# to the known user (delivered, no bounce)
if python3 - "$ADDR" "$port" >"$T/smtp.log" 2>&1 <<'PY'
import smtplib, sys, time
addr, port = sys.argv[1], int(sys.argv[2])
for i in range(100):	# smtpd is started by master when the first client comes
    try:
        s = smtplib.SMTP(addr, port, timeout=20, source_address=(addr, 0))
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("smtpd never answered")
s.ehlo("client.example.org")
for via in ("lmtp", "pipe", "watch"):
    msg = ("From: Newsletter <news@%s.sender.example>\r\nTo: ghost-%s@example.net\r\n"
           "Subject: postfix end to end (%s)\r\nMessage-ID: <pf-%s@sender.example>\r\n\r\n"
           "Hello.\r\n" % (via, via, via, via))
    s.sendmail("bounces+ghost-%s=example.net@%s.sender.example" % (via, via),
               ["ghost-%s@example.net" % via], msg)
s.sendmail("news@sender.example", ["user@example.net"],
           "From: news@sender.example\r\nSubject: known\r\n\r\nHello.\r\n")
# a person's reply to a bounce address: through the pipe, not a bounce
s.sendmail("carol@example.org", ["bounces+carol=example.org@pipe.sender.example"],
           "From: Carol <carol@example.org>\r\nSubject: Re: news\r\n\r\nPlease take me off.\r\n")
s.quit()
PY
then
	ok "five messages accepted by smtpd"
else
	ko "the SMTP client" "$(cat "$T/smtp.log")"
fi

# verdict DB ADDR: "verdict reason" as bouncekit query says
# bk DB ARGS...: bouncekit on DB, as the user that writes it: the pipe's
# store as nobody (SQLite, run by root, makes the WAL and shared-memory
# files root's for an instant before it gives them to the store's owner;
# a pipe delivery then finds the store read-only and is deferred: about
# 1 in 100 while root reads in a loop, docs/intake.md)
bk() {
	case $1 in
	"$T"/pipe/*) d=$1; shift; runuser -u nobody -- "$T/bin/bouncekit" "$@" --db "$d" ;;
	*) d=$1; shift; "$bin" "$@" --db "$d" ;;
	esac
}
verdict() { bk "$1" query --format tsv "$2" 2>/dev/null | cut -f2,5 | tr '\t' ' '; }
# wait_verdict DB ADDR: until ADDR is suppressed, userunknown (30 s at most)
wait_verdict() {
	i=0
	while [ $i -lt 300 ]; do
		[ -f "$1" ] && [ "$(verdict "$1" "$2")" = "suppressed userunknown" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
diag() { tail -n 15 "$T/maillog"; for f in "$@"; do echo "--- $f"; tail -n 5 "$f"; done; }

wait_verdict "$T/lmtp.db" ghost-lmtp@example.net &&
	ok "(a) a bounce delivered over LMTP (transport_maps lmtp:unix:): suppressed, userunknown" ||
	ko "(a) LMTP" "$(verdict "$T/lmtp.db" ghost-lmtp@example.net); $(diag "$T/lmtp.log")"
grep -q "status=sent (delivered via lmtp.sender.example" "$T/maillog" 2>/dev/null ||
	grep -q "lmtp.sender.example.*status=sent" "$T/maillog" 2>/dev/null &&
	ok "(a) Postfix logs the LMTP delivery as sent (the 250 came after the commit)" ||
	ko "(a) the LMTP delivery in the maillog" "$(grep lmtp "$T/maillog" | tail -n 5)"

wait_verdict "$T/pipe/bouncekit.db" ghost-pipe@example.net &&
	ok "(b) a bounce through the pipe transport (bouncekit ingest -, as nobody): suppressed, userunknown" ||
	ko "(b) pipe" "$(verdict "$T/pipe/bouncekit.db" ghost-pipe@example.net); $(grep -E 'pipe|bouncekit' "$T/maillog" | tail -n 6)"
bk "$T/pipe/bouncekit.db" query ghost-pipe@example.net 2>&1 | grep -q pipe &&
	ok "(b) the evidence names the pipe channel" ||
	ko "(b) channel pipe" "$(bk "$T/pipe/bouncekit.db" query ghost-pipe@example.net 2>&1)"

i=0; while [ -z "$(ls "$T/pipe/unparsed")" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -qs "Please take me off" "$T/pipe/unparsed"/* &&
	[ "$(verdict "$T/pipe/bouncekit.db" carol@example.org)" = "ok " ] &&
	ok "(b) a person's reply through the pipe: accepted, kept in --keep-unparsed, no event" ||
	ko "(b) not a bounce" "$(ls -la "$T/pipe/unparsed"); $(diag)"

wait_verdict "$T/watch.db" ghost-watch@example.net &&
	ok "(c) a bounce delivered to a Maildir, read by bouncekit watch: suppressed, userunknown" ||
	ko "(c) watch" "$(verdict "$T/watch.db" ghost-watch@example.net); $(diag "$T/watch.log")"
i=0; while [ -n "$(ls "$md/new")" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -z "$(ls "$md/new")" ] && [ -n "$(ls "$md/cur")" ] &&
	ok "(c) the message moved from new/ to cur/" || ko "(c) Maildir" "$(ls -R "$md")"
[ -n "$(ls "$T/vmail/example.net/user/new" 2>/dev/null)" ] &&
	ok "the known user's mail is delivered, not bounced" || ko "the known user" "$(diag)"

# one event per bounce: no channel stored the others' bounces, none twice
for db in lmtp.db pipe/bouncekit.db watch.db; do
	n=$(bk "$T/$db" db check 2>/dev/null | awk '$1 == "events" { print $2 }')
	[ "$n" = 1 ] && ok "$db: one event" || ko "$db: one event" "events: $n"
done

# (d) The deferral through Postfix's log: a message to defer.example.org
# (transport retry:4.2.2, so status=deferred), its bounce address on
# lmtp.sender.example; the log read while it is deferred, then the
# transport made an error:5.1.1 one and the queue flushed: Postfix logs
# status=bounced for the same queue id and sends the bounce over LMTP.
# `ingest --log postfix` of the maillog_file into the LMTP store: one
# event for the deferral, the bounce line and the bounce message.
D=ghost-defer@defer.example.org
evcount() { "$bin" export --events --format ndjson --db "$T/lmtp.db" 2>/dev/null | grep -c "\"recipient\":\"$1\""; }
python3 - "$ADDR" "$port" "$D" >>"$T/smtp.log" 2>&1 <<'PY'
import smtplib, sys
addr, port, rcpt = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = smtplib.SMTP(addr, port, timeout=20, source_address=(addr, 0))
s.sendmail("bounces+ghost-defer=defer.example.org@lmtp.sender.example", [rcpt],
           "From: news@lmtp.sender.example\r\nTo: %s\r\nSubject: deferred\r\n"
           "Message-ID: <pf-defer@sender.example>\r\n\r\nHello.\r\n" % rcpt)
s.quit()
PY
i=0; while ! grep -qs "to=<$D>.*status=deferred" "$T/maillog" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
if grep -qs "to=<$D>.*status=deferred" "$T/maillog"; then
	"$bin" ingest -q --log postfix --db "$T/lmtp.db" "$T/maillog" 2>"$T/log1.err"
	[ "$(evcount "$D")" = 1 ] && [ "$(verdict "$T/lmtp.db" "$D")" = "ok mailboxfull" ] &&
		ok "(d) Postfix's status=deferred line read from its maillog_file: a soft event" ||
		ko "(d) the deferral" "$(verdict "$T/lmtp.db" "$D"), $(evcount "$D") events; $(cat "$T/log1.err"); $(grep "$D" "$T/maillog")"
	sed -i "s|^defer.example.org .*|defer.example.org      error:5.1.1 User unknown|" "$T/etc/transport"
	# trivial-rewrite caches the transport: reload, then flush the queue
	pf postmap "$T/etc/transport" && pf postfix reload >/dev/null 2>&1
	sleep 1
	pf postqueue -f >/dev/null 2>&1
	wait_verdict "$T/lmtp.db" "$D" &&
		ok "(d) made to bounce: the bounce message over LMTP suppresses it" ||
		ko "(d) the bounce" "$(verdict "$T/lmtp.db" "$D"); $(grep "$D" "$T/maillog")"
	"$bin" ingest --log postfix --db "$T/lmtp.db" "$T/maillog" 2>"$T/log2.err"
	[ "$(evcount "$D")" = 1 ] && [ "$(evcount ghost-lmtp@example.net)" = 1 ] &&
		[ "$(verdict "$T/lmtp.db" "$D")" = "suppressed userunknown" ] &&
		ok "(d) the log again (deferral, status=bounced) with the bounce message: one event" ||
		ko "(d) one event" "$(evcount "$D") events for $D, $(evcount ghost-lmtp@example.net) for ghost-lmtp; $(cat "$T/log2.err"); $(grep "$D" "$T/maillog")"
else
	ko "(d) Postfix never deferred $D" "$(diag)"
fi

stop_all
left=$(ps -eo pid=,args= | grep -F "$T/" | grep -v grep)
[ -z "$left" ] && ok "stopped: nothing of the test left running" || ko "processes left" "$left"
finish
