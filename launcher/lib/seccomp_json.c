// SPDX-License-Identifier: GPL-2.0
/*
 * Seccomp profiles in Docker's JSON format (json-c), loaded strictly: every
 * key known, every name checked, errors naming the file and the field.
 * seccomp.c compiles what this loads.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "policy.h"
#include "seccomp.h"
#include "cleanup.h"
#include "json_locate.h"
#include "seccomp_json.h"

static const char *const action_names[] = {
	[BRIG_SC_KILL_THREAD] = "SCMP_ACT_KILL",
	[BRIG_SC_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
	[BRIG_SC_TRAP] = "SCMP_ACT_TRAP",
	[BRIG_SC_ERRNO] = "SCMP_ACT_ERRNO",
	[BRIG_SC_TRACE] = "SCMP_ACT_TRACE",
	[BRIG_SC_LOG] = "SCMP_ACT_LOG",
	[BRIG_SC_ALLOW] = "SCMP_ACT_ALLOW",
};
int sc_fail(struct sc_loader *ld, const char *where, const char *fmt,
	    const char *what)
{
	const char *path = where;
	char msg[256], full[512];
	int line, col;

	snprintf(msg, sizeof(msg), fmt, what);
	if (!strncmp(path, "top level", 9))
		path += path[9] == '.' ? 10 : 9;
	/* Within a larger file (an OCI config), paths and messages start at the profile. */
	if (ld->at) {
		snprintf(full, sizeof(full), "%s%s%s", ld->at, *path ? "." : "", path);
		path = where = full;
	}
	if (ld->text && !brig_json_locate(ld->text, path, &line, &col))
		return brig_error_make(ld->err, 0, "%s:%d:%d: %s: %s", ld->path, line, col,
				       where, msg);
	return brig_error_make(ld->err, 0, "%s: %s: %s", ld->path, where, msg);
}

char *sc_keep(struct sc_loader *ld, char *s)
{
	char **strings;

	if (!s)
		return NULL;
	strings = realloc(ld->st->strings, (ld->st->n_strings + 1) * sizeof(*strings));
	if (!strings) {
		free(s);
		return NULL;
	}
	ld->st->strings = strings;
	strings[ld->st->n_strings++] = s;
	return s;
}

struct json_object *sc_field(struct json_object *obj, const char *key,
			     json_type type, struct sc_loader *ld,
			     const char *where, int *bad)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	if (!json_object_is_type(v, type)) {
		static const char *const type_names[] = {
			[json_type_boolean] = "a boolean", [json_type_double] = "a number",
			[json_type_int] = "an integer", [json_type_object] = "an object",
			[json_type_array] = "an array", [json_type_string] = "a string",
		};
		char w[128];

		snprintf(w, sizeof(w), "%s.%s", where, key);
		*bad = sc_fail(ld, w, "expected %s", type_names[type]);
		return NULL;
	}
	return v;
}

int sc_known_keys(struct sc_loader *ld, struct json_object *obj,
		  const char *where, const char *const *keys)
{
	json_object_object_foreach(obj, key, val) {
		const char *const *k;

		(void)val;
		for (k = keys; *k && strcmp(*k, key); k++)
			;
		if (!*k) {
			char w[256];

			/* At the field itself. */
			if (!strcmp(where, "top level"))
				snprintf(w, sizeof(w), "%s", key);
			else
				snprintf(w, sizeof(w), "%s.%s", where, key);
			return sc_fail(ld, w, "unknown field \"%s\"", key);
		}
	}
	return 0;
}

int sc_parse_action(struct sc_loader *ld, struct json_object *v,
		    const char *where, enum brig_sc_action *action)
{
	const char *s = json_object_get_string(v);
	size_t i;

	for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++) {
		if (!strcmp(s, action_names[i])) {
			*action = i;
			return 0;
		}
	}
	if (!strcmp(s, "SCMP_ACT_KILL_THREAD")) {
		*action = BRIG_SC_KILL_THREAD;
		return 0;
	}
	if (!strcmp(s, "SCMP_ACT_NOTIFY"))
		return sc_fail(ld, where, "%s needs a seccomp agent, which brig does not run", s);
	return sc_fail(ld, where, "unknown action '%s'", s);
}

int sc_parse_errno_name(struct sc_loader *ld, struct json_object *v,
			const char *where, int *out)
{
	const char *name = json_object_get_string(v);
	int e;

	/* containers/common's spelling: "EPERM". */
	for (e = 1; e < 4096; e++) {
		const char *known = strerrorname_np(e);

		if (known && !strcmp(known, name)) {
			*out = e;
			return 0;
		}
	}
	return sc_fail(ld, where, "unknown errno name '%s'", name);
}

int sc_parse_errno(struct sc_loader *ld, struct json_object *v,
		   const char *where, int *out)
{
	int64_t n = json_object_get_int64(v);

	/* 0 would make a refused call look like a success. */
	if (n < 1 || n > 4095)
		return sc_fail(ld, where, "%s is not an errno (1 to 4095)",
			       json_object_to_json_string(v));
	*out = n;
	return 0;
}

int sc_join_strings(struct sc_loader *ld, struct json_object *arr,
		    const char *where, bool (*valid)(const char *),
		    const char **out)
{
	size_t i, n = json_object_array_length(arr), len = 1;
	char *s, *p;

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(e, json_type_string))
			return sc_fail(ld, where, "%s", "expected an array of strings");
		if (!valid(json_object_get_string(e)))
			return sc_fail(ld, where, "invalid name \"%s\"",
				       json_object_get_string(e));
		len += json_object_get_string_len(e) + 1;
	}
	s = p = sc_keep(ld, malloc(len));
	if (!s)
		return brig_error_make(ld->err, ENOMEM, "%s", ld->path);
	*p = '\0';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? " " : "", json_object_get_string(
				     json_object_array_get_idx(arr, i)));
	*out = s;
	return 0;
}

bool sc_valid_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* "SCMP_ARCH_X86_64" -> "x86_64", libseccomp's name. */
static bool valid_scmp_arch(const char *s)
{
	return !strncmp(s, "SCMP_ARCH_", 10) && sc_valid_word(s + 10);
}

static const char *scmp_arch_name(struct sc_loader *ld, const char *s)
{
	char *name = sc_keep(ld, strdup(s + 10)), *p;

	for (p = name; p && *p; p++)
		*p = tolower((unsigned char)*p);
	return name;
}

static int parse_arch_map(struct sc_loader *ld, struct json_object *arr)
{
	static const char *const keys[] = { "architecture", "subArchitectures", NULL };
	size_t i, n = json_object_array_length(arr);

	ld->st->arch_map = calloc(n ? n : 1, sizeof(*ld->st->arch_map));
	if (!ld->st->arch_map)
		return brig_error_make(ld->err, ENOMEM, "%s", ld->path);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i), *arch, *sub;
		struct brig_sc_arch *m = &ld->st->arch_map[i];
		const char *subs = "";
		char w[64], *p;
		int bad = 0;

		snprintf(w, sizeof(w), "archMap[%zu]", i);
		if (!json_object_is_type(e, json_type_object))
			return sc_fail(ld, w, "%s", "expected an object");
		if (sc_known_keys(ld, e, w, keys))
			return -1;
		arch = sc_field(e, "architecture", json_type_string, ld, w, &bad);
		sub = bad ? NULL : sc_field(e, "subArchitectures", json_type_array, ld, w, &bad);
		if (bad)
			return -1;
		if (!arch || !valid_scmp_arch(json_object_get_string(arch)))
			return sc_fail(ld, w, "%s", "expected \"architecture\": \"SCMP_ARCH_...\"");
		m->arch = scmp_arch_name(ld, json_object_get_string(arch));
		if (sub && json_object_array_length(sub) &&
		    sc_join_strings(ld, sub, w, valid_scmp_arch, &subs))
			return -1;
		/*
		 * "SCMP_ARCH_X86 SCMP_ARCH_X32" -> "x86 x32": the prefix off
		 * the start of each name, never inside one ("SCMP_ARCH_A_SCMP_ARCH_").
		 */
		m->sub = p = sc_keep(ld, malloc(strlen(subs) + 1));
		if (!m->arch || !p)
			return brig_error_make(ld->err, ENOMEM, "%s", ld->path);
		for (const char *q = subs; *q; ) {
			if ((q == subs || q[-1] == ' ') && !strncmp(q, "SCMP_ARCH_", 10)) {
				q += 10;
				continue;
			}
			*p++ = tolower((unsigned char)*q++);
		}
		*p = '\0';
	}
	ld->profile->arch_map = ld->st->arch_map;
	ld->profile->n_arch_map = n;
	return 0;
}

/* The older form: the architectures the filter covers, whatever is native ("*"). */
static int parse_architectures(struct sc_loader *ld, struct json_object *arr)
{
	size_t i, n = json_object_array_length(arr);

	ld->st->arch_map = calloc(n ? n : 1, sizeof(*ld->st->arch_map));
	if (!ld->st->arch_map)
		return brig_error_make(ld->err, ENOMEM, "%s", ld->path);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(e, json_type_string) ||
		    !valid_scmp_arch(json_object_get_string(e)))
			return sc_fail(ld, "architectures", "%s",
				       "expected \"SCMP_ARCH_...\" names");
		ld->st->arch_map[i].arch = scmp_arch_name(ld, json_object_get_string(e));
		ld->st->arch_map[i].sub = "*";
		if (!ld->st->arch_map[i].arch)
			return brig_error_make(ld->err, ENOMEM, "%s", ld->path);
	}
	ld->profile->arch_map = ld->st->arch_map;
	ld->profile->n_arch_map = n;
	return 0;
}

static int parse_flags(struct sc_loader *ld, struct json_object *arr)
{
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		const char *f = json_object_get_string(v);

		if (!json_object_is_type(v, json_type_string))
			return sc_fail(ld, "flags", "%s", "expected an array of strings");
		if (!strcmp(f, "SECCOMP_FILTER_FLAG_LOG"))
			ld->profile->flags |= BRIG_SC_FLAG_LOG;
		else if (!strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"))
			ld->profile->flags |= BRIG_SC_FLAG_SPEC_ALLOW;
		else if (strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC"))	/* one thread: moot */
			return sc_fail(ld, "flags", "unknown flag '%s'", f);
	}
	return 0;
}

static int parse_profile(struct sc_loader *ld, struct json_object *root)
{
	static const char *const keys[] = {
		"defaultAction", "defaultErrnoRet", "defaultErrno", "archMap", "architectures",
		"syscalls", "flags", "listenerPath", "listenerMetadata", NULL,
	};
	struct json_object *def, *def_errno, *def_errno_name, *arch_map, *arches, *syscalls;
	struct json_object *flags, *listener;
	int bad = 0;
	size_t i, n;

	if (!json_object_is_type(root, json_type_object))
		return sc_fail(ld, "top level", "%s", "expected an object");
	if (sc_known_keys(ld, root, "top level", keys))
		return -1;
	def = sc_field(root, "defaultAction", json_type_string, ld, "top level", &bad);
	def_errno = bad ? NULL : sc_field(root, "defaultErrnoRet", json_type_int, ld, "top level", &bad);
	def_errno_name = bad ? NULL : sc_field(root, "defaultErrno", json_type_string, ld,
					       "top level", &bad);
	listener = bad ? NULL : sc_field(root, "listenerPath", json_type_string, ld, "top level",
					 &bad);
	arch_map = bad ? NULL : sc_field(root, "archMap", json_type_array, ld, "top level", &bad);
	arches = bad ? NULL : sc_field(root, "architectures", json_type_array, ld, "top level", &bad);
	syscalls = bad ? NULL : sc_field(root, "syscalls", json_type_array, ld, "top level", &bad);
	flags = bad ? NULL : sc_field(root, "flags", json_type_array, ld, "top level", &bad);
	if (bad)
		return -1;
	if (!def)
		return sc_fail(ld, "top level", "%s", "\"defaultAction\" is required");
	if (sc_parse_action(ld, def, "defaultAction", &ld->profile->default_action))
		return -1;
	ld->profile->default_errno = -1;
	if (def_errno && def_errno_name)
		return sc_fail(ld, "defaultErrno", "%s",
			       "give \"defaultErrnoRet\" or \"defaultErrno\", not both");
	if (def_errno && sc_parse_errno(ld, def_errno, "defaultErrnoRet",
					&ld->profile->default_errno))
		return -1;
	if (def_errno_name && sc_parse_errno_name(ld, def_errno_name, "defaultErrno",
						  &ld->profile->default_errno))
		return -1;
	/* A listener is for SCMP_ACT_NOTIFY, which needs an agent: refused, not ignored. */
	if (listener && json_object_get_string_len(listener))
		return sc_fail(ld, "listenerPath", "%s",
			       "a seccomp listener needs a seccomp agent, which brig does not run");
	if (arch_map && arches)
		return sc_fail(ld, "top level", "%s",
			       "give \"archMap\" or \"architectures\", not both");
	if (arch_map && parse_arch_map(ld, arch_map))
		return -1;
	if (arches && parse_architectures(ld, arches))
		return -1;
	if (flags && parse_flags(ld, flags))
		return -1;
	n = syscalls ? json_object_array_length(syscalls) : 0;
	ld->st->rules = calloc(n ? n : 1, sizeof(*ld->st->rules));
	if (!ld->st->rules)
		return brig_error_make(ld->err, ENOMEM, "%s", ld->path);
	for (i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(syscalls, i);
		char w[64];

		snprintf(w, sizeof(w), "syscalls[%zu]", i);
		if (!json_object_is_type(r, json_type_object))
			return sc_fail(ld, w, "%s", "expected an object");
		if (sc_parse_rule(ld, r, w, &ld->st->rules[i]))
			return -1;
	}
	ld->profile->rules = ld->st->rules;
	ld->profile->n_rules = n;
	return 0;
}

int brig_sc_profile_from_json(struct json_object *obj, const char *path, const char *text,
			      const char *at, struct brig_sc_profile **out,
			      struct brig_error **err)
{
	struct sc_loader ld = { .path = path, .text = text, .at = at, .err = err };

	ld.profile = calloc(1, sizeof(*ld.profile));
	ld.st = calloc(1, sizeof(*ld.st));
	if (!ld.profile || !ld.st) {
		free(ld.profile);
		free(ld.st);
		return brig_error_make(err, ENOMEM, "%s", path);
	}
	ld.profile->storage = ld.st;
	if (parse_profile(&ld, obj)) {
		brig_sc_profile_free(ld.profile);
		return -1;
	}
	*out = ld.profile;
	return 0;
}

int brig_sc_profile_load(const char *path, struct brig_sc_profile **out,
			 struct brig_error **err)
{
	struct json_object *root = NULL;
	char *text brig_cleanup_free = NULL;
	int ret;

	if (brig_json_read_file(path, "seccomp profile", "profile", &root, &text, err))
		return -1;
	ret = brig_sc_profile_from_json(root, path, text, NULL, out, err);
	json_object_put(root);
	return ret;
}

void brig_sc_profile_free(struct brig_sc_profile *profile)
{
	struct sc_storage *st;
	size_t i;

	if (!profile)
		return;
	st = profile->storage;
	if (st) {
		for (i = 0; i < st->n_strings; i++)
			free(st->strings[i]);
		free(st->strings);
		free(st->rules);
		free(st->arch_map);
		free(st);
	}
	free(profile);
}
