/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig netlink client: the one way user space talks to brig.ko
 * (libnl-genl-3). launch, brigctl and the tests all go through it.
 */
#ifndef BRIG_NL_H
#define BRIG_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <brig.h>

#include "error.h"
#include "kpolicy.h"

struct brig_nl;

/*
 * Connects and resolves the "brig" family. If the module is not loaded the
 * error says so, and how to load it.
 */
int brig_nl_open(struct brig_nl **out, struct brig_error **err);
void brig_nl_close(struct brig_nl *nl);
/* Frees *nl and sets it to NULL, for __attribute__((cleanup)). */
void brig_nl_closep(struct brig_nl **nl);

/* The resolved generic netlink family id. */
int brig_nl_family(const struct brig_nl *nl);

/*
 * Sends PING with @cookie; on success *version is the module's ABI version
 * and *echo the cookie it sent back.
 */
int brig_nl_ping(struct brig_nl *nl, uint64_t cookie, uint32_t *version,
		 uint64_t *echo, struct brig_error **err);

/* One probed kernel function, as GET reports it. */
struct brig_hook_info {
	char name[64];		/* its symbol (cut if longer) */
	uint64_t misses;	/* hits the kernel skipped */
};

/* A container as GET reports it. */
struct brig_container_info {
	uint32_t id;
	char name[BRIG_NAME_MAX];
	uint32_t init_pid;
	uint32_t pidns_ino;
	struct brig_policy_spec policy;
	uint32_t tasks;
	uint64_t denials[BRIG_KIND_MAX + 1];	/* by enum brig_kind */
	uint64_t hook_misses;	/* all probes: the sum of hooks[].misses */
	uint64_t events_lost;	/* events dropped since the module was loaded */
	size_t n_hooks;
	struct brig_hook_info hooks[BRIG_HOOKS_MAX];
};

/* One message of the events group. */
struct brig_event_info {
	uint32_t id;
	char name[BRIG_NAME_MAX];
	uint32_t kind;		/* enum brig_kind */
	uint32_t verdict;	/* enum brig_verdict */
	uint32_t pid;
	char comm[BRIG_COMM_LEN];
	uint32_t cap;
	uint32_t family, type, protocol;
	uint32_t pids_max;
	uint32_t lost;		/* events dropped just before this one */
	char path[BRIG_EVENT_PATH_MAX];
	uint32_t requested, denied;	/* BRIG_PERM_* */
	char op[BRIG_OP_LEN];	/* as the kernel log's op= ("" from older modules) */
	uint32_t dev;		/* kind DEVICE: as st_rdev; major() and minor() */
	uint32_t dev_type;	/* kind DEVICE: enum brig_device */
};

/*
 * Containers are named by id, or by name when @name is not NULL.
 * Every call returns 0, or -1 with *err set (the kernel's reason included).
 * register and set_policy refuse a policy whose capabilities void its own
 * file rules, unless spec->unsafe_caps.
 */
int brig_nl_register(struct brig_nl *nl, pid_t init_pid, const char *name,
		     const struct brig_policy_spec *policy, uint32_t *id,
		     struct brig_error **err);
int brig_nl_set_policy(struct brig_nl *nl, uint32_t id, const char *name,
		       const struct brig_policy_spec *policy,
		       struct brig_error **err);
/* The policy in force, in @mode (enum brig_mode), its rules as they are. */
int brig_nl_set_mode(struct brig_nl *nl, uint32_t id, const char *name, uint32_t mode,
		     struct brig_error **err);
int brig_nl_unregister(struct brig_nl *nl, uint32_t id, const char *name,
		       struct brig_error **err);
int brig_nl_get(struct brig_nl *nl, uint32_t id, const char *name,
		struct brig_container_info *info, struct brig_error **err);
/* Calls @fn for every container, in id order; stops early if @fn returns non-zero. */
int brig_nl_dump(struct brig_nl *nl,
		 int (*fn)(const struct brig_container_info *info, void *arg),
		 void *arg, struct brig_error **err);

/* Joins the events group on @nl; use a client of its own for events. */
int brig_nl_subscribe(struct brig_nl *nl, struct brig_error **err);
/*
 * Waits up to @timeout_ms (-1: forever) for the next event. Returns 1 with
 * *ev filled, 0 on timeout, -1 on error.
 */
int brig_nl_next_event(struct brig_nl *nl, struct brig_event_info *ev,
		       int timeout_ms, struct brig_error **err);

/*
 * Sends @len bytes as one request, as they are, but for the header's type,
 * flags, port and sequence, which are filled in (the rest is the caller's:
 * genlmsghdr and attributes). For testing the module's validation. Returns
 * the kernel's answer: 0 or -errno, with its extack message in @extack.
 */
int brig_nl_send_raw(struct brig_nl *nl, const void *payload, size_t len,
		     char *extack, size_t extack_len, struct brig_error **err);

#endif /* BRIG_NL_H */
