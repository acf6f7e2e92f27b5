// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: brigctl audit's checks, made of the facts audit_facts.c gathers.
 * One table: each check's id, section, title (docker-bench's words where it
 * has the check), remedy, and the function that judges it. A container
 * check judges one container at a time; its result lists every container
 * that fails it, with what was found.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit.h"
#include "names.h"
#include "policy.h"
#include "spec.h"
#include "views.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const section_ids[] = { "H", "B", "5" };
static const char *const section_names[] = { "Host", "brig.ko", "Container Runtime" };

size_t brig_audit_sections(const char *const **ids, const char *const **names)
{
	*ids = section_ids;
	*names = section_names;
	return N(section_ids);
}

const char *brig_audit_level_name(enum brig_audit_level level)
{
	static const char *const names[] = { "PASS", "WARN", "INFO" };

	return level <= BRIG_AUDIT_INFO ? names[level] : "?";
}

/* ---- host and module checks: each sets @r's level and details ---- */

static void lockdown(const struct brig_audit_facts *f, struct brig_audit_result *r)
{
	if (!f->lockdown[0]) {
		r->level = BRIG_AUDIT_INFO;
		snprintf(r->details, sizeof(r->details), "no /sys/kernel/security/lockdown");
	} else {
		r->level = strcmp(f->lockdown, "none") ? BRIG_AUDIT_PASS : BRIG_AUDIT_WARN;
		snprintf(r->details, sizeof(r->details), "lockdown: %s", f->lockdown);
	}
}

static void userns(const struct brig_audit_facts *f, struct brig_audit_result *r)
{
	if (f->unprivileged_userns >= 0) {
		r->level = f->unprivileged_userns ? BRIG_AUDIT_WARN : BRIG_AUDIT_PASS;
		snprintf(r->details, sizeof(r->details), "kernel.unprivileged_userns_clone = %d",
			 f->unprivileged_userns);
	} else if (f->max_user_namespaces >= 0) {
		/*
		 * A kernel without Debian's switch: its one limit holds for root
		 * too, whom containers need it for.
		 */
		r->level = BRIG_AUDIT_INFO;
		snprintf(r->details, sizeof(r->details), "no kernel.unprivileged_userns_clone here; "
			 "user.max_user_namespaces = %d, for every user", f->max_user_namespaces);
	} else {
		r->level = BRIG_AUDIT_INFO;
		snprintf(r->details, sizeof(r->details), "no user namespace settings in /proc/sys");
	}
}

static void sig_enforce(const struct brig_audit_facts *f, struct brig_audit_result *r)
{
	if (f->sig_enforce < 0) {
		r->level = BRIG_AUDIT_INFO;
		snprintf(r->details, sizeof(r->details), "no /sys/module/module/parameters/sig_enforce");
		return;
	}
	r->level = f->sig_enforce ? BRIG_AUDIT_PASS : BRIG_AUDIT_WARN;
	snprintf(r->details, sizeof(r->details), "module.sig_enforce = %s%s",
		 f->sig_enforce ? "Y" : "N",
		 f->sig_enforce ? "" : ": root can load a module that unhooks brig.ko");
}

static int add_item(struct brig_audit_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int add_item(struct brig_audit_result *r, const char *fmt, ...)
{
	char **grown = realloc(r->items, (r->n_items + 1) * sizeof(*grown));
	va_list ap;
	int n;

	if (!grown)
		return -1;
	r->items = grown;
	va_start(ap, fmt);
	n = vasprintf(&r->items[r->n_items], fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	r->n_items++;
	return 0;
}

static void state_dirs(const struct brig_audit_facts *f, struct brig_audit_result *r)
{
	r->level = BRIG_AUDIT_PASS;
	for (size_t i = 0; i < BRIG_AUDIT_DIRS; i++) {
		const struct brig_audit_dir *d = &f->dirs[i];

		if (!d->path || !d->exists)
			continue;
		if (d->symlink)
			add_item(r, "%s: a symbolic link", d->path);
		else if (d->uid != 0)
			add_item(r, "%s: owned by uid %u, not root", d->path, (unsigned int)d->uid);
		else if (d->mode & (S_IWGRP | S_IWOTH))
			add_item(r, "%s: mode %04o, writable by %s", d->path, d->mode & 07777,
				 d->mode & S_IWOTH ? "anyone" : "its group");
		else
			continue;
		r->level = BRIG_AUDIT_WARN;
	}
	snprintf(r->details, sizeof(r->details), "%s", r->level == BRIG_AUDIT_PASS ?
		 "root's, and writable by root alone" : "");
}

static void module_loaded(const struct brig_audit_facts *f, struct brig_audit_result *r)
{
	if (!f->module) {
		r->level = BRIG_AUDIT_WARN;
		snprintf(r->details, sizeof(r->details), "%s", f->module_error);
		return;
	}
	/* More containers than one audit holds: the rest went unseen, which is no pass. */
	r->level = f->truncated ? BRIG_AUDIT_WARN : BRIG_AUDIT_PASS;
	snprintf(r->details, sizeof(r->details), "brig.ko, ABI %u, %zu container(s)%s", f->abi,
		 f->n_containers, f->truncated ? " audited, and more that were not" : "");
}

/* The module-wide counters ride on every container's reply: the first one's. */
static const struct brig_container_info *any_container(const struct brig_audit_facts *f)
{
	return f->n_containers ? &f->containers[0].info : NULL;
}

static void hooks_alive(const struct brig_audit_facts *f, struct brig_audit_result *r)
{
	const struct brig_container_info *c = any_container(f);

	if (!f->module) {
		r->level = BRIG_AUDIT_INFO;
		snprintf(r->details, sizeof(r->details), "brig.ko is not loaded");
	} else if (f->ftrace_enabled == 0) {
		r->level = BRIG_AUDIT_WARN;
		snprintf(r->details, sizeof(r->details), "kernel.ftrace_enabled = 0: no hook runs");
	} else if (c && !c->n_hooks) {
		r->level = BRIG_AUDIT_WARN;
		snprintf(r->details, sizeof(r->details), "brig.ko reports no hooked function");
	} else {
		r->level = BRIG_AUDIT_PASS;
		if (c)
			snprintf(r->details, sizeof(r->details),
				 "kernel.ftrace_enabled = %d; %zu functions hooked", f->ftrace_enabled,
				 c->n_hooks);
		else
			snprintf(r->details, sizeof(r->details), "kernel.ftrace_enabled = %d",
				 f->ftrace_enabled);
	}
}

static void hook_misses(const struct brig_audit_facts *f, struct brig_audit_result *r)
{
	const struct brig_container_info *c = any_container(f);

	if (!c) {
		r->level = BRIG_AUDIT_INFO;
		snprintf(r->details, sizeof(r->details), "no container: brig.ko counts with each");
		return;
	}
	r->level = c->hook_misses ? BRIG_AUDIT_WARN : BRIG_AUDIT_PASS;
	snprintf(r->details, sizeof(r->details), "%llu hook call(s) skipped",
		 (unsigned long long)c->hook_misses);
	for (size_t i = 0; i < c->n_hooks; i++)
		if (c->hooks[i].misses)
			add_item(r, "%s: %llu", c->hooks[i].name,
				 (unsigned long long)c->hooks[i].misses);
}

static void events_lost(const struct brig_audit_facts *f, struct brig_audit_result *r)
{
	const struct brig_container_info *c = any_container(f);

	if (!c) {
		r->level = BRIG_AUDIT_INFO;
		snprintf(r->details, sizeof(r->details), "no container: brig.ko counts with each");
		return;
	}
	r->level = c->events_lost ? BRIG_AUDIT_WARN : BRIG_AUDIT_PASS;
	snprintf(r->details, sizeof(r->details), "%llu event(s) lost since brig.ko was loaded",
		 (unsigned long long)c->events_lost);
}

/*
 * ---- container checks: FAILS with what was found in @what, UNKNOWN with
 * what could not be known, or HOLDS
 */

enum verdict { HOLDS, FAILS, UNKNOWN };

static enum verdict unknown(char *what, size_t len, const char *fact)
{
	snprintf(what, len, "not known: %s", fact);
	return UNKNOWN;
}

#define NEED_PROC(c, what, len) do {						\
		if (!(c)->proc)							\
			return unknown(what, len, "its init's /proc/PID/status could not be read"); \
	} while (0)

#define NEED_MOUNTS(c, what, len) do {						\
		if (!(c)->mounts)						\
			return unknown(what, len, "its mounts, or the host's, could not be read"); \
	} while (0)

static enum verdict apparmor(const struct brig_audit_container *c, char *what, size_t len)
{
	NEED_PROC(c, what, len);
	if (c->apparmor[0] && strcmp(c->apparmor, "unconfined"))
		return HOLDS;
	snprintf(what, len, "no AppArmor profile (brig.ko's file rules confine it)");
	return FAILS;
}

static enum verdict caps(const struct brig_audit_container *c, char *what, size_t len)
{
	/* What brig.ko lets through and the init may still hold; all if its /proc is gone. */
	uint64_t held = c->info.policy.caps & (c->proc ? c->cap_bounding : ~0ULL);
	uint64_t extra = held & ~BRIG_DOCKER_DEFAULT_CAPS;
	size_t used;

	if (!extra)
		return HOLDS;
	used = (size_t)snprintf(what, len, "beyond Docker's defaults:");
	for (int cap = 0; cap < BRIG_CAPS_COUNT && used < len; cap++)
		if (extra & (1ULL << cap))
			used += (size_t)snprintf(what + used, len - used, " %s", brig_cap_name(cap));
	return FAILS;
}

static enum verdict privileged(const struct brig_audit_container *c, char *what, size_t len)
{
	if ((c->info.policy.caps & BRIG_ALL_CAPS) != BRIG_ALL_CAPS ||
	    (c->info.policy.flags & BRIG_POLICY_F_DEVICES) || (c->proc && c->seccomp))
		return HOLDS;
	snprintf(what, len, "privileged: every capability, every device%s",
		 c->proc ? ", no seccomp" : "");
	return FAILS;
}

static bool is_socket(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && !strcmp(path + n - 5, ".sock");
}

static enum verdict list_paths(const struct brig_audit_container *c, bool sockets, char *what,
			       size_t len)
{
	size_t used = 0;

	NEED_MOUNTS(c, what, len);
	what[0] = '\0';
	for (size_t i = 0; i < c->n_host_paths && used < len; i++)
		if (is_socket(c->host_paths[i].host) == sockets)
			used += (size_t)snprintf(what + used, len - used, "%s%s on %s", used ? " " : "",
						 c->host_paths[i].host, c->host_paths[i].point);
	return used ? FAILS : HOLDS;
}

static enum verdict host_paths(const struct brig_audit_container *c, char *what, size_t len)
{
	return list_paths(c, false, what, len);
}

static enum verdict engine_sockets(const struct brig_audit_container *c, char *what, size_t len)
{
	return list_paths(c, true, what, len);
}

static enum verdict ns_shared(const struct brig_audit_container *c, enum brig_audit_ns ns,
			      const char *name, char *what, size_t len)
{
	if (c->shared_ns[ns] < 0) {
		snprintf(what, len, "not known: its %s namespace could not be compared", name);
		return UNKNOWN;
	}
	if (!c->shared_ns[ns])
		return HOLDS;
	snprintf(what, len, "the host's %s namespace", name);
	return FAILS;
}

static enum verdict host_net(const struct brig_audit_container *c, char *what, size_t len)
{
	return ns_shared(c, AUDIT_NS_NET, "network", what, len);
}

static enum verdict host_pid(const struct brig_audit_container *c, char *what, size_t len)
{
	return ns_shared(c, AUDIT_NS_PID, "pid", what, len);
}

static enum verdict host_ipc(const struct brig_audit_container *c, char *what, size_t len)
{
	return ns_shared(c, AUDIT_NS_IPC, "IPC", what, len);
}

static enum verdict host_uts(const struct brig_audit_container *c, char *what, size_t len)
{
	return ns_shared(c, AUDIT_NS_UTS, "UTS", what, len);
}

static enum verdict host_user(const struct brig_audit_container *c, char *what, size_t len)
{
	enum verdict v = ns_shared(c, AUDIT_NS_USER, "user", what, len);

	if (v == FAILS)
		snprintf(what, len, "the host's user namespace: its root is the host's root");
	return v;
}

static enum verdict rootfs_writable(const struct brig_audit_container *c, char *what, size_t len)
{
	if (c->root_writable < 0)
		return unknown(what, len, "its root could not be looked at");
	if (!c->root_writable)
		return HOLDS;
	snprintf(what, len, "its root filesystem is mounted read-write");
	return FAILS;
}

static bool is_default_device(const struct brig_device_rule *d)
{
	for (size_t i = 0; i < brig_n_default_device_rules; i++) {
		const struct brig_device_rule *def = &brig_default_device_rules[i];

		if (d->type == def->type && d->major == def->major && d->minor == def->minor &&
		    !(d->access & ~def->access))
			return true;
	}
	return false;
}

static enum verdict devices(const struct brig_audit_container *c, char *what, size_t len)
{
	const struct brig_policy_spec *p = &c->info.policy;
	size_t used = 0;
	char rule[64];

	if (!(p->flags & BRIG_POLICY_F_DEVICES)) {
		snprintf(what, len, "every device node of the host");
		return FAILS;
	}
	for (size_t i = 0; i < p->n_devices && used < len; i++) {
		if (is_default_device(&p->devices[i]))
			continue;
		brig_device_rule_text(&p->devices[i], rule, sizeof(rule));
		used += (size_t)snprintf(what + used, len - used, "%s%s", used ? ", " : "beyond "
					 "Docker's defaults: ", rule);
	}
	return used ? FAILS : HOLDS;
}

static enum verdict propagation(const struct brig_audit_container *c, char *what, size_t len)
{
	NEED_MOUNTS(c, what, len);
	if (!c->shared_mount[0])
		return HOLDS;
	snprintf(what, len, "shared propagation: %s", c->shared_mount);
	return FAILS;
}

static enum verdict seccomp(const struct brig_audit_container *c, char *what, size_t len)
{
	NEED_PROC(c, what, len);
	if (c->seccomp)
		return HOLDS;
	snprintf(what, len, "seccomp unconfined");
	return FAILS;
}

static enum verdict no_new_privs(const struct brig_audit_container *c, char *what, size_t len)
{
	NEED_PROC(c, what, len);
	if (c->no_new_privs)
		return HOLDS;
	snprintf(what, len, "no_new_privs is not set: setuid programs raise privileges");
	return FAILS;
}

static enum verdict pids(const struct brig_audit_container *c, char *what, size_t len)
{
	if (c->info.policy.pids_max)
		return HOLDS;
	snprintf(what, len, "no task ceiling");
	return FAILS;
}

static enum verdict complain(const struct brig_audit_container *c, char *what, size_t len)
{
	if (c->info.policy.mode != BRIG_MODE_COMPLAIN)
		return HOLDS;
	snprintf(what, len, "complain mode: what its policy refuses is only reported");
	return FAILS;
}

static enum verdict voided(const struct brig_audit_container *c, char *what, size_t len)
{
	struct brig_policy_spec p = c->info.policy;
	uint64_t caps;
	char why[512];

	/* GET says how large the DFA is, not what it holds: enough to know there are rules. */
	p.dfa_len = p.dfa_bytes;
	caps = brig_spec_voiding_caps(&p);
	if (!caps)
		return HOLDS;
	brig_voiding_describe(caps, why, sizeof(why));
	snprintf(what, len, "its capabilities void its file rules: %s", why);
	return FAILS;
}

static const struct check {
	const char *id, *section, *title, *remedy;
	void (*judge)(const struct brig_audit_facts *f, struct brig_audit_result *r);
	enum verdict (*container)(const struct brig_audit_container *c, char *what, size_t len);
	enum brig_audit_level fails;	/* a container check's level when one fails */
} checks[] = {
#define HOST_CHECK(i, s, t, r, fn) \
	{ .id = i, .section = s, .title = t, .remedy = r, .judge = fn }
#define CONTAINER_CHECK(i, s, t, r, fn, level) \
	{ .id = i, .section = s, .title = t, .remedy = r, .container = fn, .fails = level }
	HOST_CHECK("H.1", "H", "Ensure the kernel is locked down",
	  "boot with lockdown=integrity (Secure Boot does it on Debian)", lockdown),
	HOST_CHECK("H.2", "H", "Ensure unprivileged users cannot make user namespaces",
	  "sysctl -w kernel.unprivileged_userns_clone=0, kept in /etc/sysctl.d/", userns),
	HOST_CHECK("H.3", "H", "Ensure module signatures are enforced",
	  "boot with module.sig_enforce=1 (DKMS signs brig.ko with its MOK)", sig_enforce),
	HOST_CHECK("H.4", "H", "Ensure brig's state directories are root's alone",
	  "chown root:root DIR && chmod go-w DIR", state_dirs),
	HOST_CHECK("B.1", "B", "Ensure brig.ko is loaded",
	  "modprobe brig (make install loads it at boot)", module_loaded),
	HOST_CHECK("B.2", "B", "Ensure every hook of brig.ko runs",
	  "sysctl -w kernel.ftrace_enabled=1, then reload brig.ko", hooks_alive),
	HOST_CHECK("B.3", "B", "Ensure no hook call was skipped",
	  "report it with the kernel log: a check was skipped on a nested call", hook_misses),
	HOST_CHECK("B.4", "B", "Ensure no event was lost",
	  "follow events with a listener that keeps up (brigctl events), or fewer audit rules",
	  events_lost),
	CONTAINER_CHECK("B.5", "B", "Ensure containers enforce their policies",
	  "mode enforce in its .pol (or a rule's action: enforce)", complain,
	  BRIG_AUDIT_WARN),
	CONTAINER_CHECK("B.6", "B", "Ensure no container's capabilities void its file rules",
	  "caps drop those capabilities in its .pol", voided, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.1", "5", "Ensure that, if applicable, an AppArmor Profile is enabled",
	  "apparmor_parser a profile and run it under it (brig.ko's rules hold either way)",
	  apparmor, BRIG_AUDIT_INFO),
	CONTAINER_CHECK("5.3", "5", "Ensure that Linux kernel capabilities are restricted within containers",
	  "caps drop what it does not need in its .pol", caps, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.4", "5", "Ensure that privileged containers are not used",
	  "remove `privileged` from its .pol", privileged, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.5", "5", "Ensure sensitive host system directories are not mounted on containers",
	  "mount bind only what it needs, never /, /boot, /dev, /etc, /lib, /proc, /sys, /usr",
	  host_paths, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.9", "5", "Ensure that the host's network namespace is not shared",
	  "network private in its .pol (the default)", host_net, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.12", "5", "Ensure that the container's root filesystem is mounted as read only",
	  "readonly-rootfs in its .pol", rootfs_writable, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.15", "5", "Ensure that the host's process namespace is not shared",
	  "namespaces with pid in its .pol", host_pid, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.16", "5", "Ensure that the host's IPC namespace is not shared",
	  "namespaces with ipc in its .pol", host_ipc, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.17", "5", "Ensure that host devices are not directly exposed to containers",
	  "device only the nodes it needs in its .pol", devices, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.19", "5", "Ensure mount propagation mode is not set to shared",
	  "keep the default private propagation", propagation, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.20", "5", "Ensure that the host's UTS namespace is not shared",
	  "namespaces with uts in its .pol", host_uts, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.21", "5", "Ensure the default seccomp profile is not Disabled",
	  "seccomp default in its .pol", seccomp, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.25", "5", "Ensure that the container is restricted from acquiring additional privileges",
	  "remove `no-new-privileges off` from its .pol", no_new_privs, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.28", "5", "Ensure that the PIDs cgroup limit is used",
	  "pids max N in its .pol (docker run --pids-limit)", pids, BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.30", "5", "Ensure that the host's user namespaces are not shared",
	  "namespaces with user in its .pol (the default), with a uidmap", host_user,
	  BRIG_AUDIT_WARN),
	CONTAINER_CHECK("5.31", "5", "Ensure that the Docker socket is not mounted inside any containers",
	  "never bind an engine's socket into a container", engine_sockets,
	  BRIG_AUDIT_WARN),
#undef HOST_CHECK
#undef CONTAINER_CHECK
};

static int judge_containers(const struct check *ch, const struct brig_audit_facts *f,
			    struct brig_audit_result *r)
{
	char what[BRIG_AUDIT_DETAIL_MAX * 2];
	size_t failing = 0, unknown = 0;

	for (size_t i = 0; i < f->n_containers; i++) {
		const struct brig_audit_container *c = &f->containers[i];
		enum verdict v = ch->container(c, what, sizeof(what));

		if (v == HOLDS)
			continue;
		failing += v == FAILS;
		unknown += v == UNKNOWN;
		if (add_item(r, "%s: %s", c->info.name, what))
			return -1;
	}
	if (!f->n_containers) {
		r->level = BRIG_AUDIT_INFO;
		snprintf(r->details, sizeof(r->details), "no container is running");
		return 0;
	}
	/* What could not be known is no pass: INFO, unless another container fails. */
	r->level = failing ? ch->fails : unknown ? BRIG_AUDIT_INFO : BRIG_AUDIT_PASS;
	snprintf(r->details, sizeof(r->details), "%zu of %zu container(s)%s", failing,
		 f->n_containers, unknown ? ", some not known" : "");
	return 0;
}

int brig_audit_run(const struct brig_audit_facts *f, struct brig_audit_result **out, size_t *n,
		   struct brig_error **err)
{
	struct brig_audit_result *r = calloc(N(checks), sizeof(*r));

	if (!r)
		return brig_error_make(err, ENOMEM, "audit");
	for (size_t i = 0; i < N(checks); i++) {
		r[i].id = checks[i].id;
		r[i].section = checks[i].section;
		r[i].title = checks[i].title;
		r[i].remedy = checks[i].remedy;
		if (checks[i].judge) {
			checks[i].judge(f, &r[i]);
		} else if (judge_containers(&checks[i], f, &r[i])) {
			brig_audit_results_free(r, N(checks));
			return brig_error_make(err, ENOMEM, "audit");
		}
	}
	*out = r;
	*n = N(checks);
	return 0;
}

void brig_audit_results_free(struct brig_audit_result *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++) {
		for (size_t j = 0; j < r[i].n_items; j++)
			free(r[i].items[j]);
		free(r[i].items);
	}
	free(r);
}

int brig_audit_score(const struct brig_audit_result *r, size_t n)
{
	int score = 0;

	for (size_t i = 0; i < n; i++)
		score += r[i].level == BRIG_AUDIT_PASS ? 1 : r[i].level == BRIG_AUDIT_WARN ? -1 : 0;
	return score;
}

json_object *brig_audit_json(const struct brig_audit_result *r, size_t n, const char *version)
{
	json_object *o = json_object_new_object(), *tests = json_object_new_array();

	json_object_object_add(o, "brig", json_object_new_string(version));
	for (size_t s = 0; s < N(section_ids); s++) {
		json_object *t = json_object_new_object(), *results = json_object_new_array();

		json_object_object_add(t, "id", json_object_new_string(section_ids[s]));
		json_object_object_add(t, "desc", json_object_new_string(section_names[s]));
		for (size_t i = 0; i < n; i++) {
			json_object *res, *items;

			if (strcmp(r[i].section, section_ids[s]))
				continue;
			res = json_object_new_object();
			json_object_object_add(res, "id", json_object_new_string(r[i].id));
			json_object_object_add(res, "desc", json_object_new_string(r[i].title));
			json_object_object_add(res, "result",
					       json_object_new_string(brig_audit_level_name(r[i].level)));
			json_object_object_add(res, "details", json_object_new_string(r[i].details));
			items = json_object_new_array();
			for (size_t j = 0; j < r[i].n_items; j++)
				json_object_array_add(items, json_object_new_string(r[i].items[j]));
			json_object_object_add(res, "items", items);
			if (r[i].level == BRIG_AUDIT_WARN)
				json_object_object_add(res, "remediation",
						       json_object_new_string(r[i].remedy));
			json_object_array_add(results, res);
		}
		json_object_object_add(t, "results", results);
		json_object_array_add(tests, t);
	}
	json_object_object_add(o, "tests", tests);
	json_object_object_add(o, "checks", json_object_new_int64((int64_t)n));
	json_object_object_add(o, "score", json_object_new_int(brig_audit_score(r, n)));
	return o;
}
