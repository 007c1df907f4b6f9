# cxtop — plain GNU make. `make run` builds and opens the dashboard on
# sample_data/; `make check` runs every test layer. Missing Debian packages
# are installed by the `deps` step (apt-get as root, sudo otherwise).

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share/cxtop
DESTDIR    ?=
PKG_CONFIG ?= pkg-config
CC         ?= cc

VERSION    := 0.1.0
WARN       := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes \
              -Wstrict-prototypes -Wwrite-strings -Wno-unused-parameter -Werror
CPPFLAGS   += -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
              -DCXTOP_VERSION='"$(VERSION)"' -DCXTOP_DATADIR='"$(DATADIR)"'
CFLAGS     ?= -O2 -g
CFLAGS     += -std=c11 $(WARN)
PKGS       := ncursesw inih libpq
# libpq's header only: src/pgconn.c loads libpq when a database source
# first connects (4 ms off every start); what calls it directly links it
LIBS_PKG    = $(shell $(PKG_CONFIG) --libs ncursesw inih 2>/dev/null) -ldl
LIBS_PQ     = $(shell $(PKG_CONFIG) --libs libpq 2>/dev/null)
CFLAGS_PKG  = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS     += $(LIBS_PKG) -lcsv -lm -pthread

SRCS  := $(sort $(wildcard src/*.c src/ui/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS  := $(SRCS:src/%.c=build/obj/%.o)
LIB_OBJS := $(LIB_SRCS:src/%.c=build/obj/%.o)
# Sanitizer build for the tests: every unit test runs under ASan + UBSan.
SAN   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_OBJS := $(LIB_SRCS:src/%.c=build/san/%.o)
TESTS := $(sort $(wildcard tests/test_*.c))
TEST_BINS := $(TESTS:tests/%.c=build/tests/%)

# Quiet by default; `make V=1` shows the commands.
Q := $(if $(V),,@)
.SECONDARY:
.PHONY: all run check deps unit golden realdata install uninstall clean sample demo bench pg-check state-clean state-check

all: deps cxtop

# ---- dependencies --------------------------------------------------------
# Debian package names of what the build and the tests need. Only Debian's
# archive is used; nothing else is downloaded.
DEB_PKGS := libncurses-dev libcsv-dev libinih-dev libcmocka-dev pkg-config tmux python3 ncurses-term tzdata \
            libpq-dev postgresql
build/.deps:
	@mkdir -p build
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  echo "cxtop: installing missing Debian packages:$$missing (with $${SUDO:-apt-get as root})"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null || \
	  { echo "cxtop: could not install:$$missing — install them and run make again" >&2; exit 1; }; \
	fi
	@touch $@
deps: build/.deps

# ---- the program ---------------------------------------------------------
# The themes directory is compiled in; rebuild when PREFIX/DATADIR change.
build/.datadir: FORCE
	@mkdir -p build
	@echo '$(DATADIR)' | cmp -s - $@ 2>/dev/null || echo '$(DATADIR)' >$@
build/obj/main.o: build/.datadir
.PHONY: FORCE
FORCE:

cxtop: $(OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

build/obj/%.o: src/%.c build/.deps $(wildcard include/cxtop/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_PKG) -c -o $@ $<

build/san/%.o: src/%.c build/.deps $(wildcard include/cxtop/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC san  $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -O1 $(SAN) $(CFLAGS_PKG) -c -o $@ $<

build/tests/%: tests/%.c $(SAN_OBJS) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -O1 $(SAN) $(CFLAGS_PKG) -Itests -o $@ $< $(SAN_OBJS) $(LDLIBS) -lcmocka $(LIBS_PQ)

build/gen_sample: tests/gen_sample.c tests/splitmix.h build/.deps
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lm

# Regenerate the sample data (deterministic: same bytes every time).
sample: build/gen_sample
	build/gen_sample sample_data

run: all
	./cxtop sample_data

build/demo_feed: tests/demo_feed.c tests/splitmix.h build/.deps
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

# The dashboard on a throw-away copy of sample_data/ while build/demo_feed
# appends rows every second. When cxtop exits (or on Ctrl-C) the feeder is
# stopped and the copy removed; the feeder's messages are shown then.
demo: all build/demo_feed
	@d=$$(mktemp -d "$${TMPDIR:-/tmp}/cxtop-demo-XXXXXX") || exit 1; feeder=; \
	trap 'if [ -n "$$feeder" ]; then kill "$$feeder" 2>/dev/null; wait "$$feeder" 2>/dev/null; fi; \
	      if [ -s "$$d/demo_feed.log" ]; then cat "$$d/demo_feed.log" >&2; fi; rm -rf "$$d"' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM HUP; \
	cp sample_data/*.csv "$$d"/ || exit 1; \
	echo "cxtop demo: data copied to $$d, feeding it every second (quit cxtop to stop)"; \
	build/demo_feed "$$d" 2>"$$d/demo_feed.log" & feeder=$$!; \
	./cxtop "$$d"

# ---- tests ---------------------------------------------------------------
# Each test binary prints its cmocka summary; failures print in full.
# Tests keep their states (issue 14) in the build tree, never in the
# user's ~/.local/state; each run of make check starts without any.
TEST_STATE := $(CURDIR)/build/test-state
unit golden threads screen install-check pg-check fuzz-check valgrind state-check: export XDG_STATE_HOME = $(TEST_STATE)
bench: export XDG_STATE_HOME = $(CURDIR)/build/bench-state

state-clean:
	@rm -rf $(TEST_STATE)

state-check: cxtop build/gen_sample
	@sh tests/state.sh

unit: $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do \
	  if ASAN_OPTIONS=detect_leaks=1 $$t >build/tests/last.log 2>&1; then \
	    printf '  PASS    %s (%s)\n' "$$t" "$$(grep -o '[0-9]* test(s) run' build/tests/last.log)"; \
	  else cat build/tests/last.log; echo "  FAIL    $$t"; exit 1; fi; \
	done

golden: cxtop
	@sh tests/golden.sh

# install into a scratch DESTDIR and uninstall again: nothing may be left
# -j 2, 3 and 8 give -j 1's numbers (tests/threads.sh)
.PHONY: threads
threads: cxtop build/gen_sample
	@sh tests/threads.sh

install-check: cxtop
	@d=$$(mktemp -d) && \
	$(MAKE) -s install DESTDIR=$$d >/dev/null && \
	test -x $$d$(PREFIX)/bin/cxtop && test -f $$d$(PREFIX)/share/man/man1/cxtop.1 && \
	test -f $$d$(PREFIX)/share/cxtop/themes/default.ini && \
	$(MAKE) -s uninstall DESTDIR=$$d >/dev/null && \
	test -z "$$(find $$d -type f)" && rm -rf $$d && echo "install: install and uninstall honour DESTDIR (PREFIX=$(PREFIX))" || \
	{ echo "install-check failed in $$d"; exit 1; }

# the real binary in tmux at 80x24 and 160x48 (tests/screen.sh)
screen: cxtop
	@bash tests/screen.sh

# the tests that need a PostgreSQL server, beside a throwaway one
# (tests/pg_server.sh: a unix socket in a temporary directory)
pg-check: $(TEST_BINS) build/gen_sample cxtop
	@sh tests/pg_server.sh sh -c 'for t in build/tests/test_pgconn build/tests/test_pgseed; do \
	  if ASAN_OPTIONS=detect_leaks=1 $$t >build/tests/pg.log 2>&1; then printf "  PASS    %s (%s)\n" $$t \
	  "$$(grep -o "[0-9]* test(s) run" build/tests/pg.log) against a throwaway server"; \
	  else cat build/tests/pg.log; echo "  FAIL    $$t"; exit 1; fi; done; \
	  sh tests/pg_equiv.sh && sh tests/pg_live.sh && sh tests/pg_fault.sh && sh tests/pg_state.sh'

check: all state-clean unit golden threads state-check screen install-check pg-check fuzz-check valgrind
	@echo "cxtop: all checks passed"

# ---- install -------------------------------------------------------------
install: cxtop
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/themes
	install -m 755 cxtop $(DESTDIR)$(BINDIR)/cxtop
	install -m 644 man/cxtop.1 $(DESTDIR)$(MANDIR)/man1/cxtop.1
	install -m 644 themes/*.ini $(DESTDIR)$(DATADIR)/themes/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cxtop $(DESTDIR)$(MANDIR)/man1/cxtop.1
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/themes/,$(notdir $(wildcard themes/*.ini)))
	-rmdir $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(DATADIR) 2>/dev/null

clean:
	rm -rf build cxtop

# ---- benchmark -----------------------------------------------------------
# `make bench` prints one table of figures (tests/bench.sh, tests/bench.c):
# cold ingest against a bare libcsv pass, gawk and sqlite3 on the same
# file, incremental appends, peak RSS, drawing every screen, startup. The
# data is generated into build/bench (reused while its stamp matches);
# gawk and sqlite3 are installed with apt-get when missing. A missed target
# is a verdict in the table, never a failure. Then the cold read of 10M
# rows against DuckDB (npm package installed into build/duckdb by the
# bench, skipped where it cannot be), gawk and the floor
# (tests/bench_cold.py), and the warehouse figures (tests/bench_pg.sh).
# `make bench-smoke` runs the first program on tiny data, once, without
# verdicts (for CI).
.PHONY: bench-smoke
build/bench/bench: tests/bench.c tests/bench_child.c tests/bench.h $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_PKG) -o $@ tests/bench.c tests/bench_child.c \
		$(LIB_OBJS) $(LDLIBS)

build/bench/bench_pg: tests/bench_pg.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_PKG) -o $@ tests/bench_pg.c $(LIB_OBJS) $(LDLIBS) $(LIBS_PQ)

build/bench/bench_state: tests/bench_state.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_PKG) -o $@ tests/bench_state.c $(LIB_OBJS) $(LDLIBS)

bench: all build/gen_sample build/bench/bench build/bench/bench_pg build/bench/bench_state
	@sh tests/bench.sh

bench-smoke: all build/gen_sample build/bench/bench
	@sh tests/bench.sh --smoke

# ---- soak -------------------------------------------------------------------
# `make soak` (minutes, not part of check): the real dashboard in tmux
# follows a log written at 2,000 rows/s and rotated every 15 s by
# rename-and-create, dated rename and copytruncate in turn; at the end the
# writer's counts, the dashboard's screen and --once must agree row for row
# and on every campaign's revenue. SOAK_SECONDS (300) and ROTATE_SECONDS
# (15) set the length.
.PHONY: soak
soak: all
	@python3 tests/soak.py

# ---- fuzzing ---------------------------------------------------------------
# libFuzzer targets (tests/fuzz/fuzz_*.c): CSV ingestion through record,
# store and view; the config parser; the theme parser; the field parsers;
# --detect; csvin's fast path for plain lines against libcsv (csvsplit).
# They link against src/*.c (not main.c, not the screens) compiled with
# clang and the same sanitizers into build/fuzz/. `make fuzz` runs each
# target for FUZZ_SECONDS on build/fuzz/corpus-work/TARGET (grown there,
# never in git), seeded from tests/fuzz/corpus/TARGET (sh tests/fuzz/seeds.sh
# regenerates the seeds), and prints the executions per target; a crash
# leaves its input in build/fuzz/crashes/TARGET/ and fails. `make
# fuzz-check` (part of `make check`) runs each for FUZZ_CHECK_SECONDS, then
# every kept input of tests/fuzz/regress/TARGET/ once; it is skipped, with
# a message, when clang cannot link a libFuzzer program. `make fuzz`
# installs clang and its runtime (FUZZ_DEB_PKGS) like the deps step does.
.PHONY: fuzz fuzz-check fuzz-bins
FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_CHECK_SECONDS ?= 5
FUZZ_DEB_PKGS      := clang libclang-rt-14-dev
FUZZ_TARGETS       := ingest config theme parse detect csvsplit
# -max_len per target: a CSV needs room for many rows and long fields
FUZZ_MAXLEN_ingest := 65536
FUZZ_MAXLEN_config := 16384
FUZZ_MAXLEN_theme  := 8192
FUZZ_MAXLEN_parse  := 1024
FUZZ_MAXLEN_detect := 16384
FUZZ_MAXLEN_csvsplit := 16384
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -g -O1 $(FUZZ_SAN)
FUZZ_SRCS   := $(filter-out src/main.c,$(sort $(wildcard src/*.c)))
FUZZ_OBJS   := $(FUZZ_SRCS:src/%.c=build/fuzz/%.o)
FUZZ_BINS   := $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
FUZZ_LDLIBS := -lcsv -linih -lm -pthread
# theme.o holds the terminal side too (theme_apply): only fuzz_theme pulls
# it out of the archive, so only it needs ncursesw
FUZZ_LDLIBS_theme = $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null)
FUZZ_RUN = -rss_limit_mb=2048 -timeout=20 -print_final_stats=1

# Whether clang links a libFuzzer program (clang and its runtime present).
FUZZ_PROBE = mkdir -p build/fuzz && \
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{\n\treturn (int)(d && n) * 0;\n}\n' >build/fuzz/probe.c && \
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o build/fuzz/probe build/fuzz/probe.c >/dev/null 2>&1

build/fuzz/.deps:
	@if ! { $(FUZZ_PROBE); }; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  echo "cxtop: installing clang and libFuzzer: $(FUZZ_DEB_PKGS) (with $${SUDO:-apt-get as root})"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(FUZZ_DEB_PKGS) >/dev/null || \
	  { echo "cxtop: could not install: $(FUZZ_DEB_PKGS) — install them and run make again" >&2; exit 1; }; \
	  { $(FUZZ_PROBE); } || { echo "cxtop: $(FUZZ_CC) still cannot link a libFuzzer program" >&2; exit 1; }; \
	fi
	@touch $@

# src objects: warnings shown, not errors (the gcc build is the one that
# enforces them; clang's differ a little)
build/fuzz/%.o: src/%.c build/.deps build/fuzz/.deps $(wildcard include/cxtop/*.h)
	@echo "  CC fuzz $<"
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(filter-out -Werror,$(WARN)) -fsanitize=fuzzer-no-link $(CFLAGS_PKG) -c -o $@ $<

build/fuzz/libcxtop.a: $(FUZZ_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $(FUZZ_OBJS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzzfile.h build/fuzz/libcxtop.a
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(WARN) -fsanitize=fuzzer $(CFLAGS_PKG) -o $@ $< \
	  build/fuzz/libcxtop.a $(FUZZ_LDLIBS) $(FUZZ_LDLIBS_$*)

fuzz-bins: $(FUZZ_BINS)

# run TARGET SECONDS: one libFuzzer session on the working corpus; prints
# the executions and fails on a crash (the log keeps the report)
FUZZ_SESSION = \
	  mkdir -p build/fuzz/corpus-work/$$t build/fuzz/crashes/$$t build/fuzz/logs; \
	  log=build/fuzz/logs/$$t.log; \
	  if build/fuzz/fuzz_$$t $(FUZZ_RUN) -max_total_time=$$secs -max_len=$$len \
	       -artifact_prefix=build/fuzz/crashes/$$t/ \
	       build/fuzz/corpus-work/$$t tests/fuzz/corpus/$$t >$$log 2>&1; then \
	    printf '  FUZZ    %-7s %10s executions in %ss (%s/s), corpus %s inputs, no crash\n' $$t \
	      "$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log)" $$secs \
	      "$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log)" \
	      "$$(ls build/fuzz/corpus-work/$$t | wc -l)"; \
	  else \
	    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|fuzz_[a-z]+: invariant)' $$log | head -n 5; \
	    echo "  FAIL    fuzz_$$t: see $$log; the input is in build/fuzz/crashes/$$t/"; fail=1; \
	  fi

fuzz: deps build/fuzz/.deps
	@$(MAKE) -s fuzz-bins
	@fail=0; for t in $(FUZZ_TARGETS); do \
	  secs=$(FUZZ_SECONDS); \
	  case $$t in ingest) len=$(FUZZ_MAXLEN_ingest);; config) len=$(FUZZ_MAXLEN_config);; \
	    theme) len=$(FUZZ_MAXLEN_theme);; detect) len=$(FUZZ_MAXLEN_detect);; \
	    csvsplit) len=$(FUZZ_MAXLEN_csvsplit);; *) len=$(FUZZ_MAXLEN_parse);; esac; \
	  $(FUZZ_SESSION); \
	done; exit $$fail

fuzz-check: deps
	@if ! { $(FUZZ_PROBE); }; then \
	  echo "  SKIP    fuzz-check: $(FUZZ_CC) with libFuzzer not found (make fuzz installs $(FUZZ_DEB_PKGS))"; \
	  exit 0; \
	fi; \
	$(MAKE) -s fuzz-bins || exit 1; \
	fail=0; for t in $(FUZZ_TARGETS); do \
	  secs=$(FUZZ_CHECK_SECONDS); \
	  case $$t in ingest) len=$(FUZZ_MAXLEN_ingest);; config) len=$(FUZZ_MAXLEN_config);; \
	    theme) len=$(FUZZ_MAXLEN_theme);; detect) len=$(FUZZ_MAXLEN_detect);; \
	    csvsplit) len=$(FUZZ_MAXLEN_csvsplit);; *) len=$(FUZZ_MAXLEN_parse);; esac; \
	  $(FUZZ_SESSION); \
	  set -- tests/fuzz/regress/$$t/*; \
	  if [ -e "$$1" ]; then \
	    if build/fuzz/fuzz_$$t "$$@" >build/fuzz/logs/$$t-regress.log 2>&1; then \
	      echo "  PASS    fuzz_$$t regressions ($$# inputs)"; \
	    else \
	      grep -E '^(Running:|==[0-9]+==ERROR|SUMMARY|.*runtime error|fuzz_[a-z]+: invariant)' \
	        build/fuzz/logs/$$t-regress.log | tail -n 5; \
	      echo "  FAIL    fuzz_$$t regressions: see build/fuzz/logs/$$t-regress.log"; fail=1; \
	    fi; \
	  fi; \
	done; exit $$fail

# ---- valgrind
# `make valgrind` (part of `make check`): a debug build without sanitizers
# (build/vg/cxtop, -O1 -g, objects in build/vg/) run under memcheck:
# --once on the sample data and on a real export, then a short scripted
# screen session in tmux (tests/valgrind.sh). Any error, or any block
# definitely or indirectly lost, fails. valgrind is installed with apt-get
# like the deps step when it is missing.
.PHONY: valgrind
VG_OBJS := $(SRCS:src/%.c=build/vg/%.o)
build/.deps-valgrind: build/.deps
	@command -v valgrind >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  echo "cxtop: installing missing Debian package: valgrind (with $${SUDO:-apt-get as root})"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq valgrind >/dev/null || \
	  { echo "cxtop: could not install valgrind — install it and run make again" >&2; exit 1; }; }
	@touch $@

build/vg/main.o: build/.datadir
build/vg/%.o: src/%.c build/.deps $(wildcard include/cxtop/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC vg   $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -O1 -g $(CFLAGS_PKG) -c -o $@ $<

build/vg/cxtop: $(VG_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -O1 -g $(LDFLAGS) -o $@ $(VG_OBJS) $(LDLIBS)

valgrind: build/.deps-valgrind build/vg/cxtop
	@bash tests/valgrind.sh
