# wiot -- world input-output analysis. See README.md.
#   make            library (static + shared), CLI ./wiot
#   make run        the main job on the embedded default data
#   make test       install missing packages, build, run every test (Criterion + CLI + install)
#   make check      the fast subset (Criterion only)
#   make sanitize   the Criterion suite, CLI tests and fuzz-corpus replay under ASan + UBSan
#   make valgrind   the CLI's main job under valgrind memcheck
#   make fuzz       each fuzz target (tests/fuzz) for FUZZ_SECONDS (clang + libFuzzer)
#   make fuzz-regress  replay the saved fuzz corpus and past crashes under ASan + UBSan
#   make test-browser  the HTML report rendered by headless Chromium (not part of test)
#   make bench      benchmarks (not part of test)
#   make install / uninstall  (PREFIX, DESTDIR, LIBDIR, INCLUDEDIR, PKGCONFIGDIR, MANDIR, COMPLETIONDIR)

VERSION_MAJOR := 0
VERSION_MINOR := 1
VERSION_PATCH := 0
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DATADIR ?= $(PREFIX)/share/wiot
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

CC ?= cc
CFLAGS ?= -O2 -g
BUILD ?= build

WIOT_CFLAGS := -MMD -MP -std=c11 -Wall -Wextra -Werror -fPIC -fvisibility=hidden -fopenmp -Iinclude -Ikernel
WIOT_LIBS := -lminizip -llapacke -lopenblas -lz -lm
WIOT_LDFLAGS := -fopenmp

# Sources are picked by folder: each folder of kernel/ is one layer of the library
# (README.md, "Layout of the sources"), listed bottom-up; kernel/cli is the command-line driver,
# kernel/mpi the optional MPI build, kernel/tools build-time programs.
LIB_LAYERS := common table formats model exposure gvc tariff satellite ge
LIB_SRC := $(foreach d,$(LIB_LAYERS),$(wildcard kernel/$(d)/*.c))
# the report (SVG charts, report.html; kernel/report/) is driver-side: in the CLI, not in libwiot
REPORT_SRC := $(wildcard kernel/report/*.c)
CLI_SRC := $(wildcard kernel/cli/*.c) $(REPORT_SRC)
LIB_OBJ := $(patsubst kernel/%.c,$(BUILD)/%.o,$(LIB_SRC))
REPORT_OBJ := $(patsubst kernel/%.c,$(BUILD)/%.o,$(REPORT_SRC)) $(BUILD)/report/map_data.o
CLI_OBJ := $(patsubst kernel/%.c,$(BUILD)/%.o,$(CLI_SRC)) $(BUILD)/cli/cli_data.o $(BUILD)/report/map_data.o
TEST_SRC := $(wildcard tests/test_*.c)
TEST_OBJ := $(patsubst tests/%.c,$(BUILD)/tests/%.o,$(TEST_SRC))

STATIC := $(BUILD)/libwiot.a
SHARED := $(BUILD)/libwiot.so.$(VERSION)
SONAME := libwiot.so.$(VERSION_MAJOR)
CLI := $(BUILD)/wiot
TESTBIN := $(BUILD)/run_tests

# Criterion: parallel workers on both cores; --jobs overridable. Every test is killed
# (and fails) after TEST_TIMEOUT seconds, so a test that blocks -- a loader waiting on
# a FIFO once did -- fails CI instead of hanging it (the slowest test takes ~10 s,
# ~1 min under the sanitizers).
TEST_JOBS ?= 2
TEST_TIMEOUT ?= 600

.PHONY: FORCE all run test check sanitize valgrind bench install uninstall clean deps cli-test install-test test-browser \
  fuzz fuzz-build fuzz-regress \
  mpi mpi-deps test-mpi
.DEFAULT_GOAL := all

all: $(STATIC) $(SHARED) $(CLI) wiot

wiot: $(CLI)
	@cp -f $(CLI) wiot

$(BUILD)/%.o: kernel/%.c include/wiot.h | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WIOT_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/cli/%.o: kernel/cli/%.c include/wiot.h | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WIOT_CFLAGS) -DWIOT_DATADIR='"$(DATADIR)"' $(CFLAGS) -c $< -o $@

# The default table and the built-in scenarios are embedded in the CLI (.incbin). The
# table goes in as a binary .wiot image, written at build time from the shipped gzip
# CSV by kernel/tools/wiot_embed.c, so the CLI uses it in place (wiot_table_load_static)
# instead of inflating and parsing 5 MB of text on every run.
EMBEDDED := data/wiod2013/sectors.csv data/wiod2013/countries.csv \
  data/wiod2016/sectors.csv $(wildcard data/scenarios/wiod2013/*.csv) $(wildcard data/scenarios/wiod2016/*.csv)
$(BUILD)/wiot-embed: kernel/tools/wiot_embed.c include/wiot.h $(STATIC)
	$(CC) $(WIOT_CFLAGS) $(CFLAGS) $(WIOT_LDFLAGS) $(LDFLAGS) $< -o $@ $(STATIC) $(WIOT_LIBS)
$(BUILD)/embed/wiot_2011.wiot: data/wiod2013/wiot_2011.csv.gz $(BUILD)/wiot-embed
	@mkdir -p $(BUILD)/embed
	$(BUILD)/wiot-embed $< $@
$(BUILD)/cli/cli_data.o: kernel/cli/cli_data.S $(EMBEDDED) $(BUILD)/embed/wiot_2011.wiot | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -I$(BUILD)/embed -c $< -o $@

$(BUILD):
	@mkdir -p $(BUILD)/tests $(BUILD)/ge

$(filter $(BUILD)/satellite/%,$(LIB_OBJ)): | $(BUILD)/satellite
$(BUILD)/satellite:
	@mkdir -p $@

$(BUILD)/report:
	@mkdir -p $(BUILD)/report
$(REPORT_OBJ): | $(BUILD)/report
# the world map's outlines (data/maps/world_110m.txt), embedded for the report
$(BUILD)/report/map_data.o: kernel/report/map_data.S data/maps/world_110m.txt | $(BUILD)/report
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(STATIC): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(SHARED): $(LIB_OBJ)
	$(CC) $(WIOT_LDFLAGS) $(LDFLAGS) $(CFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(WIOT_LIBS)
	ln -sf libwiot.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libwiot.so

$(CLI): $(CLI_OBJ) $(STATIC)
	$(CC) $(WIOT_LDFLAGS) $(LDFLAGS) $(CFLAGS) -o $@ $(CLI_OBJ) $(STATIC) $(WIOT_LIBS)

$(BUILD)/tests/%.o: tests/%.c tests/helpers.h include/wiot.h | $(BUILD)
	$(CC) $(CPPFLAGS) $(WIOT_CFLAGS) -Wno-unused-parameter $(CFLAGS) -Ikernel -c $< -o $@

# tests/test_report.c tests the report's charts (not html.c: it writes through the CLI)
TEST_REPORT_OBJ := $(filter-out $(BUILD)/report/html.o,$(REPORT_OBJ))
$(TESTBIN): $(TEST_OBJ) $(STATIC) $(TEST_REPORT_OBJ)
	$(CC) $(WIOT_LDFLAGS) $(LDFLAGS) $(CFLAGS) -o $@ $(TEST_OBJ) $(TEST_REPORT_OBJ) $(STATIC) -lcriterion $(WIOT_LIBS)

deps:
	@sh .ci/install-deps

run: deps all
	./wiot info
	./wiot tariff

check: all $(TESTBIN)
	cd tests && ../$(TESTBIN) --jobs $(TEST_JOBS) --timeout $(TEST_TIMEOUT)

cli-test: all
	sh tests/cli_tests.sh ./$(CLI)
	sh tests/cli_bad.sh ./$(CLI)
	sh tests/cli_structure.sh ./$(CLI)
	sh tests/cli_content_tariff.sh ./$(CLI)
	sh tests/layers.sh $(BUILD)
	sh tests/readme_test.sh ./$(CLI)
	sh tests/cli_footprint.sh ./$(CLI)
	sh tests/cli_ge.sh ./$(CLI)
	sh tests/cli_report.sh ./$(CLI)
	sh tests/cli_gvc.sh ./$(CLI)
	sh tests/cli_charts.sh ./$(CLI)
	sh tests/cli_harden.sh ./$(CLI)

install-test: all
	sh tests/install_test.sh

# the report in a real browser: headless Chromium (sh .ci/install-deps browser)
# renders report.html; no request, not blank, pixels (tests/browser_test.sh)
$(BUILD)/png_probe: tests/png_probe.c | $(BUILD)
	$(CC) $(CPPFLAGS) -std=c11 -Wall -Wextra -Werror $(CFLAGS) $(LDFLAGS) $< -o $@ -lz
test-browser: all $(BUILD)/png_probe
	@sh .ci/install-deps browser
	sh tests/browser_test.sh ./$(CLI) $(BUILD)/png_probe $(BUILD)/browser

test: deps
	$(MAKE) check
	$(MAKE) cli-test
	$(MAKE) install-test

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
sanitize: deps
	$(MAKE) BUILD=build-san CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" build-san/run_tests build-san/wiot
	cd tests && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ../build-san/run_tests --jobs $(TEST_JOBS) --timeout $(TEST_TIMEOUT)
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/cli_tests.sh build-san/wiot
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/cli_bad.sh build-san/wiot
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/cli_footprint.sh build-san/wiot
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/cli_report.sh build-san/wiot
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/cli_gvc.sh build-san/wiot
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/cli_charts.sh build-san/wiot
	$(MAKE) fuzz-regress

valgrind: all
	valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  --suppressions=tests/valgrind.supp ./wiot tariff > /dev/null

bench: all
	$(MAKE) -C bench

# ---- fuzzing (tests/fuzz/README.md). Targets: table (CSV and gzip), wiot (binary
# .wiot), scenario (scenario files and expressions), cli (argument parsing and
# every subcommand, in-process), formats (provider layouts: OECD ICIO, WIOD 2016,
# EXIOBASE 3, Eora26), map (mapping files, aggregation, mapped scenarios). The
# library and CLI are built with coverage instrumentation and ASan + UBSan;
# libFuzzer's new inputs go to build-fuzz/corpus/TARGET (seeds:
# tests/fuzz/corpus/TARGET, read-only), crashes to tests/fuzz/crashes/TARGET/,
# where fuzz-regress replays them for ever after.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := table wiot scenario cli formats map
FUZZ_SAN := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_ENV := OMP_THREAD_LIMIT=2 ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
FUZZ_OPTS := -rss_limit_mb=2560 -malloc_limit_mb=1024 -timeout=20 -print_final_stats=1
FUZZ_CLI_OBJ = $(patsubst kernel/%.c,$(1)/%.o,$(CLI_SRC)) $(1)/cli/cli_data.o $(1)/report/map_data.o
FUZZ_DEPLIBS := -lminizip -llapacke -lopenblas -lz -lm

fuzz-build:
	$(MAKE) BUILD=build-fuzz CC=$(FUZZ_CC) CPPFLAGS=-Dmain=wiot_cli_main \
	  CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" build-fuzz/libwiot.a $(call FUZZ_CLI_OBJ,build-fuzz)
	for t in table scenario cli formats map; do \
	  extra=; [ $$t = cli ] && extra="$(call FUZZ_CLI_OBJ,build-fuzz)"; \
	  $(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -fopenmp -std=c11 -Iinclude tests/fuzz/fuzz_$$t.c \
	    $$extra build-fuzz/libwiot.a $(FUZZ_DEPLIBS) -o build-fuzz/fuzz_$$t || exit 1; \
	done
	ln -sf fuzz_table build-fuzz/fuzz_wiot

# FUZZ_SECONDS per target, one after the other; prints executions and crashes.
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t tests/fuzz/crashes/$$t; \
	  dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	  [ $$t = cli ] && dict="$$dict -close_fd_mask=3"; \
	  [ $$t = scenario ] && dict="$$dict -max_len=16384"; \
	  $(FUZZ_ENV) build-fuzz/fuzz_$$t build-fuzz/corpus/$$t tests/fuzz/corpus/$$t $$dict $(FUZZ_OPTS) \
	    -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=tests/fuzz/crashes/$$t/ \
	    > build-fuzz/$$t.log 2>&1; rc=$$?; \
	  echo "fuzz $$t: $$(sed -n 's/^stat::number_of_executed_units: *//p' build-fuzz/$$t.log) executions in $(FUZZ_SECONDS) s, exit $$rc"; \
	  if [ $$rc -ne 0 ]; then grep -A30 -m1 'ERROR\|fuzz:' build-fuzz/$$t.log; failed=1; fi; \
	done; [ -z "$$failed" ]

# Replay tests/fuzz/corpus and tests/fuzz/crashes through the targets built with
# $(CC) and the sanitizers (no clang needed); each input runs once.
fuzz-regress:
	$(MAKE) BUILD=build-regress CPPFLAGS=-Dmain=wiot_cli_main CFLAGS="$(SAN_FLAGS)" \
	  build-regress/libwiot.a $(call FUZZ_CLI_OBJ,build-regress)
	for t in table scenario cli formats map; do \
	  extra=; [ $$t = cli ] && extra="$(call FUZZ_CLI_OBJ,build-regress)"; \
	  $(CC) $(SAN_FLAGS) -fopenmp -std=c11 -Wall -Wextra -Werror -Iinclude tests/fuzz/fuzz_$$t.c tests/fuzz/replay.c \
	    $$extra build-regress/libwiot.a $(FUZZ_DEPLIBS) -o build-regress/replay_$$t || exit 1; \
	done
	ln -sf replay_table build-regress/replay_wiot
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p tests/fuzz/crashes/$$t; \
	  $(FUZZ_ENV) build-regress/replay_$$t tests/fuzz/corpus/$$t tests/fuzz/crashes/$$t || exit 1; \
	done

# wiot.pc carries the PREFIX, LIBDIR and INCLUDEDIR of this make run: make install
# PREFIX=/opt/wiot writes /opt/wiot into the installed file, which install writes
# itself (no shared file in the tree that two installs with different prefixes race
# on). `make wiot.pc` writes a copy here, rewritten whenever its text changes.
WIOT_PC = 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
  'Name: wiot' 'Description: world input-output analysis (Leontief, tariffs, value added)' \
  'Version: $(VERSION)' 'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lwiot' \
  'Libs.private: -lminizip -llapacke -lopenblas -lz -lm -fopenmp'
wiot.pc: FORCE
	@printf '%s\n' $(WIOT_PC) > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi
FORCE:

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(DATADIR)
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/wiot
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/libwiot.a
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/libwiot.so.$(VERSION)
	ln -sf libwiot.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libwiot.so
	install -m 644 include/wiot.h $(DESTDIR)$(INCLUDEDIR)/wiot.h
	printf '%s\n' $(WIOT_PC) > $(DESTDIR)$(PKGCONFIGDIR)/wiot.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/wiot.pc
	cp -R data/. $(DESTDIR)$(DATADIR)/
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPLETIONDIR)
	$(CLI) man > $(DESTDIR)$(MANDIR)/man1/wiot.1
	$(CLI) completion > $(DESTDIR)$(COMPLETIONDIR)/wiot
	chmod 644 $(DESTDIR)$(MANDIR)/man1/wiot.1 $(DESTDIR)$(COMPLETIONDIR)/wiot

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wiot $(DESTDIR)$(LIBDIR)/libwiot.a $(DESTDIR)$(LIBDIR)/libwiot.so* \
	  $(DESTDIR)$(INCLUDEDIR)/wiot.h $(DESTDIR)$(PKGCONFIGDIR)/wiot.pc \
	  $(DESTDIR)$(MANDIR)/man1/wiot.1 $(DESTDIR)$(COMPLETIONDIR)/wiot
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(MANDIR)/man1/wiot.1 $(DESTDIR)$(COMPLETIONDIR)/wiot

# ---- MPI build (optional): wiot-mpi and the MPI entry points (include/wiot_mpi.h)
MPICC ?= mpicc
MPI_LIBS := -lscalapack-openmpi
MPI_NP ?= 1 2 4
MPI_OBJ := $(BUILD)/mpi/mpi.o $(BUILD)/mpi/cli_mpi.o $(BUILD)/mpi/cli_main.o \
  $(filter-out $(BUILD)/cli/main.o,$(CLI_OBJ))

mpi: $(BUILD)/wiot-mpi

mpi-deps:
	@sh .ci/install-deps mpi

$(BUILD)/mpi/%.o: kernel/mpi/%.c include/wiot.h include/wiot_mpi.h | $(BUILD)
	@mkdir -p $(BUILD)/mpi
	$(MPICC) $(CPPFLAGS) $(WIOT_CFLAGS) -Ikernel $(CFLAGS) -c $< -o $@

$(BUILD)/mpi/cli_main.o: kernel/cli/main.c include/wiot.h | $(BUILD)
	@mkdir -p $(BUILD)/mpi
	$(CC) $(CPPFLAGS) $(WIOT_CFLAGS) -DWIOT_DATADIR='"$(DATADIR)"' -Dmain=wiot_serial_main $(CFLAGS) -c $< -o $@

$(BUILD)/wiot-mpi: $(MPI_OBJ) $(STATIC)
	$(MPICC) $(WIOT_LDFLAGS) $(LDFLAGS) $(CFLAGS) -o $@ $(MPI_OBJ) $(STATIC) $(MPI_LIBS) $(WIOT_LIBS)

bench-mpi: mpi-deps
	$(MAKE) all mpi
	sh bench/bench_mpi.sh $(BUILD)/wiot-mpi $(BUILD)/wiot

test-mpi: mpi-deps
	$(MAKE) mpi
	MPI_NP="$(MPI_NP)" sh tests/mpi_tests.sh $(BUILD)/wiot-mpi $(BUILD)/wiot

clean:
	rm -rf build build-san build-fuzz build-regress wiot wiot.pc wiot.pc.tmp

-include $(wildcard $(BUILD)/*/*.d $(BUILD)/*.d)
