# The benchmarks' shared words, sourced by each part in the VM.
#
# Each part prints its table for people and, for scripts/bench, lines
#   DATA PART ...			a chart's point (scripts/bench-report draws them)
#   TARGET met|MISSED WHAT		one target's verdict
# and ends with "N target(s) missed".

missed=0

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# le A B: is A at most B?
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

# target WHAT OK: records a verdict.
target() {
	if [ "$2" = 1 ]; then
		echo "TARGET met $1"
	else
		echo "TARGET MISSED $1"
		missed=$((missed + 1))
	fi
}

# at_most WHAT RATIO LIMIT
at_most() {
	if le "$2" "$3"; then target "$1: x$2 <= $3" 1; else target "$1: x$2 > $3" 0; fi
}

# median of the numbers on stdin, one a line
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

finish() {
	echo
	echo "$missed target(s) missed"
	[ "$missed" -eq 0 ]
}
