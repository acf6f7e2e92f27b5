/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by brig's kselftests. They run as root inside the test VM,
 * where brig.ko sits at /lib/brig/brig.ko (or $BRIG_KO) and is not loaded.
 */
#ifndef BRIG_TESTS_COMMON_H
#define BRIG_TESTS_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include <brig.h>
#include "lib/nl.h"

#ifndef finit_module
static inline int finit_module(int fd, const char *params, int flags)
{
	return syscall(__NR_finit_module, fd, params, flags);
}
#endif

#ifndef delete_module
static inline int delete_module(const char *name, unsigned int flags)
{
	return syscall(__NR_delete_module, name, flags);
}
#endif

static inline const char *brig_ko_path(void)
{
	const char *path = getenv("BRIG_KO");

	return path ? path : "/lib/brig/brig.ko";
}

/* Returns 0 or -errno. */
static inline int brig_load(void)
{
	int fd, ret = 0;

	fd = open(brig_ko_path(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (finit_module(fd, "", 0))
		ret = -errno;
	close(fd);
	return ret;
}

/* Returns 0 or -errno. */
static inline int brig_unload(void)
{
	return delete_module("brig", O_NONBLOCK) ? -errno : 0;
}

static inline int brig_loaded(void)
{
	return access("/sys/module/brig", F_OK) == 0;
}

/* Opens a client; returns NULL and logs the reason on failure. */
static inline struct brig_nl *brig_open(struct __test_metadata *const _metadata)
{
	struct brig_error *err = NULL;
	struct brig_nl *nl = NULL;

	if (brig_nl_open(&nl, &err) < 0) {
		TH_LOG("brig_nl_open: %s", err->msg);
		brig_error_free(&err);
		return NULL;
	}
	return nl;
}

#endif /* BRIG_TESTS_COMMON_H */
