/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig seccomp: profiles in Docker's JSON format (json-c) and the built-in
 * equivalent of Docker's default profile, compiled with libseccomp for a
 * container's capability set, as Docker compiles them.
 */
#ifndef BRIG_SECCOMP_H
#define BRIG_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/filter.h>
#include <seccomp.h>

#include "error.h"

/* The actions of Docker's format; ERRNO and TRACE carry a number. */
enum brig_sc_action {
	BRIG_SC_KILL_THREAD,
	BRIG_SC_KILL_PROCESS,
	BRIG_SC_TRAP,
	BRIG_SC_ERRNO,
	BRIG_SC_TRACE,
	BRIG_SC_LOG,
	BRIG_SC_ALLOW,
};

struct brig_sc_arg {
	unsigned int index;
	uint64_t value, value_two;
	enum scmp_compare op;
};

/* One entry of "syscalls". */
struct brig_sc_rule {
	const char *names;		/* blank-separated */
	enum brig_sc_action action;
	int errno_ret;			/* -1: none given */
	size_t n_args;
	struct brig_sc_arg args[6];
	uint64_t caps_in, caps_out;	/* includes/excludes "caps" */
	const char *arches_in;		/* blank-separated, Go names ("amd64"); NULL: any */
	const char *arches_out;
	unsigned int min_kernel;	/* BRIG_KERNEL(major, minor); 0: any */
};

#define BRIG_KERNEL(major, minor) ((major) << 16 | (minor))

/* One entry of "archMap", in libseccomp's names ("x86_64", "x86 x32"). */
struct brig_sc_arch {
	const char *arch;
	const char *sub;		/* blank-separated */
};

struct brig_sc_profile {
	enum brig_sc_action default_action;
	int default_errno;		/* -1: none given */
	size_t n_arch_map;
	const struct brig_sc_arch *arch_map;
	uint32_t flags;			/* BRIG_SC_FLAG_* */
	size_t n_rules;
	const struct brig_sc_rule *rules;
	void *storage;			/* what a loaded profile owns */
};

enum {
	BRIG_SC_FLAG_LOG = 1 << 0,		/* SECCOMP_FILTER_FLAG_LOG */
	BRIG_SC_FLAG_SPEC_ALLOW = 1 << 1,	/* SECCOMP_FILTER_FLAG_SPEC_ALLOW */
	BRIG_SC_FLAG_NO_TIOCSTI = 1 << 2,	/* ioctl TIOCSTI, TIOCLINUX: EPERM */
};

/* The built-in `seccomp default`: Docker's default profile, for this architecture. */
const struct brig_sc_profile *brig_sc_docker_default(void);

/* Loads a profile in Docker's format; errors name the file and the field. */
int brig_sc_profile_load(const char *path, struct brig_sc_profile **out,
			 struct brig_error **err);
struct json_object;
/*
 * The same from @obj, found at @at ("linux.seccomp", an OCI config's) in
 * the file @path whose text is @text (for errors' line and column).
 */
int brig_sc_profile_from_json(struct json_object *obj, const char *path, const char *text,
			      const char *at, struct brig_sc_profile **out,
			      struct brig_error **err);
void brig_sc_profile_free(struct brig_sc_profile *profile);

static inline void brig_seccomp_releasep(scmp_filter_ctx *ctx)
{
	seccomp_release(*ctx);	/* takes NULL */
	*ctx = NULL;
}

#define brig_cleanup_seccomp __attribute__((cleanup(brig_seccomp_releasep)))

/* The running kernel's version, as BRIG_KERNEL(). */
unsigned int brig_kernel_version(void);

/*
 * The filter @profile makes for a container holding @caps on kernel @kernel.
 * Names libseccomp does not know are skipped, with a warning on @warn when
 * it is not NULL (as Docker does).
 */
int brig_sc_build(const struct brig_sc_profile *profile, uint64_t caps,
		  unsigned int kernel, FILE *warn, scmp_filter_ctx *out,
		  struct brig_error **err);

/*
 * The filter as classic BPF, to load later with seccomp(2), behind the stub
 * seccomp_stub.c makes for @profile; free(prog->filter).
 */
int brig_sc_export(scmp_filter_ctx ctx, const struct brig_sc_profile *profile,
		   struct sock_fprog *prog, struct brig_error **err);

/*
 * seccomp_cache.c: brig_sc_build() and brig_sc_export() in one, through the
 * cache of compiled filters root keeps in BRIG_RUN_DIR/.seccomp (when this
 * process is root). @warn gets the compile's warnings, from the cache too.
 */
int brig_sc_compile(const struct brig_sc_profile *profile, uint64_t caps, unsigned int kernel,
		    FILE *warn, struct sock_fprog *prog, struct brig_error **err);
/* The same with the cache in the directory @cache (the tests'). */
int brig_sc_compile_cached(const char *cache, const struct brig_sc_profile *profile,
			   uint64_t caps, unsigned int kernel, FILE *warn,
			   struct sock_fprog *prog, struct brig_error **err);

/* seccomp_stub.c: puts the stub for @profile in front of @prog. */
int brig_sc_prepend_stub(const struct brig_sc_profile *profile, struct sock_fprog *prog,
			 struct brig_error **err);

#endif /* BRIG_SECCOMP_H */
