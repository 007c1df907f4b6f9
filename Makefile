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
PKGS       := ncursesw inih
LIBS_PKG    = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CFLAGS_PKG  = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS     += $(LIBS_PKG) -lcsv -lm

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
.PHONY: all run check deps unit golden realdata install uninstall clean sample demo bench

all: deps cxtop

# ---- dependencies --------------------------------------------------------
# Debian package names of what the build and the tests need. Only Debian's
# archive is used; nothing else is downloaded.
DEB_PKGS := libncurses-dev libcsv-dev libinih-dev libcmocka-dev pkg-config tmux python3 ncurses-term
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

build/tests/%: tests/%.c $(SAN_OBJS) tests/testutil.h
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -O1 $(SAN) $(CFLAGS_PKG) -Itests -o $@ $< $(SAN_OBJS) $(LDLIBS) -lcmocka

build/gen_sample: tests/gen_sample.c build/.deps
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lm

# Regenerate the sample data (deterministic: same bytes every time).
sample: build/gen_sample
	build/gen_sample sample_data

run: all
	./cxtop sample_data

build/demo_feed: tests/demo_feed.c build/.deps
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
unit: $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do \
	  if ASAN_OPTIONS=detect_leaks=1 $$t >build/tests/last.log 2>&1; then \
	    printf '  PASS    %s (%s)\n' "$$t" "$$(grep -o '[0-9]* test(s) run' build/tests/last.log)"; \
	  else cat build/tests/last.log; echo "  FAIL    $$t"; exit 1; fi; \
	done

golden: cxtop
	@sh tests/golden.sh

# install into a scratch DESTDIR and uninstall again: nothing may be left
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

check: all unit golden screen install-check
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
# is a verdict in the table, never a failure. `make bench-smoke` runs the
# same program on tiny data, once, without verdicts (for CI).
.PHONY: bench-smoke
build/bench/bench: tests/bench.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_PKG) -o $@ $< $(LIB_OBJS) $(LDLIBS)

bench: all build/gen_sample build/bench/bench
	@sh tests/bench.sh

bench-smoke: all build/gen_sample build/bench/bench
	@sh tests/bench.sh --smoke
