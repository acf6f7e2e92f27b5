// SPDX-License-Identifier: GPL-2.0
/*
 * The "brig" generic netlink family: it resolves while the module is loaded,
 * answers PING with its ABI version and the caller's cookie, and is gone
 * once the module is.
 */
#include "common.h"

FIXTURE(family) {
	struct brig_nl *nl;
};

FIXTURE_SETUP(family)
{
	ASSERT_FALSE(brig_loaded()) TH_LOG("brig.ko already loaded");
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
}

FIXTURE_TEARDOWN(family)
{
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

TEST_F(family, resolves)
{
	EXPECT_LT(0, brig_nl_family(self->nl));
}

TEST_F(family, ping_round_trips)
{
	static const uint64_t cookies[] = { 0, 1, 0xdeadbeefcafef00dULL, UINT64_MAX };
	struct brig_error *err = NULL;
	uint32_t version;
	uint64_t echo;
	size_t i;

	for (i = 0; i < sizeof(cookies) / sizeof(cookies[0]); i++) {
		version = 0;
		echo = ~cookies[i];
		ASSERT_EQ(0, brig_nl_ping(self->nl, cookies[i], &version, &echo, &err))
			TH_LOG("ping: %s", err ? err->msg : "?");
		EXPECT_EQ(BRIG_GENL_VERSION, version);
		EXPECT_EQ(cookies[i], echo);
	}
}

TEST(family_gone_without_module)
{
	struct brig_error *err = NULL;
	struct brig_nl *nl = NULL;

	ASSERT_FALSE(brig_loaded());
	ASSERT_EQ(-1, brig_nl_open(&nl, &err));
	ASSERT_NE(NULL, err);
	/* The tools tell users what to do, not just ENOENT. */
	EXPECT_NE(NULL, strstr(err->msg, "not loaded"));
	EXPECT_NE(NULL, strstr(err->msg, "modprobe brig"));
	brig_error_free(&err);
}

TEST_HARNESS_MAIN
