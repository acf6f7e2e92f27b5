// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: lowering a policy into a container spec (spec.h), and the spec's
 * lifetime. Every default and every consequence of `privileged` is decided
 * here, once.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <brig.h>

#include "dfa.h"
#include "policy.h"
#include "spec.h"

struct brig_caps brig_caps_docker(uint64_t set, uid_t uid)
{
	return (struct brig_caps){
		.bounding = set, .effective = uid ? 0 : set, .permitted = uid ? 0 : set,
	};
}

void brig_policy_spec_release(struct brig_policy_spec *spec)
{
	free((void *)spec->dfa);	/* the lowering's; the caller's otherwise */
	spec->dfa = NULL;
}

int brig_spec_set_string(char **field, const char *value)
{
	char *copy = value ? strdup(value) : NULL;

	if (value && !copy)
		return -1;
	free(*field);
	*field = copy;
	return 0;
}

int brig_env_set(char ***env, const char *entry, bool replace)
{
	size_t n, len = strcspn(entry, "=");
	char **list = *env;

	for (n = 0; list && list[n]; n++) {
		if (!strncmp(list[n], entry, len) && list[n][len] == '=')
			return replace ? brig_spec_set_string(&list[n], entry) : 0;
	}
	list = realloc(list, (n + 2) * sizeof(*list));
	if (!list)
		return -1;
	*env = list;
	list[n + 1] = NULL;
	list[n] = strdup(entry);
	return list[n] ? 0 : -1;
}

void brig_strv_free(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

char **brig_strv_copy(char *const *list)
{
	size_t n = 0;
	char **out;

	while (list && list[n])
		n++;
	out = calloc(n + 1, sizeof(*out));
	for (size_t i = 0; out && i < n; i++) {
		out[i] = strdup(list[i]);
		if (!out[i]) {
			brig_strv_free(out);
			return NULL;
		}
	}
	return out;
}

/* A copy of the NULL-terminated @list (NULL stays NULL); false on ENOMEM. */
static bool copy_list(char **const list, char ***out)
{
	*out = list ? brig_strv_copy(list) : NULL;
	return !list || *out;
}

/* strdup() that keeps NULL and records a failure in *ok. */
static char *copy_string(const char *s, bool *ok)
{
	char *copy = s ? strdup(s) : NULL;

	if (s && !copy)
		*ok = false;
	return copy;
}

void brig_spec_free(struct brig_container_spec *spec)
{
	size_t i;

	if (!spec)
		return;
	free(spec->source);
	free(spec->bundle);
	free(spec->name);
	free(spec->id);
	free(spec->rootfs);
	brig_strv_free(spec->image_layers);
	free(spec->image);
	free(spec->hostname);
	brig_strv_free(spec->process.argv);
	brig_strv_free(spec->process.env);
	free(spec->process.cwd);
	for (i = 0; spec->mounts && i < spec->n_mounts; i++) {
		free(spec->mounts[i].type);
		free(spec->mounts[i].source);
		free(spec->mounts[i].destination);
		free(spec->mounts[i].data);
	}
	free(spec->mounts);
	brig_strv_free(spec->readonly_paths);
	brig_strv_free(spec->masked_paths);
	for (i = 0; i < BRIG_NS_COUNT; i++)
		free(spec->ns_paths[i]);
	for (int point = 0; point < BRIG_HOOK_POINTS; point++) {
		for (i = 0; spec->hooks[point] && i < spec->n_hooks[point]; i++) {
			free(spec->hooks[point][i].path);
			brig_strv_free(spec->hooks[point][i].args);
			brig_strv_free(spec->hooks[point][i].env);
		}
		free(spec->hooks[point]);
	}
	free(spec->cgroup.path);
	free(spec->annotations);
	free(spec->process.apparmor_profile);
	for (i = 0; spec->devices && i < spec->n_devices; i++) {
		free(spec->devices[i].host);
		free(spec->devices[i].inside);
	}
	free(spec->devices);
	for (i = 0; i < spec->n_sysctls; i++) {
		free(spec->sysctls[i].name);
		free(spec->sysctls[i].value);
	}
	brig_sc_profile_free(spec->seccomp_owned);
	brig_policy_spec_release(&spec->kernel);
	free(spec);
}

void brig_spec_freep(struct brig_container_spec **spec)
{
	brig_spec_free(*spec);
	*spec = NULL;
}

const struct brig_mount *brig_spec_dev_bind(const struct brig_container_spec *spec)
{
	const struct brig_mount *found = NULL;

	/* The last mount on /dev is the one the container sees. */
	for (size_t i = 0; i < spec->n_mounts; i++)
		if (!strcmp(spec->mounts[i].destination, "/dev"))
			found = &spec->mounts[i];
	return found && brig_mount_is_bind(found) ? found : NULL;
}

int brig_spec_add_mount(struct brig_container_spec *spec, const struct brig_mount *m)
{
	struct brig_mount *list = realloc(spec->mounts, (spec->n_mounts + 1) * sizeof(*list));
	struct brig_mount *copy;
	bool ok = true;

	if (!list)
		return -1;
	spec->mounts = list;
	copy = &list[spec->n_mounts++];
	*copy = *m;
	copy->type = copy_string(m->type, &ok);
	copy->source = copy_string(m->source, &ok);
	copy->destination = copy_string(m->destination, &ok);
	copy->data = copy_string(m->data, &ok);
	return ok ? 0 : -1;
}

/* Docker's (moby's oci/defaults.go), but for the per-CPU one, found on the host. */
static const char *const docker_masked_paths[] = {
	"/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi", "/sys/firmware",
	"/sys/devices/virtual/powercap",
};

static const char *const docker_readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

/* @n strings of @list appended to the NULL-terminated *out; false on ENOMEM. */
static bool append_list(char ***out, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (brig_env_set(out, list[i], false))
			return false;
	return true;
}

/*
 * Docker's masked and read-only paths. The kernel's sysfs is the same
 * inside and out: each CPU's thermal_throttle is found on the host's, as
 * moby does.
 */
static bool docker_paths(struct brig_container_spec *spec)
{
	glob_t g;
	bool ok;
	int ret;

	ok = append_list(&spec->masked_paths, docker_masked_paths,
			 sizeof(docker_masked_paths) / sizeof(docker_masked_paths[0])) &&
	     append_list(&spec->readonly_paths, docker_readonly_paths,
			 sizeof(docker_readonly_paths) / sizeof(docker_readonly_paths[0]));
	ret = glob("/sys/devices/system/cpu/cpu*/thermal_throttle", GLOB_NOSORT, NULL, &g);
	if (ret == GLOB_NOMATCH)
		return ok;
	if (ret)
		return false;
	ok = ok && append_list(&spec->masked_paths, (const char *const *)g.gl_pathv, g.gl_pathc);
	globfree(&g);
	return ok;
}

/*
 * The mounts a policy's container gets, in the order they are made:
 * /proc, /sys (read-only but privileged), a fresh /dev (the host's,
 * privileged) with its pts, shm and mqueue, then the policy's own.
 */
static bool pol_mounts(const struct brig_pol *pol, struct brig_container_spec *spec)
{
	const unsigned long safe = MS_NOSUID | MS_NODEV | MS_NOEXEC;
#define MOUNT(t, src, dst, fl, opts) \
	{ .type = t, .source = src, .destination = dst, .flags = fl, .data = opts }
	const struct brig_mount ours[] = {
		MOUNT("proc", "proc", "/proc", safe, NULL),
		MOUNT("sysfs", "sysfs", "/sys", safe | (pol->privileged ? 0 : MS_RDONLY), NULL),
		MOUNT("tmpfs", "tmpfs", "/dev", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
		MOUNT("devpts", "devpts", "/dev/pts", MS_NOSUID | MS_NOEXEC,
		      "newinstance,ptmxmode=0666,mode=0620"),
		MOUNT("tmpfs", "shm", "/dev/shm", safe, "mode=1777,size=65536k"),
		MOUNT("mqueue", "mqueue", "/dev/mqueue", safe, NULL),
	};
#undef MOUNT
	const struct brig_mount host_dev = {
		.type = "bind", .source = "/dev", .destination = "/dev", .recursive = true,
	};
	size_t i, n = sizeof(ours) / sizeof(ours[0]);

	/* A new IPC namespace's message queues; without one, none. */
	if (!(pol->namespaces & BRIG_NS_IPC))
		n--;
	for (i = 0; i < n; i++) {
		if (pol->privileged && i == 2) {
			if (brig_spec_add_mount(spec, &host_dev))
				return false;
			break;
		}
		if (brig_spec_add_mount(spec, &ours[i]))
			return false;
	}
	for (i = 0; i < pol->n_mounts; i++) {
		const struct brig_pol_mount *pm = &pol->mounts[i];
		struct brig_mount m = { .destination = pm->inside, .follow = true };
		char data[64] = "mode=755";

		if (pm->tmpfs) {
			if (pm->size)
				snprintf(data, sizeof(data), "mode=755,size=%llu",
					 (unsigned long long)pm->size);
			m.type = m.source = "tmpfs";
			m.flags = MS_NOSUID | MS_NODEV;
			m.data = data;
		} else {
			m.type = "bind";
			m.source = pm->host;
			m.flags = pm->readonly ? MS_RDONLY : 0;
			m.recursive = true;
		}
		if (brig_spec_add_mount(spec, &m))
			return false;
	}
	return pol->privileged || docker_paths(spec);
}

/* The device nodes, deep; false on ENOMEM. */
static bool copy_devices(const struct brig_pol *pol, struct brig_container_spec *spec)
{
	bool ok = true;
	size_t i;

	if (pol->n_devices) {
		spec->devices = calloc(pol->n_devices, sizeof(*spec->devices));
		if (!spec->devices)
			return false;
		spec->n_devices = pol->n_devices;
		for (i = 0; i < pol->n_devices; i++) {
			spec->devices[i] = pol->devices[i];
			spec->devices[i].host = copy_string(pol->devices[i].host, &ok);
			spec->devices[i].inside = copy_string(pol->devices[i].inside, &ok);
		}
	}
	return ok;
}

/*
 * Docker's default devices (moby's oci/devices: the device cgroup's allow
 * list), each rwm.
 */
const struct brig_device_rule brig_default_device_rules[] = {
	{ BRIG_DEVICE_CHAR, 1, 3, BRIG_PERM_READ | BRIG_PERM_WRITE },	/* null */
	{ BRIG_DEVICE_CHAR, 1, 5, BRIG_PERM_READ | BRIG_PERM_WRITE },	/* zero */
	{ BRIG_DEVICE_CHAR, 1, 7, BRIG_PERM_READ | BRIG_PERM_WRITE },	/* full */
	{ BRIG_DEVICE_CHAR, 1, 8, BRIG_PERM_READ | BRIG_PERM_WRITE },	/* random */
	{ BRIG_DEVICE_CHAR, 1, 9, BRIG_PERM_READ | BRIG_PERM_WRITE },	/* urandom */
	{ BRIG_DEVICE_CHAR, 5, 0, BRIG_PERM_READ | BRIG_PERM_WRITE },	/* tty */
	{ BRIG_DEVICE_CHAR, 5, 1, BRIG_PERM_READ | BRIG_PERM_WRITE },	/* console */
	{ BRIG_DEVICE_CHAR, 5, 2, BRIG_PERM_READ | BRIG_PERM_WRITE },	/* ptmx */
	{ BRIG_DEVICE_CHAR, 136, BRIG_DEVICE_ANY, BRIG_PERM_READ | BRIG_PERM_WRITE }, /* pts/N */
};
const size_t brig_n_default_device_rules =
	sizeof(brig_default_device_rules) / sizeof(brig_default_device_rules[0]);

/*
 * The device list: Docker's defaults, then each `device` line's host node.
 * A line's letters hold for its device even when it is one of the defaults
 * (`device /dev/zero:/dev/myzero:r` makes 1:5 read-only); m (mknod) needs
 * nothing here: making a node is a file operation, opening it is checked.
 */
static int device_list(const struct brig_pol *pol, struct brig_policy_spec *spec,
		       struct brig_error **err)
{
	size_t i, k, n = brig_n_default_device_rules;

	if (n + pol->n_devices > BRIG_DEVICE_RULES_MAX)
		return brig_error_make(err, 0, "%s: more than %d devices", pol->file,
				       BRIG_DEVICE_RULES_MAX - (int)n);
	memcpy(spec->devices, brig_default_device_rules, n * sizeof(*spec->devices));
	spec->n_devices = n;
	for (i = 0; i < pol->n_devices; i++) {
		const struct brig_device_node *d = &pol->devices[i];
		struct brig_device_rule rule = { 0 };
		struct stat st;

		if (stat(d->host, &st))
			return brig_error_make(err, errno, "%s: device `%s`", pol->file, d->host);
		if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
			return brig_error_make(err, 0, "%s: device `%s` is not a device node",
					       pol->file, d->host);
		rule.type = S_ISCHR(st.st_mode) ? BRIG_DEVICE_CHAR : BRIG_DEVICE_BLOCK;
		rule.major = major(st.st_rdev);
		rule.minor = minor(st.st_rdev);
		if (strchr(d->perms, 'r'))
			rule.access |= BRIG_PERM_READ;
		if (strchr(d->perms, 'w'))
			rule.access |= BRIG_PERM_WRITE;
		for (k = 0; k < spec->n_devices; k++) {
			if (spec->devices[k].type == rule.type &&
			    spec->devices[k].major == rule.major &&
			    spec->devices[k].minor == rule.minor)
				break;
		}
		if (k < n)
			spec->devices[k].access = rule.access;	/* a default, overridden */
		else if (k < spec->n_devices)
			spec->devices[k].access |= rule.access;	/* named twice */
		else
			spec->devices[spec->n_devices++] = rule;
	}
	return 0;
}

/* Whether the first @n file rules compile into a DFA the module takes. */
static bool rules_fit(const struct brig_pol *pol, size_t n)
{
	struct brig_error *err = NULL;
	struct brig_dfa *dfa = NULL;
	void *blob = NULL;
	size_t len;
	bool fit;

	fit = !brig_dfa_compile(pol->file_rules, n, &dfa, &err) &&
	      !brig_dfa_serialize(dfa, &blob, &len, &err);
	brig_dfa_free(dfa);
	free(blob);
	brig_error_free(&err);
	return fit;
}

/*
 * When the rules do not fit: the first rule with which they stop fitting
 * (1-based), found by bisection; 0 if even none fit (cannot be).
 */
static size_t growing_rule(const struct brig_pol *pol)
{
	size_t fits = 0, fails = pol->n_file_rules;

	while (fails - fits > 1) {
		size_t mid = fits + (fails - fits) / 2;

		if (rules_fit(pol, mid))
			fits = mid;
		else
			fails = mid;
	}
	return fails;
}

/* privileged: every capability, every device, mounts, no file or network rules. */
int brig_kernel_policy_from_pol(const struct brig_pol *pol, struct brig_policy_spec *spec,
				struct brig_error **err)
{
	struct brig_dfa *compiled = NULL;
	void *blob = NULL;
	int ret;

	memset(spec, 0, sizeof(*spec));
	spec->mode = pol->mode;
	spec->caps = pol->privileged ? BRIG_ALL_CAPS : pol->caps;
	spec->pids_max = pol->pids_max;
	if (pol->privileged || pol->allow_mount)
		spec->flags |= BRIG_POLICY_F_MOUNT;
	if (pol->privileged)
		return 0;
	spec->flags |= BRIG_POLICY_F_DEVICES;
	if (device_list(pol, spec, err) < 0)
		return -1;
	spec->n_socket_rules = pol->n_socket_rules;
	memcpy(spec->socket_rules, pol->socket_rules,
	       pol->n_socket_rules * sizeof(*spec->socket_rules));
	if (!pol->n_file_rules)
		return 0;
	ret = brig_dfa_compile(pol->file_rules, pol->n_file_rules, &compiled, err);
	if (!ret)
		ret = brig_dfa_serialize(compiled, &blob, &spec->dfa_len, err);
	if (ret) {
		size_t culprit = growing_rule(pol);

		free(blob);
		spec->dfa_len = 0;
		if (culprit)
			brig_error_wrap(err, "%s: file rule %zu, `%s`, makes the DFA too large",
					pol->file, culprit, pol->file_rules[culprit - 1].glob);
		else
			brig_error_wrap(err, "%s: file rules", pol->file);
	} else {
		spec->dfa = blob;
		spec->dfa_states = compiled->n_states;
		spec->n_file_rules = pol->n_file_rules;
	}
	brig_dfa_free(compiled);
	return ret;
}

/* A port number, 1 to 65535, at the start of @s; its end in *end. */
static bool port_number(const char *s, const char **end, uint16_t *port)
{
	unsigned long n = 0;
	const char *c;

	for (c = s; *c >= '0' && *c <= '9' && c - s < 6; c++)
		n = n * 10 + (unsigned long)(*c - '0');
	*end = c;
	if (c == s || n < 1 || n > 65535)
		return false;
	*port = (uint16_t)n;
	return true;
}

int brig_publish_parse(const char *text, struct brig_publish *out, const char **why,
		       size_t *at)
{
	struct brig_publish p = { 0 };
	const char *c;

	*why = "expected HOSTPORT:PORT[/tcp|udp], each port 1 to 65535, as docker run -p 8080:80";
	/* At a number out of range, the error points to its start. */
	if (!port_number(text, &c, &p.host_port)) {
		c = text;
		goto bad;
	}
	if (*c != ':')
		goto bad;
	if (!port_number(c + 1, &c, &p.port)) {
		c = strchr(text, ':') + 1;
		goto bad;
	}
	if (!strcmp(c, "/udp")) {
		p.udp = true;
	} else if (*c && strcmp(c, "/tcp")) {
		*why = "expected /tcp or /udp after the ports";
		goto bad;
	}
	*out = p;
	return 0;
bad:
	*at = (size_t)(c - text);
	return -1;
}

bool brig_publish_taken(const struct brig_publish *list, size_t n, const struct brig_publish *p)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].host_port == p->host_port && list[i].udp == p->udp)
			return true;
	return false;
}

void brig_publish_format(const struct brig_publish *p, char *buf, size_t len)
{
	snprintf(buf, len, "%u:%u/%s", p->host_port, p->port, p->udp ? "udp" : "tcp");
}

int brig_spec_publish(struct brig_container_spec *spec, const struct brig_publish *p,
		      struct brig_error **err)
{
	char text[32];

	brig_publish_format(p, text, sizeof(text));
	if (!(spec->namespaces & BRIG_NS_NET))
		return brig_error_make(err, 0,
			"%s: cannot publish %s: the container is on the host's network (publishing needs `network private`)",
			spec->source, text);
	if (!(spec->namespaces & BRIG_NS_USER))
		return brig_error_make(err, 0,
			"%s: cannot publish %s: published ports need a user namespace (pasta runs as the container's root, never as the host's)",
			spec->source, text);
	if (brig_publish_taken(spec->publish, spec->n_publish, p))
		return brig_error_make(err, 0, "host port %u/%s is published twice",
				       p->host_port, p->udp ? "udp" : "tcp");
	if (spec->n_publish == BRIG_PUBLISH_MAX)
		return brig_error_make(err, 0, "more than %d published ports", BRIG_PUBLISH_MAX);
	spec->publish[spec->n_publish++] = *p;
	return 0;
}

uint32_t brig_sysctl_namespace(const char *name)
{
	/* runc's list (libcontainer/configs/validate). */
	static const char *const ipc[] = {
		"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
		"kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
	};

	for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
		if (!strcmp(name, ipc[i]))
			return BRIG_NS_IPC;
	if (!strncmp(name, "fs.mqueue.", 10))
		return BRIG_NS_IPC;
	if (!strncmp(name, "net.", 4))
		return BRIG_NS_NET;
	if (!strcmp(name, "kernel.domainname") || !strcmp(name, "kernel.hostname"))
		return BRIG_NS_UTS;
	return 0;
}

/* Adds @name = @value unless the policy set it. */
static bool sysctl_default(struct brig_container_spec *spec, const char *name,
			   const char *value)
{
	bool ok = true;

	for (size_t i = 0; i < spec->n_sysctls; i++)
		if (spec->sysctls[i].name && !strcmp(spec->sysctls[i].name, name))
			return true;
	spec->sysctls[spec->n_sysctls].name = copy_string(name, &ok);
	spec->sysctls[spec->n_sysctls].value = copy_string(value, &ok);
	spec->n_sysctls++;
	return ok;
}

/*
 * The policy's sysctls, and Docker's for a network namespace of the
 * container's own: ICMP echo sockets for every group (those the user
 * namespace maps: the kernel takes no others) and every port for anyone.
 */
static bool copy_sysctls(const struct brig_pol *pol, struct brig_container_spec *spec)
{
	uint64_t groups = 2147483648ULL;
	char range[32];
	bool ok = true;
	size_t i;

	for (i = 0; i < pol->n_sysctls; i++) {
		spec->sysctls[i].name = copy_string(pol->sysctls[i].name, &ok);
		spec->sysctls[i].value = copy_string(pol->sysctls[i].value, &ok);
	}
	spec->n_sysctls = pol->n_sysctls;
	if (!(pol->namespaces & BRIG_NS_NET) || spec->n_sysctls + 2 > BRIG_SYSCTLS_MAX)
		return ok;
	if (pol->namespaces & BRIG_NS_USER) {
		for (groups = 0, i = 0; i < pol->n_gidmap; i++)
			if (pol->gidmap[i].inside == groups)
				groups += pol->gidmap[i].count;
	}
	if (groups) {
		snprintf(range, sizeof(range), "0 %llu", (unsigned long long)groups - 1);
		ok &= sysctl_default(spec, "net.ipv4.ping_group_range", range);
	}
	ok &= sysctl_default(spec, "net.ipv4.ip_unprivileged_port_start", "0");
	return ok;
}

int brig_spec_from_pol(const struct brig_pol *pol, struct brig_container_spec **out,
		       struct brig_error **err)
{
	struct brig_container_spec *spec __attribute__((cleanup(brig_spec_freep))) = NULL;
	struct brig_process *proc;
	bool ok = true;

	spec = calloc(1, sizeof(*spec));
	if (!spec)
		return brig_error_make(err, ENOMEM, "%s: container spec", pol->file);
	proc = &spec->process;
	spec->source = copy_string(pol->file, &ok);
	spec->name = copy_string(pol->name, &ok);
	spec->rootfs = copy_string(pol->rootfs, &ok);
	spec->image = copy_string(pol->image, &ok);
	spec->said = pol->said;
	spec->trust_required = pol->trust_required;
	spec->readonly_rootfs = pol->readonly_rootfs;
	spec->hostname = copy_string(pol->hostname, &ok);
	ok &= copy_list(pol->command, &proc->argv);
	ok &= copy_list(pol->env, &proc->env);
	proc->cwd = copy_string(pol->workdir, &ok);
	proc->uid = pol->uid;
	proc->gid = pol->gid;
	proc->no_new_privs = pol->no_new_privs;
	memcpy(proc->rlimits, pol->rlimits, sizeof(proc->rlimits));
	proc->n_rlimits = pol->n_rlimits;
	proc->umask = -1;
	spec->cgroup.cpu_quota = -1;
	spec->namespaces = pol->namespaces | BRIG_NS_PID | BRIG_NS_MOUNT;
	memcpy(spec->uidmap, pol->uidmap, sizeof(spec->uidmap));
	memcpy(spec->gidmap, pol->gidmap, sizeof(spec->gidmap));
	spec->n_uidmap = pol->n_uidmap;
	spec->n_gidmap = pol->n_gidmap;
	ok &= pol_mounts(pol, spec) && copy_devices(pol, spec);
	ok &= copy_sysctls(pol, spec);
	memcpy(spec->publish, pol->publish, sizeof(spec->publish));
	spec->n_publish = pol->n_publish;
	if (!ok)
		return brig_error_make(err, ENOMEM, "%s: container spec", pol->file);

	/* privileged, as Docker's --privileged: settled here for every field. */
	spec->privileged = pol->privileged;
	proc->caps = brig_caps_docker(pol->privileged ? BRIG_ALL_CAPS : pol->caps, pol->uid);
	if (!pol->privileged && pol->seccomp == BRIG_SECCOMP_DEFAULT) {
		spec->seccomp = brig_sc_docker_default();
	} else if (!pol->privileged && pol->seccomp == BRIG_SECCOMP_FILE) {
		if (brig_sc_profile_load(pol->seccomp_file, &spec->seccomp_owned, err))
			return -1;
		spec->seccomp = spec->seccomp_owned;
	}
	if (brig_kernel_policy_from_pol(pol, &spec->kernel, err))
		return -1;
	*out = spec;
	spec = NULL;
	return 0;
}
