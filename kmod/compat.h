/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: the differences between the kernels brig supports (6.1 and 6.12),
 * kept here rather than scattered through the checks.
 */
#ifndef _BRIG_COMPAT_H
#define _BRIG_COMPAT_H

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/version.h>

/*
 * overlayfs opens a second, internal file on the layer below, under the
 * overlay's path; the file the task opened is the one to check. 6.12 marks
 * it FMODE_BACKING; 6.1 makes it with open_with_fake_path(), whose files
 * alone are FMODE_NOACCOUNT (overlayfs's and cachefiles', never a task's).
 */
#ifdef FMODE_BACKING
#define BRIG_FMODE_BACKING FMODE_BACKING
#else
#define BRIG_FMODE_BACKING FMODE_NOACCOUNT
#endif

/*
 * Since 6.2, ftruncate() and open(O_TRUNC) go through
 * security_file_truncate(); before, through security_path_truncate().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define BRIG_HAVE_FILE_TRUNCATE 1
#else
#define BRIG_HAVE_FILE_TRUNCATE 0
#endif

/*
 * Since 6.2, POSIX ACLs are set through security_inode_{set,remove}_acl()
 * rather than as xattrs.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define BRIG_HAVE_INODE_ACL_HOOKS 1
#else
#define BRIG_HAVE_INODE_ACL_HOOKS 0
#endif

/*
 * A capability set as bit N = capability N: a kernel_cap_t is two u32 up to
 * 6.2 (_KERNEL_CAPABILITY_U32S), one u64 since.
 */
static inline u64 brig_cap_bits(const kernel_cap_t *caps)
{
#ifdef _KERNEL_CAPABILITY_U32S
	return caps->cap[0] | (u64)caps->cap[1] << 32;
#else
	return caps->val;
#endif
}

#endif /* _BRIG_COMPAT_H */
