#!/usr/bin/env bash
# launch and brigctl command lines: help, usage errors, docker-like exit codes,
# and the one-sentence message when brig.ko is not loaded.
set -u
. "$(dirname "$0")/tap.sh"
bin=${BRIG_BIN:-$(dirname "$0")/../../launcher}
launch=$bin/launch
brigctl=$bin/brigctl

expect_exit 0 "launch --help succeeds" "$launch" --help
expect "launch --help shows usage" contains "$tap_out" "Usage: launch --policy FILE"
expect_exit 125 "launch without --policy fails with 125" "$launch"
expect "... and says --policy is required" contains "$tap_out" "--policy FILE is required"
expect_exit 125 "launch rejects an unknown option" "$launch" --policy x.pol --bogus
expect "... naming it" contains "$tap_out" "unknown option \`--bogus\`"
expect_exit 125 "launch rejects an option without its value" "$launch" --policy
expect "... naming it" contains "$tap_out" "option \`--policy\` needs a value"
expect_exit 125 "launch rejects a malformed --env" "$launch" --policy x.pol -e =x
expect "... saying what it expects" contains "$tap_out" "expected NAME=VALUE or NAME"
expect_exit 125 "launch rejects a malformed -p" "$launch" --policy x.pol -p 8080
expect "... saying what it expects, as docker run -p" contains "$tap_out" "invalid --publish \`8080\`: expected HOSTPORT:PORT[/tcp|udp], each port 1 to 65535, as docker run -p 8080:80"
expect_exit 125 "launch -p FILE.pol: -p publishes, as docker's" "$launch" -p x.pol
expect "... and says the policy is --policy" contains "$tap_out" "(the policy is --policy FILE)"
pub=$(mktemp --suffix=.pol)
printf 'name web\nrootfs /\nnetwork host\n' > "$pub"
expect_exit 125 "launch -p refuses a container on the host's network" "$launch" --policy "$pub" -p 8080:80 -- true
expect "... saying why" contains "$tap_out" "cannot publish 8080:80/tcp: the container is on the host's network (publishing needs \`network private\`)"
printf 'name web\nrootfs /\npublish 8080:80\n' > "$pub"
expect_exit 125 "launch -p refuses a host port the policy publishes already" "$launch" --policy "$pub" -p 8080:81/tcp -- true
expect "... naming it" contains "$tap_out" "host port 8080/tcp is published twice"
rm -f "$pub"
expect_exit 0 "launch --version succeeds" "$launch" --version
expect "... naming the version and the ABI" contains "$tap_out" "launch version $(cat "$(dirname "$0")/../../VERSION")"
expect_exit 0 "brigctl --version succeeds" "$brigctl" --version
expect "... naming the version" contains "$tap_out" "brigctl version "

expect_exit 125 "launch rejects an invalid --name" "$launch" --policy x.pol --name "-bad"
expect "... saying what a name is" contains "$tap_out" "invalid name \`-bad\`"
expect_exit 125 "launch on a missing policy fails" "$launch" --policy /nonexistent.pol
expect "... naming the file" contains "$tap_out" "opening \`/nonexistent.pol\`: No such file or directory"
bad=$(mktemp --suffix=.pol)
printf 'name web\nseccomp default\nseccomp unconfined\n' > "$bad"
expect_exit 125 "launch on a bad policy fails before starting anything" "$launch" --policy "$bad" -- true
expect "... with FILE:LINE:COL" contains "$tap_out" "$bad:3:1:"
printf 'name web\nrootfs /tmp\nseccomp %s.json\n' "$bad" > "$bad"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALOW"}]}' > "$bad.json"
expect_exit 125 "launch on a bad seccomp profile fails" "$launch" --policy "$bad" -- true
expect "... naming the field, its line and column" contains "$tap_out" "$bad.json:1:70: syscalls[0].action: unknown action 'SCMP_ACT_ALOW'"
printf 'name web\nrootfs /etc/passwd\n' > "$bad"
expect_exit 125 "launch refuses a root filesystem that is no directory" "$launch" --policy "$bad" -- true
expect "... naming it" contains "$tap_out" "root filesystem \`/etc/passwd\`: Not a directory"
printf 'name web\nrootfs /tmp\ndevice /etc/passwd\n' > "$bad"
expect_exit 125 "launch refuses a device that is no device node" "$launch" --policy "$bad" -- true
expect "... naming it" contains "$tap_out" "device \`/etc/passwd\` is not a device node"
printf 'name web\nrootfs /tmp\nmount bind /nonexistent /data\n' > "$bad"
expect_exit 125 "launch refuses a bind mount of nothing" "$launch" --policy "$bad" -- true
expect "... naming it" contains "$tap_out" "mount bind \`/nonexistent\`: No such file or directory"
rm -f "$bad" "$bad.json"
expect_exit 125 "launch exec needs a container" "$launch" exec
expect "... and says how it is used" contains "$tap_out" "usage: launch exec [-t] NAME [--] COMMAND [ARG...]"
expect_exit 125 "launch exec needs a command" "$launch" exec web
expect "... and says so" contains "$tap_out" "launch exec web: no command given"
expect_exit 125 "launch exec has no --policy" "$launch" exec --policy x.pol web -- true
expect "... naming it" contains "$tap_out" "unknown option \`--policy\`"

expect_exit 0 "brigctl --help succeeds" "$brigctl" --help
expect "brigctl --help lists version" contains "$tap_out" "version"
expect_exit 125 "brigctl without a command fails with 125" "$brigctl"
expect_exit 125 "brigctl rejects an unknown command" "$brigctl" frobnicate
expect "... naming it" contains "$tap_out" "unknown command \`frobnicate\`"
expect_exit 125 "brigctl version rejects arguments" "$brigctl" version extra

top=$(dirname "$0")/../..
expect_exit 0 "brigctl check examples/nginx.pol succeeds" "$brigctl" check "$top/examples/nginx.pol"
expect "... and summarises capabilities" contains "$tap_out" "capabilities: CHOWN DAC_OVERRIDE SETGID SETUID NET_BIND_SERVICE"
expect "... network rules" contains "$tap_out" "network:      deny packet any, deny any raw"
expect "... the ceiling" contains "$tap_out" "pids max:     64"
expect "... and the file rules with their DFA" contains "$tap_out" "file rules:   6, DFA"
expect "... mounts refused" contains "$tap_out" "mounts:       refused"
bad=$(mktemp --suffix=.pol)
printf 'name nginx\ncaps add NET_RAWW\n' > "$bad"
expect_exit 125 "brigctl check fails on a bad policy with 125" "$brigctl" check "$bad"
expect "... with FILE:LINE:COL and a hint" contains "$tap_out" "$bad:2:10: unknown capability 'NET_RAWW' (did you mean NET_RAW?)"
printf 'name web\nrootfs /tmp\ncaps add SYS_MODULE\ndeny /bin/** w\n' > "$bad"
expect_exit 0 "brigctl check accepts a policy whose capabilities void its file rules" "$brigctl" check "$bad"
expect "... warning loudly" contains "$tap_out" "WARNING: $bad: the capabilities void the policy's own file rules: SYS_MODULE (a module runs in the kernel"
expect_exit 125 "launch refuses it before starting anything" "$launch" --policy "$bad" -- true
expect "... saying how to insist" contains "$tap_out" "insist with --unsafe-caps"
printf 'name web\nallow mount\ndevice /dev/null:/dev/n:r\n' > "$bad"
expect_exit 0 "brigctl check shows mounts and devices" "$brigctl" check "$bad"
expect "... allowed mounts" contains "$tap_out" "mounts:       allowed"
expect "... and the device list, a device line's letters included" contains "$tap_out" "devices:      c 1:3 r, c 1:5 rw"
rm -f "$bad"
# What launch would refuse, check refuses: at once, with the reason.
printf 'name web\nrootfs /tmp\nseccomp %s.missing.json\n' "$bad" > "$bad"
expect_exit 125 "brigctl check refuses a seccomp profile that is not there" "$brigctl" check "$bad"
expect "... naming it" contains "$tap_out" "$bad.missing.json"
printf 'name web\nuidmap 0 100000 65536\nuidmap 10 200000 5\n' > "$bad"
expect_exit 125 "brigctl check refuses overlapping uid maps" "$brigctl" check "$bad"
expect "... saying which ids" contains "$tap_out" "$bad:3:8: ids 10 to 14 inside are mapped twice"
printf 'name web\ncommand /bin/true \\' > "$bad"
expect_exit 125 "brigctl check refuses a backslash at the end of the file" "$brigctl" check "$bad"
expect "... where it is" contains "$tap_out" "$bad:2:19: \`\\\` at the end of the file continues nothing"
printf 'name web\nhostnme web\n' > "$bad"
expect_exit 125 "brigctl check suggests the statement a typo meant" "$brigctl" check "$bad"
expect "... did you mean" contains "$tap_out" "$bad:2:1: unknown statement 'hostnme' (did you mean hostname?)"
printf 'name web\nrootfs /tmp\ndeny /etc/** w\ndeny /**a%s w\n' "$(printf '?%.0s' $(seq 1 21))" > "$bad"
expect_exit 125 "brigctl check refuses file rules too large for the module" "$brigctl" check "$bad"
expect "... naming the rule that made the DFA grow" contains "$tap_out" "file rule 2, \`/**a?????????????????????\`, makes the DFA too large"
expect_exit 125 "brigctl check refuses a directory at once" timeout 10 "$brigctl" check /etc
expect "... saying so" contains "$tap_out" "\`/etc\` is a directory, not a policy"
expect_exit 125 "brigctl check refuses a device at once" timeout 10 "$brigctl" check /dev/zero
expect "... saying so" contains "$tap_out" "\`/dev/zero\` is not a regular file, so not a policy"
fifo=$(mktemp -u)
mkfifo "$fifo"
expect_exit 125 "brigctl check refuses a FIFO without waiting for a writer" timeout 10 "$brigctl" check "$fifo"
rm -f "$fifo" "$bad"
expect_exit 125 "brigctl check needs a file" "$brigctl" check
expect_exit 125 "brigctl check on a missing file fails" "$brigctl" check /nonexistent.pol
expect "... naming it" contains "$tap_out" "opening \`/nonexistent.pol\`: No such file or directory"
expect_exit 125 "brigctl ps takes no arguments" "$brigctl" ps extra
expect_exit 125 "brigctl ps takes only -a" "$brigctl" ps -q
expect "... and says how it is used" contains "$tap_out" "usage: brigctl ps [-a]"
expect_exit 125 "brigctl logs needs a name" "$brigctl" logs
expect "... and says how it is used" contains "$tap_out" "usage: brigctl logs [-f] NAME"
expect_exit 125 "brigctl logs of no such container" "$brigctl" logs no-such-box
expect "... says so, as docker does" contains "$tap_out" "no such container: no-such-box"
expect_exit 125 "brigctl rm needs a name" "$brigctl" rm -f
expect "... and says how it is used" contains "$tap_out" "usage: brigctl rm [-f] NAME..."
expect_exit 0 "launch --help names --rm" "$launch" --help
expect "... keeping nothing" contains "$tap_out" "--rm               keep nothing once the container exited"
expect_exit 125 "brigctl inspect needs a container" "$brigctl" inspect
expect_exit 125 "brigctl update needs --policy" "$brigctl" update web
expect "... and says how it is used" contains "$tap_out" "usage: brigctl update NAME|ID --policy FILE"
expect_exit 125 "brigctl stop rejects a bad -t" "$brigctl" stop web -t soon
expect "... naming it" contains "$tap_out" "-t takes seconds, not \`soon\`"
expect_exit 125 "brigctl events rejects an unknown option" "$brigctl" events --yaml
# Rules files are read whole before the module is asked for anything.
expect_exit 125 "brigctl events --rules needs a file" "$brigctl" events --rules
expect "... and says how it is used" contains "$tap_out" "--rules takes a file"
expect_exit 125 "brigctl events --rules on a missing file fails" "$brigctl" events --rules /nonexistent.rules
expect "... naming it" contains "$tap_out" "/nonexistent.rules"
bad_rules=$(mktemp --suffix=.rules)
fifo=$(mktemp -u)
mkfifo "$fifo"
printf -- '- rule: r\n  condition: proc.name = sh and\n  output: o\n  priority: INFO\n' > "$bad_rules"
expect_exit 125 "brigctl events --rules refuses a bad rule" "$brigctl" events --rules "$bad_rules"
expect "... at its FILE:LINE:COL" contains "$tap_out" "$bad_rules:2:32: a field, a macro, \`not\` or \`(\`, not the end"
expect_exit 125 "brigctl events --rules refuses a FIFO without waiting for a writer" \
	timeout 10 "$brigctl" events --rules "$fifo"
expect "... as not a rules file" contains "$tap_out" "not a regular file"
rm -f "$fifo" "$bad_rules"
expect_exit 125 "brigctl events takes --falco or --rules, not both" \
	"$brigctl" events --falco --rules "$top/examples/detect.rules"
expect_exit 125 "brigctl audit rejects an unknown option" "$brigctl" audit --yes
expect "... and says how it is used" contains "$tap_out" "usage: brigctl audit [--json] [--strict]"
if [ -e /sys/module/brig ]; then
	echo "ok $((tap_n += 1)) - brigctl without the module # SKIP brig.ko is loaded on this host"
else
	top=$(dirname "$0")/../..
	expect_exit 125 "launch without the module fails with 125" "$launch" --policy "$top/examples/nginx.pol" --rootfs /tmp -- true
	expect "... and says how to load it" contains "$tap_out" "not loaded: load it with \`modprobe brig\`"
	expect_exit 125 "launch exec without the module fails with 125" "$launch" exec web -- true
	expect "... and says how to load it" contains "$tap_out" "not loaded: load it with \`modprobe brig\`"
	for cmd in version ps "inspect web" "stop web" events; do
		# shellcheck disable=SC2086
		expect_exit 125 "brigctl $cmd without the module fails with 125" "$brigctl" $cmd
		expect "... and says how to load it" contains "$tap_out" "not loaded: load it with \`modprobe brig\`"
	done
fi
tap_done
