// SPDX-License-Identifier: GPL-2.0
/*
 * Socket rules, as policy-language.md defines them: `deny network raw` is
 * SOCK_RAW in every family plus every AF_PACKET socket; refused sockets fail
 * with EACCES; ICMP "ping" sockets are datagram sockets, not raw.
 *
 * The box runs with every capability (so CAP_NET_RAW is not what refuses)
 * and the rules of the variant; each test asks for one socket, or for one
 * of the ways around a rule:
 *
 *   socket(AF_INET, 0, 0)           type 0: no rule names it; a family's
 *                                   every-type rule must refuse it
 *   socket(AF_SMC, ...)             the kernel makes a TCP socket inside
 *   socket(AF_RXRPC, ...) + bind()  the kernel makes a UDP socket inside
 *   unshare(CLONE_NEWNET)           the kernel makes its control sockets,
 *                                   raw inet and netlink: still works
 */
#include <sched.h>
#include <netinet/in.h>
#include <linux/if_ether.h>

#include "common.h"

#ifndef AF_SMC
#define AF_SMC 43
#endif
#ifndef AF_RXRPC
#define AF_RXRPC 33
#endif
/* AF_SMC's protocols: the internal TCP socket is AF_INET or AF_INET6. */
#define SMCPROTO_SMC	0
#define SMCPROTO_SMC6	1

struct socket_request {
	int family, type, protocol;
	int allowed;	/* what socket() gives when no rule refuses it */
};

/* What the tests ask for; the command byte is '0' + the index. */
static const struct socket_request requests[] = {
	{ AF_INET, SOCK_RAW, IPPROTO_ICMP, 0 },		/* 0 */
	{ AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, 0 },		/* 1 */
	{ AF_PACKET, SOCK_RAW, 0, 0 },			/* 2 */
	{ AF_PACKET, SOCK_DGRAM, 0, 0 },			/* 3 */
	{ AF_INET, SOCK_DGRAM, IPPROTO_ICMP, 0 },		/* 4: ping */
	{ AF_INET, SOCK_STREAM, 0, 0 },			/* 5 */
	{ AF_INET6, SOCK_STREAM, 0, 0 },			/* 6 */
	{ AF_UNIX, SOCK_STREAM, 0, 0 },			/* 7 */
	{ AF_NETLINK, SOCK_RAW, 0, 0 },			/* 8 */
	/* Type 0 reaches the hook; these families then refuse it. */
	{ AF_INET, 0, 0, -ESOCKTNOSUPPORT },		/* 9 */
	{ AF_INET6, 0, 0, -ESOCKTNOSUPPORT },		/* 10 */
	{ AF_PACKET, 0, 0, -ESOCKTNOSUPPORT },		/* 11 */
};
#define N_REQUESTS (sizeof(requests) / sizeof(requests[0]))

/* AF_RXRPC's address: <linux/rxrpc.h> clashes with <netinet/in.h>. */
struct sockaddr_rxrpc {
	sa_family_t srx_family;
	uint16_t srx_service;
	uint16_t transport_type;
	uint16_t transport_len;
	union {
		sa_family_t family;
		struct sockaddr_in sin;
		struct sockaddr_in6 sin6;
	} transport;
};

/* An AF_SMC socket over @family's TCP; 0 or -errno. */
static int smc_socket(int family)
{
	int fd = socket(AF_SMC, SOCK_STREAM,
			family == AF_INET6 ? SMCPROTO_SMC6 : SMCPROTO_SMC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* An AF_RXRPC client socket bound to @family's UDP; 0 or -errno. */
static int rxrpc_bound(int family)
{
	struct sockaddr_rxrpc srx = {
		.srx_family = AF_RXRPC,
		.transport_type = SOCK_DGRAM,
	};
	int fd = socket(AF_RXRPC, SOCK_DGRAM, family), ret = 0;

	if (fd < 0)
		return -errno;
	srx.transport.family = family;
	srx.transport_len = family == AF_INET6 ? sizeof(struct sockaddr_in6) :
						 sizeof(struct sockaddr_in);
	if (bind(fd, (struct sockaddr *)&srx, sizeof(srx)))
		ret = -errno;
	close(fd);
	return ret;
}

/* A new network namespace, in a child; 0 or -errno. */
static int new_net_ns(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(unshare(CLONE_NEWNET) ? errno : 0);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -ECHILD;
	return -WEXITSTATUS(status);
}

static int box_socket(int cmd, void *arg)
{
	const struct socket_request *req;
	int fd;

	(void)arg;
	switch (cmd) {
	case 'S':
		return smc_socket(AF_INET);
	case 's':
		return smc_socket(AF_INET6);
	case 'X':
		return rxrpc_bound(AF_INET);
	case 'x':
		return rxrpc_bound(AF_INET6);
	case 'N':
		return new_net_ns();
	}
	if (cmd < '0' || cmd >= '0' + (int)N_REQUESTS)
		return -EINVAL;
	req = &requests[cmd - '0'];
	fd = socket(req->family, req->type, req->protocol);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

FIXTURE(sock) {
	struct brig_nl *nl;
	struct brig_box box;
};

FIXTURE_VARIANT(sock) {
	uint32_t mode;
	size_t n_rules;
	struct brig_socket_rule rules[4];
};

/* `deny network raw` */
FIXTURE_VARIANT_ADD(sock, deny_raw) {
	.n_rules = 2,
	.rules = { { 0, SOCK_RAW }, { AF_PACKET, 0 } },
};

/* `deny network inet` */
FIXTURE_VARIANT_ADD(sock, deny_inet) {
	.n_rules = 1,
	.rules = { { AF_INET, 0 } },
};

/* `deny network inet6` */
FIXTURE_VARIANT_ADD(sock, deny_inet6) {
	.n_rules = 1,
	.rules = { { AF_INET6, 0 } },
};

/* `deny network raw` in complain mode */
FIXTURE_VARIANT_ADD(sock, complain_raw) {
	.mode = BRIG_MODE_COMPLAIN,
	.n_rules = 2,
	.rules = { { 0, SOCK_RAW }, { AF_PACKET, 0 } },
};

FIXTURE_SETUP(sock)
{
	struct brig_policy_spec policy = {
		.caps = BRIG_ALL_CAPS,
		.mode = variant->mode,
		.n_socket_rules = variant->n_rules,
	};
	struct brig_error *err = NULL;

	memcpy(policy.socket_rules, variant->rules, sizeof(variant->rules));
	/* Ping sockets are refused (EACCES) to groups outside this range. */
	ASSERT_EQ(0, write_file("/proc/sys/net/ipv4/ping_group_range",
				"0 2147483647"));
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_BRIG_OK(brig_box_start(self->nl, &self->box, "sockets", &policy,
				      box_socket, NULL, 0, &err), err);
}

FIXTURE_TEARDOWN(sock)
{
	EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

/* Whether the variant's rules match @family and @type (complain or not). */
static bool refuses_socket(const FIXTURE_VARIANT(sock) *variant, int family,
			   int type)
{
	size_t r;

	for (r = 0; r < variant->n_rules; r++) {
		if ((!variant->rules[r].family ||
		     variant->rules[r].family == (uint32_t)family) &&
		    (!variant->rules[r].type ||
		     variant->rules[r].type == (uint32_t)type))
			return true;
	}
	return false;
}

/* Whether the variant refuses request @i (ignoring complain mode). */
static bool refuses(const FIXTURE_VARIANT(sock) *variant, size_t i)
{
	return refuses_socket(variant, requests[i].family, requests[i].type);
}

/* Whether the kernel has @family (its module loaded, or built in). */
static bool have_family(int family, int type, int protocol)
{
	int fd = socket(family, type, protocol);

	if (fd < 0)
		return errno != EAFNOSUPPORT;
	close(fd);
	return true;
}

TEST_F(sock, matrix)
{
	bool complain = variant->mode == BRIG_MODE_COMPLAIN;
	struct brig_container_info info;
	struct brig_error *err = NULL;
	uint64_t refused = 0;
	size_t i;

	for (i = 0; i < N_REQUESTS; i++) {
		int want = refuses(variant, i) && !complain ? -EACCES :
			   requests[i].allowed;

		EXPECT_EQ(want, brig_box_do(&self->box, '0' + i))
			TH_LOG("socket(%d, %d, %d)", requests[i].family,
			       requests[i].type, requests[i].protocol);
		refused += refuses(variant, i);
	}
	/* Complain mode counts what it would have refused. */
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	EXPECT_EQ(refused, info.denials[BRIG_KIND_SOCKET]);
}

TEST_F(sock, live_update_flips_a_denial)
{
	struct brig_policy_spec policy = {
		.caps = BRIG_ALL_CAPS,
	};
	struct brig_error *err = NULL;

	if (variant->mode == BRIG_MODE_COMPLAIN || !refuses(variant, 0))
		SKIP(return, "needs a variant that refuses raw inet sockets");
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, '0'));
	ASSERT_BRIG_OK(brig_nl_set_policy(self->nl, self->box.id, NULL,
					  &policy, &err), err);
	EXPECT_EQ(0, brig_box_do(&self->box, '0'));
	policy.n_socket_rules = variant->n_rules;
	memcpy(policy.socket_rules, variant->rules, sizeof(variant->rules));
	ASSERT_BRIG_OK(brig_nl_set_policy(self->nl, self->box.id, NULL,
					  &policy, &err), err);
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, '0'));
}

/*
 * AF_SMC's internal TCP socket is the kernel's, made in the task's context:
 * a rule that refuses the TCP socket refuses the SMC socket too.
 */
TEST_F(sock, smc_carries_its_tcp_socket)
{
	bool complain = variant->mode == BRIG_MODE_COMPLAIN;
	const int families[] = { AF_INET, AF_INET6 };
	size_t i;

	if (!have_family(AF_SMC, SOCK_STREAM, SMCPROTO_SMC))
		SKIP(return, "no AF_SMC in this kernel (module smc)");
	for (i = 0; i < 2; i++) {
		bool refused = refuses_socket(variant, families[i], SOCK_STREAM) ||
			       refuses_socket(variant, AF_SMC, SOCK_STREAM);

		EXPECT_EQ(refused && !complain ? -EACCES : 0,
			  brig_box_do(&self->box, i ? 's' : 'S'))
			TH_LOG("AF_SMC over family %d", families[i]);
	}
}

/* AF_RXRPC's UDP socket, made by the kernel at bind(): the same. */
TEST_F(sock, rxrpc_carries_its_udp_socket)
{
	bool complain = variant->mode == BRIG_MODE_COMPLAIN;
	const int families[] = { AF_INET, AF_INET6 };
	size_t i;

	if (!have_family(AF_RXRPC, SOCK_DGRAM, AF_INET))
		SKIP(return, "no AF_RXRPC in this kernel (module rxrpc)");
	for (i = 0; i < 2; i++) {
		bool refused = refuses_socket(variant, families[i], SOCK_DGRAM) ||
			       refuses_socket(variant, AF_RXRPC, SOCK_DGRAM);

		EXPECT_EQ(refused && !complain ? -EACCES : 0,
			  brig_box_do(&self->box, i ? 'x' : 'X'))
			TH_LOG("AF_RXRPC over family %d", families[i]);
	}
}

/*
 * A new network namespace makes raw inet and netlink sockets in the
 * caller's context: every rule of every variant leaves that alone.
 */
TEST_F(sock, new_network_namespace_still_works)
{
	EXPECT_EQ(0, brig_box_do(&self->box, 'N'));
}

TEST_F(sock, outside_the_container_nothing_is_refused)
{
	int fd = socket(AF_PACKET, SOCK_RAW, 0);

	ASSERT_LE(0, fd);
	close(fd);
}

TEST_HARNESS_MAIN
