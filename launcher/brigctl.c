// SPDX-License-Identifier: GPL-2.0
/*
 * brigctl: inspect and steer brig containers.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <json-c/json.h>

#include <brig.h>

#include "brigctl.h"
#include "lib/error.h"
#include "lib/names.h"
#include "lib/nl.h"
#include "lib/policy.h"
#include "lib/record.h"
#include "lib/spec.h"
#include "lib/views.h"

struct brigctl_command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv, struct brig_error **err);
};

/* Like `docker version`: the tools' ABI, then the module's. */
static int cmd_version(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	uint64_t cookie = (uint64_t)time(NULL) << 32 | (uint32_t)getpid();
	uint64_t echo;
	uint32_t version;

	(void)argv;
	if (argc > 1)
		return brig_error_make(err, 0, "version takes no arguments");
	printf("brigctl: ABI %d\n", BRIG_GENL_VERSION);
	if (brig_nl_open(&nl, err) < 0 ||
	    brig_nl_ping(nl, cookie, &version, &echo, err) < 0)
		return -1;
	if (echo != cookie)
		return brig_error_make(err, 0, "brig.ko answered another request");
	printf("brig.ko: ABI %u, family id %d\n", version, brig_nl_family(nl));
	if (version != BRIG_GENL_VERSION)
		return brig_error_make(err, 0,
			"brig.ko speaks ABI %u, brigctl ABI %d: use tools and module from one build",
			version, BRIG_GENL_VERSION);
	return 0;
}

/* Says loudly when a policy's capabilities void its own file rules. */
static void warn_voiding(const char *file, const struct brig_policy_spec *spec)
{
	uint64_t caps = brig_spec_voiding_caps(spec);
	char why[1024];

	if (!caps)
		return;
	brig_voiding_describe(caps, why, sizeof(why));
	fprintf(stderr, "brigctl: WARNING: %s: the capabilities void the policy's own file rules: %s; "
		"launch refuses it without --unsafe-caps\n", file, why);
}

/*
 * What brig.ko would enforce for the policy @file, and its name. Lowered
 * whole, as launch lowers it: what launch would refuse (a seccomp profile
 * that does not load, a device that is not there) is refused here too.
 */
static int kernel_policy_of_file(const char *file, struct brig_policy_spec *spec,
				 char **name, struct brig_error **err)
{
	struct brig_container_spec *full __attribute__((cleanup(brig_spec_freep))) = NULL;
	struct brig_pol *pol;
	int ret;

	if (brig_pol_parse_file(file, &pol, err) < 0)
		return -1;
	ret = brig_spec_from_pol(pol, &full, err);
	if (!ret && name && !(*name = strdup(pol->name)))
		ret = brig_error_make(err, ENOMEM, "%s", file);
	brig_pol_free(pol);
	if (ret)
		return -1;
	/* The kernel half is ours now; the rest goes with the spec. */
	*spec = full->kernel;
	memset(&full->kernel, 0, sizeof(full->kernel));
	return 0;
}

/* Parses and compiles a policy, and says what brig.ko would enforce. */
static int cmd_check(int argc, char **argv, struct brig_error **err)
{
	struct brig_policy_spec spec = { 0 };
	char *name = NULL;

	if (argc != 2)
		return brig_error_make(err, 0, "usage: brigctl check FILE");
	if (kernel_policy_of_file(argv[1], &spec, &name, err) < 0)
		return -1;
	printf("%s: ok\n", argv[1]);
	brig_policy_summary(stdout, name, &spec);
	warn_voiding(argv[1], &spec);
	brig_policy_spec_release(&spec);
	free(name);
	return 0;
}

/* NAME or ID, as docker takes either: all digits is an id. */
static void selector(const char *arg, uint32_t *id, const char **name)
{
	size_t i;

	for (i = 0; arg[i] && isdigit((unsigned char)arg[i]); i++)
		;
	if (arg[0] && !arg[i]) {
		*id = strtoul(arg, NULL, 10);
		*name = NULL;
	} else {
		*id = 0;
		*name = arg;
	}
}

static uint64_t total_denials(const struct brig_container_info *c)
{
	uint64_t sum = 0;
	int k;

	for (k = 1; k <= BRIG_KIND_MAX; k++)
		sum += c->denials[k];
	return sum;
}

/* A span of time as docker says it (go-units' HumanDuration): "5 seconds", "About an hour". */
static void span(time_t seconds, char *buf, size_t len)
{
	long long s = seconds, m = s / 60, h = m / 60, d = h / 24;

	if (s < 1)
		snprintf(buf, len, "Less than a second");
	else if (s == 1)
		snprintf(buf, len, "1 second");
	else if (s < 60)
		snprintf(buf, len, "%lld seconds", s);
	else if (m == 1)
		snprintf(buf, len, "About a minute");
	else if (m < 60)
		snprintf(buf, len, "%lld minutes", m);
	else if (h == 1)
		snprintf(buf, len, "About an hour");
	else if (h < 48)
		snprintf(buf, len, "%lld hours", h);
	else if (d < 14)
		snprintf(buf, len, "%lld days", d);
	else if (d < 90)
		snprintf(buf, len, "%lld weeks", d / 7);
	else if (d < 730)
		snprintf(buf, len, "%lld months", d / 30);
	else
		snprintf(buf, len, "%lld years", d / 365);
}

/* A kept container's STATUS, as docker ps -a says it. */
static void record_status(const struct brig_record *r, bool running, char *buf, size_t len)
{
	char ago[32];

	if (running) {
		span(time(NULL) - r->started, ago, sizeof(ago));
		snprintf(buf, len, "Up %s", ago);
	} else if (r->exited) {
		span(time(NULL) - r->finished, ago, sizeof(ago));
		snprintf(buf, len, "Exited (%d) %s ago", r->exit_code, ago);
	} else {
		/* Its monitor died without saying how it ended. */
		snprintf(buf, len, "Dead");
	}
}

#define PS_FORMAT "%-6s %-24s %-9s %-6s %-9s %-8s %s\n"

static int ps_row(const struct brig_container_info *c, void *arg)
{
	char id[16], pid[16], tasks[16], denials[24], status[64] = "Up";
	struct brig_record r;

	(void)arg;
	if (!brig_record_load(c->name, &r, NULL))
		record_status(&r, true, status, sizeof(status));
	snprintf(id, sizeof(id), "%u", c->id);
	snprintf(pid, sizeof(pid), "%u", c->init_pid);
	snprintf(tasks, sizeof(tasks), "%u", c->tasks);
	snprintf(denials, sizeof(denials), "%lu", (unsigned long)total_denials(c));
	printf(PS_FORMAT, id, c->name, pid, tasks,
	       c->policy.mode == BRIG_MODE_COMPLAIN ? "complain" : "enforce", denials, status);
	return 0;
}

/* ps -a: the kept containers brig.ko no longer has. */
static int ps_kept_row(const struct brig_record *r, void *arg)
{
	struct brig_container_info c;
	struct brig_error *err = NULL;
	char id[16], status[64];

	if (!brig_nl_get(arg, 0, r->name, &c, &err))
		return 0;	/* running: listed already */
	brig_error_free(&err);
	snprintf(id, sizeof(id), "%u", r->id);
	record_status(r, false, status, sizeof(status));
	printf(PS_FORMAT, id, r->name, "-", "0", "-", "-", status);
	return 0;
}

/* Like `docker ps [-a]`: one row per running container; -a, the kept ones too. */
static int cmd_ps(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	bool all = argc == 2 && (!strcmp(argv[1], "-a") || !strcmp(argv[1], "--all"));

	if (argc != 1 && !all)
		return brig_error_make(err, 0, "usage: brigctl ps [-a]");
	if (brig_nl_open(&nl, err) < 0)
		return -1;
	printf(PS_FORMAT, "ID", "NAME", "INIT PID", "TASKS", "MODE", "DENIALS", "STATUS");
	if (brig_nl_dump(nl, ps_row, NULL, err) < 0)
		return -1;
	return all ? brig_record_each(ps_kept_row, nl, err) : 0;
}

/* Like `docker inspect`: one container as JSON. */
static int cmd_inspect(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_container_info c;
	json_object *o;
	const char *name;
	uint32_t id;

	if (argc != 2)
		return brig_error_make(err, 0, "usage: brigctl inspect NAME|ID");
	selector(argv[1], &id, &name);
	if (brig_nl_open(&nl, err) < 0 || brig_nl_get(nl, id, name, &c, err) < 0)
		return -1;
	o = brig_container_json(&c);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

/* Replaces a running container's kernel-side policy with FILE's. */
static int cmd_update(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_policy_spec spec;
	const char *name;
	uint32_t id;
	int ret;

	bool unsafe = argc == 5 && !strcmp(argv[4], "--unsafe-caps");

	if ((argc != 4 && !unsafe) || strcmp(argv[2], "--policy"))
		return brig_error_make(err, 0,
			"usage: brigctl update NAME|ID --policy FILE [--unsafe-caps]");
	selector(argv[1], &id, &name);
	if (kernel_policy_of_file(argv[3], &spec, NULL, err) < 0)
		return -1;
	warn_voiding(argv[3], &spec);
	spec.unsafe_caps = unsafe;
	ret = brig_nl_open(&nl, err);
	if (!ret)
		ret = brig_nl_set_policy(nl, id, name, &spec, err);
	brig_policy_spec_release(&spec);
	return ret;
}

/* Signals the process behind @pidfd, then waits up to @ms for it to exit. */
static int signal_and_wait(int pidfd, int sig, long ms, bool *exited)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int ret;

	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) && errno != ESRCH)
		return -errno;
	do
		ret = poll(&pfd, 1, ms > INT_MAX ? INT_MAX : (int)ms);
	while (ret < 0 && errno == EINTR);
	*exited = ret > 0;	/* a pidfd turns readable when its process exits */
	return 0;
}

/*
 * TERM to @c's init, KILL after @seconds; then waits (up to 10 s) until
 * brig.ko has let go of it, which launch does last, once its record, run
 * directory and pasta are settled.
 */
int brigctl_stop_container(struct brig_nl *nl, const struct brig_container_info *c,
			   long seconds, struct brig_error **err)
{
	struct brig_container_info now;
	char lock[PATH_MAX];
	bool exited;
	int pidfd, ret;

	/*
	 * The init's death ends the whole pid namespace. A pidfd names that
	 * process and no other, even if its pid is reused meanwhile.
	 */
	pidfd = syscall(SYS_pidfd_open, c->init_pid, 0);
	if (pidfd < 0 && errno != ESRCH)
		return brig_error_make(err, errno, "`%s` (pid %u)", c->name, c->init_pid);
	if (pidfd >= 0) {
		ret = signal_and_wait(pidfd, SIGTERM, seconds * 1000, &exited);
		if (!ret && !exited)
			ret = signal_and_wait(pidfd, SIGKILL, 10000, &exited);
		close(pidfd);
		if (ret)
			return brig_error_make(err, -ret, "signalling `%s` (pid %u)", c->name,
					       c->init_pid);
		if (!exited)
			return brig_error_make(err, 0, "`%s` still runs after SIGKILL", c->name);
	}
	/*
	 * launch lets go of it within moments; a container some other tool
	 * registered goes when its init is reaped, which is that tool's to do.
	 */
	for (int i = 0; i < 200; i++) {
		if (brig_nl_get(nl, c->id, NULL, &now, err))
			break;
		usleep(50000);
	}
	brig_error_free(err);
	/*
	 * brig.ko lets go as the last task is freed, which may be before
	 * launch's monitor has stopped pasta and kept the record: it holds
	 * the name's lock until all of that is done.
	 */
	snprintf(lock, sizeof(lock), BRIG_RUN_DIR "/%s.lock", c->name);
	for (int i = 0; i < 200 && !access(lock, F_OK); i++)
		usleep(50000);
	return 0;
}

/* Like `docker stop`: TERM to the container's init, KILL after -t seconds. */
static int cmd_stop(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_container_info c;
	const char *name, *target = NULL;
	long seconds = 10;
	char *end;
	uint32_t id;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			seconds = strtol(argv[++i], &end, 10);
			if (*end || seconds < 0)
				return brig_error_make(err, 0, "-t takes seconds, not `%s`", argv[i]);
		} else if (!target && argv[i][0] != '-') {
			target = argv[i];
		} else {
			return brig_error_make(err, 0, "usage: brigctl stop NAME|ID [-t SECONDS]");
		}
	}
	if (!target)
		return brig_error_make(err, 0, "usage: brigctl stop NAME|ID [-t SECONDS]");
	selector(target, &id, &name);
	if (brig_nl_open(&nl, err) < 0 || brig_nl_get(nl, id, name, &c, err) < 0)
		return -1;
	return brigctl_stop_container(nl, &c, seconds, err);
}

/* Like `docker rm [-f]`: each kept container's record goes; -f stops a running one first. */
static int cmd_rm(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_container_info c;
	struct brig_record r;
	bool force = false;
	int i = 1, failed = 0;

	if (argc > 1 && (!strcmp(argv[1], "-f") || !strcmp(argv[1], "--force"))) {
		force = true;
		i++;
	}
	if (i >= argc)
		return brig_error_make(err, 0, "usage: brigctl rm [-f] NAME...");
	if (brig_nl_open(&nl, err) < 0)
		return -1;
	for (; i < argc; i++) {
		const char *name = argv[i];
		bool running = !brig_nl_get(nl, 0, name, &c, err);
		int ret = 0;

		brig_error_free(err);
		if (running && !force) {
			ret = brig_error_make(err, 0,
				"container `%s` is running: stop it first (brigctl stop %s), or force it (brigctl rm -f %s)",
				name, name, name);
		} else if (running) {
			if (brigctl_stop_container(nl, &c, 0, err))
				ret = brig_error_wrap(err, "removing `%s`", name);
		} else if (brig_record_load(name, &r, err) && !*err) {
			ret = brig_error_make(err, 0, "no such container: %s", name);
		}
		/* A record that does not parse is removed too: nothing else could. */
		if (!ret) {
			brig_error_free(err);
			ret = brig_record_remove(name, err);
		}
		if (!ret) {
			puts(name);
			continue;
		}
		brig_error_report(stderr, "brigctl", err);
		failed++;
	}
	return failed ? brig_error_make(err, 0, "%d of the containers named were not removed", failed) : 0;
}

/* Like `docker logs [-f]`: a detached container's output; -f follows it until it exits. */
static int cmd_logs(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_container_info c;
	bool follow = argc == 3 && (!strcmp(argv[1], "-f") || !strcmp(argv[1], "--follow"));
	const char *name = argv[argc - 1];
	char path[PATH_MAX], buf[65536];
	struct brig_record r;
	ssize_t n;
	int fd;

	if (argc != 2 && !follow)
		return brig_error_make(err, 0, "usage: brigctl logs [-f] NAME");
	if (brig_record_load(name, &r, err)) {
		if (*err)
			return -1;
		return brig_error_make(err, 0,
			"no such container: %s (only detached containers, launch -d, have logs)", name);
	}
	brig_record_path(path, sizeof(path), name, "log");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return brig_error_make(err, errno, "opening `%s`", path);
	if (follow && brig_nl_open(&nl, err) < 0) {
		close(fd);
		return -1;
	}
	/* An exited one's id may be another's now (brig.ko's ids start over when it is loaded). */
	follow = follow && !r.exited;
	for (;;) {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (fwrite(buf, 1, n, stdout) != (size_t)n)
				break;
		fflush(stdout);
		if (!follow || n < 0)
			break;
		/* Once brig.ko has let go, launch has written the last of it: one more read. */
		if (brig_nl_get(nl, r.id, r.id ? NULL : name, &c, err)) {
			brig_error_free(err);
			follow = false;
			continue;
		}
		usleep(100000);
	}
	close(fd);
	return n < 0 ? brig_error_make(err, errno, "reading `%s`", path) : 0;
}

static const struct brigctl_command commands[] = {
	{ "ps", "[-a]", "list running containers; -a, kept ones too", cmd_ps },
	{ "logs", "[-f] NAME", "a detached container's output; -f follows it", cmd_logs },
	{ "rm", "[-f] NAME...", "remove kept containers; -f stops running ones", cmd_rm },
	{ "inspect", "NAME|ID", "show one container as JSON", cmd_inspect },
	{ "events", "[--json] [--falco] [--rules FILE]... [NAME]",
	  "follow denials and audit events; Falco's alerts and rules", brigctl_events },
	{ "update", "NAME|ID --policy FILE [--unsafe-caps]", "replace a running container's policy", cmd_update },
	{ "stop", "NAME|ID [-t SECONDS]", "TERM the container, KILL after SECONDS (10)", cmd_stop },
	{ "check", "FILE", "parse and compile a policy, and summarise it", cmd_check },
	{ "audit", "[--json] [--strict]", "check the host, brig.ko and each container, as docker-bench",
	  brigctl_audit },
	{ "trust", "keygen|sign|verify|inspect", "sign and check OCI layouts (cosign's signatures)", brigctl_trust },
	{ "version", "", "show the tools' and the loaded module's ABI version", cmd_version },
};

static void usage(FILE *out)
{
	size_t i;

	fputs("Usage: brigctl COMMAND [ARGS...]\n\nCommands:\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %-22s %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fputs("\nExit status: 0 on success, 125 on failure; audit --strict: 1 on a warning.\n", out);
}

int main(int argc, char **argv)
{
	struct brig_error *err = NULL;
	size_t i;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return BRIG_EXIT_FAILURE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("brigctl version %s\nbrig ABI: %d\n", BRIG_VERSION, BRIG_GENL_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		ret = commands[i].run(argc - 1, argv + 1, &err);
		/* A command's own status (audit --strict: 1 on a warning), or its error's. */
		return ret < 0 ? brig_error_report(stderr, "brigctl", &err) : ret;
	}
	fprintf(stderr, "brigctl: unknown command `%s`\nTry `brigctl --help`.\n", argv[1]);
	return BRIG_EXIT_FAILURE;
}
