// SPDX-License-Identifier: GPL-2.0
/*
 * brig: the name a file rule matches
 *
 * Rules name files as the container sees them from its root, after the
 * kernel has resolved the lookup. d_path() gives the name from the task's
 * root; that is the container's root (recorded at registration) unless the
 * task changed root while its policy had no file rules, and then the name
 * of the task's root below the container's is put in front. A name must
 * never make a rule miss because it changed shape, and must never match
 * what no rule names:
 *
 *   what                            how it is matched
 *   an unlinked file or directory   by the name it had: d_path's " (deleted)"
 *                                   is taken off
 *   a disconnected dentry           its real name is unknown: against every
 *   (open_by_handle_at), a name     rule at once (the union of their letters)
 *   longer than PATH_MAX, a task
 *   root not below the container's
 *   a regular file of an internal   no file system the container sees holds
 *   mount (memfd, SysV shm)         it: x and m against every rule (code no
 *                                   rule could vouch for), nothing else
 *   pipes, sockets, anon inodes,    not files: no rule names them
 *   namespace files
 *   a file outside the task's root  the kernel acting for someone else
 *   under another credential        (overlayfs's copy-up as its mounter on
 *                                   its layers): not checked
 */

#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/mount.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "container.h"
#include "limits.h"
#include "name.h"

/*
 * Per-CPU buffers: hooks run with preemption off and never nest on a CPU (a
 * probe hit inside another's handler is skipped), so they are ours until
 * the handler returns.
 * @name: the name; one byte more than PATH_MAX, for the '/' of a directory.
 * @roots: the container's root and the task's, within their file system.
 * @chain: the quick path's directories, from the file up to the root.
 */
struct brig_name_buf {
	char name[PATH_MAX + 1];
	char roots[2][PATH_MAX];
	const struct dentry *chain[BRIG_QUICK_DEPTH_MAX];
};
static DEFINE_PER_CPU(struct brig_name_buf *, brig_name_bufs);

static const char brig_deleted[] = " (deleted)";
#define BRIG_DELETED_LEN (sizeof(brig_deleted) - 1)

/*
 * The current task's root, as d_path() reads it, and its working directory
 * if @pwd; false if it has none.
 */
static bool brig_task_fs(struct path *root, struct path *pwd)
{
	struct fs_struct *fs = current->fs;
	unsigned int seq;

	if (!fs)
		return false;
	do {
		seq = read_seqcount_begin(&fs->seq);
		*root = fs->root;
		if (pwd)
			*pwd = fs->pwd;
	} while (read_seqcount_retry(&fs->seq, seq));
	return root->mnt && root->dentry;
}

/* Whether @path hangs from its mount's root: not a disconnected alias. */
static bool brig_connected(const struct path *path)
{
	const struct dentry *d = path->dentry;
	unsigned int depth;

	for (depth = 0; depth < BRIG_PATH_DEPTH_MAX; depth++) {
		const struct dentry *parent;

		if (d == path->mnt->mnt_root)
			return true;
		parent = READ_ONCE(d->d_parent);
		if (parent == d)
			return false;
		d = parent;
	}
	return false;
}

/* The recorded name of the root @root, or NULL. */
static const struct brig_root *brig_root_find(const struct brig_container *c,
					      const struct path *root)
{
	const struct brig_root *r;
	int i;

	for (i = 0; i < BRIG_ROOTS_MAX; i++) {
		r = rcu_dereference(c->roots[i]);
		if (!r)
			break;
		if (r->path.dentry == root->dentry)
			return r;
	}
	return NULL;
}

/*
 * The name of the task's root @root from the container's root, with its
 * length in *@len (0: the same directory); NULL if it is not known: neither
 * recorded when the task changed to it nor below the container's root in
 * the same file system.
 */
static const char *brig_root_prefix(const struct brig_container *c,
				    const struct path *root,
				    struct brig_name_buf *buf, size_t *len)
{
	const struct path *top = &c->root;
	const struct brig_root *r = brig_root_find(c, root);
	const char *outer, *inner;
	size_t outer_len;

	if (r) {
		*len = r->len;
		return r->name;
	}
	if (root->dentry->d_sb != top->dentry->d_sb ||
	    !is_subdir(root->dentry, top->dentry))
		return NULL;
	outer = dentry_path_raw(top->dentry, buf->roots[0], PATH_MAX);
	inner = dentry_path_raw(root->dentry, buf->roots[1], PATH_MAX);
	if (IS_ERR(outer) || IS_ERR(inner))
		return NULL;
	outer_len = strcmp(outer, "/") ? strlen(outer) : 0;
	/* A rename between is_subdir() and here: refuse to guess. */
	if (strncmp(inner, outer, outer_len) ||
	    (inner[outer_len] && inner[outer_len] != '/'))
		return NULL;
	inner += outer_len;
	*len = strlen(inner);
	if (*len == 1)	/* "/": the same directory by another mount */
		*len = 0;
	return inner;
}

/* @out for what d_path() can say of @path, to report; never matched. */
static void brig_name_report(const struct path *path, enum brig_name_kind kind,
			     struct brig_name *out)
{
	char *buf = this_cpu_read(brig_name_bufs)->name;
	char *name = d_path(path, buf, PATH_MAX);

	out->kind = kind;
	out->name = IS_ERR(name) ? "?" : name;
	out->len = strlen(out->name);
}

void brig_name_of(const struct brig_container *c, const struct path *path,
		  const struct dentry *child, bool dir, struct brig_name *out)
{
	struct brig_name_buf *buf = this_cpu_read(brig_name_bufs);
	const struct dentry *dentry = path->dentry;
	size_t child_len = child ? child->d_name.len : 0;
	const char *prefix = NULL;
	size_t room, len, prefix_len = 0;
	struct path root;
	char *name;

	if (!path->mnt) {
		/* A dentry without its mount (brig_name_guess_path() failed). */
		name = dentry_path_raw(dentry, buf->name, PATH_MAX);
		out->kind = BRIG_NAME_UNKNOWN;
		out->name = IS_ERR(name) ? "?" : name;
		out->len = strlen(out->name);
		return;
	}
	if (!child) {
		struct inode *inode = d_inode(dentry);

		if ((dentry->d_op && dentry->d_op->d_dname &&
		     (!IS_ROOT(dentry) || dentry != path->mnt->mnt_root)) ||
		    (path->mnt->mnt_flags & MNT_INTERNAL)) {
			brig_name_report(path, inode && S_ISREG(inode->i_mode) ?
					 BRIG_NAME_ANON : BRIG_NAME_NONE, out);
			return;
		}
	}
	if (!brig_task_fs(&root, NULL)) {
		brig_name_report(path, BRIG_NAME_UNKNOWN, out);
		return;
	}
	/*
	 * The kernel's own work under another credential on a mount the task
	 * cannot reach (overlayfs copying up as its mounter, on its private
	 * layer mounts): the task's own access was checked on the overlay.
	 */
	if (current_cred() != current_real_cred() &&
	    !path_is_under(path, &root)) {
		brig_name_report(path, BRIG_NAME_NONE, out);
		return;
	}
	if (!brig_connected(path)) {
		brig_name_report(path, BRIG_NAME_UNKNOWN, out);
		return;
	}
	if (root.dentry != c->root.dentry && path_is_under(path, &root)) {
		prefix = brig_root_prefix(c, &root, buf, &prefix_len);
		if (!prefix) {
			brig_name_report(path, BRIG_NAME_UNKNOWN, out);
			return;
		}
	}

	/* Room after the name for '/', the child's name and a '/'. */
	if (child_len + 3 > PATH_MAX)
		goto unknown;
	room = child ? PATH_MAX + 1 - (child_len + 2) : PATH_MAX;
	name = d_path(path, buf->name, room);
	if (IS_ERR(name))
		goto unknown;
	/* d_path() ends the name at name[room - 1]. */
	len = buf->name + room - 1 - name;
	if (d_unlinked(dentry) && len > BRIG_DELETED_LEN &&
	    !memcmp(name + len - BRIG_DELETED_LEN, brig_deleted, BRIG_DELETED_LEN))
		len -= BRIG_DELETED_LEN;
	if (prefix_len) {
		if (prefix_len > (size_t)(name - buf->name))
			goto unknown;
		name -= prefix_len;
		memcpy(name, prefix, prefix_len);
		len += prefix_len;
		/* The task's root itself is the prefix, without a '/'. */
		if (len == prefix_len + 1)
			len--;
	}
	if (child) {
		if (len > 1)
			name[len++] = '/';
		memcpy(name + len, child->d_name.name, child_len);
		len += child_len;
	}
	if (dir && len > 1)
		name[len++] = '/';
	name[len] = '\0';
	out->kind = BRIG_NAME_PATH;
	out->name = name;
	out->len = len;
	return;

unknown:
	out->kind = BRIG_NAME_UNKNOWN;
	out->name = "?";
	out->len = 1;
}

void brig_name_record_root(struct brig_container *c, const struct path *root)
{
	struct brig_name name;
	struct brig_root *r;
	int i;

	if (root->dentry == c->root.dentry)
		return;
	brig_name_of(c, root, NULL, false, &name);
	if (name.kind != BRIG_NAME_PATH)
		return;	/* names below it stay unknown: every rule applies */
	r = kmalloc(sizeof(*r) + name.len + 1, GFP_ATOMIC | __GFP_NOWARN);
	if (!r)
		return;
	memcpy(r->name, name.name, name.len + 1);
	r->len = name.len;
	r->path = *root;

	spin_lock(&c->roots_lock);
	for (i = 0; i < BRIG_ROOTS_MAX; i++) {
		const struct brig_root *old = rcu_dereference_protected(c->roots[i],
						lockdep_is_held(&c->roots_lock));

		if (!old) {
			/* Only gets: a put may sleep, and this is a hook. */
			path_get(&r->path);
			rcu_assign_pointer(c->roots[i], r);
			r = NULL;
			break;
		}
		if (old->path.dentry == root->dentry)
			break;
	}
	spin_unlock(&c->roots_lock);
	/* Known already, or no room: then names below it stay unknown. */
	kfree(r);
}

/* iterate_fd() callback: an open file of @p's dentry gives its mount. */
static int brig_fd_of_dentry(const void *p, struct file *file, unsigned int fd)
{
	struct path *out = (struct path *)p;

	if (file->f_path.dentry != out->dentry)
		return 0;
	out->mnt = file->f_path.mnt;
	return 1;
}

static bool brig_mount_holds(const struct vfsmount *mnt, struct dentry *dentry)
{
	return mnt && dentry->d_sb == mnt->mnt_sb &&
	       is_subdir(dentry, mnt->mnt_root);
}

bool brig_name_guess_path(struct dentry *dentry, struct path *out)
{
	struct path root, pwd;

	if (!brig_task_fs(&root, &pwd))
		return false;
	out->dentry = dentry;
	if (brig_mount_holds(root.mnt, dentry)) {
		out->mnt = root.mnt;
		return true;
	}
	if (brig_mount_holds(pwd.mnt, dentry)) {
		out->mnt = pwd.mnt;
		return true;
	}
	/* fsetxattr(), and any file the task holds open. */
	out->mnt = NULL;
	return iterate_fd(current->files, 0, brig_fd_of_dentry, out) > 0;
}

/*
 * *@state after reading '/' and @name; false at a NUL in it, which d_path()
 * copies as any byte (a FUSE server may make such names): brig_name_of()
 * decides. Stopping there also keeps a read racing a rename, whose pointer
 * and length may be two names', inside the one pointed to.
 */
static bool brig_dfa_component(const struct brig_dfa *dfa, u32 *state, const struct qstr *name)
{
	/* Pairs with the release of a rename's new name, as prepend_name()'s. */
	const unsigned char *s = smp_load_acquire(&name->name);
	u32 len = READ_ONCE(name->len);

	*state = brig_dfa_step(dfa, *state, '/');
	for (; len && *state; len--, s++) {
		if (!*s)
			return false;
		*state = brig_dfa_step(dfa, *state, *s);
	}
	return true;
}

/*
 * The name brig_name_of() builds, from the root down through the DFA: in
 * the common case (the task's root the container's, the file in its mount)
 * that name is the directories from the root to the file, and d_path()'s
 * walk, its copy and the separate check that the file is connected are one
 * walk up here. Anything else is left to brig_name_of(), which decides it.
 */
bool brig_name_quick_perms(const struct brig_container *c, const struct brig_dfa *dfa,
			   const struct path *path, const struct dentry *child, bool dir,
			   u32 *perms)
{
	const struct dentry **chain = this_cpu_read(brig_name_bufs)->chain;
	const struct dentry *d = path->dentry;
	size_t len = child ? child->d_name.len + 2 : 0;
	unsigned int n = 0, depth, seq;
	struct path root;
	bool at_root;
	u32 state = 1;

	if (!path->mnt || !brig_task_fs(&root, NULL) || root.mnt != path->mnt ||
	    root.dentry != c->root.dentry || (d->d_op && d->d_op->d_dname))
		return false;
	at_root = d == root.dentry;
	seq = read_seqbegin(&rename_lock);
	while (d != root.dentry) {
		const struct dentry *parent = READ_ONCE(d->d_parent);

		/* Another mount's, disconnected, too deep. */
		if (d == path->mnt->mnt_root || parent == d || n == BRIG_QUICK_DEPTH_MAX)
			return false;
		len += READ_ONCE(d->d_name.len) + 1;
		chain[n++] = d;
		d = parent;
	}
	/* Connected as brig_connected() means it: up to the mount's root. */
	for (depth = n; d != path->mnt->mnt_root; depth++) {
		const struct dentry *parent = READ_ONCE(d->d_parent);

		if (parent == d || depth == BRIG_PATH_DEPTH_MAX)
			return false;
		d = parent;
	}
	/* Where d_path() may say too long (" (deleted)" too): it decides. */
	if (len + 2 + BRIG_DELETED_LEN > PATH_MAX)
		return false;
	/* "/", "/c1/.../cn", "/child" or "/c1/.../cn/child"; "/" after a directory's. */
	if (at_root && !child)
		state = brig_dfa_step(dfa, state, '/');
	while (n && state)
		if (!brig_dfa_component(dfa, &state, &chain[--n]->d_name))
			return false;
	if (child && state && !brig_dfa_component(dfa, &state, &child->d_name))
		return false;
	if (dir && state && (child || !at_root))
		state = brig_dfa_step(dfa, state, '/');
	if (read_seqretry(&rename_lock, seq))
		return false;
	*perms = dfa->accept[state];
	return true;
}

u32 brig_name_perms(const struct brig_dfa *dfa, const struct brig_name *name)
{
	const u32 code = BRIG_PERM_MMAP_EXEC | BRIG_PERM_EXEC;

	switch (name->kind) {
	case BRIG_NAME_PATH:
		return brig_dfa_match(dfa, name->name, name->len);
	case BRIG_NAME_UNKNOWN:
		return dfa->any;
	case BRIG_NAME_ANON:
		return dfa->any & (code | code << BRIG_DFA_AUDIT_SHIFT);
	default:
		return 0;
	}
}

int __init brig_name_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct brig_name_buf *buf = kvmalloc_node(sizeof(*buf), GFP_KERNEL,
							  cpu_to_node(cpu));

		if (!buf) {
			brig_name_exit();
			return -ENOMEM;
		}
		per_cpu(brig_name_bufs, cpu) = buf;
	}
	return 0;
}

void brig_name_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		kvfree(per_cpu(brig_name_bufs, cpu));
		per_cpu(brig_name_bufs, cpu) = NULL;
	}
}
