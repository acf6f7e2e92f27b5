// SPDX-License-Identifier: GPL-2.0
/*
 * The seed's section 8 in the VM, on the nginx root filesystem (scripts/vm
 * --disk nginx), as a user runs it:
 *
 * - brigctl events --rules examples/detect.rules, beside a container under
 *   examples/detect.pol: each rule fires on the event it is written for
 *   and on no other, and its JSON alert is Falco's, field by field; a
 *   rule's action stops a container, or switches one to enforce.
 * - brigctl audit: a deliberately weak container and one of
 *   examples/nginx.pol, each warned of exactly what it fails.
 */
#include <json-c/json.h>

#include "launch.h"

#define ROOT "/srv/nginx"
#define PROBE "/usr/local/bin/sysprobe"
#define ALERTS "/tmp/detect-alerts"
#define EXEC LAUNCH " exec detect -- "

#define NEED_NGINX() do {							\
		if (access(ROOT "/usr/bin/dash", X_OK))				\
			SKIP(return, "no nginx root filesystem at " ROOT " (scripts/vm --disk nginx)"); \
	} while (0)

/* The alerts in ALERTS, from line @from on: each one's rule, "|"-separated, into @out. */
static int rules_from(int from, char *out, size_t len, json_object **last)
{
	char line[16384];
	int n = 0;
	size_t used = 0;
	FILE *f = fopen(ALERTS, "r");

	out[0] = '\0';
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		json_object *o, *rule;

		if (n++ < from)
			continue;
		o = json_tokener_parse(line);
		if (o && json_object_object_get_ex(o, "rule", &rule))
			used += (size_t)snprintf(out + used, len - used, "%s%s", used ? "|" : "",
						 json_object_get_string(rule));
		else
			used += (size_t)snprintf(out + used, len - used, "%snot JSON: %s",
						 used ? "|" : "", line);
		if (last) {
			json_object_put(*last);
			*last = o;
		} else {
			json_object_put(o);
		}
	}
	fclose(f);
	return n;
}

static int count_alerts(void)
{
	char rules[4096];

	return rules_from(0, rules, sizeof(rules), NULL);
}

/* Waits up to 20 s until ALERTS has more than @n lines; how many it has. */
static int wait_alerts(int n)
{
	int now = count_alerts();

	for (int i = 0; i < 200 && now <= n; i++) {
		usleep(100000);
		now = count_alerts();
	}
	return now;
}

/*
 * `brigctl events --rules RULES --json` into ALERTS (its errors into
 * ALERTS.err), in the background; the file starts empty before it does.
 */
static pid_t follow(const char *rules)
{
	pid_t pid;

	unlink(ALERTS);
	close(open(ALERTS, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	pid = fork();
	if (pid == 0) {
		int fd = open(ALERTS, O_WRONLY | O_APPEND), err = open(ALERTS ".err",
			O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(err, 2);
		execl(BRIGCTL, "brigctl", "events", "--rules", rules, "--json", NULL);
		_exit(127);
	}
	return pid;
}

FIXTURE(detect) {
	struct brig_nl *nl;
	pid_t events;
	char out[16384];
};

/*
 * The root's files the rules read (a shadow file, which Debian's nginx root
 * lacks) and the policies: examples/detect.pol, and it without CHOWN, which
 * the container's processes keep from their start (brigctl update lowers
 * brig.ko's mask alone): the way a capability comes to be refused.
 */
FIXTURE_SETUP(detect)
{
	NEED_NGINX();
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_EQ(0, sh(self, "mkdir -p " ROOT "/usr/local/bin && cp /tests/sysprobe " ROOT PROBE
			" && echo 'root:*:19000:0:99999:7:::' > " ROOT "/etc/shadow && "
			"touch " ROOT "/tmp/owned && chown 100000:100000 " ROOT "/tmp/owned && "
			"{ cat /examples/detect.pol; echo 'caps drop CHOWN'; } > /tmp/nochown.pol && "
			"{ grep -v '^name' /examples/detect.pol; printf 'name watched\\nmode complain\\n'; }"
			" > /tmp/watched.pol && "
			"{ cat /tmp/watched.pol; echo 'caps drop CHOWN'; } > /tmp/watched-nochown.pol"))
		TH_LOG("%s", self->out);
}

FIXTURE_TEARDOWN(detect)
{
	if (!self->nl)
		return;
	if (self->events > 0) {
		kill(self->events, SIGTERM);
		waitpid(self->events, NULL, 0);
	}
	system(BRIGCTL " rm -f detect watched >/dev/null 2>&1");
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

/* brigctl joins the events group at its own pace: a shell until it says so. */
static bool ready(FIXTURE_DATA(detect) *self, const char *container)
{
	for (int i = 0; i < 150 && !count_alerts(); i++) {
		sh(self, LAUNCH " exec %s -- /usr/bin/dash -c true", container);
		usleep(200000);
	}
	return count_alerts() > 0;
}

/* The container `detect` and its alerts followed by @rules; in a test's body, so teardown runs. */
#define START(self, rules) do {									ASSERT_EQ(0, sh(self, LAUNCH " -d --policy /examples/detect.pol --rootfs " ROOT \
				" -- sleep 1000")) TH_LOG("%s", (self)->out);			ASSERT_LT(0, wait_running((self)->nl, "detect"));				(self)->events = follow(rules);							ASSERT_LT(0, (self)->events);							ASSERT_TRUE(ready(self, "detect")) {							sh(self, "cat " ALERTS ".err");							TH_LOG("brigctl events --rules printed nothing: %s", (self)->out); \
		}								\
	} while (0)

/* "B|A" as "A|B": two names in order (one, or three, stay as they are). */
static void sort_pair(char *names)
{
	char *bar = strchr(names, '|'), copy[4096];
	size_t first, second;

	if (!bar || strchr(bar + 1, '|') || strcmp(bar + 1, names) >= 0)
		return;
	first = (size_t)(bar - names);
	second = strlen(bar + 1);
	if (first + second + 2 > sizeof(copy))
		return;
	memcpy(copy, bar + 1, second);
	copy[second] = '|';
	memcpy(copy + second + 1, names, first);
	memcpy(names, copy, first + second + 1);
}

/*
 * Each step runs one command in the container, then a shell as a marker:
 * the alerts since the step began must be exactly the step's rule (or
 * none) and the marker's. Events are queued per CPU, so their order is
 * not taken for granted: the two are compared sorted.
 */
TEST_F_TIMEOUT(detect, each_rule_fires_on_its_event_and_on_no_other, 600)
{
	static const struct {
		const char *cmd, *fires;
	} steps[] = {
		{ "/usr/bin/bash -c true", "Shell spawned in container" },
		{ PROBE " write:/usr/bin/yes", "Write below binary dir" },
		{ PROBE " read:/etc/shadow", "Read sensitive file untrusted" },
		{ PROBE " socket:packet:raw", "Packet socket created in container" },
		{ PROBE " chown:/tmp/owned", "Capability denied in container" },
		{ PROBE " fork:30", "Task ceiling hit in container" },
		{ "/usr/bin/true", "" },
		{ PROBE " read:/etc/passwd write:/etc/hostname socket:inet:dgram", "" },
		{ PROBE " read:/usr/bin/yes", "" },
	};
	static const char marker[] = "Shell spawned in container";
	char rules[4096], want[256];

	START(self, "/examples/detect.rules");
	/* CHOWN out of brig.ko's mask, still in the processes' sets: `chown` is refused. */
	ASSERT_EQ(0, sh(self, BRIGCTL " update detect --policy /tmp/nochown.pol"))
		TH_LOG("%s", self->out);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int before = count_alerts(), expected = steps[i].fires[0] ? 2 : 1;

		sh(self, EXEC "%s", steps[i].cmd);
		sh(self, EXEC "/usr/bin/dash -c true");
		wait_alerts(before + expected - 1);
		/* What a late one would add. */
		usleep(500000);
		rules_from(before, rules, sizeof(rules), NULL);
		if (!steps[i].fires[0])
			snprintf(want, sizeof(want), "%s", marker);
		else if (strcmp(steps[i].fires, marker) < 0)
			snprintf(want, sizeof(want), "%s|%s", steps[i].fires, marker);
		else
			snprintf(want, sizeof(want), "%s|%s", marker, steps[i].fires);
		sort_pair(rules);
		EXPECT_STREQ(want, rules) {
			sh(self, "tail -n 3 " ALERTS);
			TH_LOG("after `%s`: %s", steps[i].cmd, self->out);
		}
	}
}

/* A live alert, field by field: Falco's keys, brig's event's values. */
TEST_F_TIMEOUT(detect, a_live_alert_is_falcos, 300)
{
	json_object *o = NULL, *v, *fields;
	char rules[4096], host[256] = "";
	const char *time;
	int before;

	START(self, "/examples/detect.rules");
	before = count_alerts();
	gethostname(host, sizeof(host) - 1);
	sh(self, EXEC PROBE " socket:packet:raw");
	ASSERT_LT(before, wait_alerts(before));
	rules_from(before, rules, sizeof(rules), &o);
	ASSERT_NE(NULL, o) TH_LOG("%s", rules);
	EXPECT_EQ(8, json_object_object_length(o));
	ASSERT_TRUE(json_object_object_get_ex(o, "rule", &v));
	EXPECT_STREQ("Packet socket created in container", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "priority", &v));
	EXPECT_STREQ("Notice", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "source", &v));
	EXPECT_STREQ("syscall", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "hostname", &v));
	EXPECT_STREQ(host, json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "time", &v));
	time = json_object_get_string(v);
	EXPECT_EQ(30, strlen(time)) TH_LOG("%s", time);
	EXPECT_EQ('T', time[10]);
	EXPECT_EQ('Z', time[29]);
	ASSERT_TRUE(json_object_object_get_ex(o, "tags", &v));
	EXPECT_EQ(5, json_object_array_length(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "output", &v));
	EXPECT_NE(NULL, strstr(json_object_get_string(v), ": Notice Packet socket was created in a "
			       "container (proc=sysprobe pid=")) TH_LOG("%s", json_object_get_string(v));
	EXPECT_NE(NULL, strstr(json_object_get_string(v), "socket_info=AF_PACKET/SOCK_RAW "
			       "container_id=detect verdict=DENIED)"));
	ASSERT_TRUE(json_object_object_get_ex(o, "output_fields", &fields));
	ASSERT_TRUE(json_object_object_get_ex(fields, "evt.arg.domain", &v));
	EXPECT_STREQ("AF_PACKET", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(fields, "proc.name", &v));
	EXPECT_STREQ("sysprobe", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(fields, "proc.pid", &v));
	EXPECT_TRUE(json_object_is_type(v, json_type_int));
	EXPECT_LT(0, json_object_get_int64(v));
	ASSERT_TRUE(json_object_object_get_ex(fields, "container.id", &v));
	EXPECT_STREQ("detect", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(fields, "evt.time", &v));
	EXPECT_TRUE(json_object_is_type(v, json_type_int));
	json_object_put(o);
}

/* brigctl events --falco: every event an alert of brig's own rules, all its fields with it. */
TEST_F_TIMEOUT(detect, every_event_as_a_falco_alert, 300)
{
	json_object *o = NULL, *v, *fields;
	char line[16384] = "";
	pid_t pid;
	FILE *f;
	int i;

	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy /examples/detect.pol --rootfs " ROOT
			" -- sleep 1000")) TH_LOG("%s", self->out);
	ASSERT_LT(0, wait_running(self->nl, "detect"));
	unlink("/tmp/falco-events");
	pid = fork();
	if (pid == 0) {
		int fd = open("/tmp/falco-events", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		execl(BRIGCTL, "brigctl", "events", "--falco", "detect", NULL);
		_exit(127);
	}
	ASSERT_LT(0, pid);
	self->events = pid;
	for (i = 0; i < 150 && !line[0]; i++) {
		sh(self, EXEC PROBE " socket:packet:raw");
		usleep(200000);
		f = fopen("/tmp/falco-events", "r");
		if (f) {
			if (!fgets(line, sizeof(line), f))
				line[0] = '\0';
			fclose(f);
		}
	}
	o = json_tokener_parse(line);
	ASSERT_NE(NULL, o) TH_LOG("not JSON: %s", line);
	EXPECT_EQ(8, json_object_object_length(o));
	ASSERT_TRUE(json_object_object_get_ex(o, "rule", &v));
	EXPECT_STREQ("brig denied", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "priority", &v));
	EXPECT_STREQ("Warning", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "output", &v));
	EXPECT_NE(NULL, strstr(json_object_get_string(v), ": Warning DENIED op=socket "
			       "container=detect pid=")) TH_LOG("%s", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(o, "output_fields", &fields));
	ASSERT_TRUE(json_object_object_get_ex(fields, "brig.family", &v));
	EXPECT_STREQ("packet", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(fields, "evt.type", &v));
	EXPECT_STREQ("socket", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(fields, "proc.name", &v));
	EXPECT_STREQ("sysprobe", json_object_get_string(v));
	EXPECT_FALSE(json_object_object_get_ex(fields, "fd.name", NULL));
	json_object_put(o);
}

static const char actions[] =
	"- rule: a shell, that brigctl is ready\n"
	"  condition: fd.filename = dash\n"
	"  output: ready\n"
	"  priority: DEBUG\n"
	"- rule: enforce on a capability\n"
	"  condition: brig.kind = capability and container.name = watched\n"
	"  output: enforcing %container.name\n"
	"  priority: WARNING\n"
	"  action: enforce\n"
	"- rule: stop on a packet socket\n"
	"  condition: evt.arg.domain = AF_PACKET and container.name = watched\n"
	"  output: stopping %container.name\n"
	"  priority: CRITICAL\n"
	"  action: stop\n";

/* What brig.ko says of @name's mode: 1 enforce, 2 complain, 0 gone. */
static uint32_t mode_of(struct brig_nl *nl, const char *name)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;

	if (brig_nl_get(nl, 0, name, &info, &err)) {
		brig_error_free(&err);
		return 0;
	}
	return info.policy.mode;
}

TEST_F_TIMEOUT(detect, a_rule_stops_a_container_or_makes_it_enforce, 300)
{
	FILE *f;
	int i;

	f = fopen("/tmp/actions.rules", "w");
	ASSERT_NE(NULL, f);
	fputs(actions, f);
	fclose(f);
	START(self, "/tmp/actions.rules");
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy /tmp/watched.pol --rootfs " ROOT
			" -- sleep 1000")) TH_LOG("%s", self->out);
	ASSERT_LT(0, wait_running(self->nl, "watched"));
	ASSERT_EQ(0, sh(self, BRIGCTL " update watched --policy /tmp/watched-nochown.pol"))
		TH_LOG("%s", self->out);
	ASSERT_EQ(BRIG_MODE_COMPLAIN, mode_of(self->nl, "watched"));

	/* Complain mode lets the chown through, until the rule has switched it. */
	for (i = 0; i < 100 && mode_of(self->nl, "watched") == BRIG_MODE_COMPLAIN; i++) {
		sh(self, LAUNCH " exec watched -- " PROBE " chown:/tmp/owned");
		usleep(200000);
	}
	EXPECT_EQ(BRIG_MODE_ENFORCE, mode_of(self->nl, "watched"));
	sh(self, LAUNCH " exec watched -- " PROBE " chown:/tmp/owned");
	EXPECT_NE(NULL, strstr(self->out, "chown:/tmp/owned: EPERM")) TH_LOG("%s", self->out);
	/* The rest of its policy holds as it was: the ceiling, the file rules. */
	{
		struct brig_container_info info;
		struct brig_error *err = NULL;

		ASSERT_BRIG_OK(brig_nl_get(self->nl, 0, "watched", &info, &err), err);
		EXPECT_EQ(16, info.policy.pids_max);
		EXPECT_NE(0, info.policy.dfa_states);
		EXPECT_EQ(1, info.policy.n_socket_rules);
	}
	/* The other container is not touched. */
	EXPECT_EQ(BRIG_MODE_ENFORCE, mode_of(self->nl, "detect"));

	/* A packet socket, and the container is stopped. */
	sh(self, LAUNCH " exec watched -- " PROBE " socket:packet:raw");
	for (i = 0; i < 300 && mode_of(self->nl, "watched"); i++)
		usleep(100000);
	EXPECT_EQ(0, mode_of(self->nl, "watched")) TH_LOG("`watched` still runs");
	EXPECT_LT(0, mode_of(self->nl, "detect"));
	sh(self, BRIGCTL " ps -a");
	EXPECT_NE(NULL, strstr(self->out, "watched")) TH_LOG("%s", self->out);
}

/* ---- brigctl audit ---- */

static const char weak_pol[] =
	"name weak\n"
	"caps add ALL\n"
	"device /dev/vda\n"
	"seccomp unconfined\n"
	"no-new-privileges off\n"
	"mode complain\n"
	"network host\n"
	"namespaces pid mount\n"
	"mount bind /etc /mnt\n"
	"audit /** w\n";

FIXTURE(audit) {
	struct brig_nl *nl;
	char out[65536];
};

FIXTURE_SETUP(audit)
{
	FILE *f;

	NEED_NGINX();
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	f = fopen("/tmp/weak.pol", "w");
	ASSERT_NE(NULL, f);
	fputs(weak_pol, f);
	fclose(f);
}

FIXTURE_TEARDOWN(audit)
{
	if (!self->nl)
		return;
	system(BRIGCTL " rm -f weak nginx >/dev/null 2>&1");
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

/* The ids of the results at @level, in @log, about the container @name (or of the host: NULL). */
static void ids_of(json_object *log, const char *level, const char *name, char *out, size_t len)
{
	json_object *tests, *results, *v;
	size_t used = 0;

	out[0] = '\0';
	if (!json_object_object_get_ex(log, "tests", &tests))
		return;
	for (size_t s = 0; s < json_object_array_length(tests); s++) {
		if (!json_object_object_get_ex(json_object_array_get_idx(tests, s), "results",
					       &results))
			continue;
		for (size_t i = 0; i < json_object_array_length(results); i++) {
			json_object *r = json_object_array_get_idx(results, i), *items;
			bool about = !name;

			json_object_object_get_ex(r, "items", &items);
			for (size_t j = 0; name && j < json_object_array_length(items); j++) {
				const char *item = json_object_get_string(
					json_object_array_get_idx(items, j));

				about = about || (!strncmp(item, name, strlen(name)) &&
						  item[strlen(name)] == ':');
			}
			json_object_object_get_ex(r, "result", &v);
			if (!about || strcmp(json_object_get_string(v), level))
				continue;
			json_object_object_get_ex(r, "id", &v);
			used += (size_t)snprintf(out + used, len - used, "%s%s", used ? " " : "",
						 json_object_get_string(v));
		}
	}
}

TEST_F_TIMEOUT(audit, each_container_is_warned_of_what_it_fails, 300)
{
	json_object *log;
	char ids[1024];

	ASSERT_EQ(0, sh(self, LAUNCH " -d --unsafe-caps --policy /tmp/weak.pol --rootfs " ROOT
			" -- sleep 1000")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, LAUNCH " -d --policy /examples/nginx.pol --rootfs " ROOT))
		TH_LOG("%s", self->out);
	ASSERT_LT(0, wait_running(self->nl, "weak"));
	ASSERT_LT(0, wait_running(self->nl, "nginx"));
	ASSERT_EQ(0, sh(self, BRIGCTL " audit --json")) TH_LOG("%s", self->out);
	log = json_tokener_parse(self->out);
	ASSERT_NE(NULL, log) TH_LOG("%s", self->out);
	ids_of(log, "WARN", "weak", ids, sizeof(ids));
	EXPECT_STREQ("B.5 B.6 5.3 5.5 5.9 5.12 5.16 5.17 5.20 5.21 5.25 5.28 5.30", ids);
	ids_of(log, "WARN", "nginx", ids, sizeof(ids));
	EXPECT_STREQ("5.12", ids);
	ids_of(log, "INFO", "nginx", ids, sizeof(ids));
	EXPECT_STREQ("5.1", ids);
	/* brig.ko's own state in the VM: loaded, every hook running, nothing missed or lost. */
	ids_of(log, "PASS", NULL, ids, sizeof(ids));
	EXPECT_NE(NULL, strstr(ids, "B.1 B.2 B.3 B.4")) TH_LOG("%s", ids);
	json_object_put(log);

	/* docker-bench's text, and --strict's status. */
	EXPECT_EQ(1, sh(self, BRIGCTL " audit --strict"));
	EXPECT_NE(NULL, strstr(self->out, "[WARN] 5.28  - Ensure that the PIDs cgroup limit is used\n"
			       "[WARN]         1 of 2 container(s)\n"
			       "[WARN]         * weak: no task ceiling\n"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "[WARN]         * weak: /etc on /mnt\n"));
	EXPECT_NE(NULL, strstr(self->out, "[WARN]         * weak: beyond Docker's defaults: "
			       "DAC_READ_SEARCH"));
	EXPECT_NE(NULL, strstr(self->out, "[WARN]         * weak: beyond Docker's defaults: b "))
		TH_LOG("%s", self->out);
	EXPECT_EQ(125, sh(self, BRIGCTL " audit --json --bogus"));
}

TEST_HARNESS_MAIN
