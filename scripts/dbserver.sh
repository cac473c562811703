#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# dbserver.sh - a throwaway MariaDB or PostgreSQL server for the tests and
# benchmarks: its data directory, socket, log and pid file all live under
# DIR (give it a fresh `mktemp -d`), it listens on a Unix socket only (no
# TCP), it is started without systemd and it never touches the system's own
# clusters, so that several of them can run at once on one machine.
#
# usage: scripts/dbserver.sh start mariadb|postgresql DIR
#            starts the server, creates the database "bouncekit" and a
#            user "bouncekit" for it, waits until it accepts connections
#            (at most DBSERVER_WAIT seconds, default 60), prints its URL;
#            DBSERVER_MEM (MB, default 64) sizes the server's cache (the
#            InnoDB buffer pool and redo log, PostgreSQL's shared_buffers)
#            (again after a stop: the same data, nothing created)
#        scripts/dbserver.sh url mariadb|postgresql DIR
#            prints the URL of a server started in DIR
#        scripts/dbserver.sh stop mariadb|postgresql DIR
#            stops it by its pid (waits, then kills it if it will not stop);
#            removes nothing: the caller removes DIR
#
# As root, mariadbd runs as root (--user=root) and PostgreSQL, which
# refuses root, runs as the system user "postgres" (DIR is made traversable
# for it and its subdirectory given to it).  As another user, both run as
# that user.  Exit status: 0 done, 1 failed (message on stderr, the log's
# last lines with it), 2 usage.
set -u

die() { echo "dbserver: $*" >&2; exit 1; }
usage() { echo "usage: $0 start|stop|url mariadb|postgresql DIR" >&2; exit 2; }

[ $# -eq 3 ] || usage
cmd=$1 kind=$2 dir=$3
case $kind in mariadb|mysql) kind=mariadb ;; postgresql|postgres|pg) kind=postgresql ;; *) usage ;; esac
case $cmd in start|stop|url) ;; *) usage ;; esac
[ -d "$dir" ] || die "$dir: no such directory"
dir=$(cd "$dir" && pwd) || die "$dir: cannot enter"
wait_max=${DBSERVER_WAIT:-60}
mem=${DBSERVER_MEM:-64}
case $mem in ''|*[!0-9]*) echo "dbserver: DBSERVER_MEM: a number of MB" >&2; exit 2 ;; esac
root=no
[ "$(id -u)" -eq 0 ] && root=yes

# pg_bin: where Debian keeps initdb, pg_ctl, postgres (not on PATH).
pg_bin() {
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r) ; do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
	return 1
}

# as_pg COMMAND...: runs a PostgreSQL program as the user that owns the
# cluster (postgres when we are root).
as_pg() {
	if [ "$root" = yes ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

log_tail() { [ -f "$1" ] && tail -n 15 "$1" | sed 's/^/  | /' >&2; }

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# stop_pid PID SIGNAL: signals the server and waits for it to be gone;
# kills it after wait_max seconds.
stop_pid() {
	pid=$1
	alive "$pid" || return 0
	kill "-$2" "$pid" 2>/dev/null
	i=0
	while alive "$pid"; do
		i=$((i + 1))
		if [ $i -gt $((wait_max * 10)) ]; then
			echo "dbserver: $kind (pid $pid) did not stop in ${wait_max}s: killed" >&2
			kill -KILL "$pid" 2>/dev/null
			sleep 0.2
			return 1
		fi
		sleep 0.1
	done
	return 0
}

# ---- MariaDB -------------------------------------------------------------

m=$dir/mariadb
m_sock=$m/mysqld.sock
m_url() { echo "mysql://bouncekit:bouncekit@localhost/bouncekit?socket=$m_sock"; }

m_start() {
	command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] ||
		die "mariadbd not found (Debian package mariadb-server; scripts/deps.sh test)"
	mysqld=$(command -v mariadbd 2>/dev/null || echo /usr/sbin/mariadbd)
	user_opt=""
	[ "$root" = yes ] && user_opt=--user=root
	# Unix sockets have a 107-byte path limit.
	[ ${#m_sock} -lt 100 ] || die "$m_sock: path too long for a Unix socket"
	again=""
	if [ -s "$m/url" ]; then
		# started before and stopped: the same data again
		alive "$(m_pid)" && die "MariaDB already runs in $dir (pid $(m_pid))"
		again=yes
	else
		[ -e "$m/data" ] && die "$m/data exists: give a fresh directory"
		mkdir -p "$m/data" "$m/tmp" || die "cannot create $m/data"
	fi
	[ -n "$again" ] || mariadb-install-db --no-defaults --datadir="$m/data" $user_opt \
		--tmpdir="$m/tmp" \
		--auth-root-authentication-method=socket --skip-test-db \
		--skip-name-resolve >"$m/install.log" 2>&1 ||
		{ grep -i 'error' "$m/install.log" | sed 's/^/  | /' >&2
		  die "mariadb-install-db failed (log: $m/install.log)"; }
	# setsid and no inherited descriptors: the server must not hold a
	# caller's pipe open (a test's $(...) would wait for it).
	# its own tmpdir: temporary tables of two servers never meet in /tmp
	setsid "$mysqld" --no-defaults --datadir="$m/data" $user_opt --tmpdir="$m/tmp" \
		--socket="$m_sock" --pid-file="$m/mysqld.pid" --skip-networking \
		--log-error="$m/error.log" --skip-name-resolve \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
		--innodb-buffer-pool-size=${mem}M --innodb-log-file-size=${mem}M \
		--max-connections=200 --innodb-lock-wait-timeout=20 \
		</dev/null >"$m/stdout.log" 2>&1 &
	echo $! >"$m/launcher.pid"
	i=0
	while :; do
		if [ -S "$m_sock" ] && mariadb --no-defaults --socket="$m_sock" -uroot \
			-e 'select 1' >/dev/null 2>&1; then
			break
		fi
		i=$((i + 1))
		if [ $i -gt $((wait_max * 10)) ] || ! alive "$(cat "$m/launcher.pid")"; then
			log_tail "$m/error.log"
			stop_pid "$(cat "$m/launcher.pid")" TERM
			die "mariadbd did not start (log: $m/error.log)"
		fi
		sleep 0.1
	done
	[ -n "$again" ] && { m_url; return 0; }
	mariadb --no-defaults --socket="$m_sock" -uroot >"$m/setup.log" 2>&1 <<-EOF ||
		CREATE DATABASE bouncekit CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
		CREATE USER 'bouncekit'@'localhost' IDENTIFIED BY 'bouncekit';
		GRANT ALL ON bouncekit.* TO 'bouncekit'@'localhost';
		GRANT ALL ON \`bouncekit\\_%\`.* TO 'bouncekit'@'localhost';
		EOF
		{ log_tail "$m/setup.log"; m_stop; die "cannot create the database"; }
	m_url >"$m/url"
	m_url
}

m_pid() {
	if [ -s "$m/mysqld.pid" ]; then cat "$m/mysqld.pid"
	elif [ -s "$m/launcher.pid" ]; then cat "$m/launcher.pid"
	fi
}

m_stop() {
	[ -d "$m" ] || die "$m: no MariaDB server was started in $dir"
	stop_pid "$(m_pid)" TERM
	# the launcher is the server itself (exec'd by setsid): gone too
	pid=$(cat "$m/launcher.pid" 2>/dev/null)
	stop_pid "$pid" TERM
}

# ---- PostgreSQL ----------------------------------------------------------

p=$dir/postgresql
p_url() { echo "postgresql://bouncekit@/bouncekit?host=$p/sock"; }
p_opts="-c listen_addresses= -c unix_socket_directories=$p/sock -c max_connections=200 -c shared_buffers=${mem}MB"

p_start() {
	bin=$(pg_bin) || die "initdb not found (Debian package postgresql; scripts/deps.sh test)"
	if [ -s "$p/url" ]; then
		# started before and stopped: the same cluster again
		as_pg "$bin/pg_ctl" -D "$p/data" -l "$p/server.log" -w -t "$wait_max" \
			-o "$p_opts" start >"$p/pg_ctl.log" 2>&1 ||
			{ log_tail "$p/server.log"; die "postgres did not start (log: $p/server.log)"; }
		p_url
		return 0
	fi
	[ -e "$p" ] && die "$p exists: give a fresh directory"
	mkdir -p "$p/sock" || die "cannot create $p"
	[ ${#p} -lt 90 ] || die "$p: path too long for a Unix socket"
	if [ "$root" = yes ]; then
		id postgres >/dev/null 2>&1 || die "no system user postgres (package postgresql)"
		# The server runs as postgres: it must reach $p through DIR and
		# its parents (search permission only, not listing).
		chmod o+x "$dir" || die "cannot make $dir traversable"
		d=$dir
		while [ "$d" != / ]; do
			d=$(dirname "$d")
			runuser -u postgres -- test -x "$d" ||
				die "$d is not traversable by the postgres user: use a DIR under /tmp"
		done
		chown -R postgres: "$p" || die "cannot give $p to postgres"
	fi
	as_pg "$bin/initdb" -D "$p/data" -U postgres --auth=trust -E UTF8 \
		--locale=C.UTF-8 --no-instructions --no-sync >"$p/initdb.log" 2>&1 ||
		as_pg "$bin/initdb" -D "$p/data" -U postgres --auth=trust -E UTF8 \
			--locale=C --no-sync >"$p/initdb.log" 2>&1 ||
		{ log_tail "$p/initdb.log"; die "initdb failed (log: $p/initdb.log)"; }
	# Unix socket only; a port number is still part of the socket's name
	# (.s.PGSQL.5432), unique because the directory is.
	as_pg "$bin/pg_ctl" -D "$p/data" -l "$p/server.log" -w -t "$wait_max" \
		-o "$p_opts" start >"$p/pg_ctl.log" 2>&1 ||
		{ log_tail "$p/server.log"; p_stop 2>/dev/null; die "postgres did not start (log: $p/server.log)"; }
	as_pg "$bin/psql" -X -q -h "$p/sock" -U postgres -d postgres -v ON_ERROR_STOP=1 \
		>"$p/setup.log" 2>&1 <<-EOF ||
		CREATE ROLE bouncekit LOGIN PASSWORD 'bouncekit' CREATEDB;
		CREATE DATABASE bouncekit OWNER bouncekit ENCODING 'UTF8' TEMPLATE template0;
		EOF
		{ log_tail "$p/setup.log"; p_stop; die "cannot create the database"; }
	p_url >"$p/url"
	p_url
}

p_stop() {
	[ -d "$p" ] || die "$p: no PostgreSQL server was started in $dir"
	pid=$(head -n 1 "$p/data/postmaster.pid" 2>/dev/null)
	[ -n "$pid" ] || return 0
	# SIGINT: the "fast" shutdown (ends the sessions, checkpoints)
	stop_pid "$pid" INT
}

case $cmd-$kind in
start-mariadb) m_start ;;
start-postgresql) p_start ;;
stop-mariadb) m_stop ;;
stop-postgresql) p_stop ;;
url-mariadb) [ -s "$m/url" ] || die "no MariaDB server in $dir"; cat "$m/url" ;;
url-postgresql) [ -s "$p/url" ] || die "no PostgreSQL server in $dir"; cat "$p/url" ;;
esac
