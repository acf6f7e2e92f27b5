#!/usr/bin/env bash
# scripts/kscan: a clean boot passes; every kind of kernel report fails.
set -u
. "$(dirname "$0")/tap.sh"
kscan=$(dirname "$0")/../../scripts/kscan
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Lines a clean debug-kernel boot prints that are not reports.
clean='[    0.000000] Linux version 6.1.192 (gcc (Debian 12.2.0-14) 12.2.0)
[    0.512345] RCU lockdep checking is enabled.
[    1.000000] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar
[    1.100000] kmemleak: Kernel memory leak detector initialized (mem pool available: 14888)
[    1.200000] kmemleak: Automatic memory scanning thread started
[    0.649221] kasan: KernelAddressSanitizer initialized
[    1.347581] kfence: initialized - using 2097152 bytes for 255 objects
[    4.830528] PCI: Using host bridge windows from ACPI; if necessary, use "pci=nocrs" and report a bug
[    2.100000] brig: loaded, genetlink family brig version 1
[   23.000000] brig-vm: exit status 0'

scan() { printf '%s\n%s\n' "$clean" "$1" > "$log"; "$kscan" "$log" > /dev/null; }
fails_on() { ! scan "$1"; }

expect "a clean debug boot passes" scan ""
expect "serial line endings are handled" \
	bash -c "printf '%s\r\n' '[ 1.0] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2' > '$log'; ! '$kscan' '$log' > /dev/null"
expect "WARN() fails" fails_on '[    5.1] WARNING: CPU: 1 PID: 77 at warn_on_load.c:10 warn_on_load_init+0x15/0x1000 [warn_on_load]'
expect "BUG() fails" fails_on '[    5.1] kernel BUG at kmod/registry.c:42!'
expect "NULL dereference fails" fails_on '[    5.1] BUG: kernel NULL pointer dereference, address: 0000000000000008'
expect "KASAN fails" fails_on '[    5.1] BUG: KASAN: slab-use-after-free in brig_check+0x20/0x40 [brig]'
expect "UBSAN fails" fails_on '[    5.1] UBSAN: shift-out-of-bounds in kmod/dfa.c:12:5'
expect "kmemleak fails" fails_on '[   30.1] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'
expect "a copied kmemleak report fails" fails_on '[   30.2] kmemleak-report: unreferenced object 0xffff888003a5c000 (size 64):'
expect "lockdep circular dependency fails" fails_on '[    5.1] WARNING: possible circular locking dependency detected'
expect "lockdep recursive locking fails" fails_on '[    5.1] WARNING: possible recursive locking detected'
expect "suspicious RCU usage fails" fails_on '[    5.1] WARNING: suspicious RCU usage'
expect "atomic sleep fails" fails_on '[    5.1] BUG: sleeping function called from invalid context at mm/slab.h:740'
expect "Oops fails" fails_on '[    5.1] Oops: 0002 [#1] PREEMPT SMP KASAN NOPTI'
expect "panic fails" fails_on '[    5.1] Kernel panic - not syncing: Fatal exception'
expect "hung task fails" fails_on '[  120.1] INFO: task insmod:88 blocked for more than 120 seconds.'
expect "soft lockup fails" fails_on '[   50.1] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [brigctl:90]'
expect "RCU stall fails" fails_on '[   50.1] rcu: INFO: rcu_preempt self-detected stall on CPU'
expect "list corruption fails" fails_on '[    5.1] list_add corruption. next->prev should be prev'
expect "the report is printed" bash -c "printf '%s\n' '[ 5.1] WARNING: CPU: 0 PID: 1 at a.c:1 f' '[ 5.2] Modules linked in: brig' > '$log'; '$kscan' '$log' | grep -q 'Modules linked in: brig'"
tap_done
