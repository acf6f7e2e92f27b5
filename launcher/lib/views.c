// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: kernel objects as text and JSON, with the vocabulary's names.
 */
#include <stdio.h>
#include <sys/sysmacros.h>

#include <json-c/json.h>

#include <brig.h>

#include "names.h"
#include "nl.h"
#include "views.h"

/* A socket rule's family or type: 0 is any. */
static const char *rule_family(uint32_t family)
{
	const char *name = brig_family_name(family);

	return !family ? "any" : name ? name : "?";
}

static const char *rule_type(uint32_t type)
{
	const char *name = brig_type_name(type);

	return !type ? "any" : name ? name : "?";
}

void brig_device_rule_text(const struct brig_device_rule *d, char *buf, size_t len)
{
	char major[16] = "*", minor[16] = "*";

	if (d->major != BRIG_DEVICE_ANY)
		snprintf(major, sizeof(major), "%u", d->major);
	if (d->minor != BRIG_DEVICE_ANY)
		snprintf(minor, sizeof(minor), "%u", d->minor);
	snprintf(buf, len, "%c %s:%s %s%s", d->type == BRIG_DEVICE_BLOCK ? 'b' : 'c',
		 major, minor, d->access & BRIG_PERM_READ ? "r" : "",
		 d->access & BRIG_PERM_WRITE ? "w" : "");
}

void brig_policy_summary(FILE *out, const char *name,
			 const struct brig_policy_spec *spec)
{
	size_t i;
	int cap, n = 0;

	fprintf(out, "name:         %s\n", name);
	fprintf(out, "mode:         %s\n",
		spec->mode == BRIG_MODE_COMPLAIN ? "complain" : "enforce");
	fprintf(out, "capabilities:");
	for (cap = 0; cap < 64; cap++) {
		if (spec->caps & (1ULL << cap)) {
			fprintf(out, " %s", brig_cap_name(cap));
			n++;
		}
	}
	fprintf(out, "%s\n", n ? "" : " (none)");
	fprintf(out, "network:     ");
	for (i = 0; i < spec->n_socket_rules; i++)
		fprintf(out, " deny %s %s%s", rule_family(spec->socket_rules[i].family),
			rule_type(spec->socket_rules[i].type),
			i + 1 < spec->n_socket_rules ? "," : "");
	fprintf(out, "%s\n", spec->n_socket_rules ? "" : " (no rules)");
	if (spec->pids_max)
		fprintf(out, "pids max:     %u\n", spec->pids_max);
	else
		fprintf(out, "pids max:     (none)\n");
	fprintf(out, "file rules:   %zu, DFA %u states, %zu bytes\n",
		spec->n_file_rules, spec->dfa_states, spec->dfa_len);
	fprintf(out, "mounts:       %s\n",
		spec->flags & BRIG_POLICY_F_MOUNT ? "allowed" : "refused");
	fprintf(out, "devices:     ");
	if (!(spec->flags & BRIG_POLICY_F_DEVICES))
		fprintf(out, " (any)");
	for (i = 0; i < spec->n_devices; i++) {
		char text[48];

		brig_device_rule_text(&spec->devices[i], text, sizeof(text));
		fprintf(out, " %s%s", text, i + 1 < spec->n_devices ? "," : "");
	}
	fprintf(out, "\n");
}

json_object *brig_policy_json(const struct brig_policy_spec *p)
{
	json_object *o = json_object_new_object(), *caps = json_object_new_array(),
		    *net = json_object_new_array(), *files = json_object_new_object();
	size_t i;
	int cap;

	json_object_object_add(o, "Mode", json_object_new_string(
		p->mode == BRIG_MODE_COMPLAIN ? "complain" : "enforce"));
	for (cap = 0; cap < 64; cap++) {
		if (p->caps & (1ULL << cap))
			json_object_array_add(caps, json_object_new_string(brig_cap_name(cap)));
	}
	json_object_object_add(o, "Capabilities", caps);
	json_object_object_add(o, "PidsMax", p->pids_max ?
			       json_object_new_int64(p->pids_max) : NULL);
	for (i = 0; i < p->n_socket_rules; i++) {
		json_object *r = json_object_new_object();

		json_object_object_add(r, "Family", json_object_new_string(
			rule_family(p->socket_rules[i].family)));
		json_object_object_add(r, "Type", json_object_new_string(
			rule_type(p->socket_rules[i].type)));
		json_object_array_add(net, r);
	}
	json_object_object_add(o, "NetworkDeny", net);
	json_object_object_add(files, "DfaStates", json_object_new_int64(p->dfa_states));
	json_object_object_add(files, "DfaBytes", json_object_new_int64(p->dfa_bytes));
	json_object_object_add(o, "FileRules", files);
	json_object_object_add(o, "Mount", json_object_new_boolean(p->flags & BRIG_POLICY_F_MOUNT));
	if (p->flags & BRIG_POLICY_F_DEVICES) {
		json_object *devs = json_object_new_array();

		for (i = 0; i < p->n_devices; i++) {
			char text[48];

			brig_device_rule_text(&p->devices[i], text, sizeof(text));
			json_object_array_add(devs, json_object_new_string(text));
		}
		json_object_object_add(o, "Devices", devs);
	} else {
		json_object_object_add(o, "Devices", NULL);	/* any */
	}
	return o;
}


json_object *brig_container_json(const struct brig_container_info *c)
{
	json_object *o = json_object_new_object(), *d;
	size_t i;

	json_object_object_add(o, "Id", json_object_new_int64(c->id));
	json_object_object_add(o, "Name", json_object_new_string(c->name));
	json_object_object_add(o, "InitPid", json_object_new_int64(c->init_pid));
	json_object_object_add(o, "PidNamespace", json_object_new_int64(c->pidns_ino));
	json_object_object_add(o, "Tasks", json_object_new_int64(c->tasks));
	json_object_object_add(o, "Policy", brig_policy_json(&c->policy));
	d = json_object_new_object();
	json_object_object_add(d, "Capability", json_object_new_int64(c->denials[BRIG_KIND_CAP]));
	json_object_object_add(d, "Socket", json_object_new_int64(c->denials[BRIG_KIND_SOCKET]));
	json_object_object_add(d, "Task", json_object_new_int64(c->denials[BRIG_KIND_TASK]));
	json_object_object_add(d, "File", json_object_new_int64(c->denials[BRIG_KIND_FILE]));
	json_object_object_add(d, "Mount", json_object_new_int64(c->denials[BRIG_KIND_MOUNT]));
	json_object_object_add(d, "Device", json_object_new_int64(c->denials[BRIG_KIND_DEVICE]));
	json_object_object_add(o, "Denials", d);
	json_object_object_add(o, "HookMisses", json_object_new_int64(c->hook_misses));
	/* Only the hooks that missed: there are dozens. */
	d = json_object_new_object();
	for (i = 0; i < c->n_hooks; i++) {
		if (c->hooks[i].misses)
			json_object_object_add(d, c->hooks[i].name,
					       json_object_new_int64(c->hooks[i].misses));
	}
	json_object_object_add(o, "HookMissesByHook", d);
	json_object_object_add(o, "EventsLost", json_object_new_int64(c->events_lost));
	return o;
}

/* A name of the vocabulary, or the number where it has none. */
static json_object *json_name(const char *name, uint32_t number)
{
	char text[16];

	if (name)
		return json_object_new_string(name);
	snprintf(text, sizeof(text), "%u", number);
	return json_object_new_string(text);
}

json_object *brig_event_json(const struct brig_event_info *ev)
{
	const char *op = ev->op[0] ? ev->op : brig_kind_op(ev->kind);
	char req[sizeof(BRIG_PERM_LETTERS)], den[sizeof(BRIG_PERM_LETTERS)], dev[32];
	json_object *o;

	brig_perm_letters(ev->requested, req);
	brig_perm_letters(ev->denied, den);
	snprintf(dev, sizeof(dev), "%c:%u:%u", ev->dev_type == BRIG_DEVICE_BLOCK ? 'b' : 'c',
		 major(ev->dev), minor(ev->dev));
	o = json_object_new_object();
	json_object_object_add(o, "Verdict", json_object_new_string(brig_verdict_name(ev->verdict)));
	json_object_object_add(o, "Op", json_object_new_string(op));
	json_object_object_add(o, "Id", json_object_new_int64(ev->id));
	json_object_object_add(o, "Container", json_object_new_string(ev->name));
	json_object_object_add(o, "Pid", json_object_new_int64(ev->pid));
	json_object_object_add(o, "Comm", json_object_new_string(ev->comm));
	json_object_object_add(o, "Lost", json_object_new_int64(ev->lost));
	if (ev->kind == BRIG_KIND_CAP)
		json_object_object_add(o, "Capability",
				       json_object_new_string(brig_cap_log_name(ev->cap)));
	if (ev->kind == BRIG_KIND_SOCKET) {
		json_object_object_add(o, "Family", json_name(brig_family_name(ev->family), ev->family));
		json_object_object_add(o, "Type", json_name(brig_type_name(ev->type), ev->type));
		json_object_object_add(o, "Protocol", json_object_new_int64(ev->protocol));
	}
	if (ev->kind == BRIG_KIND_TASK)
		json_object_object_add(o, "PidsMax", json_object_new_int64(ev->pids_max));
	if (ev->kind == BRIG_KIND_FILE || ev->kind == BRIG_KIND_DEVICE) {
		json_object_object_add(o, "Path", json_object_new_string(ev->path));
		json_object_object_add(o, "Requested", json_object_new_string(req));
		json_object_object_add(o, ev->verdict == BRIG_VERDICT_AUDIT &&
				       ev->kind == BRIG_KIND_FILE ? "Audited" : "Denied",
				       json_object_new_string(den));
	}
	if (ev->kind == BRIG_KIND_DEVICE)
		json_object_object_add(o, "Device", json_object_new_string(dev));
	if (ev->kind == BRIG_KIND_MOUNT && ev->path[0])
		json_object_object_add(o, "Path", json_object_new_string(ev->path));
	return o;
}

