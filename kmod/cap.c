// SPDX-License-Identifier: GPL-2.0
/*
 * brig: the capability mask
 *
 * security_capable() is where every capability check ends, whatever user
 * namespace it targets. Checking the mask there, rather than relying on the
 * bounding set, holds inside nested user namespaces too: a container that
 * creates one is its root there, but still cannot use CAP_SYS_ADMIN (or any
 * other capability outside its mask) through it.
 */

#include <linux/capability.h>
#include <linux/ptrace.h>
#include <linux/security.h>

#include "cap.h"
#include "container.h"
#include "event.h"
#include "probe.h"

/*
 * security_capable(const struct cred *cred, struct user_namespace *ns,
 *		    int cap, unsigned int opts)
 */
static int brig_capable_pre(struct kprobe *kp, struct pt_regs *regs)
{
	int cap = (int)regs_get_kernel_argument(regs, 2);
	unsigned int opts = regs_get_kernel_argument(regs, 3);
	struct brig_event_detail detail = { .cap = cap };
	const struct brig_policy *policy;
	struct brig_container *c;
	bool deny = false;

	if (!static_branch_unlikely(&brig_active))
		return 0;
	rcu_read_lock();
	policy = brig_current_policy(&c);
	if (!policy || (cap_valid(cap) && (policy->caps & BIT_ULL(cap))))
		goto out_unlock;
	/* "Does it have X?" probes (noaudit) are refused, but not reported. */
	if (!(opts & CAP_OPT_NOAUDIT))
		brig_report(c, policy, BRIG_KIND_CAP, &detail);
	deny = !brig_policy_complains(policy);

out_unlock:
	rcu_read_unlock();
	return deny ? brig_probe_deny(regs, -EPERM) : 0;
}

static struct brig_probe brig_cap_probes[] = {
	BRIG_PROBE("security_capable", brig_capable_pre),
};

int __init brig_cap_init(void)
{
	return brig_probes_register(brig_cap_probes, ARRAY_SIZE(brig_cap_probes));
}

void brig_cap_exit(void)
{
	brig_probes_unregister(brig_cap_probes, ARRAY_SIZE(brig_cap_probes));
}
