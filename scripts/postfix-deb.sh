# SPDX-License-Identifier: BSD-2-Clause
# postfix-deb.sh - a private Postfix from Debian's .deb, never installed:
# `apt-get download postfix` once into a cache, `dpkg-deb -x` into a
# directory of the caller's, and an empty queue directory laid out the way
# postfix-script expects.  Sourced (sh) by tests/postfix.sh and lab/lib.sh;
# Debian's MTAs conflict with each other and the lab installs and purges
# them on this machine, so nothing here touches dpkg's database.
#
#   pfdeb_unpack ROOT        ROOT/usr/sbin/postfix and the rest; returns 1
#                            (with a message) when no .deb can be had
#   pfdeb_spool QDIR OWNER GROUP   the queue directories, owned as Postfix
#                            wants (OWNER: mail_owner, GROUP: setgid_group)
#   pfdeb_env ROOT CMD...    CMD with the unpacked libraries found
#
# The cache: $BK_POSTFIX_CACHE, else /var/cache/bouncekit (root) or
# ~/.cache/bouncekit; a .deb already in apt's own cache is used too.

pfdeb_cache() {
	if [ -n "${BK_POSTFIX_CACHE:-}" ]; then
		echo "$BK_POSTFIX_CACHE"
	elif [ "$(id -u)" -eq 0 ]; then
		echo /var/cache/bouncekit
	else
		echo "${XDG_CACHE_HOME:-$HOME/.cache}/bouncekit"
	fi
}

# pfdeb_find: the newest postfix .deb of the cache or apt's, or nothing
pfdeb_find() {
	ls -t "$(pfdeb_cache)"/postfix_*.deb /var/cache/apt/archives/postfix_*.deb \
		2>/dev/null | head -n 1
}

pfdeb_unpack() {
	_pfr=$1
	[ -x "$_pfr/usr/lib/postfix/sbin/master" ] && return 0
	_pfd=$(pfdeb_find)
	if [ -z "$_pfd" ]; then
		_pfc=$(pfdeb_cache)
		mkdir -p "$_pfc" || return 1
		# apt's download runs as the _apt user when it can write there;
		# a directory of our own, then a rename: a run beside us never
		# sees half a file
		_pfl=$(mktemp -d "$_pfc/dl.XXXXXX") || return 1
		chmod 777 "$_pfl"
		# apt's lists may be empty on a fresh machine (a container):
		# an update, as root, then once more
		if (cd "$_pfl" && apt-get -q download postfix) >"$_pfl/log" 2>&1 ||
			{ [ "$(id -u)" -eq 0 ] &&
			  apt-get -q -o DPkg::Lock::Timeout=600 update >>"$_pfl/log" 2>&1 &&
			  (cd "$_pfl" && apt-get -q download postfix) >>"$_pfl/log" 2>&1; }; then
			for _pff in "$_pfl"/postfix_*.deb; do mv "$_pff" "$_pfc/"; done
		else
			echo "postfix-deb: apt-get download postfix failed:" >&2
			tail -n 3 "$_pfl/log" >&2
		fi
		rm -rf "$_pfl"
		_pfd=$(pfdeb_find)
		[ -n "$_pfd" ] || return 1
	fi
	mkdir -p "$_pfr" && dpkg-deb -x "$_pfd" "$_pfr" || {
		echo "postfix-deb: cannot unpack $_pfd" >&2; return 1; }
}

pfdeb_spool() {
	_pfq=$1 _pfo=$2 _pfg=$3
	for _pfx in active bounce corrupt defer deferred flush hold incoming \
		private saved trace pid maildrop public; do
		mkdir -p "$_pfq/$_pfx" || return 1
	done
	chown "$_pfo" "$_pfq"/* && chown root "$_pfq/pid" &&
		chgrp "$_pfg" "$_pfq/maildrop" "$_pfq/public" &&
		chmod 730 "$_pfq/maildrop" && chmod 710 "$_pfq/public" &&
		chmod 700 "$_pfq/private"
}

pfdeb_env() {
	_pfr=$1; shift
	LD_LIBRARY_PATH="$_pfr/usr/lib/postfix" "$@"
}
