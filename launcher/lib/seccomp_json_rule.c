// SPDX-License-Identifier: GPL-2.0
/*
 * Seccomp profiles in Docker's JSON format: one entry of "syscalls" (names,
 * action, errnoRet, argument conditions, includes and excludes), loaded as
 * strictly as the rest of the profile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "policy.h"
#include "seccomp_json.h"

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
static int parse_caps(struct sc_loader *ld, struct json_object *arr,
		      const char *where, uint64_t *caps)
{
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		int cap = json_object_is_type(e, json_type_string) ?
			  brig_cap_from_name(json_object_get_string(e)) : -1;

		if (cap < 0)
			return sc_fail(ld, where, "unknown capability %s",
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
		return sc_fail(ld, where, "\"%s\" is not a kernel version (4.8)",
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

	if (sc_known_keys(ld, obj, where, keys))
		return -1;
	snprintf(w, sizeof(w), "%s.caps", where);
	v = sc_field(obj, "caps", json_type_array, ld, where, &bad);
	if (bad || (v && parse_caps(ld, v, w, caps)))
		return -1;
	snprintf(w, sizeof(w), "%s.arches", where);
	v = sc_field(obj, "arches", json_type_array, ld, where, &bad);
	if (bad || (v && json_object_array_length(v) &&
		    sc_join_strings(ld, v, w, sc_valid_word, arches)))
		return -1;
	if (!min_kernel)
		return 0;
	snprintf(w, sizeof(w), "%s.minKernel", where);
	v = sc_field(obj, "minKernel", json_type_string, ld, where, &bad);
	return bad || (v && parse_kernel(ld, v, w, min_kernel)) ? -1 : 0;
}

static int parse_arg(struct sc_loader *ld, struct json_object *obj,
		     const char *where, struct brig_sc_arg *arg)
{
	static const char *const keys[] = { "index", "value", "valueTwo", "op", NULL };
	struct json_object *index, *value, *value_two, *op;
	int bad = 0;
	size_t i;

	if (sc_known_keys(ld, obj, where, keys))
		return -1;
	index = sc_field(obj, "index", json_type_int, ld, where, &bad);
	value = bad ? NULL : sc_field(obj, "value", json_type_int, ld, where, &bad);
	value_two = bad ? NULL : sc_field(obj, "valueTwo", json_type_int, ld, where, &bad);
	op = bad ? NULL : sc_field(obj, "op", json_type_string, ld, where, &bad);
	if (bad)
		return -1;
	if (!index || !op)
		return sc_fail(ld, where, "%s", "an argument needs \"index\" and \"op\"");
	if (json_object_get_int64(index) < 0 || json_object_get_int64(index) > 5)
		return sc_fail(ld, where, "index %s is not 0 to 5",
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
	return sc_fail(ld, where, "unknown comparison '%s'", json_object_get_string(op));
}

int sc_parse_rule(struct sc_loader *ld, struct json_object *obj,
		  const char *where, struct brig_sc_rule *rule)
{
	static const char *const keys[] = {
		"names", "name", "action", "errnoRet", "errno", "args", "includes",
		"excludes", "comment", NULL,
	};
	struct json_object *names, *name, *action, *errno_ret, *errno_name, *args, *inc, *exc;
	char w[128];
	int bad = 0;
	size_t i;

	rule->errno_ret = -1;
	if (sc_known_keys(ld, obj, where, keys))
		return -1;
	names = sc_field(obj, "names", json_type_array, ld, where, &bad);
	name = bad ? NULL : sc_field(obj, "name", json_type_string, ld, where, &bad);
	action = bad ? NULL : sc_field(obj, "action", json_type_string, ld, where, &bad);
	errno_ret = bad ? NULL : sc_field(obj, "errnoRet", json_type_int, ld, where, &bad);
	errno_name = bad ? NULL : sc_field(obj, "errno", json_type_string, ld, where, &bad);
	args = bad ? NULL : sc_field(obj, "args", json_type_array, ld, where, &bad);
	inc = bad ? NULL : sc_field(obj, "includes", json_type_object, ld, where, &bad);
	exc = bad ? NULL : sc_field(obj, "excludes", json_type_object, ld, where, &bad);
	if (bad)
		return -1;
	snprintf(w, sizeof(w), "%s.names", where);
	if (names && name)
		return sc_fail(ld, where, "%s", "give \"names\" or \"name\", not both");
	if (name) {
		if (!sc_valid_word(json_object_get_string(name)))
			return sc_fail(ld, w, "invalid name \"%s\"", json_object_get_string(name));
		rule->names = sc_keep(ld, strdup(json_object_get_string(name)));
		if (!rule->names)
			return brig_error_make(ld->err, ENOMEM, "%s", ld->path);
	} else if (!names || !json_object_array_length(names)) {
		return sc_fail(ld, where, "%s", "a rule needs \"names\"");
	} else if (sc_join_strings(ld, names, w, sc_valid_word, &rule->names)) {
		return -1;
	}
	snprintf(w, sizeof(w), "%s.action", where);
	if (!action)
		return sc_fail(ld, where, "%s", "a rule needs an \"action\"");
	if (sc_parse_action(ld, action, w, &rule->action))
		return -1;
	snprintf(w, sizeof(w), "%s.errnoRet", where);
	if (errno_ret && errno_name)
		return sc_fail(ld, w, "%s", "give \"errnoRet\" or \"errno\", not both");
	if (errno_ret && sc_parse_errno(ld, errno_ret, w, &rule->errno_ret))
		return -1;
	snprintf(w, sizeof(w), "%s.errno", where);
	if (errno_name && sc_parse_errno_name(ld, errno_name, w, &rule->errno_ret))
		return -1;
	if (args && json_object_array_length(args) > 6)
		return sc_fail(ld, where, "%s", "at most 6 argument conditions");
	for (i = 0; args && i < json_object_array_length(args); i++) {
		struct json_object *a = json_object_array_get_idx(args, i);

		snprintf(w, sizeof(w), "%s.args[%zu]", where, i);
		if (!json_object_is_type(a, json_type_object))
			return sc_fail(ld, w, "%s", "expected an object");
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
