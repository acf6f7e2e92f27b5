// SPDX-License-Identifier: GPL-2.0
/*
 * brig: file rules
 *
 * Every operation a permission letter covers is checked at the security
 * hook that sees it with its object, after the kernel has resolved symbolic
 * links, "..", /proc/self/fd and *at() lookups: the rule matches the file
 * reached, however it was named. name.c says what name that is.
 *
 *   letter  hooks
 *   r       file_open (read; not an exec's open)
 *   w       file_open (write), path_{mknod,mkdir,unlink,rmdir,rename,symlink,
 *           link,truncate,chmod,chown}, file_truncate (6.2+), vfs_utimes,
 *           inode_{setxattr,removexattr}, inode_{set,remove}_acl (6.2+),
 *           file_ioctl{,_compat} (inode flags), unix_{stream_connect,may_send}
 *   a       file_open (O_APPEND)
 *   l       path_link: the new name, and the target must be covered by no
 *           deny rule
 *   k       file_lock
 *   m       mmap_file, file_mprotect with PROT_EXEC
 *   x       bprm_check (the program, and each script interpreter)
 *
 * A container with file rules may not chroot or pivot_root; without them,
 * the new root's name is recorded for rules that may come.
 */

#include <linux/binfmts.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/path.h>
#include <linux/personality.h>
#include <linux/ptrace.h>
#include <net/af_unix.h>
#include <uapi/linux/fs.h>

#include "compat.h"
#include "device.h"
#include "container.h"
#include "event.h"
#include "file.h"
#include "name.h"
#include "probe.h"

/*
 * How a check reads the rules: the letters asked for, or, for what moves or
 * names a file anew (rename's source, a hard link's target), whether any
 * deny rule covers it, or for a directory anything below it.
 */
enum brig_check {
	BRIG_CHECK_LETTERS,
	BRIG_CHECK_COVERED,
};

/* What of @requested the rules' @perms refuse. */
static u32 brig_file_denied(u32 perms, u32 requested, bool dir, enum brig_check how)
{
	u32 deny = perms & BRIG_PERM_ALL;

	if (how == BRIG_CHECK_COVERED)
		return (deny || (dir && (perms & BRIG_DFA_DENY_BELOW))) ? requested : 0;
	return requested & deny;
}

/*
 * Checks @requested (BRIG_PERM_*) on @path (or @child in the directory
 * @path) for the current task. Returns 0 or -EACCES; reports denials and
 * audit hits. Where the rules neither refuse nor audit, the verdict read
 * without a name is enough; otherwise the file is named, for the event, and
 * that name's verdict is the one given. No rule with the letters asked for:
 * nothing to read.
 */
static int brig_file_check(const char *op, const struct path *path,
			   const struct dentry *child, bool dir, u32 requested,
			   enum brig_check how)
{
	struct brig_event_detail detail = { .op = op, .requested = requested };
	const struct brig_policy *policy;
	struct brig_container *c;
	struct brig_name name;
	u32 perms;
	int err = 0;

	if (!brig_active())
		return 0;
	rcu_read_lock();
	policy = brig_current_policy(&c);
	if (!policy || !policy->dfa)
		goto out_unlock;
	/* No rule refuses or audits these letters anywhere: no name matters. */
	if (how == BRIG_CHECK_LETTERS &&
	    !(requested & (policy->dfa->any | policy->dfa->any >> BRIG_DFA_AUDIT_SHIFT)))
		goto out_unlock;
	if (brig_name_quick_perms(c, policy->dfa, path, child, dir, &perms) &&
	    !brig_file_denied(perms, requested, dir, how) &&
	    !(requested & (perms >> BRIG_DFA_AUDIT_SHIFT)))
		goto out_unlock;
	brig_name_of(c, path, child, dir, &name);
	perms = brig_name_perms(policy->dfa, &name);
	detail.path = name.name;
	detail.denied = brig_file_denied(perms, requested, dir, how);
	if (detail.denied) {
		err = brig_verdict(c, policy, BRIG_KIND_FILE, &detail, -EACCES);
	} else if (requested & (perms >> BRIG_DFA_AUDIT_SHIFT)) {
		detail.denied = requested & (perms >> BRIG_DFA_AUDIT_SHIFT);
		brig_report_audit(c, BRIG_KIND_FILE, &detail);
	}
out_unlock:
	rcu_read_unlock();
	return err;
}

static int brig_deny_if(struct pt_regs *regs, int err)
{
	return err ? brig_probe_deny(regs, err) : 0;
}

/* @dentry, positive, in @dir's mount. */
static struct path brig_child(const struct path *dir, struct dentry *dentry)
{
	return (struct path){ .mnt = dir->mnt, .dentry = dentry };
}

/* security_file_open(struct file *file) */
static int brig_file_open_pre(struct pt_regs *regs)
{
	struct file *file = BRIG_ARG(regs, 0, struct file *);
	u32 requested = 0;
	int err;

	if (!brig_active())
		return 0;
	err = brig_device_open(file);
	if (err)
		return brig_probe_deny(regs, err);

	/*
	 * An exec open is checked as x, at bprm_check; the flag that says so
	 * is in f_flags (do_open_execat), not f_mode.
	 */
	if ((file->f_flags & __FMODE_EXEC) ||
	    (file->f_mode & (FMODE_EXEC | BRIG_FMODE_BACKING)))
		return 0;
	if (file->f_mode & FMODE_READ)
		requested |= BRIG_PERM_READ;
	if (file->f_mode & FMODE_WRITE)
		requested |= file->f_flags & O_APPEND ? BRIG_PERM_APPEND :
							BRIG_PERM_WRITE;
	if (file->f_flags & O_TRUNC)
		requested |= BRIG_PERM_WRITE;
	if (!requested)
		return 0;
	return brig_deny_if(regs, brig_file_check("open", &file->f_path, NULL,
				d_is_dir(file->f_path.dentry), requested, BRIG_CHECK_LETTERS));
}

/*
 * security_path_{mknod,mkdir,unlink,rmdir,symlink}(const struct path *dir,
 * struct dentry *dentry, ...): w on the name made or removed.
 */
static int brig_dir_entry(struct pt_regs *regs, const char *op, bool dir)
{
	return brig_deny_if(regs, brig_file_check(op, BRIG_ARG(regs, 0, const struct path *),
						  BRIG_ARG(regs, 1, struct dentry *), dir,
						  BRIG_PERM_WRITE, BRIG_CHECK_LETTERS));
}

static int brig_path_mknod_pre(struct pt_regs *regs)
{
	return brig_dir_entry(regs, "mknod", false);
}

static int brig_path_mkdir_pre(struct pt_regs *regs)
{
	return brig_dir_entry(regs, "mkdir", true);
}

static int brig_path_unlink_pre(struct pt_regs *regs)
{
	return brig_dir_entry(regs, "unlink", false);
}

static int brig_path_rmdir_pre(struct pt_regs *regs)
{
	return brig_dir_entry(regs, "rmdir", true);
}

static int brig_path_symlink_pre(struct pt_regs *regs)
{
	return brig_dir_entry(regs, "symlink", false);
}

/*
 * security_path_rename(const struct path *old_dir, struct dentry *old_dentry,
 *			const struct path *new_dir, struct dentry *new_dentry,
 *			unsigned int flags): both ends are written. What a rule
 * covers must not move out from under it: the object leaving a name may be
 * covered by no deny rule (a directory: nor anything below it). A plain
 * rename moves one object, RENAME_EXCHANGE two, each with its own kind, and
 * RENAME_WHITEOUT makes a node at the old name.
 */
static int brig_path_rename_pre(struct pt_regs *regs)
{
	const struct path *old_dir = BRIG_ARG(regs, 0, const struct path *);
	struct dentry *old_dentry = BRIG_ARG(regs, 1, struct dentry *);
	const struct path *new_dir = BRIG_ARG(regs, 2, const struct path *);
	struct dentry *new_dentry = BRIG_ARG(regs, 3, struct dentry *);
	unsigned int flags = BRIG_ARG(regs, 4, unsigned int);
	bool old_is_dir = d_is_dir(old_dentry);
	int err;

	err = brig_file_check("rename", old_dir, old_dentry, old_is_dir,
			      BRIG_PERM_WRITE, BRIG_CHECK_COVERED);
	if (!err)
		err = brig_file_check("rename", new_dir, new_dentry, old_is_dir,
				      BRIG_PERM_WRITE, BRIG_CHECK_LETTERS);
	if (!err && (flags & RENAME_EXCHANGE)) {
		bool new_is_dir = d_is_dir(new_dentry);

		err = brig_file_check("rename", new_dir, new_dentry, new_is_dir,
				      BRIG_PERM_WRITE, BRIG_CHECK_COVERED);
		if (!err)
			err = brig_file_check("rename", old_dir, old_dentry,
					      new_is_dir, BRIG_PERM_WRITE,
					      BRIG_CHECK_LETTERS);
	}
	if (!err && (flags & RENAME_WHITEOUT))
		err = brig_file_check("rename", old_dir, old_dentry, false,
				      BRIG_PERM_WRITE, BRIG_CHECK_LETTERS);
	return brig_deny_if(regs, err);
}

/*
 * security_path_link(struct dentry *old_dentry, const struct path *new_dir,
 *		      struct dentry *new_dentry): a new name is a create, so w
 *		      and l at it; and a file any deny rule covers cannot get a
 *		      name elsewhere. An O_TMPFILE file linked in through
 *		      /proc/self/fd is named as it was made (name.c).
 */
static int brig_path_link_pre(struct pt_regs *regs)
{
	const struct path *dir = BRIG_ARG(regs, 1, const struct path *);
	struct path target = brig_child(dir, BRIG_ARG(regs, 0, struct dentry *));
	int err;

	err = brig_file_check("link", dir, BRIG_ARG(regs, 2, struct dentry *), false,
			      BRIG_PERM_WRITE | BRIG_PERM_LINK, BRIG_CHECK_LETTERS);
	if (!err)
		err = brig_file_check("link", &target, NULL, false, BRIG_PERM_LINK,
				      BRIG_CHECK_COVERED);
	return brig_deny_if(regs, err);
}

/*
 * security_path_{truncate,chmod,chown}(const struct path *path, ...) and
 * vfs_utimes(const struct path *path, ...): w on the path.
 */
static int brig_path_write(struct pt_regs *regs, const char *op)
{
	const struct path *path = BRIG_ARG(regs, 0, const struct path *);

	return brig_deny_if(regs, brig_file_check(op, path, NULL,
				d_is_dir(path->dentry), BRIG_PERM_WRITE,
				BRIG_CHECK_LETTERS));
}

static int brig_path_truncate_pre(struct pt_regs *regs)
{
	return brig_path_write(regs, "truncate");
}

static int brig_path_chmod_pre(struct pt_regs *regs)
{
	return brig_path_write(regs, "chmod");
}

static int brig_path_chown_pre(struct pt_regs *regs)
{
	return brig_path_write(regs, "chown");
}

static int brig_utimes_pre(struct pt_regs *regs)
{
	return brig_path_write(regs, "utimes");
}

#if BRIG_HAVE_FILE_TRUNCATE
/* security_file_truncate(struct file *file): ftruncate, O_TRUNC (6.2+) */
static int brig_file_truncate_pre(struct pt_regs *regs)
{
	struct file *file = BRIG_ARG(regs, 0, struct file *);

	return brig_deny_if(regs, brig_file_check("truncate", &file->f_path, NULL,
						  false, BRIG_PERM_WRITE,
						  BRIG_CHECK_LETTERS));
}
#endif

/* security_file_lock(struct file *file, unsigned int cmd) */
static int brig_file_lock_pre(struct pt_regs *regs)
{
	struct file *file = BRIG_ARG(regs, 0, struct file *);

	return brig_deny_if(regs, brig_file_check("lock", &file->f_path, NULL,
				d_is_dir(file->f_path.dentry), BRIG_PERM_LOCK,
				BRIG_CHECK_LETTERS));
}

/*
 * security_mmap_file(struct file *file, unsigned long prot,
 *		      unsigned long flags)
 */
static int brig_mmap_file_pre(struct pt_regs *regs)
{
	struct file *file = BRIG_ARG(regs, 0, struct file *);
	unsigned long prot = BRIG_ARG(regs, 1, unsigned long);

	if (!file)
		return 0;
	/* As security.c's mmap_prot(): READ_IMPLIES_EXEC makes it executable. */
	if ((prot & (PROT_READ | PROT_EXEC)) == PROT_READ &&
	    (current->personality & READ_IMPLIES_EXEC))
		prot |= PROT_EXEC;
	if (!(prot & PROT_EXEC))
		return 0;
	return brig_deny_if(regs, brig_file_check("mmap", &file->f_path, NULL, false,
						  BRIG_PERM_MMAP_EXEC, BRIG_CHECK_LETTERS));
}

/*
 * security_file_mprotect(struct vm_area_struct *vma, unsigned long reqprot,
 *			  unsigned long prot)
 */
static int brig_file_mprotect_pre(struct pt_regs *regs)
{
	struct vm_area_struct *vma = BRIG_ARG(regs, 0, struct vm_area_struct *);
	unsigned long prot = BRIG_ARG(regs, 2, unsigned long);

	if (!vma->vm_file || !(prot & PROT_EXEC))
		return 0;
	return brig_deny_if(regs, brig_file_check("mprotect",
				&vma->vm_file->f_path, NULL, false,
				BRIG_PERM_MMAP_EXEC, BRIG_CHECK_LETTERS));
}

/*
 * Connecting or sending to a UNIX socket bound to a name is w on the socket
 * file, as in AppArmor: `deny /run/docker.sock w` stops a bind-mounted
 * docker.sock. The name is the one the socket was bound with, which the
 * socket keeps (a socket bound outside and bind-mounted in has the name it
 * was bound with there); the peer's state lock is held, so it stays put.
 */
static int brig_unix_peer(struct pt_regs *regs, const char *op,
			  struct sock *peer)
{
	const struct path *path = &unix_sk(peer)->path;

	if (!path->dentry)
		return 0;	/* abstract or unbound: no file */
	return brig_deny_if(regs, brig_file_check(op, path, NULL, false,
						  BRIG_PERM_WRITE,
						  BRIG_CHECK_LETTERS));
}

/*
 * security_unix_stream_connect(struct sock *sock, struct sock *other,
 *				struct sock *newsk)
 */
static int brig_unix_stream_connect_pre(struct pt_regs *regs)
{
	return brig_unix_peer(regs, "connect", BRIG_ARG(regs, 1, struct sock *));
}

/* security_unix_may_send(struct socket *sock, struct socket *other) */
static int brig_unix_may_send_pre(struct pt_regs *regs)
{
	return brig_unix_peer(regs, "sendmsg", BRIG_ARG(regs, 1, struct socket *)->sk);
}

/*
 * security_inode_{setxattr,removexattr,set_acl,remove_acl}(idmap,
 * struct dentry *dentry, ...): w, changing attributes. These hooks see no
 * mount: the dentry is named in a mount the task is known to see it in
 * (name.c). Otherwise no name can be trusted and every w rule applies,
 * except to the kernel's own work under another credential: overlayfs sets
 * its xattrs on the upper layer, which no mount of the container shows, as
 * its mounter.
 */
static int brig_xattr(struct pt_regs *regs, const char *op)
{
	struct dentry *dentry = BRIG_ARG(regs, 1, struct dentry *);
	struct path path;
	int err = 0;

	if (!brig_active())
		return 0;
	rcu_read_lock();
	if (!brig_name_guess_path(dentry, &path)) {
		if (current_cred() != current_real_cred())
			goto out_unlock;
		path = (struct path){ .dentry = dentry };	/* no mount: unknown */
	}
	err = brig_file_check(op, &path, NULL, d_is_dir(dentry), BRIG_PERM_WRITE,
			      BRIG_CHECK_LETTERS);
out_unlock:
	rcu_read_unlock();
	return brig_deny_if(regs, err);
}

static int brig_inode_setxattr_pre(struct pt_regs *regs)
{
	return brig_xattr(regs, "setxattr");
}

static int brig_inode_removexattr_pre(struct pt_regs *regs)
{
	return brig_xattr(regs, "removexattr");
}

#if BRIG_HAVE_INODE_ACL_HOOKS
static int brig_inode_set_acl_pre(struct pt_regs *regs)
{
	return brig_xattr(regs, "setacl");
}

static int brig_inode_remove_acl_pre(struct pt_regs *regs)
{
	return brig_xattr(regs, "removeacl");
}
#endif

/*
 * security_file_ioctl{,_compat}(struct file *file, unsigned int cmd,
 * unsigned long arg): setting inode flags (chattr: immutable, append-only)
 * or fsxattr (project, extent size) is w.
 */
static int brig_file_ioctl_pre(struct pt_regs *regs)
{
	struct file *file = BRIG_ARG(regs, 0, struct file *);
	unsigned int cmd = BRIG_ARG(regs, 1, unsigned int);

	if (cmd != FS_IOC_SETFLAGS && cmd != FS_IOC32_SETFLAGS &&
	    cmd != FS_IOC_FSSETXATTR)
		return 0;
	return brig_deny_if(regs, brig_file_check("ioctl", &file->f_path, NULL,
				d_is_dir(file->f_path.dentry), BRIG_PERM_WRITE,
				BRIG_CHECK_LETTERS));
}

/* security_bprm_check(struct linux_binprm *bprm): also for interpreters. */
static int brig_bprm_check_pre(struct pt_regs *regs)
{
	struct linux_binprm *bprm = BRIG_ARG(regs, 0, struct linux_binprm *);

	return brig_deny_if(regs, brig_file_check("exec", &bprm->file->f_path, NULL,
						  false, BRIG_PERM_EXEC, BRIG_CHECK_LETTERS));
}

/*
 * A new root would change the names rules match: refused to containers with
 * file rules. Without them, its name is recorded, for rules that may come.
 */
int brig_file_new_root(const char *op, const struct path *path)
{
	struct brig_event_detail detail = { .op = op };
	const struct brig_policy *policy;
	struct brig_container *c;
	struct brig_name name;
	int err = 0;

	if (!brig_active())
		return 0;
	rcu_read_lock();
	policy = brig_current_policy(&c);
	if (policy && policy->dfa) {
		brig_name_of(c, path, NULL, true, &name);
		detail.path = name.name;
		err = brig_verdict(c, policy, BRIG_KIND_FILE, &detail, -EPERM);
	} else if (policy) {
		brig_name_record_root(c, path);
	}
	rcu_read_unlock();
	return err;
}

/* security_path_chroot(const struct path *path) */
static int brig_path_chroot_pre(struct pt_regs *regs)
{
	return brig_deny_if(regs, brig_file_new_root("chroot",
						BRIG_ARG(regs, 0, const struct path *)));
}


static struct brig_probe brig_file_probes[] = {
	BRIG_PROBE("security_file_open", brig_file_open_pre),
	BRIG_PROBE("security_path_mknod", brig_path_mknod_pre),
	BRIG_PROBE("security_path_mkdir", brig_path_mkdir_pre),
	BRIG_PROBE("security_path_unlink", brig_path_unlink_pre),
	BRIG_PROBE("security_path_rmdir", brig_path_rmdir_pre),
	BRIG_PROBE("security_path_rename", brig_path_rename_pre),
	BRIG_PROBE("security_path_symlink", brig_path_symlink_pre),
	BRIG_PROBE("security_path_link", brig_path_link_pre),
	BRIG_PROBE("security_path_truncate", brig_path_truncate_pre),
#if BRIG_HAVE_FILE_TRUNCATE
	BRIG_PROBE("security_file_truncate", brig_file_truncate_pre),
#endif
	BRIG_PROBE("security_path_chmod", brig_path_chmod_pre),
	BRIG_PROBE("security_path_chown", brig_path_chown_pre),
	BRIG_PROBE("vfs_utimes", brig_utimes_pre),
	BRIG_PROBE("security_file_lock", brig_file_lock_pre),
	BRIG_PROBE("security_mmap_file", brig_mmap_file_pre),
	BRIG_PROBE("security_file_mprotect", brig_file_mprotect_pre),
	BRIG_PROBE("security_bprm_check", brig_bprm_check_pre),
	BRIG_PROBE("security_unix_stream_connect", brig_unix_stream_connect_pre),
	BRIG_PROBE("security_unix_may_send", brig_unix_may_send_pre),
	BRIG_PROBE("security_inode_setxattr", brig_inode_setxattr_pre),
	BRIG_PROBE("security_inode_removexattr", brig_inode_removexattr_pre),
#if BRIG_HAVE_INODE_ACL_HOOKS
	BRIG_PROBE("security_inode_set_acl", brig_inode_set_acl_pre),
	BRIG_PROBE("security_inode_remove_acl", brig_inode_remove_acl_pre),
#endif
	BRIG_PROBE("security_file_ioctl", brig_file_ioctl_pre),
	BRIG_PROBE("security_file_ioctl_compat", brig_file_ioctl_pre),
	BRIG_PROBE("security_path_chroot", brig_path_chroot_pre),
};

int __init brig_file_init(void)
{
	int err;

	err = brig_name_init();
	if (err)
		return err;
	err = brig_probes_register(brig_file_probes,
				   ARRAY_SIZE(brig_file_probes));
	if (err)
		brig_name_exit();
	return err;
}

void brig_file_exit(void)
{
	brig_probes_unregister(brig_file_probes, ARRAY_SIZE(brig_file_probes));
	brig_name_exit();
}
