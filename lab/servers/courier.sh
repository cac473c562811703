# SPDX-License-Identifier: BSD-2-Clause
# courier.sh - the sending MTA: the Courier mail server (package
# courier-mta), configured in /etc/courier: courierd (the queue, local
# delivery to /var/mail/sender), esmtpd on 127.0.25.1:25, courieresmtp for
# the remote deliveries; authdaemond for the local user lookups.

srv_install() {
	echo "courier-base courier-base/webadmin-configmode boolean false" | debconf-set-selections
	echo "courier-base courier-base/maildirpath string Maildir" | debconf-set-selections
	echo "courier-mta courier-mta/defaultdomain string example.com" | debconf-set-selections
	pkg_install courier courier-mta
}

srv_version() { echo "Courier $(pkg_version courier-mta)"; }

C=/etc/courier

# courier_times [delayed]: a temporary failure is retried every 2 s and
# given up after 20 s; "delayed" keeps it an hour and warns after 5 s.
courier_times() {
	echo 2s >$C/retryalpha; echo 3 >$C/retrybeta
	echo 2s >$C/retrygamma; echo 1 >$C/retrymaxdelta
	if [ "${1:-}" = delayed ]; then
		echo 1h >$C/queuetime; echo 5s >$C/warntime
	else
		echo 20s >$C/queuetime; echo 1h >$C/warntime
	fi
}

srv_configure() {
	echo mail.example.com >/etc/mailname
	echo mail.example.com >$C/me
	echo example.com >$C/defaultdomain
	echo mailer-daemon@mail.example.com >$C/dsnfrom
	printf 'localhost\nmail.example.com\nexample.com\nnosender.example\n' >$C/locals
	printf '127\tallow,RELAYCLIENT\n' >$C/smtpaccess/default
	# a notice for mail taken by SMTP from a relay client is not backscatter
	echo "opt BOFHSUPPRESSBACKSCATTER=none" >$C/bofh
	for f in esmtptimeoutconnect esmtptimeouthelo esmtptimeout \
		esmtptimeoutdata esmtptimeoutquit esmtptimeoutkeepalive; do
		echo 5s >$C/$f
	done
	courier_times
	# the sender's own address as every sending MTA of the lab (without
	# it the kernel picks 127.0.0.1, which the receivers' per-client
	# limits count apart: the 421 at greeting was never given)
	echo "$SENDER_IP" >$C/ipout
	sed -i -e 's/^ADDRESS=.*//' -e 's/^BOFHCHECKDNS=.*/BOFHCHECKDNS=0/' \
		-e 's/^TARPIT=.*/TARPIT=0/' -e 's/^ESMTPDSTART=.*/ESMTPDSTART=YES/' \
		-e 's|^PIDFILE=.*|PIDFILE=/run/courier/esmtpd.pid|' $C/esmtpd
	echo "ADDRESS=$SENDER_IP" >>$C/esmtpd
	sed -i -e 's|^DEFAULTDELIVERY=.*|DEFAULTDELIVERY=/var/mail/sender|' \
		-e 's/^ESMTP_USE_STARTTLS=.*/ESMTP_USE_STARTTLS=0/' \
		-e 's/^ESMTP_BLOCKBACKSCATTER=.*/ESMTP_BLOCKBACKSCATTER=/' $C/courierd
	# local delivery runs in the recipient's home: the lab's sender has
	# none (/nonexistent), so it gets one for the run (srv_purge resets it)
	mkdir -p "$T/senderhome" && chown sender "$T/senderhome"
	usermod -d "$T/senderhome" sender
	mkdir -p /run/courier /run/courier/authdaemon
	/usr/sbin/makesmtpaccess >/dev/null 2>&1
	/usr/sbin/makealiases >/dev/null 2>&1
}

srv_start() {
	ns /usr/sbin/authdaemond start >"$T/courier-start.log" 2>&1
	ns /usr/sbin/courier start >>"$T/courier-start.log" 2>&1 &&
	ns /usr/sbin/esmtpd start >>"$T/courier-start.log" 2>&1 ||
		{ cat "$T/courier-start.log" >&2; return 1; }
	wait_port "$SENDER_IP" 25
}

srv_stop() {
	/usr/sbin/esmtpd stop >/dev/null 2>&1
	/usr/sbin/courier stop >/dev/null 2>&1
	/usr/sbin/authdaemond stop >/dev/null 2>&1
	sleep 1
}

srv_purge() {
	usermod -d /nonexistent sender
	pkg_purge courier
	rm -rf /etc/courier /var/lib/courier /run/courier /etc/courier-authlib
}

srv_inject() {
	case $1 in
	localuser)
		# by its sendmail (submit), not SMTP, where esmtpd refuses it
		ns python3 "$LAB/inject.py" --sendmail /usr/sbin/sendmail "$1" \
			courier "$2" "$3" "$4" "$5" ;;
	*)
		python3 "$LAB/inject.py" "$SENDER_IP" 25 "$1" courier "$2" "$3" "$4" "$5" ;;
	esac
}

srv_scenario_begin() {
	case $1 in
	requireptr) echo 127.0.25.9 >$C/ipout ;;
	dnsbl) echo 127.0.25.10 >$C/ipout ;;
	delayed) srv_stop; courier_times delayed; srv_start ;;
	esac
}

srv_scenario_end() {
	# the queue emptied: every message cancelled
	for id in $(mailq 2>/dev/null | awk '/^[0-9A-F]+\.[0-9A-F]+\.[0-9A-F]+/ { print $1 }'); do
		cancelmsg "$id" >/dev/null 2>&1
	done
	case $1 in
	requireptr|dnsbl) echo "$SENDER_IP" >$C/ipout ;;
	delayed) srv_stop; courier_times; srv_start ;;
	esac
}

SRV_SKIP="lmtpunknown mailboxfull sievereject"
SRV_SKIP_WHY="Courier has no LMTP client"
