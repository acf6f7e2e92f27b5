#!/usr/bin/env bash
# Each libFuzzer target (tests/fuzz) over its whole corpus, each input once:
# one test per target, failing on a crash, a leak, a trap (a DFA that
# disagrees with the reference) or an empty corpus. The targets are built by
# `make fuzz-targets` into $BRIG_BUILD/fuzz (scripts/check does it first).
set -u
. "$(dirname "$0")/tap.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BRIG_BUILD:-$root/build}/fuzz
bin=$build/tests/fuzz

# replay TARGET: its binary over tests/fuzz/corpus/TARGET, printing why not.
replay() {
	local t=$1 corpus=$root/tests/fuzz/corpus/$1 files log
	files=$(find "$corpus" -type f 2>/dev/null | wc -l)
	if [ "$files" -eq 0 ]; then
		echo "# $corpus: no inputs"
		return 1
	fi
	if [ ! -x "$bin/${t}_fuzz" ]; then
		echo "# $bin/${t}_fuzz: not built (make fuzz-targets)"
		return 1
	fi
	# -runs=0: each input of the directory once, nothing new. A crash
	# leaves its input in $build/replay/TARGET.
	rm -rf "$build/replay/$t"
	mkdir -p "$build/replay/$t" || return 1
	log=$(setsid -w "$bin/${t}_fuzz" -runs=0 -timeout=25 \
		-artifact_prefix="$build/replay/$t/" "$corpus" < /dev/null 2>&1) && return 0
	printf '%s\n' "$log" | grep -E '==ERROR|SUMMARY|^path|^glob|valid globs|Running' | head -n 20 |
		sed 's/^/# /'
	return 1
}

for src in "$root"/tests/fuzz/*_fuzz.c; do
	t=${src##*/}
	t=${t%_fuzz.c}
	expect "$t: every input of tests/fuzz/corpus/$t runs clean" replay "$t"
done
tap_done
