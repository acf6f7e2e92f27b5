// SPDX-License-Identifier: GPL-2.0
/*
 * Socket rules, as policy-language.md defines them: `deny network raw` is
 * SOCK_RAW in every family plus every AF_PACKET socket; refused sockets fail
 * with EACCES; ICMP "ping" sockets are datagram sockets, not raw.
 *
 * The box runs with every capability (so CAP_NET_RAW is not what refuses)
 * and the rules of the variant; each test asks for one socket.
 */
#include <netinet/in.h>
#include <linux/if_ether.h>

#include "common.h"

struct socket_request {
	int family, type, protocol;
};

/* What the tests ask for; the command byte is '0' + the index. */
static const struct socket_request requests[] = {
	{ AF_INET, SOCK_RAW, IPPROTO_ICMP },		/* 0 */
	{ AF_INET6, SOCK_RAW, IPPROTO_ICMPV6 },		/* 1 */
	{ AF_PACKET, SOCK_RAW, 0 },			/* 2 */
	{ AF_PACKET, SOCK_DGRAM, 0 },			/* 3 */
	{ AF_INET, SOCK_DGRAM, IPPROTO_ICMP },		/* 4: ping */
	{ AF_INET, SOCK_STREAM, 0 },			/* 5 */
	{ AF_INET6, SOCK_STREAM, 0 },			/* 6 */
	{ AF_UNIX, SOCK_STREAM, 0 },			/* 7 */
	{ AF_NETLINK, SOCK_RAW, 0 },			/* 8 */
};
#define N_REQUESTS (sizeof(requests) / sizeof(requests[0]))

static int box_socket(int cmd, void *arg)
{
	const struct socket_request *req = &requests[cmd - '0'];
	int fd;

	(void)arg;
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

/* Whether the variant refuses request @i (ignoring complain mode). */
static bool refuses(const FIXTURE_VARIANT(sock) *variant, size_t i)
{
	const struct socket_request *req = &requests[i];
	size_t r;

	for (r = 0; r < variant->n_rules; r++) {
		if ((!variant->rules[r].family ||
		     variant->rules[r].family == (uint32_t)req->family) &&
		    (!variant->rules[r].type ||
		     variant->rules[r].type == (uint32_t)req->type))
			return true;
	}
	return false;
}

TEST_F(sock, matrix)
{
	bool complain = variant->mode == BRIG_MODE_COMPLAIN;
	struct brig_container_info info;
	struct brig_error *err = NULL;
	uint64_t refused = 0;
	size_t i;

	for (i = 0; i < N_REQUESTS; i++) {
		int want = refuses(variant, i) && !complain ? -EACCES : 0;

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

TEST_F(sock, outside_the_container_nothing_is_refused)
{
	int fd = socket(AF_PACKET, SOCK_RAW, 0);

	ASSERT_LE(0, fd);
	close(fd);
}

TEST_HARNESS_MAIN
