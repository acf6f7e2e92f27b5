# brig: top-level build.
#
#   make                     tools (launcher/launch, launcher/brigctl) and kmod/brig.ko
#   make KERNEL=6.12         build brig.ko against a cached Debian kernel (6.1, 6.12, debug)
#   make KDIR=/path          ... or against any kernel build tree
#   make check               every test: host, then each of KERNELS in QEMU
#   make bench               brig against the alternatives, as ratios (docs/benchmarks.md)
#   make fuzz                every fuzzer's long run (scripts/fuzz); make check has short ones
#   make stress              stress_test at full scale on the debug kernel (scripts/stress)
#   make fuzz-targets        libFuzzer targets, with clang, in build/fuzz (tests/fuzz)
#   make fuzz-host           run each for FUZZ_SECONDS (default 600)
#   make install             the tools, man pages, example policies, brig.ko through DKMS
#                            and loaded at boot (PREFIX=/usr/local, DESTDIR= to stage)
#   make uninstall
#   make clean
#
# Userspace builds with the system compiler (CC=clang works too); WERROR=1 makes
# warnings fatal, as `make check` does.

KERNELS ?= 6.1 6.12 debug
KERNEL ?=
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifeq ($(KERNEL),)
ifneq ($(wildcard $(RUNNING_KDIR)/Makefile),)
KDIR ?= $(RUNNING_KDIR)
else
KERNEL := 6.1
endif
endif

# The libFuzzer build: its own O, clang, and libbrig instrumented (tests/fuzz/fuzz.mk).
ifneq ($(filter fuzz-targets,$(MAKECMDGOALS)),)
FUZZ := 1
O ?= build/fuzz
CC := clang
endif

O ?= build/host
CC ?= cc
CFLAGS ?= -O2 -g
WERROR ?=
SANITIZE ?=
PKGS := libnl-genl-3.0 json-c libseccomp libcap libcrypto libarchive yaml-0.1
SANITIZERS := -fsanitize=address,undefined
# The libFuzzer build's (tests/fuzz/fuzz.mk): libbrig with coverage too.
FUZZ_SANITIZERS := $(SANITIZERS) -fno-sanitize-recover=all
FUZZ_CFLAGS := -fsanitize=fuzzer-no-link $(FUZZ_SANITIZERS) -fno-omit-frame-pointer
BRIG_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Iuapi -Ilauncher \
	$(shell pkg-config --cflags $(PKGS)) \
	$(if $(WERROR),-Werror) \
	$(if $(SANITIZE),$(SANITIZERS) -fno-omit-frame-pointer -fno-sanitize-recover=all) \
	$(if $(FUZZ),$(FUZZ_CFLAGS))
BRIG_LDFLAGS := $(if $(SANITIZE),$(SANITIZERS))
# Each program links only the libraries it calls (launch needs libcrypto and
# libarchive only for images).
LDLIBS := -Wl,--as-needed $(shell pkg-config --libs $(PKGS))
# The kselftests start threads.
KSFT_LDLIBS := -pthread

LIB_SRCS := $(wildcard launcher/lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
LIB := $(O)/libbrig.a
TOOLS := $(O)/launcher/launch $(O)/launcher/brigctl $(O)/launcher/brig-runtime
HOST_TEST_SRCS := $(wildcard tests/host/*_test.c)
HOST_TESTS := $(HOST_TEST_SRCS:%.c=$(O)/%)
KSFT_SRCS := $(wildcard tests/kselftest/*_test.c)
# sysprobe runs inside containers' root filesystems: static.
KSFT_BINS := $(KSFT_SRCS:%.c=$(O)/%) $(O)/tests/kselftest/sysprobe

.PHONY: all tools module kselftests host-tests bench-tools check bench clean
all: tools module

# The tools are built in $(O); the default build is copied beside its
# sources, where the README and the man pages say they are.
tools: $(TOOLS)
ifeq ($(O),build/host)
	cp $(TOOLS) launcher/
endif

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(BRIG_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	$(AR) rcs $@ $^

# --version: the release in VERSION.
BRIG_VERSION := $(shell cat VERSION)
VERSIONED := $(O)/launcher/launch.o $(O)/launcher/brigctl.o $(O)/launcher/brig-runtime.o \
	$(O)/launcher/brigctl_audit.o
$(VERSIONED): VERSION
$(VERSIONED): BRIG_CFLAGS += -DBRIG_VERSION='"$(BRIG_VERSION)"'

# The seccomp cache's key names the code that compiles a filter, so that an
# upgraded brig compiles again what an older one had cached.
SC_COMPILER_SRCS := launcher/lib/seccomp.c launcher/lib/seccomp_stub.c launcher/lib/seccomp.h
$(O)/launcher/lib/seccomp_cache.o: $(SC_COMPILER_SRCS)
$(O)/launcher/lib/seccomp_cache.o: BRIG_CFLAGS += \
	-DBRIG_SC_COMPILER='"$(shell cat $(SC_COMPILER_SRCS) | sha256sum | cut -c1-16)"'

$(O)/launcher/%: $(O)/launcher/%.o $(LIB)
	$(CC) $(BRIG_LDFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LDLIBS)

# The engine that starts and joins containers (launcher/engine/engine.h).
ENGINE_SRCS := $(wildcard launcher/engine/*.c)
ENGINE_OBJS := $(ENGINE_SRCS:%.c=$(O)/%.o)
$(O)/launcher/launch $(O)/launcher/brig-runtime: $(ENGINE_OBJS)
# brigctl's commands in files of their own (launcher/brigctl.h).
$(O)/launcher/brigctl: $(O)/launcher/brigctl_trust.o $(O)/launcher/brigctl_events.o \
	$(O)/launcher/brigctl_audit.o

# The harness's TEST() macros hand every test parameters it may not use.
KSFT_CFLAGS := -Wno-unused-parameter
# kselftest_harness.h comes from Debian's linux-source-6.1, unpacked once into
# the cache; scripts/linux-source prints its folder.
$(O)/tests/kselftest/%: tests/kselftest/%.c tests/kselftest/common.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(BRIG_CFLAGS) $(KSFT_CFLAGS) $(CFLAGS) -isystem $$(scripts/linux-source) -o $@ $< $(LIB) $(LDLIBS) $(KSFT_LDLIBS)

# Helpers that run inside containers' root filesystems: static.
STATIC_HELPERS := $(O)/tests/kselftest/sysprobe $(O)/tests/bench/benchloop
$(STATIC_HELPERS): $(O)/%: %.c
	@mkdir -p $(@D)
	$(CC) $(BRIG_CFLAGS) $(CFLAGS) -static -o $@ $<

# The netlink fuzzer runs in the VM as a kselftest does.
FUZZ_KSFT_SRCS := $(wildcard tests/fuzz/*_test.c)
KSFT_BINS += $(FUZZ_KSFT_SRCS:%.c=$(O)/%)
$(O)/tests/fuzz/%_test: tests/fuzz/%_test.c tests/kselftest/common.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(BRIG_CFLAGS) $(KSFT_CFLAGS) $(CFLAGS) -Itests/kselftest -isystem $$(scripts/linux-source) -o $@ $< $(LIB) $(LDLIBS) $(KSFT_LDLIBS)

kselftests: $(KSFT_BINS)

# Tests that run on the host, against libbrig.
$(O)/tests/host/%: tests/host/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(BRIG_CFLAGS) $(CFLAGS) $(BRIG_LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# fault_test makes each of libbrig's allocations fail in turn.
$(O)/tests/host/fault_test: BRIG_LDFLAGS += \
	-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup

host-tests: $(HOST_TESTS)

# brig.ko, built in place against KDIR (or the cached KERNEL's headers).
module:
	@set -e; kdir='$(KDIR)'; \
	if [ -z "$$kdir" ]; then \
		env=$$(scripts/kernels fetch $(KERNEL)); . "$$env"; kdir=$$KDIR; \
	fi; \
	$(MAKE) -C "$$kdir" M=$(CURDIR) $(if $(WERROR),KCFLAGS=-Werror) modules

check:
	scripts/check $(KERNELS)

clean:
	rm -rf build launcher/launch launcher/brigctl launcher/brig-runtime
	find kmod tests -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name 'modules.order' -o -name 'Module.symvers' | xargs rm -f

-include $(shell find $(O) -name '*.d' 2>/dev/null)

demo: tools
	scripts/demo
.PHONY: demo

include tests/fuzz/fuzz.mk

# Benchmarks: ratios measured side by side, one VM boot per part (scripts/bench).
bench-tools: tools $(O)/tests/bench/benchloop $(O)/tests/bench/regbench

$(O)/tests/bench/regbench: tests/bench/regbench.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(BRIG_CFLAGS) $(CFLAGS) $(BRIG_LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

bench: bench-tools
	scripts/bench

# ---- install: what README.md's "On your own machine" says.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR := $(PREFIX)/bin
MANDIR := $(PREFIX)/share/man
DATADIR := $(PREFIX)/share/brig
# DKMS looks for sources there; modules-load.d is read at boot.
DKMS_SRC := /usr/src/brig-$(BRIG_VERSION)
MODULES_LOAD := /etc/modules-load.d/brig.conf
MAN_PAGES := $(O)/docs/launch.1 $(O)/docs/brigctl.8 $(O)/docs/brig-runtime.8 $(O)/docs/brig.pol.5
INSTALLED := $(BINDIR)/launch $(BINDIR)/brigctl $(BINDIR)/brig-runtime $(MANDIR)/man1/launch.1 \
	$(MANDIR)/man8/brigctl.8 $(MANDIR)/man8/brig-runtime.8 $(MANDIR)/man5/brig.pol.5 \
	$(MODULES_LOAD)

# brig.pol(5) is docs/policy-language.md (scripts/man-page); the others are
# written in roff.
$(O)/docs/brig.pol.5: docs/policy-language.md scripts/man-page VERSION
	@mkdir -p $(@D)
	scripts/man-page $< BRIG.POL 5 "brig.pol - the policy language of brig containers" > $@
$(O)/docs/%: docs/%
	@mkdir -p $(@D)
	cp $< $@
man: $(MAN_PAGES)

install: tools man
	install -D -m 0755 $(O)/launcher/launch $(DESTDIR)$(BINDIR)/launch
	install -D -m 0755 $(O)/launcher/brigctl $(DESTDIR)$(BINDIR)/brigctl
	install -D -m 0755 $(O)/launcher/brig-runtime $(DESTDIR)$(BINDIR)/brig-runtime
	install -D -m 0644 $(O)/docs/launch.1 $(DESTDIR)$(MANDIR)/man1/launch.1
	install -D -m 0644 $(O)/docs/brigctl.8 $(DESTDIR)$(MANDIR)/man8/brigctl.8
	install -D -m 0644 $(O)/docs/brig-runtime.8 $(DESTDIR)$(MANDIR)/man8/brig-runtime.8
	install -D -m 0644 $(O)/docs/brig.pol.5 $(DESTDIR)$(MANDIR)/man5/brig.pol.5
	install -d $(DESTDIR)$(DATADIR)/examples
	install -m 0644 examples/*.pol $(DESTDIR)$(DATADIR)/examples/
	install -d $(DESTDIR)$(DKMS_SRC)/kmod $(DESTDIR)$(DKMS_SRC)/uapi
	install -m 0644 Kbuild $(DESTDIR)$(DKMS_SRC)/
	install -m 0644 kmod/Kbuild kmod/*.c kmod/*.h $(DESTDIR)$(DKMS_SRC)/kmod/
	install -m 0644 uapi/brig.h $(DESTDIR)$(DKMS_SRC)/uapi/
	sed 's/@VERSION@/$(BRIG_VERSION)/' dkms.conf > $(DESTDIR)$(DKMS_SRC)/dkms.conf
	install -d $(DESTDIR)$(dir $(MODULES_LOAD))
	echo brig > $(DESTDIR)$(MODULES_LOAD)
	@# Staged (DESTDIR): a package's scripts run DKMS. Here: build and install it
	@# now, and drop the filters the old launcher compiled (their keys differ).
	@if [ -z '$(DESTDIR)' ]; then \
		rm -rf /run/brig/.seccomp; \
		dkms status -m brig -v $(BRIG_VERSION) | grep -q . || dkms add -m brig -v $(BRIG_VERSION); \
		dkms install -m brig -v $(BRIG_VERSION); \
	fi

uninstall:
	@if [ -z '$(DESTDIR)' ] && command -v dkms > /dev/null && \
	    dkms status -m brig -v $(BRIG_VERSION) | grep -q .; then \
		dkms remove -m brig -v $(BRIG_VERSION) --all; \
	fi
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DKMS_SRC)
.PHONY: man install uninstall

# The long runs; `make check` has their short forms.
fuzz:
	scripts/fuzz
stress:
	scripts/stress
.PHONY: fuzz stress
