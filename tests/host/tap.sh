# Minimal TAP for the host's shell tests. Sourced.
tap_n=0
tap_failed=0

# expect DESCRIPTION COMMAND...: one test line, ok when COMMAND succeeds.
expect() {
	local desc=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $desc"
	else
		echo "not ok $tap_n - $desc"
		tap_failed=1
	fi
}

# expect_exit CODE DESCRIPTION COMMAND...: ok when COMMAND exits with CODE;
# its output is kept in $tap_out for further checks.
expect_exit() {
	local code=$1 desc=$2 rc=0
	shift 2
	tap_out=$("$@" 2>&1) || rc=$?
	tap_n=$((tap_n + 1))
	if [ "$rc" -eq "$code" ]; then
		echo "ok $tap_n - $desc"
	else
		echo "not ok $tap_n - $desc (exit $rc, expected $code)"
		printf '%s\n' "$tap_out" | sed 's/^/# /'
		tap_failed=1
	fi
}

contains() { printf '%s' "$1" | grep -qF -- "$2"; }

tap_done() {
	echo "1..$tap_n"
	exit $tap_failed
}
