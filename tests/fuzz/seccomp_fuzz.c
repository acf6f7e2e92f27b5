// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the bytes as a seccomp profile in Docker's JSON format, loaded
 * by the real loader from a file (a memfd), and, if it loads, compiled and
 * exported as launch does (brig_sc_build, brig_sc_export), for Docker's
 * default capabilities and for every capability. Errors are fine; a crash
 * or a leak is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/policy.h"
#include "lib/seccomp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void build(const struct brig_sc_profile *profile, uint64_t caps)
{
	scmp_filter_ctx ctx brig_cleanup_seccomp = NULL;
	struct brig_error *err = NULL;
	struct sock_fprog prog = { 0 };

	if (!brig_sc_build(profile, caps, brig_kernel_version(), NULL, &ctx, &err) &&
	    !brig_sc_export(ctx, profile, &prog, &err))
		free(prog.filter);
	brig_error_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;
	struct brig_sc_profile *profile = NULL;
	struct brig_error *err = NULL;

	/* One memfd, rewritten for each input, read by its /proc path. */
	if (fd < 0) {
		fd = memfd_create("seccomp.json", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if (!brig_sc_profile_load(path, &profile, &err)) {
		build(profile, BRIG_DOCKER_DEFAULT_CAPS);
		build(profile, BRIG_ALL_CAPS);
		brig_sc_profile_free(profile);
	}
	brig_error_free(&err);
	return 0;
}
