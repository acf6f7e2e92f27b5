// SPDX-License-Identifier: GPL-2.0
/*
 * brig: socket creation rules
 *
 * security_socket_create() sees every socket a task asks for, by family and
 * type (flags already stripped). ICMP "ping" sockets are SOCK_DGRAM, so
 * `deny network raw` leaves them alone, as it should.
 *
 * A type outside 1..SOCK_PACKET (the kernel takes type 0, and some families
 * never look at the type) cannot match a rule for one type; a family whose
 * rules cover every type refuses it: fail closed.
 *
 * Sockets the kernel makes in a container task's context are judged by the
 * same rules: AF_SMC makes an internal TCP socket, AF_RXRPC a UDP one, and
 * so do tunnels, so `deny network inet` would otherwise be walked around
 * through them. Left alone are the ones every new network namespace makes
 * (brig_socket_kernel_exempt()): the raw inet control sockets and the
 * kernel's netlink sockets, which carry nothing a task can send through.
 */

#include <linux/net.h>
#include <linux/preempt.h>
#include <linux/ptrace.h>
#include <linux/socket.h>

#include "container.h"
#include "event.h"
#include "limits.h"
#include "probe.h"
#include "socket.h"

/*
 * Whether a socket the kernel makes for itself, in a container task's
 * context, is left alone: the control sockets of a new network namespace
 * (inet_ctl_sock_create(): SOCK_RAW in AF_INET and AF_INET6) and netlink's
 * kernel sockets (netlink_kernel_create()).
 */
static bool brig_socket_kernel_exempt(int family, int type)
{
	if (family == AF_NETLINK)
		return true;
	return (family == AF_INET || family == AF_INET6) && type == SOCK_RAW;
}

/* Whether @deny, a family's refused types, refuses @type. */
static bool brig_socket_type_denied(u16 deny, int type)
{
	if (type >= 1 && type <= BRIG_SOCK_TYPE_LAST)
		return deny & BIT(type);
	return (deny & BRIG_SOCK_TYPES_ALL) == BRIG_SOCK_TYPES_ALL;
}

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

	if (!static_branch_unlikely(&brig_active))
		return 0;
	/* Only process context has a task whose socket this is. */
	if (kern && (!in_task() || brig_socket_kernel_exempt(family, type)))
		return 0;
	/* __sock_create() refuses other families before this hook. */
	if (family < 0 || family >= AF_MAX)
		return 0;
	rcu_read_lock();
	policy = brig_current_policy(&c);
	if (policy && brig_socket_type_denied(policy->socket_deny[family], type)) {
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
