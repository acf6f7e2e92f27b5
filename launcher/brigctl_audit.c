// SPDX-License-Identifier: GPL-2.0
/*
 * brigctl audit: the host, brig.ko and every running container checked, as
 * docker-bench-security checks a Docker host (lib/audit.h):
 *
 *   brigctl audit [--json] [--strict]
 *
 * Text as docker-bench prints it ("[WARN] 5.28 - Ensure ..." and each
 * finding under it), or its JSON log. Exit status 0; with --strict, 1 if
 * any check warns (125 if the audit itself could not be made).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "brigctl.h"
#include "lib/audit.h"

/* @s, a control byte as \xHH: mount points come from inside containers. */
static void put_safe(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void print_text(const struct brig_audit_result *r, size_t n)
{
	const char *const *ids, *const *names;
	size_t sections = brig_audit_sections(&ids, &names);
	char host[256] = "";

	gethostname(host, sizeof(host) - 1);
	printf("# brig audit %s on %s\n", BRIG_VERSION, host);
	for (size_t s = 0; s < sections; s++) {
		printf("\n[INFO] %s - %s\n", ids[s], names[s]);
		for (size_t i = 0; i < n; i++) {
			const char *level = brig_audit_level_name(r[i].level);

			if (strcmp(r[i].section, ids[s]))
				continue;
			printf("[%s] %-5s - %s\n", level, r[i].id, r[i].title);
			if (r[i].details[0] && (r[i].level != BRIG_AUDIT_PASS || !r[i].n_items)) {
				printf("[%s]         ", level);
				put_safe(r[i].details);
				putchar('\n');
			}
			for (size_t j = 0; j < r[i].n_items; j++) {
				printf("[%s]         * ", level);
				put_safe(r[i].items[j]);
				putchar('\n');
			}
			if (r[i].level == BRIG_AUDIT_WARN)
				printf("[%s]         Remedy: %s\n", level, r[i].remedy);
		}
	}
	printf("\n[INFO] Checks: %zu\n[INFO] Score: %d\n", n, brig_audit_score(r, n));
}

int brigctl_audit(int argc, char **argv, struct brig_error **err)
{
	struct brig_audit_facts facts;
	struct brig_audit_result *r = NULL;
	bool json = false, strict = false, warned = false;
	size_t n = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--strict"))
			strict = true;
		else
			return brig_error_make(err, 0, "usage: brigctl audit [--json] [--strict]");
	}
	if (brig_audit_gather(&facts, err))
		return -1;
	if (brig_audit_run(&facts, &r, &n, err)) {
		brig_audit_facts_release(&facts);
		return -1;
	}
	if (json) {
		json_object *o = brig_audit_json(r, n, BRIG_VERSION);

		json_object_object_add(o, "start", json_object_new_int64(time(NULL)));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		print_text(r, n);
	}
	for (size_t i = 0; i < n; i++)
		warned = warned || r[i].level == BRIG_AUDIT_WARN;
	brig_audit_results_free(r, n);
	brig_audit_facts_release(&facts);
	fflush(stdout);
	return strict && warned ? 1 : 0;
}
