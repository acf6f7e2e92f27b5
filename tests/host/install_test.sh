#!/usr/bin/env bash
# make install and uninstall, staged in a DESTDIR: every file the README lists,
# the man pages as man reads them, the DKMS tree built by dkms itself against
# Debian's cached 6.1 headers (in a DKMS tree of its own: the host's is not
# touched), and nothing left after uninstall.
set -u
. "$(dirname "$0")/tap.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
version=$(cat "$top/VERSION")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
make=(make -s -C "$top" DESTDIR="$stage/root" PREFIX=/usr)

expect_exit 0 "make install DESTDIR=... succeeds" "${make[@]}" install
files=(
	/usr/bin/launch /usr/bin/brigctl /usr/bin/brig-runtime
	/usr/share/man/man1/launch.1 /usr/share/man/man8/brigctl.8 /usr/share/man/man8/brig-runtime.8
	/usr/share/man/man5/brig.pol.5
	/usr/share/brig/examples/nginx.pol /usr/share/brig/examples/default.pol
	/usr/share/brig/examples/sys-time.pol
	"/usr/src/brig-$version/dkms.conf" "/usr/src/brig-$version/Kbuild"
	"/usr/src/brig-$version/kmod/Kbuild" "/usr/src/brig-$version/kmod/main.c"
	"/usr/src/brig-$version/uapi/brig.h"
	/etc/modules-load.d/brig.conf
)
for f in "${files[@]}"; do
	expect "installs $f" test -f "$stage/root$f"
done
expect "the tools are executable" test -x "$stage/root/usr/bin/launch" -a -x "$stage/root/usr/bin/brigctl" \
	-a -x "$stage/root/usr/bin/brig-runtime"
expect "the installed launch runs" "$stage/root/usr/bin/launch" --version
expect "the installed brig-runtime runs" "$stage/root/usr/bin/brig-runtime" --version
expect "modules-load.d loads brig at boot" grep -qx brig "$stage/root/etc/modules-load.d/brig.conf"
expect "dkms.conf names this version" grep -qx "PACKAGE_VERSION=\"$version\"" \
	"$stage/root/usr/src/brig-$version/dkms.conf"
for page in man1/launch.1 man8/brigctl.8 man8/brig-runtime.8 man5/brig.pol.5; do
	expect_exit 0 "man reads $page" man -l "$stage/root/usr/share/man/$page"
	warnings=$(man -l "$stage/root/usr/share/man/$page" 2>&1 > /dev/null)
	expect "... without a warning" test -z "$warnings"
done
expect_exit 0 "brig.pol(5) is the policy language's reference" man -l "$stage/root/usr/share/man/man5/brig.pol.5"
expect "... with its statements" contains "$tap_out" "publish HOSTPORT:PORT[/tcp|udp]"

# DKMS builds the installed sources for Debian's 6.1, as it would on a kernel upgrade.
env=$("$top/scripts/kernels" fetch 6.1) && . "$env"
mkdir -p "$stage/dkms"
expect_exit 0 "dkms build against Debian's 6.1 headers" \
	dkms build -m brig -v "$version" -k "$RELEASE" --kernelsourcedir "$KDIR" \
	--sourcetree "$stage/root/usr/src" --dkmstree "$stage/dkms"
ko=$(find "$stage/dkms/brig/$version/$RELEASE" -name brig.ko 2> /dev/null | head -n1)
expect "... makes brig.ko" test -n "$ko"
expect "... for that kernel" sh -c "/sbin/modinfo -F vermagic '$ko' | grep -q '^$RELEASE '"

expect_exit 0 "make uninstall DESTDIR=... succeeds" "${make[@]}" uninstall
left=$(find "$stage/root" -type f)
expect "... and leaves no file behind" test -z "$left"
[ -z "$left" ] || printf '# left: %s\n' $left
tap_done
