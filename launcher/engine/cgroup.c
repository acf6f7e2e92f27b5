// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's cgroup: a container's cgroup v2, made at its path below the
 * mount of cgroup2 with its limits written, and the init cloned straight
 * into it (CLONE_INTO_CGROUP): there is no moment it runs outside. brig.ko's
 * task ceiling is exact and needs no cgroup; these are the kernel's
 * accounting limits beside it (pids, memory, cpu).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "engine.h"
#include "lib/cleanup.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* Writes @value to the file @name of the cgroup folder @dir. */
static int cg_write(int dir, const char *name, const char *value, struct brig_error **err)
{
	int fd brig_cleanup_close = openat(dir, name, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(value);

	if (fd < 0 || write(fd, value, len) != (ssize_t)len)
		return brig_error_make(err, errno, "cgroup %s: writing `%s`", name, value);
	return 0;
}

/* Whether @controller is one @dir's cgroup.controllers lists. */
static bool cg_has(int dir, const char *controller)
{
	char buf[512], *tok, *save;
	int fd = openat(dir, "cgroup.controllers", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, controller))
			return true;
	return false;
}

/* Whether what strtok_r() has left of a path holds no more parts. */
static bool rest_empty(const char *rest)
{
	return !rest || !rest[strspn(rest, "/")];
}

/*
 * Makes @path's folders below the cgroup2 root, each enabling the
 * controllers @want (those the parent has) for its children. The leaf's
 * fd, or -1.
 */
static int cg_make(const char *path, const char *const *want, struct brig_error **err)
{
	char rel[PATH_MAX], *part, *save;
	int dir, next;
	struct statfs fs;

	if (statfs(CGROUP_ROOT, &fs) || fs.f_type != CGROUP2_SUPER_MAGIC)
		return brig_error_make(err, 0, "cgroupsPath `%s` needs cgroup v2 mounted at " CGROUP_ROOT,
				       path);
	if (strlen(path) >= sizeof(rel))
		return brig_error_make(err, ENAMETOOLONG, "cgroupsPath `%s`", path);
	strcpy(rel, path);
	dir = open(CGROUP_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return brig_error_make(err, errno, CGROUP_ROOT);
	for (part = strtok_r(rel, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
		char control[64] = "";

		if (!strcmp(part, ".") || !strcmp(part, "..")) {
			close(dir);
			return brig_error_make(err, EINVAL, "cgroupsPath `%s`", path);
		}
		for (const char *const *c = want; *c; c++) {
			if (cg_has(dir, *c))
				snprintf(control + strlen(control), sizeof(control) - strlen(control),
					 "%s+%s", *control ? " " : "", *c);
		}
		/* EBUSY: processes in the parent (the kernel's no-internal-process rule). */
		if (*control) {
			int fd = openat(dir, "cgroup.subtree_control", O_WRONLY | O_CLOEXEC);

			if (fd >= 0) {
				if (write(fd, control, strlen(control)) < 0 && errno != EBUSY) {
					close(fd);
					close(dir);
					return brig_error_make(err, errno, "cgroup `%s`: enabling %s",
							       path, control);
				}
				close(fd);
			}
		}
		/* Its own cgroup, not another container's: the leaf must be new. */
		if (mkdirat(dir, part, 0755) && (errno != EEXIST || rest_empty(save))) {
			int e = errno;

			close(dir);
			return e == EEXIST ? brig_error_make(err, 0, "cgroup `%s` exists already", path) :
			       brig_error_make(err, e, "making cgroup `%s`", path);
		}
		next = openat(dir, part, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		close(dir);
		if (next < 0)
			return brig_error_make(err, errno, "cgroup `%s`", path);
		dir = next;
	}
	return dir;
}

int engine_cgroup_make(const struct brig_cgroup *cg, struct brig_error **err)
{
	static const char *const want[] = { "pids", "memory", "cpu", NULL };
	int dir;
	char value[64];

	dir = cg_make(cg->path, want, err);
	if (dir < 0)
		return -1;
	snprintf(value, sizeof(value), "%lld", (long long)cg->pids_max);
	if (cg->pids_max > 0 && cg_write(dir, "pids.max", value, err))
		goto fail;
	snprintf(value, sizeof(value), "%lld", (long long)cg->memory_max);
	if (cg->memory_max > 0 && cg_write(dir, "memory.max", value, err))
		goto fail;
	snprintf(value, sizeof(value), "%lld", (long long)cg->memory_swap_max);
	if (cg->memory_swap_max > 0 && cg_write(dir, "memory.swap.max", value, err))
		goto fail;
	snprintf(value, sizeof(value), "%llu", (unsigned long long)cg->cpu_weight);
	if (cg->cpu_weight && cg_write(dir, "cpu.weight", value, err))
		goto fail;
	if (cg->cpu_quota > 0 || cg->cpu_period) {
		if (cg->cpu_quota > 0)
			snprintf(value, sizeof(value), "%lld %llu", (long long)cg->cpu_quota,
				 (unsigned long long)(cg->cpu_period ? cg->cpu_period : 100000));
		else
			snprintf(value, sizeof(value), "max %llu", (unsigned long long)cg->cpu_period);
		if (cg_write(dir, "cpu.max", value, err))
			goto fail;
	}
	return dir;
fail:
	close(dir);
	return -1;
}

int engine_cgroup_join(const char *path, struct brig_error **err)
{
	char full[PATH_MAX];
	int fd brig_cleanup_close = -1;

	if ((size_t)snprintf(full, sizeof(full), CGROUP_ROOT "/%s/cgroup.procs", path) >=
	    sizeof(full))
		return brig_error_make(err, ENAMETOOLONG, "cgroup `%s`", path);
	fd = open(full, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1)
		return brig_error_make(err, errno, "joining cgroup `%s`", path);
	return 0;
}

int engine_cgroup_remove(const char *path, struct brig_error **err)
{
	char full[PATH_MAX];

	if ((size_t)snprintf(full, sizeof(full), CGROUP_ROOT "/%s", path) >= sizeof(full))
		return brig_error_make(err, ENAMETOOLONG, "cgroup `%s`", path);
	/* The last tasks leave a moment after the init is reaped: a few tries. */
	for (int i = 0; i < 50; i++) {
		if (!rmdir(full) || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
	}
	return brig_error_make(err, errno, "removing cgroup `%s`", path);
}
