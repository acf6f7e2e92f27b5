/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: every bound of the module in one place (user-visible ones are in
 * uapi/brig.h)
 */
#ifndef _BRIG_LIMITS_H
#define _BRIG_LIMITS_H

#include <linux/bits.h>
#include <linux/kdev_t.h>
#include <linux/capability.h>
#include <linux/limits.h>
#include <linux/sched.h>
#include <net/netlink.h>
#include <linux/net.h>
#include <linux/socket.h>

#include <brig.h>

/* Containers registered at once. */
#define BRIG_CONTAINERS_MAX	4096

/* Events queued per CPU before new ones are dropped (and counted). */
#define BRIG_EVENT_RING_SIZE	256

/*
 * Directories walked up from a file to its mount's root before it counts as
 * disconnected: a path of PATH_MAX bytes has at most PATH_MAX / 2 of them.
 */
#define BRIG_PATH_DEPTH_MAX	(PATH_MAX / 2)

/*
 * Directories a file may be below its container's root for its rules to be
 * read without building its name (name.c's quick path); deeper, it is named.
 */
#define BRIG_QUICK_DEPTH_MAX	64

/* Roots a container's tasks changed to that names are kept for (name.c). */
#define BRIG_ROOTS_MAX		16

/* Probe tables registered at once (one or two per part, see probe.c). */
#define BRIG_PROBE_TABLES_MAX	16
/* Probes in all tables together (probe.c's lookup array); get reports each. */
#define BRIG_PROBES_MAX		BRIG_HOOKS_MAX
/* Kprobes unregistered together when finding the sites (on the stack). */
#define BRIG_PROBE_BATCH	32

/* log2 of the buckets of the pid namespace -> container table. */
#define BRIG_NS_HASH_BITS	6
/* log2 of the buckets of the task -> container table. */
#define BRIG_TASK_HASH_BITS	10

/*
 * Below this address a mapping needs CAP_SYS_RAWIO (cap_mmap_addr()). The
 * kernel's bound, vm.mmap_min_addr (dac_mmap_min_addr), is not exported:
 * this is its boot value. Lowered at run time, brig still refuses mappings
 * below the boot value to a container without SYS_RAWIO in its mask; raised,
 * the range between the two is left to the kernel alone.
 */
#define BRIG_MMAP_MIN_ADDR	CONFIG_DEFAULT_MMAP_MIN_ADDR

#define BRIG_CAPS_MASK		GENMASK_ULL(CAP_LAST_CAP, 0)
/* Socket types are 1..SOCK_PACKET; bit N of a deny mask is type N. */
#define BRIG_SOCK_TYPE_LAST	SOCK_PACKET
#define BRIG_SOCK_TYPES_ALL	GENMASK(BRIG_SOCK_TYPE_LAST, 1)

/* A device rule's major or minor when the rule takes any. */
#define BRIG_DEVICE_ANY		U32_MAX
/* What a device rule may allow an open to ask for. */
#define BRIG_DEVICE_ACCESS_ALL	(BRIG_PERM_READ | BRIG_PERM_WRITE)

static_assert(CAP_LAST_CAP < 64);
static_assert(BRIG_DEVICE_MAJOR_MAX == (1U << (32 - MINORBITS)) - 1);
static_assert(BRIG_DEVICE_MINOR_MAX == MINORMASK);
static_assert(BRIG_SOCK_TYPE_LAST < 16);
static_assert(BRIG_NAME_MAX <= 256);
static_assert(BRIG_COMM_LEN == TASK_COMM_LEN);
static_assert(BRIG_PROBE_BATCH <= BRIG_PROBES_MAX);
/* Ring positions are free-running u32s: the size must divide 2^32. */
static_assert((BRIG_EVENT_RING_SIZE & (BRIG_EVENT_RING_SIZE - 1)) == 0);
/* A DFA chunk and its attribute header fit nla_len. */
static_assert(BRIG_DFA_CHUNK_MAX + NLA_HDRLEN <= U16_MAX);
static_assert(BRIG_DFA_CHUNK_MAX % 4 == 0);

#endif /* _BRIG_LIMITS_H */
