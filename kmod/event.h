/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: reporting denials and audit hits
 */
#ifndef _BRIG_EVENT_H
#define _BRIG_EVENT_H

#include <linux/sched.h>
#include <linux/types.h>

#include "limits.h"

struct brig_container;
struct brig_policy;

/**
 * struct brig_event_detail - what a check was about, by &enum brig_kind
 * @cap: the capability (%BRIG_KIND_CAP).
 * @family: AF_* (%BRIG_KIND_SOCKET).
 * @type: SOCK_* (%BRIG_KIND_SOCKET).
 * @protocol: the protocol asked for (%BRIG_KIND_SOCKET).
 * @pids_max: the ceiling hit (%BRIG_KIND_TASK).
 * @op: the operation (%BRIG_KIND_FILE, %BRIG_KIND_MOUNT, %BRIG_KIND_DEVICE),
 *	e.g. "open", "exec" or "mount"; a string that lives as long as the
 *	module. Other kinds have one op each (brig_event_op()).
 * @requested: BRIG_PERM_* asked for (%BRIG_KIND_FILE, %BRIG_KIND_DEVICE).
 * @denied: BRIG_PERM_* refused, or audited (%BRIG_KIND_FILE,
 *	%BRIG_KIND_DEVICE).
 * @path: the file (%BRIG_KIND_FILE, %BRIG_KIND_DEVICE) or the mount point
 *	(%BRIG_KIND_MOUNT), NUL-terminated, cut if long; or NULL.
 * @dev: the device, new_encode_dev()'d (%BRIG_KIND_DEVICE).
 * @dev_type: &enum brig_device (%BRIG_KIND_DEVICE).
 */
struct brig_event_detail {
	u32 cap;
	u32 family;
	u32 type;
	u32 protocol;
	u32 pids_max;
	const char *op;
	u32 requested;
	u32 denied;
	const char *path;
	u32 dev;
	u32 dev_type;
};

/**
 * struct brig_event - one queued event
 * @id: the container's id.
 * @name: the container's name.
 * @kind: &enum brig_kind.
 * @verdict: &enum brig_verdict.
 * @pid: the task, in the initial pid namespace.
 * @comm: the task's command name.
 * @detail: what the check was about (@detail.path is NULL: see @path).
 * @path: the file or mount point, for %BRIG_KIND_FILE, %BRIG_KIND_MOUNT
 *	and %BRIG_KIND_DEVICE; "" if none.
 */
struct brig_event {
	u32 id;
	char name[BRIG_NAME_MAX];
	u32 kind;
	u32 verdict;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	struct brig_event_detail detail;
	char path[BRIG_EVENT_PATH_MAX];
};

/*
 * The one verdict of every check: counts and reports what @policy refuses
 * to the current task of @c, and returns @err, or 0 in complain mode (where
 * it is reported as allowed). Any context; never sleeps: the event is queued
 * and sent from a workqueue.
 */
int brig_verdict(struct brig_container *c, const struct brig_policy *policy,
		 enum brig_kind kind, const struct brig_event_detail *detail,
		 int err);
/* Reports an audit hit: allowed, reported, not counted as a denial. */
void brig_report_audit(struct brig_container *c, enum brig_kind kind,
		       const struct brig_event_detail *detail);

/* Events dropped since the module was loaded: all containers, any cause. */
u64 brig_events_lost(void);

/* The operation @ev reports, as the log line's op= and %BRIG_EVENT_A_OP. */
const char *brig_event_op(const struct brig_event *ev);

struct path;
/*
 * @path as an event shows it: d_path() into a per-CPU buffer, or ".../NAME"
 * if that is too long. For hooks: call with preemption off and use the
 * result before the handler returns (brig_verdict() copies it).
 */
const char *brig_event_path_name(const struct path *path);

int brig_event_init(void);
void brig_event_exit(void);

#endif /* _BRIG_EVENT_H */
