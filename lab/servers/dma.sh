# SPDX-License-Identifier: BSD-2-Clause
# dma.sh - the sending MTA: DragonFly Mail Agent (package dma).  It does
# not listen: each message is handed to its sendmail, which delivers it by
# MX at once (in the lab's namespace, for the lab's resolver) and writes a
# bounce to the local sender's mailbox.  It has no queue lifetime setting
# (a temporary failure is retried for days), no DSN NOTIFY, no source
# address and no envelope sender of another domain.

SRV_SKIP="localuser lmtpunknown mailboxfull sievereject ldafull ldaunknown rejected requireptr dnsbl greylisting refused timeout toomanyconn delayed delivered"
SRV_SKIP_WHY="dma retries a temporary failure for days, has no DSN NOTIFY, no source address and no LMTP, delivers only a local sender's bounces, made no notice for an unknown local user, and does not listen for the notices a receiver sends back (Dovecot's LDA)"

srv_install() {
	echo "dma dma/mailname string mail.example.com" | debconf-set-selections
	echo "dma dma/relayhost string" | debconf-set-selections
	pkg_install dma dma
}

srv_version() { echo "dma $(pkg_version dma)"; }

srv_configure() {
	echo mail.example.com >/etc/mailname
	cat >/etc/dma/dma.conf <<CONF
MAILNAME mail.example.com
CONF
}

srv_start() { :; }
srv_stop() { :; }
srv_purge() { pkg_purge dma; rm -rf /etc/dma /var/spool/dma; }

# The envelope sender is the local user "sender": dma writes a bounce
# only to a local sender.
srv_inject() {
	ns python3 "$LAB/inject.py" --sendmail /usr/sbin/sendmail "$1" dma \
		sender "$3" - "$5"
}

srv_scenario_begin() { :; }
srv_scenario_end() { rm -f /var/spool/dma/* 2>/dev/null; }
