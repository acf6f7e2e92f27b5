# libFuzzer targets (tests/fuzz/README.md), included by the Makefile.
#
#   make fuzz-targets        build/fuzz/tests/fuzz/*_fuzz, with clang
#   make fuzz-host           each for FUZZ_SECONDS (scripts/fuzz-host)
#
# With fuzz-targets among the goals the Makefile sets FUZZ=1, O=build/fuzz
# and CC=clang, and libbrig's objects get FUZZ_CFLAGS (the coverage
# instrumentation and the sanitizers) too.

FUZZ_SRCS := $(wildcard tests/fuzz/*_fuzz.c)
FUZZ_BINS := $(FUZZ_SRCS:%.c=$(O)/%)

$(O)/tests/fuzz/%_fuzz: tests/fuzz/%_fuzz.c tests/host/glob_ref.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(BRIG_CFLAGS) $(CFLAGS) -Itests/host -fsanitize=fuzzer $(FUZZ_SANITIZERS) \
		-o $@ $< $(LIB) $(LDLIBS)

.PHONY: fuzz-targets fuzz-host
fuzz-targets: $(FUZZ_BINS)

fuzz-host:
	scripts/fuzz-host
