// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink ABI at its edges: malformed messages are refused with an
 * errno and an extack message, and change nothing; state-changing commands
 * need CAP_NET_ADMIN and CAP_MAC_ADMIN in the initial user namespace; no
 * command reaches the module from inside a container or from another
 * network namespace.
 *
 * Messages here are built by hand (a genlmsghdr and attributes) and sent
 * with brig_nl_send_raw(), so that they can be wrong in every way.
 */
#include <sched.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "common.h"

/* A message body under construction: genlmsghdr, then attributes. */
struct body {
	unsigned char buf[16384];
	size_t len;
};

static void body_init(struct body *b, uint8_t cmd)
{
	struct genlmsghdr hdr = { .cmd = cmd, .version = BRIG_GENL_VERSION };

	memset(b, 0, sizeof(*b));
	memcpy(b->buf, &hdr, sizeof(hdr));
	b->len = sizeof(hdr);
}

static struct nlattr *put(struct body *b, uint16_t type, const void *data,
			  size_t len)
{
	struct nlattr *nla = (struct nlattr *)(b->buf + b->len);

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy(b->buf + b->len + NLA_HDRLEN, data, len);
	b->len += NLA_ALIGN(nla->nla_len);
	return nla;
}

static void put_u32(struct body *b, uint16_t type, uint32_t v)
{
	put(b, type, &v, sizeof(v));
}

static void put_u64(struct body *b, uint16_t type, uint64_t v)
{
	put(b, type, &v, sizeof(v));
}

static void put_str(struct body *b, uint16_t type, const char *s)
{
	put(b, type, s, strlen(s) + 1);
}

static size_t nest_start(struct body *b, uint16_t type)
{
	size_t at = b->len;

	put(b, type | NLA_F_NESTED, NULL, 0);
	return at;
}

static void nest_end(struct body *b, size_t at)
{
	((struct nlattr *)(b->buf + at))->nla_len = b->len - at;
}

/* A policy nest that is valid on its own. */
static void put_policy(struct body *b)
{
	size_t nest = nest_start(b, BRIG_A_POLICY);

	put_u64(b, BRIG_POLICY_A_CAPS, DOCKER_DEFAULT_CAPS);
	nest_end(b, nest);
}

FIXTURE(abi) {
	struct brig_nl *nl;
	struct brig_box box;
	char extack[256];
};

static const struct brig_policy_spec box_policy = {
	.caps = DOCKER_DEFAULT_CAPS, .pids_max = 7,
};

FIXTURE_SETUP(abi)
{
	struct brig_error *err = NULL;

	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	/* A container whose state no refused message may touch. */
	ASSERT_BRIG_OK(brig_box_start(self->nl, &self->box, "witness",
				      &box_policy, brig_box_idle, NULL, 0, &err), err);
}

FIXTURE_TEARDOWN(abi)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	int n = 0;

	/* Nothing changed: one container, its policy as it was. */
	EXPECT_EQ(0, brig_nl_dump(self->nl, brig_count_one, &n, &err));
	EXPECT_EQ(1, n);
	EXPECT_EQ(0, brig_nl_get(self->nl, self->box.id, NULL, &info, &err));
	EXPECT_EQ(DOCKER_DEFAULT_CAPS, info.policy.caps);
	EXPECT_EQ(7, info.policy.pids_max);
	EXPECT_EQ(0, info.policy.n_socket_rules);
	EXPECT_EQ(BRIG_MODE_ENFORCE, info.policy.mode);
	brig_error_free(&err);
	EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

/* Sends @b; returns the kernel's answer, its extack in self->extack. */
static int send_body(FIXTURE_DATA(abi) *self, const struct body *b)
{
	struct brig_error *err = NULL;
	int ret;

	ret = brig_nl_send_raw(self->nl, b->buf, b->len, self->extack,
			       sizeof(self->extack), &err);
	brig_error_free(&err);
	return ret;
}

/* Expects -@errnum and an extack message containing @msg. */
#define EXPECT_REFUSED(b, errnum, msg) do {				\
	EXPECT_EQ(-(errnum), send_body(self, b))			\
		TH_LOG("extack: %s", self->extack);			\
	EXPECT_NE(NULL, strstr(self->extack, msg))			\
		TH_LOG("extack \"%s\" lacks \"%s\"", self->extack, msg);	\
} while (0)

/*
 * A value the attribute policy bounds: the core refuses it (ERANGE for a
 * number, EINVAL for a string or a length) and says so in extack.
 */
#define EXPECT_POLICY_REFUSED(b) do {					\
	int __ret = send_body(self, b);					\
	EXPECT_TRUE(__ret == -ERANGE || __ret == -EINVAL)		\
		TH_LOG("got %d, extack: %s", __ret, self->extack);	\
	EXPECT_NE(0, self->extack[0]) TH_LOG("no extack message");	\
} while (0)

TEST_F(abi, unknown_command)
{
	struct body b;

	body_init(&b, 99);
	EXPECT_EQ(-EOPNOTSUPP, brig_nl_send_raw(self->nl, b.buf, b.len, NULL, 0, NULL));
}

TEST_F(abi, truncated_header)
{
	struct body b;

	body_init(&b, BRIG_CMD_PING);
	b.len = 2;
	EXPECT_EQ(-EINVAL, brig_nl_send_raw(self->nl, b.buf, b.len, NULL, 0, NULL));
}

TEST_F(abi, truncated_attribute)
{
	struct body b;

	body_init(&b, BRIG_CMD_GET);
	put_u32(&b, BRIG_A_ID, self->box.id);
	b.len -= 2;	/* the attribute claims more than the message holds */
	EXPECT_POLICY_REFUSED(&b);
}

TEST_F(abi, reserved_header_field)
{
	struct body b;

	body_init(&b, BRIG_CMD_PING);
	((struct genlmsghdr *)b.buf)->reserved = 1;
	EXPECT_REFUSED(&b, EINVAL, "reserved");
}

TEST_F(abi, missing_attributes)
{
	struct body b;

	body_init(&b, BRIG_CMD_REGISTER);
	put_str(&b, BRIG_A_NAME, "nopid");
	put_policy(&b);
	EXPECT_REFUSED(&b, EINVAL, "no init pid");

	body_init(&b, BRIG_CMD_REGISTER);
	put_u32(&b, BRIG_A_INIT_PID, self->box.pid);
	put_policy(&b);
	EXPECT_REFUSED(&b, EINVAL, "no container name");

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	EXPECT_REFUSED(&b, EINVAL, "no policy");

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest_end(&b, nest_start(&b, BRIG_A_POLICY));
	EXPECT_REFUSED(&b, EINVAL, "no capability set");

	body_init(&b, BRIG_CMD_UNREGISTER);
	EXPECT_REFUSED(&b, EINVAL, "no container id or name");
}

TEST_F(abi, values_out_of_bounds)
{
	char long_name[100];
	size_t nest, rule;
	struct body b;

	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	body_init(&b, BRIG_CMD_UNREGISTER);
	put_str(&b, BRIG_A_NAME, long_name);
	EXPECT_POLICY_REFUSED(&b);

	body_init(&b, BRIG_CMD_UNREGISTER);
	put_u32(&b, BRIG_A_ID, 0);
	EXPECT_POLICY_REFUSED(&b);

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u64(&b, BRIG_POLICY_A_CAPS, 1ULL << 63);
	nest_end(&b, nest);
	EXPECT_POLICY_REFUSED(&b);

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u64(&b, BRIG_POLICY_A_CAPS, 0);
	put_u32(&b, BRIG_POLICY_A_PIDS_MAX, 0);
	nest_end(&b, nest);
	EXPECT_POLICY_REFUSED(&b);

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u64(&b, BRIG_POLICY_A_CAPS, 0);
	put_u32(&b, BRIG_POLICY_A_MODE, 9);
	nest_end(&b, nest);
	EXPECT_POLICY_REFUSED(&b);

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u64(&b, BRIG_POLICY_A_CAPS, 0);
	rule = nest_start(&b, BRIG_POLICY_A_SOCKET_DENY);
	put_u32(&b, BRIG_SOCKET_A_FAMILY, 4242);
	nest_end(&b, rule);
	nest_end(&b, nest);
	EXPECT_POLICY_REFUSED(&b);
}

TEST_F(abi, too_many_socket_rules)
{
	size_t nest, rule;
	struct body b;
	int i;

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u64(&b, BRIG_POLICY_A_CAPS, 0);
	for (i = 0; i < BRIG_SOCKET_RULES_MAX + 1; i++) {
		rule = nest_start(&b, BRIG_POLICY_A_SOCKET_DENY);
		put_u32(&b, BRIG_SOCKET_A_TYPE, SOCK_RAW);
		nest_end(&b, rule);
	}
	nest_end(&b, nest);
	EXPECT_REFUSED(&b, E2BIG, "too many socket rules");
}

TEST_F(abi, wrong_types)
{
	uint16_t short_pid = 1;
	size_t nest;
	struct body b;

	body_init(&b, BRIG_CMD_REGISTER);
	put(&b, BRIG_A_INIT_PID, &short_pid, sizeof(short_pid));
	put_str(&b, BRIG_A_NAME, "short");
	put_policy(&b);
	EXPECT_POLICY_REFUSED(&b);

	/* A name without its NUL. */
	body_init(&b, BRIG_CMD_UNREGISTER);
	put(&b, BRIG_A_NAME, "witness", 7);
	EXPECT_POLICY_REFUSED(&b);

	/* The policy as a flat value instead of a nest. */
	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	put_u64(&b, BRIG_A_POLICY, 0);
	EXPECT_POLICY_REFUSED(&b);

	/* Caps as a u32. */
	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u32(&b, BRIG_POLICY_A_CAPS, 0);
	nest_end(&b, nest);
	EXPECT_POLICY_REFUSED(&b);
}

TEST_F(abi, duplicated_attributes)
{
	size_t nest;
	struct body b;

	body_init(&b, BRIG_CMD_UNREGISTER);
	put_str(&b, BRIG_A_NAME, "nobody");
	put_str(&b, BRIG_A_NAME, "witness");
	EXPECT_REFUSED(&b, EINVAL, "attribute given twice");

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u64(&b, BRIG_POLICY_A_CAPS, 0);
	put_u64(&b, BRIG_POLICY_A_CAPS, ~0ULL >> 30);
	nest_end(&b, nest);
	EXPECT_REFUSED(&b, EINVAL, "attribute given twice");
}

TEST_F(abi, unknown_attributes)
{
	size_t nest;
	struct body b;

	/* Beyond every op's policy. */
	body_init(&b, BRIG_CMD_GET);
	put_u32(&b, BRIG_A_ID, self->box.id);
	put_u32(&b, 200, 0);
	EXPECT_POLICY_REFUSED(&b);

	/* Known, but not this op's. */
	body_init(&b, BRIG_CMD_UNREGISTER);
	put_u32(&b, BRIG_A_ID, self->box.id);
	put_u64(&b, BRIG_A_COOKIE, 1);
	EXPECT_POLICY_REFUSED(&b);

	/* Inside the policy. */
	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u64(&b, BRIG_POLICY_A_CAPS, 0);
	put_u32(&b, 77, 0);
	nest_end(&b, nest);
	EXPECT_POLICY_REFUSED(&b);
}

/* BRIG_A_MODE: in range, alone (no POLICY, no DFA), and only in SET_POLICY. */
TEST_F(abi, a_mode_switch_is_checked)
{
	size_t nest;
	struct body b;

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	put_u32(&b, BRIG_A_MODE, BRIG_MODE_MAX + 1);
	EXPECT_POLICY_REFUSED(&b);

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	put_u32(&b, BRIG_A_MODE, 0);
	EXPECT_POLICY_REFUSED(&b);

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	put_u32(&b, BRIG_A_MODE, BRIG_MODE_COMPLAIN);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u64(&b, BRIG_POLICY_A_CAPS, 0);
	nest_end(&b, nest);
	EXPECT_EQ(-EINVAL, send_body(self, &b));
	EXPECT_STREQ("a mode or a policy, not both", self->extack);

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	put_u32(&b, BRIG_A_MODE, BRIG_MODE_COMPLAIN);
	put(&b, BRIG_A_DFA, "x", 1);
	EXPECT_EQ(-EINVAL, send_body(self, &b));
	EXPECT_STREQ("a mode or a policy, not both", self->extack);

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	put_u32(&b, BRIG_A_MODE, BRIG_MODE_COMPLAIN);
	put_u32(&b, BRIG_A_MODE, BRIG_MODE_COMPLAIN);
	EXPECT_POLICY_REFUSED(&b);

	body_init(&b, BRIG_CMD_UNREGISTER);
	put_u32(&b, BRIG_A_ID, self->box.id);
	put_u32(&b, BRIG_A_MODE, BRIG_MODE_COMPLAIN);
	EXPECT_POLICY_REFUSED(&b);

	/* For no container: nothing to switch. */
	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id + 1000);
	put_u32(&b, BRIG_A_MODE, BRIG_MODE_COMPLAIN);
	EXPECT_EQ(-ENOENT, send_body(self, &b));
}

TEST_F(abi, selector_and_name_rules)
{
	struct body b;

	body_init(&b, BRIG_CMD_UNREGISTER);
	put_u32(&b, BRIG_A_ID, self->box.id);
	put_str(&b, BRIG_A_NAME, "witness");
	EXPECT_REFUSED(&b, EINVAL, "by id or by name, not both");

	body_init(&b, BRIG_CMD_UNREGISTER);
	put_u32(&b, BRIG_A_ID, 99999);
	EXPECT_REFUSED(&b, ENOENT, "no such container");

	body_init(&b, BRIG_CMD_REGISTER);
	put_str(&b, BRIG_A_NAME, "has space");
	put_u32(&b, BRIG_A_INIT_PID, 1);
	put_policy(&b);
	EXPECT_REFUSED(&b, EINVAL, "may only hold letters, digits and _.-");

	body_init(&b, BRIG_CMD_REGISTER);
	put_str(&b, BRIG_A_NAME, "-dash");
	put_u32(&b, BRIG_A_INIT_PID, 1);
	put_policy(&b);
	EXPECT_REFUSED(&b, EINVAL, "must start with a letter or digit");
}

/* Drops @caps from the effective set of this process. */
static int drop_caps(uint64_t caps)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[0].effective &= ~(uint32_t)caps;
	data[1].effective &= ~(uint32_t)(caps >> 32);
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

/*
 * In a child: drops @caps, then tries GET and SET_POLICY on the witness.
 * Returns REFUSED_GET | REFUSED_SET for each refused with EPERM and a
 * message; OTHER for any other failure.
 */
enum { REFUSED_GET = 1, REFUSED_SET = 2, OTHER = 4 };

static int try_as(FIXTURE_DATA(abi) *self, uint64_t caps, const char *why)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct brig_error *err = NULL;
		struct brig_container_info info;
		struct brig_nl *nl = NULL;
		int get = 0, set = 0;

		if (drop_caps(caps) || brig_nl_open(&nl, &err) < 0)
			_exit(255);
		if (brig_nl_get(nl, self->box.id, NULL, &info, &err) < 0) {
			get = err->errnum == EPERM &&
			      strstr(err->msg, "needs CAP_") ? REFUSED_GET : OTHER;
			brig_error_free(&err);
		}
		if (brig_nl_set_policy(nl, self->box.id, NULL, &box_policy, &err) < 0) {
			set = err->errnum == EPERM && strstr(err->msg, why) ?
			      REFUSED_SET : OTHER;
			brig_error_free(&err);
		}
		_exit(get | set);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(abi, unprivileged_senders_are_refused)
{
	/* No CAP_NET_ADMIN: neither reading nor changing. */
	EXPECT_EQ(REFUSED_GET | REFUSED_SET,
		  try_as(self, CAP_BIT(CAP_NET_ADMIN), "needs CAP_NET_ADMIN"));
	/* CAP_NET_ADMIN alone may read, not change. */
	EXPECT_EQ(REFUSED_SET,
		  try_as(self, CAP_BIT(CAP_MAC_ADMIN), "needs CAP_MAC_ADMIN"));
	/* Both: allowed (the same policy again). */
	EXPECT_EQ(0, try_as(self, 0, "-"));
}

/* In the box: every command but PING is refused, even to root of a user
 * namespace of its own. */
static int box_try_netlink(int cmd, void *arg)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	struct brig_nl *nl = NULL;
	uint32_t version;
	uint64_t echo;
	int ret;

	(void)arg;
	if (cmd == 'u' && unshare(CLONE_NEWUSER))
		return -errno;
	if (brig_nl_open(&nl, &err) < 0) {
		brig_error_free(&err);
		return -ENOENT;
	}
	if (brig_nl_ping(nl, 1, &version, &echo, &err) < 0) {
		brig_error_free(&err);
		brig_nl_close(nl);
		return -EPROTO;
	}
	ret = brig_nl_dump(nl, brig_count_one, &(int){ 0 }, &err);
	if (ret < 0) {
		ret = -err->errnum;
		if (!strstr(err->msg, "not permitted from inside a container"))
			ret = -EBADMSG;
		brig_error_free(&err);
	}
	if (!ret && brig_nl_get(nl, 1, NULL, &info, &err) == 0)
		ret = -EEXIST;
	brig_error_free(&err);
	brig_nl_close(nl);
	return ret;
}

TEST_F(abi, senders_inside_a_container_are_refused)
{
	struct brig_policy_spec all = { .caps = BRIG_ALL_CAPS };
	struct brig_error *err = NULL;
	struct brig_box box;

	/* Every capability: only being inside refuses it. */
	ASSERT_BRIG_OK(brig_box_start(self->nl, &box, "inside", &all,
				      box_try_netlink, NULL, 0, &err), err);
	EXPECT_EQ(-EPERM, brig_box_do(&box, 'n'));
	EXPECT_EQ(-EPERM, brig_box_do(&box, 'u'));
	EXPECT_EQ(0, brig_box_stop(&box));
	EXPECT_EQ(0, brig_wait_gone(self->nl, box.id));
}

TEST_F(abi, other_network_namespaces_do_not_see_the_family)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct brig_error *err = NULL;
		struct brig_nl *nl = NULL;

		if (unshare(CLONE_NEWNET))
			_exit(2);
		if (brig_nl_open(&nl, &err) == 0)
			_exit(1);
		_exit(strstr(err->msg, "not loaded") ? 0 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * A SET_POLICY for the witness whose policy holds one device rule: @type,
 * @major, @minor, @access (each skipped when -1), and @flags (when not -1).
 */
static void device_policy(struct body *b, uint32_t box, int64_t type, int64_t major,
			  int64_t minor, int64_t access, int64_t flags)
{
	size_t nest, rule;

	body_init(b, BRIG_CMD_SET_POLICY);
	put_u32(b, BRIG_A_ID, box);
	nest = nest_start(b, BRIG_A_POLICY);
	put_u64(b, BRIG_POLICY_A_CAPS, DOCKER_DEFAULT_CAPS);
	if (flags >= 0)
		put_u32(b, BRIG_POLICY_A_FLAGS, flags);
	rule = nest_start(b, BRIG_POLICY_A_DEVICE);
	if (type >= 0)
		put_u32(b, BRIG_DEVICE_A_TYPE, type);
	if (major >= 0)
		put_u32(b, BRIG_DEVICE_A_MAJOR, major);
	if (minor >= 0)
		put_u32(b, BRIG_DEVICE_A_MINOR, minor);
	if (access >= 0)
		put_u32(b, BRIG_DEVICE_A_ACCESS, access);
	nest_end(b, rule);
	nest_end(b, nest);
}

TEST_F(abi, device_rules_out_of_range)
{
	const uint32_t rw = BRIG_PERM_READ | BRIG_PERM_WRITE;
	struct brig_error *err = NULL;
	struct body b;

	/* Neither char nor block. */
	device_policy(&b, self->box.id, 0, 1, 3, rw, -1);
	EXPECT_POLICY_REFUSED(&b);
	device_policy(&b, self->box.id, BRIG_DEVICE_MAX + 1, 1, 3, rw, -1);
	EXPECT_POLICY_REFUSED(&b);
	/* Numbers the kernel's dev_t cannot hold. */
	device_policy(&b, self->box.id, BRIG_DEVICE_CHAR, BRIG_DEVICE_MAJOR_MAX + 1, 3, rw, -1);
	EXPECT_POLICY_REFUSED(&b);
	device_policy(&b, self->box.id, BRIG_DEVICE_CHAR, 1, BRIG_DEVICE_MINOR_MAX + 1, rw, -1);
	EXPECT_POLICY_REFUSED(&b);
	/* Access is r and w only: an open asks for nothing else. */
	device_policy(&b, self->box.id, BRIG_DEVICE_CHAR, 1, 3, BRIG_PERM_EXEC, -1);
	EXPECT_POLICY_REFUSED(&b);
	/* An unknown policy flag. */
	device_policy(&b, self->box.id, BRIG_DEVICE_CHAR, 1, 3, rw, BRIG_POLICY_F_ALL + 1);
	EXPECT_POLICY_REFUSED(&b);
	/* The bounds themselves are fine (and leave the witness as it was after). */
	device_policy(&b, self->box.id, BRIG_DEVICE_BLOCK, BRIG_DEVICE_MAJOR_MAX,
		      BRIG_DEVICE_MINOR_MAX, rw, BRIG_POLICY_F_ALL);
	EXPECT_EQ(0, send_body(self, &b)) TH_LOG("extack: %s", self->extack);
	ASSERT_BRIG_OK(brig_nl_set_policy(self->nl, self->box.id, NULL, &box_policy, &err),
		       err);
}

TEST_F(abi, device_rules_incomplete_or_repeated)
{
	const uint32_t rw = BRIG_PERM_READ | BRIG_PERM_WRITE;
	size_t nest, rule;
	struct body b;

	device_policy(&b, self->box.id, -1, 1, 3, rw, -1);
	EXPECT_REFUSED(&b, EINVAL, "device rule has no type");
	device_policy(&b, self->box.id, BRIG_DEVICE_CHAR, 1, 3, -1, -1);
	EXPECT_REFUSED(&b, EINVAL, "device rule has no access");

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u64(&b, BRIG_POLICY_A_CAPS, 0);
	rule = nest_start(&b, BRIG_POLICY_A_DEVICE);
	put_u32(&b, BRIG_DEVICE_A_TYPE, BRIG_DEVICE_CHAR);
	put_u32(&b, BRIG_DEVICE_A_TYPE, BRIG_DEVICE_BLOCK);
	put_u32(&b, BRIG_DEVICE_A_ACCESS, rw);
	nest_end(&b, rule);
	nest_end(&b, nest);
	EXPECT_REFUSED(&b, EINVAL, "attribute given twice");

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u64(&b, BRIG_POLICY_A_CAPS, 0);
	put_u32(&b, BRIG_POLICY_A_FLAGS, 0);
	put_u32(&b, BRIG_POLICY_A_FLAGS, BRIG_POLICY_F_MOUNT);
	nest_end(&b, nest);
	EXPECT_REFUSED(&b, EINVAL, "attribute given twice");
}

TEST_F(abi, too_many_device_rules)
{
	size_t nest, rule;
	struct body b;
	int i;

	body_init(&b, BRIG_CMD_SET_POLICY);
	put_u32(&b, BRIG_A_ID, self->box.id);
	nest = nest_start(&b, BRIG_A_POLICY);
	put_u64(&b, BRIG_POLICY_A_CAPS, 0);
	for (i = 0; i < BRIG_DEVICE_RULES_MAX + 1; i++) {
		rule = nest_start(&b, BRIG_POLICY_A_DEVICE);
		put_u32(&b, BRIG_DEVICE_A_TYPE, BRIG_DEVICE_CHAR);
		put_u32(&b, BRIG_DEVICE_A_ACCESS, BRIG_PERM_READ);
		nest_end(&b, rule);
	}
	nest_end(&b, nest);
	EXPECT_REFUSED(&b, E2BIG, "too many device rules");
}

TEST_HARNESS_MAIN
