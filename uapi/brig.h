/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * brig: the generic netlink ABI between brig.ko and its user-space tools.
 *
 * This is the only header both halves include. docs/abi.md describes every
 * command, attribute and event; keep the two in step.
 *
 * Rules (as for any netlink ABI): values only ever get added, never renumbered
 * or removed; enums start at 1 so that 0 is never a valid command or attribute;
 * integers are __u32 or __u64 (the latter padded with BRIG_A_PAD).
 */
#ifndef _UAPI_LINUX_BRIG_H
#define _UAPI_LINUX_BRIG_H

/* Generic netlink family, resolved by name through nlctrl. */
#define BRIG_GENL_NAME		"brig"
/*
 * Family version, bumped when a command changes meaning (not when one is
 * added: tools detect additions by the attributes they get back).
 */
#define BRIG_GENL_VERSION	1

/**
 * enum brig_cmd - generic netlink commands
 * @BRIG_CMD_PING: liveness and version check; needs no privilege. Request
 *	may carry %BRIG_A_COOKIE; the reply carries %BRIG_A_VERSION and the
 *	same cookie, so the caller can match reply to request.
 */
enum brig_cmd {
	BRIG_CMD_UNSPEC,
	BRIG_CMD_PING,

	/* add new commands above here */
	__BRIG_CMD_MAX,
	BRIG_CMD_MAX = __BRIG_CMD_MAX - 1
};

/**
 * enum brig_attr - top-level attributes
 * @BRIG_A_PAD: alignment padding for 64-bit attributes; never sent alone.
 * @BRIG_A_VERSION: (u32) the module's %BRIG_GENL_VERSION.
 * @BRIG_A_COOKIE: (u64) any value chosen by the caller, echoed back verbatim.
 */
enum brig_attr {
	BRIG_A_UNSPEC,
	BRIG_A_PAD,
	BRIG_A_VERSION,
	BRIG_A_COOKIE,

	/* add new attributes above here */
	__BRIG_A_MAX,
	BRIG_A_MAX = __BRIG_A_MAX - 1
};

#endif /* _UAPI_LINUX_BRIG_H */
