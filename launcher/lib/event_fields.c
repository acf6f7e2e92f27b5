// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: an event's fields, under Falco's names where Falco has the field
 * (so that its rules read as they do there) and under brig.* for what only
 * brig sees. One table: a name, a type, and the case that extracts it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "event_fields.h"
#include "names.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum field {
	F_EVT_TIME, F_EVT_TIME_ISO, F_EVT_TYPE, F_EVT_DIR,
	F_EVT_IS_OPEN_READ, F_EVT_IS_OPEN_WRITE, F_EVT_IS_OPEN_EXEC,
	F_EVT_ARG_DOMAIN, F_EVT_ARG_TYPE, F_EVT_ARG_PROTO,
	F_PROC_NAME, F_PROC_PID,
	F_FD_NAME, F_FD_DIRECTORY, F_FD_FILENAME,
	F_CONTAINER_ID, F_CONTAINER_NAME,
	F_BRIG_ID, F_BRIG_VERDICT, F_BRIG_KIND, F_BRIG_OP, F_BRIG_CAPABILITY,
	F_BRIG_FAMILY, F_BRIG_TYPE, F_BRIG_REQUESTED, F_BRIG_DENIED, F_BRIG_PIDS_MAX,
	F_BRIG_DEVICE, F_BRIG_LOST, F_BRIG_LINE,
};

static const struct {
	const char *name;
	enum brig_field_type type;
} fields[] = {
	[F_EVT_TIME] = { "evt.time", BRIG_FIELD_NUMBER },
	[F_EVT_TIME_ISO] = { "evt.time.iso8601", BRIG_FIELD_STRING },
	[F_EVT_TYPE] = { "evt.type", BRIG_FIELD_STRING },
	[F_EVT_DIR] = { "evt.dir", BRIG_FIELD_STRING },
	[F_EVT_IS_OPEN_READ] = { "evt.is_open_read", BRIG_FIELD_BOOL },
	[F_EVT_IS_OPEN_WRITE] = { "evt.is_open_write", BRIG_FIELD_BOOL },
	[F_EVT_IS_OPEN_EXEC] = { "evt.is_open_exec", BRIG_FIELD_BOOL },
	[F_EVT_ARG_DOMAIN] = { "evt.arg.domain", BRIG_FIELD_STRING },
	[F_EVT_ARG_TYPE] = { "evt.arg.type", BRIG_FIELD_STRING },
	[F_EVT_ARG_PROTO] = { "evt.arg.proto", BRIG_FIELD_NUMBER },
	[F_PROC_NAME] = { "proc.name", BRIG_FIELD_STRING },
	[F_PROC_PID] = { "proc.pid", BRIG_FIELD_NUMBER },
	[F_FD_NAME] = { "fd.name", BRIG_FIELD_STRING },
	[F_FD_DIRECTORY] = { "fd.directory", BRIG_FIELD_STRING },
	[F_FD_FILENAME] = { "fd.filename", BRIG_FIELD_STRING },
	[F_CONTAINER_ID] = { "container.id", BRIG_FIELD_STRING },
	[F_CONTAINER_NAME] = { "container.name", BRIG_FIELD_STRING },
	[F_BRIG_ID] = { "brig.id", BRIG_FIELD_NUMBER },
	[F_BRIG_VERDICT] = { "brig.verdict", BRIG_FIELD_STRING },
	[F_BRIG_KIND] = { "brig.kind", BRIG_FIELD_STRING },
	[F_BRIG_OP] = { "brig.op", BRIG_FIELD_STRING },
	[F_BRIG_CAPABILITY] = { "brig.capability", BRIG_FIELD_STRING },
	[F_BRIG_FAMILY] = { "brig.family", BRIG_FIELD_STRING },
	[F_BRIG_TYPE] = { "brig.type", BRIG_FIELD_STRING },
	[F_BRIG_REQUESTED] = { "brig.requested", BRIG_FIELD_STRING },
	[F_BRIG_DENIED] = { "brig.denied", BRIG_FIELD_STRING },
	[F_BRIG_PIDS_MAX] = { "brig.pids_max", BRIG_FIELD_NUMBER },
	[F_BRIG_DEVICE] = { "brig.device", BRIG_FIELD_STRING },
	[F_BRIG_LOST] = { "brig.lost", BRIG_FIELD_NUMBER },
	[F_BRIG_LINE] = { "brig.line", BRIG_FIELD_STRING },
};

/* brig.kind's words, by enum brig_kind. */
static const char *const kind_names[] = {
	[BRIG_KIND_CAP] = "capability", [BRIG_KIND_SOCKET] = "socket",
	[BRIG_KIND_TASK] = "task", [BRIG_KIND_FILE] = "file",
	[BRIG_KIND_MOUNT] = "mount", [BRIG_KIND_DEVICE] = "device",
};

_Static_assert(N(kind_names) == BRIG_KIND_MAX + 1, "a name for every kind");

int brig_event_field_find(const char *name)
{
	for (size_t i = 0; i < N(fields); i++)
		if (!strcmp(name, fields[i].name))
			return (int)i;
	return -1;
}

const char *brig_event_field_name(int field)
{
	return field >= 0 && (size_t)field < N(fields) ? fields[field].name : "?";
}

enum brig_field_type brig_event_field_type(int field)
{
	return field >= 0 && (size_t)field < N(fields) ? fields[field].type : BRIG_FIELD_STRING;
}

size_t brig_event_fields_count(void)
{
	return N(fields);
}

static const char *op_of(const struct brig_event_info *ev)
{
	return ev->op[0] ? ev->op : brig_kind_op(ev->kind);
}

/* Falco's evt.type for brig's op: the syscall Falco would name. */
static const char *falco_type(const struct brig_event_info *ev)
{
	static const char *const types[][2] = {
		{ "exec", "execve" }, { "open", "openat" }, { "fork", "clone" },
		{ "lock", "flock" },
	};
	const char *op = op_of(ev);

	for (size_t i = 0; i < N(types); i++)
		if (!strcmp(op, types[i][0]))
			return types[i][1];
	return op;
}

static bool is_file(const struct brig_event_info *ev)
{
	return ev->kind == BRIG_KIND_FILE || ev->kind == BRIG_KIND_DEVICE ||
	       (ev->kind == BRIG_KIND_MOUNT && ev->path[0]);
}

/* "AF_PACKET", "SOCK_RAW": a name upper-cased behind a @prefix, as is without; or the number. */
static const char *socket_word(struct brig_field_value *v, const char *prefix, const char *name,
			       uint32_t number)
{
	size_t n;

	if (!name) {
		snprintf(v->buf, sizeof(v->buf), "%u", number);
		return v->buf;
	}
	n = (size_t)snprintf(v->buf, sizeof(v->buf), "%s", prefix);
	for (size_t i = 0; name[i] && n + 1 < sizeof(v->buf); i++)
		v->buf[n++] = *prefix ? toupper((unsigned char)name[i]) : name[i];
	v->buf[n] = '\0';
	return v->buf;
}

static bool set_text(struct brig_field_value *v, const char *text)
{
	v->type = BRIG_FIELD_STRING;
	v->text = text;
	return true;
}

static bool set_number(struct brig_field_value *v, int64_t n)
{
	v->type = BRIG_FIELD_NUMBER;
	v->number = n;
	snprintf(v->buf, sizeof(v->buf), "%lld", (long long)n);
	v->text = v->buf;
	return true;
}

static bool set_bool(struct brig_field_value *v, bool b)
{
	v->type = BRIG_FIELD_BOOL;
	v->number = b;
	v->text = b ? "true" : "false";
	return true;
}

/* The open's permissions, for evt.is_open_*: Falco has them for opens only. */
static bool open_perm(const struct brig_event_info *ev, uint32_t perms,
		      struct brig_field_value *v)
{
	if (!is_file(ev) || strcmp(op_of(ev), "open"))
		return false;
	return set_bool(v, ev->requested & perms);
}

bool brig_event_field(const struct brig_event *e, int field, struct brig_field_value *v)
{
	const struct brig_event_info *ev = &e->info;
	const char *slash;
	struct tm tm;

	memset(v, 0, offsetof(struct brig_field_value, buf));
	v->buf[0] = '\0';
	switch ((enum field)field) {
	case F_EVT_TIME:
		set_number(v, (int64_t)e->time.tv_sec * 1000000000 + e->time.tv_nsec);
		/* As Falco prints it: the local time of day, to the nanosecond. */
		localtime_r(&e->time.tv_sec, &tm);
		snprintf(v->buf, sizeof(v->buf), "%02d:%02d:%02d.%09ld", tm.tm_hour, tm.tm_min,
			 tm.tm_sec, e->time.tv_nsec);
		return true;
	case F_EVT_TIME_ISO:
		gmtime_r(&e->time.tv_sec, &tm);
		snprintf(v->buf, sizeof(v->buf), "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, e->time.tv_nsec);
		return set_text(v, v->buf);
	case F_EVT_TYPE:
		return set_text(v, falco_type(ev));
	case F_EVT_DIR:
		return set_text(v, "<");	/* checked on the way in, as an exit's */
	case F_EVT_IS_OPEN_READ:
		return open_perm(ev, BRIG_PERM_READ, v);
	case F_EVT_IS_OPEN_WRITE:
		return open_perm(ev, BRIG_PERM_WRITE | BRIG_PERM_APPEND, v);
	case F_EVT_IS_OPEN_EXEC:
		return open_perm(ev, BRIG_PERM_EXEC, v);
	case F_EVT_ARG_DOMAIN:
		return ev->kind == BRIG_KIND_SOCKET &&
		       set_text(v, socket_word(v, "AF_", brig_family_name(ev->family), ev->family));
	case F_EVT_ARG_TYPE:
		return ev->kind == BRIG_KIND_SOCKET &&
		       set_text(v, socket_word(v, "SOCK_", brig_type_name(ev->type), ev->type));
	case F_EVT_ARG_PROTO:
		return ev->kind == BRIG_KIND_SOCKET && set_number(v, ev->protocol);
	case F_PROC_NAME:
		return set_text(v, ev->comm);
	case F_PROC_PID:
		return set_number(v, ev->pid);
	case F_FD_NAME:
		return is_file(ev) && set_text(v, ev->path);
	case F_FD_DIRECTORY:
		if (!is_file(ev))
			return false;
		slash = strrchr(ev->path, '/');
		if (!slash)
			return set_text(v, ".");
		snprintf(v->buf, sizeof(v->buf), "%.*s", slash == ev->path ? 1 : (int)(slash - ev->path),
			 ev->path);
		return set_text(v, v->buf);
	case F_FD_FILENAME:
		if (!is_file(ev))
			return false;
		slash = strrchr(ev->path, '/');
		return set_text(v, slash ? slash + 1 : ev->path);
	case F_CONTAINER_ID:
	case F_CONTAINER_NAME:
		return set_text(v, ev->name);
	case F_BRIG_ID:
		return set_number(v, ev->id);
	case F_BRIG_VERDICT:
		return set_text(v, brig_verdict_name(ev->verdict));
	case F_BRIG_KIND:
		return ev->kind < N(kind_names) && kind_names[ev->kind] &&
		       set_text(v, kind_names[ev->kind]);
	case F_BRIG_OP:
		return set_text(v, op_of(ev));
	case F_BRIG_CAPABILITY:
		if (ev->kind != BRIG_KIND_CAP)
			return false;
		snprintf(v->buf, sizeof(v->buf), "CAP_%s", brig_cap_name((int)ev->cap));
		return set_text(v, v->buf);
	case F_BRIG_FAMILY:
		return ev->kind == BRIG_KIND_SOCKET &&
		       set_text(v, socket_word(v, "", brig_family_name(ev->family), ev->family));
	case F_BRIG_TYPE:
		return ev->kind == BRIG_KIND_SOCKET &&
		       set_text(v, socket_word(v, "", brig_type_name(ev->type), ev->type));
	case F_BRIG_REQUESTED:
		if (ev->kind != BRIG_KIND_FILE && ev->kind != BRIG_KIND_DEVICE)
			return false;
		brig_perm_letters(ev->requested, v->buf);
		return set_text(v, v->buf);
	case F_BRIG_DENIED:
		if (ev->kind != BRIG_KIND_FILE && ev->kind != BRIG_KIND_DEVICE)
			return false;
		brig_perm_letters(ev->denied, v->buf);
		return set_text(v, v->buf);
	case F_BRIG_PIDS_MAX:
		return ev->kind == BRIG_KIND_TASK && set_number(v, ev->pids_max);
	case F_BRIG_DEVICE:
		if (ev->kind != BRIG_KIND_DEVICE)
			return false;
		snprintf(v->buf, sizeof(v->buf), "%c:%u:%u",
			 ev->dev_type == BRIG_DEVICE_BLOCK ? 'b' : 'c', major(ev->dev), minor(ev->dev));
		return set_text(v, v->buf);
	case F_BRIG_LOST:
		return set_number(v, ev->lost);
	case F_BRIG_LINE:
		brig_event_line(ev, v->buf, sizeof(v->buf));
		return set_text(v, v->buf);
	}
	return false;
}
