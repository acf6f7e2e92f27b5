/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: every bound of the module in one place (user-visible ones are in
 * uapi/brig.h)
 */
#ifndef _BRIG_LIMITS_H
#define _BRIG_LIMITS_H

#include <linux/bits.h>
#include <linux/kdev_t.h>
#include <linux/limits.h>
#include <linux/capability.h>
#include <linux/net.h>
#include <linux/socket.h>

#include <brig.h>

/* Containers registered at once. */
#define BRIG_CONTAINERS_MAX	4096

/* Events queued per CPU before new ones are dropped (and counted). */
#define BRIG_EVENT_RING_SIZE	256

/* A path in an event (longer ones are cut, ending in "..."). */
#define BRIG_EVENT_PATH_MAX	256

/* log2 of the buckets of the pid namespace -> container table. */
#define BRIG_NS_HASH_BITS	6
/* log2 of the buckets of the task -> container table. */
#define BRIG_TASK_HASH_BITS	10

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

#endif /* _BRIG_LIMITS_H */
