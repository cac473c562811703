# SPDX-License-Identifier: BSD-2-Clause
# nullmailer.sh - the sending MTA: nullmailer (package nullmailer), a
# relay-only MTA.  It does not listen and has no MX lookup: every message
# goes to the remotes of /etc/nullmailer/remotes in turn.  The lab makes
# the scenario's receiver its smarthost (the receiving Postfix's listener,
# the scripted server, the silent or the refusing address), so that the
# failure nullmailer reports is the one its smarthost gave.
#
# Its notices (nullmailer-dsn, DSNs) are queued and sent like any other
# message, through the same remotes, so the sender's home is a remote too:
# the sink (lab/smtpd.py sink on 127.0.25.1:25) takes mail for example.com
# and nosender.example into /var/mail/sender and answers 451 for any other
# domain, so that nullmailer goes on to its next remote for those.  Where
# the receiver fails permanently the sink is the first remote (the
# receiver's 5xx bounces at once); where it fails temporarily the receiver
# is first: nullmailer sends a delay notice with the first temporary
# error, and a bounce when the message outlives queuelifetime (8 s here),
# and both must state the receiver's error, not the sink's.  The notices
# tried at the receiving Postfix first are relayed by it to the sink
# (relay_domains in lab/rx/main.cf).

SRV_SKIP="localuser hostunknown lmtpunknown mailboxfull sievereject timeout delayed delivered"
SRV_SKIP_WHY="nullmailer only relays to a smarthost (no local delivery, no MX lookup, no LMTP) and makes neither delay nor delivery notices; for a silent server its notice (after about 5 minutes) states no reason at all (an empty Diagnostic-Code, Status 5.0.0)"

srv_install() {
	echo "nullmailer shared/mailname string mail.example.com" | debconf-set-selections
	echo "nullmailer nullmailer/relayhost string 127.0.25.1" | debconf-set-selections
	echo "nullmailer nullmailer/adminaddr string" | debconf-set-selections
	pkg_install nullmailer nullmailer
}

srv_version() { echo "nullmailer $(pkg_version nullmailer)"; }

# nm_remotes first|last ADDR [SOURCE]: the sink first or last, the
# receiver at ADDR the other.
nm_remotes() {
	sink="$SENDER_IP smtp"
	rcv="$2 smtp --source=${3:-$SENDER_IP}"
	if [ "$1" = first ]; then
		printf '%s\n%s\n' "$sink" "$rcv"
	else
		printf '%s\n%s\n' "$rcv" "$sink"
	fi >/etc/nullmailer/remotes
	chown mail /etc/nullmailer/remotes; chmod 600 /etc/nullmailer/remotes
}

# zone_addr DOMAIN: the address the lab's zone gives DOMAIN's MX (or A).
zone_addr() {
	mx=$(awk -v d="$1" '$1 == d && $2 == "MX" { print $4; exit }' "$LAB/zone")
	awk -v h="${mx:-$1}" '$1 == h && $2 == "A" { print $3; exit }' "$LAB/zone"
}

srv_configure() {
	echo mail.example.com >/etc/mailname
	echo example.com >/etc/nullmailer/defaultdomain
	echo mail.example.com >/etc/nullmailer/helohost
	echo 8 >/etc/nullmailer/queuelifetime
	echo 1 >/etc/nullmailer/pausetime
	echo 2 >/etc/nullmailer/maxpause
	echo 5 >/etc/nullmailer/sendtimeout
	rm -f /etc/nullmailer/adminaddr
	nm_remotes first 127.0.25.2
}

srv_start() {
	ns setsid python3 "$LAB/smtpd.py" "$SENDER_IP" 25 "$T/sink.pid" sink \
		"$MBOX" example.com nosender.example </dev/null >"$T/sink.log" 2>&1 &
	# the daemon writes its own pid ($! would be the shell's subshell)
	ns setsid sh -c 'echo $$ >"$0"; exec setpriv --reuid=mail --regid=mail \
		--init-groups nullmailer-send' "$T/nullmailer.pid" \
		</dev/null >"$T/nullmailer.log" 2>&1 &
	wait_port "$SENDER_IP" 25
}

srv_stop() { stop_pid "$T/nullmailer.pid"; stop_pid "$T/sink.pid"; }

srv_purge() {
	pkg_purge nullmailer
	rm -rf /etc/nullmailer /var/spool/nullmailer
}

srv_inject() {
	python3 "$LAB/inject.py" --sendmail /usr/sbin/sendmail "$1" nullmailer \
		"$2" "$3" - "$5"
}

srv_scenario_begin() {
	src=
	case $1 in
	requireptr) src=127.0.25.9 ;;
	dnsbl) src=127.0.25.10 ;;
	esac
	case $1 in
	rejected|requireptr|greylisting|refused|toomanyconn) sink=last ;;
	*) sink=first ;;
	esac
	nm_remotes $sink "$(zone_addr "$2")" $src
}

# A temporary failure that outlives queuelifetime is given up with the
# last error: a reply's status (its first three digits: 4.7.25 becomes
# "Status: 4.7.2") in a notice whose Action is "delayed" (nullmailer-dsn
# writes a delay form for any 4.x.x status), or, where the connection
# failed, its own "5.0.0" and "Connect failed".
srv_truth() {
	case $1 in
	refused|timeout) echo "- -" ;;
	esac
}

srv_scenario_end() {
	rm -f /var/spool/nullmailer/queue/* /var/spool/nullmailer/failed/* 2>/dev/null
}
