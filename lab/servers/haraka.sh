# SPDX-License-Identifier: BSD-2-Clause
# haraka.sh - the sending MTA: Haraka, installed with npm (Haraka has no
# Debian package) into a private directory under the lab's tmp, run with
# Debian's node (package nodejs; npm from package npm where it is missing,
# for the lab only) and its own configuration directory.  LAB_HARAKA
# names the npm version to install (default "latest"; the version
# installed is recorded in the manifest).
#
# Haraka has no local delivery: it relays (plugin relay, relay_acl_allow
# 127.0.0.0/8) and delivers everything by its outbound queue.  It listens
# on 127.0.25.1:2525; the sender's mail host, 127.0.25.1:25, is the sink
# of lab/smtpd.py (example.com and nosender.example into /var/mail/sender),
# so that Haraka's bounces, which it sends by SMTP like any other message,
# reach the sender's mailbox.  A small plugin of the lab (bklab_route,
# hook get_mx) gives the routes the other servers have in their transport
# tables: example.com and nosender.example to the sink, example.org by
# LMTP to Dovecot, noptr.example.net and dnsbl.example.net from the
# no-PTR and the listed source addresses; every other domain by Haraka's
# own MX lookup, which node's resolver makes with the lab's resolver (the
# namespace's /etc/resolv.conf, see ns in lab/lib.sh).
#
# Temporary failures: temp_fail_intervals=5s, one retry five seconds
# later, then the bounce ("Too many failures (...)"); connect_timeout 5 s
# (it is also the time a silent server gets to greet).

SRV_SKIP="localuser tlsrequired delayed delivered"
SRV_SKIP_WHY="Haraka has no local delivery, uses STARTTLS when offered (the TLS-required host takes the message), and sends neither delay nor delivery notices"
SRV_WAIT=60
HARAKA_TEMPLATES= HARAKA_NAME=	# harakatmpl.sh sets them

HK=$T/haraka			# npm prefix: $HK/node_modules/Haraka
HC=$T/haraka-cfg		# Haraka's own directory (config/, plugins/, queue/)

srv_install() {
	pkgs=
	command -v node >/dev/null || pkgs="nodejs"
	command -v npm >/dev/null || pkgs="$pkgs npm"
	[ -z "$pkgs" ] || pkg_install haraka $pkgs || return 1
	rm -rf "$HK"; mkdir -p "$HK"
	npm install --prefix "$HK" --no-audit --no-fund --ignore-scripts \
		"Haraka@${LAB_HARAKA:-latest}" >"$T/npm-haraka.log" 2>&1 ||
		{ tail -20 "$T/npm-haraka.log" >&2; return 1; }
}

srv_version() {
	echo "Haraka $(node -p "require('$HK/node_modules/Haraka/package.json').version")"
}

srv_configure() {
	rm -rf "$HC"
	node "$HK/node_modules/Haraka/bin/haraka" -i "$HC" >"$T/haraka-install.log" 2>&1 ||
		{ cat "$T/haraka-install.log" >&2; return 1; }
	c=$HC/config
	echo mail.example.com >"$c/me"
	echo mail.example.com >"$c/host_list"
	cat >"$c/smtp.ini" <<INI
listen=$SENDER_IP:2525
nodes=0
user=mail
group=mail
INI
	cat >"$c/plugins" <<PLUGINS
relay
bklab_route
PLUGINS
	cat >"$c/relay.ini" <<INI
[relay]
acl=true
force_routing=false
dest_domains=false
all=false
INI
	echo 127.0.0.0/8 >"$c/relay_acl_allow"
	cat >"$c/outbound.ini" <<INI
temp_fail_intervals=5s
connect_timeout=5
inet_prefer=v4
local_mx_ok=true
INI
	cat >"$c/log.ini" <<INI
[main]
level=info
timestamps=true
INI
	# harakatmpl.sh: the bounce templates Haraka's package ships (text,
	# HTML, image), as an installation made from a copy of its config
	# directory has them; without them (`haraka -i` copies none) the
	# bounce has no From, no Subject and an empty text part
	[ -z "${HARAKA_TEMPLATES:-}" ] ||
		cp "$HK/node_modules/Haraka/config/outbound.bounce_message"* "$c/"
	mkdir -p "$HC/plugins" "$HC/queue"
	cat >"$HC/plugins/bklab_route.js" <<'JS'
// SPDX-License-Identifier: BSD-2-Clause
// bklab_route: the bounce lab's routes (the transport table the other
// servers of the lab have): the sender's own domains to its mail host,
// example.org by LMTP to Dovecot, two domains from other source
// addresses, every other domain by its MX records from the sender's own
// address (127.0.25.1, as every sending MTA of the lab; Haraka has no
// setting for it).  A domain whose MX lookup fails is left to Haraka's
// own lookup (next()), so that its own DNS errors are what it reports.
const net_utils = require('haraka-net-utils')

exports.register = function () {
    this.register_hook('get_mx', 'route')
}

function from(bind, mxs) {
    return mxs.map((mx) => ({ exchange: mx.exchange, priority: mx.priority, bind }))
}

exports.route = async function (next, hmail, domain) {
    switch (domain) {
        case 'example.com':
        case 'nosender.example':
            return next(OK, { exchange: '127.0.25.1', port: 25, priority: 10 })
        case 'example.org':
            return next(OK, { exchange: '127.0.25.4', port: 24, priority: 10, using_lmtp: true, bind: '127.0.25.1' })
    }
    let mxs
    try {
        mxs = await net_utils.get_mx(domain)
    } catch {
        return next()
    }
    if (!mxs.length) return next()
    switch (domain) {
        case 'noptr.example.net':
            return next(OK, from('127.0.25.9', mxs))
        case 'dnsbl.example.net':
            return next(OK, from('127.0.25.10', mxs))
    }
    next(OK, from('127.0.25.1', mxs))
}
JS
	chown -R mail:mail "$HC/queue"
}

srv_start() {
	ns setsid python3 "$LAB/smtpd.py" "$SENDER_IP" 25 "$T/sink.pid" sink \
		"$MBOX" example.com nosender.example </dev/null >"$T/sink.log" 2>&1 &
	# node writes no pid file in the foreground: the shell's own pid,
	# then exec, so the file names the daemon
	ns setsid sh -c 'echo $$ >"$0"; exec node "$1/node_modules/Haraka/bin/haraka" -c "$2"' \
		"$T/haraka.pid" "$HK" "$HC" </dev/null >"$T/haraka.log" 2>&1 &
	wait_port "$SENDER_IP" 25 && wait_port "$SENDER_IP" 2525
}

srv_stop() { stop_pid "$T/haraka.pid"; stop_pid "$T/sink.pid"; }

srv_purge() {
	pkg_purge haraka
	rm -rf "$HK" "$HC"
}

srv_inject() {
	python3 "$LAB/inject.py" "$SENDER_IP" 2525 "$1" "${HARAKA_NAME:-haraka}" "$2" "$3" "$4" "$5"
}

srv_scenario_begin() { :; }

srv_scenario_end() {
	rm -f "$HC/queue/"* 2>/dev/null
}
