# bouncekit - build, test, bench.  `make help` lists the targets.

CC      ?= cc
O       ?= build
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes \
           -Wmissing-prototypes -Werror
STD     := -std=c17 -D_GNU_SOURCE
CPPFLAGS_ALL := -Iinclude -Ilib $(CPPFLAGS)
CFLAGS_ALL   := $(STD) $(WARN) -fPIC -pthread $(CFLAGS)
LDLIBS  := -pthread

# The phrase tables are compiled into an automaton at build time
# (tools/phrasegen.c): the library matches with the generated arrays, and
# holds the tables themselves only to name the row that matched when a
# verdict is explained (lib/reason/explain.c).
PHRASE_SRC := $(sort $(wildcard lib/reason/phrases_*.c))
LIB_SRC := $(sort $(wildcard lib/*/*.c))
CLI_SRC := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(O)/obj/%.o) $(O)/obj/gen/phrases_ac.o
CLI_OBJ := $(CLI_SRC:%.c=$(O)/obj/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(O)/obj/%.o)
DEPS := $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)

.PHONY: all lib test asan bench bench-compare demo fuzz torture lint clean deps deps-test help install

all: $(O)/bouncekit $(O)/libbouncekit.a $(O)/libbouncekit.so

help:
	@echo "make            build $(O)/bouncekit and the libraries"
	@echo "make demo       parse the sample mbox of our own fixtures (JSON)"
	@echo "make test       build and run every test (last line: N passed, N failed)"
	@echo "make asan       the tests under AddressSanitizer and UBSan"
	@echo "make bench      throughput and memory over the shared corpus"
	@echo "make bench-compare  bouncekit against Perl (and Go) Sisimai, same files"
	@echo "make fuzz       run each libFuzzer target (FUZZ_SECONDS=60)"
	@echo "make torture    fail each allocation of a decode in turn"
	@echo "make lint       clang-format check and cppcheck"
	@echo "make deps       install the Debian build dependencies (as root)"

$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# The generator runs on the build machine: built without the sanitizer or
# fuzzer flags of CFLAGS, so that it is the same tool in every build.
HOSTCC ?= $(CC)
$(O)/phrasegen: tools/phrasegen.c $(PHRASE_SRC) lib/core/sv.c lib/reason/phrase.h lib/reason/phrase_ac.h lib/reason/reasons.def
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOSTCC) $(CPPFLAGS_ALL) $(STD) $(WARN) -O1 -o $@ tools/phrasegen.c $(PHRASE_SRC) lib/core/sv.c

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

$(O)/libbouncekit.so: $(LIB_OBJ)
	@echo "  LD      $@"
	@$(CC) -shared $(CFLAGS_ALL) -o $@ $^ $(LDLIBS)

$(O)/bouncekit: $(CLI_OBJ) $(O)/libbouncekit.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $(CLI_OBJ) $(O)/libbouncekit.a $(LDLIBS)

$(O)/unit-tests: $(UNIT_OBJ) $(O)/libbouncekit.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $(UNIT_OBJ) $(O)/libbouncekit.a $(LDLIBS)

test: deps-test $(O)/bouncekit $(O)/unit-tests
	@sh tests/run.sh $(O)

deps-test:
	@sh scripts/deps.sh test

asan:
	$(MAKE) O=build-asan OPT=-O1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  test

bench: $(O)/bouncekit $(O)/bench
	@sh bench/run.sh $(O)

bench-compare: $(O)/bouncekit
	@sh bench/compare.sh $(O)

$(O)/bench: bench/bench.c $(O)/libbouncekit.a
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< $(O)/libbouncekit.a $(LDLIBS)

fuzz:
	@sh scripts/deps.sh fuzz
	@sh fuzz/run.sh

# BK_TORTURE: arena allocations count too, so each one can be failed.
# TORTURE_CORPUS: how many files of ../shared/corpus to add, when present.
TORTURE_CORPUS ?= 12
torture:
	$(MAKE) O=build-torture OPT=-O1 \
	  CFLAGS="-O1 -g -DBK_TORTURE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  build-torture/torture
	@corpus=""; if [ -d ../shared/corpus/sisimai/maildir ]; then \
	  corpus=$$(ls ../shared/corpus/sisimai/maildir/*/* | \
	    awk -v n=$(TORTURE_CORPUS) '{ f[NR] = $$0 } END { for (i = 1; i <= n && NR; i++) print f[int((i - 0.5) * NR / n) + 1] }'); \
	else echo "torture: no ../shared/corpus, fixtures only"; fi; \
	ASAN_OPTIONS=detect_leaks=1 build-torture/torture tests/golden/*.eml tests/golden/*.mbox $$corpus

$(O)/torture: tests/torture.c $(O)/libbouncekit.a
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< $(O)/libbouncekit.a $(LDLIBS)

demo: $(O)/bouncekit
	$(O)/bouncekit parse tests/fixtures/sample.mbox

deps:
	@sh scripts/deps.sh test

lint:
	@sh scripts/lint.sh

clean:
	rm -rf build build-asan build-fuzz build-torture

-include $(DEPS)
