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

TEST_HARNESS_MAIN
