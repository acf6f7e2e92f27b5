/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig, inside the seccomp JSON loader: what seccomp_json.c (the file,
 * the profile, its architectures) and seccomp_json_rule.c (one entry of
 * "syscalls") share. Not for use outside them.
 */
#ifndef BRIG_SECCOMP_JSON_H
#define BRIG_SECCOMP_JSON_H

#include <stdbool.h>

#include <json-c/json.h>

#include "seccomp.h"

/* What a loaded profile owns: its rules and every string they point to. */
struct sc_storage {
	struct brig_sc_rule *rules;
	struct brig_sc_arch *arch_map;
	char **strings;
	size_t n_strings;
};

struct sc_loader {
	const char *path;
	const char *text;	/* the file's, for errors' line and column */
	const char *at;		/* the profile's path in the file ("linux.seccomp"); NULL: top */
	struct brig_sc_profile *profile;
	struct sc_storage *st;
	struct brig_error **err;
};

/* "PATH:LINE:COL: WHERE: " (where WHERE is) and @fmt with @what; returns -1. */
int sc_fail(struct sc_loader *ld, const char *where, const char *fmt,
	    const char *what);
/* Keeps @s (owned by the profile from now on); NULL when out of memory. */
char *sc_keep(struct sc_loader *ld, char *s);
/* @obj's @key of @type, or NULL if absent; *bad set if of another type. */
struct json_object *sc_field(struct json_object *obj, const char *key,
			     json_type type, struct sc_loader *ld,
			     const char *where, int *bad);
/* Refuses keys the format does not have: a typo must not weaken a profile. */
int sc_known_keys(struct sc_loader *ld, struct json_object *obj,
		  const char *where, const char *const *keys);
/* A JSON array of strings, each @valid, as one blank-separated string. */
int sc_join_strings(struct sc_loader *ld, struct json_object *arr,
		    const char *where, bool (*valid)(const char *),
		    const char **out);
/* A syscall or architecture word: letters, digits and '_'. */
bool sc_valid_word(const char *s);
int sc_parse_action(struct sc_loader *ld, struct json_object *v,
		    const char *where, enum brig_sc_action *action);
int sc_parse_errno(struct sc_loader *ld, struct json_object *v,
		   const char *where, int *out);
/* An errno by name ("EPERM"), as containers/common writes it. */
int sc_parse_errno_name(struct sc_loader *ld, struct json_object *v,
			const char *where, int *out);
/* One entry of "syscalls". */
int sc_parse_rule(struct sc_loader *ld, struct json_object *obj,
		  const char *where, struct brig_sc_rule *rule);

#endif /* BRIG_SECCOMP_JSON_H */
