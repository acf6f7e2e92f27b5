// SPDX-License-Identifier: GPL-2.0
/*
 * Falco's rules language over brig's events (launcher/lib/rules*.c,
 * event_fields.c): every field of every kind of event, the conditions'
 * operators and their Falco semantics, lists and macros, alerts in Falco's
 * text and JSON shapes field by field, brigctl events --falco's rules,
 * examples/detect.rules (each rule fires on its event and on no other),
 * and each malformed rules file refused with its FILE:LINE:COL.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>

#include "lib/rules.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *root = ".";

/* An event of each kind, as brig.ko sends them; at 2023-11-14T22:13:20.123456789Z. */
static struct brig_event event(uint32_t kind, uint32_t verdict)
{
	struct brig_event e = { .time = { 1700000000, 123456789 } };

	e.info.id = 7;
	strcpy(e.info.name, "web");
	e.info.kind = kind;
	e.info.verdict = verdict;
	e.info.pid = 42;
	strcpy(e.info.comm, "nginx");
	return e;
}

static struct brig_event file_event(const char *op, const char *path, uint32_t requested,
				    uint32_t verdict)
{
	struct brig_event e = event(BRIG_KIND_FILE, verdict);

	snprintf(e.info.op, sizeof(e.info.op), "%s", op);
	snprintf(e.info.path, sizeof(e.info.path), "%s", path);
	e.info.requested = requested;
	e.info.denied = requested;
	return e;
}

static struct brig_event cap_event(uint32_t cap)
{
	struct brig_event e = event(BRIG_KIND_CAP, BRIG_VERDICT_DENIED);

	strcpy(e.info.op, "capable");
	e.info.cap = cap;
	return e;
}

static struct brig_event socket_event(uint32_t family, uint32_t type)
{
	struct brig_event e = event(BRIG_KIND_SOCKET, BRIG_VERDICT_DENIED);

	strcpy(e.info.op, "socket");
	e.info.family = family;
	e.info.type = type;
	e.info.protocol = 768;
	return e;
}

static struct brig_event task_event(void)
{
	struct brig_event e = event(BRIG_KIND_TASK, BRIG_VERDICT_DENIED);

	strcpy(e.info.op, "fork");
	e.info.pids_max = 20;
	return e;
}

static struct brig_rules *load(const char *text, char **msg)
{
	struct brig_rules *r = NULL;
	struct brig_error *err = NULL;

	*msg = NULL;
	if (brig_rules_load_text("t.rules", text, strlen(text), &r, &err)) {
		*msg = strdup(err->msg);
		brig_error_free(&err);
	}
	return r;
}

static int count_match(const struct brig_rule *rule, void *arg)
{
	(void)rule;
	(*(int *)arg)++;
	return 0;
}

struct names {
	char text[1024];
};

static int name_match(const struct brig_rule *rule, void *arg)
{
	struct names *n = arg;
	size_t len = strlen(n->text);

	snprintf(n->text + len, sizeof(n->text) - len, "%s%s", len ? "|" : "", brig_rule_name(rule));
	return 0;
}

/* Whether @cond holds for @ev, as the only rule's condition. -1: it did not load. */
static int holds(const char *cond, const struct brig_event *ev)
{
	char text[2048], *msg;
	struct brig_rules *r;
	int n = 0;

	snprintf(text, sizeof(text),
		 "- list: shells\n  items: [sh, bash]\n"
		 "- list: more_shells\n  items: [shells, zsh]\n"
		 "- macro: is_web\n  condition: container.name = web\n"
		 "- macro: web_and_nginx\n  condition: is_web and proc.name = nginx\n"
		 "- rule: r\n  condition: |\n    %s\n  output: o\n  priority: INFO\n", cond);
	r = load(text, &msg);
	if (!r) {
		diag("%s: %s", cond, msg);
		free(msg);
		return -1;
	}
	brig_rules_match(r, ev, count_match, &n);
	brig_rules_free(r);
	return n;
}

static void fields(void)
{
	static const struct {
		const char *field;
		const char *cap, *sock, *task, *open_w, *exec, *dev;
	} want[] = {
		{ "evt.time", "22:13:20.123456789", NULL, NULL, NULL, NULL, NULL },
		{ "evt.time.iso8601", "2023-11-14T22:13:20.123456789Z", NULL, NULL, NULL, NULL, NULL },
		{ "evt.type", "capable", "socket", "clone", "openat", "execve", "openat" },
		{ "evt.dir", "<", "<", "<", "<", "<", "<" },
		{ "evt.is_open_write", "-", "-", "-", "true", "-", "false" },
		{ "evt.is_open_read", "-", "-", "-", "false", "-", "true" },
		{ "evt.is_open_exec", "-", "-", "-", "false", "-", "false" },
		{ "evt.arg.domain", "-", "AF_PACKET", "-", "-", "-", "-" },
		{ "evt.arg.type", "-", "SOCK_RAW", "-", "-", "-", "-" },
		{ "evt.arg.proto", "-", "768", "-", "-", "-", "-" },
		{ "proc.name", "nginx", "nginx", "nginx", "nginx", "nginx", "nginx" },
		{ "proc.pid", "42", "42", "42", "42", "42", "42" },
		{ "fd.name", "-", "-", "-", "/usr/bin/top", "/bin/sh", "/dev/sda" },
		{ "fd.directory", "-", "-", "-", "/usr/bin", "/bin", "/dev" },
		{ "fd.filename", "-", "-", "-", "top", "sh", "sda" },
		{ "container.id", "web", "web", "web", "web", "web", "web" },
		{ "container.name", "web", "web", "web", "web", "web", "web" },
		{ "brig.id", "7", "7", "7", "7", "7", "7" },
		{ "brig.verdict", "DENIED", "DENIED", "DENIED", "AUDIT", "AUDIT", "DENIED" },
		{ "brig.kind", "capability", "socket", "task", "file", "file", "device" },
		{ "brig.op", "capable", "socket", "fork", "open", "exec", "open" },
		{ "brig.capability", "CAP_SYS_ADMIN", "-", "-", "-", "-", "-" },
		{ "brig.family", "-", "packet", "-", "-", "-", "-" },
		{ "brig.type", "-", "raw", "-", "-", "-", "-" },
		{ "brig.requested", "-", "-", "-", "w", "x", "r" },
		{ "brig.denied", "-", "-", "-", "w", "x", "r" },
		{ "brig.pids_max", "-", "-", "20", "-", "-", "-" },
		{ "brig.device", "-", "-", "-", "-", "-", "b:8:0" },
		{ "brig.lost", "0", "0", "0", "0", "0", "0" },
		{ "brig.line", "DENIED op=capable container=web pid=42 comm=\"nginx\" capability=21 "
		  "capname=sys_admin", NULL, NULL, NULL, NULL, NULL },
	};
	struct brig_event evs[6] = {
		cap_event(21), socket_event(AF_PACKET, SOCK_RAW), task_event(),
		file_event("open", "/usr/bin/top", BRIG_PERM_WRITE, BRIG_VERDICT_AUDIT),
		file_event("exec", "/bin/sh", BRIG_PERM_EXEC, BRIG_VERDICT_AUDIT),
		event(BRIG_KIND_DEVICE, BRIG_VERDICT_DENIED),
	};
	struct brig_field_value v;

	strcpy(evs[5].info.op, "open");
	strcpy(evs[5].info.path, "/dev/sda");
	evs[5].info.requested = evs[5].info.denied = BRIG_PERM_READ;
	evs[5].info.dev = makedev(8, 0);
	evs[5].info.dev_type = BRIG_DEVICE_BLOCK;
	ok(brig_event_fields_count() == N(want), "every field is tested (%zu)",
	   brig_event_fields_count());
	for (size_t i = 0; i < N(want); i++) {
		const char *per[6] = { want[i].cap, want[i].sock, want[i].task, want[i].open_w,
				       want[i].exec, want[i].dev };
		int f = brig_event_field_find(want[i].field);
		bool all = f >= 0;

		for (int k = 0; all && k < 6; k++) {
			bool has = brig_event_field(&evs[k], f, &v);

			if (!per[k])	/* evt.time: only the first event is checked */
				continue;
			if (!strcmp(per[k], "-") ? has : !has || strcmp(v.text, per[k])) {
				diag("%s of event %d: %s, not %s", want[i].field, k,
				     has ? v.text : "(none)", per[k]);
				all = false;
			}
		}
		ok(all, "%s: on each kind of event", want[i].field);
	}
	ok(brig_event_field_find("proc.cmdline") < 0, "a field brig does not have is not found");
}

static void conditions(void)
{
	struct brig_event sh = file_event("exec", "/bin/sh", BRIG_PERM_EXEC, BRIG_VERDICT_AUDIT);
	struct brig_event cap = cap_event(21), sock = socket_event(AF_PACKET, SOCK_RAW);
	static const struct {
		const char *cond;
		int on_sh, on_cap;
	} cases[] = {
		{ "fd.name = /bin/sh", 1, 0 },
		{ "fd.name == /bin/sh", 1, 0 },
		{ "fd.name=/bin/sh", 1, 0 },
		{ "fd.name != /bin/sh", 0, 0 },		/* absent: no comparison holds */
		{ "not fd.name = /bin/sh", 0, 1 },
		{ "fd.name exists", 1, 0 },
		{ "not fd.name exists", 0, 1 },
		{ "brig.capability exists and brig.capability = CAP_SYS_ADMIN", 0, 1 },
		{ "fd.name contains bin", 1, 0 },
		{ "fd.name icontains BIN/SH", 1, 0 },
		{ "fd.name startswith /bin/", 1, 0 },
		{ "fd.name endswith /sh", 1, 0 },
		{ "fd.name glob /b*/s?", 1, 0 },
		{ "fd.name glob \"/usr/*\"", 0, 0 },
		{ "fd.name pmatch (/bin, /usr)", 1, 0 },
		{ "fd.name pmatch (/bi)", 0, 0 },
		{ "fd.filename in (more_shells)", 1, 0 },
		{ "fd.filename in (zsh, \"sh\")", 1, 0 },
		{ "fd.filename in ()", 0, 0 },
		{ "proc.pid = 42 and proc.pid > 41 and proc.pid >= 42 and proc.pid < 43 and proc.pid <= 42", 1, 1 },
		{ "proc.pid in (1, 0x2a)", 1, 1 },
		{ "proc.pid != 42", 0, 0 },
		{ "evt.is_open_exec = false", 0, 0 },	/* an exec is not an open */
		{ "is_web", 1, 1 },
		{ "web_and_nginx and not (brig.kind = capability)", 1, 0 },
		{ "brig.kind = file or brig.kind = capability", 1, 1 },
		{ "brig.kind = task or brig.kind = file and brig.verdict = DENIED", 0, 0 },
		{ "(brig.kind = task or brig.kind = file) and brig.verdict = AUDIT", 1, 0 },
		{ "not not is_web", 1, 1 },
		{ "evt.dir=<", 1, 1 },
		{ "evt.dir = '<' and container.id != host", 1, 1 },
		{ "brig.line contains 'op=exec'", 1, 0 },
	};

	for (size_t i = 0; i < N(cases); i++)
		ok(holds(cases[i].cond, &sh) == cases[i].on_sh &&
		   holds(cases[i].cond, &cap) == cases[i].on_cap,
		   "`%s`: %s on an exec, %s on a capability", cases[i].cond,
		   cases[i].on_sh ? "holds" : "does not hold",
		   cases[i].on_cap ? "holds" : "does not hold");
	ok(holds("evt.arg.domain contains AF_PACKET and evt.arg.type = SOCK_RAW", &sock) == 1 &&
	   holds("brig.family = packet and evt.arg.proto = 768", &sock) == 1,
	   "a socket's domain and type as Falco prints them, and brig's words");
}

static void errors(void)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "- rule: r\n  condition: fd.nme = x\n  output: o\n  priority: INFO\n",
		  "t.rules:2:14: no field `fd.nme` in brig's events (brigctl(8) lists them)" },
		{ "- rule: r\n  condition: nosuch and fd.name = x\n  output: o\n  priority: INFO\n",
		  "t.rules:2:14: no macro `nosuch`" },
		{ "- rule: r\n  condition: >\n    fd.name = x and\n      (proc.pid = abc)\n  output: o\n  priority: INFO\n",
		  "t.rules:4:19: `proc.pid` is a number, not `abc`" },
		{ "- rule: r\n  condition: proc.pid contains 4\n  output: o\n  priority: INFO\n",
		  "t.rules:2:23: `proc.pid` does not take `contains` (it is a number)" },
		{ "- rule: r\n  condition: fd.name < x\n  output: o\n  priority: INFO\n",
		  "t.rules:2:22: `fd.name` does not take `<` (it is a string)" },
		{ "- rule: r\n  condition: \"(fd.name = x\"\n  output: o\n  priority: INFO\n",
		  "t.rules:2:27: `)` to close the `(`, not the end" },
		{ "- rule: r\n  condition: fd.name = x y\n  output: o\n  priority: INFO\n",
		  "t.rules:2:26: `and`, `or` or the end, not y" },
		{ "- rule: r\n  condition: fd.name in (a b)\n  output: o\n  priority: INFO\n",
		  "t.rules:2:28: `,` or `)` between items, not b" },
		{ "- rule: r\n  condition: fd.name = 'x\n  output: o\n  priority: INFO\n",
		  "t.rules:2:24: a string without its closing '" },
		{ "- rule: r\n  condition: fd.name\n  output: o\n  priority: INFO\n",
		  "t.rules:2:21: an operator after `fd.name`, not the end" },
		{ "- rule: r\n  condition: fd.name =\n  output: o\n  priority: INFO\n",
		  "t.rules:2:23: a value after `fd.name =`, not the end" },
		{ "- rule: r\n  condition: ' '\n  output: o\n  priority: INFO\n",
		  "t.rules:2:16: an empty condition" },
		{ "- macro: a\n  condition: b\n- macro: b\n  condition: a\n"
		  "- rule: r\n  condition: a\n  output: o\n  priority: INFO\n",
		  "t.rules:4:14: macro `a` uses itself" },
		{ "- list: l\n  items: [l2]\n- list: l2\n  items: [l]\n"
		  "- rule: r\n  condition: fd.name in (l)\n  output: o\n  priority: INFO\n",
		  "t.rules:6:26: list `l` names itself" },
		{ "- rule: r\n  condition: fd.name = x\n  output: file=%fd.nam\n  priority: INFO\n",
		  "t.rules:3:16: no field `%fd.nam` in brig's events (brigctl(8) lists them)" },
		{ "- rule: r\n  condition: fd.name = x\n  output: o\n  priority: LOUD\n",
		  "t.rules:4:13: no such priority: EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL or DEBUG" },
		{ "- rule: r\n  condition: fd.name = x\n  output: o\n",
		  "t.rules:1:3: a rule needs a `condition`, an `output` and a `priority`" },
		{ "- rule: r\n  condtion: fd.name = x\n  output: o\n  priority: INFO\n",
		  "t.rules:2:3: a rule has no key `condtion`" },
		{ "- rule: r\n  condition: fd.name = x\n  exceptions: []\n  output: o\n  priority: INFO\n",
		  "t.rules:3:3: `exceptions` is not in brig's subset of the rules language: write it into the condition" },
		{ "- rule: r\n  condition: fd.name = x\n  output: o\n  priority: INFO\n  action: kill\n",
		  "t.rules:5:11: no such action: stop or enforce" },
		{ "- rule: r\n  condition: fd.name = x\n  output: o\n  priority: INFO\n  source: k8s_audit\n",
		  "t.rules:5:11: brig's events are of source `syscall`" },
		{ "- rule: r\n  enabled: false\n", "t.rules:1:9: `enabled` alone, for a rule not defined before" },
		{ "- list: l\n  items: [a]\n  append: true\n", "t.rules:1:9: `append` to a list not defined before" },
		{ "- list: l\n  items: a\n", "t.rules:2:10: `items` takes a list: [a, b]" },
		{ "- macro: m\n", "t.rules:1:3: a macro needs a `condition`" },
		{ "- ship: x\n", "t.rules:1:3: an entry is a list, a macro or a rule" },
		{ "rule: r\n", "t.rules:1:1: a rules file is a list of entries (- rule: ...)" },
		{ "- rule: [\n", "t.rules:2:1: did not find expected node content, while parsing a flow node" },
		{ "- rule: r\n  condition: fd.name = x\n  output: o\n  priority: INFO\n---\n- list: l\n  items: []\n",
		  "t.rules:5:1: one YAML document per rules file" },
		{ "- rule: r\n  condition: fd.name = x\n  condition: fd.name = y\n  output: o\n  priority: INFO\n",
		  "t.rules:3:3: `condition` twice in one rule" },
		/* Escapes make the value's bytes other than the file's: the scalar's start is said. */
		{ "- rule: r\n  condition: \"fd.name = \\x41 and nosuch\"\n  output: o\n  priority: INFO\n",
		  "t.rules:2:15: no macro `nosuch`" },
	};
	char *msg;

	for (size_t i = 0; i < N(cases); i++) {
		struct brig_rules *r = load(cases[i].text, &msg);

		ok(!r && msg && !strcmp(msg, cases[i].msg), "refused: %s", cases[i].msg);
		if (msg && strcmp(msg, cases[i].msg))
			diag("said: %s", msg);
		brig_rules_free(r);
		free(msg);
	}
}

static void nesting_is_bounded(void)
{
	char text[8192] = "- rule: r\n  condition: ", *msg;
	struct brig_rules *r;
	size_t n = strlen(text);

	for (int i = 0; i < BRIG_RULES_DEPTH_MAX + 1; i++)
		text[n++] = '(';
	strcpy(text + n, "fd.name = x");
	n += strlen(text + n);
	for (int i = 0; i < BRIG_RULES_DEPTH_MAX + 1; i++)
		text[n++] = ')';
	strcpy(text + n, "\n  output: o\n  priority: INFO\n");
	r = load(text, &msg);
	ok(!r && msg && strstr(msg, "nested too deeply (at most 64)"),
	   "parentheses deeper than BRIG_RULES_DEPTH_MAX are refused");
	free(msg);
	brig_rules_free(r);

	/* A long chain is one node: no limit but the file's size. */
	strcpy(text, "- rule: r\n  condition: fd.name = a");
	for (int i = 0; i < 300; i++)
		strcat(text, " or fd.name = a");
	strcat(text, " or fd.name = /bin/sh\n  output: o\n  priority: INFO\n");
	r = load(text, &msg);
	ok(r != NULL, "a chain of 300 `or` loads");
	if (r) {
		struct brig_event sh = file_event("exec", "/bin/sh", BRIG_PERM_EXEC,
						  BRIG_VERDICT_AUDIT);
		int hits = 0;

		brig_rules_match(r, &sh, count_match, &hits);
		ok(hits == 1, "and its last term is reached");
	} else {
		ok(false, "and its last term is reached: %s", msg);
	}
	free(msg);
	brig_rules_free(r);
}

/* What a hostile file could make cost without end: each bounded, or done once. */
static void costs_are_bounded(void)
{
	struct brig_event sh = file_event("exec", "/bin/sh", BRIG_PERM_EXEC, BRIG_VERDICT_AUDIT);
	size_t cap = 2 << 20, n;
	char *text = malloc(cap), *msg;
	struct brig_rules *r;
	int hits = 0;

	/* m_i names m_{i-1} three times: 3^30 evaluations, were each macro not taken once an event. */
	n = (size_t)snprintf(text, cap, "- macro: m0\n  condition: fd.name = /bin/sh\n");
	for (int i = 1; i <= 30; i++)
		n += (size_t)snprintf(text + n, cap - n, "- macro: m%d\n  condition: m%d or m%d or m%d\n",
				      i, i - 1, i - 1, i - 1);
	snprintf(text + n, cap - n, "- rule: r\n  condition: m30\n  output: o\n  priority: INFO\n");
	r = load(text, &msg);
	if (r)
		brig_rules_match(r, &sh, count_match, &hits);
	ok(r && hits == 1, "macros that name one another many times are evaluated once an event");
	brig_rules_free(r);
	free(msg);

	/* l_i is l_{i-1} twice, all empty: 2^40 visits for nothing. */
	n = (size_t)snprintf(text, cap, "- list: l0\n  items: []\n");
	for (int i = 1; i <= 40; i++)
		n += (size_t)snprintf(text + n, cap - n, "- list: l%d\n  items: [l%d, l%d]\n", i, i - 1,
				      i - 1);
	snprintf(text + n, cap - n, "- rule: r\n  condition: fd.name in (l40)\n  output: o\n"
		 "  priority: INFO\n");
	r = load(text, &msg);
	ok(!r && msg && strstr(msg, "the conditions' lists expand to too much (at most 1048576 items"),
	   "lists that double at each step are refused, not expanded: %s", msg ? msg : "loaded");
	brig_rules_free(r);
	free(msg);

	/* 100 macros, each the one before: refused before the compiler recurses 100 deep. */
	n = (size_t)snprintf(text, cap, "- macro: m0\n  condition: fd.name = x\n");
	for (int i = 1; i < 100; i++)
		n += (size_t)snprintf(text + n, cap - n, "- macro: m%d\n  condition: m%d\n", i, i - 1);
	snprintf(text + n, cap - n, "- rule: r\n  condition: m99\n  output: o\n  priority: INFO\n");
	r = load(text, &msg);
	ok(!r && msg && strstr(msg, "macros nested too deeply with `m35` (at most 64)"),
	   "a chain of 100 macros is refused at 64: %s", msg ? msg : "loaded");
	brig_rules_free(r);
	free(msg);

	/* One anchor of 1 MiB, its alias in 70 macros: 70 MiB copied. */
	n = (size_t)snprintf(text, cap, "- macro: a\n  condition: &c 'fd.name = ");
	memset(text + n, 'x', 1 << 20);
	n += 1 << 20;
	n += (size_t)snprintf(text + n, cap - n, "'\n");
	for (int i = 0; i < 70; i++)
		n += (size_t)snprintf(text + n, cap - n, "- macro: b%d\n  condition: *c\n", i);
	r = load(text, &msg);
	ok(!r && msg && strstr(msg, "the rules copy more than 64 MiB (aliases count again)"),
	   "an alias copied again and again is bounded: %s", msg ? msg : "loaded");
	brig_rules_free(r);
	free(msg);
	free(text);
}

static void overrides(void)
{
	struct brig_event sh = file_event("exec", "/bin/sh", BRIG_PERM_EXEC, BRIG_VERDICT_AUDIT);
	static const char text[] =
		"- list: l\n  items: [zsh]\n"
		"- list: l\n  items: [bash]\n  append: true\n"
		"- rule: a\n  condition: fd.filename in (l)\n  output: o\n  priority: INFO\n"
		"- rule: b\n  condition: later\n  output: o\n  priority: INFO\n"
		"- macro: later\n  condition: fd.filename = sh\n"
		"- rule: c\n  condition: fd.filename = sh\n  output: o\n  priority: INFO\n"
		"- rule: c\n  enabled: false\n"
		"- list: l\n  items: [sh]\n  append: true\n";
	struct names n = { "" };
	struct brig_rules *r;
	char *msg;

	r = load(text, &msg);
	ok(r && brig_rules_count(r) == 2, "a rule turned off by `enabled: false` alone is not counted");
	if (r)
		brig_rules_match(r, &sh, name_match, &n);
	ok(!strcmp(n.text, "a|b"), "a list appended to after its rule, a macro defined after its "
	   "rule: all is loaded before anything is compiled (%s)", n.text);
	free(msg);
	brig_rules_free(r);
}

static int first_rule(const struct brig_rule *rule, void *arg)
{
	*(const struct brig_rule **)arg = rule;
	return 1;
}

static const char *get_string(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static void alerts(void)
{
	static const char text[] =
		"- rule: Shell spawned in container\n"
		"  condition: fd.filename = sh\n"
		"  output: >\n    A shell (shell=%fd.name parent=%proc.name pid=%proc.pid\n"
		"    cap=%brig.capability). %fd.name.\n"
		"  priority: notice\n"
		"  tags: [container, shell]\n";
	static const char *const keys[] = {
		"hostname", "output", "priority", "rule", "source", "tags", "time", "output_fields",
	};
	static const char want_text[] = "22:13:20.123456789: Notice A shell (shell=/bin/sh "
		"parent=nginx pid=42 cap=<NA>). /bin/sh.";
	struct brig_event sh = file_event("exec", "/bin/sh", BRIG_PERM_EXEC, BRIG_VERDICT_AUDIT);
	const struct brig_rule *rule = NULL;
	json_object *o, *v, *fields, *tags;
	struct brig_rules *r;
	char line[1024], *msg;
	bool keys_ok;

	r = load(text, &msg);
	if (r)
		brig_rules_match(r, &sh, first_rule, &rule);
	ok(rule != NULL, "a rule with an output over two lines loads and matches");
	if (!rule) {
		diag("%s", msg);
		free(msg);
		brig_rules_free(r);
		return;
	}
	brig_alert_text(rule, &sh, line, sizeof(line));
	ok(!strcmp(line, want_text), "the text alert is Falco's: time, priority, output, "
	   "<NA> for a field the event lacks, a sentence's dot not the field's");
	if (strcmp(line, want_text))
		diag("%s", line);

	o = brig_alert_json(rule, &sh, "h1");
	keys_ok = json_object_object_length(o) == (int)N(keys);
	for (size_t i = 0; i < N(keys); i++)
		keys_ok = keys_ok && json_object_object_get_ex(o, keys[i], NULL);
	ok(keys_ok, "the JSON alert has Falco's eight keys and no other");
	ok(!strcmp(get_string(o, "hostname") ?: "", "h1") &&
	   !strcmp(get_string(o, "output") ?: "", want_text) &&
	   !strcmp(get_string(o, "priority") ?: "", "Notice") &&
	   !strcmp(get_string(o, "rule") ?: "", "Shell spawned in container") &&
	   !strcmp(get_string(o, "source") ?: "", "syscall") &&
	   !strcmp(get_string(o, "time") ?: "", "2023-11-14T22:13:20.123456789Z"),
	   "hostname, output, priority, rule, source and time, as Falco writes them");
	ok(json_object_object_get_ex(o, "tags", &tags) && json_object_array_length(tags) == 2 &&
	   !strcmp(json_object_get_string(json_object_array_get_idx(tags, 0)), "container") &&
	   !strcmp(json_object_get_string(json_object_array_get_idx(tags, 1)), "shell"),
	   "tags: the rule's, in order");
	ok(json_object_object_get_ex(o, "output_fields", &fields) &&
	   json_object_object_length(fields) == 5 &&
	   json_object_object_get_ex(fields, "evt.time", &v) && json_object_is_type(v, json_type_int) &&
	   json_object_get_int64(v) == 1700000000123456789LL &&
	   !strcmp(get_string(fields, "fd.name") ?: "", "/bin/sh") &&
	   !strcmp(get_string(fields, "proc.name") ?: "", "nginx") &&
	   json_object_object_get_ex(fields, "proc.pid", &v) && json_object_is_type(v, json_type_int) &&
	   json_object_get_int64(v) == 42 &&
	   json_object_object_get_ex(fields, "brig.capability", &v) && v == NULL,
	   "output_fields: evt.time in nanoseconds, each %%field once, typed, null where absent");
	json_object_put(o);

	strcpy(sh.info.comm, "a\x1b[2Jb");
	brig_alert_text(rule, &sh, line, sizeof(line));
	ok(strstr(line, "parent=a\\x1b[2Jb ") != NULL,
	   "a control byte from inside the container is printed as \\xHH");
	brig_rules_free(r);
}

static void falco_events(void)
{
	static const struct {
		uint32_t verdict;
		const char *rule, *priority;
	} want[] = {
		{ BRIG_VERDICT_DENIED, "brig denied", "Warning" },
		{ BRIG_VERDICT_ALLOWED, "brig complain", "Notice" },
		{ BRIG_VERDICT_AUDIT, "brig audit", "Informational" },
	};
	struct brig_error *err = NULL;
	struct brig_rules *r = NULL;
	json_object *o, *fields, *v;

	ok(!brig_rules_events(&r, &err) && brig_rules_count(r) == 3,
	   "brigctl events --falco: a rule per verdict");
	for (size_t i = 0; r && i < N(want); i++) {
		struct brig_event ev = cap_event(21);
		const struct brig_rule *rule = NULL;
		int n = 0;

		ev.info.verdict = want[i].verdict;
		brig_rules_match(r, &ev, count_match, &n);
		brig_rules_match(r, &ev, first_rule, &rule);
		if (!rule) {
			ok(false, "%s: an alert", want[i].rule);
			continue;
		}
		o = brig_alert_json(rule, &ev, "h1");
		ok(n == 1 && !strcmp(get_string(o, "rule") ?: "", want[i].rule) &&
		   !strcmp(get_string(o, "priority") ?: "", want[i].priority),
		   "%s: one alert, %s", want[i].rule, want[i].priority);
		if (i == 0) {
			ok(!strcmp(get_string(o, "output") ?: "", "22:13:20.123456789: Warning DENIED "
				   "op=capable container=web pid=42 comm=\"nginx\" capability=21 "
				   "capname=sys_admin"), "its output is the kernel log's line");
			ok(json_object_object_get_ex(o, "output_fields", &fields) &&
			   !strcmp(get_string(fields, "brig.capability") ?: "", "CAP_SYS_ADMIN") &&
			   !strcmp(get_string(fields, "evt.type") ?: "", "capable") &&
			   !strcmp(get_string(fields, "container.id") ?: "", "web") &&
			   json_object_object_get_ex(fields, "proc.pid", &v) &&
			   json_object_get_int64(v) == 42 &&
			   !json_object_object_get_ex(fields, "fd.name", NULL),
			   "its output_fields: every field the event has, none it lacks");
		}
		json_object_put(o);
	}
	brig_rules_free(r);
	brig_error_free(&err);
}

static void detect_rules(void)
{
	struct brig_event mount = event(BRIG_KIND_MOUNT, BRIG_VERDICT_DENIED);
	struct brig_event dev = event(BRIG_KIND_DEVICE, BRIG_VERDICT_DENIED);
	struct brig_event cap_complain = cap_event(12);
	const struct {
		const char *what;
		struct brig_event ev;
		const char *fires;
	} cases[] = {
		{ "an exec of /bin/sh",
		  file_event("exec", "/bin/sh", BRIG_PERM_EXEC, BRIG_VERDICT_AUDIT),
		  "Shell spawned in container" },
		{ "an exec of /usr/bin/bash, refused",
		  file_event("exec", "/usr/bin/bash", BRIG_PERM_EXEC, BRIG_VERDICT_DENIED),
		  "Shell spawned in container" },
		{ "a write to /usr/bin/top",
		  file_event("open", "/usr/bin/top", BRIG_PERM_WRITE, BRIG_VERDICT_AUDIT),
		  "Write below binary dir" },
		{ "an append to /sbin/init",
		  file_event("open", "/sbin/init", BRIG_PERM_APPEND, BRIG_VERDICT_DENIED),
		  "Write below binary dir" },
		{ "a read of /etc/shadow",
		  file_event("open", "/etc/shadow", BRIG_PERM_READ, BRIG_VERDICT_AUDIT),
		  "Read sensitive file untrusted" },
		{ "a packet socket", socket_event(AF_PACKET, SOCK_RAW),
		  "Packet socket created in container" },
		{ "CAP_SYS_ADMIN refused", cap_event(21), "Capability denied in container" },
		{ "CAP_NET_ADMIN in complain mode", cap_complain, "Capability denied in container" },
		{ "a fork at the ceiling", task_event(), "Task ceiling hit in container" },
		{ "an exec of /usr/bin/python3",
		  file_event("exec", "/usr/bin/python3", BRIG_PERM_EXEC, BRIG_VERDICT_AUDIT), "" },
		{ "a read of /usr/bin/top",
		  file_event("open", "/usr/bin/top", BRIG_PERM_READ, BRIG_VERDICT_AUDIT), "" },
		{ "a write to /etc/shadow",
		  file_event("open", "/etc/shadow", BRIG_PERM_WRITE, BRIG_VERDICT_AUDIT), "" },
		{ "a write to /usr/lib/x",
		  file_event("open", "/usr/lib/x", BRIG_PERM_WRITE, BRIG_VERDICT_AUDIT), "" },
		{ "a rename below /usr/bin",
		  file_event("rename", "/usr/bin/top", BRIG_PERM_WRITE, BRIG_VERDICT_AUDIT), "" },
		{ "a raw inet socket", socket_event(AF_INET, SOCK_RAW), "" },
		{ "a mount", mount, "" },
		{ "a device", dev, "" },
	};
	const char *path_list[1];
	struct brig_error *err = NULL;
	struct brig_rules *r = NULL;
	char path[4096];

	cap_complain.info.verdict = BRIG_VERDICT_ALLOWED;
	snprintf(path, sizeof(path), "%s/examples/detect.rules", root);
	path_list[0] = path;
	ok(!brig_rules_load(path_list, 1, &r, &err) && brig_rules_count(r) == 6,
	   "examples/detect.rules loads: 6 rules");
	if (err)
		diag("%s", err->msg);
	for (size_t i = 0; r && i < N(cases); i++) {
		struct names n = { "" };
		struct brig_event ev = cases[i].ev;

		if (i == 7)
			ev.info.verdict = BRIG_VERDICT_ALLOWED;
		brig_rules_match(r, &ev, name_match, &n);
		ok(!strcmp(n.text, cases[i].fires), "%s: %s", cases[i].what,
		   cases[i].fires[0] ? cases[i].fires : "no rule fires");
		if (strcmp(n.text, cases[i].fires))
			diag("fired: %s", n.text);
	}
	brig_rules_free(r);
	brig_error_free(&err);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		root = argv[1];
	setenv("TZ", "UTC", 1);
	fields();
	conditions();
	errors();
	nesting_is_bounded();
	costs_are_bounded();
	overrides();
	alerts();
	falco_events();
	detect_rules();
	return tap_done();
}
