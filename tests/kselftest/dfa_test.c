// SPDX-License-Identifier: GPL-2.0
/*
 * The file rule DFA at the ABI: a DFA compiled by libbrig is accepted (in
 * chunks when it is larger than one attribute), and every malformed one is
 * refused with a reason before the module uses it, changing nothing.
 *
 *   test process --SET_POLICY(DFA)--> brig.ko --> container "witness"
 */
#include "common.h"
#include "lib/dfa.h"

FIXTURE(dfa) {
	struct brig_nl *nl;
	struct brig_box box;
	void *blob;
	size_t len;
	uint32_t states;
};

/* The rules of tests/kselftest/nginx.pol. */
static const struct brig_file_rule nginx_rules[] = {
	{ "/bin/**", BRIG_PERM_WRITE | BRIG_PERM_APPEND | BRIG_PERM_LINK, 0 },
	{ "/root/**", BRIG_PERM_WRITE | BRIG_PERM_APPEND | BRIG_PERM_LINK, 0 },
	{ "/bin/sh", BRIG_PERM_ALL, 0 },
	{ "/bin/dash", BRIG_PERM_ALL, 0 },
	{ "/usr/bin/top", BRIG_PERM_ALL, 0 },
	{ "/**", 0, BRIG_PERM_WRITE | BRIG_PERM_APPEND },
};

FIXTURE_SETUP(dfa)
{
	struct brig_policy_spec policy = { .caps = DOCKER_DEFAULT_CAPS };
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;

	ASSERT_BRIG_OK(brig_dfa_compile(nginx_rules, 6, &dfa, &err), err);
	ASSERT_BRIG_OK(brig_dfa_serialize(dfa, &self->blob, &self->len, &err), err);
	self->states = dfa->n_states;
	brig_dfa_free(dfa);
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_BRIG_OK(brig_box_start(self->nl, &self->box, "witness", &policy,
				      brig_box_idle, NULL, 0, &err), err);
}

FIXTURE_TEARDOWN(dfa)
{
	free(self->blob);
	EXPECT_EQ(0, brig_box_stop(&self->box));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

/* Sets the witness's policy to the default caps and @blob as file rules. */
static int set_dfa(FIXTURE_DATA(dfa) *self, const void *blob, size_t len,
		   char *why, size_t why_len)
{
	struct brig_policy_spec policy = {
		.caps = DOCKER_DEFAULT_CAPS, .dfa = blob, .dfa_len = len,
	};
	struct brig_error *err = NULL;
	int ret = 0;

	if (brig_nl_set_policy(self->nl, self->box.id, NULL, &policy, &err) < 0) {
		ret = -err->errnum;
		snprintf(why, why_len, "%s", err->msg);
		brig_error_free(&err);
	}
	return ret;
}

TEST_F(dfa, a_compiled_dfa_is_accepted)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	char why[256];

	ASSERT_EQ(0, set_dfa(self, self->blob, self->len, why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	EXPECT_EQ(self->states, info.policy.dfa_states);
	EXPECT_EQ(self->len, info.policy.dfa_bytes);
}

TEST_F_TIMEOUT(dfa, ten_thousand_rules_travel_in_chunks, 600)
{
	static char globs[10000][48];
	static struct brig_file_rule rules[10000];
	struct brig_container_info info;
	struct brig_error *err = NULL;
	struct brig_dfa *dfa;
	size_t len;
	void *blob;
	char why[256];
	int i;

	for (i = 0; i < 10000; i++) {
		snprintf(globs[i], sizeof(globs[i]), "/srv/%08x/**",
			 (unsigned int)i * 2654435761U);
		rules[i] = (struct brig_file_rule){ globs[i], BRIG_PERM_WRITE, 0 };
	}
	ASSERT_BRIG_OK(brig_dfa_compile(rules, 10000, &dfa, &err), err);
	ASSERT_BRIG_OK(brig_dfa_serialize(dfa, &blob, &len, &err), err);
	ASSERT_LT(BRIG_DFA_CHUNK_MAX, len);
	EXPECT_EQ(0, set_dfa(self, blob, len, why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	EXPECT_EQ(dfa->n_states, info.policy.dfa_states);
	EXPECT_EQ(len, info.policy.dfa_bytes);
	brig_dfa_free(dfa);
	free(blob);
}

/* Offsets into a blob, from uapi/brig.h's layout. */
#define HDR sizeof(struct brig_dfa_header)
#define CLASSES HDR
#define ACCEPT (HDR + 256)

static void put32(void *blob, size_t at, uint32_t v)
{
	memcpy((char *)blob + at, &v, sizeof(v));
}

/* The corpus: each a way to break a valid blob, and the reason expected. */
static const struct {
	const char *what;
	long delta;		/* change of length */
	const char *reason;
} corpus[] = {
	{ "bad magic", 0, "bad magic" },
	{ "version 2", 0, "unsupported version" },
	{ "reserved field", 0, "reserved" },
	{ "no classes", 0, "input classes out of range" },
	{ "300 classes", 0, "input classes out of range" },
	{ "one state", 0, "state count out of range" },
	{ "too many states", 0, "state count out of range" },
	{ "states beyond the blob", 0, "size does not match" },
	{ "truncated", -4, "size does not match" },
	{ "trailing bytes", 4, "size does not match" },
	{ "header only", -(long)(ACCEPT - 8), "size" },
	{ "class out of range", 0, "byte class out of range" },
	{ "unknown permission", 0, "unknown permission" },
	{ "unknown audit permission", 0, "unknown permission" },
	{ "transition out of range", 0, "transition to a state out of range" },
	{ "transition far out", 0, "transition to a state out of range" },
	{ "accepting dead state", 0, "dead state accepts" },
	{ "dead state with a way out", 0, "dead state has a way out" },
};

static void mutate(char *b, size_t i, const struct brig_dfa_header *hdr)
{
	size_t next = ACCEPT + 4 * hdr->n_states, row1 = next + 4 * hdr->n_classes;

	switch (i) {
	case 0: put32(b, 0, 0x12345678); break;
	case 1: b[4] = 2; break;
	case 2: put32(b, 12, 1); break;
	case 3: b[6] = 0; b[7] = 0; break;
	case 4: b[6] = 300 & 0xff; b[7] = 300 >> 8; break;
	case 5: put32(b, 8, 1); break;
	case 6: put32(b, 8, BRIG_DFA_STATES_MAX + 1); break;
	case 7: put32(b, 8, hdr->n_states + 1); break;
	case 11: b[CLASSES + 'a'] = hdr->n_classes; break;
	case 12: put32(b, ACCEPT + 4, 1U << 7); break;
	case 13: put32(b, ACCEPT + 4, 1U << 23); break;
	case 14: put32(b, row1, hdr->n_states); break;
	case 15: put32(b, row1 + 4, 0xffffffff); break;
	case 16: put32(b, ACCEPT, BRIG_PERM_READ); break;
	case 17: put32(b, next, 1); break;
	}
}

TEST_F(dfa, malformed_dfas_are_refused)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	struct brig_dfa_header hdr;
	char why[256], *b;
	size_t i;

	memcpy(&hdr, self->blob, sizeof(hdr));
	b = malloc(self->len + 16);
	ASSERT_NE(NULL, b);
	for (i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
		size_t len = self->len + corpus[i].delta;

		memset(b, 0, self->len + 16);
		memcpy(b, self->blob, self->len);
		mutate(b, i, &hdr);
		why[0] = '\0';
		EXPECT_EQ(-EINVAL, set_dfa(self, b, len, why, sizeof(why)))
			TH_LOG("%s: accepted", corpus[i].what);
		EXPECT_NE(NULL, strstr(why, corpus[i].reason))
			TH_LOG("%s: \"%s\" lacks \"%s\"", corpus[i].what, why,
			       corpus[i].reason);
	}
	free(b);
	/* Nothing changed: the witness still has no file rules. */
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
	EXPECT_EQ(0, info.policy.dfa_states);
}

TEST_F(dfa, random_corruption_never_hurts)
{
	struct brig_container_info info;
	uint32_t version;
	struct brig_error *err = NULL;
	uint64_t echo;
	char why[256], *b;
	int i, accepted = 0;

	b = malloc(self->len);
	ASSERT_NE(NULL, b);
	srand(42);
	for (i = 0; i < 500; i++) {
		int flips = 1 + rand() % 4, f, ret;

		memcpy(b, self->blob, self->len);
		for (f = 0; f < flips; f++)
			b[rand() % self->len] ^= 1 << (rand() % 8);
		ret = set_dfa(self, b, self->len, why, sizeof(why));
		ASSERT_TRUE(ret == 0 || ret == -EINVAL) TH_LOG("%d: %s", ret, why);
		accepted += ret == 0;
	}
	free(b);
	TH_LOG("%d of 500 corrupted DFAs were still well-formed", accepted);
	/* Still answering, still registered. */
	ASSERT_BRIG_OK(brig_nl_ping(self->nl, 7, &version, &echo, &err), err);
	ASSERT_BRIG_OK(brig_nl_get(self->nl, self->box.id, NULL, &info, &err), err);
}

TEST_HARNESS_MAIN
