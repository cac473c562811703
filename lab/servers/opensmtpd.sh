# SPDX-License-Identifier: BSD-2-Clause
# opensmtpd.sh - the sending MTA: Debian's OpenSMTPD (package opensmtpd),
# with the lab's /etc/smtpd.conf.

srv_install() {
	echo "opensmtpd opensmtpd/mailname string mail.example.com" |
		debconf-set-selections
	echo "opensmtpd opensmtpd/root_address string" | debconf-set-selections
	pkg_install opensmtpd opensmtpd
}

srv_version() { echo "OpenSMTPD $(pkg_version opensmtpd)"; }

# smtpd_conf [delayed]: "delayed" keeps a failing message a day and warns
# after 10 s; otherwise the queue gives a message up after 10 s.
smtpd_conf() {
	ttl=10s warn=
	[ "${1:-}" = delayed ] && { ttl=1d; warn="bounce warn-interval 10s"; }
	echo mail.example.com >/etc/mailname
	cat >/etc/smtpd.conf <<CONF
queue ttl $ttl
$warn
smtp max-message-size 10M
listen on $SENDER_IP port 25 hostname mail.example.com

action "local" mbox
action "lmtp" lmtp "127.0.25.4:24" rcpt-to
action "relay" relay src "$SENDER_IP" helo mail.example.com
action "noptr" relay src "127.0.25.9" helo mail.example.com
action "listed" relay src "127.0.25.10" helo mail.example.com

match from any for domain { "example.com", "mail.example.com", "nosender.example" } action "local"
match from any for domain "example.org" action "lmtp"
match from src 127.0.0.0/8 for domain "noptr.example.net" action "noptr"
match from src 127.0.0.0/8 for domain "dnsbl.example.net" action "listed"
match from src 127.0.0.0/8 for any action "relay"
CONF
}

srv_configure() { smtpd_conf; }

srv_start() {
	ns smtpd -f /etc/smtpd.conf >"$T/smtpd-start.log" 2>&1 ||
		{ cat "$T/smtpd-start.log" >&2; return 1; }
	wait_port "$SENDER_IP" 25
}

srv_stop() {
	pgrep -f "^smtpd -f /etc/smtpd.conf" >"$T/smtpd.pid" || return 0
	smtpctl stop >/dev/null 2>&1
	stop_pid "$T/smtpd.pid"
}

srv_purge() { pkg_purge opensmtpd; rm -rf /etc/smtpd.conf /var/spool/smtpd; }

srv_inject() {
	python3 "$LAB/inject.py" "$SENDER_IP" 25 "$1" opensmtpd "$2" "$3" "$4" "$5"
}

# OpenSMTPD checks a local recipient when it is given ("550 Invalid
# recipient", by SMTP and by its sendmail alike): an unknown local user
# never gets a bounce from it.
# Its lmtp action delivers only for users of its userbase (system users):
# Dovecot's unknown user and full mailbox are refused at RCPT by OpenSMTPD
# itself, so they make no bounce.
# Its SMTP client waits five minutes for a greeting, which the lab does
# not wait for (timeout, and the delay notice, which uses the silent host).
SRV_SKIP="localuser lmtpunknown mailboxfull sievereject timeout delayed tlsrequired"
SRV_SKIP_WHY="OpenSMTPD refuses an unknown local user when it is given and a recipient its lmtp action has no system user for, waits 5 minutes for a greeting, and uses STARTTLS when offered (the TLS-required host then takes the message)"

# srv_truth: OpenSMTPD reads the receiver's EHLO SIZE and gives the
# message up itself ("message too large for peer", its own status).  A
# temporary failure that outlives "queue ttl" is reported as "Envelope
# expired" in a notice whose Action is delayed, without the receiver's
# reply: its own status, no code, and expired is an honest reading.
srv_truth() {
	case $1 in
	mesgtoobig) echo "- -" ;;
	rejected|requireptr|greylisting|toomanyconn|refused)
		echo "- - expired" ;;
	esac
}

srv_scenario_begin() {
	case $1 in
	delayed) srv_stop; smtpd_conf delayed; srv_start ;;
	esac
}

srv_scenario_end() {
	smtpctl remove all >/dev/null 2>&1
	case $1 in
	delayed) srv_stop; smtpd_conf; srv_start ;;
	esac
}
