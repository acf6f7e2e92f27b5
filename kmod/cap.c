// SPDX-License-Identifier: GPL-2.0
/*
 * brig: the capability mask
 *
 * security_capable() is where almost every capability check ends, whatever
 * user namespace it targets. Checking the mask there, rather than relying on
 * the bounding set, holds inside nested user namespaces too: a container that
 * creates one is its root there, but still cannot use CAP_SYS_ADMIN (or any
 * other capability outside its mask) through it.
 *
 * security_capable() is handed a credential, and it is not always the calling
 * task's: overlayfs works on its layers with its mounter's credentials, and
 * file_ns_capable() judges a file's opener. The mask applies to the
 * container's credentials (brig_cred_is_containers()), not to every check
 * that happens to run in a container task: a container on an overlay root
 * the launcher mounted works exactly as it does without brig.
 *
 * Three checks of security/commoncap.c call cap_capable() directly and never
 * reach security_capable(); their hooks refuse them here when the capability
 * is outside the mask: PR_SET_SECUREBITS and raising an inheritable
 * capability beyond the permitted set (CAP_SETPCAP), and mapping below
 * mmap_min_addr (CAP_SYS_RAWIO).
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/security.h>
#include <linux/user_namespace.h>

#include "cap.h"
#include "compat.h"
#include "container.h"
#include "event.h"
#include "limits.h"
#include "probe.h"

/*
 * Whether @cred, handed to a capability check of a task of @c, is the
 * container's:
 * - the task's own objective credentials;
 * - credentials of a user namespace strictly inside the container's: only
 *   the container's tasks can make those (nested user namespaces; creating
 *   one fills the bounding set again);
 * - credentials of the container's user namespace whose bounding set holds
 *   nothing outside the mask: launch drops the bounding set to the mask
 *   before the container runs, and a bounding set only shrinks, so every
 *   credential a launched container makes (an io_uring personality, an older
 *   credential kept past setuid(), faccessat()'s) qualifies.
 * Anything else was lent by someone outside (overlayfs's mounter, the opener
 * of a file handed in, a ring registered outside) and is judged by the
 * kernel alone, as without brig. Under rcu_read_lock().
 */
static bool brig_cred_is_containers(const struct cred *cred,
				    const struct brig_container *c,
				    const struct brig_policy *policy)
{
	const struct user_namespace *ns = cred->user_ns;
	int depth;

	if (cred == rcu_access_pointer(current->real_cred))
		return true;
	if (ns->level < c->userns->level)
		return false;
	for (depth = ns->level - c->userns->level; depth > 0; depth--)
		ns = ns->parent;
	if (ns != c->userns)
		return false;
	return cred->user_ns != c->userns ||
	       !(brig_cap_bits(&cred->cap_bset) & ~policy->caps);
}

/*
 * Refuses (returns true) capability @cap to the current task of @c unless
 * @policy's mask holds it; reports the refusal unless @opts says the check
 * only asks. Under rcu_read_lock().
 */
static bool brig_cap_refuse(struct brig_container *c,
			    const struct brig_policy *policy, int cap,
			    unsigned int opts)
{
	struct brig_event_detail detail = { .cap = cap };

	if (cap_valid(cap) && (policy->caps & BIT_ULL(cap)))
		return false;
	/* "Does it have X?" probes (noaudit) are refused, but not reported. */
	if (opts & CAP_OPT_NOAUDIT)
		return !brig_policy_complains(policy);
	return brig_verdict(c, policy, BRIG_KIND_CAP, &detail, -EPERM) != 0;
}

/*
 * security_capable(const struct cred *cred, struct user_namespace *ns,
 *		    int cap, unsigned int opts)
 */
static int brig_capable_pre(struct pt_regs *regs)
{
	const struct cred *cred =
		BRIG_ARG(regs, 0, const struct cred *);
	int cap = BRIG_ARG(regs, 2, int);
	unsigned int opts = BRIG_ARG(regs, 3, unsigned long);
	const struct brig_policy *policy;
	struct brig_container *c;
	bool deny = false;

	if (!brig_active())
		return 0;
	rcu_read_lock();
	policy = brig_current_policy(&c);
	if (policy && brig_cred_is_containers(cred, c, policy))
		deny = brig_cap_refuse(c, policy, cap, opts);
	rcu_read_unlock();
	return deny ? brig_probe_deny(regs, -EPERM) : 0;
}

/*
 * Refuses @cap to the current task, if it is in a container whose mask
 * lacks it; for the hooks whose capability check calls cap_capable()
 * directly, with current_cred(), the task's own.
 */
static int brig_cap_direct(struct pt_regs *regs, int cap)
{
	const struct brig_policy *policy;
	struct brig_container *c;
	bool deny = false;

	rcu_read_lock();
	policy = brig_current_policy(&c);
	if (policy)
		deny = brig_cap_refuse(c, policy, cap, CAP_OPT_NONE);
	rcu_read_unlock();
	return deny ? brig_probe_deny(regs, -EPERM) : 0;
}

/*
 * security_task_prctl(int option, unsigned long arg2, unsigned long arg3,
 *		       unsigned long arg4, unsigned long arg5)
 *
 * cap_task_prctl() asks cap_capable() for CAP_SETPCAP on every
 * PR_SET_SECUREBITS, in the task's own user namespace.
 */
static int brig_task_prctl_pre(struct pt_regs *regs)
{
	int option = BRIG_ARG(regs, 0, int);

	if (!brig_active() || option != PR_SET_SECUREBITS)
		return 0;
	return brig_cap_direct(regs, CAP_SETPCAP);
}

/*
 * security_capset(struct cred *new, const struct cred *old,
 *		   const kernel_cap_t *effective,
 *		   const kernel_cap_t *inheritable,
 *		   const kernel_cap_t *permitted)
 *
 * cap_capset() asks cap_capable() for CAP_SETPCAP when the new inheritable
 * set holds a capability that is neither inheritable nor permitted now.
 */
static int brig_capset_pre(struct pt_regs *regs)
{
	const struct cred *old =
		BRIG_ARG(regs, 1, const struct cred *);
	const kernel_cap_t *inheritable =
		BRIG_ARG(regs, 3, const kernel_cap_t *);
	u64 allowed;

	if (!brig_active())
		return 0;
	allowed = brig_cap_bits(&old->cap_inheritable) |
		  brig_cap_bits(&old->cap_permitted);
	if (!(brig_cap_bits(inheritable) & ~allowed))
		return 0;
	return brig_cap_direct(regs, CAP_SETPCAP);
}

/*
 * security_mmap_addr(unsigned long addr)
 *
 * cap_mmap_addr() asks cap_capable() for CAP_SYS_RAWIO below
 * vm.mmap_min_addr; see BRIG_MMAP_MIN_ADDR for the bound used here.
 */
static int brig_mmap_addr_pre(struct pt_regs *regs)
{
	unsigned long addr = BRIG_ARG(regs, 0, unsigned long);

	if (!brig_active() || addr >= BRIG_MMAP_MIN_ADDR)
		return 0;
	return brig_cap_direct(regs, CAP_SYS_RAWIO);
}

static struct brig_probe brig_cap_probes[] = {
	BRIG_PROBE("security_capable", brig_capable_pre),
	BRIG_PROBE("security_task_prctl", brig_task_prctl_pre),
	BRIG_PROBE("security_capset", brig_capset_pre),
	BRIG_PROBE("security_mmap_addr", brig_mmap_addr_pre),
};

int __init brig_cap_init(void)
{
	return brig_probes_register(brig_cap_probes, ARRAY_SIZE(brig_cap_probes));
}

void brig_cap_exit(void)
{
	brig_probes_unregister(brig_cap_probes, ARRAY_SIZE(brig_cap_probes));
}
