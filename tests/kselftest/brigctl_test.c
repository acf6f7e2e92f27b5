// SPDX-License-Identifier: GPL-2.0
/*
 * brigctl against a running container: ps, inspect (JSON), update, events
 * (JSON lines) and stop, run as a user would run them (/usr/bin/brigctl).
 *
 *   test process --runs--> brigctl --netlink--> brig.ko <-- box "web"
 */
#include <json-c/json.h>
#include <netinet/in.h>
#include <stdio.h>

#include "common.h"

#define BRIGCTL "/usr/bin/brigctl"

static int box_actions(int cmd, void *arg)
{
	int fd;

	(void)arg;
	if (cmd != 's')
		return -EINVAL;
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

FIXTURE(brigctl) {
	struct brig_nl *nl;
	struct brig_box box;
	bool stopped;
	char out[8192];
};

FIXTURE_SETUP(brigctl)
{
	struct brig_policy_spec policy = {
		.caps = DOCKER_DEFAULT_CAPS, .pids_max = 9,
		.n_socket_rules = 1, .socket_rules = { { 0, SOCK_RAW } },
	};
	struct brig_error *err = NULL;

	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_BRIG_OK(brig_box_start(self->nl, &self->box, "web", &policy,
				      box_actions, NULL, 0, &err), err);
}

FIXTURE_TEARDOWN(brigctl)
{
	if (!self->stopped)
		EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

#define sh(self, ...) brig_sh((self)->out, sizeof((self)->out), __VA_ARGS__)

TEST_F(brigctl, ps_lists_the_container)
{
	char row[128];

	ASSERT_EQ(0, sh(self, BRIGCTL " ps"));
	EXPECT_NE(NULL, strstr(self->out, "NAME")) TH_LOG("%s", self->out);
	snprintf(row, sizeof(row), "%-6u %-24s %-9d %-6u %-9s", self->box.id, "web",
		 self->box.pid, 1, "enforce");
	EXPECT_NE(NULL, strstr(self->out, row)) TH_LOG("no \"%s\" in:\n%s", row, self->out);
}

TEST_F(brigctl, inspect_prints_json)
{
	json_object *o, *v, *caps;

	ASSERT_EQ(0, sh(self, BRIGCTL " inspect %u", self->box.id));
	o = json_tokener_parse(self->out);
	ASSERT_NE(NULL, o) TH_LOG("not JSON:\n%s", self->out);
	ASSERT_TRUE(json_object_object_get_ex(o, "Name", &v));
	EXPECT_STREQ("web", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "InitPid", &v));
	EXPECT_EQ(self->box.pid, json_object_get_int(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "Policy", &v));
	ASSERT_TRUE(json_object_object_get_ex(v, "Capabilities", &caps));
	EXPECT_EQ(14, json_object_array_length(caps));
	ASSERT_TRUE(json_object_object_get_ex(v, "PidsMax", &v));
	EXPECT_EQ(9, json_object_get_int(v));
	/* Counters of the module: misses by hook (only those that missed). */
	ASSERT_TRUE(json_object_object_get_ex(o, "HookMisses", &v));
	ASSERT_TRUE(json_object_object_get_ex(o, "HookMissesByHook", &v));
	EXPECT_TRUE(json_object_is_type(v, json_type_object));
	ASSERT_TRUE(json_object_object_get_ex(o, "EventsLost", &v));
	EXPECT_EQ(0, json_object_get_int64(v));
	json_object_put(o);
	EXPECT_EQ(125, sh(self, BRIGCTL " inspect nosuch"));
	EXPECT_NE(NULL, strstr(self->out, "no such container")) TH_LOG("%s", self->out);
}

/*
 * GET has one HOOK per probed kernel function, with its misses; their sum is
 * HOOK_MISSES. (A miss cannot be provoked from user space: only the shape
 * and the sum are checked.)
 */
TEST_F(brigctl, get_reports_misses_per_hook)
{
	static const char *const must[] = {
		"security_capable", "security_socket_create",
		"security_task_alloc", "security_task_free", "cgroup_release",
		"security_file_open",
	};
	static struct brig_container_info info;
	struct brig_error *err = NULL;
	uint64_t sum = 0;
	size_t i, j;

	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	EXPECT_LE(20, info.n_hooks);
	for (i = 0; i < info.n_hooks; i++) {
		sum += info.hooks[i].misses;
		EXPECT_NE(0, info.hooks[i].name[0]);
		for (j = 0; j < i; j++)
			EXPECT_STRNE(info.hooks[j].name, info.hooks[i].name);
	}
	EXPECT_EQ(info.hook_misses, sum);
	for (j = 0; j < sizeof(must) / sizeof(must[0]); j++) {
		for (i = 0; i < info.n_hooks; i++) {
			if (!strcmp(info.hooks[i].name, must[j]))
				break;
		}
		EXPECT_GT(info.n_hooks, i) TH_LOG("no hook %s", must[j]);
	}
}

/* A dump entry holds every HOOK too: each skb has room for one. */
static int dump_hooks(const struct brig_container_info *info, void *arg)
{
	*(size_t *)arg = info->n_hooks;
	return 0;
}

TEST_F(brigctl, dump_reports_misses_per_hook)
{
	struct brig_error *err = NULL;
	size_t n = 0;

	ASSERT_BRIG_OK(brig_nl_dump(self->nl, dump_hooks, &n, &err), err);
	EXPECT_LE(20, n);
}

TEST_F(brigctl, update_replaces_the_policy)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	FILE *f = fopen("/tmp/update.pol", "w");

	ASSERT_NE(NULL, f);
	fputs("caps drop ALL\ncaps add SYS_ADMIN\npids max 5\n", f);
	fclose(f);
	EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
	ASSERT_EQ(0, sh(self, BRIGCTL " update web --policy /tmp/update.pol"))
		TH_LOG("%s", self->out);
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	EXPECT_EQ(CAP_BIT(CAP_SYS_ADMIN), info.policy.caps);
	EXPECT_EQ(5, info.policy.pids_max);
	/* No network rule any more; CAP_NET_RAW is gone from the mask instead. */
	EXPECT_EQ(-EPERM, brig_box_do(&self->box, 's'));
	EXPECT_EQ(125, sh(self, BRIGCTL " update web --policy /nonexistent.pol"));
}

TEST_F_TIMEOUT(brigctl, events_follow_denials_as_json_lines, 120)
{
	json_object *o, *v;
	char line[1024];
	int fds[2], i;
	FILE *in;
	pid_t pid;

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execl(BRIGCTL, "brigctl", "events", "--json", "web", NULL);
		_exit(127);
	}
	close(fds[1]);
	/* brigctl joins the group at its own pace: deny until it reports one. */
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(-EACCES, brig_box_do(&self->box, 's'));
		if (brig_readable(fds[0], 500))
			break;
	}
	in = fdopen(fds[0], "r");
	ASSERT_NE(NULL, fgets(line, sizeof(line), in));
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	fclose(in);
	o = json_tokener_parse(line);
	ASSERT_NE(NULL, o) TH_LOG("not JSON: %s", line);
	ASSERT_TRUE(json_object_object_get_ex(o, "Verdict", &v));
	EXPECT_STREQ("DENIED", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "Op", &v));
	EXPECT_STREQ("socket", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "Type", &v));
	EXPECT_STREQ("raw", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "Container", &v));
	EXPECT_STREQ("web", json_object_get_string(v));
	json_object_put(o);
}

TEST_F(brigctl, stop_terms_then_kills)
{
	int status;

	/* The box's init has no TERM handler: a pid 1 ignores it, so KILL ends it. */
	ASSERT_EQ(0, sh(self, BRIGCTL " stop web -t 1")) TH_LOG("%s", self->out);
	ASSERT_EQ(self->box.pid, waitpid(self->box.pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	close(self->box.cmd_fd);
	close(self->box.res_fd);
	self->stopped = true;
	EXPECT_EQ(125, sh(self, BRIGCTL " stop web"));
	EXPECT_NE(NULL, strstr(self->out, "no such container")) TH_LOG("%s", self->out);
}

TEST_HARNESS_MAIN
