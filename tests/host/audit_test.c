// SPDX-License-Identifier: GPL-2.0
/*
 * brigctl audit's checks (launcher/lib/audit.c) on facts made up for them:
 * a deliberately weak container warns on exactly the checks it fails, a
 * container as examples/nginx.pol makes one warns on its writable root
 * alone, each host and module setting is judged both ways, and the JSON
 * log has docker-bench's shape. tests/kselftest/audit_test.c gathers the
 * facts of real containers in the VM.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/audit.h"
#include "lib/names.h"
#include "lib/policy.h"
#include "lib/spec.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *root = ".";

/* A host as it should be, with brig.ko loaded and no container. */
static struct brig_audit_facts good_host(void)
{
	struct brig_audit_facts f = {
		.lockdown = "integrity", .unprivileged_userns = 0, .max_user_namespaces = 1000,
		.sig_enforce = 1, .ftrace_enabled = 1, .module = true, .abi = 1,
	};

	f.dirs[0] = (struct brig_audit_dir){ "/var/lib/brig", true, false, 0, S_IFDIR | 0700 };
	f.dirs[1] = (struct brig_audit_dir){ "/run/brig", true, false, 0, S_IFDIR | 0755 };
	f.dirs[2] = (struct brig_audit_dir){ "/etc/brig", false, false, 0, 0 };
	return f;
}

/* As launch runs examples/nginx.pol: its caps, ceiling, seccomp, namespaces, a writable root. */
static struct brig_audit_container nginx(void)
{
	struct brig_audit_container c = { .proc = true, .no_new_privs = true, .seccomp = 2 };

	strcpy(c.info.name, "nginx");
	c.info.init_pid = 100;
	c.info.policy.mode = BRIG_MODE_ENFORCE;
	c.info.policy.caps = (1ULL << 0) | (1ULL << 1) | (1ULL << 6) | (1ULL << 7) | (1ULL << 10);
	c.info.policy.pids_max = 64;
	c.info.policy.flags = BRIG_POLICY_F_DEVICES;
	c.info.policy.dfa_bytes = 4096;
	c.info.policy.dfa_states = 40;
	c.info.policy.n_devices = brig_n_default_device_rules;
	memcpy(c.info.policy.devices, brig_default_device_rules,
	       brig_n_default_device_rules * sizeof(brig_default_device_rules[0]));
	c.cap_bounding = c.info.policy.caps;
	c.root_writable = 1;
	c.mounts = true;
	c.info.n_hooks = 30;
	return c;
}

/* What a `privileged`, `network host`, `namespaces pid mount`, ... policy makes. */
static struct brig_audit_container weak(void)
{
	struct brig_audit_container c = { .proc = true };

	strcpy(c.info.name, "weak");
	c.info.init_pid = 101;
	c.info.policy.mode = BRIG_MODE_COMPLAIN;
	c.info.policy.caps = BRIG_ALL_CAPS;
	c.info.policy.dfa_bytes = 512;
	c.info.policy.dfa_states = 3;
	c.cap_bounding = BRIG_ALL_CAPS;
	c.shared_ns[AUDIT_NS_NET] = c.shared_ns[AUDIT_NS_IPC] = 1;
	c.shared_ns[AUDIT_NS_UTS] = c.shared_ns[AUDIT_NS_USER] = 1;
	c.root_writable = 1;
	c.mounts = true;
	strcpy(c.shared_mount, "/mnt");
	c.n_host_paths = 2;
	strcpy(c.host_paths[0].host, "/etc");
	strcpy(c.host_paths[0].point, "/host-etc");
	strcpy(c.host_paths[1].host, "/run/docker.sock");
	strcpy(c.host_paths[1].point, "/var/run/docker.sock");
	strcpy(c.apparmor, "unconfined");
	c.info.n_hooks = 30;
	return c;
}

/* The ids of @f's results at @level, space-separated, for the container @name (or any). */
static void ids_at(const struct brig_audit_facts *f, enum brig_audit_level level,
		   const char *name, char *out, size_t len)
{
	struct brig_audit_result *r = NULL;
	struct brig_error *err = NULL;
	size_t n = 0, used = 0;

	out[0] = '\0';
	if (brig_audit_run(f, &r, &n, &err)) {
		snprintf(out, len, "error: %s", err->msg);
		brig_error_free(&err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		bool about = !name;

		for (size_t j = 0; name && j < r[i].n_items; j++)
			about = about || (!strncmp(r[i].items[j], name, strlen(name)) &&
					  r[i].items[j][strlen(name)] == ':');
		if (r[i].level == level && about)
			used += (size_t)snprintf(out + used, len - used, "%s%s", used ? " " : "",
						 r[i].id);
	}
	brig_audit_results_free(r, n);
}

/* The result @id of @f. */
static struct brig_audit_result *result(const struct brig_audit_facts *f, const char *id,
					struct brig_audit_result **all, size_t *n)
{
	struct brig_error *err = NULL;

	*all = NULL;
	if (brig_audit_run(f, all, n, &err)) {
		brig_error_free(&err);
		return NULL;
	}
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*all)[i].id, id))
			return &(*all)[i];
	return NULL;
}

static void containers(void)
{
	struct brig_audit_facts f = good_host();
	struct brig_audit_container cs[2] = { weak(), nginx() };
	struct brig_audit_result *all, *r;
	char ids[512];
	size_t n;

	f.containers = cs;
	f.n_containers = 2;
	ids_at(&f, BRIG_AUDIT_WARN, "weak", ids, sizeof(ids));
	ok(!strcmp(ids, "B.5 B.6 5.3 5.4 5.5 5.9 5.12 5.16 5.17 5.19 5.20 5.21 5.25 5.28 5.30 5.31"),
	   "a weak container warns on what it fails: %s", ids);
	ids_at(&f, BRIG_AUDIT_INFO, "weak", ids, sizeof(ids));
	ok(!strcmp(ids, "5.1"), "and has no AppArmor profile, for information: %s", ids);
	ids_at(&f, BRIG_AUDIT_WARN, "nginx", ids, sizeof(ids));
	ok(!strcmp(ids, "5.12"), "examples/nginx.pol's container warns on its writable root alone: %s",
	   ids);
	ids_at(&f, BRIG_AUDIT_WARN, NULL, ids, sizeof(ids));
	ok(!strcmp(ids, "B.5 B.6 5.3 5.4 5.5 5.9 5.12 5.16 5.17 5.19 5.20 5.21 5.25 5.28 5.30 5.31"),
	   "the host as it should be adds no warning: %s", ids);

	r = result(&f, "5.12", &all, &n);
	ok(r && r->level == BRIG_AUDIT_WARN && r->n_items == 2 &&
	   !strcmp(r->items[0], "weak: its root filesystem is mounted read-write") &&
	   !strcmp(r->items[1], "nginx: its root filesystem is mounted read-write") &&
	   !strcmp(r->details, "2 of 2 container(s)") && !strcmp(r->remedy, "readonly-rootfs in its .pol"),
	   "a container check lists each container with what was found, and one remedy");
	brig_audit_results_free(all, n);
	r = result(&f, "5.3", &all, &n);
	ok(r && r->n_items == 1 && strstr(r->items[0], "weak: beyond Docker's defaults: DAC_READ_SEARCH") &&
	   strstr(r->items[0], " SYS_ADMIN") && !strstr(r->items[0], " CHOWN"),
	   "5.3 names the capabilities beyond Docker's defaults");
	brig_audit_results_free(all, n);
	r = result(&f, "5.5", &all, &n);
	ok(r && r->n_items == 1 && !strcmp(r->items[0], "weak: /etc on /host-etc"),
	   "5.5 names the host's directory and where it is mounted");
	brig_audit_results_free(all, n);
	r = result(&f, "5.31", &all, &n);
	ok(r && r->n_items == 1 && !strcmp(r->items[0], "weak: /run/docker.sock on /var/run/docker.sock"),
	   "5.31: an engine's socket");
	brig_audit_results_free(all, n);

	/* What the kernel enforces counts, not the init's bounding set alone. */
	cs[1].cap_bounding = BRIG_ALL_CAPS;
	ids_at(&f, BRIG_AUDIT_WARN, "nginx", ids, sizeof(ids));
	ok(!strcmp(ids, "5.12"), "a bounding set wider than brig.ko's mask is not a finding: %s", ids);
	cs[1].info.policy.caps |= 1ULL << 12;	/* NET_ADMIN */
	ids_at(&f, BRIG_AUDIT_WARN, "nginx", ids, sizeof(ids));
	ok(!strcmp(ids, "5.3 5.12"), "a capability beyond Docker's in brig.ko's mask is: %s", ids);
	cs[1].info.policy.devices[cs[1].info.policy.n_devices++] =
		(struct brig_device_rule){ BRIG_DEVICE_BLOCK, 8, 0, BRIG_PERM_READ };
	r = result(&f, "5.17", &all, &n);
	ok(r && r->n_items == 2 && !strcmp(r->items[1], "nginx: beyond Docker's defaults: b 8:0 r"),
	   "5.17 names a device rule beyond Docker's defaults: %s", r && r->n_items > 1 ? r->items[1] : "");
	brig_audit_results_free(all, n);

	/*
	 * Without its /proc (it exited meanwhile), what brig.ko says is judged,
	 * and what /proc would have said is no pass: INFO, "not known".
	 */
	cs[0] = weak();
	cs[0].proc = false;
	cs[0].mounts = false;
	cs[0].root_writable = -1;
	for (int i = 0; i < AUDIT_NS_COUNT; i++)
		cs[0].shared_ns[i] = -1;
	cs[1] = nginx();
	ids_at(&f, BRIG_AUDIT_WARN, "weak", ids, sizeof(ids));
	ok(!strcmp(ids, "B.5 B.6 5.3 5.4 5.12 5.17 5.28"),
	   "a container whose /proc is gone: what brig.ko says (and 5.12, which nginx fails): %s",
	   ids);
	ids_at(&f, BRIG_AUDIT_INFO, "weak", ids, sizeof(ids));
	ok(!strcmp(ids, "5.1 5.5 5.9 5.15 5.16 5.19 5.20 5.21 5.25 5.30 5.31"),
	   "... and the rest not known, never passed: %s", ids);
	r = result(&f, "5.21", &all, &n);
	ok(r && r->level == BRIG_AUDIT_INFO && r->n_items == 1 &&
	   !strcmp(r->items[0], "weak: not known: its init's /proc/PID/status could not be read") &&
	   !strcmp(r->details, "0 of 2 container(s), some not known"),
	   "an unknown fact is said as such");
	brig_audit_results_free(all, n);
	r = result(&f, "5.12", &all, &n);
	ok(r && r->level == BRIG_AUDIT_WARN && r->n_items == 2,
	   "one container failing a check still makes it a WARN when another's is unknown");
	brig_audit_results_free(all, n);

	/* A registrar that sets every bit is as privileged as one that sets all capabilities. */
	cs[0] = weak();
	cs[0].info.policy.caps = ~0ULL;
	ids_at(&f, BRIG_AUDIT_WARN, "weak", ids, sizeof(ids));
	ok(strstr(ids, "5.4") != NULL, "every bit set in the mask is privileged: %s", ids);
}

/* @id of @f is at @level, its details (or an item) holding @found. */
static void expect(const struct brig_audit_facts *f, const char *id, enum brig_audit_level level,
		   const char *found, const char *what)
{
	struct brig_audit_result *all, *r;
	size_t n = 0;
	bool has;

	r = result(f, id, &all, &n);
	has = r && strstr(r->details, found);

	for (size_t i = 0; r && i < r->n_items; i++)
		has = has || strstr(r->items[i], found);
	ok(r && r->level == level && has, "%s: %s %s (%s)", id, what, brig_audit_level_name(level),
	   found);
	if (r && !(r->level == level && has))
		diag("%s: %s", brig_audit_level_name(r->level), r->details);
	brig_audit_results_free(all, n);
}

static void host(void)
{
	struct brig_audit_facts f = good_host();
	struct brig_audit_container c = nginx();

	expect(&f, "H.1", BRIG_AUDIT_PASS, "lockdown: integrity", "locked down:");
	expect(&f, "H.2", BRIG_AUDIT_PASS, "kernel.unprivileged_userns_clone = 0", "switched off:");
	expect(&f, "H.3", BRIG_AUDIT_PASS, "module.sig_enforce = Y", "enforced:");
	expect(&f, "H.4", BRIG_AUDIT_PASS, "root's", "root's directories:");
	expect(&f, "B.1", BRIG_AUDIT_PASS, "brig.ko, ABI 1, 0 container(s)", "loaded:");
	expect(&f, "B.2", BRIG_AUDIT_PASS, "kernel.ftrace_enabled = 1", "ftrace on:");
	expect(&f, "B.3", BRIG_AUDIT_INFO, "no container", "no container to ask:");
	expect(&f, "5.28", BRIG_AUDIT_INFO, "no container is running", "no container:");

	strcpy(f.lockdown, "none");
	expect(&f, "H.1", BRIG_AUDIT_WARN, "lockdown: none", "not locked down:");
	f.lockdown[0] = '\0';
	expect(&f, "H.1", BRIG_AUDIT_INFO, "no /sys/kernel/security/lockdown", "no securityfs:");
	f.unprivileged_userns = 1;
	expect(&f, "H.2", BRIG_AUDIT_WARN, "kernel.unprivileged_userns_clone = 1", "allowed:");
	f.unprivileged_userns = -1;
	expect(&f, "H.2", BRIG_AUDIT_INFO, "user.max_user_namespaces = 1000", "no Debian switch:");
	f.sig_enforce = 0;
	expect(&f, "H.3", BRIG_AUDIT_WARN, "unhooks brig.ko", "not enforced:");
	f.dirs[1].mode = S_IFDIR | 0777;
	expect(&f, "H.4", BRIG_AUDIT_WARN, "/run/brig: mode 0777, writable by anyone",
	       "a directory anyone can write:");
	f.dirs[1].mode = S_IFDIR | 0775;
	expect(&f, "H.4", BRIG_AUDIT_WARN, "/run/brig: mode 0775, writable by its group",
	       "a directory its group can write:");
	f.dirs[0].uid = 1000;
	expect(&f, "H.4", BRIG_AUDIT_WARN, "/var/lib/brig: owned by uid 1000, not root",
	       "a directory of another user:");
	f.dirs[2] = (struct brig_audit_dir){ "/etc/brig", true, true, 0, S_IFLNK | 0777 };
	expect(&f, "H.4", BRIG_AUDIT_WARN, "/etc/brig: a symbolic link", "a symbolic link:");
	f.ftrace_enabled = 0;
	expect(&f, "B.2", BRIG_AUDIT_WARN, "kernel.ftrace_enabled = 0: no hook runs", "ftrace off:");

	f.containers = &c;
	f.n_containers = 1;
	f.ftrace_enabled = 1;
	expect(&f, "B.2", BRIG_AUDIT_PASS, "30 functions hooked", "hooks reported:");
	expect(&f, "B.3", BRIG_AUDIT_PASS, "0 hook call(s) skipped", "no miss:");
	expect(&f, "B.4", BRIG_AUDIT_PASS, "0 event(s) lost", "no loss:");
	c.info.hook_misses = 3;
	c.info.n_hooks = 2;
	strcpy(c.info.hooks[1].name, "security_file_open");
	c.info.hooks[1].misses = 3;
	expect(&f, "B.3", BRIG_AUDIT_WARN, "security_file_open: 3", "misses, by hook:");
	c.info.events_lost = 5;
	expect(&f, "B.4", BRIG_AUDIT_WARN, "5 event(s) lost", "lost events:");
	c.info.n_hooks = 0;
	expect(&f, "B.2", BRIG_AUDIT_WARN, "no hooked function", "no hook:");

	f.module = false;
	f.n_containers = 0;
	strcpy(f.module_error, "the brig kernel module is not loaded");
	expect(&f, "B.1", BRIG_AUDIT_WARN, "not loaded", "not loaded:");
	expect(&f, "B.2", BRIG_AUDIT_INFO, "brig.ko is not loaded", "nothing to ask:");
}

static void json_log(void)
{
	struct brig_audit_facts f = good_host();
	struct brig_audit_container c = weak();
	struct brig_audit_result *r = NULL;
	struct brig_error *err = NULL;
	json_object *o, *v, *tests, *results;
	int passes = 0, warns = 0, seen = 0;
	bool shape = true;
	size_t n = 0;

	f.containers = &c;
	f.n_containers = 1;
	if (brig_audit_run(&f, &r, &n, &err)) {
		ok(false, "the checks run: %s", err->msg);
		brig_error_free(&err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		passes += r[i].level == BRIG_AUDIT_PASS;
		warns += r[i].level == BRIG_AUDIT_WARN;
	}
	o = brig_audit_json(r, n, "9.9");
	ok(json_object_object_get_ex(o, "brig", &v) && !strcmp(json_object_get_string(v), "9.9") &&
	   json_object_object_get_ex(o, "checks", &v) && json_object_get_int(v) == (int)n &&
	   json_object_object_get_ex(o, "score", &v) && json_object_get_int(v) == passes - warns,
	   "the log: brig's version, the checks and the score (PASS - WARN), as docker-bench's");
	ok(json_object_object_get_ex(o, "tests", &tests) && json_object_array_length(tests) == 3,
	   "three sections");
	for (size_t s = 0; shape && s < json_object_array_length(tests); s++) {
		json_object *t = json_object_array_get_idx(tests, s);

		shape = json_object_object_get_ex(t, "id", NULL) &&
			json_object_object_get_ex(t, "desc", NULL) &&
			json_object_object_get_ex(t, "results", &results);
		for (size_t i = 0; shape && i < json_object_array_length(results); i++) {
			json_object *res = json_object_array_get_idx(results, i), *level;
			bool warn;

			seen++;
			shape = json_object_object_get_ex(res, "id", NULL) &&
				json_object_object_get_ex(res, "desc", NULL) &&
				json_object_object_get_ex(res, "result", &level) &&
				json_object_object_get_ex(res, "details", NULL) &&
				json_object_object_get_ex(res, "items", NULL);
			warn = shape && !strcmp(json_object_get_string(level), "WARN");
			shape = shape && warn == json_object_object_get_ex(res, "remediation", NULL);
		}
	}
	ok(shape && seen == (int)n, "each result: id, desc, result, details, items, and a "
	   "remediation when it warns (%d results)", seen);
	json_object_put(o);
	brig_audit_results_free(r, n);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		root = argv[1];
	containers();
	host();
	json_log();
	return tap_done();
}
