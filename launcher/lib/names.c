// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: the vocabulary's tables (uapi/brig.h) and the event line. The
 * line follows kmod/event.c's brig_event_log() field for field; a VM test
 * compares the two for every kind.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>

#include "names.h"
#include "nl.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const cap_log_names[] = BRIG_CAP_NAMES;
static const char *const verdict_names[] = BRIG_VERDICT_NAMES;
static const char *const kind_ops[] = BRIG_KIND_OPS;
static const char *const family_names[] = BRIG_FAMILY_NAMES;
static const char *const type_names[] = BRIG_TYPE_NAMES;

_Static_assert(N(cap_log_names) == BRIG_CAP_NAMES_COUNT, "a name for every capability");
_Static_assert(N(verdict_names) == BRIG_VERDICT_MAX + 1, "a name for every verdict");
_Static_assert(N(kind_ops) == BRIG_KIND_MAX + 1, "an op for every kind");

int brig_cap_from_name(const char *name)
{
	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	for (int i = 0; i < (int)N(cap_log_names); i++)
		if (!strcasecmp(name, cap_log_names[i]))
			return i;
	return -1;
}

const char *brig_cap_log_name(int cap)
{
	return cap >= 0 && cap < (int)N(cap_log_names) ? cap_log_names[cap] : "?";
}

const char *brig_cap_name(int cap)
{
	/* Upper case of the log's names, made once. */
	static char upper[N(cap_log_names)][24];

	if (cap < 0 || cap >= (int)N(cap_log_names))
		return "?";
	if (!upper[cap][0]) {
		size_t i;

		for (i = 0; cap_log_names[cap][i] && i + 1 < sizeof(upper[cap]); i++)
			upper[cap][i] = toupper((unsigned char)cap_log_names[cap][i]);
		upper[cap][i] = '\0';
	}
	return upper[cap];
}

const char *brig_family_name(uint32_t family)
{
	return family < N(family_names) ? family_names[family] : NULL;
}

const char *brig_type_name(uint32_t type)
{
	return type < N(type_names) ? type_names[type] : NULL;
}

const char *brig_verdict_name(uint32_t verdict)
{
	return verdict < N(verdict_names) && verdict_names[verdict] ? verdict_names[verdict] : "?";
}

const char *brig_kind_op(uint32_t kind)
{
	return kind < N(kind_ops) && kind_ops[kind] ? kind_ops[kind] : "?";
}

void brig_perm_letters(uint32_t perms, char buf[sizeof(BRIG_PERM_LETTERS)])
{
	static const char letters[] = BRIG_PERM_LETTERS;
	int n = 0;

	for (int i = 0; letters[i]; i++)
		if (perms & (1U << i))
			buf[n++] = letters[i];
	buf[n] = '\0';
}

/* Appends to a bounded line, keeping count of what it needed. */
struct line {
	char *buf;
	size_t len, used;
};

static void add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct line *l, const char *fmt, ...)
{
	size_t room = l->used < l->len ? l->len - l->used : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? l->buf + l->used : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->used += n;
}

/*
 * " KEY=VALUE" for a name the container chose, as AppArmor logs one: in
 * double quotes if every byte is printable ASCII other than space and '"',
 * otherwise as uppercase hex without quotes.
 */
static void add_untrusted(struct line *l, const char *key, const char *value)
{
	const unsigned char *p;

	for (p = (const unsigned char *)value; *p; p++)
		if (*p == '"' || *p < 0x21 || *p > 0x7e)
			break;
	if (!*p) {
		add(l, " %s=\"%s\"", key, value);
		return;
	}
	add(l, " %s=", key);
	for (p = (const unsigned char *)value; *p; p++)
		add(l, "%02X", *p);
}

size_t brig_event_line(const struct brig_event_info *ev, char *buf, size_t len)
{
	struct line l = { buf, len, 0 };
	const char *family, *type;
	char req[sizeof(BRIG_PERM_LETTERS)], den[sizeof(BRIG_PERM_LETTERS)];

	if (len)
		buf[0] = '\0';
	brig_perm_letters(ev->requested, req);
	brig_perm_letters(ev->denied, den);
	add(&l, "%s op=%s container=%s pid=%u", brig_verdict_name(ev->verdict),
	    ev->op[0] ? ev->op : brig_kind_op(ev->kind), ev->name, ev->pid);
	add_untrusted(&l, "comm", ev->comm);
	switch (ev->kind) {
	case BRIG_KIND_CAP:
		add(&l, " capability=%u capname=%s", ev->cap, brig_cap_log_name(ev->cap));
		break;
	case BRIG_KIND_SOCKET:
		family = brig_family_name(ev->family);
		type = brig_type_name(ev->type);
		if (family && type)
			add(&l, " family=%s type=%s protocol=%u", family, type, ev->protocol);
		else
			add(&l, " family=%u type=%u protocol=%u", ev->family, ev->type,
			    ev->protocol);
		break;
	case BRIG_KIND_TASK:
		add(&l, " pids_max=%u", ev->pids_max);
		break;
	case BRIG_KIND_FILE:
		add_untrusted(&l, "name", ev->path);
		add(&l, " requested=%s %s=%s", req,
		    ev->verdict == BRIG_VERDICT_AUDIT ? "audited" : "denied", den);
		break;
	case BRIG_KIND_MOUNT:
		if (ev->path[0])
			add_untrusted(&l, "name", ev->path);
		break;
	case BRIG_KIND_DEVICE:
		add_untrusted(&l, "name", ev->path);
		add(&l, " dev=%c:%u:%u requested=%s denied=%s",
		    ev->dev_type == BRIG_DEVICE_BLOCK ? 'b' : 'c', major(ev->dev),
		    minor(ev->dev), req, den);
		break;
	}
	if (ev->lost)
		add(&l, " lost=%u", ev->lost);
	return l.used;
}
