/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: kernel objects as people read them. A kernel policy, a container
 * and an event as text and as JSON (json-c; the caller puts what it gets),
 * named with names.h's vocabulary, so every front end prints the same
 * words brig.ko logs.
 */
#ifndef BRIG_VIEWS_H
#define BRIG_VIEWS_H

#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "kpolicy.h"

struct brig_container_info;
struct brig_event_info;

/* "c 1:3 rw", "c 136:* rw": a device rule as .pol files write it. */
void brig_device_rule_text(const struct brig_device_rule *d, char *buf, size_t len);

/* What `brigctl check` prints: one "field: value" line each. */
void brig_policy_summary(FILE *out, const char *name,
			 const struct brig_policy_spec *spec);

/* `brigctl inspect`'s Policy object. */
json_object *brig_policy_json(const struct brig_policy_spec *spec);
/* `brigctl inspect`'s object, in `docker inspect`'s spelling. */
json_object *brig_container_json(const struct brig_container_info *c);
/* One event with the log line's names (brig_event_line() is its text). */
json_object *brig_event_json(const struct brig_event_info *ev);

#endif /* BRIG_VIEWS_H */
