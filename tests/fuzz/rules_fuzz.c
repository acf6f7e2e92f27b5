// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the bytes as a rules file (Falco's language, brig_rules_load_text)
 * and, if it loads, an event of every kind matched against it and each
 * alert made, as text and as JSON. Errors are fine; a crash, a leak or a
 * hang is a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int alert(const struct brig_rule *rule, void *arg)
{
	const struct brig_event *ev = arg;
	char text[512];

	brig_alert_text(rule, ev, text, sizeof(text));
	json_object_put(brig_alert_json(rule, ev, "fuzz"));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ops[] = { "capable", "socket", "fork", "open", "mount", "exec" };
	struct brig_rules *r = NULL;
	struct brig_error *err = NULL;

	if (brig_rules_load_text("fuzz", (const char *)data, size, &r, &err)) {
		brig_error_free(&err);
		return 0;
	}
	for (uint32_t kind = BRIG_KIND_CAP; kind <= BRIG_KIND_MAX + 1; kind++) {
		struct brig_event ev = { .time = { 1700000000, 1 } };

		ev.info.kind = kind;
		ev.info.verdict = 1 + kind % 3;
		ev.info.id = kind;
		strcpy(ev.info.name, "web");
		strcpy(ev.info.comm, "sh");
		strcpy(ev.info.op, ops[kind % 6]);
		strcpy(ev.info.path, kind % 2 ? "/usr/bin/top" : "/etc/shadow");
		ev.info.requested = ev.info.denied = kind;
		ev.info.cap = kind * 7;
		ev.info.family = kind % 2 ? AF_PACKET : 99;
		ev.info.type = kind;
		brig_rules_match(r, &ev, alert, &ev);
	}
	brig_rules_free(r);
	return 0;
}
