# SPDX-License-Identifier: BSD-2-Clause
# bouncekit - build, test, bench.  `make help` lists the targets.

CC      ?= cc
# NOSIMD=1: the vector paths compiled out (lib/core/simd.h's portable
# operations), into build-nosimd.  CROSS=aarch64-linux-gnu-: a cross build
# (Debian's gcc-aarch64-linux-gnu), into build-aarch64-linux-gnu; its tests
# run under qemu-user (scripts/portable.sh).
ifeq ($(NOSIMD),1)
O       ?= build-nosimd
SIMD_DEFS := -DBK_NO_SIMD
endif
ifneq ($(CROSS),)
O       ?= build-$(CROSS:%-=%)
CC      := $(CROSS)gcc
AR      := $(CROSS)ar
HOSTCC  ?= cc
endif
O       ?= build
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes \
           -Wmissing-prototypes -Werror
STD     := -std=c17 -D_GNU_SOURCE
CPPFLAGS_PUB := -Iinclude $(CPPFLAGS)
CPPFLAGS_ALL := $(CPPFLAGS_PUB) -Ilib $(SIMD_DEFS)
CFLAGS_ALL   := $(STD) $(WARN) -fPIC -pthread $(CFLAGS)
LDLIBS  := -pthread

# The phrase tables are compiled into an automaton at build time
# (tools/phrasegen.c): the library matches with the generated arrays, and
# holds the tables themselves only to name the row that matched when a
# verdict is explained (lib/reason/explain.c).
PHRASE_SRC := $(sort $(wildcard lib/reason/phrases_*.c))
LIB_SRC := $(sort $(wildcard lib/*/*.c))
# intake/ (the MTA-facing intake: pipe, LMTP) is linked into the command
CLI_SRC := $(sort $(wildcard cli/*.c intake/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(O)/obj/%.o) $(O)/obj/gen/phrases_ac.o
CLI_OBJ := $(CLI_SRC:%.c=$(O)/obj/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(O)/obj/%.o)
DEPS := $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)

# ---- the shared library's interface (docs/abi.md): the library is built
# with hidden visibility, so that libbouncekit.so exports only what
# include/bouncekit/bouncekit.h marks BK_API (listed in lib/libbouncekit.sym,
# checked by tests/abi.sh); the command sees include/ only, not lib/.
SOVERSION := 1
SOFULL    := $(SOVERSION).0.0
$(LIB_OBJ): CFLAGS_ALL += -fvisibility=hidden
$(CLI_OBJ): CPPFLAGS_ALL = $(CPPFLAGS_PUB)

# ---- the store (store/, docs/store.md): its own library above the decoder,
# with the database client libraries; lib/ never sees them.  A driver is
# built when its source is there (store/mysql.c, store/pg.c).
STORE_SRC := $(sort $(wildcard store/*.c))
STORE_OBJ := $(STORE_SRC:%.c=$(O)/obj/%.o)
STORE_PKGS := sqlite3 jansson $(if $(wildcard store/mysql.c),libmariadb) $(if $(wildcard store/pg.c),libpq)
STORE_DEFS := $(if $(wildcard store/mysql.c),-DBK_STORE_MYSQL) $(if $(wildcard store/pg.c),-DBK_STORE_PG)
# A cross build (CROSS=, docs/portable.md) has the store with SQLite only:
# the MariaDB and PostgreSQL client -dev packages of two architectures
# cannot be installed side by side.
ifneq ($(CROSS),)
STORE_SRC := $(filter-out store/mysql.c store/pg.c,$(STORE_SRC))
STORE_OBJ := $(STORE_SRC:%.c=$(O)/obj/%.o)
STORE_PKGS := sqlite3 jansson
STORE_DEFS :=
endif
STORE_CFLAGS := $(shell pkg-config --cflags $(STORE_PKGS) 2>/dev/null)
STORE_LIBS := $(shell pkg-config --libs $(STORE_PKGS) 2>/dev/null || echo -lsqlite3 -ljansson)
$(STORE_OBJ): CPPFLAGS_ALL += -I. $(STORE_CFLAGS) $(STORE_DEFS)
$(CLI_OBJ): CPPFLAGS_ALL += -I.
DEPS += $(STORE_OBJ:.o=.d)

# ---- the providers' event payloads (hooks/, docs/webhooks.md): jansson
# and libcrypto, above the decoder; used by the command and the server.
HOOKS_SRC := $(sort $(wildcard hooks/*.c))
HOOKS_OBJ := $(HOOKS_SRC:%.c=$(O)/obj/%.o)
$(HOOKS_OBJ): CPPFLAGS_ALL = $(CPPFLAGS_PUB) -I. $(STORE_CFLAGS) $(SERVER_CFLAGS)
DEPS += $(HOOKS_OBJ:.o=.d)

# ---- the HTTP API (server/, docs/api.md): libmicrohttpd and libcrypto,
# above the store; its own library like store/.
SERVER_SRC := $(sort $(wildcard server/*.c))
SERVER_OBJ := $(SERVER_SRC:%.c=$(O)/obj/%.o)
# libcurl fetches SNS signing certificates (server/sns.c, docs/webhooks.md)
SERVER_CFLAGS := $(shell pkg-config --cflags libmicrohttpd libcrypto libcurl 2>/dev/null)
SERVER_LIBS := $(shell pkg-config --libs libmicrohttpd libcrypto libcurl 2>/dev/null || echo -lmicrohttpd -lcrypto -lcurl)
# A cross build: not the host's multiarch include directory (libcurl's
# Cflags name /usr/include/x86_64-linux-gnu); the cross compiler finds the
# target's own.
ifneq ($(CROSS),)
SERVER_CFLAGS := $(filter-out -I/usr/include/%-linux-gnu,$(SERVER_CFLAGS))
endif
$(SERVER_OBJ): CPPFLAGS_ALL = $(CPPFLAGS_PUB) -I. $(STORE_CFLAGS) $(SERVER_CFLAGS)
DEPS += $(SERVER_OBJ:.o=.d)
# The dashboard (docs/dashboard.md): server/ui/ and Debian's Chart.js
# (libjs-chart.js) embedded into the server at build time (tools/uiembed.c).
CHARTJS ?= /usr/share/javascript/chart.js/chart.min.js
UI_FILES := $(sort $(wildcard server/ui/*))
SERVER_OBJ += $(O)/obj/gen/ui_assets.o

.PHONY: portable all lib test asan bench bench-compare demo fuzz torture lint clean deps deps-test help install uninstall man lab deb

all: $(O)/bouncekit $(O)/libbouncekit.a $(O)/libbouncekit.so $(O)/bouncekit.pc man

help:
	@echo "make            build $(O)/bouncekit and the libraries"
	@echo "make demo       parse the sample mbox of our own fixtures (JSON), then store it and show the verdicts"
	@echo "make test       build and run every test (last line: N passed, N failed)"
	@echo "make asan       the tests under AddressSanitizer and UBSan"
	@echo "make bench      throughput and memory over the shared corpus"
	@echo "make bench-compare  bouncekit against Perl (and Go) Sisimai, same files"
	@echo "make fuzz       run each libFuzzer target (FUZZ_SECONDS=60)"
	@echo "make torture    fail each allocation of a decode in turn"
	@echo "make lint       cppcheck and the checks of docs/style.md"
	@echo "make deps       install the Debian build dependencies (as root)"
	@echo "make portable   NOSIMD=1 and aarch64 (qemu) builds: tests, identical records"
	@echo "make install    install under PREFIX (/usr/local), DESTDIR honoured"
	@echo "make uninstall  remove what make install installed"
	@echo "make deb        build, lintian, install and try the Debian packages (root)"
	@echo "make lab        the bounce lab: real MTAs make tests/lab/ (root; long; not in CI)"

$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# The generator runs on the build machine: built without the sanitizer or
# fuzzer flags of CFLAGS, so that it is the same tool in every build.
HOSTCC ?= $(CC)
$(O)/phrasegen: tools/phrasegen.c $(PHRASE_SRC) lib/core/sv.c lib/core/simd.c lib/core/simd.h lib/reason/phrase.h lib/reason/phrase_ac.h lib/reason/reasons.def
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOSTCC) $(CPPFLAGS_ALL) $(STD) $(WARN) -O1 -o $@ tools/phrasegen.c $(PHRASE_SRC) lib/core/sv.c lib/core/simd.c

$(O)/gen/phrases_ac.c: $(O)/phrasegen
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@$(O)/phrasegen > $@.tmp && mv $@.tmp $@

$(O)/obj/gen/phrases_ac.o: $(O)/gen/phrases_ac.c lib/reason/phrase_ac.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c -o $@ $<

$(O)/libbouncekit.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# libbouncekit.so.1.0.0, SONAME libbouncekit.so.1; the .so.1 and .so links
# as ldconfig and the linker want them.
$(O)/libbouncekit.so.$(SOFULL): $(LIB_OBJ)
	@echo "  LD      $@"
	@$(CC) -shared $(CFLAGS_ALL) $(LDFLAGS) -Wl,-soname,libbouncekit.so.$(SOVERSION) \
	  -Wl,--no-undefined -o $@ $^ $(LDLIBS)

$(O)/libbouncekit.so: $(O)/libbouncekit.so.$(SOFULL)
	@ln -sf libbouncekit.so.$(SOFULL) $(O)/libbouncekit.so.$(SOVERSION)
	@ln -sf libbouncekit.so.$(SOVERSION) $@

$(O)/bouncekit: $(CLI_OBJ) $(O)/libbkserver.a $(O)/libbkhooks.a $(O)/libbkstore.a $(O)/libbouncekit.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $(CLI_OBJ) $(O)/libbkserver.a $(O)/libbkhooks.a $(O)/libbkstore.a $(O)/libbouncekit.a $(SERVER_LIBS) $(STORE_LIBS) $(LDLIBS)

$(O)/libbkhooks.a: $(HOOKS_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(O)/uiembed: tools/uiembed.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOSTCC) $(STD) $(WARN) -O1 -o $@ $<

$(O)/gen/ui_assets.c: $(O)/uiembed $(UI_FILES) $(CHARTJS) Makefile
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@$(O)/uiembed '/=server/ui/index.html:text/html; charset=utf-8' \
	  '/ui/app.js=server/ui/app.js:text/javascript; charset=utf-8' \
	  '/ui/app.css=server/ui/app.css:text/css; charset=utf-8' \
	  '/ui/icon.svg=server/ui/icon.svg:image/svg+xml' \
	  '/favicon.ico=server/ui/icon.svg:image/svg+xml' \
	  '/ui/chart.js=$(CHARTJS):text/javascript; charset=utf-8' > $@.tmp && mv $@.tmp $@

$(CHARTJS):
	@echo "bouncekit: $@ is missing: the dashboard embeds Debian's Chart.js (apt-get install libjs-chart.js, or scripts/deps.sh build)" >&2; exit 1

$(O)/obj/gen/ui_assets.o: $(O)/gen/ui_assets.c server/dash.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS_PUB) -I. $(STORE_CFLAGS) $(SERVER_CFLAGS) $(CFLAGS_ALL) -c -o $@ $<

$(O)/libbkserver.a: $(SERVER_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(O)/libbkstore.a: $(STORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# store.c names the drivers that are there: rebuilt when one arrives
$(O)/obj/store/store.o: $(wildcard store/mysql.c store/pg.c)

# the database drivers against real databases (tests/run.sh gives the URLs)
$(O)/dbdriver-test: tests/dbdriver.c $(O)/libbkstore.a
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS_ALL) -I. $(STORE_DEFS) $(CFLAGS_ALL) -o $@ $< $(O)/libbkstore.a $(STORE_LIBS) $(LDLIBS)

# the API's address view against the events' table (tests/store.sh)
$(O)/viewcheck-test: tests/viewcheck.c $(O)/libbkstore.a $(O)/libbouncekit.a
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS_ALL) -I. $(STORE_DEFS) $(CFLAGS_ALL) -o $@ $< $(O)/libbkstore.a $(O)/libbouncekit.a $(STORE_LIBS) $(LDLIBS)

$(O)/unit-tests: $(UNIT_OBJ) $(O)/libbouncekit.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $(UNIT_OBJ) $(O)/libbouncekit.a $(LDLIBS)

test: deps-test $(O)/bouncekit $(O)/unit-tests $(O)/libbouncekit.so $(O)/dbdriver-test $(O)/viewcheck-test
	@sh tests/run.sh $(O)

deps-test:
	@sh scripts/deps.sh test

asan:
	$(MAKE) O=build-asan OPT=-O1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  test

bench: $(O)/bouncekit $(O)/bench $(O)/storebench $(O)/dbceiling $(O)/viewbench
	@sh bench/run.sh $(O)
	@sh bench/store.sh $(O)
	@sh bench/storedb.sh $(O)
	@sh bench/intake.sh $(O)
	@sh bench/maillog.sh $(O)
	@sh bench/serve.sh $(O)

# MariaDB/PostgreSQL alone: the ceiling beside `bouncekit ingest` (bench/storedb.sh)
$(O)/dbceiling: bench/dbceiling.c $(O)/libbkstore.a
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS_ALL) -I. $(STORE_DEFS) $(CFLAGS_ALL) -o $@ $< $(O)/libbkstore.a $(STORE_LIBS) $(LDLIBS)

# the API's address call without HTTP (bench/serve.sh's store; docs/performance.md)
$(O)/viewbench: bench/viewbench.c $(O)/libbkstore.a $(O)/libbouncekit.a
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS_ALL) -I. $(STORE_DEFS) $(CFLAGS_ALL) -o $@ $< $(O)/libbkstore.a $(O)/libbouncekit.a $(STORE_LIBS) $(LDLIBS)

$(O)/storebench: bench/storebench.c
	$(CC) $(STD) $(WARN) $(CFLAGS) $(STORE_CFLAGS) -o $@ $< $(STORE_LIBS)

bench-compare: $(O)/bouncekit
	@sh bench/compare.sh $(O)

$(O)/bench: bench/bench.c $(O)/libbouncekit.a
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< $(O)/libbouncekit.a $(LDLIBS)

fuzz:
	@sh scripts/deps.sh fuzz
	@sh fuzz/run.sh

# BK_TORTURE: arena allocations count too, so each one can be failed.
# TORTURE_CORPUS: how many files of the shared corpus to add, when present
# ($$BOUNCEKIT_CORPUS, default ../shared/corpus).
TORTURE_CORPUS ?= 12
torture:
	$(MAKE) O=build-torture OPT=-O1 \
	  CFLAGS="-O1 -g -DBK_TORTURE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  build-torture/torture
	@corpus=""; dir=$${BOUNCEKIT_CORPUS:-../shared/corpus}/sisimai/maildir; \
	if [ -d "$$dir" ]; then \
	  corpus=$$(ls "$$dir"/*/* | \
	    awk -v n=$(TORTURE_CORPUS) '{ f[NR] = $$0 } END { for (i = 1; i <= n && NR; i++) print f[int((i - 0.5) * NR / n) + 1] }'); \
	else echo "torture: no corpus at $$dir (set BOUNCEKIT_CORPUS), fixtures only"; fi; \
	ASAN_OPTIONS=detect_leaks=1 build-torture/torture tests/golden/*.eml tests/golden/*.mbox $$corpus

$(O)/torture: tests/torture.c $(O)/libbouncekit.a
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< $(O)/libbouncekit.a $(LDLIBS)

# The bounce lab (lab/run.sh, docs/lab.md): installs, runs and purges one
# mail server at a time; LAB_ARGS="postfix userunknown" runs one alone.
lab: $(O)/bouncekit
	sh lab/run.sh $(LAB_ARGS)
	python3 tools/lab-score --table $(O)/bouncekit tests/lab

# The builds with other vector code (docs/portable.md): each runs the whole
# test suite and compares its records with build/'s.
portable:
	@sh scripts/portable.sh nosimd aarch64

# The store part of the demo: the sample into a throwaway SQLite store,
# then every recipient's verdict (query -, TSV).
demo: $(O)/bouncekit
	@$(O)/bouncekit parse tests/fixtures/sample.mbox
	@d=$$(mktemp -d) && \
	$(O)/bouncekit ingest --db $$d/demo.db tests/fixtures/sample.mbox && \
	printf 'address\tverdict\tuntil\tbasis\treason\n' && \
	$(O)/bouncekit parse --delivered --format ndjson tests/fixtures/sample.mbox | \
	  sed -n 's/.*"recipient":"\([^"]*\)".*/\1/p' | \
	  $(O)/bouncekit query --db $$d/demo.db --format tsv -; \
	rc=$$?; rm -rf $$d; exit $$rc

deps:
	@sh scripts/deps.sh test

lint:
	@sh scripts/lint.sh

# the Debian packages, built from a copy of the tree, lintian-checked,
# installed and tried (scripts/deb.sh; as root)
deb:
	@sh scripts/deb.sh

# make -s print-VAR: a variable's value, for scripts (scripts/deb.sh)
print-%:
	@echo $($*)

clean:
	rm -rf build build-asan build-fuzz build-torture build-nosimd build-aarch64-linux-gnu


# ---- make install / make uninstall (docs/install.md) -----------------------
# PREFIX and the directories below as in the GNU conventions; DESTDIR for
# staged installs (packages).  ldconfig runs when installing for real.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
SYSTEMDDIR  ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR  ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
INSTALL     ?= install
LDCONFIG    ?= ldconfig
VERSION     := $(shell sed -n 's/^\#define BOUNCEKIT_VERSION "\(.*\)"/\1/p' include/bouncekit/bouncekit.h)

# Man pages: docs/bouncekit.1, docs/libbouncekit.3, any docs/man/*.[1-8],
# and one bouncekit-COMMAND(1) per ".SS COMMAND" of bouncekit.1's
# DESCRIPTION, written by scripts/manpages.sh into $(O)/man.
# Systemd units and example configuration: contrib/systemd/*.{service,
# socket,timer,path} and contrib/*.conf, whichever exist.
MAN_SRC  := docs/bouncekit.1 $(wildcard docs/libbouncekit.3 docs/man/*.[1-8])
UNITS    := $(wildcard contrib/systemd/*.service contrib/systemd/*.socket contrib/systemd/*.timer contrib/systemd/*.path)
CONFS    := $(wildcard contrib/*.conf)
BASHCOMP := contrib/bash-completion/bouncekit

man: $(O)/man/.stamp

$(O)/man/.stamp: docs/bouncekit.1 scripts/manpages.sh
	@mkdir -p $(O)/man
	@rm -f $(O)/man/bouncekit-*.1
	@sh scripts/manpages.sh docs/bouncekit.1 $(O)/man
	@touch $@

# rewritten when PREFIX, LIBDIR... differ from the last build's
$(O)/bouncekit.pc: bouncekit.pc.in include/bouncekit/bouncekit.h FORCE
	@mkdir -p $(O)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	  -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	  bouncekit.pc.in > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

FORCE:

install: $(O)/bouncekit $(O)/libbouncekit.a $(O)/libbouncekit.so $(O)/bouncekit.pc man
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
	  $(DESTDIR)$(INCLUDEDIR)/bouncekit $(DESTDIR)$(PKGCONFIGDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 755 $(O)/bouncekit $(DESTDIR)$(BINDIR)/bouncekit
	$(INSTALL) -m 644 $(O)/libbouncekit.a $(DESTDIR)$(LIBDIR)/libbouncekit.a
	$(INSTALL) -m 755 $(O)/libbouncekit.so.$(SOFULL) $(DESTDIR)$(LIBDIR)/libbouncekit.so.$(SOFULL)
	ln -sf libbouncekit.so.$(SOFULL) $(DESTDIR)$(LIBDIR)/libbouncekit.so.$(SOVERSION)
	ln -sf libbouncekit.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libbouncekit.so
	$(INSTALL) -m 644 include/bouncekit/*.h $(DESTDIR)$(INCLUDEDIR)/bouncekit/
	$(INSTALL) -m 644 $(O)/bouncekit.pc $(DESTDIR)$(PKGCONFIGDIR)/bouncekit.pc
	@for f in $(MAN_SRC) $(O)/man/bouncekit-*.1; do \
	  [ -e "$$f" ] || continue; s=$${f##*.}; \
	  $(INSTALL) -d $(DESTDIR)$(MANDIR)/man$$s || exit 1; \
	  echo "$(INSTALL) -m 644 $$f $(DESTDIR)$(MANDIR)/man$$s/"; \
	  $(INSTALL) -m 644 $$f $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; done
	$(INSTALL) -m 644 $(BASHCOMP) $(DESTDIR)$(BASHCOMPDIR)/bouncekit
ifneq ($(UNITS),)
	$(INSTALL) -d $(DESTDIR)$(SYSTEMDDIR)
	@for f in $(UNITS); do \
	  echo "install $$f -> $(DESTDIR)$(SYSTEMDDIR)/ (@BINDIR@, @SYSCONFDIR@ filled)"; \
	  sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' "$$f" \
	    > $(DESTDIR)$(SYSTEMDDIR)/$${f##*/} && chmod 644 $(DESTDIR)$(SYSTEMDDIR)/$${f##*/} || exit 1; done
endif
ifneq ($(CONFS),)
	$(INSTALL) -d $(DESTDIR)$(SYSCONFDIR)/bouncekit
	@for f in $(CONFS); do t=$(DESTDIR)$(SYSCONFDIR)/bouncekit/$${f##*/}; \
	  if [ -e "$$t" ] && ! cmp -s "$$f" "$$t"; then \
	    echo "kept $$t (changed locally; the new one is $$t.new)"; \
	    $(INSTALL) -m 644 "$$f" "$$t.new" || exit 1; \
	  else $(INSTALL) -m 644 "$$f" "$$t" || exit 1; fi; done
endif
	@if [ -z "$(DESTDIR)" ] && command -v $(LDCONFIG) >/dev/null 2>&1; then \
	  echo "$(LDCONFIG)"; $(LDCONFIG) || true; fi

# Removes what install put there; a configuration file only when it is
# still the example as shipped.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/bouncekit
	rm -f $(DESTDIR)$(LIBDIR)/libbouncekit.a $(DESTDIR)$(LIBDIR)/libbouncekit.so \
	  $(DESTDIR)$(LIBDIR)/libbouncekit.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libbouncekit.so.$(SOFULL)
	rm -rf $(DESTDIR)$(INCLUDEDIR)/bouncekit
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/bouncekit.pc
	rm -f $(DESTDIR)$(MANDIR)/man1/bouncekit.1 $(DESTDIR)$(MANDIR)/man1/bouncekit-*.1 \
	  $(DESTDIR)$(MANDIR)/man3/libbouncekit.3
	@for f in $(MAN_SRC); do rm -f $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/}; done
	rm -f $(DESTDIR)$(BASHCOMPDIR)/bouncekit
	@for f in $(UNITS); do rm -f $(DESTDIR)$(SYSTEMDDIR)/$${f##*/}; done
	@for f in $(CONFS); do t=$(DESTDIR)$(SYSCONFDIR)/bouncekit/$${f##*/}; \
	  if cmp -s "$$f" "$$t"; then rm -f "$$t"; elif [ -e "$$t" ]; then echo "kept $$t (changed locally)"; fi; \
	  rm -f "$$t.new"; done
	-@rmdir $(DESTDIR)$(SYSCONFDIR)/bouncekit 2>/dev/null || true
	@if [ -z "$(DESTDIR)" ] && command -v $(LDCONFIG) >/dev/null 2>&1; then \
	  echo "$(LDCONFIG)"; $(LDCONFIG) || true; fi

-include $(DEPS)
