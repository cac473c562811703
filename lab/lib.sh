# SPDX-License-Identifier: BSD-2-Clause
# lib.sh - what every server script of the bounce lab shares: the private
# resolver view, package install and purge, the receivers, collection.
# Sourced by lab/run.sh; needs root on Debian.

LAB=${LAB:-$(cd "$(dirname "$0")" && pwd)}
REPO=$(cd "$LAB/.." && pwd)
T=${LAB_TMP:-/tmp/bklab}
OUT=${LAB_OUT:-$REPO/tests/lab}
RX=$T/rx			# the receiving Postfix's instance
PF=$T/pfroot			# the receiving Postfix's binaries (from its .deb)
SENDER_IP=127.0.25.1
APT="apt-get -y -q -o DPkg::Lock::Timeout=600"
. "$REPO/scripts/postfix-deb.sh"	# pfdeb_unpack, pfdeb_spool

say() { echo "lab: $*" >&2; }
die() { echo "lab: $*" >&2; exit 1; }

# ns CMD...: run CMD in a private mount namespace where /etc/resolv.conf
# names the lab's resolver and /etc/hosts the lab's hosts.  The machine's
# own files are never touched: the bind mounts exist only for CMD and the
# daemons it starts.
ns() {
	unshare -m sh -c 'mount --bind "$0/resolv.conf" /etc/resolv.conf &&
		mount --bind "$0/hosts" /etc/hosts && exec "$@"' "$T" "$@" 9>&-
}

lab_prepare() {
	mkdir -p "$T" "$OUT"
	echo "nameserver 127.0.25.53" >"$T/resolv.conf"
	echo "options timeout:1 attempts:1" >>"$T/resolv.conf"
	# the machine's own name too: an MTA that looks itself up (Sendmail)
	# finds mail.example.com at once
	printf '127.0.0.1\tlocalhost\n127.0.25.1\tmail.example.com %s\n' \
		"$(hostname)" >"$T/hosts"
	# The lab's users: the sender's mailbox, the receiving Postfix's owner.
	for u in sender bklabpf; do
		if ! getent passwd "$u" >/dev/null; then
			useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$u"
			echo "$u" >>"$T/users.created"
		fi
	done
	getent group bklabpd >/dev/null || { groupadd -r bklabpd &&
		echo bklabpd >>"$T/groups.created"; }
}

# --- packages -------------------------------------------------------------

# pkg_install NAME PKG...: install with service starts denied; the
# packages this install adds (apt's own simulation, taken before it runs,
# so that what another user of the machine installs meanwhile is never
# counted) are kept for pkg_purge to remove exactly those.
pkg_install() {
	name=$1; shift
	DEBIAN_FRONTEND=noninteractive apt-get -s -q install \
		--no-install-recommends "$@" 2>/dev/null |
		sed -n 's/^Inst \([^ ]*\) .*/\1/p' >>"$T/pkgs-$name"
	made_policy=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		made_policy=1
	fi
	DEBIAN_FRONTEND=noninteractive $APT install --no-install-recommends \
		"$@" >"$T/apt-$name.log" 2>&1
	rc=$?
	[ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
	[ $rc -eq 0 ] || { tail -20 "$T/apt-$name.log" >&2; return 1; }
}

pkg_purge() {
	name=$1
	[ -s "$T/pkgs-$name" ] || return 0
	DEBIAN_FRONTEND=noninteractive $APT purge $(cat "$T/pkgs-$name") \
		>"$T/purge-$name.log" 2>&1 || tail -5 "$T/purge-$name.log" >&2
	rm -f "$T/pkgs-$name"
}

pkg_version() {
	dpkg-query -W -f '${Version}' "$1" 2>/dev/null
}

# --- daemons --------------------------------------------------------------

# stop_pid FILE: stop the process whose id FILE holds, wait for it.
stop_pid() {
	[ -s "$1" ] || return 0
	pid=$(cat "$1")
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null
	rm -f "$1"
}

# wait_port ADDR PORT: until something listens there (10 s at most).
wait_port() {
	i=0
	while [ $i -lt 100 ]; do
		python3 -c "import socket,sys; socket.create_connection(('$1', $2), 1).close()" \
			2>/dev/null && return 0
		sleep 0.1; i=$((i + 1))
	done
	say "nothing listens on $1:$2"; return 1
}

helpers_start() {
	ns setsid python3 "$LAB/dns.py" 127.0.25.53 "$LAB/zone" "$T/dns.pid" \
		</dev/null >"$T/dns.log" 2>&1 &
	ns setsid python3 "$LAB/smtpd.py" 127.0.25.5 25 "$T/silent.pid" silent \
		</dev/null >"$T/silent.log" 2>&1 &
	ns setsid python3 "$LAB/smtpd.py" 127.0.25.11 25 "$T/script.pid" script \
		"$LAB/replies.tsv" </dev/null >"$T/script.log" 2>&1 &
	wait_port 127.0.25.53 53 && wait_port 127.0.25.5 25 &&
		wait_port 127.0.25.11 25
}

helpers_stop() {
	stop_pid "$T/dns.pid"; stop_pid "$T/silent.pid"; stop_pid "$T/script.pid"
}

# --- the receivers: Postfix (from its .deb, unpacked, never installed), ----
# --- Dovecot LMTP with quota, postgrey ----------------------------------

rx_setup() {
	# scripts/postfix-deb.sh: the .deb (cached), unpacked; the queue
	pfdeb_unpack "$PF" || die "cannot download postfix's .deb"
	rm -rf "$RX"
	mkdir -p "$RX/etc" "$RX/data" "$RX/vmail"
	pfdeb_spool "$RX/spool" bklabpf bklabpd
	chown bklabpf "$RX/data" "$RX/vmail"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=tls.example.net \
		-keyout "$RX/etc/key.pem" -out "$RX/etc/cert.pem" >/dev/null 2>&1
	uid=$(id -u bklabpf); gid=$(id -g bklabpf)
	sed -e "s|@RX@|$RX|g" -e "s|@PF@|$PF|g" -e "s|@UID@|$uid|g" \
		-e "s|@GID@|$gid|g" "$LAB/rx/main.cf" >"$RX/etc/main.cf"
	sed -e "s|@D@|$T/dovecot|g" "$LAB/rx/master.cf" >"$RX/etc/master.cf"
	cp "$LAB/rx/vmailbox" "$RX/etc/vmailbox"
	printf 'grey.example.net greylist\n' >"$RX/etc/greylist"
	printf 'example.com smtp:[%s]\nnosender.example smtp:[%s]\nlda.example.org dovecot:\n' \
		"$SENDER_IP" "$SENDER_IP" >"$RX/etc/transport"
}

rx_start() {
	ns env LD_LIBRARY_PATH="$PF/usr/lib/postfix" \
		"$PF/usr/sbin/postfix" -c "$RX/etc" start ||
		{ cat "$RX/maillog" >&2; return 1; }
	wait_port 127.0.25.2 25
}

rx_stop() {
	[ -s "$RX/spool/pid/master.pid" ] || return 0
	LD_LIBRARY_PATH="$PF/usr/lib/postfix" "$PF/usr/sbin/postfix" \
		-c "$RX/etc" stop >/dev/null 2>&1
}

# rx_prime: one connection to the rate-limited listener from the sender's
# address, so that the sender's own is the one too many (421 at greeting).
rx_prime() {
	python3 - <<EOF
import smtplib
s = smtplib.SMTP(timeout=10, source_address=("$SENDER_IP", 0))
s.connect("127.0.25.6", 25)
s.quit()
EOF
}

dovecot_setup() {
	D=$T/dovecot
	rm -rf "$D"; mkdir -p "$D/run" "$D/state" "$D/home"
	chown mail:mail "$D/home"
	sed -e "s|@D@|$D|g" "$LAB/rx/dovecot.conf" >"$D/dovecot.conf"
	cat >"$D/users" <<EOF
user@example.org::8:8::$D/home/user::
full@example.org::8:8::$D/home/full::userdb_quota_rule=*:storage=1B
reject@example.org::8:8::$D/home/reject::
full@lda.example.org::8:8::$D/home/ldafull::userdb_quota_rule=*:storage=1B
EOF
	# dovecot-lda runs as mail (the receiving Postfix's pipe): its log
	: >"$D/lda.log"; chown mail:mail "$D/lda.log"
	# the Sieve user: its script rejects every message (RFC 5429 reject)
	mkdir -p "$D/home/reject"
	cat >"$D/home/reject/.dovecot.sieve" <<EOF
require "reject";
reject "Your message was refused by the recipient's mail filter.";
EOF
	chown -R mail:mail "$D/home/reject"
}

dovecot_start() {
	ns dovecot -c "$T/dovecot/dovecot.conf" && wait_port 127.0.25.4 24
}

dovecot_stop() {
	doveadm -c "$T/dovecot/dovecot.conf" stop 2>/dev/null
	stop_pid "$T/dovecot/run/master.pid" 2>/dev/null
}

postgrey_start() {
	# a fresh database: a triplet seen in an earlier run (more than
	# --delay ago) or an auto-whitelisted client would pass at once
	rm -rf "$T/postgrey"
	mkdir -p "$T/postgrey"; chown postgrey "$T/postgrey" 2>/dev/null
	ns postgrey --inet=127.0.25.2:10023 --dbdir="$T/postgrey" \
		--pidfile="$T/postgrey.pid" --daemonize --user=postgrey \
		--delay=3600 \
		--greylist-text="Greylisted, see http://greylist.example.org/help/%r.html" >"$T/postgrey.log" 2>&1 && wait_port 127.0.25.2 10023
}

postgrey_stop() { stop_pid "$T/postgrey.pid"; }

receivers_install() {
	pkg_install receivers dovecot-core dovecot-lmtpd dovecot-sieve postgrey openssl
}

receivers_start() {
	helpers_start && rx_setup && rx_start && dovecot_setup && dovecot_start &&
		postgrey_start
}

receivers_stop() {
	postgrey_stop; dovecot_stop; rx_stop; helpers_stop
}

# --- collection -------------------------------------------------------------

MBOX=/var/mail/sender

# mbox_pick SCENARIO [DEST]: the last message of the sender's mailbox
# that is about SCENARIO's test message (its Subject "bounce lab:
# SCENARIO" quoted in the bounce), as the mailbox holds it (its "From "
# line included); written to DEST, or only tested for without one.  A late
# notice about another scenario is never taken for this one's.
mbox_pick() {
	python3 - "$MBOX" "$@" <<'PY'
import re, sys
d = open(sys.argv[1], "rb").read() if sys.argv[1] else b""
starts = [m.start() for m in re.finditer(rb"(?m)^From ", d)] + [len(d)]
want = re.compile(rb"bounce lab: " + re.escape(sys.argv[2].encode()) + rb"\r?$", re.M)
hits = [d[a:b] for a, b in zip(starts, starts[1:]) if want.search(d[a:b])]
if not hits:
    sys.exit(1)
if len(sys.argv) > 3:
    open(sys.argv[3], "wb").write(hits[-1])
PY
}

# wait_mail SCENARIO SECONDS: until the mailbox holds SCENARIO's notice.
wait_mail() {
	i=0
	while ! mbox_pick "$1" 2>/dev/null && [ $i -lt "$2" ]; do
		sleep 1; i=$((i + 1))
	done
	mbox_pick "$1" 2>/dev/null
}

# take_mail SCENARIO DEST: SCENARIO's notice to DEST; the mailbox emptied.
take_mail() {
	mbox_pick "$1" "$2" && : >"$MBOX"
}
