// SPDX-License-Identifier: GPL-2.0
/*
 * brig with the kernel's own LSMs on the same tasks, in a container that
 * launch started (launch.h's world): what either denies is denied, what
 * both allow is allowed, and brig's rules, live updates too, still hold
 * after the task went under the other LSM.
 *
 *   AppArmor  the profile brig-coexist, loaded with apparmor_parser; the
 *             container's command enters it as under runc (sysprobe aa-exec)
 *   Landlock  a ruleset the container's command makes itself (sysprobe landlock)
 *
 * The container's root (/tmp/lt/rootfs), and who refuses what in it:
 *
 *   /co/
 *   ├── both-allow       -            AppArmor: audit deny /co/{aa,both}-deny rw
 *   ├── aa-deny          AppArmor     brig:     deny /co/{brig,both}-deny rw
 *   ├── brig-deny        brig
 *   ├── both-deny        both
 *   ├── go               a FIFO the live-update test's container waits on
 *   ├── ll/              Landlock: read and write files beneath /co/ll only
 *   │   ├── allow        -
 *   │   └── brig-deny    brig         brig:     deny /co/ll/brig-deny rw
 *   └── out/
 *       ├── ll-deny      Landlock
 *       └── both-deny    both         brig:     deny /co/out/both-deny rw
 *
 *   sockets      stream   dgram        brig: deny network inet6
 *   inet         -        -
 *   inet6        brig     brig
 *
 *   chown        AppArmor (EPERM)          AppArmor: audit deny capability chown
 *
 * AppArmor's network rules are not in the matrix: Debian 12's apparmor_parser
 * (3.0.8) knows no network_v8, the socket mediation of Debian's 6.1 and 6.12, and compiles
 * them to nothing there (`audit deny network inet dgram` let the socket be made).
 *
 * Each LSM's file refusal is EACCES. brig's probe refuses before
 * security_file_open() runs, so a file both refuse shows brig's event.
 *
 * AppArmor tests skip where it is not the kernel's major LSM or
 * apparmor_parser is missing; Landlock tests where the kernel has none
 * (the debug kernel).
 */
#include <sys/syscall.h>
#include <linux/landlock.h>

#include "launch.h"

#define PROFILE "brig-coexist"
#define PROFILE_FILE "/tmp/" PROFILE ".aa"
#define PARSER "/sbin/apparmor_parser"
#define CO TOP "/rootfs/co"

#define COEXIST_POL "name box\nrootfs rootfs\n"				\
	"deny /co/brig-deny rw\ndeny /co/both-deny rw\n"			\
	"deny /co/ll/brig-deny rw\ndeny /co/out/both-deny rw\n"		\
	"deny network inet6 stream\ndeny network inet6 dgram\n"

static const char *const files[][2] = {
	{ "coexist.pol", COEXIST_POL },
	/* coexist.pol, and reading /co/both-allow refused. */
	{ "updated.pol", COEXIST_POL "deny /co/both-allow r\n" },
};

/*
 * Everything but what it denies, as Docker's docker-default profile does:
 * signal and ptrace for brigctl stop and /proc from outside, attach_disconnected
 * for paths a pivot_root left outside the namespace's root.
 */
static const char profile[] =
	"profile " PROFILE " flags=(attach_disconnected) {\n"
	"  file,\n  capability,\n  network,\n  signal,\n  ptrace,\n"
	"  audit deny /co/aa-deny rw,\n  audit deny /co/both-deny rw,\n"
	"  audit deny capability chown,\n"
	"}\n";

LAUNCH_FIXTURE(coexist, files)

/* /co as drawn above, owned by the container's root. */
static int coexist_world(void)
{
	return system("mkdir -p " CO "/ll " CO "/out && cd " CO " && "
		      "touch both-allow aa-deny brig-deny both-deny ll/allow ll/brig-deny "
		      "out/ll-deny out/both-deny && mkfifo go && chown -R 100000:100000 .");
}

/* Whether @line holds @what, where each '*' of @what stands for any text. */
static bool line_matches(const char *line, const char *what)
{
	char frag[256];

	while (*what) {
		size_t len = strcspn(what, "*");

		snprintf(frag, sizeof(frag), "%.*s", (int)len, what);
		line = strstr(line, frag);
		if (!line)
			return false;
		line += len;
		what += len + (what[len] == '*');
	}
	return true;
}

/* How many lines of the kernel log hold @what; -1 if it cannot be read. */
static int klog_count(const char *what)
{
	static char log[1 << 20];
	char *line, *save;
	int count = 0;

	if (brig_klog_read(log, sizeof(log)) < 0)
		return -1;
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		count += line_matches(line, what);
	return count;
}

/* Waits up to 5 s for the kernel log to hold more than @before lines of @what. */
static bool klog_grew(const char *what, int before)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (klog_count(what) > before)
			return true;
		usleep(50000);
	}
	return false;
}

static bool apparmor_usable(void)
{
	return !access("/sys/kernel/security/apparmor/profiles", R_OK) && !access(PARSER, X_OK);
}

/* Loads (or replaces) brig-coexist; apparmor_parser's status. */
static int aa_load(char *out, size_t len)
{
	FILE *f = fopen(PROFILE_FILE, "w");

	if (!f)
		return -1;
	fputs(profile, f);
	fclose(f);
	return brig_sh(out, len, PARSER " -r -K " PROFILE_FILE);
}

static void aa_unload(void)
{
	system(PARSER " -R " PROFILE_FILE " >/dev/null 2>&1");
	unlink(PROFILE_FILE);
}

/* One probe's expected line, and who should have logged its refusal. */
struct want {
	const char *probe;	/* sysprobe's argument */
	const char *result;	/* "ok" or the errno name */
	const char *brig_log;	/* in brig's log line, or NULL */
	const char *aa_log;	/* in AppArmor's audit line, or NULL */
};

/* The probes of @wants, as sysprobe's arguments. */
static void probe_args(const struct want *wants, size_t n, char *args, size_t len)
{
	size_t i;

	args[0] = '\0';
	for (i = 0; i < n; i++) {
		strncat(args, " ", len - strlen(args) - 1);
		strncat(args, wants[i].probe, len - strlen(args) - 1);
	}
}

/*
 * Checks that @out has each of @wants' results, and that brig and AppArmor
 * logged what they refused: @brig_before and @aa_before are the counts of
 * their lines before the run.
 */
static void check_wants(struct __test_metadata *const _metadata, const char *out,
			const struct want *wants, size_t n,
			const int *brig_before, const int *aa_before)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char line[160];

		snprintf(line, sizeof(line), "%s: %s\n", wants[i].probe, wants[i].result);
		EXPECT_NE(NULL, strstr(out, line)) TH_LOG("no \"%s\" in:\n%s", wants[i].probe, out);
		if (wants[i].brig_log)
			EXPECT_TRUE(klog_grew(wants[i].brig_log, brig_before[i]))
				TH_LOG("no brig line \"%s\"", wants[i].brig_log);
		if (wants[i].aa_log)
			EXPECT_TRUE(klog_grew(wants[i].aa_log, aa_before[i]))
				TH_LOG("no AppArmor line \"%s\"", wants[i].aa_log);
	}
}

/* The kernel log's counts of @wants' lines now. */
static void count_logs(const struct want *wants, size_t n, int *brig, int *aa)
{
	size_t i;

	for (i = 0; i < n; i++) {
		brig[i] = wants[i].brig_log ? klog_count(wants[i].brig_log) : 0;
		aa[i] = wants[i].aa_log ? klog_count(wants[i].aa_log) : 0;
	}
}

/* A probe that succeeds; one refused by brig, by AppArmor, by Landlock (which logs nothing). */
#define ALLOWED(probe) { probe, "ok", NULL, NULL }
#define BY_BRIG(probe, log) { probe, "EACCES", log, NULL }
#define BY_AA(probe, log) { probe, "EACCES", NULL, log }
#define BY_OTHER(probe) { probe, "EACCES", NULL, NULL }
/* 6.12 adds class="file" after the operation. */
#define AA_FILE(path, mask) "apparmor=\"DENIED\" operation=\"open\" *profile=\"" PROFILE \
	"\" name=\"" path "\" *requested_mask=\"" mask "\""

/*
 * The 2x2 of AppArmor and brig on opening for reading and writing, and on
 * creating sockets, in a container whose command entered the profile as
 * runc makes it do: brig's rules still hold after the change of profile.
 */
TEST_F_TIMEOUT(coexist, apparmor_and_brig_both_hold, 300)
{
	static const struct want wants[] = {
		ALLOWED("read:/co/both-allow"),
		ALLOWED("write:/co/both-allow"),
		BY_AA("read:/co/aa-deny", AA_FILE("/co/aa-deny", "r")),
		BY_AA("write:/co/aa-deny", AA_FILE("/co/aa-deny", "w")),
		BY_BRIG("read:/co/brig-deny", "name=\"/co/brig-deny\" requested=r denied=r"),
		BY_BRIG("write:/co/brig-deny", "name=\"/co/brig-deny\" requested=w denied=w"),
		BY_BRIG("read:/co/both-deny", "name=\"/co/both-deny\" requested=r denied=r"),
		BY_BRIG("write:/co/both-deny", "name=\"/co/both-deny\" requested=w denied=w"),
		ALLOWED("socket:inet:stream"),
		ALLOWED("socket:inet:dgram"),
		BY_BRIG("socket:inet6:stream", "op=socket container=box"),
		BY_BRIG("socket:inet6:dgram", "op=socket container=box"),
		{ "chown:/co/both-allow", "EPERM", NULL,
		  "apparmor=\"DENIED\" operation=\"capable\" *profile=\"" PROFILE "\" *capname=\"chown\"" },
	};
	const size_t n = sizeof(wants) / sizeof(wants[0]);
	int brig_before[n], aa_before[n];
	char args[768];

	if (!apparmor_usable())
		SKIP(return, "AppArmor is not the kernel's major LSM, or no " PARSER);
	ASSERT_EQ(0, coexist_world());
	ASSERT_EQ(0, aa_load(self->out, sizeof(self->out))) TH_LOG("%s", self->out);

	/* The command is in the profile, enforced. */
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/coexist.pol -- sysprobe aa-exec " PROFILE
			" -- cat /proc/self/attr/current")) TH_LOG("%s", self->out);
	EXPECT_STREQ(PROFILE " (enforce)\n", self->out);
	/* Without it, only brig: AppArmor's files open. */
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/coexist.pol -- sysprobe read:/co/aa-deny "
			"chown:/co/aa-deny read:/co/brig-deny"));
	EXPECT_STREQ("read:/co/aa-deny: ok\nchown:/co/aa-deny: ok\nread:/co/brig-deny: EACCES\n",
		     self->out);

	count_logs(wants, n, brig_before, aa_before);
	probe_args(wants, n, args, sizeof(args));
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/coexist.pol -- sysprobe aa-exec " PROFILE
			" -- sysprobe%s", args)) TH_LOG("%s", self->out);
	check_wants(_metadata, self->out, wants, n, brig_before, aa_before);
	/* brig refused both-deny before AppArmor was asked. */
	EXPECT_EQ(0, klog_count(AA_FILE("/co/both-deny", "*")));
	aa_unload();
}

/*
 * A live update reaches a task inside the profile, and AppArmor's refusals
 * stay: the container's command enters the profile, waits on /co/go while
 * brigctl replaces its policy, then probes.
 */
TEST_F_TIMEOUT(coexist, brig_update_holds_under_apparmor, 300)
{
	char result[256] = "";
	FILE *f;
	size_t got;

	if (!apparmor_usable())
		SKIP(return, "AppArmor is not the kernel's major LSM, or no " PARSER);
	ASSERT_EQ(0, coexist_world());
	ASSERT_EQ(0, aa_load(self->out, sizeof(self->out))) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy " TOP "/coexist.pol -- sysprobe aa-exec " PROFILE
			" -- sh -c 'read x < /co/go; sysprobe read:/co/both-allow write:/co/both-allow "
			"read:/co/aa-deny read:/co/brig-deny > /co/result'")) TH_LOG("%s", self->out);
	ASSERT_LT(0, wait_running(self->nl, "box"));
	ASSERT_EQ(0, sh(self, BRIGCTL " update box --policy " TOP "/updated.pol"))
		TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, "echo go > " CO "/go"));
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	f = fopen(CO "/result", "r");
	ASSERT_NE(NULL, f);
	got = fread(result, 1, sizeof(result) - 1, f);
	result[got] = '\0';
	fclose(f);
	EXPECT_STREQ("read:/co/both-allow: EACCES\nwrite:/co/both-allow: ok\n"
		     "read:/co/aa-deny: EACCES\nread:/co/brig-deny: EACCES\n", result);
	aa_unload();
}

static bool landlock_present(void)
{
	int abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return abi >= 1;
}

/* The 2x2 of a Landlock ruleset the container's command made and brig's rules. */
TEST_F_TIMEOUT(coexist, landlock_and_brig_both_hold, 300)
{
	static const struct want wants[] = {
		ALLOWED("read:/co/ll/allow"),
		ALLOWED("write:/co/ll/allow"),
		BY_OTHER("read:/co/out/ll-deny"),
		BY_OTHER("write:/co/out/ll-deny"),
		BY_BRIG("read:/co/ll/brig-deny", "name=\"/co/ll/brig-deny\" requested=r denied=r"),
		BY_BRIG("write:/co/ll/brig-deny", "name=\"/co/ll/brig-deny\" requested=w denied=w"),
		BY_BRIG("read:/co/out/both-deny", "name=\"/co/out/both-deny\" requested=r denied=r"),
		BY_BRIG("write:/co/out/both-deny", "name=\"/co/out/both-deny\" requested=w denied=w"),
	};
	const size_t n = sizeof(wants) / sizeof(wants[0]);
	int brig_before[n], aa_before[n];
	char args[768];

	if (!landlock_present())
		SKIP(return, "the kernel has no Landlock");
	ASSERT_EQ(0, coexist_world());
	count_logs(wants, n, brig_before, aa_before);
	probe_args(wants, n, args, sizeof(args));
	ASSERT_EQ(0, sh(self, LAUNCH " --policy " TOP "/coexist.pol -- sysprobe landlock /co/ll%s", args))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, strncmp(self->out, "landlock: ok\n", 13)) TH_LOG("%s", self->out);
	check_wants(_metadata, self->out, wants, n, brig_before, aa_before);
	/* Landlock refused ll-deny alone: brig logged nothing for it. */
	EXPECT_EQ(0, klog_count("name=\"/co/out/ll-deny\""));
}

TEST_HARNESS_MAIN
