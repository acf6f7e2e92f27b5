// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading brig.ko leaves nothing behind: no module, no family,
 * and a fresh load works again. (Leaks are caught by the debug kernel's
 * kmemleak scan after the run.)
 */
#include "common.h"

static int family_resolves(void)
{
	struct brig_error *err = NULL;
	struct brig_nl *nl = NULL;

	if (brig_nl_open(&nl, &err) < 0) {
		brig_error_free(&err);
		return 0;
	}
	brig_nl_close(nl);
	return 1;
}

TEST(load_unload_three_times)
{
	int i;

	ASSERT_FALSE(brig_loaded());
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, brig_load()) TH_LOG("load %d", i + 1);
		ASSERT_TRUE(brig_loaded());
		EXPECT_TRUE(family_resolves());
		ASSERT_EQ(0, brig_unload()) TH_LOG("unload %d", i + 1);
		EXPECT_FALSE(brig_loaded());
		EXPECT_FALSE(family_resolves());
	}
}

TEST(double_load_is_refused)
{
	ASSERT_EQ(0, brig_load());
	EXPECT_EQ(-EEXIST, brig_load());
	ASSERT_EQ(0, brig_unload());
	EXPECT_EQ(-ENOENT, brig_unload());
}

/* Writes @v to kernel.ftrace_enabled: 0 or -errno. */
static int set_ftrace_enabled(const char *v)
{
	int fd = open("/proc/sys/kernel/ftrace_enabled", O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, v, strlen(v)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int ftrace_enabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/ftrace_enabled", "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/*
 * Every check rides on ftrace: turning it off with the sysctl would stop
 * them all at once. While brig.ko is loaded the sysctl refuses (EBUSY).
 */
TEST(ftrace_cannot_be_turned_off_under_it)
{
	ASSERT_EQ(1, ftrace_enabled());
	ASSERT_EQ(0, brig_load());
	EXPECT_EQ(-EBUSY, set_ftrace_enabled("0\n"));
	EXPECT_EQ(1, ftrace_enabled());
	ASSERT_EQ(0, brig_unload());
	/* Without it the sysctl is the kernel's again. */
	EXPECT_EQ(0, set_ftrace_enabled("0\n"));
	EXPECT_EQ(0, ftrace_enabled());
	/* And a load while it is off is refused: its probes could not run. */
	EXPECT_NE(0, brig_load());
	EXPECT_FALSE(brig_loaded());
	EXPECT_EQ(0, set_ftrace_enabled("1\n"));
	EXPECT_EQ(1, ftrace_enabled());
}

TEST_HARNESS_MAIN
