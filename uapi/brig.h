/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * brig: the generic netlink ABI between brig.ko and its user-space tools.
 *
 * This is the only header both halves include. uapi/brig.yaml is the same
 * ABI as a netlink spec, and docs/abi.md describes every command, attribute
 * and event; keep the three in step (tests/host/uapi_test.sh checks the first).
 *
 * Rules (as for any netlink ABI): values only ever get added, never renumbered
 * or removed; enums start at 1 so that 0 is never a valid command or attribute;
 * integers are __u32 or __u64 (the latter padded with BRIG_A_PAD).
 */
#ifndef _UAPI_LINUX_BRIG_H
#define _UAPI_LINUX_BRIG_H

#include <linux/types.h>

/* Generic netlink family, resolved by name through nlctrl. */
#define BRIG_GENL_NAME		"brig"
/*
 * Family version, bumped when a command changes meaning (not when one is
 * added: tools detect additions by the attributes they get back).
 */
#define BRIG_GENL_VERSION	1

/* Multicast group carrying one %BRIG_CMD_EVENT message per denial or audit hit. */
#define BRIG_MCGRP_EVENTS	"events"

/* Bounds that both halves check. */
#define BRIG_NAME_MAX		64	/* container name, with its NUL */
#define BRIG_SOCKET_RULES_MAX	64	/* %BRIG_POLICY_A_SOCKET_DENY per policy */
#define BRIG_PIDS_LIMIT		4194304	/* largest ceiling: the kernel's PID_MAX_LIMIT */
#define BRIG_DEVICE_RULES_MAX	256	/* %BRIG_POLICY_A_DEVICE per policy */
#define BRIG_DEVICE_MAJOR_MAX	4095	/* the kernel's 12-bit major numbers */
#define BRIG_DEVICE_MINOR_MAX	1048575	/* and 20-bit minor numbers */
#define BRIG_EVENT_PATH_MAX	256	/* %BRIG_EVENT_A_PATH, with its NUL; longer ones are cut */
#define BRIG_COMM_LEN		16	/* %BRIG_EVENT_A_COMM, with its NUL: TASK_COMM_LEN */
#define BRIG_OP_LEN		16	/* %BRIG_EVENT_A_OP, with its NUL */
#define BRIG_HOOKS_MAX		64	/* %BRIG_A_HOOK entries in a get reply */

/*
 * %BRIG_POLICY_A_FLAGS: what a policy turns on beyond the capability mask.
 * @BRIG_POLICY_F_DEVICES: only the device nodes in the policy's
 *	%BRIG_POLICY_A_DEVICE list may be opened (without it, no device check).
 * @BRIG_POLICY_F_MOUNT: the container may mount, unmount, pivot_root and use
 *	the new mount API (without it, each is refused with EPERM).
 */
#define BRIG_POLICY_F_DEVICES	(1U << 0)
#define BRIG_POLICY_F_MOUNT	(1U << 1)
#define BRIG_POLICY_F_ALL	((BRIG_POLICY_F_MOUNT << 1) - 1)

/*
 * File permissions, as the policy language's letters (AppArmor's): what a
 * file rule denies or audits, and what an event says was asked and refused.
 */
#define BRIG_PERM_READ		(1U << 0)	/* r: open for reading, list a directory */
#define BRIG_PERM_WRITE		(1U << 1)	/* w: write, truncate, create, delete, rename, attributes */
#define BRIG_PERM_APPEND	(1U << 2)	/* a: open with O_APPEND (w implies it) */
#define BRIG_PERM_LINK		(1U << 3)	/* l: hard link at or to this path */
#define BRIG_PERM_LOCK		(1U << 4)	/* k: flock and fcntl locks */
#define BRIG_PERM_MMAP_EXEC	(1U << 5)	/* m: mmap or mprotect with PROT_EXEC */
#define BRIG_PERM_EXEC		(1U << 6)	/* x: execute, also as a script's interpreter */
#define BRIG_PERM_ALL		((BRIG_PERM_EXEC << 1) - 1)

/*
 * The file rules of a policy, compiled to one DFA (docs/abi.md, "File rule
 * DFA"). All integers little-endian; the blob is:
 *
 *   struct brig_dfa_header
 *   __u8  classes[256]            byte -> input class
 *   __u32 accept[n_states]        deny bits | audit bits << 16
 *   __u32 next[n_states][n_classes]   next state
 *
 * State 0 is the dead state (no rule can match from there), state 1 the start.
 * Bit 31 of an accept entry (BRIG_DFA_DENY_BELOW) says that some longer path
 * through this state is denied something: a directory whose name ends there
 * holds, or may come to hold, a file a deny rule covers.
 */
#define BRIG_DFA_DENY_BELOW	(1U << 31)
#define BRIG_DFA_AUDIT_SHIFT	16	/* accept: audit bits << this */
#define BRIG_DFA_CLASSES	256	/* entries of classes[]: one per byte value */
#define BRIG_DFA_MAGIC		0x41464442	/* "BDFA" */
#define BRIG_DFA_VERSION	1
#define BRIG_DFA_STATES_MAX	(1U << 20)
#define BRIG_DFA_BYTES_MAX	(16U << 20)
/* A netlink attribute holds at most 64 KiB: the blob travels in chunks. */
#define BRIG_DFA_CHUNK_MAX	65528

struct brig_dfa_header {
	__u32 magic;
	__u16 version;
	__u16 n_classes;	/* 1 to 256 */
	__u32 n_states;		/* 2 to BRIG_DFA_STATES_MAX */
	__u32 reserved;		/* 0 */
};

/**
 * enum brig_cmd - generic netlink commands
 *
 * Every command but PING is refused to tasks inside a container. Commands
 * that change state need CAP_NET_ADMIN and CAP_MAC_ADMIN in the initial user
 * namespace; GET needs CAP_NET_ADMIN. A container is named by %BRIG_A_ID or
 * %BRIG_A_NAME (one of them, not both).
 *
 * @BRIG_CMD_PING: liveness and version check; needs no privilege. Request
 *	may carry %BRIG_A_COOKIE; the reply carries %BRIG_A_VERSION and the
 *	same cookie, so the caller can match reply to request.
 * @BRIG_CMD_REGISTER: make a container of the pid namespace whose init is
 *	%BRIG_A_INIT_PID (a pid in the sender's pid namespace), named
 *	%BRIG_A_NAME (unique among live containers), confined by %BRIG_A_POLICY.
 *	The reply carries the new %BRIG_A_ID.
 * @BRIG_CMD_SET_POLICY: replace a container's policy with %BRIG_A_POLICY,
 *	atomically, in force for its running tasks at once; or, with
 *	%BRIG_A_MODE instead, the same policy in another mode.
 * @BRIG_CMD_UNREGISTER: forget a container: its tasks are no longer confined.
 * @BRIG_CMD_GET: one container (doit), or all of them (dump). Replies carry
 *	ID, NAME, INIT_PID, PIDNS_INO, POLICY, TASKS, DENIALS, HOOK_MISSES,
 *	EVENTS_LOST and one HOOK per probed kernel function.
 * @BRIG_CMD_EVENT: (multicast only) one denial or audit hit: ID, NAME, EVENT.
 * @BRIG_CMD_UNSPEC: not used (0 means none).
 * @__BRIG_CMD_MAX: one past the last; internal.
 * @BRIG_CMD_MAX: the last value, for bounds and arrays.
 */
enum brig_cmd {
	BRIG_CMD_UNSPEC,
	BRIG_CMD_PING,
	BRIG_CMD_REGISTER,
	BRIG_CMD_SET_POLICY,
	BRIG_CMD_UNREGISTER,
	BRIG_CMD_GET,
	BRIG_CMD_EVENT,

	/* add new commands above here */
	__BRIG_CMD_MAX,
	BRIG_CMD_MAX = __BRIG_CMD_MAX - 1
};

/**
 * enum brig_attr - top-level attributes
 * @BRIG_A_PAD: alignment padding for 64-bit attributes; never sent alone.
 * @BRIG_A_VERSION: (u32) the module's %BRIG_GENL_VERSION.
 * @BRIG_A_COOKIE: (u64) any value chosen by the caller, echoed back verbatim.
 * @BRIG_A_ID: (u32) container id, from 1; never reused while loaded.
 * @BRIG_A_NAME: (NUL-terminated string) container name: 1 to
 *	%BRIG_NAME_MAX - 1 characters of [A-Za-z0-9_.-], the first alphanumeric.
 * @BRIG_A_INIT_PID: (u32) the container's init: in requests, a pid in the
 *	sender's pid namespace; in replies, in the initial pid namespace.
 * @BRIG_A_PIDNS_INO: (u32) inode number of the container's pid namespace,
 *	as in /proc/PID/ns/pid.
 * @BRIG_A_POLICY: (nest, &enum brig_policy_attr) the container's policy.
 * @BRIG_A_TASKS: (u32) tasks alive in the container now, threads and
 *	unreaped zombies included.
 * @BRIG_A_DENIALS: (nest, &enum brig_counter_attr) denials so far, by kind.
 * @BRIG_A_HOOK_MISSES: (u64) hook calls the kernel skipped because another
 *	probe handler was running on the same CPU (all containers).
 * @BRIG_A_EVENT: (nest, &enum brig_event_attr) in %BRIG_CMD_EVENT.
 * @BRIG_A_EVENTS_LOST: (u64) events dropped since the module was loaded
 *	(all containers), because they came faster than they could be sent
 *	or no message could be made for them.
 * @BRIG_A_HOOK: (nest, &enum brig_hook_attr, repeatable) one per kernel
 *	function the module probes: its name and its misses.
 * @BRIG_A_DFA: (binary, repeatable) with %BRIG_A_POLICY in REGISTER and
 *	SET_POLICY: the policy's file rules compiled to one DFA (see struct
 *	brig_dfa_header), in chunks of at most %BRIG_DFA_CHUNK_MAX bytes,
 *	concatenated in order, %BRIG_DFA_BYTES_MAX at most in all (top-level,
 *	since a nest cannot hold more than 64 KiB). Absent: no file rules.
 * @BRIG_A_MODE: (u32, &enum brig_mode) SET_POLICY, instead of %BRIG_A_POLICY:
 *	switch only the mode of the policy in force, its rules as they are
 *	(a detector's "enforce now", without the policy's source at hand).
 * @BRIG_A_UNSPEC: not used (0 means none).
 * @__BRIG_A_MAX: one past the last; internal.
 * @BRIG_A_MAX: the last value, for bounds and arrays.
 */
enum brig_attr {
	BRIG_A_UNSPEC,
	BRIG_A_PAD,
	BRIG_A_VERSION,
	BRIG_A_COOKIE,
	BRIG_A_ID,
	BRIG_A_NAME,
	BRIG_A_INIT_PID,
	BRIG_A_PIDNS_INO,
	BRIG_A_POLICY,
	BRIG_A_TASKS,
	BRIG_A_DENIALS,
	BRIG_A_HOOK_MISSES,
	BRIG_A_EVENT,
	BRIG_A_DFA,
	BRIG_A_EVENTS_LOST,
	BRIG_A_HOOK,
	BRIG_A_MODE,

	/* add new attributes above here */
	__BRIG_A_MAX,
	BRIG_A_MAX = __BRIG_A_MAX - 1
};

/**
 * enum brig_hook_attr - one probed kernel function (%BRIG_A_HOOK)
 * @BRIG_HOOK_A_PAD: alignment padding.
 * @BRIG_HOOK_A_NAME: (string) the probed function's symbol.
 * @BRIG_HOOK_A_MISSES: (u64) its hits the kernel skipped because another
 *	probe handler was running on the same CPU.
 * @BRIG_HOOK_A_UNSPEC: not used (0 means none).
 * @__BRIG_HOOK_A_MAX: one past the last; internal.
 * @BRIG_HOOK_A_MAX: the last value, for bounds and arrays.
 */
enum brig_hook_attr {
	BRIG_HOOK_A_UNSPEC,
	BRIG_HOOK_A_PAD,
	BRIG_HOOK_A_NAME,
	BRIG_HOOK_A_MISSES,

	/* add new attributes above here */
	__BRIG_HOOK_A_MAX,
	BRIG_HOOK_A_MAX = __BRIG_HOOK_A_MAX - 1
};

/**
 * enum brig_mode - what a policy does with what it would refuse
 * @BRIG_MODE_ENFORCE: refuse it and report it.
 * @BRIG_MODE_COMPLAIN: allow it and report it (as AppArmor's complain mode).
 * @__BRIG_MODE_MAX: one past the last; internal.
 * @BRIG_MODE_MAX: the last value, for bounds and arrays.
 */
enum brig_mode {
	BRIG_MODE_ENFORCE = 1,
	BRIG_MODE_COMPLAIN,

	/* add new modes above here */
	__BRIG_MODE_MAX,
	BRIG_MODE_MAX = __BRIG_MODE_MAX - 1
};

/**
 * enum brig_policy_attr - a policy (%BRIG_A_POLICY)
 * @BRIG_POLICY_A_PAD: alignment padding.
 * @BRIG_POLICY_A_MODE: (u32, &enum brig_mode) default %BRIG_MODE_ENFORCE.
 * @BRIG_POLICY_A_CAPS: (u64) capabilities the container's tasks may use,
 *	bit N for capability N (CAP_LAST_CAP at most); required. Any other
 *	capability check fails with EPERM, in every user namespace.
 * @BRIG_POLICY_A_PIDS_MAX: (u32) task ceiling, 1 to %BRIG_PIDS_LIMIT; absent:
 *	no ceiling. A fork past it fails with EAGAIN.
 * @BRIG_POLICY_A_SOCKET_DENY: (nest, &enum brig_socket_attr, repeatable up to
 *	%BRIG_SOCKET_RULES_MAX times) refuse creating such sockets with EACCES.
 * @BRIG_POLICY_A_DFA_STATES: (u32) replies only: states of the DFA in force.
 * @BRIG_POLICY_A_DFA_BYTES: (u32) replies only: its size in bytes.
 * @BRIG_POLICY_A_DEVICE: (nest, &enum brig_device_attr, repeatable up to
 *	%BRIG_DEVICE_RULES_MAX times) a device node the container may open,
 *	when %BRIG_POLICY_F_DEVICES is set.
 * @BRIG_POLICY_A_FLAGS: (u32, BRIG_POLICY_F_* bits) absent: 0.
 * @BRIG_POLICY_A_UNSPEC: not used (0 means none).
 * @__BRIG_POLICY_A_MAX: one past the last; internal.
 * @BRIG_POLICY_A_MAX: the last value, for bounds and arrays.
 */
enum brig_policy_attr {
	BRIG_POLICY_A_UNSPEC,
	BRIG_POLICY_A_PAD,
	BRIG_POLICY_A_MODE,
	BRIG_POLICY_A_CAPS,
	BRIG_POLICY_A_PIDS_MAX,
	BRIG_POLICY_A_SOCKET_DENY,
	BRIG_POLICY_A_DFA_STATES,
	BRIG_POLICY_A_DFA_BYTES,
	BRIG_POLICY_A_DEVICE,
	BRIG_POLICY_A_FLAGS,

	/* add new attributes above here */
	__BRIG_POLICY_A_MAX,
	BRIG_POLICY_A_MAX = __BRIG_POLICY_A_MAX - 1
};

/**
 * enum brig_socket_attr - one socket deny rule (%BRIG_POLICY_A_SOCKET_DENY)
 * @BRIG_SOCKET_A_FAMILY: (u32) AF_* below AF_MAX; 0 (AF_UNSPEC) or absent:
 *	every family.
 * @BRIG_SOCKET_A_TYPE: (u32) SOCK_* (1 to SOCK_PACKET); 0 or absent: every type.
 *
 * Sockets the kernel creates for itself are never refused. `deny network raw`
 * is two rules: (any family, SOCK_RAW) and (AF_PACKET, any type).
 * @BRIG_SOCKET_A_UNSPEC: not used (0 means none).
 * @__BRIG_SOCKET_A_MAX: one past the last; internal.
 * @BRIG_SOCKET_A_MAX: the last value, for bounds and arrays.
 */
enum brig_socket_attr {
	BRIG_SOCKET_A_UNSPEC,
	BRIG_SOCKET_A_FAMILY,
	BRIG_SOCKET_A_TYPE,

	/* add new attributes above here */
	__BRIG_SOCKET_A_MAX,
	BRIG_SOCKET_A_MAX = __BRIG_SOCKET_A_MAX - 1
};

/**
 * enum brig_device - the two kinds of device node (%BRIG_DEVICE_A_TYPE)
 * @BRIG_DEVICE_CHAR: a character device (S_IFCHR).
 * @BRIG_DEVICE_BLOCK: a block device (S_IFBLK).
 * @__BRIG_DEVICE_MAX: one past the last; internal.
 * @BRIG_DEVICE_MAX: the last value, for bounds and arrays.
 */
enum brig_device {
	BRIG_DEVICE_CHAR = 1,
	BRIG_DEVICE_BLOCK,

	/* add new device types above here */
	__BRIG_DEVICE_MAX,
	BRIG_DEVICE_MAX = __BRIG_DEVICE_MAX - 1
};

/**
 * enum brig_device_attr - one device a policy exposes (%BRIG_POLICY_A_DEVICE)
 * @BRIG_DEVICE_A_TYPE: (u32, &enum brig_device) required.
 * @BRIG_DEVICE_A_MAJOR: (u32) 0 to %BRIG_DEVICE_MAJOR_MAX; absent: any.
 * @BRIG_DEVICE_A_MINOR: (u32) 0 to %BRIG_DEVICE_MINOR_MAX; absent: any.
 * @BRIG_DEVICE_A_ACCESS: (u32) %BRIG_PERM_READ and/or %BRIG_PERM_WRITE: what
 *	an open of the node may ask for; required.
 * @BRIG_DEVICE_A_UNSPEC: not used (0 means none).
 * @__BRIG_DEVICE_A_MAX: one past the last; internal.
 * @BRIG_DEVICE_A_MAX: the last value, for bounds and arrays.
 */
enum brig_device_attr {
	BRIG_DEVICE_A_UNSPEC,
	BRIG_DEVICE_A_TYPE,
	BRIG_DEVICE_A_MAJOR,
	BRIG_DEVICE_A_MINOR,
	BRIG_DEVICE_A_ACCESS,

	/* add new attributes above here */
	__BRIG_DEVICE_A_MAX,
	BRIG_DEVICE_A_MAX = __BRIG_DEVICE_A_MAX - 1
};

/**
 * enum brig_kind - what a check was about
 * @BRIG_KIND_CAP: a capability check.
 * @BRIG_KIND_SOCKET: socket creation.
 * @BRIG_KIND_TASK: a fork or clone against the task ceiling.
 * @BRIG_KIND_FILE: a file access.
 * @BRIG_KIND_MOUNT: a mount operation (mount, umount, pivot_root, move_mount,
 *	the new mount API, mount_setattr).
 * @BRIG_KIND_DEVICE: opening a device node the policy does not expose.
 * @__BRIG_KIND_MAX: one past the last; internal.
 * @BRIG_KIND_MAX: the last value, for bounds and arrays.
 */
enum brig_kind {
	BRIG_KIND_CAP = 1,
	BRIG_KIND_SOCKET,
	BRIG_KIND_TASK,
	BRIG_KIND_FILE,
	BRIG_KIND_MOUNT,
	BRIG_KIND_DEVICE,

	/* add new kinds above here */
	__BRIG_KIND_MAX,
	BRIG_KIND_MAX = __BRIG_KIND_MAX - 1
};

/**
 * enum brig_counter_attr - denials by kind (%BRIG_A_DENIALS), each a u64
 * @BRIG_COUNTER_A_PAD: alignment padding.
 * @BRIG_COUNTER_A_CAP: capability checks refused (or, in complain mode,
 *	that would have been).
 * @BRIG_COUNTER_A_SOCKET: sockets refused.
 * @BRIG_COUNTER_A_TASK: forks refused at the ceiling.
 * @BRIG_COUNTER_A_FILE: file accesses refused.
 * @BRIG_COUNTER_A_MOUNT: mount operations refused.
 * @BRIG_COUNTER_A_DEVICE: device opens refused.
 * @BRIG_COUNTER_A_UNSPEC: not used (0 means none).
 * @__BRIG_COUNTER_A_MAX: one past the last; internal.
 * @BRIG_COUNTER_A_MAX: the last value, for bounds and arrays.
 */
enum brig_counter_attr {
	BRIG_COUNTER_A_UNSPEC,
	BRIG_COUNTER_A_PAD,
	BRIG_COUNTER_A_CAP,
	BRIG_COUNTER_A_SOCKET,
	BRIG_COUNTER_A_TASK,
	BRIG_COUNTER_A_FILE,
	BRIG_COUNTER_A_MOUNT,
	BRIG_COUNTER_A_DEVICE,

	/* add new attributes above here */
	__BRIG_COUNTER_A_MAX,
	BRIG_COUNTER_A_MAX = __BRIG_COUNTER_A_MAX - 1
};

/**
 * enum brig_verdict - what happened to a reported operation
 * @BRIG_VERDICT_DENIED: refused (enforce mode).
 * @BRIG_VERDICT_ALLOWED: allowed although the policy refuses it (complain mode).
 * @BRIG_VERDICT_AUDIT: allowed, reported because an audit rule asks for it.
 * @__BRIG_VERDICT_MAX: one past the last; internal.
 * @BRIG_VERDICT_MAX: the last value, for bounds and arrays.
 */
enum brig_verdict {
	BRIG_VERDICT_DENIED = 1,
	BRIG_VERDICT_ALLOWED,
	BRIG_VERDICT_AUDIT,

	/* add new verdicts above here */
	__BRIG_VERDICT_MAX,
	BRIG_VERDICT_MAX = __BRIG_VERDICT_MAX - 1
};

/**
 * enum brig_event_attr - one event (%BRIG_A_EVENT)
 * @BRIG_EVENT_A_PAD: alignment padding.
 * @BRIG_EVENT_A_KIND: (u32, &enum brig_kind).
 * @BRIG_EVENT_A_VERDICT: (u32, &enum brig_verdict).
 * @BRIG_EVENT_A_PID: (u32) the task, in the initial pid namespace.
 * @BRIG_EVENT_A_COMM: (string) the task's command name.
 * @BRIG_EVENT_A_CAP: (u32) the capability, for %BRIG_KIND_CAP.
 * @BRIG_EVENT_A_FAMILY: (u32) AF_*, for %BRIG_KIND_SOCKET.
 * @BRIG_EVENT_A_TYPE: (u32) SOCK_*, for %BRIG_KIND_SOCKET.
 * @BRIG_EVENT_A_PROTOCOL: (u32) the protocol asked for, for %BRIG_KIND_SOCKET.
 * @BRIG_EVENT_A_PIDS_MAX: (u32) the ceiling that was hit, for %BRIG_KIND_TASK.
 * @BRIG_EVENT_A_LOST: (u32) events dropped just before this one because
 *	they came faster than they could be sent.
 * @BRIG_EVENT_A_PATH: (string) the file, as seen in the container (long
 *	paths are cut, ending in "..."), for %BRIG_KIND_FILE and
 *	%BRIG_KIND_DEVICE; for %BRIG_KIND_MOUNT the mount point or the
 *	mount, where the operation has one.
 * @BRIG_EVENT_A_REQUESTED: (u32) BRIG_PERM_* asked for, for %BRIG_KIND_FILE
 *	and %BRIG_KIND_DEVICE.
 * @BRIG_EVENT_A_DENIED: (u32) BRIG_PERM_* refused (or, for an audit event,
 *	audited), for %BRIG_KIND_FILE and %BRIG_KIND_DEVICE.
 * @BRIG_EVENT_A_OP: (string) the operation, as the kernel log line's op=
 *	shows it ("capable", "socket", "fork", "open", "mount", ...); every kind.
 * @BRIG_EVENT_A_DEVICE: (u32) the device, for %BRIG_KIND_DEVICE, encoded as
 *	stat(2)'s st_rdev is (the kernel's new_encode_dev()): major() and
 *	minor() of <sys/sysmacros.h> take it apart.
 * @BRIG_EVENT_A_DEVICE_TYPE: (u32, &enum brig_device) for %BRIG_KIND_DEVICE.
 * @BRIG_EVENT_A_UNSPEC: not used (0 means none).
 * @__BRIG_EVENT_A_MAX: one past the last; internal.
 * @BRIG_EVENT_A_MAX: the last value, for bounds and arrays.
 */
enum brig_event_attr {
	BRIG_EVENT_A_UNSPEC,
	BRIG_EVENT_A_PAD,
	BRIG_EVENT_A_KIND,
	BRIG_EVENT_A_VERDICT,
	BRIG_EVENT_A_PID,
	BRIG_EVENT_A_COMM,
	BRIG_EVENT_A_CAP,
	BRIG_EVENT_A_FAMILY,
	BRIG_EVENT_A_TYPE,
	BRIG_EVENT_A_PROTOCOL,
	BRIG_EVENT_A_PIDS_MAX,
	BRIG_EVENT_A_LOST,
	BRIG_EVENT_A_PATH,
	BRIG_EVENT_A_REQUESTED,
	BRIG_EVENT_A_DENIED,
	BRIG_EVENT_A_OP,
	BRIG_EVENT_A_DEVICE,
	BRIG_EVENT_A_DEVICE_TYPE,

	/* add new attributes above here */
	__BRIG_EVENT_A_MAX,
	BRIG_EVENT_A_MAX = __BRIG_EVENT_A_MAX - 1
};

/*
 * One vocabulary: the names brig.ko's log line and brigctl both print, as
 * initializers of the tables each side keeps (kmod/event.c, libbrig's
 * names.c), so that the two cannot drift.
 *
 * BRIG_PERM_LETTERS: letter i names permission bit i (BRIG_PERM_*).
 * BRIG_VERDICT_NAMES, BRIG_KIND_OPS: by enum brig_verdict and enum
 *	brig_kind; an event's op is BRIG_EVENT_A_OP where it has one, else
 *	its kind's op.
 * BRIG_CAP_NAMES: capabilities 0 to BRIG_CAP_NAMES_COUNT - 1, as the
 *	kernel's CAP_* names, without CAP_ and in lower case.
 * BRIG_FAMILY_NAMES, BRIG_TYPE_NAMES: by AF_* and SOCK_* of the side that
 *	expands them; a number without a name is printed as the number.
 */
#define BRIG_PERM_LETTERS	"rwalkmx"
#define BRIG_VERDICT_NAMES {						\
	[BRIG_VERDICT_DENIED] = "DENIED", [BRIG_VERDICT_ALLOWED] = "ALLOWED",	\
	[BRIG_VERDICT_AUDIT] = "AUDIT",					\
}
#define BRIG_KIND_OPS {							\
	[BRIG_KIND_CAP] = "capable", [BRIG_KIND_SOCKET] = "socket",		\
	[BRIG_KIND_TASK] = "fork", [BRIG_KIND_FILE] = "file",		\
	[BRIG_KIND_MOUNT] = "mount", [BRIG_KIND_DEVICE] = "open",		\
}
#define BRIG_CAP_NAMES_COUNT	41
#define BRIG_CAP_NAMES {						\
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid",	\
	"kill", "setgid", "setuid", "setpcap", "linux_immutable",		\
	"net_bind_service", "net_broadcast", "net_admin", "net_raw",	\
	"ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot",	\
	"sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",	\
	"sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",	\
	"audit_write", "audit_control", "setfcap", "mac_override",		\
	"mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read",	\
	"perfmon", "bpf", "checkpoint_restore",				\
}
#define BRIG_FAMILY_NAMES {						\
	[AF_UNIX] = "unix", [AF_INET] = "inet", [AF_INET6] = "inet6",	\
	[AF_NETLINK] = "netlink", [AF_PACKET] = "packet",		\
}
#define BRIG_TYPE_NAMES {						\
	[SOCK_STREAM] = "stream", [SOCK_DGRAM] = "dgram",		\
	[SOCK_RAW] = "raw", [SOCK_RDM] = "rdm",				\
	[SOCK_SEQPACKET] = "seqpacket", [SOCK_DCCP] = "dccp",		\
	[SOCK_PACKET] = "packet",					\
}

#endif /* _UAPI_LINUX_BRIG_H */
