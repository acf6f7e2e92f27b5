// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's binary, sealed (CVE-2019-5736). Processes that join a
 * container run this binary inside it until their execve, and the
 * container may reach it through /proc/PID/exe. So the engine runs from a
 * memfd copy of itself, sealed against writes, as runc did: what a
 * container can reach is that copy, which cannot be changed, never the
 * host's file.
 *
 * The copy costs a copy and a second start of the program, so it is left
 * out where it guards nothing: a container in a user namespace of its own
 * whose maps give it no host uid or gid that may write the binary. Its
 * root's capabilities do not reach a file whose owner it does not map, so
 * the host's binary, through /proc/PID/exe or not, is read-only to it,
 * unless its mode or an ACL lets others, or a group it maps, write it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "engine.h"
#include "lib/cleanup.h"

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static bool mapped(const struct brig_idmap *map, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= map[i].outside && id - map[i].outside < map[i].count)
			return true;
	return false;
}

bool engine_binary_out_of_reach(const struct brig_container_spec *spec)
{
	struct stat st;

	if (!(spec->namespaces & BRIG_NS_USER) ||
	    spec->ns_paths[brig_ns_index(BRIG_NS_USER)] || stat("/proc/self/exe", &st))
		return false;
	/* Others may write it: the copy would be the only sound thing here. */
	if (st.st_mode & S_IWOTH)
		return false;
	/*
	 * An access ACL may give a mapped id write: sealed, as with any doubt
	 * (an error other than "no ACL here").
	 */
	if (getxattr("/proc/self/exe", "system.posix_acl_access", NULL, 0) >= 0 ||
	    (errno != ENODATA && errno != EOPNOTSUPP))
		return false;
	return !mapped(spec->uidmap, spec->n_uidmap, st.st_uid) &&
	       !((st.st_mode & S_IWGRP) && mapped(spec->gidmap, spec->n_gidmap, st.st_gid));
}

int engine_reexec_sealed(char **argv, struct brig_error **err)
{
	int exe brig_cleanup_close = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int copy brig_cleanup_close = -1;
	extern char **environ;
	struct stat st;
	off_t off = 0;
	int seals;

	if (exe < 0)
		return brig_error_make(err, errno, "opening /proc/self/exe");
	/* A file that is not a memfd has no seals: EINVAL. */
	seals = fcntl(exe, F_GET_SEALS);
	if (seals >= 0 && (seals & SEALS) == SEALS)
		return 0;	/* this is the copy */
	if (fstat(exe, &st))
		return brig_error_make(err, errno, "/proc/self/exe");
	copy = memfd_create("brig-launch", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (copy < 0)
		return brig_error_make(err, errno, "memfd_create");
	while (off < st.st_size) {
		ssize_t n = sendfile(copy, exe, &off, st.st_size - off);

		if (n <= 0)
			return brig_error_make(err, n ? errno : EIO, "copying /proc/self/exe");
	}
	if (fcntl(copy, F_ADD_SEALS, SEALS))
		return brig_error_make(err, errno, "sealing the copy of /proc/self/exe");
	fexecve(copy, argv, environ);
	return brig_error_make(err, errno, "running the sealed copy of /proc/self/exe");
}
