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

static const char *const action_names[] = {
	[BRIG_SC_KILL_THREAD] = "SCMP_ACT_KILL",
	[BRIG_SC_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
	[BRIG_SC_TRAP] = "SCMP_ACT_TRAP",
	[BRIG_SC_ERRNO] = "SCMP_ACT_ERRNO",
	[BRIG_SC_TRACE] = "SCMP_ACT_TRACE",
	[BRIG_SC_LOG] = "SCMP_ACT_LOG",
	[BRIG_SC_ALLOW] = "SCMP_ACT_ALLOW",
};

static const struct {
	const char *name;
	enum scmp_compare op;
} compare_names[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE },
	{ "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE },
	{ "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

/* What a loaded profile owns: its rules and every string they point to. */
struct sc_storage {
	struct brig_sc_rule *rules;
	struct brig_sc_arch *arch_map;
	char **strings;
	size_t n_strings;
};

struct sc_loader {
	const char *path;
	struct brig_sc_profile *profile;
	struct sc_storage *st;
	struct brig_error **err;
};

static int load_fail(struct sc_loader *ld, const char *where, const char *fmt,
		     const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, what);
	return brig_error_make(ld->err, 0, "%s: %s: %s", ld->path, where, msg);
}

/* Keeps @s (owned by the profile from now on); NULL when out of memory. */
static char *keep(struct sc_loader *ld, char *s)
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

static struct json_object *field(struct json_object *obj, const char *key,
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
		*bad = load_fail(ld, w, "expected %s", type_names[type]);
		return NULL;
	}
	return v;
}

/* Refuses keys the format does not have: a typo must not weaken a profile. */
static int known_keys(struct sc_loader *ld, struct json_object *obj,
		      const char *where, const char *const *keys)
{
	json_object_object_foreach(obj, key, val) {
		const char *const *k;

		(void)val;
		for (k = keys; *k && strcmp(*k, key); k++)
			;
		if (!*k) {
			char w[128];

			snprintf(w, sizeof(w), "%s", where);
			return load_fail(ld, w, "unknown field \"%s\"", key);
		}
	}
	return 0;
}

static int parse_action(struct sc_loader *ld, struct json_object *v,
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
		return load_fail(ld, where, "%s needs a seccomp agent, which brig does not run", s);
	return load_fail(ld, where, "unknown action '%s'", s);
}

static int parse_errno(struct sc_loader *ld, struct json_object *v,
		       const char *where, int *out)
{
	int64_t n = json_object_get_int64(v);

	if (n < 0 || n > 4095)
		return load_fail(ld, where, "%s is not an errno (0 to 4095)",
				 json_object_to_json_string(v));
	*out = n;
	return 0;
}

/* A JSON array of strings as one blank-separated string. */
static int join_strings(struct sc_loader *ld, struct json_object *arr,
			const char *where, bool (*valid)(const char *),
			const char **out)
{
	size_t i, n = json_object_array_length(arr), len = 1;
	char *s, *p;

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(e, json_type_string))
			return load_fail(ld, where, "%s", "expected an array of strings");
		if (!valid(json_object_get_string(e)))
			return load_fail(ld, where, "invalid name \"%s\"",
					 json_object_get_string(e));
		len += json_object_get_string_len(e) + 1;
	}
	s = p = keep(ld, malloc(len));
	if (!s)
		return brig_error_make(ld->err, ENOMEM, "%s", ld->path);
	*p = '\0';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? " " : "", json_object_get_string(
				     json_object_array_get_idx(arr, i)));
	*out = s;
	return 0;
}

static bool valid_word(const char *s)
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
	return !strncmp(s, "SCMP_ARCH_", 10) && valid_word(s + 10);
}

static const char *scmp_arch_name(struct sc_loader *ld, const char *s)
{
	char *name = keep(ld, strdup(s + 10)), *p;

	for (p = name; p && *p; p++)
		*p = tolower((unsigned char)*p);
	return name;
}

static int parse_caps(struct sc_loader *ld, struct json_object *arr,
		      const char *where, uint64_t *caps)
{
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		int cap = json_object_is_type(e, json_type_string) ?
			  brig_cap_from_name(json_object_get_string(e)) : -1;

		if (cap < 0)
			return load_fail(ld, where, "unknown capability %s",
					 json_object_to_json_string(e));
		*caps |= 1ULL << cap;
	}
	return 0;
}

/* "4.8" -> BRIG_KERNEL(4, 8) */
static int parse_kernel(struct sc_loader *ld, struct json_object *v,
			const char *where, unsigned int *out)
{
	unsigned int major, minor;
	int end = 0;

	if (sscanf(json_object_get_string(v), "%u.%u%n", &major, &minor, &end) != 2 ||
	    json_object_get_string(v)[end] || minor > 0xffff)
		return load_fail(ld, where, "\"%s\" is not a kernel version (4.8)",
				 json_object_get_string(v));
	*out = BRIG_KERNEL(major, minor);
	return 0;
}

static int parse_filter(struct sc_loader *ld, struct json_object *obj,
			const char *where, uint64_t *caps, const char **arches,
			unsigned int *min_kernel)
{
	static const char *const keys[] = { "caps", "arches", "minKernel", NULL };
	struct json_object *v;
	char w[128];
	int bad = 0;

	if (known_keys(ld, obj, where, keys))
		return -1;
	snprintf(w, sizeof(w), "%s.caps", where);
	v = field(obj, "caps", json_type_array, ld, where, &bad);
	if (bad || (v && parse_caps(ld, v, w, caps)))
		return -1;
	snprintf(w, sizeof(w), "%s.arches", where);
	v = field(obj, "arches", json_type_array, ld, where, &bad);
	if (bad || (v && json_object_array_length(v) &&
		    join_strings(ld, v, w, valid_word, arches)))
		return -1;
	if (!min_kernel)
		return 0;
	snprintf(w, sizeof(w), "%s.minKernel", where);
	v = field(obj, "minKernel", json_type_string, ld, where, &bad);
	return bad || (v && parse_kernel(ld, v, w, min_kernel)) ? -1 : 0;
}

static int parse_arg(struct sc_loader *ld, struct json_object *obj,
		     const char *where, struct brig_sc_arg *arg)
{
	static const char *const keys[] = { "index", "value", "valueTwo", "op", NULL };
	struct json_object *index, *value, *value_two, *op;
	int bad = 0;
	size_t i;

	if (known_keys(ld, obj, where, keys))
		return -1;
	index = field(obj, "index", json_type_int, ld, where, &bad);
	value = bad ? NULL : field(obj, "value", json_type_int, ld, where, &bad);
	value_two = bad ? NULL : field(obj, "valueTwo", json_type_int, ld, where, &bad);
	op = bad ? NULL : field(obj, "op", json_type_string, ld, where, &bad);
	if (bad)
		return -1;
	if (!index || !op)
		return load_fail(ld, where, "%s", "an argument needs \"index\" and \"op\"");
	if (json_object_get_int64(index) < 0 || json_object_get_int64(index) > 5)
		return load_fail(ld, where, "index %s is not 0 to 5",
				 json_object_to_json_string(index));
	arg->index = json_object_get_int64(index);
	/* Values are unsigned 64-bit numbers in Docker's format. */
	arg->value = value ? json_object_get_uint64(value) : 0;
	arg->value_two = value_two ? json_object_get_uint64(value_two) : 0;
	for (i = 0; i < sizeof(compare_names) / sizeof(compare_names[0]); i++) {
		if (!strcmp(json_object_get_string(op), compare_names[i].name)) {
			arg->op = compare_names[i].op;
			return 0;
		}
	}
	return load_fail(ld, where, "unknown comparison '%s'", json_object_get_string(op));
}

static int parse_rule(struct sc_loader *ld, struct json_object *obj,
		      const char *where, struct brig_sc_rule *rule)
{
	static const char *const keys[] = {
		"names", "name", "action", "errnoRet", "args", "includes",
		"excludes", "comment", NULL,
	};
	struct json_object *names, *name, *action, *errno_ret, *args, *inc, *exc;
	char w[128];
	int bad = 0;
	size_t i;

	rule->errno_ret = -1;
	if (known_keys(ld, obj, where, keys))
		return -1;
	names = field(obj, "names", json_type_array, ld, where, &bad);
	name = bad ? NULL : field(obj, "name", json_type_string, ld, where, &bad);
	action = bad ? NULL : field(obj, "action", json_type_string, ld, where, &bad);
	errno_ret = bad ? NULL : field(obj, "errnoRet", json_type_int, ld, where, &bad);
	args = bad ? NULL : field(obj, "args", json_type_array, ld, where, &bad);
	inc = bad ? NULL : field(obj, "includes", json_type_object, ld, where, &bad);
	exc = bad ? NULL : field(obj, "excludes", json_type_object, ld, where, &bad);
	if (bad)
		return -1;
	snprintf(w, sizeof(w), "%s.names", where);
	if (names && name)
		return load_fail(ld, where, "%s", "give \"names\" or \"name\", not both");
	if (name) {
		if (!valid_word(json_object_get_string(name)))
			return load_fail(ld, w, "invalid name \"%s\"", json_object_get_string(name));
		rule->names = keep(ld, strdup(json_object_get_string(name)));
		if (!rule->names)
			return brig_error_make(ld->err, ENOMEM, "%s", ld->path);
	} else if (!names || !json_object_array_length(names)) {
		return load_fail(ld, where, "%s", "a rule needs \"names\"");
	} else if (join_strings(ld, names, w, valid_word, &rule->names)) {
		return -1;
	}
	snprintf(w, sizeof(w), "%s.action", where);
	if (!action)
		return load_fail(ld, where, "%s", "a rule needs an \"action\"");
	if (parse_action(ld, action, w, &rule->action))
		return -1;
	snprintf(w, sizeof(w), "%s.errnoRet", where);
	if (errno_ret && parse_errno(ld, errno_ret, w, &rule->errno_ret))
		return -1;
	if (args && json_object_array_length(args) > 6)
		return load_fail(ld, where, "%s", "at most 6 argument conditions");
	for (i = 0; args && i < json_object_array_length(args); i++) {
		struct json_object *a = json_object_array_get_idx(args, i);

		snprintf(w, sizeof(w), "%s.args[%zu]", where, i);
		if (!json_object_is_type(a, json_type_object))
			return load_fail(ld, w, "%s", "expected an object");
		if (parse_arg(ld, a, w, &rule->args[rule->n_args++]))
			return -1;
	}
	snprintf(w, sizeof(w), "%s.includes", where);
	if (inc && parse_filter(ld, inc, w, &rule->caps_in, &rule->arches_in,
				&rule->min_kernel))
		return -1;
	snprintf(w, sizeof(w), "%s.excludes", where);
	if (exc && parse_filter(ld, exc, w, &rule->caps_out, &rule->arches_out, NULL))
		return -1;
	return 0;
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
			return load_fail(ld, w, "%s", "expected an object");
		if (known_keys(ld, e, w, keys))
			return -1;
		arch = field(e, "architecture", json_type_string, ld, w, &bad);
		sub = bad ? NULL : field(e, "subArchitectures", json_type_array, ld, w, &bad);
		if (bad)
			return -1;
		if (!arch || !valid_scmp_arch(json_object_get_string(arch)))
			return load_fail(ld, w, "%s", "expected \"architecture\": \"SCMP_ARCH_...\"");
		m->arch = scmp_arch_name(ld, json_object_get_string(arch));
		if (sub && json_object_array_length(sub) &&
		    join_strings(ld, sub, w, valid_scmp_arch, &subs))
			return -1;
		/* "SCMP_ARCH_X86 SCMP_ARCH_X32" -> "x86 x32" */
		m->sub = p = keep(ld, strdup(subs));
		if (!m->arch || !p)
			return brig_error_make(ld->err, ENOMEM, "%s", ld->path);
		for (char *q = p; *q; ) {
			if (!strncmp(q, "SCMP_ARCH_", 10))
				q += 10;
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
			return load_fail(ld, "architectures", "%s",
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
		const char *f = json_object_get_string(json_object_array_get_idx(arr, i));

		if (!strcmp(f, "SECCOMP_FILTER_FLAG_LOG"))
			ld->profile->flags |= BRIG_SC_FLAG_LOG;
		else if (!strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"))
			ld->profile->flags |= BRIG_SC_FLAG_SPEC_ALLOW;
		else if (strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC"))	/* one thread: moot */
			return load_fail(ld, "flags", "unknown flag '%s'", f);
	}
	return 0;
}

static int parse_profile(struct sc_loader *ld, struct json_object *root)
{
	static const char *const keys[] = {
		"defaultAction", "defaultErrnoRet", "archMap", "architectures",
		"syscalls", "flags", "listenerPath", "listenerMetadata", NULL,
	};
	struct json_object *def, *def_errno, *arch_map, *arches, *syscalls, *flags;
	int bad = 0;
	size_t i, n;

	if (!json_object_is_type(root, json_type_object))
		return load_fail(ld, "top level", "%s", "expected an object");
	if (known_keys(ld, root, "top level", keys))
		return -1;
	def = field(root, "defaultAction", json_type_string, ld, "top level", &bad);
	def_errno = bad ? NULL : field(root, "defaultErrnoRet", json_type_int, ld, "top level", &bad);
	arch_map = bad ? NULL : field(root, "archMap", json_type_array, ld, "top level", &bad);
	arches = bad ? NULL : field(root, "architectures", json_type_array, ld, "top level", &bad);
	syscalls = bad ? NULL : field(root, "syscalls", json_type_array, ld, "top level", &bad);
	flags = bad ? NULL : field(root, "flags", json_type_array, ld, "top level", &bad);
	if (bad)
		return -1;
	if (!def)
		return load_fail(ld, "top level", "%s", "\"defaultAction\" is required");
	if (parse_action(ld, def, "defaultAction", &ld->profile->default_action))
		return -1;
	ld->profile->default_errno = -1;
	if (def_errno && parse_errno(ld, def_errno, "defaultErrnoRet",
				     &ld->profile->default_errno))
		return -1;
	if (arch_map && arches)
		return load_fail(ld, "top level", "%s",
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
			return load_fail(ld, w, "%s", "expected an object");
		if (parse_rule(ld, r, w, &ld->st->rules[i]))
			return -1;
	}
	ld->profile->rules = ld->st->rules;
	ld->profile->n_rules = n;
	return 0;
}

/* The file as JSON; a syntax error names the line and column. */
static int parse_json(const char *path, struct json_object **out,
		      struct brig_error **err)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0, i;
	int line = 1, col = 1;

	if (!f)
		return brig_error_make(err, errno, "opening seccomp profile `%s`", path);
	if (getdelim(&text, &len, '\0', f) < 0 && ferror(f)) {
		fclose(f);
		free(text);
		return brig_error_make(err, errno, "reading `%s`", path);
	}
	fclose(f);
	tok = json_tokener_new();
	if (!tok) {
		free(text);
		return brig_error_make(err, ENOMEM, "%s", path);
	}
	*out = json_tokener_parse_ex(tok, text ? text : "", text ? strlen(text) : 0);
	jerr = json_tokener_get_error(tok);
	if (!*out && jerr == json_tokener_continue)
		jerr = json_tokener_error_parse_eof;
	for (i = 0; text && i < json_tokener_get_parse_end(tok); i++, col++)
		if (text[i] == '\n')
			line++, col = 0;
	json_tokener_free(tok);
	free(text);
	if (*out && jerr == json_tokener_success)
		return 0;
	json_object_put(*out);
	return brig_error_make(err, 0, "%s:%d:%d: invalid JSON: %s", path, line, col,
			       json_tokener_error_desc(jerr));
}

int brig_sc_profile_load(const char *path, struct brig_sc_profile **out,
			 struct brig_error **err)
{
	struct sc_loader ld = { .path = path, .err = err };
	struct json_object *root = NULL;
	int ret;

	if (parse_json(path, &root, err))
		return -1;
	ld.profile = calloc(1, sizeof(*ld.profile));
	ld.st = calloc(1, sizeof(*ld.st));
	if (!ld.profile || !ld.st) {
		free(ld.profile);
		free(ld.st);
		json_object_put(root);
		return brig_error_make(err, ENOMEM, "%s", path);
	}
	ld.profile->storage = ld.st;
	ret = parse_profile(&ld, root);
	json_object_put(root);
	if (ret) {
		brig_sc_profile_free(ld.profile);
		return -1;
	}
	*out = ld.profile;
	return 0;
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
