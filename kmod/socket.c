// SPDX-License-Identifier: GPL-2.0
/*
 * brig: socket creation rules
 *
 * security_socket_create() sees every socket a task asks for, by family and
 * type (flags already stripped). Sockets the kernel creates for itself are
 * never refused. ICMP "ping" sockets are SOCK_DGRAM, so `deny network raw`
 * leaves them alone, as it should.
 */

#include <linux/net.h>
#include <linux/ptrace.h>
#include <linux/socket.h>

#include "container.h"
#include "event.h"
#include "probe.h"
#include "socket.h"

/* security_socket_create(int family, int type, int protocol, int kern) */
static int brig_socket_create_pre(struct kprobe *kp, struct pt_regs *regs)
{
	int family = (int)regs_get_kernel_argument(regs, 0);
	int type = (int)regs_get_kernel_argument(regs, 1);
	int protocol = (int)regs_get_kernel_argument(regs, 2);
	int kern = (int)regs_get_kernel_argument(regs, 3);
	const struct brig_policy *policy;
	struct brig_container *c;
	bool deny = false;

	if (!static_branch_unlikely(&brig_active) || kern)
		return 0;
	/* Out-of-range values fail in the kernel right after this hook. */
	if (family < 0 || family >= AF_MAX || type <= 0 ||
	    type > BRIG_SOCK_TYPE_LAST)
		return 0;
	rcu_read_lock();
	policy = brig_current_policy(&c);
	if (policy && (policy->socket_deny[family] & BIT(type))) {
		struct brig_event_detail detail = {
			.family = family, .type = type, .protocol = protocol,
		};

		brig_report(c, policy, BRIG_KIND_SOCKET, &detail);
		deny = !brig_policy_complains(policy);
	}
	rcu_read_unlock();
	return deny ? brig_probe_deny(regs, -EACCES) : 0;
}

static struct brig_probe brig_socket_probes[] = {
	BRIG_PROBE("security_socket_create", brig_socket_create_pre),
};

int __init brig_socket_init(void)
{
	return brig_probes_register(brig_socket_probes,
				    ARRAY_SIZE(brig_socket_probes));
}

void brig_socket_exit(void)
{
	brig_probes_unregister(brig_socket_probes,
			       ARRAY_SIZE(brig_socket_probes));
}
