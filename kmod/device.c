// SPDX-License-Identifier: GPL-2.0
/*
 * brig: device nodes
 *
 * A container without a user namespace holds CAP_MKNOD (Docker's default
 * set): it can make a node for any device, the kernel log or memory or a
 * disk, and open it. With BRIG_POLICY_F_DEVICES, as Docker's device cgroup
 * does, only the devices on the policy's list may be opened, and only for
 * what their entry allows: every open of a character or block device node
 * comes through security_file_open() (file.c's probe calls here), whatever
 * the node's name or how it was made. Opening with O_PATH opens no device (and reaches no hook).
 *
 * An open asks for r with FMODE_READ, for w with FMODE_WRITE; an open with
 * both access mode bits set (O_ACCMODE, "ioctl only") gets neither mode
 * but is checked by the kernel for both, and so is it here.
 */

#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/ptrace.h>

#include "container.h"
#include "device.h"
#include "event.h"
#include "probe.h"

/* Does @rule cover the device @type @dev? */
static bool brig_device_rule_covers(const struct brig_device_rule *rule,
				    u32 type, dev_t dev)
{
	return rule->type == type &&
	       (rule->major == BRIG_DEVICE_ANY || rule->major == MAJOR(dev)) &&
	       (rule->minor == BRIG_DEVICE_ANY || rule->minor == MINOR(dev));
}

/* What @policy lets an open of @type @dev ask for. */
static u32 brig_device_access(const struct brig_policy *policy, u32 type,
			      dev_t dev)
{
	u32 i, access = 0;

	for (i = 0; i < policy->n_devices; i++) {
		if (brig_device_rule_covers(&policy->devices[i], type, dev))
			access |= policy->devices[i].access;
	}
	return access;
}

int brig_device_open(const struct file *file)
{
	const struct inode *inode = file_inode(file);
	struct brig_event_detail detail = { .op = "open" };
	const struct brig_policy *policy;
	struct brig_container *c;
	u32 type, allowed;
	int err = 0;

	if (S_ISCHR(inode->i_mode))
		type = BRIG_DEVICE_CHAR;
	else if (S_ISBLK(inode->i_mode))
		type = BRIG_DEVICE_BLOCK;
	else
		return 0;
	if (file->f_mode & FMODE_READ)
		detail.requested |= BRIG_PERM_READ;
	if (file->f_mode & FMODE_WRITE)
		detail.requested |= BRIG_PERM_WRITE;
	if ((file->f_flags & O_ACCMODE) == O_ACCMODE)
		detail.requested |= BRIG_PERM_READ | BRIG_PERM_WRITE;

	rcu_read_lock();
	policy = brig_current_policy(&c);
	if (!policy || !brig_policy_has(policy, BRIG_POLICY_F_DEVICES))
		goto out_unlock;
	allowed = brig_device_access(policy, type, inode->i_rdev);
	/* A device on no list is refused, whatever the open asks for. */
	detail.denied = allowed ? detail.requested & ~allowed :
				  detail.requested ?: BRIG_DEVICE_ACCESS_ALL;
	if (!detail.denied)
		goto out_unlock;
	detail.dev = new_encode_dev(inode->i_rdev);
	detail.dev_type = type;
	detail.path = brig_event_path_name(&file->f_path);
	err = brig_verdict(c, policy, BRIG_KIND_DEVICE, &detail, -EPERM);
out_unlock:
	rcu_read_unlock();
	return err;
}

