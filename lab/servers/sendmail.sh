# SPDX-License-Identifier: BSD-2-Clause
# sendmail.sh - the sending MTA: Sendmail (packages sendmail-bin,
# sendmail-cf), with the lab's sendmail.mc compiled by m4.  Its client
# address is one for all mail (CLIENT_OPTIONS), it has no LMTP over TCP,
# uses STARTTLS when offered and refuses an unknown local user when it is
# given: those scenarios are left out.

SRV_SKIP="localuser requireptr dnsbl lmtpunknown mailboxfull sievereject tlsrequired"
SRV_SKIP_WHY="Sendmail refuses an unknown local user when given (by SMTP and by its sendmail -Am), has one client address for all mail, no LMTP over TCP, and uses STARTTLS when offered"

# Sendmail tells the postmaster (root) of each bounce: root's mailbox is
# removed at the end when the lab made it.
srv_install() {
	[ -e /var/mail/root ] || : >"$T/sendmail-made-root-mbox"
	pkg_install sendmail sendmail-bin sendmail-cf m4
}

srv_version() { echo "Sendmail $(pkg_version sendmail-bin)"; }

# sendmail_conf [delayed]: "delayed" warns after 10 s and keeps a failing
# message an hour; otherwise a message is returned at the first queue run
# after a temporary failure.
sendmail_conf() {
	ret=1s warn=1h
	[ "${1:-}" = delayed ] && { ret=1h; warn=10s; }
	mkdir -p /etc/mail "$T/mqueue"
	chmod 700 "$T/mqueue"
	printf 'example.com\nmail.example.com\nnosender.example\n' \
		>/etc/mail/local-host-names
	cat >/etc/mail/lab.mc <<MC
divert(-1)
# the bounce lab's Sendmail (lab/servers/sendmail.sh)
divert(0)dnl
include(\`/usr/share/sendmail/cf/m4/cf.m4')dnl
VERSIONID(\`bounce lab')dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`mail.example.com')dnl
define(\`confCW_FILE', \`/etc/mail/local-host-names')dnl
define(\`ALIAS_FILE', \`/etc/mail/aliases')dnl
define(\`QUEUE_DIR', \`$T/mqueue')dnl
define(\`confPID_FILE', \`$T/sendmail.pid')dnl
define(\`confTO_QUEUERETURN', \`$ret')dnl
define(\`confTO_QUEUEWARN', \`$warn')dnl
define(\`confTO_CONNECT', \`5s')dnl
define(\`confTO_ICONNECT', \`5s')dnl
define(\`confTO_INITIAL', \`5s')dnl
define(\`confTO_HELO', \`5s')dnl
define(\`confMIN_QUEUE_AGE', \`0s')dnl
define(\`confDELIVERY_MODE', \`background')dnl
define(\`confDONT_PROBE_INTERFACES', \`true')dnl
define(\`confNO_RCPT_ACTION', \`add-to-undisclosed')dnl
define(\`LOCAL_MAILER_PATH', \`/usr/libexec/sendmail/mail.local')dnl
define(\`confEBINDIR', \`/usr/libexec/sendmail')dnl
DAEMON_OPTIONS(\`Family=inet, Name=MTA-v4, Port=smtp, Addr=$SENDER_IP')dnl
CLIENT_OPTIONS(\`Family=inet, Addr=$SENDER_IP')dnl
FEATURE(\`use_cw_file')dnl
FEATURE(\`promiscuous_relay')dnl
FEATURE(\`accept_unresolvable_domains')dnl
define(\`LOCAL_MAILER_ARGS', \`mail.local -d \$u')dnl
MAILER(\`local')dnl
MAILER(\`smtp')dnl
MC
	m4 /etc/mail/lab.mc >/etc/mail/sendmail.cf 2>"$T/sendmail-m4.log"
	printf 'postmaster: root\nMAILER-DAEMON: postmaster\n' >/etc/mail/aliases
	/usr/sbin/sendmail -bi >/dev/null 2>&1 || :
}

srv_configure() { sendmail_conf; }

srv_start() {
	ns /usr/sbin/sendmail -bd -q5s >"$T/sendmail-start.log" 2>&1 ||
		{ cat "$T/sendmail-start.log" >&2; return 1; }
	wait_port "$SENDER_IP" 25
}

srv_stop() {
	[ -s "$T/sendmail.pid" ] || return 0
	head -1 "$T/sendmail.pid" >"$T/sendmail.pid1"
	stop_pid "$T/sendmail.pid1"
	rm -f "$T/sendmail.pid"
}

srv_purge() {
	pkg_purge sendmail
	[ -e "$T/sendmail-made-root-mbox" ] && rm -f /var/mail/root "$T/sendmail-made-root-mbox"
	rm -rf /etc/mail /var/spool/mqueue /var/spool/mqueue-client
}

srv_inject() {
	python3 "$LAB/inject.py" "$SENDER_IP" 25 "$1" sendmail "$2" "$3" "$4" "$5"
}

srv_scenario_begin() {
	case $1 in
	delayed) srv_stop; sendmail_conf delayed; srv_start ;;
	esac
}

srv_scenario_end() {
	rm -f "$T"/mqueue/* 2>/dev/null
	case $1 in
	delayed) srv_stop; sendmail_conf; srv_start ;;
	esac
}
