#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run.sh - the bounce lab: real mail servers make bounces for known
# failures; each bounce is collected from the sender's mailbox into
# tests/lab/SERVER/SCENARIO.eml with its truth in tests/lab/manifest.tsv.
#
# usage: lab/run.sh [SERVER [SCENARIO...]]     (as root, on Debian)
#        lab/run.sh --list
# LAB_KEEP=1 keeps the receivers' packages installed at the end (for a
# series of single runs; the last run without it purges them).
# LAB_WAIT=SECONDS waits that long for each notice (default: the server
# script's SRV_WAIT, else 120).
# Without arguments every server in lab/servers/ runs every scenario of
# lab/scenarios.tsv.  Each server is installed from Debian's packages,
# configured, run, and purged before the next; the receivers (a Postfix
# unpacked from its .deb, Dovecot LMTP, postgrey, the scripted server and
# the resolver) run on 127.0.25.0/24 for the whole run.  Nothing listens
# off loopback and the machine's /etc/resolv.conf is never touched.
set -u
LAB=$(cd "$(dirname "$0")" && pwd)
. "$LAB/lib.sh"

SERVERS="postfix exim opensmtpd sendmail dma nullmailer courier haraka harakatmpl"

if [ "${1:-}" = "--list" ]; then
	echo "servers: $SERVERS"
	echo "scenarios: $(grep -v '^#' "$LAB/scenarios.tsv" | cut -f1 | tr '\n' ' ')"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "run as root (it installs and purges mail servers)"
command -v unshare >/dev/null || die "needs unshare (util-linux)"
mkdir -p "$T"
exec 9>"$T/lock"
flock -w 900 9 || die "another lab run holds $T/lock"

cleanup() {
	set +e
	command -v srv_stop >/dev/null 2>&1 && srv_stop
	[ -n "${CUR:-}" ] && srv_purge
	receivers_stop
	[ -n "${LAB_KEEP:-}" ] || pkg_purge receivers
	for u in $(cat "$T/users.created" 2>/dev/null); do userdel "$u"; done
	for g in $(cat "$T/groups.created" 2>/dev/null); do groupdel "$g"; done
	rm -f "$T/users.created" "$T/groups.created" /var/mail/sender
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

MANIFEST=$OUT/manifest.tsv

# dsn_status FILE: the Status of the first per-recipient field group of the
# bounce's delivery-status part, as the MTA wrote it ("" without one).
dsn_status() {
	python3 - "$1" <<'EOF'
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"))
for part in msg.walk():
    if part.get_content_type() == "message/delivery-status":
        for block in part.get_payload():
            if block.get("Status"):
                print(block.get("Status").split()[0]); sys.exit(0)
EOF
}

# record FILE SERVER VERSION SCENARIO RCPT REASON ALT STATUS CODE
record() {
	[ -f "$MANIFEST" ] || printf '# file\tserver\tversion\tscenario\trecipient\treason\talternatives\tstatus\tcode\n' >"$MANIFEST"
	grep -v "^$1	" "$MANIFEST" >"$MANIFEST.tmp"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$MANIFEST.tmp"
	{ grep '^#' "$MANIFEST.tmp"; grep -v '^#' "$MANIFEST.tmp" | sort; } >"$MANIFEST"
	rm -f "$MANIFEST.tmp"
}

run_scenario() {
	server=$1 scen=$2
	row=$(grep "^$scen	" "$LAB/scenarios.tsv") || { say "no scenario $scen"; return 1; }
	case " ${SRV_SKIP:-} " in *" $scen "*)
		# a notice collected before the server script left it out goes
		rm -f "$OUT/$server/$scen.eml"
		if [ -f "$MANIFEST" ]; then
			grep -v "^$server/$scen.eml	" "$MANIFEST" >"$MANIFEST.tmp"
			mv "$MANIFEST.tmp" "$MANIFEST"
		fi
		say "$server $scen: skipped (${SRV_SKIP_WHY:-the server cannot})"; return 0 ;;
	esac
	IFS='	' read -r _ from rcpt notify size reason alt status code _what <<EOF
$row
EOF
	if command -v srv_truth >/dev/null 2>&1; then
		t=$(srv_truth "$scen")
		if [ -n "$t" ]; then
			set -- $t
			status=$1 code=$2
			shift 2
			[ $# -gt 0 ] && { [ "$alt" = - ] && alt=$* || alt="$alt $*"; }
		fi
	fi
	: >"$MBOX"; chown sender:mail "$MBOX"; chmod 660 "$MBOX"
	srv_scenario_begin "$scen" "${rcpt#*@}"
	[ "$scen" = toomanyconn ] && rx_prime
	if ! srv_inject "$scen" "$from" "$rcpt" "$notify" "$size"; then
		say "$server $scen: the server refused the message"; srv_scenario_end "$scen"; return 1
	fi
	wait=${LAB_WAIT:-${SRV_WAIT:-120}}
	if ! wait_mail "$scen" "$wait"; then
		say "$server $scen: no bounce within $wait s"; srv_scenario_end "$scen"; return 1
	fi
	sleep 1
	mkdir -p "$OUT/$server"
	file=$server/$scen.eml
	take_mail "$scen" "$OUT/$file"
	srv_scenario_end "$scen"
	[ "$status" = - ] && status=$(dsn_status "$OUT/$file")
	[ "$code" = - ] && code=
	record "$file" "$server" "$(srv_version)" "$scen" "$rcpt" "$reason" \
		"$alt" "$status" "$code"
	say "$server $scen: collected $file"
}

run_server() {
	server=$1; shift
	[ -f "$LAB/servers/$server.sh" ] || die "no server $server (lab/servers/)"
	SRV_SKIP= SRV_WAIT=
	unset -f srv_truth 2>/dev/null
	. "$LAB/servers/$server.sh"
	say "$server: installing"
	srv_install || die "$server: install failed"
	CUR=$server
	srv_configure && srv_start || die "$server: does not start"
	scens=${*:-$(grep -v '^#' "$LAB/scenarios.tsv" | cut -f1)}
	failed=0
	for s in $scens; do run_scenario "$server" "$s" || failed=$((failed + 1)); done
	srv_stop
	say "$server: purging"
	srv_purge
	CUR=
	return $failed
}

lab_prepare
[ -x "$(command -v dovecot)" ] && [ -e /usr/lib/dovecot/modules/lib90_sieve_plugin.so ] || receivers_install || die "cannot install the receivers"
receivers_start || die "the receivers do not start"
rc=0
if [ $# -gt 0 ]; then
	run_server "$@" || rc=1
else
	for s in $SERVERS; do run_server "$s" || rc=1; done
fi
exit $rc
