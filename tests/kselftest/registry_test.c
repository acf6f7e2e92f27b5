// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: registering, naming, getting, listing and unregistering
 * containers; entries that go away with their container; rmmod refused
 * while a container lives.
 *
 *   test process (initial pid ns)
 *    `-- box init (pid 1 of its own pid ns) == a registered container
 */
#include <sys/stat.h>

#include "common.h"

FIXTURE(registry) {
	struct brig_nl *nl;
};

FIXTURE_SETUP(registry)
{
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
}

FIXTURE_TEARDOWN(registry)
{
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

static int box_getpid(int cmd, void *arg)
{
	(void)cmd;
	(void)arg;
	return getpid();
}

static const struct brig_policy_spec default_policy = {
	.caps = DOCKER_DEFAULT_CAPS,
};

TEST_F(registry, register_get_unregister)
{
	struct brig_policy_spec policy = {
		.mode = BRIG_MODE_COMPLAIN,
		.caps = DOCKER_DEFAULT_CAPS,
		.pids_max = 10,
		.n_socket_rules = 2,
		.socket_rules = { { 0, SOCK_RAW }, { AF_PACKET, 0 } },
	};
	struct brig_container_info info;
	struct brig_error *err = NULL;
	struct brig_box box;
	char path[64];
	struct stat st;

	ASSERT_BRIG_OK(brig_box_start(self->nl, &box, "reg-a", &policy,
				      box_getpid, NULL, 0, &err), err);
	EXPECT_LT(0, box.id);
	EXPECT_EQ(1, brig_box_do(&box, 'p'));

	ASSERT_BRIG_OK(brig_nl_get(self->nl, 0, "reg-a", &info, &err), err);
	EXPECT_EQ(box.id, info.id);
	EXPECT_STREQ("reg-a", info.name);
	EXPECT_EQ((uint32_t)box.pid, info.init_pid);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", box.pid);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(st.st_ino, info.pidns_ino);
	EXPECT_EQ(1, info.tasks);
	EXPECT_EQ(BRIG_MODE_COMPLAIN, info.policy.mode);
	EXPECT_EQ(DOCKER_DEFAULT_CAPS, info.policy.caps);
	EXPECT_EQ(10, info.policy.pids_max);
	ASSERT_EQ(2, info.policy.n_socket_rules);
	EXPECT_EQ(SOCK_RAW, info.policy.socket_rules[0].type);
	EXPECT_EQ(AF_PACKET, info.policy.socket_rules[1].family);

	ASSERT_BRIG_OK(brig_nl_get(self->nl, box.id, NULL, &info, &err), err);
	EXPECT_STREQ("reg-a", info.name);

	ASSERT_BRIG_OK(brig_nl_unregister(self->nl, 0, "reg-a", &err), err);
	EXPECT_EQ(-1, brig_nl_get(self->nl, box.id, NULL, &info, &err));
	ASSERT_NE(NULL, err);
	EXPECT_EQ(ENOENT, err->errnum);
	EXPECT_NE(NULL, strstr(err->msg, "no such container"));
	brig_error_free(&err);
	EXPECT_EQ(0, brig_box_stop(&box));
}

TEST_F(registry, names_are_unique)
{
	struct brig_error *err = NULL;
	struct brig_box a, b;

	ASSERT_BRIG_OK(brig_box_start(self->nl, &a, "dup", &default_policy,
				      box_getpid, NULL, 0, &err), err);
	EXPECT_EQ(-1, brig_box_start(self->nl, &b, "dup", &default_policy,
				     box_getpid, NULL, 0, &err));
	ASSERT_NE(NULL, err);
	EXPECT_EQ(EEXIST, err->errnum);
	EXPECT_NE(NULL, strstr(err->msg, "a container of that name exists"));
	brig_error_free(&err);
	EXPECT_EQ(0, brig_box_stop(&a));
}

TEST_F(registry, only_the_init_of_a_new_pid_namespace)
{
	struct brig_error *err = NULL;
	struct brig_box box;
	uint32_t id;

	/* The test process lives in the initial pid namespace. */
	EXPECT_EQ(-1, brig_nl_register(self->nl, getpid(), "host",
				       &default_policy, &id, &err));
	ASSERT_NE(NULL, err);
	EXPECT_EQ(EINVAL, err->errnum);
	EXPECT_NE(NULL, strstr(err->msg, "not the init of a new pid namespace"));
	brig_error_free(&err);

	EXPECT_EQ(-1, brig_nl_register(self->nl, 4000000, "nobody",
				       &default_policy, &id, &err));
	ASSERT_NE(NULL, err);
	EXPECT_EQ(ESRCH, err->errnum);
	brig_error_free(&err);

	/* A pid namespace is one container, under one name. */
	ASSERT_BRIG_OK(brig_box_start(self->nl, &box, "once", &default_policy,
				      box_getpid, NULL, 0, &err), err);
	EXPECT_EQ(-1, brig_nl_register(self->nl, box.pid, "twice",
				       &default_policy, &id, &err));
	ASSERT_NE(NULL, err);
	EXPECT_EQ(EEXIST, err->errnum);
	EXPECT_NE(NULL, strstr(err->msg, "already a container"));
	brig_error_free(&err);
	EXPECT_EQ(0, brig_box_stop(&box));
}

TEST_F(registry, entry_goes_away_with_the_container)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	struct brig_box box;
	int i;

	ASSERT_BRIG_OK(brig_box_start(self->nl, &box, "short-lived",
				      &default_policy, box_getpid, NULL, 0,
				      &err), err);
	EXPECT_EQ(0, brig_box_stop(&box));
	for (i = 0; i < 1000; i++) {
		if (brig_nl_get(self->nl, box.id, NULL, &info, &err) < 0)
			break;
		usleep(10000);
	}
	ASSERT_NE(NULL, err) TH_LOG("entry still there after 10 s");
	EXPECT_EQ(ENOENT, err->errnum);
	brig_error_free(&err);
}

struct names {
	int n;
	char seen[4][BRIG_NAME_MAX];
};

static int collect(const struct brig_container_info *info, void *arg)
{
	struct names *names = arg;

	if (names->n < 4)
		snprintf(names->seen[names->n], BRIG_NAME_MAX, "%s", info->name);
	names->n++;
	return 0;
}

TEST_F(registry, dump_lists_every_container_in_id_order)
{
	static const char *const want[] = { "one", "two", "three" };
	struct brig_error *err = NULL;
	struct names names = { 0 };
	struct brig_box box[3];
	int i;

	for (i = 0; i < 3; i++)
		ASSERT_BRIG_OK(brig_box_start(self->nl, &box[i], want[i],
					      &default_policy, box_getpid,
					      NULL, 0, &err), err);
	ASSERT_BRIG_OK(brig_nl_dump(self->nl, collect, &names, &err), err);
	ASSERT_EQ(3, names.n);
	for (i = 0; i < 3; i++)
		EXPECT_STREQ(want[i], names.seen[i]);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, brig_box_stop(&box[i]));
}

static int kernel_log_has(const char *needle)
{
	static char buf[1 << 20];

	return brig_klog_read(buf, sizeof(buf)) >= 0 && strstr(buf, needle) != NULL;
}

TEST_F(registry, rmmod_refused_while_a_container_lives)
{
	struct brig_error *err = NULL;
	struct brig_box box;

	ASSERT_BRIG_OK(brig_box_start(self->nl, &box, "pinned",
				      &default_policy, box_getpid, NULL, 0,
				      &err), err);
	EXPECT_EQ(-EWOULDBLOCK, brig_unload());
	EXPECT_TRUE(brig_loaded());
	EXPECT_TRUE(kernel_log_has("brig: cannot unload while 1 container(s) are registered"));
	/* Still enforcing, still answering. */
	EXPECT_EQ(1, brig_box_do(&box, 'p'));
	EXPECT_EQ(0, brig_box_stop(&box));
	/* The fixture's teardown unloads it once the entry is gone. */
}

TEST_F_TIMEOUT(registry, register_exit_cycles_leave_nothing, 600)
{
	struct brig_error *err = NULL;
	struct brig_box box;
	char name[32];
	int i;

	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "cycle-%d", i);
		ASSERT_BRIG_OK(brig_box_start(self->nl, &box, name,
					      &default_policy, box_getpid,
					      NULL, 0, &err), err);
		ASSERT_EQ(1, brig_box_do(&box, 'p'));
		ASSERT_EQ(0, brig_box_stop(&box));
	}
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
}

TEST_HARNESS_MAIN
