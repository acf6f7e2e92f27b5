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
#include "lib/spec.h"

/*
 * In a new mount namespace: private propagation, the root filesystem and its
 * mounts (/proc, /sys, /dev, the policy's mounts, Docker's masked and
 * read-only paths), pivot_root with the old root detached.
 */
int setup_rootfs(const struct brig_container_spec *spec, struct brig_error **err);

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

/* chdir to @workdir and check the result lies inside the root. */
int setup_workdir(const char *workdir, struct brig_error **err);

/*
 * The user and group, then the capability sets, with libcap: bounding
 * @caps; permitted and effective @caps for root, empty for another user;
 * inheritable and ambient empty (Docker's).
 */
int setup_user_caps(uid_t uid, gid_t gid, uint64_t caps, struct brig_error **err);

/*
 * Installs the exported seccomp filter, if @prog has one (after
 * no_new_privs, or with CAP_SYS_ADMIN).
 */
int setup_seccomp(const struct sock_fprog *prog, uint32_t flags,
		  struct brig_error **err);

/*
 * Runs @argv with @env, looked up in @env's PATH. Returns only on failure,
 * with the exit code docker run uses (126 cannot run, 127 not found).
 */
int setup_exec(char *const argv[], char *const env[], struct brig_error **err);

#endif /* BRIG_LAUNCH_SETUP_H */
