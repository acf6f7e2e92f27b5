// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: the .pol statements (docs/policy-language.md), one handler each, and the
 * table policy.c dispatches on: keyword, once-only, argument count, usage.
 * The statements that make rules are in pol_rules.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <brig.h>

#include "pol_parse.h"

static int st_rlimit(struct parser *p)
{
	static const struct { const char *name; int r; } names[] = {
		{ "as", RLIMIT_AS }, { "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU },
		{ "data", RLIMIT_DATA }, { "fsize", RLIMIT_FSIZE },
		{ "locks", RLIMIT_LOCKS }, { "memlock", RLIMIT_MEMLOCK },
		{ "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE },
		{ "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },
		{ "rss", RLIMIT_RSS }, { "rtprio", RLIMIT_RTPRIO },
		{ "rttime", RLIMIT_RTTIME }, { "sigpending", RLIMIT_SIGPENDING },
		{ "stack", RLIMIT_STACK },
	};
	struct brig_rlimit *rl;
	uint64_t v[2];
	size_t i, k;

	if (pol_want_args(p, 2, 3, "rlimit NAME SOFT [HARD]") < 0)
		return -1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(p->w[1].text, names[i].name))
			break;
	}
	if (i == sizeof(names) / sizeof(names[0]))
		return pol_err(p, &p->w[1], 0, "unknown rlimit '%s'", p->w[1].text);
	for (k = 0; k < p->pol->n_rlimits; k++) {
		if (p->pol->rlimits[k].resource == names[i].r)
			return pol_err(p, &p->w[1], 0, "rlimit %s is set twice", p->w[1].text);
	}
	for (k = 0; k < 2; k++) {
		const struct word *w = &p->w[k + 2 < p->n ? k + 2 : 2];

		if (!strcmp(w->text, "unlimited"))
			v[k] = RLIM_INFINITY;
		else if (pol_u64(p, w, UINT64_MAX - 1, &v[k]) < 0)
			return -1;
	}
	if (v[0] > v[1])
		return pol_err(p, &p->w[2], 0, "soft limit above the hard limit");
	rl = &p->pol->rlimits[p->pol->n_rlimits++];
	rl->resource = names[i].r;
	rl->soft = v[0];
	rl->hard = v[1];
	return 0;
}

static int st_idmap(struct parser *p, struct brig_idmap *map, size_t *n)
{
	if (pol_want_args(p, 3, 3, map == p->pol->uidmap ? "uidmap INSIDE OUTSIDE COUNT" :
			  "gidmap INSIDE OUTSIDE COUNT") < 0)
		return -1;
	if (*n == BRIG_IDMAP_MAX)
		return pol_err(p, &p->w[0], 0, "more than %d maps", BRIG_IDMAP_MAX);
	if (pol_u32(p, &p->w[1], UINT32_MAX - 1, &map[*n].inside) < 0 ||
	    pol_u32(p, &p->w[2], UINT32_MAX - 1, &map[*n].outside) < 0 ||
	    pol_u32(p, &p->w[3], UINT32_MAX, &map[*n].count) < 0)
		return -1;
	if (!map[*n].count)
		return pol_err(p, &p->w[3], 0, "a map of 0 ids");
	if ((uint64_t)map[*n].inside + map[*n].count > 1ULL << 32 ||
	    (uint64_t)map[*n].outside + map[*n].count > 1ULL << 32)
		return pol_err(p, &p->w[3], 0, "the map runs past id 4294967295");
	/* The kernel refuses overlapping extents, inside or outside: say which. */
	for (size_t i = 0; i < *n; i++) {
		const struct brig_idmap *a = &map[i], *b = &map[*n];

		uint64_t a_end = (uint64_t)a->inside + a->count, b_end = (uint64_t)b->inside + b->count;

		if (a->inside < b_end && b->inside < a_end)
			return pol_err(p, &p->w[1], 0, "ids %u to %llu inside are mapped twice",
				       b->inside > a->inside ? b->inside : a->inside,
				       (unsigned long long)(a_end < b_end ? a_end : b_end) - 1);
		a_end = (uint64_t)a->outside + a->count;
		b_end = (uint64_t)b->outside + b->count;
		if (a->outside < b_end && b->outside < a_end)
			return pol_err(p, &p->w[2], 0, "ids %u to %llu outside are mapped twice",
				       b->outside > a->outside ? b->outside : a->outside,
				       (unsigned long long)(a_end < b_end ? a_end : b_end) - 1);
	}
	(*n)++;
	return 0;
}


static int st_name(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	if (!brig_pol_name_valid(p->w[1].text))
		return pol_err(p, &p->w[1], 0,
			       "a name is 1 to 63 of [A-Za-z0-9_.-], starting with a letter or digit");
	pol->name = pol_strdup(p->w[1].text);
	return 0;
}

static int st_rootfs(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	if (pol->image)
		return pol_err(p, &p->w[0], 0, "a policy gives `image` or `rootfs`, not both");
	pol->rootfs = pol_from_dir(p, p->w[1].text);
	return 0;
}

/* trust required: content trust, as DOCKER_CONTENT_TRUST=1. */
static int st_trust(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	if (strcmp(p->w[1].text, "required"))
		return pol_err(p, &p->w[1], 0, "expected `trust required`");
	pol->trust_required = true;
	return 0;
}

/* image LAYOUT[:TAG]: an OCI layout, relative to the file's folder as rootfs is. */
static int st_image(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	if (pol->rootfs)
		return pol_err(p, &p->w[0], 0, "a policy gives `image` or `rootfs`, not both");
	pol->image = pol_from_dir(p, p->w[1].text);
	return 0;
}

static int st_readonly_rootfs(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	pol->readonly_rootfs = true;
	return 0;
}

static int st_command(struct parser *p)
{
	struct brig_pol *pol = p->pol;
	size_t i;

	for (i = 1; i < p->n; i++)
		pol->command = pol_append_arg(pol->command, p->w[i].text);
	pol->said |= BRIG_SAID_COMMAND;
	return 0;
}

static int st_workdir(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	if (p->w[1].text[0] != '/')
		return pol_err(p, &p->w[1], 0, "workdir is an absolute path");
	pol->workdir = pol_strdup(p->w[1].text);
	pol->said |= BRIG_SAID_WORKDIR;
	return 0;
}

static int st_env(struct parser *p)
{
	struct brig_pol *pol = p->pol;
	const char *eq;

	eq = strchr(p->w[1].text, '=');
	if (!eq || eq == p->w[1].text)
		return pol_err(p, &p->w[1], 0, "expected NAME=VALUE");
	pol->env = pol_append_arg(pol->env, p->w[1].text);
	return 0;
}

static int st_hostname(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	if (strlen(p->w[1].text) > 64)
		return pol_err(p, &p->w[1], 64, "a hostname has at most 64 characters");
	pol->hostname = pol_strdup(p->w[1].text);
	return 0;
}

/* `sysctl NAME VALUE`: a namespaced one only, as runc takes them. */
static int st_sysctl(struct parser *p)
{
	struct brig_pol *pol = p->pol;
	const char *name = p->w[1].text, *c;
	size_t i;

	for (c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("._-", *c))
			break;
	if (*c || !*name || name[0] == '.' || strstr(name, ".."))
		return pol_err(p, &p->w[1], (int)(c - name),
			       "expected a sysctl name such as net.ipv4.ip_forward");
	if (!brig_sysctl_namespace(name))
		return pol_err(p, &p->w[1], 0,
			       "sysctl `%s` is not namespaced: setting it would change the host", name);
	if (strchr(p->w[2].text, '\n'))
		return pol_err(p, &p->w[2], 0, "a sysctl's value is one line");
	for (i = 0; i < pol->n_sysctls; i++)
		if (!strcmp(pol->sysctls[i].name, name))
			return pol_err(p, &p->w[1], 0, "sysctl `%s` is set twice", name);
	if (pol->n_sysctls == BRIG_SYSCTLS_MAX)
		return pol_err(p, &p->w[0], 0, "more than %d sysctls", BRIG_SYSCTLS_MAX);
	p->sysctl_at[pol->n_sysctls] = (struct word){ NULL, p->w[1].line, p->w[1].col };
	pol->sysctls[pol->n_sysctls++] = (struct brig_sysctl){
		.name = pol_strdup(name), .value = pol_strdup(p->w[2].text),
	};
	return 0;
}

static int st_user(struct parser *p)
{
	struct brig_pol *pol = p->pol;
	char *colon, *text;
	struct word w;
	uint32_t v;

	text = pol_strdup(p->w[1].text);
	colon = strchr(text, ':');
	if (colon)
		*colon = '\0';
	w = (struct word){ text, p->w[1].line, p->w[1].col };
	if (pol_u32(p, &w, UINT32_MAX - 1, &v) < 0) {
		free(text);
		return -1;
	}
	pol->uid = pol->gid = v;
	pol->said |= BRIG_SAID_USER;
	if (colon) {
		w = (struct word){ colon + 1, p->w[1].line,
				   p->w[1].col + (int)(colon + 1 - text) };
		if (pol_u32(p, &w, UINT32_MAX - 1, &v) < 0) {
			free(text);
			return -1;
		}
		pol->gid = v;
	}
	free(text);
	return 0;
}

static int st_namespaces(struct parser *p)
{
	struct brig_pol *pol = p->pol;
	size_t i;
	static const char *const ns[] = { "user", "pid", "mount", "net",
					  "uts", "ipc", "cgroup", "time" };
	size_t k;

	pol->namespaces = BRIG_NS_PID | BRIG_NS_MOUNT;
	for (i = 1; i < p->n; i++) {
		for (k = 0; k < 8 && strcmp(p->w[i].text, ns[k]); k++)
			;
		if (k == 8)
			return pol_err(p, &p->w[i], 0,
				       "unknown namespace '%s': user pid mount net uts ipc cgroup time",
				       p->w[i].text);
		pol->namespaces |= 1U << k;
	}
	return 0;
}

/* `network private|host`: policy.c settles it against `namespaces`. */
static int st_network(struct parser *p)
{
	const char *mode = p->w[1].text;

	if (strcmp(mode, "private") && strcmp(mode, "host"))
		return pol_err(p, &p->w[1], 0,
			       "expected `network private` (a namespace of its own) or `network host`");
	p->host_network = !strcmp(mode, "host");
	return 0;
}

/* `publish HOSTPORT:PORT[/tcp|udp]`, as docker run -p. */
static int st_publish(struct parser *p)
{
	struct brig_pol *pol = p->pol;
	struct brig_publish port;
	const char *why;
	size_t at;

	if (brig_publish_parse(p->w[1].text, &port, &why, &at))
		return pol_err(p, &p->w[1], (int)at, "%s", why);
	if (brig_publish_taken(pol->publish, pol->n_publish, &port))
		return pol_err(p, &p->w[1], 0, "host port %u/%s is published twice",
			       port.host_port, port.udp ? "udp" : "tcp");
	if (pol->n_publish == BRIG_PUBLISH_MAX)
		return pol_err(p, &p->w[0], 0, "more than %d published ports", BRIG_PUBLISH_MAX);
	pol->publish[pol->n_publish++] = port;
	return 0;
}

static int st_uidmap(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	return st_idmap(p, pol->uidmap, &pol->n_uidmap);
}

static int st_gidmap(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	return st_idmap(p, pol->gidmap, &pol->n_gidmap);
}

static int st_privileged(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	pol->privileged = true;
	return 0;
}

static int st_device(struct parser *p)
{
	struct brig_pol *pol = p->pol;
	struct brig_device_node *d;
	char *spec, *second, *third;

	spec = pol_strdup(p->w[1].text);
	second = strchr(spec, ':');
	third = second ? strchr(second + 1, ':') : NULL;
	if (second)
		*second++ = '\0';
	if (third)
		*third++ = '\0';
	/* HOST:rwm */
	if (second && !third && strspn(second, "rwm") == strlen(second) &&
	    second[0] != '/') {
		third = second;
		second = NULL;
	}
	if (spec[0] != '/' || (second && second[0] != '/') ||
	    (third && (!*third || strspn(third, "rwm") != strlen(third) ||
		       strlen(third) > 3))) {
		free(spec);
		return pol_err(p, &p->w[1], 0, "expected HOST[:INSIDE][:rwm], absolute paths");
	}
	pol->devices = pol_realloc(pol->devices, (pol->n_devices + 1) * sizeof(*d));
	d = &pol->devices[pol->n_devices++];
	d->host = pol_strdup(spec);
	d->inside = pol_strdup(second ? second : spec);
	snprintf(d->perms, sizeof(d->perms), "%s", third ? third : "rwm");
	free(spec);
	return 0;
}

static int st_mount(struct parser *p)
{
	struct brig_pol *pol = p->pol;
	struct brig_pol_mount m = { 0 };

	if (p->n >= 2 && !strcmp(p->w[1].text, "bind")) {
		if (pol_want_args(p, 3, 4, "mount bind HOST INSIDE [ro]"))
			return -1;
		if (p->n == 5 && strcmp(p->w[4].text, "ro"))
			return pol_err(p, &p->w[4], 0, "expected `ro`");
		if (p->w[3].text[0] != '/')
			return pol_err(p, &p->w[3], 0, "INSIDE is an absolute path");
		m.host = pol_from_dir(p, p->w[2].text);
		m.inside = pol_strdup(p->w[3].text);
		m.readonly = p->n == 5;
	} else if (p->n >= 2 && !strcmp(p->w[1].text, "tmpfs")) {
		if (pol_want_args(p, 2, 3, "mount tmpfs INSIDE [size=N]"))
			return -1;
		if (p->w[2].text[0] != '/')
			return pol_err(p, &p->w[2], 0, "INSIDE is an absolute path");
		if (p->n == 4) {
			struct word w = p->w[3];

			if (strncmp(w.text, "size=", 5))
				return pol_err(p, &p->w[3], 0, "expected `size=N`");
			w.text += 5;
			w.col += 5;
			if (pol_u64(p, &w, UINT64_MAX, &m.size) < 0)
				return -1;
		}
		m.tmpfs = true;
		m.inside = pol_strdup(p->w[2].text);
	} else {
		return pol_err(p, &p->w[p->n > 1], 0,
			       "expected `mount bind HOST INSIDE [ro]` or `mount tmpfs INSIDE [size=N]`");
	}
	pol->mounts = pol_realloc(pol->mounts, (pol->n_mounts + 1) * sizeof(m));
	pol->mounts[pol->n_mounts++] = m;
	return 0;
}

static int st_pids(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	if (strcmp(p->w[1].text, "max"))
		return pol_err(p, &p->w[1], 0, "expected `pids max N`");
	if (pol_u32(p, &p->w[2], BRIG_PIDS_LIMIT, &pol->pids_max) < 0)
		return -1;
	if (!pol->pids_max)
		return pol_err(p, &p->w[2], 0, "a ceiling of 0 tasks would leave no room for the command");
	return 0;
}

static int st_seccomp(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	if (!strcmp(p->w[1].text, "default")) {
		pol->seccomp = BRIG_SECCOMP_DEFAULT;
	} else if (!strcmp(p->w[1].text, "unconfined")) {
		pol->seccomp = BRIG_SECCOMP_UNCONFINED;
	} else {
		pol->seccomp = BRIG_SECCOMP_FILE;
		pol->seccomp_file = pol_from_dir(p, p->w[1].text);
	}
	return 0;
}

static int st_no_new_privileges(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	if (strcmp(p->w[1].text, "off"))
		return pol_err(p, &p->w[1], 0, "expected `off` (no_new_privs is on by default)");
	pol->no_new_privs = false;
	return 0;
}

static int st_mode(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	if (!strcmp(p->w[1].text, "enforce"))
		pol->mode = BRIG_MODE_ENFORCE;
	else if (!strcmp(p->w[1].text, "complain"))
		pol->mode = BRIG_MODE_COMPLAIN;
	else
		return pol_err(p, &p->w[1], 0, "expected `enforce` or `complain`");
	return 0;
}

static int st_allow(struct parser *p)
{
	struct brig_pol *pol = p->pol;

	if (strcmp(p->w[1].text, "mount"))
		return pol_err(p, &p->w[1], 0, "expected `allow mount`");
	if (pol_once(p))
		return -1;
	pol->allow_mount = true;
	return 0;
}
static const struct pol_statement statements[] = {
	{ "name", true, 1, 1, "name NAME", st_name },
	{ "rootfs", true, 1, 1, "rootfs DIR", st_rootfs },
	{ "image", true, 1, 1, "image LAYOUT[:TAG]", st_image },
	{ "trust", true, 1, 1, "trust required", st_trust },
	{ "readonly-rootfs", true, 0, 0, "readonly-rootfs", st_readonly_rootfs },
	{ "command", true, 1, SIZE_MAX, "command ARG...", st_command },
	{ "workdir", true, 1, 1, "workdir PATH", st_workdir },
	{ "env", false, 1, 1, "env NAME=VALUE", st_env },
	{ "hostname", true, 1, 1, "hostname NAME", st_hostname },
	{ "sysctl", false, 2, 2, "sysctl NAME VALUE", st_sysctl },
	{ "user", true, 1, 1, "user UID[:GID]", st_user },
	{ "namespaces", true, 1, 8, "namespaces NS...", st_namespaces },
	{ "network", true, 1, 1, "network private|host", st_network },
	{ "publish", false, 1, 1, "publish HOSTPORT:PORT[/tcp|udp]", st_publish },
	{ "uidmap", false, 0, 0, NULL, st_uidmap },
	{ "gidmap", false, 0, 0, NULL, st_gidmap },
	{ "caps", false, 0, 0, NULL, pol_st_caps },
	{ "privileged", true, 0, 0, "privileged", st_privileged },
	{ "device", false, 1, 1, "device HOST[:INSIDE][:rwm]", st_device },
	{ "mount", false, 0, 0, NULL, st_mount },
	{ "pids", true, 2, 2, "pids max N", st_pids },
	{ "rlimit", false, 0, 0, NULL, st_rlimit },
	{ "seccomp", true, 1, 1, "seccomp default|unconfined|FILE.json", st_seccomp },
	{ "no-new-privileges", true, 1, 1, "no-new-privileges off", st_no_new_privileges },
	{ "mode", true, 1, 1, "mode enforce|complain", st_mode },
	{ "allow", false, 1, 1, "allow mount", st_allow },
	{ "deny", false, 0, 0, NULL, pol_st_deny },
	{ "audit", false, 0, 0, NULL, pol_st_audit },
};

_Static_assert(sizeof(statements) / sizeof(statements[0]) <= POL_STATEMENTS_MAX,
	       "a bit of parser.seen for every statement");

const struct pol_statement *pol_statement_find(const char *keyword)
{
	for (size_t i = 0; i < sizeof(statements) / sizeof(statements[0]); i++)
		if (!strcmp(statements[i].keyword, keyword))
			return &statements[i];
	return NULL;
}

const char *pol_statement_nearest(const char *word)
{
	const char *best = NULL;
	size_t best_d = 3, d;

	for (size_t i = 0; i < sizeof(statements) / sizeof(statements[0]); i++) {
		d = pol_distance(word, statements[i].keyword);
		if (d < best_d) {
			best_d = d;
			best = statements[i].keyword;
		}
	}
	return best;
}

unsigned int pol_statement_index(const struct pol_statement *st)
{
	return (unsigned int)(st - statements);
}
