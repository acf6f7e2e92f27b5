// SPDX-License-Identifier: GPL-2.0
/*
 * brig: mount operations
 *
 * File rules name paths; a container that can mount can put another file
 * system, or another part of this one, under any name a rule protects (a
 * tmpfs over /bin), or, with a detached clone (open_tree), reach files by
 * names that start at the clone's root. Docker's AppArmor profile says
 * `deny mount`; so does brig, unless the policy has BRIG_POLICY_F_MOUNT.
 * Each operation that changes the mount tree, or makes a mount, is refused
 * with EPERM for container tasks:
 *
 *   mount(2), every variant (new, bind, remount, move, propagation)
 *                               security_sb_mount
 *   umount(2), umount2(2)       security_sb_umount
 *   pivot_root(2)               security_sb_pivotroot
 *   move_mount(2)               security_move_mount
 *   fsopen(2), fsmount(2), fspick(2), open_tree(2) with OPEN_TREE_CLONE,
 *   mount_setattr(2)            the syscalls' entries (no security hook):
 *                               __x64_sys_*, and __ia32_sys_* for 32-bit
 *                               callers
 *
 * open_tree() without OPEN_TREE_CLONE only opens a path (as O_PATH does)
 * and is left alone; fsconfig() works only on a context fsopen() or
 * fspick() made. file.c refuses chroot and pivot_root to containers with
 * file rules in any case; this file's probe on security_sb_pivotroot is
 * registered first, so without BRIG_POLICY_F_MOUNT the event is a mount's.
 */

#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/ptrace.h>
#include <uapi/linux/mount.h>

#include "container.h"
#include "event.h"
#include "file.h"
#include "mount.h"
#include "probe.h"

/* @op on @path (or on nothing named) by the current task: 0 or -EPERM. */
static int brig_mount_check(const char *op, const struct path *path)
{
	struct brig_event_detail detail = { .op = op };
	const struct brig_policy *policy;
	struct brig_container *c;
	int err = 0;

	if (!brig_active())
		return 0;
	rcu_read_lock();
	policy = brig_current_policy(&c);
	if (policy && !brig_policy_has(policy, BRIG_POLICY_F_MOUNT)) {
		if (path)
			detail.path = brig_event_path_name(path);
		err = brig_verdict(c, policy, BRIG_KIND_MOUNT, &detail, -EPERM);
	}
	rcu_read_unlock();
	return err;
}

static int brig_mount_deny_if(struct pt_regs *regs, int err)
{
	return err ? brig_probe_deny(regs, err) : 0;
}

/* What mount(2) does with @flags, as the event names it. */
static const char *brig_mount_op(unsigned long flags)
{
	if (flags & MS_REMOUNT)
		return "remount";
	if (flags & MS_BIND)
		return "bind";
	if (flags & MS_MOVE)
		return "move";
	if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		return "propagation";
	return "mount";
}

/*
 * security_sb_mount(const char *dev_name, const struct path *path,
 *		     const char *type, unsigned long flags, void *data)
 */
static int brig_sb_mount_pre(struct pt_regs *regs)
{
	return brig_mount_deny_if(regs,
				  brig_mount_check(brig_mount_op(BRIG_ARG(regs, 3, unsigned long)),
						   BRIG_ARG(regs, 1, const struct path *)));
}

/* security_sb_umount(struct vfsmount *mnt, int flags) */
static int brig_sb_umount_pre(struct pt_regs *regs)
{
	struct vfsmount *mnt = BRIG_ARG(regs, 0, struct vfsmount *);
	struct path path = { .mnt = mnt, .dentry = mnt->mnt_root };

	return brig_mount_deny_if(regs, brig_mount_check("umount", &path));
}

/* security_sb_pivotroot(const struct path *old, const struct path *new) */
static int brig_sb_pivotroot_pre(struct pt_regs *regs)
{
	const struct path *new_root = BRIG_ARG(regs, 1, const struct path *);
	int err = brig_mount_check("pivot_root", new_root);

	/* Allowed as a mount, it still renames every file rule. */
	if (!err)
		err = brig_file_new_root("pivot_root", new_root);
	return brig_mount_deny_if(regs, err);
}

/* security_move_mount(const struct path *from, const struct path *to) */
static int brig_move_mount_pre(struct pt_regs *regs)
{
	return brig_mount_deny_if(regs, brig_mount_check("move_mount",
							 BRIG_ARG(regs, 1, const struct path *)));
}

static int brig_syscall_deny_if(struct pt_regs *regs, const char *op)
{
	return brig_mount_check(op, NULL) ? brig_probe_deny_syscall(regs) : 0;
}

static int brig_sys_fsopen_pre(struct pt_regs *regs)
{
	return brig_syscall_deny_if(regs, "fsopen");
}

static int brig_sys_fsmount_pre(struct pt_regs *regs)
{
	return brig_syscall_deny_if(regs, "fsmount");
}

static int brig_sys_fspick_pre(struct pt_regs *regs)
{
	return brig_syscall_deny_if(regs, "fspick");
}

/* open_tree(int dfd, const char *path, unsigned int flags): flags in dx, x86-64 and ia32 alike */
static int brig_sys_open_tree_pre(struct pt_regs *regs)
{
	if (!brig_active() ||
	    !(brig_syscall_regs(regs)->dx & OPEN_TREE_CLONE))
		return 0;
	return brig_syscall_deny_if(regs, "open_tree");
}

static int brig_sys_mount_setattr_pre(struct pt_regs *regs)
{
	return brig_syscall_deny_if(regs, "mount_setattr");
}

static struct brig_probe brig_mount_probes[] = {
	BRIG_PROBE("security_sb_mount", brig_sb_mount_pre),
	BRIG_PROBE("security_sb_umount", brig_sb_umount_pre),
	BRIG_PROBE("security_sb_pivotroot", brig_sb_pivotroot_pre),
	BRIG_PROBE("security_move_mount", brig_move_mount_pre),
	/* 64-bit (and x32) callers */
	BRIG_PROBE("__x64_sys_fsopen", brig_sys_fsopen_pre),
	BRIG_PROBE("__x64_sys_fsmount", brig_sys_fsmount_pre),
	BRIG_PROBE("__x64_sys_fspick", brig_sys_fspick_pre),
	BRIG_PROBE("__x64_sys_open_tree", brig_sys_open_tree_pre),
	BRIG_PROBE("__x64_sys_mount_setattr", brig_sys_mount_setattr_pre),
#ifdef CONFIG_IA32_EMULATION
	/* 32-bit callers */
	BRIG_PROBE("__ia32_sys_fsopen", brig_sys_fsopen_pre),
	BRIG_PROBE("__ia32_sys_fsmount", brig_sys_fsmount_pre),
	BRIG_PROBE("__ia32_sys_fspick", brig_sys_fspick_pre),
	BRIG_PROBE("__ia32_sys_open_tree", brig_sys_open_tree_pre),
	BRIG_PROBE("__ia32_sys_mount_setattr", brig_sys_mount_setattr_pre),
#endif
};

int __init brig_mount_init(void)
{
	return brig_probes_register(brig_mount_probes,
				    ARRAY_SIZE(brig_mount_probes));
}

void brig_mount_exit(void)
{
	brig_probes_unregister(brig_mount_probes, ARRAY_SIZE(brig_mount_probes));
}
