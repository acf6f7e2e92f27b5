// SPDX-License-Identifier: GPL-2.0
/*
 * brigctl: inspect and steer brig containers.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include <json-c/json.h>

#include <brig.h>

#include "lib/error.h"
#include "lib/nl.h"
#include "lib/names.h"
#include "lib/policy.h"
#include "lib/spec.h"

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

/* A socket rule's family or type: 0 is any. */
static const char *rule_family(uint32_t family)
{
	const char *name = brig_family_name(family);

	return !family ? "any" : name ? name : "?";
}

static const char *rule_type(uint32_t type)
{
	const char *name = brig_type_name(type);

	return !type ? "any" : name ? name : "?";
}

/* "c 1:3 rw", "c 136:* rw" */
static void device_text(const struct brig_device_rule *d, char *buf, size_t len)
{
	char major[16] = "*", minor[16] = "*";

	if (d->major != BRIG_DEVICE_ANY)
		snprintf(major, sizeof(major), "%u", d->major);
	if (d->minor != BRIG_DEVICE_ANY)
		snprintf(minor, sizeof(minor), "%u", d->minor);
	snprintf(buf, len, "%c %s:%s %s%s", d->type == BRIG_DEVICE_BLOCK ? 'b' : 'c',
		 major, minor, d->access & BRIG_PERM_READ ? "r" : "",
		 d->access & BRIG_PERM_WRITE ? "w" : "");
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

/* What brig.ko would enforce for the policy @file, and its name. */
static int kernel_policy_of_file(const char *file, struct brig_policy_spec *spec,
				 char **name, struct brig_error **err)
{
	struct brig_pol *pol;
	int ret;

	if (brig_pol_parse_file(file, &pol, err) < 0)
		return -1;
	ret = brig_kernel_policy_from_pol(pol, spec, err);
	if (!ret && name && !(*name = strdup(pol->name)))
		ret = brig_error_make(err, ENOMEM, "%s", file);
	brig_pol_free(pol);
	return ret;
}

/* Parses and compiles a policy, and says what brig.ko would enforce. */
static int cmd_check(int argc, char **argv, struct brig_error **err)
{
	struct brig_policy_spec kernel = { 0 }, *spec = &kernel;
	char *name = NULL;
	size_t i;
	int cap, n = 0;

	if (argc != 2)
		return brig_error_make(err, 0, "usage: brigctl check FILE");
	if (kernel_policy_of_file(argv[1], spec, &name, err) < 0)
		return -1;
	printf("%s: ok\n", argv[1]);
	printf("name:         %s\n", name);
	printf("mode:         %s\n", spec->mode == BRIG_MODE_COMPLAIN ? "complain" : "enforce");
	printf("capabilities:");
	for (cap = 0; cap < 64; cap++) {
		if (spec->caps & (1ULL << cap)) {
			printf(" %s", brig_cap_name(cap));
			n++;
		}
	}
	printf("%s\n", n ? "" : " (none)");
	printf("network:     ");
	for (i = 0; i < spec->n_socket_rules; i++)
		printf(" deny %s %s%s", rule_family(spec->socket_rules[i].family),
		       rule_type(spec->socket_rules[i].type),
		       i + 1 < spec->n_socket_rules ? "," : "");
	printf("%s\n", spec->n_socket_rules ? "" : " (no rules)");
	if (spec->pids_max)
		printf("pids max:     %u\n", spec->pids_max);
	else
		printf("pids max:     (none)\n");
	printf("file rules:   %zu, DFA %u states, %zu bytes\n",
	       spec->n_file_rules, spec->dfa_states, spec->dfa_len);
	printf("mounts:       %s\n", spec->flags & BRIG_POLICY_F_MOUNT ? "allowed" : "refused");
	printf("devices:     ");
	if (!(spec->flags & BRIG_POLICY_F_DEVICES))
		printf(" (any)");
	for (i = 0; i < spec->n_devices; i++) {
		char text[48];

		device_text(&spec->devices[i], text, sizeof(text));
		printf(" %s%s", text, i + 1 < spec->n_devices ? "," : "");
	}
	printf("\n");
	warn_voiding(argv[1], spec);
	brig_policy_spec_release(spec);
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

static int ps_row(const struct brig_container_info *c, void *arg)
{
	(void)arg;
	printf("%-6u %-24s %-9u %-6u %-9s %lu\n", c->id, c->name, c->init_pid,
	       c->tasks, c->policy.mode == BRIG_MODE_COMPLAIN ? "complain" : "enforce",
	       (unsigned long)total_denials(c));
	return 0;
}

/* Like `docker ps`: one row per running container. */
static int cmd_ps(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;

	(void)argv;
	if (argc != 1)
		return brig_error_make(err, 0, "usage: brigctl ps");
	if (brig_nl_open(&nl, err) < 0)
		return -1;
	printf("%-6s %-24s %-9s %-6s %-9s %s\n", "ID", "NAME", "INIT PID", "TASKS",
	       "MODE", "DENIALS");
	return brig_nl_dump(nl, ps_row, NULL, err);
}

static json_object *policy_json(const struct brig_policy_spec *p)
{
	json_object *o = json_object_new_object(), *caps = json_object_new_array(),
		    *net = json_object_new_array(), *files = json_object_new_object();
	size_t i;
	int cap;

	json_object_object_add(o, "Mode", json_object_new_string(
		p->mode == BRIG_MODE_COMPLAIN ? "complain" : "enforce"));
	for (cap = 0; cap < 64; cap++) {
		if (p->caps & (1ULL << cap))
			json_object_array_add(caps, json_object_new_string(brig_cap_name(cap)));
	}
	json_object_object_add(o, "Capabilities", caps);
	json_object_object_add(o, "PidsMax", p->pids_max ?
			       json_object_new_int64(p->pids_max) : NULL);
	for (i = 0; i < p->n_socket_rules; i++) {
		json_object *r = json_object_new_object();

		json_object_object_add(r, "Family", json_object_new_string(
			rule_family(p->socket_rules[i].family)));
		json_object_object_add(r, "Type", json_object_new_string(
			rule_type(p->socket_rules[i].type)));
		json_object_array_add(net, r);
	}
	json_object_object_add(o, "NetworkDeny", net);
	json_object_object_add(files, "DfaStates", json_object_new_int64(p->dfa_states));
	json_object_object_add(files, "DfaBytes", json_object_new_int64(p->dfa_bytes));
	json_object_object_add(o, "FileRules", files);
	json_object_object_add(o, "Mount", json_object_new_boolean(p->flags & BRIG_POLICY_F_MOUNT));
	if (p->flags & BRIG_POLICY_F_DEVICES) {
		json_object *devs = json_object_new_array();

		for (i = 0; i < p->n_devices; i++) {
			char text[48];

			device_text(&p->devices[i], text, sizeof(text));
			json_object_array_add(devs, json_object_new_string(text));
		}
		json_object_object_add(o, "Devices", devs);
	} else {
		json_object_object_add(o, "Devices", NULL);	/* any */
	}
	return o;
}

/* Like `docker inspect`: one container as JSON. */
static int cmd_inspect(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_container_info c;
	json_object *o, *d;
	const char *name;
	uint32_t id;
	size_t i;

	if (argc != 2)
		return brig_error_make(err, 0, "usage: brigctl inspect NAME|ID");
	selector(argv[1], &id, &name);
	if (brig_nl_open(&nl, err) < 0 || brig_nl_get(nl, id, name, &c, err) < 0)
		return -1;
	o = json_object_new_object();
	json_object_object_add(o, "Id", json_object_new_int64(c.id));
	json_object_object_add(o, "Name", json_object_new_string(c.name));
	json_object_object_add(o, "InitPid", json_object_new_int64(c.init_pid));
	json_object_object_add(o, "PidNamespace", json_object_new_int64(c.pidns_ino));
	json_object_object_add(o, "Tasks", json_object_new_int64(c.tasks));
	json_object_object_add(o, "Policy", policy_json(&c.policy));
	d = json_object_new_object();
	json_object_object_add(d, "Capability", json_object_new_int64(c.denials[BRIG_KIND_CAP]));
	json_object_object_add(d, "Socket", json_object_new_int64(c.denials[BRIG_KIND_SOCKET]));
	json_object_object_add(d, "Task", json_object_new_int64(c.denials[BRIG_KIND_TASK]));
	json_object_object_add(d, "File", json_object_new_int64(c.denials[BRIG_KIND_FILE]));
	json_object_object_add(d, "Mount", json_object_new_int64(c.denials[BRIG_KIND_MOUNT]));
	json_object_object_add(d, "Device", json_object_new_int64(c.denials[BRIG_KIND_DEVICE]));
	json_object_object_add(o, "Denials", d);
	json_object_object_add(o, "HookMisses", json_object_new_int64(c.hook_misses));
	/* Only the hooks that missed: there are dozens. */
	d = json_object_new_object();
	for (i = 0; i < c.n_hooks; i++) {
		if (c.hooks[i].misses)
			json_object_object_add(d, c.hooks[i].name,
					       json_object_new_int64(c.hooks[i].misses));
	}
	json_object_object_add(o, "HookMissesByHook", d);
	json_object_object_add(o, "EventsLost", json_object_new_int64(c.events_lost));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

/* A name of the vocabulary, or the number where it has none. */
static json_object *json_name(const char *name, uint32_t number)
{
	char text[16];

	if (name)
		return json_object_new_string(name);
	snprintf(text, sizeof(text), "%u", number);
	return json_object_new_string(text);
}

/* One event: the kernel log's line (after "brig: "), or JSON with the same names. */
static void print_event(const struct brig_event_info *ev, bool json)
{
	const char *op = ev->op[0] ? ev->op : brig_kind_op(ev->kind);
	char line[2048], req[sizeof(BRIG_PERM_LETTERS)], den[sizeof(BRIG_PERM_LETTERS)], dev[32];
	json_object *o;

	if (!json) {
		brig_event_line(ev, line, sizeof(line));
		puts(line);
		fflush(stdout);
		return;
	}
	brig_perm_letters(ev->requested, req);
	brig_perm_letters(ev->denied, den);
	snprintf(dev, sizeof(dev), "%c:%u:%u", ev->dev_type == BRIG_DEVICE_BLOCK ? 'b' : 'c',
		 major(ev->dev), minor(ev->dev));
	o = json_object_new_object();
	json_object_object_add(o, "Verdict", json_object_new_string(brig_verdict_name(ev->verdict)));
	json_object_object_add(o, "Op", json_object_new_string(op));
	json_object_object_add(o, "Id", json_object_new_int64(ev->id));
	json_object_object_add(o, "Container", json_object_new_string(ev->name));
	json_object_object_add(o, "Pid", json_object_new_int64(ev->pid));
	json_object_object_add(o, "Comm", json_object_new_string(ev->comm));
	json_object_object_add(o, "Lost", json_object_new_int64(ev->lost));
	if (ev->kind == BRIG_KIND_CAP)
		json_object_object_add(o, "Capability",
				       json_object_new_string(brig_cap_log_name(ev->cap)));
	if (ev->kind == BRIG_KIND_SOCKET) {
		json_object_object_add(o, "Family", json_name(brig_family_name(ev->family), ev->family));
		json_object_object_add(o, "Type", json_name(brig_type_name(ev->type), ev->type));
		json_object_object_add(o, "Protocol", json_object_new_int64(ev->protocol));
	}
	if (ev->kind == BRIG_KIND_TASK)
		json_object_object_add(o, "PidsMax", json_object_new_int64(ev->pids_max));
	if (ev->kind == BRIG_KIND_FILE || ev->kind == BRIG_KIND_DEVICE) {
		json_object_object_add(o, "Path", json_object_new_string(ev->path));
		json_object_object_add(o, "Requested", json_object_new_string(req));
		json_object_object_add(o, ev->verdict == BRIG_VERDICT_AUDIT &&
				       ev->kind == BRIG_KIND_FILE ? "Audited" : "Denied",
				       json_object_new_string(den));
	}
	if (ev->kind == BRIG_KIND_DEVICE)
		json_object_object_add(o, "Device", json_object_new_string(dev));
	if (ev->kind == BRIG_KIND_MOUNT && ev->path[0])
		json_object_object_add(o, "Path", json_object_new_string(ev->path));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	fflush(stdout);
}

/* Follows the events group: one line per event, until interrupted. */
static int cmd_events(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_event_info ev;
	const char *only = NULL;
	bool json = false;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-' || only)
			return brig_error_make(err, 0, "usage: brigctl events [--json] [NAME]");
		else
			only = argv[i];
	}
	if (brig_nl_open(&nl, err) < 0 || brig_nl_subscribe(nl, err) < 0)
		return -1;
	for (;;) {
		ret = brig_nl_next_event(nl, &ev, -1, err);
		if (ret < 0)
			return -1;
		if (ret && (!only || !strcmp(only, ev.name)))
			print_event(&ev, json);
	}
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

/* Like `docker stop`: TERM to the container's init, KILL after -t seconds. */
static int cmd_stop(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_container_info c;
	const char *name, *target = NULL;
	int i, pidfd, ret;
	long seconds = 10;
	bool exited;
	char *end;
	uint32_t id;

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
	/*
	 * The init's death ends the whole pid namespace. A pidfd names that
	 * process and no other, even if its pid is reused meanwhile.
	 */
	pidfd = syscall(SYS_pidfd_open, c.init_pid, 0);
	if (pidfd < 0)
		return errno == ESRCH ? 0 :
		       brig_error_make(err, errno, "`%s` (pid %u)", c.name, c.init_pid);
	ret = signal_and_wait(pidfd, SIGTERM, seconds * 1000, &exited);
	if (!ret && !exited)
		ret = signal_and_wait(pidfd, SIGKILL, 10000, &exited);
	close(pidfd);
	if (ret)
		return brig_error_make(err, -ret, "signalling `%s` (pid %u)", c.name, c.init_pid);
	if (!exited)
		return brig_error_make(err, 0, "`%s` still runs after SIGKILL", c.name);
	return 0;
}

static const struct brigctl_command commands[] = {
	{ "ps", "", "list running containers", cmd_ps },
	{ "inspect", "NAME|ID", "show one container as JSON", cmd_inspect },
	{ "events", "[--json] [NAME]", "follow denials and audit events", cmd_events },
	{ "update", "NAME|ID --policy FILE [--unsafe-caps]", "replace a running container's policy", cmd_update },
	{ "stop", "NAME|ID [-t SECONDS]", "TERM the container, KILL after SECONDS (10)", cmd_stop },
	{ "check", "FILE", "parse and compile a policy, and summarise it", cmd_check },
	{ "version", "", "show the tools' and the loaded module's ABI version", cmd_version },
};

static void usage(FILE *out)
{
	size_t i;

	fputs("Usage: brigctl COMMAND [ARGS...]\n\nCommands:\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %-22s %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fputs("\nExit status: 0 on success, 125 on failure.\n", out);
}

int main(int argc, char **argv)
{
	struct brig_error *err = NULL;
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return BRIG_EXIT_FAILURE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (commands[i].run(argc - 1, argv + 1, &err) < 0)
			return brig_error_report(stderr, "brigctl", &err);
		return 0;
	}
	fprintf(stderr, "brigctl: unknown command `%s`\nTry `brigctl --help`.\n", argv[1]);
	return BRIG_EXIT_FAILURE;
}
