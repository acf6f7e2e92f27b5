/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What launch does inside the container's namespaces, in design.md's order:
 * the root filesystem (rootfs.c), then the process (setup.c: rlimits, fds,
 * user, capabilities), then no_new_privs, seccomp and execve.
 */
#ifndef BRIG_LAUNCH_SETUP_H
#define BRIG_LAUNCH_SETUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>

#include "lib/error.h"
#include "lib/policy.h"
#include "engine.h"
#include "lib/spec.h"

/*
 * In a new mount namespace: private propagation (or the spec's), the root
 * filesystem and its mounts (/proc, /sys, /dev, the policy's mounts, the
 * masked and read-only paths), @before_pivot (hooks) if given, pivot_root
 * with the old root detached. @image_root: an image's root (a detached
 * mount, engine_image_root()) to attach on spec->rootfs, or -1.
 */
int setup_rootfs(const struct brig_container_spec *spec, int image_root,
		 int (*before_pivot)(void *arg, struct brig_error **err), void *arg,
		 struct brig_error **err);

/* In a network namespace of the container's own: lo up, as Docker's. */
int setup_loopback(struct brig_error **err);

int setup_rlimits(const struct brig_rlimit *rlimits, size_t n, struct brig_error **err);

/*
 * What the caller passes on, undone: every signal's disposition back to
 * its default, none blocked, and Docker's umask, 0022.
 */
int setup_inherited(struct brig_error **err);

/* Closes every fd but 0-2 and @keep (-1: none), which becomes fd 3. */
int setup_close_fds(int keep, struct brig_error **err);
/*
 * Keeps 0-2 and 3 to 3 + @preserve - 1 (passed on to the program), and the
 * @n fds @keep, which become 3 + @preserve onwards (close-on-exec); closes
 * every other.
 */
int setup_keep_fds(int preserve, const int *keep, size_t n, struct brig_error **err);

/* chdir to @workdir and check the result lies inside the root. */
int setup_workdir(const char *workdir, struct brig_error **err);

/*
 * @proc's user, group and supplementary groups, then its five capability
 * sets, with libcap.
 */
int setup_user_caps(const struct engine_process *proc, struct brig_error **err);

/*
 * Installs the exported seccomp filter, if @prog has one (after
 * no_new_privs, or with CAP_SYS_ADMIN).
 */
int setup_seccomp(const struct sock_fprog *prog, uint32_t flags,
		  struct brig_error **err);

/*
 * Finds @proc's program in its PATH now (runc's create does), setting
 * proc->exec_path; an error as setup_exec() gives it.
 */
int setup_lookup(struct engine_process *proc, struct brig_error **err);
/*
 * Runs @proc's argv with its env, looked up in the env's PATH (or at
 * exec_path). Returns only on failure, with the exit code docker run uses
 * (126 cannot run, 127 not found).
 */
int setup_exec(const struct engine_process *proc, struct brig_error **err);

#endif /* BRIG_LAUNCH_SETUP_H */
