# SPDX-License-Identifier: BSD-2-Clause
# postfix.sh - the sending MTA: Debian's Postfix (package postfix).
# Functions: srv_install srv_configure srv_start srv_stop srv_purge
# srv_version srv_scenario_begin srv_scenario_end.

srv_install() {
	echo "postfix postfix/main_mailer_type select No configuration" |
		debconf-set-selections
	pkg_install postfix postfix
}

srv_version() { echo "Postfix $(pkg_version postfix)"; }

srv_configure() {
	cat >/etc/postfix/main.cf <<MAIN
compatibility_level = 3.6
myhostname = mail.example.com
mydomain = example.com
myorigin = example.com
mydestination = example.com, mail.example.com, nosender.example, localhost
inet_interfaces = loopback-only
inet_protocols = ipv4
smtp_bind_address = $SENDER_IP
lmtp_bind_address = $SENDER_IP
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
biff = no
smtputf8_enable = no
maillog_file_prefixes = /tmp
maillog_file = $T/postfix.log
transport_maps = texthash:/etc/postfix/transport
maximal_queue_lifetime = 0
bounce_queue_lifetime = 0
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 10s
smtp_connect_timeout = 5s
smtp_helo_timeout = 5s
smtp_tls_security_level = none
MAIN
	cat >/etc/postfix/transport <<TRANSPORT
noptr.example.net smtp-noptr:
dnsbl.example.net smtp-listed:
example.org lmtp:inet:[127.0.25.4]:24
TRANSPORT
	postconf -F '*/*/chroot = n'
	postconf -MX smtp/inet
	postconf -M "$SENDER_IP:smtp/inet=$SENDER_IP:smtp inet n - n - - smtpd"
	postconf -M "smtp-noptr/unix=smtp-noptr unix - - n - - smtp -o smtp_bind_address=127.0.25.9"
	postconf -M "smtp-listed/unix=smtp-listed unix - - n - - smtp -o smtp_bind_address=127.0.25.10"
	postconf -M "postlog/unix-dgram=postlog unix-dgram n - n - 1 postlogd"
}

srv_start() {
	ns postfix start >"$T/postfix-start.log" 2>&1 ||
		{ cat "$T/postfix-start.log" >&2; return 1; }
	wait_port "$SENDER_IP" 25
}

srv_stop() {
	postfix stop >/dev/null 2>&1
	i=0
	while [ -s /var/spool/postfix/pid/master.pid ] &&
		kill -0 "$(tr -d ' ' </var/spool/postfix/pid/master.pid)" 2>/dev/null &&
		[ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
}

srv_purge() { pkg_purge postfix; rm -rf /etc/postfix /var/spool/postfix /var/lib/postfix; }

# srv_inject SCENARIO FROM RCPT NOTIFY SIZE
srv_inject() {
	python3 "$LAB/inject.py" "$SENDER_IP" 25 "$1" postfix "$2" "$3" "$4" "$5"
}

# srv_truth SCENARIO: "STATUS CODE" where this server answers a scenario
# itself: Postfix reads the receiver's EHLO SIZE and does not send a
# message over it (its own 5.3.4, no reply from the receiver).
srv_truth() {
	case $1 in
	mesgtoobig) echo "- -" ;;
	esac
}

srv_scenario_begin() {
	case $1 in
	delayed)
		postconf -e maximal_queue_lifetime=1h bounce_queue_lifetime=1h \
			delay_warning_time=10s && postfix reload >/dev/null 2>&1 ;;
	esac
}

srv_scenario_end() {
	postsuper -d ALL >/dev/null 2>&1
	case $1 in
	delayed)
		postconf -e maximal_queue_lifetime=0 bounce_queue_lifetime=0 \
			delay_warning_time=0h && postfix reload >/dev/null 2>&1 ;;
	esac
}
