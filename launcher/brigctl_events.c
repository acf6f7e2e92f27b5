// SPDX-License-Identifier: GPL-2.0
/*
 * brigctl events: brig.ko's events as they come, until interrupted.
 *
 *   brigctl events [NAME]                    the kernel log's line for each
 *   brigctl events --json [NAME]             each as JSON, with the same names
 *   brigctl events --falco [NAME]            each as a Falco alert (JSON)
 *   brigctl events --rules FILE... [--json] [NAME]
 *                                            the alerts of Falco rules (lib/rules.h),
 *                                            as Falco prints them, text or JSON
 *
 * A rule's `action` is taken on the event's container: `stop` stops it
 * (TERM, then KILL, in a child so that events keep being read),
 * `enforce` switches a complain-mode container to enforce, its policy
 * otherwise as it is.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "brigctl.h"
#include "lib/names.h"
#include "lib/rules.h"
#include "lib/views.h"

/* --rules, at most; Falco users pass a few (its own, then local overrides). */
#define RULES_FILES_MAX 16
/* Containers a stop was started for, so that their later events start no other. */
#define STOPPED_MAX 64

struct events {
	bool json, falco;	/* --falco: brig's own rules, their alerts in JSON */
	const char *only;	/* NAME, or NULL: every container */
	const char *files[RULES_FILES_MAX];
	size_t n_files;
	struct brig_rules *rules;
	char hostname[256];
	const struct brig_event *ev;
	uint32_t stopped[STOPPED_MAX];	/* a ring: the last STOPPED_MAX */
	size_t n_stopped, next_stopped;
};

static void print_json(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static bool stop_started(const struct events *e, uint32_t id)
{
	for (size_t i = 0; i < e->n_stopped; i++)
		if (e->stopped[i] == id)
			return true;
	return false;
}

static void note_stopped(struct events *e, uint32_t id)
{
	e->stopped[e->next_stopped] = id;
	e->next_stopped = (e->next_stopped + 1) % STOPPED_MAX;
	if (e->n_stopped < STOPPED_MAX)
		e->n_stopped++;
}

/* The container @ev came from, if it is still that one (ids are not reused while loaded). */
static int container_of_event(struct brig_nl *nl, const struct brig_event_info *ev,
			      struct brig_container_info *c, struct brig_error **err)
{
	if (brig_nl_get(nl, ev->id, NULL, c, err))
		return -1;
	if (strcmp(c->name, ev->name))
		return brig_error_make(err, 0, "container %u is no longer `%s`", ev->id, ev->name);
	return 0;
}

/*
 * In a child, so that events are read on meanwhile; noted once it is
 * under way (a fork that failed is tried again at the next event). No
 * grace: TERM, then KILL at once, since the rule says it must stop.
 */
static void stop_in_child(struct events *e, const struct brig_rule *rule,
			  const struct brig_event_info *ev)
{
	struct brig_nl *nl = NULL;
	struct brig_container_info c;
	struct brig_error *err = NULL;
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "brigctl: rule `%s`: cannot stop `%s`: fork: %s\n",
			brig_rule_name(rule), ev->name, strerror(errno));
		return;
	}
	if (pid > 0) {
		note_stopped(e, ev->id);
		return;
	}
	if (brig_nl_open(&nl, &err) || container_of_event(nl, ev, &c, &err) ||
	    brigctl_stop_container(nl, &c, 0, &err)) {
		brig_error_wrap(&err, "rule `%s`: stopping `%s`", brig_rule_name(rule), ev->name);
		brig_nl_close(nl);
		_exit(brig_error_report(stderr, "brigctl", &err));
	}
	fprintf(stderr, "brigctl: rule `%s`: stopped `%s`\n", brig_rule_name(rule), ev->name);
	brig_nl_close(nl);
	_exit(0);
}

static void enforce(const struct brig_rule *rule, const struct brig_event_info *ev)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_container_info c;
	struct brig_error *err = NULL;

	if (brig_nl_open(&nl, &err) || container_of_event(nl, ev, &c, &err))
		goto fail;
	if (c.policy.mode != BRIG_MODE_COMPLAIN)
		return;
	if (brig_nl_set_mode(nl, c.id, NULL, BRIG_MODE_ENFORCE, &err))
		goto fail;
	fprintf(stderr, "brigctl: rule `%s`: `%s` now enforces its policy\n",
		brig_rule_name(rule), ev->name);
	return;
fail:
	brig_error_wrap(&err, "rule `%s`: enforcing on `%s`", brig_rule_name(rule), ev->name);
	brig_error_report(stderr, "brigctl", &err);
}

static int on_match(const struct brig_rule *rule, void *arg)
{
	struct events *e = arg;
	const struct brig_event_info *ev = &e->ev->info;
	char text[8192];

	if (e->json) {
		print_json(brig_alert_json(rule, e->ev, e->hostname));
	} else {
		brig_alert_text(rule, e->ev, text, sizeof(text));
		puts(text);
	}
	fflush(stdout);
	switch (brig_rule_action(rule)) {
	case BRIG_RULE_ACTION_NONE:
		break;
	case BRIG_RULE_ACTION_STOP:
		if (!stop_started(e, ev->id))
			stop_in_child(e, rule, ev);
		break;
	case BRIG_RULE_ACTION_ENFORCE:
		enforce(rule, ev);
		break;
	}
	return 0;
}

static int parse_args(struct events *e, int argc, char **argv, struct brig_error **err)
{
	static const char usage[] =
		"usage: brigctl events [--json] [--falco] [--rules FILE]... [NAME]";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			e->json = true;
		} else if (!strcmp(argv[i], "--falco")) {
			e->falco = e->json = true;
		} else if (!strcmp(argv[i], "--rules") || !strncmp(argv[i], "--rules=", 8)) {
			const char *file = argv[i][7] == '=' ? argv[i] + 8 : argv[++i];

			if (!file || !*file)
				return brig_error_make(err, 0, "--rules takes a file\n%s", usage);
			if (e->n_files == RULES_FILES_MAX)
				return brig_error_make(err, 0, "at most %d --rules", RULES_FILES_MAX);
			e->files[e->n_files++] = file;
		} else if (argv[i][0] == '-' || e->only) {
			return brig_error_make(err, 0, "%s", usage);
		} else {
			e->only = argv[i];
		}
	}
	if (e->falco && e->n_files)
		return brig_error_make(err, 0, "--falco or --rules, not both (--rules --json prints "
				       "Falco's alerts)\n%s", usage);
	return 0;
}

int brigctl_events(int argc, char **argv, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct events e = { 0 };
	struct brig_event ev;
	char line[2048];
	int ret = 0;

	if (parse_args(&e, argc, argv, err))
		return -1;
	/* The rules first: a file that does not load is said before anything is followed. */
	if (e.n_files && brig_rules_load(e.files, e.n_files, &e.rules, err))
		return -1;
	if (e.falco && brig_rules_events(&e.rules, err))
		return -1;
	if (gethostname(e.hostname, sizeof(e.hostname) - 1))
		strcpy(e.hostname, "localhost");
	/* The children that stop containers are reaped by the kernel. */
	signal(SIGCHLD, SIG_IGN);
	if (brig_nl_open(&nl, err) < 0 || brig_nl_subscribe(nl, err) < 0)
		goto out;
	e.ev = &ev;
	for (;;) {
		ret = brig_nl_next_event(nl, &ev.info, -1, err);
		if (ret < 0)
			break;
		if (!ret || (e.only && strcmp(e.only, ev.info.name)))
			continue;
		clock_gettime(CLOCK_REALTIME, &ev.time);
		if (e.rules) {
			if (ev.info.lost)
				fprintf(stderr, "brigctl: %u events lost before this one\n",
					ev.info.lost);
			brig_rules_match(e.rules, &ev, on_match, &e);
			continue;
		}
		if (e.json) {
			print_json(brig_event_json(&ev.info));
		} else {
			brig_event_line(&ev.info, line, sizeof(line));
			puts(line);
		}
		fflush(stdout);
	}
out:
	brig_rules_free(e.rules);
	return -1;
}
