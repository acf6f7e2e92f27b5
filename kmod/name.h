/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: the name a file rule matches
 */
#ifndef _BRIG_NAME_H
#define _BRIG_NAME_H

#include <linux/dcache.h>
#include <linux/path.h>
#include <linux/types.h>

#include "dfa.h"

struct brig_container;

/**
 * enum brig_name_kind - how far a file's name can be trusted
 * @BRIG_NAME_PATH: the container's name for the file.
 * @BRIG_NAME_UNKNOWN: no name can be trusted (disconnected, too long, the
 *	task's root not below the container's): every rule applies.
 * @BRIG_NAME_ANON: a regular file no file system the container sees holds
 *	(memfd, SysV shm): the x and m of every rule apply, nothing else.
 * @BRIG_NAME_NONE: not a file any rule can name (pipes, sockets, anon inodes).
 */
enum brig_name_kind {
	BRIG_NAME_PATH,
	BRIG_NAME_UNKNOWN,
	BRIG_NAME_ANON,
	BRIG_NAME_NONE,
};

/**
 * struct brig_name - a file as a check names it
 * @kind: &enum brig_name_kind.
 * @name: the name to match (%BRIG_NAME_PATH) and to report (every kind);
 *	in a per-CPU buffer, valid until the hook returns.
 * @len: its length.
 */
struct brig_name {
	enum brig_name_kind kind;
	const char *name;
	size_t len;
};

/*
 * Names @path for the current task of @c, or with @child, @child's entry in
 * the directory @path (a dentry being made or removed, whose parent the
 * caller holds locked); @dir appends the '/' of a directory. A @path
 * without a mount is a dentry no mount could be found for: unknown. Any context
 * hooks run in, under rcu_read_lock(); never sleeps.
 */
void brig_name_of(const struct brig_container *c, const struct path *path,
		  const struct dentry *child, bool dir, struct brig_name *out);

/*
 * @dentry, which a hook sees without its mount, as a path the task can
 * name: in the task's root or working directory's mount, or that of a file
 * it holds open on it. False if none holds it. Under rcu_read_lock(), which
 * keeps the mount found until it is dropped.
 */
bool brig_name_guess_path(struct dentry *dentry, struct path *out);

/*
 * Records the name of @root, which a task of @c is about to change its root
 * to, so that names from it can still be named from the container's root
 * once the policy has file rules. Never sleeps; if it cannot record it
 * (no room, no memory, no name), names below @root stay unknown.
 */
void brig_name_record_root(struct brig_container *c, const struct path *root);

/*
 * The rules' verdict on the name brig_name_of() would give, read without
 * building it, in *@perms; false where that is not simple (the caller then
 * names the file): the task's root not the container's, a file in another
 * mount, not connected to the root, deeper than BRIG_QUICK_DEPTH_MAX, near
 * PATH_MAX, or renamed meanwhile. Same context as brig_name_of().
 */
bool brig_name_quick_perms(const struct brig_container *c, const struct brig_dfa *dfa,
			   const struct path *path, const struct dentry *child, bool dir,
			   u32 *perms);

/* The rules' verdict on @name: deny | audit << 16 | BRIG_DFA_DENY_BELOW. */
u32 brig_name_perms(const struct brig_dfa *dfa, const struct brig_name *name);

int brig_name_init(void);
void brig_name_exit(void);

#endif /* _BRIG_NAME_H */
