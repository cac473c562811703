#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# deps.sh - make sure the Debian packages bouncekit needs to build and
# test are installed.  As root, installs what is missing with apt-get;
# otherwise prints the exact apt-get line and fails.
#
# usage: scripts/deps.sh [build|test|fuzz|deb|cross|lint|bench]   (default: test)
# cross: what scripts/portable.sh aarch64 needs besides (docs/portable.md).
set -u
need=${1:-test}

# command -> Debian package
pkgs=""
want() {	# want COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || pkgs="$pkgs $2"
}
want make make
want cc gcc
want ar binutils
[ -e /usr/include/stdio.h ] || pkgs="$pkgs libc6-dev"
# the store (store/): SQLite always
want pkg-config pkg-config
[ -e /usr/include/sqlite3.h ] || pkgs="$pkgs libsqlite3-dev"
[ -e /usr/include/jansson.h ] || pkgs="$pkgs libjansson-dev"	# ingest --records
# the HTTP API (server/): libmicrohttpd, and libcrypto for SHA-256
[ -e /usr/include/microhttpd.h ] || pkgs="$pkgs libmicrohttpd-dev"
[ -e /usr/include/openssl/evp.h ] || pkgs="$pkgs libssl-dev"
# the dashboard embeds Debian's Chart.js at build time (docs/dashboard.md)
[ -e /usr/share/javascript/chart.js/chart.min.js ] || pkgs="$pkgs libjs-chart.js"
# libcurl: the SNS signing certificates of the SES webhook (server/sns.c)
[ -e /usr/include/curl/curl.h ] || [ -n "$(ls /usr/include/*/curl/curl.h 2>/dev/null)" ] ||
	pkgs="$pkgs libcurl4-openssl-dev"
if [ "$need" = test ] || [ "$need" = fuzz ]; then
	want python3 python3		# the corpus scorer (tests/corpus.sh)
	want timeout coreutils
	want cmp diffutils
	want awk mawk
	want sqlite3 sqlite3		# tests/store.sh: a locked database
	want openssl openssl		# tests/webhooks.py: keys, certificates, signatures
	# tests/postfix.sh: Debian's postfix .deb fetched and unpacked, never
	# installed (apt-get download, dpkg-deb), its users, one run at a time
	want dpkg-deb dpkg
	want useradd passwd
	want flock util-linux
	# tests/api.sh: docs/openapi.yaml read with Debian's PyYAML
	python3 -c 'import yaml' >/dev/null 2>&1 ||
		/usr/bin/python3 -c 'import yaml' >/dev/null 2>&1 ||
		pkgs="$pkgs python3-yaml"
	# tests/python.sh: the Python binding's tests (Debian's pytest)
	python3 -c 'import pytest' >/dev/null 2>&1 ||
		/usr/bin/python3 -c 'import pytest' >/dev/null 2>&1 ||
		pkgs="$pkgs python3-pytest"
fi
# make bench: wrk, the HTTP load generator (bench/serve.sh)
[ "$need" = bench ] && want wrk wrk
# the store's MariaDB and PostgreSQL drivers (client libraries, every
# kind); their servers for the tests (scripts/dbserver.sh starts throwaway
# ones: the system services are neither started nor used)
[ -e /usr/include/mariadb/mysql.h ] || pkgs="$pkgs libmariadb-dev"
[ -e /usr/include/postgresql/libpq-fe.h ] || pkgs="$pkgs libpq-dev"
if [ "$need" = test ]; then
	[ -x /usr/sbin/mariadbd ] || pkgs="$pkgs mariadb-server"
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || pkgs="$pkgs postgresql"
	# tests/browser.py: the dashboard in a real, headless browser
	want chromium chromium
	want chromedriver chromium-driver
	/usr/bin/python3 -c 'import selenium' >/dev/null 2>&1 || pkgs="$pkgs python3-selenium"
fi
# the Debian packages (scripts/deb.sh); the Build-Depends of debian/control
# are the build kind's packages above
if [ "$need" = deb ]; then
	want dpkg-buildpackage dpkg-dev
	want dh debhelper
	want lintian lintian
	dpkg -s build-essential >/dev/null 2>&1 || pkgs="$pkgs build-essential"
fi
if [ "$need" = fuzz ]; then
	want clang clang
	[ -n "$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a \
		/usr/lib/llvm-*/lib/clang/*/lib/*/libclang_rt.fuzzer.a 2>/dev/null)" ] ||
		pkgs="$pkgs libclang-rt-dev"
fi
if [ "$need" = lint ]; then
	want cppcheck cppcheck		# make lint (docs/style.md)
	want git git
fi
if [ "$need" = cross ]; then
	# the aarch64 cross build and qemu-user to run it; from Debian's arm64
	# architecture (dpkg --add-architecture below) the C library the
	# programs run with under qemu, with its gconv modules (iconv's
	# charsets: without them records differ), and the store's libraries
	want aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
	[ -e /usr/aarch64-linux-gnu/include/stdio.h ] || pkgs="$pkgs libc6-dev-arm64-cross"
	want qemu-aarch64 qemu-user
	[ -e /usr/lib/aarch64-linux-gnu/gconv/gconv-modules ] || pkgs="$pkgs libc6:arm64"
	[ -e /usr/lib/aarch64-linux-gnu/libsqlite3.so ] || pkgs="$pkgs libsqlite3-dev:arm64"
	[ -e /usr/lib/aarch64-linux-gnu/libjansson.so ] || pkgs="$pkgs libjansson-dev:arm64"
	# the HTTP server's: libmicrohttpd and libcrypto (both Multi-Arch:
	# same, installed beside the amd64 ones)
	[ -e /usr/lib/aarch64-linux-gnu/libmicrohttpd.so ] || pkgs="$pkgs libmicrohttpd-dev:arm64"
	[ -e /usr/lib/aarch64-linux-gnu/libcrypto.so ] || pkgs="$pkgs libssl-dev:arm64"
	[ -e /usr/lib/aarch64-linux-gnu/libcurl.so ] || pkgs="$pkgs libcurl4-openssl-dev:arm64"
fi
[ -z "$pkgs" ] && exit 0

line="apt-get install -y --no-install-recommends$pkgs"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "bouncekit: installing:$pkgs" >&2
	# The postinst scripts of mariadb-server and postgresql start their
	# services; without systemd (CI, containers) that fails or leaves
	# servers we do not use.  A policy-rc.d that answers 101 ("action
	# forbidden") for the length of the install is the Debian way to
	# say no; it is removed afterwards when it was ours.
	prc=/usr/sbin/policy-rc.d ours=""
	if [ ! -e $prc ]; then
		printf '#!/bin/sh\n# bouncekit scripts/deps.sh: no service starts during the install\nexit 101\n' >$prc &&
			chmod 755 $prc && ours=yes
	fi
	case $pkgs in
	*:arm64*) dpkg --print-foreign-architectures | grep -qx arm64 ||
		dpkg --add-architecture arm64 ;;
	esac
	# Another apt-get may hold the dpkg lock (an unattended upgrade, a
	# second build): wait for it rather than fail.
	wait="-o DPkg::Lock::Timeout=600"
	DEBIAN_FRONTEND=noninteractive apt-get $wait update -qq >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get $wait install -y \
			--no-install-recommends$pkgs >/dev/null
	rc=$?
	[ -n "$ours" ] && rm -f $prc
	[ $rc -eq 0 ] && exit 0
	echo "bouncekit: '$line' failed" >&2
	exit 1
fi
echo "bouncekit: missing packages; run as root:" >&2
echo "  $line" >&2
exit 1
