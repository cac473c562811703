# SPDX-License-Identifier: BSD-2-Clause
# exim.sh - the sending MTA: Debian's Exim (package exim4-daemon-light),
# with a configuration of the lab's own in /etc/exim4/exim4.conf (which
# Debian's exim reads before its generated one).

srv_install() {
	pkg_install exim exim4-daemon-light
}

srv_version() { echo "Exim $(pkg_version exim4-daemon-light)"; }

# exim_conf [delayed]: write the configuration; "delayed" keeps a failing
# message in the queue and warns after 10 s, otherwise the retry rule
# gives up at the first retry (the queue lifetime is a second).
exim_conf() {
	retry="F,1s,1s" warn=0s
	[ "${1:-}" = delayed ] && { retry="F,1h,5s"; warn=10s; }
	mkdir -p "$T/exim-log" && chown Debian-exim "$T/exim-log"
	cat >/etc/exim4/exim4.conf <<CONF
primary_hostname = mail.example.com
qualify_domain = example.com
domainlist local_domains = example.com : mail.example.com : nosender.example : localhost
hostlist relay_from_hosts = 127.0.0.0/8
daemon_smtp_ports = 25
local_interfaces = $SENDER_IP
disable_ipv6 = true
dsn_advertise_hosts = *
tls_advertise_hosts =
delay_warning = $warn
log_file_path = $T/exim-log/%slog
pid_file_path = $T/exim.pid
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
rfc1413_hosts =
acl_smtp_rcpt = acl_check_rcpt

begin acl
acl_check_rcpt:
  accept hosts = +relay_from_hosts
  accept domains = +local_domains
  deny message = relay not permitted

begin routers
noptr:
  driver = dnslookup
  domains = noptr.example.net
  transport = remote_smtp_noptr
  no_more
listed:
  driver = dnslookup
  domains = dnsbl.example.net
  transport = remote_smtp_listed
  no_more
lmtp:
  driver = manualroute
  domains = example.org
  transport = lmtp_remote
  route_list = * 127.0.25.4
  no_more
dnslookup:
  driver = dnslookup
  domains = ! +local_domains
  transport = remote_smtp
  no_more
local_user:
  driver = accept
  domains = +local_domains
  check_local_user
  transport = local_delivery

begin transports
remote_smtp:
  driver = smtp
  interface = $SENDER_IP
  hosts_avoid_tls = *
  connect_timeout = 5s
  command_timeout = 5s
remote_smtp_noptr:
  driver = smtp
  interface = 127.0.25.9
  hosts_avoid_tls = *
remote_smtp_listed:
  driver = smtp
  interface = 127.0.25.10
  hosts_avoid_tls = *
lmtp_remote:
  driver = smtp
  protocol = lmtp
  port = 24
  interface = $SENDER_IP
  hosts_avoid_tls = *
local_delivery:
  driver = appendfile
  file = /var/mail/\$local_part_data
  current_directory = /
  delivery_date_add
  envelope_to_add
  return_path_add
  group = mail
  mode = 0660

begin retry
*   *   $retry

begin rewrite
CONF
}

srv_configure() { exim_conf; }

srv_start() {
	ns exim4 -bd -q5s >"$T/exim-start.log" 2>&1 ||
		{ cat "$T/exim-start.log" >&2; return 1; }
	wait_port "$SENDER_IP" 25
}

srv_stop() { stop_pid "$T/exim.pid"; }

srv_purge() { pkg_purge exim; rm -rf /etc/exim4 /var/spool/exim4 /var/log/exim4; }

srv_inject() {
	python3 "$LAB/inject.py" "$SENDER_IP" 25 "$1" exim "$2" "$3" "$4" "$5"
}

srv_scenario_begin() {
	case $1 in
	delayed) srv_stop; exim_conf delayed; srv_start ;;
	esac
}

srv_scenario_end() {
	exiqgrep -i 2>/dev/null | xargs -r exim4 -Mrm >/dev/null 2>&1
	case $1 in
	delayed) srv_stop; exim_conf; srv_start ;;
	esac
}
