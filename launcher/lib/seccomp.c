// SPDX-License-Identifier: GPL-2.0
/*
 * Seccomp profiles in Docker's format, compiled with libseccomp the way
 * Docker does (moby's profiles/seccomp): archMap picks the native
 * architecture and its companions; a rule is kept when the container's
 * capabilities, the architecture and the kernel meet its includes and none of
 * its excludes; conditions on one argument are alternatives, on different
 * arguments all must hold; a rule whose action is the default one is
 * dropped; names libseccomp does not know are skipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#include "cleanup.h"
#include "policy.h"
#include "seccomp.h"

unsigned int brig_kernel_version(void)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;

	if (uname(&u) == 0)
		sscanf(u.release, "%u.%u", &major, &minor);
	return BRIG_KERNEL(major, minor);
}

/* The native architecture as Docker's "arches" name it (Go's GOARCH). */
static const char *native_go_arch(void)
{
	static const struct {
		uint32_t token;
		const char *name;
	} names[] = {
		{ SCMP_ARCH_X86_64, "amd64" }, { SCMP_ARCH_X86, "386" },
		{ SCMP_ARCH_X32, "x32" }, { SCMP_ARCH_AARCH64, "arm64" },
		{ SCMP_ARCH_ARM, "arm" }, { SCMP_ARCH_PPC64LE, "ppc64le" },
		{ SCMP_ARCH_PPC64, "ppc64" }, { SCMP_ARCH_S390X, "s390x" },
		{ SCMP_ARCH_S390, "s390" }, { SCMP_ARCH_RISCV64, "riscv64" },
		{ SCMP_ARCH_MIPS64, "mips64" }, { SCMP_ARCH_MIPSEL64, "mips64le" },
	};
	uint32_t native = seccomp_arch_native();
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].token == native)
			return names[i].name;
	return "";
}

/* Is @word one of the blank-separated words of @list? */
static bool in_list(const char *list, const char *word)
{
	size_t len = strlen(word);

	while (list && *list) {
		size_t n = strcspn(list, " ");

		if (n == len && !strncmp(list, word, len))
			return true;
		list += n;
		list += strspn(list, " ");
	}
	return false;
}

static bool rule_applies(const struct brig_sc_rule *rule, uint64_t caps,
			 unsigned int kernel)
{
	const char *arch = native_go_arch();

	if ((rule->caps_in & caps) != rule->caps_in || (rule->caps_out & caps))
		return false;
	if (rule->arches_in && !in_list(rule->arches_in, arch))
		return false;
	if (rule->arches_out && in_list(rule->arches_out, arch))
		return false;
	return kernel >= rule->min_kernel;
}

static uint32_t scmp_action(enum brig_sc_action action, int errno_ret)
{
	int e = errno_ret >= 0 ? errno_ret : EPERM;

	switch (action) {
	case BRIG_SC_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case BRIG_SC_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case BRIG_SC_TRAP:
		return SCMP_ACT_TRAP;
	case BRIG_SC_ERRNO:
		return SCMP_ACT_ERRNO(e);
	case BRIG_SC_TRACE:
		return SCMP_ACT_TRACE(e);
	case BRIG_SC_LOG:
		return SCMP_ACT_LOG;
	case BRIG_SC_ALLOW:
		break;
	}
	return SCMP_ACT_ALLOW;
}

static int add_arches(scmp_filter_ctx ctx, const struct brig_sc_profile *profile,
		      FILE *warn, struct brig_error **err)
{
	uint32_t native = seccomp_arch_native();
	size_t i;

	for (i = 0; i < profile->n_arch_map; i++) {
		const struct brig_sc_arch *m = &profile->arch_map[i];
		char name[32];
		const char *p;
		bool all = !strcmp(m->sub, "*");	/* "architectures": each is added */

		if (!all && seccomp_arch_resolve_name(m->arch) != native)
			continue;
		for (p = all ? m->arch : m->sub; *p; p += strspn(p, " ")) {
			size_t n = strcspn(p, " ");
			uint32_t token;
			int ret;

			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			p += n;
			token = seccomp_arch_resolve_name(name);
			if (!token) {
				if (warn)
					fprintf(warn, "warning: seccomp: architecture %s is unknown to libseccomp, skipped\n",
						name);
				continue;
			}
			ret = seccomp_arch_add(ctx, token);
			if (ret && ret != -EEXIST)
				return brig_error_make(err, -ret, "seccomp: adding architecture %s", name);
		}
	}
	return 0;
}

/* Conditions on one argument are alternatives (one rule each), as in runc. */
static bool repeats_an_index(const struct brig_sc_rule *rule)
{
	size_t i, j;

	for (i = 0; i < rule->n_args; i++)
		for (j = i + 1; j < rule->n_args; j++)
			if (rule->args[i].index == rule->args[j].index)
				return true;
	return false;
}

static int add_rule(scmp_filter_ctx ctx, const struct brig_sc_rule *rule,
		    uint32_t action, int nr, const char *name,
		    struct brig_error **err)
{
	struct scmp_arg_cmp cmp[6];
	size_t i;
	int ret = 0;

	for (i = 0; i < rule->n_args; i++)
		cmp[i] = (struct scmp_arg_cmp){
			.arg = rule->args[i].index, .op = rule->args[i].op,
			.datum_a = rule->args[i].value, .datum_b = rule->args[i].value_two,
		};
	if (!repeats_an_index(rule)) {
		ret = seccomp_rule_add_array(ctx, action, nr, rule->n_args, cmp);
	} else {
		for (i = 0; i < rule->n_args && !ret; i++)
			ret = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[i]);
	}
	if (ret)
		return brig_error_make(err, -ret, "seccomp: adding the rule for %s", name);
	return 0;
}

int brig_sc_build(const struct brig_sc_profile *profile, uint64_t caps,
		  unsigned int kernel, FILE *warn, scmp_filter_ctx *out,
		  struct brig_error **err)
{
	uint32_t def = scmp_action(profile->default_action, profile->default_errno);
	scmp_filter_ctx ctx brig_cleanup_seccomp = seccomp_init(def);
	char unknown[512] = " ";
	size_t i;

	if (!ctx)
		return brig_error_make(err, EINVAL, "seccomp: creating the filter");
	/* launch sets no_new_privs itself, when the policy asks for it. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) ||
	    ((profile->flags & BRIG_SC_FLAG_LOG) &&
	     seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1)) ||
	    ((profile->flags & BRIG_SC_FLAG_SPEC_ALLOW) &&
	     seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1)))
		return brig_error_make(err, EINVAL, "seccomp: setting the filter's attributes");
	if (add_arches(ctx, profile, warn, err))
		return -1;
	for (i = 0; i < profile->n_rules; i++) {
		const struct brig_sc_rule *rule = &profile->rules[i];
		uint32_t action = scmp_action(rule->action, rule->errno_ret);
		const char *p;

		if (!rule_applies(rule, caps, kernel) || action == def)
			continue;
		for (p = rule->names; *p; p += strspn(p, " ")) {
			size_t n = strcspn(p, " ");
			char name[64];
			int nr;

			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			p += n;
			nr = seccomp_syscall_resolve_name(name);
			if (nr == __NR_SCMP_ERROR) {
				char word[66];

				/* Named once in the warning, however many rules name it. */
				snprintf(word, sizeof(word), " %s ", name);
				if (!strstr(unknown, word) &&
				    strlen(unknown) + strlen(name) + 1 < sizeof(unknown))
					strcat(strcat(unknown, name), " ");
				continue;
			}
			if (add_rule(ctx, rule, action, nr, name, err))
				return -1;
		}
	}
	if (warn && unknown[1]) {
		const struct scmp_version *v = seccomp_version();

		fprintf(warn, "warning: seccomp: libseccomp %u.%u.%u does not know%.*s: their rules are skipped%s\n",
			v->major, v->minor, v->micro, (int)strlen(unknown) - 1, unknown,
			profile->default_action == BRIG_SC_ALLOW ? "" :
			", and system calls newer than it knows get ENOSYS");
	}
	*out = brig_steal(&ctx);
	return 0;
}

int brig_sc_export(scmp_filter_ctx ctx, const struct brig_sc_profile *profile,
		   struct sock_fprog *prog, struct brig_error **err)
{
	int fd brig_cleanup_close = memfd_create("brig-seccomp", MFD_CLOEXEC);
	void *buf brig_cleanup_free = NULL;
	off_t size;
	int ret;

	if (fd < 0)
		return brig_error_make(err, errno, "seccomp: memfd_create");
	ret = seccomp_export_bpf(ctx, fd);
	if (ret)
		return brig_error_make(err, -ret, "seccomp: exporting the filter");
	size = lseek(fd, 0, SEEK_END);
	buf = size > 0 ? malloc(size) : NULL;
	if (!buf || pread(fd, buf, size, 0) != size)
		return brig_error_make(err, EIO, "seccomp: reading the exported filter");
	prog->filter = brig_steal(&buf);
	prog->len = size / sizeof(struct sock_filter);
	if (brig_sc_prepend_stub(profile, prog, err)) {
		free(prog->filter);
		prog->filter = NULL;
		return -1;
	}
	return 0;
}
