/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: detection rules in a subset of Falco's rules language, over
 * brig's events (event_fields.h), and the alerts they make, in Falco's
 * shape.
 *
 * A rules file is Falco's YAML: a sequence of `list` (items, `append`),
 * `macro` (condition) and `rule` (condition, output with %fields, priority,
 * desc, tags, enabled) entries. Conditions have and, or, not, parentheses,
 * macros by name, and `FIELD OP VALUE` with = == != < <= > >= contains
 * icontains startswith endswith glob pmatch, `FIELD in (ITEM, ...)` (a
 * list's name among the items stands for its items) and `FIELD exists`.
 * brig adds one key Falco lacks: `action: stop` (the container is stopped)
 * or `action: enforce` (a complain-mode container switched to enforce).
 * Every error names FILE:LINE:COL. The whole language: docs/brigctl.8.
 *
 * Lifetime: brig_rules_load() makes the set, with every file's text kept
 * for its messages; the rules it hands out live as long as the set.
 */
#ifndef BRIG_RULES_H
#define BRIG_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "error.h"
#include "event_fields.h"

/* Bounds on what a rules file may hold: every one is checked as it loads. */
#define BRIG_RULES_FILE_MAX	(4 << 20)	/* bytes of one file */
#define BRIG_RULES_ENTRIES_MAX	4096		/* lists, macros and rules, all files */
#define BRIG_RULES_ITEMS_MAX	65536		/* items of all lists, expanded */
#define BRIG_RULES_DEPTH_MAX	64		/* nesting: parentheses, not, macros in macros */
#define BRIG_RULES_TAGS_MAX	32		/* of one rule */
#define BRIG_RULES_EXPANDED_MAX	(1 << 20)	/* items of all conditions, lists expanded */
/* Bytes of every string copied out of the files: aliases (*a) and expanded lists count. */
#define BRIG_RULES_BYTES_MAX	(64 << 20)

enum brig_rule_action {
	BRIG_RULE_ACTION_NONE,
	BRIG_RULE_ACTION_STOP,		/* stop the event's container, as `brigctl stop` */
	BRIG_RULE_ACTION_ENFORCE,	/* switch its complain mode to enforce */
};

/* Falco's priorities, the most urgent first. */
enum brig_rule_priority {
	BRIG_PRIORITY_EMERGENCY,
	BRIG_PRIORITY_ALERT,
	BRIG_PRIORITY_CRITICAL,
	BRIG_PRIORITY_ERROR,
	BRIG_PRIORITY_WARNING,
	BRIG_PRIORITY_NOTICE,
	BRIG_PRIORITY_INFORMATIONAL,
	BRIG_PRIORITY_DEBUG,
};

struct brig_rules;
struct brig_rule;

/*
 * Loads the @n files at @paths as one set (lists and macros are shared, as
 * Falco loads its rules files): 0 and *out, or -1 with *err saying
 * "FILE:LINE:COL: what".
 */
int brig_rules_load(const char *const *paths, size_t n, struct brig_rules **out,
		    struct brig_error **err);
/* The same for one text in memory, named @name in messages. */
int brig_rules_load_text(const char *name, const char *text, size_t len,
			 struct brig_rules **out, struct brig_error **err);
/*
 * brigctl events --falco's: a rule per verdict (DENIED: Warning, ALLOWED in
 * complain mode: Notice, AUDIT: Informational), so that every event is an
 * alert whose output is the kernel log's line and whose output_fields are
 * all the fields it has.
 */
int brig_rules_events(struct brig_rules **out, struct brig_error **err);
void brig_rules_free(struct brig_rules *rules);
/* Its enabled rules. */
size_t brig_rules_count(const struct brig_rules *rules);

/*
 * Calls @fn for every enabled rule whose condition holds for @ev, in the
 * order the files define them; stops early if @fn returns non-zero and
 * returns that.
 */
int brig_rules_match(struct brig_rules *rules, const struct brig_event *ev,
		     int (*fn)(const struct brig_rule *rule, void *arg), void *arg);

const char *brig_rule_name(const struct brig_rule *rule);
enum brig_rule_action brig_rule_action(const struct brig_rule *rule);
/* "Warning", as Falco's alerts spell it. */
const char *brig_rule_priority_name(enum brig_rule_priority p);

/* "HH:MM:SS.NNNNNNNNN: Priority OUTPUT", Falco's text alert, into @buf. */
void brig_alert_text(const struct brig_rule *rule, const struct brig_event *ev,
		     char *buf, size_t len);
/*
 * Falco's JSON alert: hostname, output (the text alert), priority, rule,
 * source ("syscall"), tags, time (RFC 3339, nanoseconds), output_fields
 * (each %field of the output: a number, a string, or null).
 */
json_object *brig_alert_json(const struct brig_rule *rule, const struct brig_event *ev,
			     const char *hostname);

#endif /* BRIG_RULES_H */
