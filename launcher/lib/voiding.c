// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: capabilities that void a policy's own file rules.
 *
 * brig.ko holds a rule against every syscall that reaches its object, but a
 * few capabilities reach files, or the kernel itself, around every hook.
 * A policy that both names file rules and grants one of them is most likely
 * a mistake: brigctl check and launch say so, and registration refuses it
 * unless the caller insists (spec->unsafe_caps; launch --unsafe-caps).
 * docs/policy-language.md explains the set.
 */
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>

#include "kpolicy.h"
#include "policy.h"

#define BIT(cap) (1ULL << (cap))

static const struct {
	int cap;
	const char *why;
} voiding[] = {
	{ CAP_SYS_ADMIN, "mounts over them, with `allow mount`; without it, BPF tracing programs, as BPF with PERFMON" },
	{ CAP_SYS_MODULE, "a module runs in the kernel, beside brig.ko's hooks" },
	{ CAP_SYS_RAWIO, "port I/O (iopl, ioperm) and raw disk commands reach the disk under every file system" },
	{ CAP_DAC_READ_SEARCH, "open_by_handle_at opens files by handle, around the container's root and the names rules match" },
	{ CAP_MAC_ADMIN, "changes the host's AppArmor or SELinux policy, the other half of Docker's confinement" },
	{ CAP_MAC_OVERRIDE, "overrides the host's MAC policy (Smack)" },
	{ CAP_BPF, "with PERFMON, tracing programs read any kernel memory: the page cache of every file `r` rules deny" },
	{ CAP_PERFMON, "with BPF, as above" },
};

uint64_t brig_spec_voiding_caps(const struct brig_policy_spec *spec)
{
	uint64_t caps = 0;
	size_t i;

	if (!spec->dfa_len)
		return 0;
	for (i = 0; i < sizeof(voiding) / sizeof(voiding[0]); i++) {
		if (spec->caps & BIT(voiding[i].cap))
			caps |= BIT(voiding[i].cap);
	}
	/* BPF and PERFMON each alone load no tracing program. */
	if ((caps & (BIT(CAP_BPF) | BIT(CAP_PERFMON))) !=
	    (BIT(CAP_BPF) | BIT(CAP_PERFMON)))
		caps &= ~(BIT(CAP_BPF) | BIT(CAP_PERFMON));
	return caps;
}

void brig_voiding_describe(uint64_t caps, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(voiding) / sizeof(voiding[0]) && used < len; i++) {
		int n;

		if (!(caps & BIT(voiding[i].cap)))
			continue;
		n = snprintf(buf + used, len - used, "%s%s (%s)", used ? "; " : "",
			     brig_cap_name(voiding[i].cap), voiding[i].why);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}
