#!/usr/bin/env bash
# uapi/brig.yaml, the ABI's spec, against uapi/brig.h, its C form: every
# command, attribute, enum entry, flag and constant of the spec has the same
# name and value in the header, and each enum ends where the spec's does
# (its _MAX), so neither can grow alone.
set -u
. "$(dirname "$0")/tap.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
spec=$top/uapi/brig.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One line per C name the spec implies: "NAME VALUE", and "group NAME_MAX N"
# at the end of each enum. Reads the spec's own layout (Documentation/netlink/specs).
awk '
function c(s) { gsub(/-/, "_", s); return toupper(s) }
function flush() { if (group != "") print "group", group "MAX", n; group = "" }
/^[a-z-]+:/ { flush(); section = $1 }
section == "definitions:" && /^  -/ { type = ""; start = 0 }
section == "definitions:" && /^    type:/ { type = $2 }
section == "definitions:" && /^    name:/ { name = $2 }
section == "definitions:" && /^    value:/ { print "BRIG_" c(name), $2 }
section == "definitions:" && /^    value-start:/ { start = $2 }
section == "definitions:" && /^    entries:/ {
	list = $0; sub(/.*\[/, "", list); sub(/\].*/, "", list)
	k = split(list, e, /, */)
	for (i = 1; i <= k; i++)
		print "BRIG_" c(name) "_" c(e[i]), (type == "flags" ? "(1U<<" i - 1 ")" : start + i - 1)
	if (type == "enum") print "group", "BRIG_" c(name) "_MAX", start + k - 1
}
section == "attribute-sets:" && /^  -/ { flush(); n = 0 }
section == "attribute-sets:" && /^    name-prefix:/ { group = c($2) }
section == "attribute-sets:" && /^        name:/ { print group c($2), ++n }
section == "operations:" && /^  name-prefix:/ { group = c($2); n = 0 }
section == "operations:" && /^      name:/ { print group c($2), ++n }
END { flush() }
' "$spec" > "$work/names"

{
	echo '#include <brig.h>'
	awk '$1 == "group" { $1 = ""; sub(/^ /, "") } { printf "_Static_assert(%s == %s, \"%s\");\n", $1, $2, $1 }' "$work/names"
} > "$work/check.c"

groups=$(grep -c '^group ' "$work/names")
names=$(grep -vc '^group ' "$work/names")
enums=$(grep -c '^enum brig_' "$top/uapi/brig.h")
expect "the spec names $names values in $groups enums" test "$names" -gt 60 -a "$groups" -ge 9
expect "... one for each of brig.h's $enums enums" test "$groups" -eq "$enums"
expect_exit 0 "every name and value of uapi/brig.yaml is uapi/brig.h's" \
	"${CC:-cc}" -fsyntax-only -I"$top/uapi" "$work/check.c"
tap_done
