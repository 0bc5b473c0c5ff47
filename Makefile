# logbook: small Unix filters for web access logs.
# GNU make.  `make` builds, `make test` tests, `make drill` runs the drill.

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANPREFIX ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
# Preprocessor flags (dpkg-buildflags: -D_FORTIFY_SOURCE=2) reach every
# compile: the programs, the library, the unit tests, the fuzz targets
# and the fault shim.
CPPFLAGS ?=
WARN = -Wall -Wextra -Wpedantic -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wcast-qual -Wwrite-strings -Wvla \
	-Wimplicit-fallthrough
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifeq ($(SAN),1)
CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

# Where a .pc exists pkg-config finds the flags; libcsv has none.
DEPS_PC = zlib libarchive sqlite3
PC_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DEPS_PC) 2>/dev/null)
ZLIB_LIBS := $(shell $(PKG_CONFIG) --libs zlib 2>/dev/null || echo -lz)
ARCHIVE_LIBS := $(shell $(PKG_CONFIG) --libs libarchive 2>/dev/null || \
	echo -larchive)
SQLITE_LIBS := $(shell $(PKG_CONFIG) --libs sqlite3 2>/dev/null || \
	echo -lsqlite3)
CSV_LIBS ?= -lcsv
# libdeflate: gzip at twice zlib's speed for the archives (see git log).
DEFLATE_LIBS := $(shell $(PKG_CONFIG) --libs libdeflate 2>/dev/null || \
	echo -ldeflate)
LIBS = $(ARCHIVE_LIBS) $(SQLITE_LIBS) $(CSV_LIBS) $(DEFLATE_LIBS) \
	$(ZLIB_LIBS) -lm

ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DVERSION='"$(VERSION)"' \
	-Ilib $(PC_CFLAGS) $(CPPFLAGS) $(WARN) $(CFLAGS)

B = build
LIB_SRC = $(wildcard lib/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(B)/%.o)
LIBLB = $(B)/liblogbook.a
# The fault-injection shim (make faults, and tests/sh/restore-faults.sh).
SHIM = $(B)/faults/faultshim.so

# Every folder under tools/ is a program: tools/foo/*.c -> bin/logbook-foo.
PROGS = $(notdir $(wildcard tools/*))
PROG_BINS = $(PROGS:%=bin/logbook-%)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BINS = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

all: $(PROG_BINS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBLB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

define PROG_RULE
OBJ_$(1) = $$(patsubst %.c,$(B)/%.o,$$(wildcard tools/$(1)/*.c))
bin/logbook-$(1): $$(OBJ_$(1)) $(LIBLB)
	@mkdir -p bin
	$$(CC) $$(LDFLAGS) -o $$@ $$(OBJ_$(1)) $(LIBLB) $$(LIBS)
endef
$(foreach p,$(PROGS),$(eval $(call PROG_RULE,$(p))))

$(B)/tests/%: $(B)/tests/unit/%.o $(LIBLB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBLB) $(LIBS)

TOOL_SRC = $(wildcard tests/tools/*.c)
TOOL_BINS = $(TOOL_SRC:tests/tools/%.c=$(B)/testtools/%)

$(B)/testtools/%: $(B)/tests/tools/%.o $(LIBLB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBLB) $(LIBS)

units: $(UNIT_BINS) $(TOOL_BINS)

test: deps all units $(SHIM)
	@sh tests/run

check: test

deps:
	@sh tests/deps.sh

# `make drill`: bin/logbook-drill --demo, the whole chain on sample data
# generated in a scratch folder; `make drill LOGBOOK_CONF=/etc/logbook.conf`
# drills the archives of that configuration instead.
LOGBOOK_CONF ?=
drill: deps all
ifeq ($(strip $(LOGBOOK_CONF)),)
	@mkdir -p build && bin/logbook-drill --demo --report build/drill-report.html
else
	@bin/logbook-drill -c '$(LOGBOOK_CONF)'
endif

bench: deps all
	@sh bench/run

# The jobs (shell scripts), the code they share, the example configuration
# and the bash completion, installed under each command's name; the
# systemd units in SYSTEMDUNITDIR, not enabled; the cron.d file in
# CRONDIR, by default an example beside the configuration's (a package
# sets CRONDIR=/etc/cron.d); the Prometheus files of etc/prometheus/ with
# the examples.  `make uninstall`, given the same variables, removes
# those files and the folders of logbook's own (DATADIR), nothing else.
SCRIPTS = bin/logbook-backup bin/logbook-retention bin/logbook-drill
DATADIR ?= $(PREFIX)/share/logbook
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
CRONDIR ?= $(DATADIR)/cron.d
COMPLETED = $(PROG_BINS:bin/%=%) $(SCRIPTS:bin/%=%)

# The pages, units, examples and scripts are written for the default
# PREFIX: they name /usr/local/bin, /usr/local/share/logbook... literally,
# so that they read right in the source tree.  INSTALL_SED rewrites each
# of those paths, the longest first, into the folder of this
# installation; the @...@ step between keeps a folder given apart (say
# BINDIR=/usr/local/bin with PREFIX=/opt/lb) from being rewritten again,
# and with BINDIR=/usr/bin cron's PATH line names /usr/bin once.
INSTALL_SED = sed \
	-e 's|/usr/local/share/logbook/cron\.d|@CRONDIR@|g' \
	-e 's|/usr/local/share/logbook|@DATADIR@|g' \
	-e 's|/usr/local/share/man|@MANPREFIX@|g' \
	-e 's|/usr/local/lib/systemd/system|@SYSTEMDUNITDIR@|g' \
	-e 's|/usr/local/bin|@BINDIR@|g' \
	-e 's|/usr/local|@PREFIX@|g' \
	-e 's|@CRONDIR@|$(CRONDIR)|g' \
	-e 's|@DATADIR@|$(DATADIR)|g' \
	-e 's|@MANPREFIX@|$(MANPREFIX)|g' \
	-e 's|@SYSTEMDUNITDIR@|$(SYSTEMDUNITDIR)|g' \
	-e 's|@BINDIR@|$(BINDIR)|g' \
	-e 's|@PREFIX@|$(PREFIX)|g' \
	-e 's|/usr/bin:/usr/bin:/bin|/usr/bin:/bin|g'

install: all
	mkdir -p '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(MANPREFIX)' \
		'$(DESTDIR)$(DATADIR)' '$(DESTDIR)$(BASHCOMPDIR)' \
		'$(DESTDIR)$(SYSTEMDUNITDIR)' '$(DESTDIR)$(CRONDIR)'
	install -m 755 $(PROG_BINS) '$(DESTDIR)$(BINDIR)'
	for s in $(SCRIPTS); do \
		$(INSTALL_SED) -e 's|^LB_LIBDIR=$$|LB_LIBDIR=$(DATADIR)|' $$s \
			>'$(DESTDIR)$(BINDIR)'/$${s#bin/} && \
		chmod 755 '$(DESTDIR)$(BINDIR)'/$${s#bin/} || exit 1; \
	done
	install -m 644 lib/logbook.sh lib/offsite.sh '$(DESTDIR)$(DATADIR)'
	$(INSTALL_SED) etc/logbook.conf.example \
		>'$(DESTDIR)$(DATADIR)/logbook.conf.example'
	chmod 644 '$(DESTDIR)$(DATADIR)/logbook.conf.example'
	for f in etc/prometheus/*.yml; do \
		[ -f "$$f" ] || continue; \
		mkdir -p '$(DESTDIR)$(DATADIR)/prometheus' && \
		$(INSTALL_SED) "$$f" \
			>'$(DESTDIR)$(DATADIR)/prometheus'/"$${f##*/}" && \
		chmod 644 '$(DESTDIR)$(DATADIR)/prometheus'/"$${f##*/}" || \
			exit 1; \
	done
	for m in man/*.[1-8]; do \
		d='$(DESTDIR)$(MANPREFIX)'/man$${m##*.}; \
		mkdir -p "$$d" && $(INSTALL_SED) "$$m" >"$$d/$${m#man/}" && \
		chmod 644 "$$d/$${m#man/}" || exit 1; \
	done
	for u in etc/systemd/*.service etc/systemd/*.timer; do \
		$(INSTALL_SED) "$$u" \
			>'$(DESTDIR)$(SYSTEMDUNITDIR)'/"$${u##*/}" && \
		chmod 644 '$(DESTDIR)$(SYSTEMDUNITDIR)'/"$${u##*/}" || exit 1; \
	done
	$(INSTALL_SED) etc/cron.d/logbook >'$(DESTDIR)$(CRONDIR)/logbook'
	chmod 644 '$(DESTDIR)$(CRONDIR)/logbook'
	install -m 644 completion/logbook '$(DESTDIR)$(BASHCOMPDIR)/logbook'
	for c in $(COMPLETED); do \
		ln -sf logbook '$(DESTDIR)$(BASHCOMPDIR)'/$$c || exit 1; \
	done

uninstall:
	for p in $(PROG_BINS) $(SCRIPTS); do \
		rm -f '$(DESTDIR)$(BINDIR)'/$${p#bin/} || exit 1; \
	done
	for m in man/*.[1-8]; do \
		rm -f '$(DESTDIR)$(MANPREFIX)'/man$${m##*.}/"$${m#man/}" || \
			exit 1; \
	done
	for u in etc/systemd/*.service etc/systemd/*.timer; do \
		rm -f '$(DESTDIR)$(SYSTEMDUNITDIR)'/"$${u##*/}" || exit 1; \
	done
	for f in etc/prometheus/*.yml; do \
		[ -f "$$f" ] || continue; \
		rm -f '$(DESTDIR)$(DATADIR)/prometheus'/"$${f##*/}" || exit 1; \
	done
	rm -f '$(DESTDIR)$(DATADIR)/logbook.sh' '$(DESTDIR)$(DATADIR)/offsite.sh' \
		'$(DESTDIR)$(DATADIR)/logbook.conf.example' \
		'$(DESTDIR)$(CRONDIR)/logbook' '$(DESTDIR)$(BASHCOMPDIR)/logbook'
	for c in $(COMPLETED); do \
		rm -f '$(DESTDIR)$(BASHCOMPDIR)'/$$c || exit 1; \
	done
	for d in '$(DESTDIR)$(DATADIR)/prometheus' \
	    '$(DESTDIR)$(DATADIR)/cron.d' '$(DESTDIR)$(DATADIR)'; do \
		[ ! -d "$$d" ] || rmdir "$$d" || :; \
	done

# libFuzzer targets: clang only, not part of `make test`.  `make fuzz`
# builds them all under build/fuzz/ and runs each FUZZ_SECONDS seconds on
# its seeds, or FUZZ_RUNS inputs (ci: CI's counts) from seed FUZZ_SEED
# (tests/fuzz/run.sh, tests/fuzz/README.md); fuzz-build only
# builds.  The library is built once, instrumented, in build/fuzz/obj.
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
FUZZ_SEED ?= 0
FZ = $(B)/fuzz
FUZZ_CC ?= clang
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	-std=c11 -D_POSIX_C_SOURCE=200809L -DVERSION='"$(VERSION)"' -Ilib \
	$(PC_CFLAGS) $(CPPFLAGS)
FUZZ_SRC = $(wildcard tests/fuzz/*.c)
FUZZ_BINS = $(FUZZ_SRC:tests/fuzz/%.c=$(FZ)/%)
FUZZ_OBJ = $(LIB_SRC:%.c=$(FZ)/obj/%.o)
fuzz: all fuzz-build
	@FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_RUNS='$(FUZZ_RUNS)' \
	    FUZZ_SEED='$(FUZZ_SEED)' sh tests/fuzz/run.sh $(FUZZ_BINS:$(FZ)/%=%)
fuzz-build: fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
fuzz-deps:
	@sh tests/deps.sh fuzz
$(FZ)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		-MMD -MP -c -o $@ $<
$(FZ)/liblogbook.a: $(FUZZ_OBJ)
	rm -f $@
	$(AR) rcs $@ $(FUZZ_OBJ)
$(FZ)/%: tests/fuzz/%.c tests/fuzz/fuzz.h tests/unit/evsame.h tests/fuzz/archive.c $(FZ)/liblogbook.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer,address,undefined \
		-o $@ $< $(FZ)/liblogbook.a $(LIBS) -lpthread

# `make faults`: the fault-injection sweep (tests/faults/sweep.sh) and
# every malloc of the archive readers and writers (tests/faults/oom.sh),
# which preload build/faults/faultshim.so into the programs; no SAN=1 build.
$(SHIM): tests/faults/faultshim.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -std=gnu11 -O2 -g -fPIC -shared -Wall -Wextra \
		$(if $(filter 1,$(WERROR)),-Werror) -o $@ $< -ldl

faults: deps all $(SHIM)
	@sh tests/faults/sweep.sh
	@sh tests/faults/oom.sh

clean:
	rm -rf $(B) $(PROG_BINS) tests/out

# cppcheck, clang-tidy (.clang-tidy) and shellcheck -x: clean, in CI.
lint:
	@sh tests/lint.sh

format:
	clang-format -i lib/*.[ch] tools/*/*.[ch] tests/unit/*.[ch]

.PHONY: all units test check deps drill bench install uninstall clean format \
	fuzz fuzz-build fuzz-deps lint faults
.PRECIOUS: $(B)/%.o

-include $(shell find $(B) -name '*.d' 2>/dev/null)
