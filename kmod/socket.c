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
 * through them. Left alone are the ones a new network namespace makes for
 * itself while it is set up (brig_net_in_setup()) and netlink's kernel
 * sockets: they carry nothing a task can send through them.
 */

#include <linux/net.h>
#include <linux/preempt.h>
#include <linux/ptrace.h>
#include <linux/socket.h>
#include <net/net_namespace.h>

#include "container.h"
#include "event.h"
#include "limits.h"
#include "probe.h"
#include "socket.h"

/* Whether @deny, a family's refused types, refuses @type. */
static bool brig_socket_type_denied(u16 deny, int type)
{
	if (type >= 1 && type <= BRIG_SOCK_TYPE_LAST)
		return deny & BIT(type);
	return (deny & BRIG_SOCK_TYPES_ALL) == BRIG_SOCK_TYPES_ALL;
}

/* Judges a socket made in the current task's context; the probe's result. */
static int brig_socket_judge(struct pt_regs *regs, int family, int type,
			     int protocol)
{
	const struct brig_policy *policy;
	struct brig_container *c;
	bool deny = false;

	/* The kernel refuses other families before it makes anything. */
	if (family < 0 || family >= AF_MAX)
		return 0;
	rcu_read_lock();
	policy = brig_current_policy(&c);
	if (policy && brig_socket_type_denied(policy->socket_deny[family], type)) {
		struct brig_event_detail detail = {
			.family = family, .type = type, .protocol = protocol,
		};

		deny = brig_verdict(c, policy, BRIG_KIND_SOCKET, &detail,
				    -EACCES) != 0;
	}
	rcu_read_unlock();
	return deny ? brig_probe_deny(regs, -EACCES) : 0;
}

/*
 * security_socket_create(int family, int type, int protocol, int kern)
 *
 * The sockets tasks ask for. The kernel's own (kern) are judged where their
 * network namespace is known, below.
 */
static int brig_socket_create_pre(struct pt_regs *regs)
{
	if (!brig_active() ||
	    BRIG_ARG(regs, 3, unsigned long))
		return 0;
	return brig_socket_judge(regs, BRIG_ARG(regs, 0, int),
				 BRIG_ARG(regs, 1, int),
				 BRIG_ARG(regs, 2, int));
}

/*
 * Whether @net is being set up: setup_net() runs the pernet init functions,
 * which make the namespace's own sockets (inet_ctl_sock_create()'s control
 * sockets, raw and datagram; SCTP's, TIPC's, RDS's if loaded), in the
 * caller's context, and only then links @net into net_namespace_list. No
 * one else can reach a namespace before that.
 */
static bool brig_net_in_setup(const struct net *net)
{
	return !READ_ONCE(net->list.next);
}

/*
 * __sock_create(struct net *net, int family, int type, int protocol,
 *		 struct socket **res, int kern)
 *
 * Every socket but sock_create_lite()'s passes here. Kernel sockets made
 * in a container task's context (AF_SMC's TCP socket, AF_RXRPC's UDP
 * socket, a tunnel's) meet the task's rules, but for those of a network
 * namespace being set up.
 */
static int brig_sock_create_pre(struct pt_regs *regs)
{
	const struct net *net = BRIG_ARG(regs, 0, const struct net *);
	int family = BRIG_ARG(regs, 1, int);
	int type = BRIG_ARG(regs, 2, int);

	if (!brig_active() ||
	    !BRIG_ARG(regs, 5, unsigned long) || !in_task())
		return 0;
	/* The kernel refuses these before security_socket_create(). */
	if (family < 0 || family >= AF_MAX || type < 0 || type >= SOCK_MAX)
		return 0;
	/* As __sock_create() does, and what security_socket_create() sees. */
	if (family == PF_INET && type == SOCK_PACKET)
		family = PF_PACKET;
	if (brig_net_in_setup(net))
		return 0;
	return brig_socket_judge(regs, family, type,
				 BRIG_ARG(regs, 3, int));
}

/*
 * sock_create_lite(int family, int type, int protocol, struct socket **res)
 *
 * The kernel's sockets without a protocol behind them yet: kernel_accept()'s
 * (judged, in a container task's context) and netlink's kernel sockets
 * (netlink_kernel_create(), one set per network namespace: left alone).
 */
static int brig_sock_create_lite_pre(struct pt_regs *regs)
{
	int family = BRIG_ARG(regs, 0, int);

	if (!brig_active() || !in_task() ||
	    family == AF_NETLINK)
		return 0;
	return brig_socket_judge(regs, family,
				 BRIG_ARG(regs, 1, int),
				 BRIG_ARG(regs, 2, int));
}

static struct brig_probe brig_socket_probes[] = {
	BRIG_PROBE("security_socket_create", brig_socket_create_pre),
	BRIG_PROBE("__sock_create", brig_sock_create_pre),
	BRIG_PROBE("sock_create_lite", brig_sock_create_lite_pre),
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
