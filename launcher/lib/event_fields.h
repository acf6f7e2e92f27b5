/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: an event's fields under Falco's names (evt.type, proc.name,
 * fd.name, container.id, ...) and brig's own (brig.verdict, brig.capability,
 * ...), typed, for the rules language (rules.h) and Falco-shaped alerts.
 * The table of them is in event_fields.c; docs/brigctl.8 lists it.
 */
#ifndef BRIG_EVENT_FIELDS_H
#define BRIG_EVENT_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "nl.h"

/* An event as rules see it: brig.ko's message and when brigctl read it (brig.ko sends no time). */
struct brig_event {
	struct brig_event_info info;
	struct timespec time;	/* CLOCK_REALTIME */
};

enum brig_field_type {
	BRIG_FIELD_STRING,
	BRIG_FIELD_NUMBER,
	BRIG_FIELD_BOOL,
};

/* A field's value. Text is what %field prints; number and boolean as typed. */
struct brig_field_value {
	enum brig_field_type type;
	int64_t number;		/* BRIG_FIELD_NUMBER, and BRIG_FIELD_BOOL as 0 or 1 */
	const char *text;	/* always: into @buf, or the event's own string */
	char buf[2048];
};

/* The field named @name (exactly), or -1. */
int brig_event_field_find(const char *name);
const char *brig_event_field_name(int field);
enum brig_field_type brig_event_field_type(int field);
size_t brig_event_fields_count(void);
/*
 * @field of @ev into @v: true, or false if this event has none (fd.name of
 * a capability's event, say): Falco prints <NA> and no comparison holds.
 */
bool brig_event_field(const struct brig_event *ev, int field, struct brig_field_value *v);

#endif /* BRIG_EVENT_FIELDS_H */
