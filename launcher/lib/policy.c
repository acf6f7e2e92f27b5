// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: parsing .pol files.
 *
 * A file is read into words with their line and column, a statement a
 * logical line ('\' at the end continues it, '#' starts a comment, "..."
 * quotes with \" and \\), and each statement is checked as it is read, so
 * that every error names FILE:LINE:COL and what was expected.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <brig.h>

#include "policy.h"

struct word {
	char *text;
	int line, col;
};

struct parser {
	const char *file;
	char *dir;		/* the file's folder */
	struct brig_pol *pol;
	struct brig_error **err;
	unsigned int seen;	/* statements that may appear once */
	struct word *w;		/* the current statement */
	size_t n;
};

static const char *const cap_names[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
	"SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
	"NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
	"SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
	"SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
	"SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL",
	"SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
	"BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};
#define N_CAPS ((int)(sizeof(cap_names) / sizeof(cap_names[0])))
_Static_assert(N_CAPS == BRIG_CAPS_COUNT, "a name for every capability");

int brig_cap_from_name(const char *name)
{
	int i;

	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	for (i = 0; i < N_CAPS; i++) {
		if (!strcasecmp(name, cap_names[i]))
			return i;
	}
	return -1;
}

const char *brig_cap_name(int cap)
{
	return cap >= 0 && cap < N_CAPS ? cap_names[cap] : "?";
}

/* Edit distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, d[64];

	if (la >= 63 || lb >= 63)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = d[j];
			d[j] = toupper((unsigned char)a[i - 1]) == b[j - 1] ? prev :
			       1 + (prev < d[j] ? (prev < d[j - 1] ? prev : d[j - 1]) :
					       (d[j] < d[j - 1] ? d[j] : d[j - 1]));
			prev = cur;
		}
	}
	return d[lb];
}

/* Makes "FILE:LINE:COL: message" at @w (or at column @col of its line). */
static int perr(struct parser *p, const struct word *w, int col_offset,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int perr(struct parser *p, const struct word *w, int col_offset,
		const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return brig_error_make(p->err, 0, "%s:%d:%d: %s", p->file, w->line,
			       w->col + col_offset, msg);
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

static void *xrealloc(void *ptr, size_t size)
{
	ptr = realloc(ptr, size);
	if (!ptr)
		abort();
	return ptr;
}

/* A statement that may appear once: refuse the second. */
static int once(struct parser *p, unsigned int bit)
{
	if (p->seen & bit)
		return perr(p, &p->w[0], 0, "`%s` may appear only once", p->w[0].text);
	p->seen |= bit;
	return 0;
}

static int want_args(struct parser *p, size_t min, size_t max, const char *usage)
{
	if (p->n - 1 < min || p->n - 1 > max) {
		const struct word *at = p->n - 1 < min ? &p->w[p->n - 1] : &p->w[max + 1];

		return perr(p, at, p->n - 1 < min ? (int)strlen(at->text) : 0,
			    "expected `%s`", usage);
	}
	return 0;
}

static int parse_u64(struct parser *p, const struct word *w, uint64_t max,
		     uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(w->text, &end, 10);
	if (!isdigit((unsigned char)w->text[0]) || *end || errno || v > max)
		return perr(p, w, 0, "expected a number up to %llu, not `%s`",
			    (unsigned long long)max, w->text);
	*out = v;
	return 0;
}

static int parse_u32(struct parser *p, const struct word *w, uint32_t max,
		     uint32_t *out)
{
	uint64_t v;

	if (parse_u64(p, w, max, &v) < 0)
		return -1;
	*out = v;
	return 0;
}

bool brig_pol_name_valid(const char *s)
{
	size_t i;

	if (!isalnum((unsigned char)s[0]) || strlen(s) > BRIG_NAME_MAX - 1)
		return false;
	for (i = 1; s[i]; i++) {
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	}
	return true;
}

/* Relative paths in a policy are relative to its folder. */
static char *from_dir(struct parser *p, const char *path)
{
	char *abs;

	if (path[0] == '/')
		return xstrdup(path);
	if (asprintf(&abs, "%s/%s", p->dir, path) < 0)
		abort();
	return abs;
}

static int st_caps(struct parser *p)
{
	bool add;
	size_t i;

	if (p->n < 3 || (strcmp(p->w[1].text, "add") && strcmp(p->w[1].text, "drop")))
		return perr(p, &p->w[p->n < 2 ? 0 : 1], 0,
			    "expected `caps add CAP...` or `caps drop CAP...`");
	add = !strcmp(p->w[1].text, "add");
	for (i = 2; i < p->n; i++) {
		uint64_t bits;
		int cap;

		if (!strcasecmp(p->w[i].text, "ALL")) {
			bits = BRIG_ALL_CAPS;
		} else {
			const char *name = p->w[i].text, *best = NULL;
			size_t d, best_d = 3;
			int c;

			cap = brig_cap_from_name(name);
			if (cap < 0) {
				if (!strncasecmp(name, "CAP_", 4))
					name += 4;
				for (c = 0; c < N_CAPS; c++) {
					d = distance(name, cap_names[c]);
					if (d < best_d) {
						best_d = d;
						best = cap_names[c];
					}
				}
				if (best)
					return perr(p, &p->w[i], 0,
						    "unknown capability '%s' (did you mean %s?)",
						    p->w[i].text, best);
				return perr(p, &p->w[i], 0, "unknown capability '%s'",
					    p->w[i].text);
			}
			bits = 1ULL << cap;
		}
		if (add)
			p->pol->caps |= bits;
		else
			p->pol->caps &= ~bits;
	}
	return 0;
}

static int perms_from_letters(struct parser *p, const struct word *w,
			      uint32_t *perms)
{
	static const char letters[] = "rwalkmx";
	size_t i;

	*perms = 0;
	for (i = 0; w->text[i]; i++) {
		const char *at = strchr(letters, w->text[i]);

		if (!at)
			return perr(p, w, i, "unknown permission '%c': letters are r w a l k m x",
				    w->text[i]);
		*perms |= 1U << (at - letters);
	}
	if (!*perms)
		return perr(p, w, 0, "expected permission letters");
	/* w implies a. */
	if (*perms & BRIG_PERM_WRITE)
		*perms |= BRIG_PERM_APPEND;
	return 0;
}

static int add_socket_rule(struct parser *p, uint32_t family, uint32_t type)
{
	if (p->pol->n_socket_rules == BRIG_SOCKET_RULES_MAX)
		return perr(p, &p->w[0], 0, "more than %d network rules",
			    BRIG_SOCKET_RULES_MAX);
	p->pol->socket_rules[p->pol->n_socket_rules++] =
		(struct brig_socket_rule){ family, type };
	return 0;
}

/* deny network [FAMILY] [TYPE] */
static int st_deny_network(struct parser *p)
{
	static const struct { const char *name; uint32_t v; } families[] = {
		{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "packet", AF_PACKET },
		{ "unix", AF_UNIX }, { "netlink", AF_NETLINK }, { "any", 0 },
	}, types[] = {
		{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM },
		{ "raw", SOCK_RAW }, { "seqpacket", SOCK_SEQPACKET }, { "any", 0 },
	};
	uint32_t family = 0, type = 0;
	size_t i, at = 2;
	bool got;

	if (p->n > 4)
		return perr(p, &p->w[4], 0, "expected `deny network [FAMILY] [TYPE]`");
	if (at < p->n) {
		for (got = false, i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
			if (!strcmp(p->w[at].text, families[i].name)) {
				family = families[i].v;
				got = true;
			}
		}
		at += got;
	}
	if (at < p->n) {
		for (got = false, i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			if (!strcmp(p->w[at].text, types[i].name)) {
				type = types[i].v;
				got = true;
			}
		}
		if (!got)
			return perr(p, &p->w[at], 0,
				    at == 2 ? "unknown network family or type '%s'" :
					      "unknown socket type '%s': stream dgram raw seqpacket or any",
				    p->w[at].text);
		at++;
	}
	if (at < p->n)
		return perr(p, &p->w[at], 0, "expected `deny network [FAMILY] [TYPE]`");
	/* `deny network raw`: SOCK_RAW everywhere, and every packet socket. */
	if (!family && type == SOCK_RAW && add_socket_rule(p, AF_PACKET, 0) < 0)
		return -1;
	return add_socket_rule(p, family, type);
}

/* deny GLOB PERMS, audit GLOB PERMS, audit deny GLOB PERMS */
static int st_file_rule(struct parser *p, bool deny, bool audit, size_t first)
{
	struct brig_file_rule *rule;
	const char *why;
	uint32_t perms;
	size_t offset;

	if (p->n - first != 2)
		return perr(p, &p->w[p->n - 1], 0, "expected `%s GLOB PERMS`",
			    first == 2 ? "audit deny" : p->w[0].text);
	if (brig_glob_check(p->w[first].text, &offset, &why) < 0)
		return perr(p, &p->w[first], (int)offset, "%s", why);
	if (perms_from_letters(p, &p->w[first + 1], &perms) < 0)
		return -1;
	p->pol->file_rules = xrealloc(p->pol->file_rules,
				      (p->pol->n_file_rules + 1) * sizeof(*rule));
	rule = &p->pol->file_rules[p->pol->n_file_rules++];
	rule->glob = xstrdup(p->w[first].text);
	rule->deny = deny ? perms : 0;
	rule->audit = audit ? perms : 0;
	return 0;
}

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

	if (want_args(p, 2, 3, "rlimit NAME SOFT [HARD]") < 0)
		return -1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(p->w[1].text, names[i].name))
			break;
	}
	if (i == sizeof(names) / sizeof(names[0]))
		return perr(p, &p->w[1], 0, "unknown rlimit '%s'", p->w[1].text);
	for (k = 0; k < p->pol->n_rlimits; k++) {
		if (p->pol->rlimits[k].resource == names[i].r)
			return perr(p, &p->w[1], 0, "rlimit %s is set twice", p->w[1].text);
	}
	for (k = 0; k < 2; k++) {
		const struct word *w = &p->w[k + 2 < p->n ? k + 2 : 2];

		if (!strcmp(w->text, "unlimited"))
			v[k] = RLIM_INFINITY;
		else if (parse_u64(p, w, UINT64_MAX - 1, &v[k]) < 0)
			return -1;
	}
	if (v[0] > v[1])
		return perr(p, &p->w[2], 0, "soft limit above the hard limit");
	rl = &p->pol->rlimits[p->pol->n_rlimits++];
	rl->resource = names[i].r;
	rl->soft = v[0];
	rl->hard = v[1];
	return 0;
}

static int st_idmap(struct parser *p, struct brig_idmap *map, size_t *n)
{
	if (want_args(p, 3, 3, "uidmap INSIDE OUTSIDE COUNT") < 0)
		return -1;
	if (*n == 16)
		return perr(p, &p->w[0], 0, "more than 16 maps");
	if (parse_u32(p, &p->w[1], UINT32_MAX - 1, &map[*n].inside) < 0 ||
	    parse_u32(p, &p->w[2], UINT32_MAX - 1, &map[*n].outside) < 0 ||
	    parse_u32(p, &p->w[3], UINT32_MAX, &map[*n].count) < 0)
		return -1;
	if (!map[*n].count)
		return perr(p, &p->w[3], 0, "a map of 0 ids");
	(*n)++;
	return 0;
}

static char **append_arg(char **list, const char *s)
{
	size_t n = 0;

	while (list && list[n])
		n++;
	list = xrealloc(list, (n + 2) * sizeof(*list));
	list[n] = xstrdup(s);
	list[n + 1] = NULL;
	return list;
}

enum {
	ONCE_NAME = 1 << 0, ONCE_ROOTFS = 1 << 1, ONCE_RO = 1 << 2,
	ONCE_COMMAND = 1 << 3, ONCE_WORKDIR = 1 << 4, ONCE_HOSTNAME = 1 << 5,
	ONCE_USER = 1 << 6, ONCE_NS = 1 << 7, ONCE_PRIVILEGED = 1 << 8,
	ONCE_PIDS = 1 << 9, ONCE_SECCOMP = 1 << 10, ONCE_NNP = 1 << 11,
	ONCE_MODE = 1 << 12, ONCE_ALLOW_MOUNT = 1 << 13,
};

static int statement(struct parser *p)
{
	struct brig_pol *pol = p->pol;
	const char *kw = p->w[0].text;
	size_t i;

	if (!strcmp(kw, "name")) {
		if (once(p, ONCE_NAME) || want_args(p, 1, 1, "name NAME"))
			return -1;
		if (!brig_pol_name_valid(p->w[1].text))
			return perr(p, &p->w[1], 0,
				    "a name is 1 to 63 of [A-Za-z0-9_.-], starting with a letter or digit");
		pol->name = xstrdup(p->w[1].text);
	} else if (!strcmp(kw, "rootfs")) {
		if (once(p, ONCE_ROOTFS) || want_args(p, 1, 1, "rootfs DIR"))
			return -1;
		pol->rootfs = from_dir(p, p->w[1].text);
	} else if (!strcmp(kw, "readonly-rootfs")) {
		if (once(p, ONCE_RO) || want_args(p, 0, 0, "readonly-rootfs"))
			return -1;
		pol->readonly_rootfs = true;
	} else if (!strcmp(kw, "command")) {
		if (once(p, ONCE_COMMAND) || want_args(p, 1, SIZE_MAX, "command ARG..."))
			return -1;
		for (i = 1; i < p->n; i++)
			pol->command = append_arg(pol->command, p->w[i].text);
	} else if (!strcmp(kw, "workdir")) {
		if (once(p, ONCE_WORKDIR) || want_args(p, 1, 1, "workdir PATH"))
			return -1;
		if (p->w[1].text[0] != '/')
			return perr(p, &p->w[1], 0, "workdir is an absolute path");
		pol->workdir = xstrdup(p->w[1].text);
	} else if (!strcmp(kw, "env")) {
		const char *eq;

		if (want_args(p, 1, 1, "env NAME=VALUE"))
			return -1;
		eq = strchr(p->w[1].text, '=');
		if (!eq || eq == p->w[1].text)
			return perr(p, &p->w[1], 0, "expected NAME=VALUE");
		pol->env = append_arg(pol->env, p->w[1].text);
	} else if (!strcmp(kw, "hostname")) {
		if (once(p, ONCE_HOSTNAME) || want_args(p, 1, 1, "hostname NAME"))
			return -1;
		if (strlen(p->w[1].text) > 64)
			return perr(p, &p->w[1], 64, "a hostname has at most 64 characters");
		pol->hostname = xstrdup(p->w[1].text);
	} else if (!strcmp(kw, "user")) {
		char *colon, *text;
		struct word w;
		uint32_t v;

		if (once(p, ONCE_USER) || want_args(p, 1, 1, "user UID[:GID]"))
			return -1;
		text = xstrdup(p->w[1].text);
		colon = strchr(text, ':');
		if (colon)
			*colon = '\0';
		w = (struct word){ text, p->w[1].line, p->w[1].col };
		if (parse_u32(p, &w, UINT32_MAX - 1, &v) < 0) {
			free(text);
			return -1;
		}
		pol->uid = pol->gid = v;
		if (colon) {
			w = (struct word){ colon + 1, p->w[1].line,
					   p->w[1].col + (int)(colon + 1 - text) };
			if (parse_u32(p, &w, UINT32_MAX - 1, &v) < 0) {
				free(text);
				return -1;
			}
			pol->gid = v;
		}
		free(text);
	} else if (!strcmp(kw, "namespaces")) {
		static const char *const ns[] = { "user", "pid", "mount", "net",
						  "uts", "ipc", "cgroup", "time" };
		size_t k;

		if (once(p, ONCE_NS) || want_args(p, 1, 8, "namespaces NS..."))
			return -1;
		pol->namespaces = BRIG_NS_PID | BRIG_NS_MOUNT;
		for (i = 1; i < p->n; i++) {
			for (k = 0; k < 8 && strcmp(p->w[i].text, ns[k]); k++)
				;
			if (k == 8)
				return perr(p, &p->w[i], 0,
					    "unknown namespace '%s': user pid mount net uts ipc cgroup time",
					    p->w[i].text);
			pol->namespaces |= 1U << k;
		}
	} else if (!strcmp(kw, "uidmap")) {
		return st_idmap(p, pol->uidmap, &pol->n_uidmap);
	} else if (!strcmp(kw, "gidmap")) {
		return st_idmap(p, pol->gidmap, &pol->n_gidmap);
	} else if (!strcmp(kw, "caps")) {
		return st_caps(p);
	} else if (!strcmp(kw, "privileged")) {
		if (once(p, ONCE_PRIVILEGED) || want_args(p, 0, 0, "privileged"))
			return -1;
		pol->privileged = true;
	} else if (!strcmp(kw, "device")) {
		struct brig_pol_device *d;
		char *spec, *second, *third;

		if (want_args(p, 1, 1, "device HOST[:INSIDE][:rwm]"))
			return -1;
		spec = xstrdup(p->w[1].text);
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
			return perr(p, &p->w[1], 0, "expected HOST[:INSIDE][:rwm], absolute paths");
		}
		pol->devices = xrealloc(pol->devices, (pol->n_devices + 1) * sizeof(*d));
		d = &pol->devices[pol->n_devices++];
		d->host = xstrdup(spec);
		d->inside = xstrdup(second ? second : spec);
		snprintf(d->perms, sizeof(d->perms), "%s", third ? third : "rwm");
		free(spec);
	} else if (!strcmp(kw, "mount")) {
		struct brig_mount m = { 0 };

		if (p->n >= 2 && !strcmp(p->w[1].text, "bind")) {
			if (want_args(p, 3, 4, "mount bind HOST INSIDE [ro]"))
				return -1;
			if (p->n == 5 && strcmp(p->w[4].text, "ro"))
				return perr(p, &p->w[4], 0, "expected `ro`");
			if (p->w[3].text[0] != '/')
				return perr(p, &p->w[3], 0, "INSIDE is an absolute path");
			m.host = from_dir(p, p->w[2].text);
			m.inside = xstrdup(p->w[3].text);
			m.readonly = p->n == 5;
		} else if (p->n >= 2 && !strcmp(p->w[1].text, "tmpfs")) {
			if (want_args(p, 2, 3, "mount tmpfs INSIDE [size=N]"))
				return -1;
			if (p->w[2].text[0] != '/')
				return perr(p, &p->w[2], 0, "INSIDE is an absolute path");
			if (p->n == 4) {
				struct word w = p->w[3];

				if (strncmp(w.text, "size=", 5))
					return perr(p, &p->w[3], 0, "expected `size=N`");
				w.text += 5;
				w.col += 5;
				if (parse_u64(p, &w, UINT64_MAX, &m.size) < 0)
					return -1;
			}
			m.tmpfs = true;
			m.inside = xstrdup(p->w[2].text);
		} else {
			return perr(p, &p->w[p->n > 1], 0,
				    "expected `mount bind HOST INSIDE [ro]` or `mount tmpfs INSIDE [size=N]`");
		}
		pol->mounts = xrealloc(pol->mounts, (pol->n_mounts + 1) * sizeof(m));
		pol->mounts[pol->n_mounts++] = m;
	} else if (!strcmp(kw, "pids")) {
		if (once(p, ONCE_PIDS) || want_args(p, 2, 2, "pids max N"))
			return -1;
		if (strcmp(p->w[1].text, "max"))
			return perr(p, &p->w[1], 0, "expected `pids max N`");
		if (parse_u32(p, &p->w[2], BRIG_PIDS_LIMIT, &pol->pids_max) < 0)
			return -1;
		if (!pol->pids_max)
			return perr(p, &p->w[2], 0, "a ceiling of 0 tasks would leave no room for the command");
	} else if (!strcmp(kw, "rlimit")) {
		return st_rlimit(p);
	} else if (!strcmp(kw, "seccomp")) {
		if (once(p, ONCE_SECCOMP) || want_args(p, 1, 1, "seccomp default|unconfined|FILE.json"))
			return -1;
		if (!strcmp(p->w[1].text, "default")) {
			pol->seccomp = BRIG_SECCOMP_DEFAULT;
		} else if (!strcmp(p->w[1].text, "unconfined")) {
			pol->seccomp = BRIG_SECCOMP_UNCONFINED;
		} else {
			pol->seccomp = BRIG_SECCOMP_FILE;
			pol->seccomp_file = from_dir(p, p->w[1].text);
		}
	} else if (!strcmp(kw, "no-new-privileges")) {
		if (once(p, ONCE_NNP) || want_args(p, 1, 1, "no-new-privileges off"))
			return -1;
		if (strcmp(p->w[1].text, "off"))
			return perr(p, &p->w[1], 0, "expected `off` (no_new_privs is on by default)");
		pol->no_new_privs = false;
	} else if (!strcmp(kw, "mode")) {
		if (once(p, ONCE_MODE) || want_args(p, 1, 1, "mode enforce|complain"))
			return -1;
		if (!strcmp(p->w[1].text, "enforce"))
			pol->mode = BRIG_MODE_ENFORCE;
		else if (!strcmp(p->w[1].text, "complain"))
			pol->mode = BRIG_MODE_COMPLAIN;
		else
			return perr(p, &p->w[1], 0, "expected `enforce` or `complain`");
	} else if (!strcmp(kw, "allow")) {
		if (want_args(p, 1, 1, "allow mount"))
			return -1;
		if (strcmp(p->w[1].text, "mount"))
			return perr(p, &p->w[1], 0, "expected `allow mount`");
		if (once(p, ONCE_ALLOW_MOUNT))
			return -1;
		pol->allow_mount = true;
	} else if (!strcmp(kw, "deny")) {
		if (p->n >= 2 && !strcmp(p->w[1].text, "network"))
			return st_deny_network(p);
		return st_file_rule(p, true, false, 1);
	} else if (!strcmp(kw, "audit")) {
		if (p->n >= 2 && !strcmp(p->w[1].text, "deny"))
			return st_file_rule(p, true, true, 2);
		return st_file_rule(p, false, true, 1);
	} else {
		return perr(p, &p->w[0], 0, "unknown statement '%s'", kw);
	}
	return 0;
}

/* Reads @text a statement at a time, calling statement() for each. */
static int parse(struct parser *p, const char *text)
{
	size_t cap = 0, len = 0, wcap = 0;
	int line = 1, col = 1, wline = 0, wcol = 0;
	bool in_word = false, quoted = false;
	const char *c = text;
	char *buf = NULL;
	int ret = 0;

#define PUSH(ch) do {						\
		if (len + 2 > cap)					\
			buf = xrealloc(buf, cap = (len + 2) * 2);	\
		buf[len++] = (ch);					\
	} while (0)
#define END_WORD() do {							\
		if (in_word) {						\
			buf[len] = '\0';				\
			if (p->n == wcap)				\
				p->w = xrealloc(p->w, (wcap = wcap * 2 + 8) * sizeof(*p->w)); \
			p->w[p->n++] = (struct word){ xstrdup(buf), wline, wcol }; \
			len = 0;					\
			in_word = false;				\
		}							\
	} while (0)

	for (;; c++, col++) {
		if (quoted) {
			if (!*c || *c == '\n') {
				ret = brig_error_make(p->err, 0, "%s:%d:%d: unterminated quote",
						      p->file, wline, wcol);
				break;
			}
			if (*c == '"') {
				quoted = false;
				continue;
			}
			if (*c == '\\' && (c[1] == '"' || c[1] == '\\')) {
				c++;
				col++;
			}
			PUSH(*c);
			continue;
		}
		if (*c == '\\' && c[1] == '\n') {	/* continuation */
			END_WORD();
			c++;
			line++;
			col = 0;
			continue;
		}
		if (*c == '#') {
			while (c[1] && c[1] != '\n')
				c++;
			continue;
		}
		if (!*c || *c == '\n') {
			END_WORD();
			if (p->n) {
				ret = statement(p);
				while (p->n)
					free(p->w[--p->n].text);
				if (ret < 0)
					break;
			}
			if (!*c)
				break;
			line++;
			col = 0;
			continue;
		}
		if (isspace((unsigned char)*c)) {
			END_WORD();
			continue;
		}
		if (!in_word) {
			in_word = true;
			wline = line;
			wcol = col;
			PUSH('\0');
			len = 0;
		}
		if (*c == '"') {
			quoted = true;
			continue;
		}
		PUSH(*c);
	}
	while (p->n)
		free(p->w[--p->n].text);
	free(p->w);
	p->w = NULL;
	free(buf);
	return ret;
#undef PUSH
#undef END_WORD
}

static void apply_defaults(struct parser *p, const char *path)
{
	struct brig_pol *pol = p->pol;

	if (!pol->name) {
		char *copy = xstrdup(path), *base = basename(copy), *dot;

		dot = strrchr(base, '.');
		if (dot && !strcmp(dot, ".pol"))
			*dot = '\0';
		pol->name = xstrdup(base);
		free(copy);
	}
	if (!pol->command)
		pol->command = append_arg(NULL, "/bin/sh");
	if (!pol->workdir)
		pol->workdir = xstrdup("/");
	if (!pol->hostname)
		pol->hostname = xstrdup(pol->name);
	if (!pol->n_uidmap) {
		pol->uidmap[0] = getuid() ? (struct brig_idmap){ 0, getuid(), 1 } :
					    (struct brig_idmap){ 0, 100000, 65536 };
		pol->n_uidmap = 1;
	}
	if (!pol->n_gidmap) {
		pol->gidmap[0] = getuid() ? (struct brig_idmap){ 0, getgid(), 1 } :
					    (struct brig_idmap){ 0, 100000, 65536 };
		pol->n_gidmap = 1;
	}
}

int brig_pol_parse_text(const char *text, const char *path,
			struct brig_pol **out, struct brig_error **err)
{
	struct parser p = { .file = path, .err = err };
	char *copy = xstrdup(path);
	struct brig_pol *pol;

	pol = calloc(1, sizeof(*pol));
	if (!pol)
		abort();
	pol->file = xstrdup(path);
	pol->caps = BRIG_DOCKER_DEFAULT_CAPS;
	pol->namespaces = BRIG_NS_ALL;
	pol->no_new_privs = true;
	pol->mode = BRIG_MODE_ENFORCE;
	p.pol = pol;
	p.dir = xstrdup(dirname(copy));
	free(copy);
	if (parse(&p, text) < 0) {
		free(p.dir);
		brig_pol_free(pol);
		return -1;
	}
	apply_defaults(&p, path);
	free(p.dir);
	if (!pol->name || !brig_pol_name_valid(pol->name)) {
		brig_pol_free(pol);
		return brig_error_make(err, 0,
			"%s: no `name`, and the file name is not a valid container name", path);
	}
	*out = pol;
	return 0;
}

int brig_pol_parse_file(const char *path, struct brig_pol **out,
			struct brig_error **err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "re");
	int ret;

	if (!f)
		return brig_error_make(err, errno, "opening `%s`", path);
	{
		FILE *mem = open_memstream(&text, &len);
		char chunk[4096];
		size_t n;

		if (!mem)
			abort();
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, n, mem);
		fclose(mem);
	}
	if (ferror(f)) {
		fclose(f);
		free(text);
		return brig_error_make(err, EIO, "reading `%s`", path);
	}
	fclose(f);
	if (strlen(text) != len) {
		free(text);
		return brig_error_make(err, 0, "%s: a policy is text; this file holds a NUL byte", path);
	}
	ret = brig_pol_parse_text(text, path, out, err);
	free(text);
	return ret;
}

static void free_list(char **list)
{
	size_t i;

	for (i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

void brig_pol_free(struct brig_pol *pol)
{
	size_t i;

	if (!pol)
		return;
	free(pol->file);
	free(pol->name);
	free(pol->rootfs);
	free_list(pol->command);
	free(pol->workdir);
	free_list(pol->env);
	free(pol->hostname);
	for (i = 0; i < pol->n_devices; i++) {
		free(pol->devices[i].host);
		free(pol->devices[i].inside);
	}
	free(pol->devices);
	for (i = 0; i < pol->n_mounts; i++) {
		free(pol->mounts[i].host);
		free(pol->mounts[i].inside);
	}
	free(pol->mounts);
	free(pol->seccomp_file);
	for (i = 0; i < pol->n_file_rules; i++)
		free((char *)pol->file_rules[i].glob);
	free(pol->file_rules);
	free(pol);
}

/*
 * Docker's default devices (moby's oci/devices: the device cgroup's allow
 * list), each rwm.
 */
static const struct brig_device_rule default_devices[] = {
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

/*
 * The device list: Docker's defaults, then each `device` line's host node.
 * A line's letters hold for its device even when it is one of the defaults
 * (`device /dev/zero:/dev/myzero:r` makes 1:5 read-only); m (mknod) needs
 * nothing here: making a node is a file operation, opening it is checked.
 */
static int device_list(const struct brig_pol *pol, struct brig_policy_spec *spec,
		       struct brig_error **err)
{
	size_t i, k, n = sizeof(default_devices) / sizeof(default_devices[0]);

	if (n + pol->n_devices > BRIG_DEVICE_RULES_MAX)
		return brig_error_make(err, 0, "%s: more than %d devices", pol->file,
				       BRIG_DEVICE_RULES_MAX - (int)n);
	memcpy(spec->devices, default_devices, sizeof(default_devices));
	spec->n_devices = n;
	for (i = 0; i < pol->n_devices; i++) {
		const struct brig_pol_device *d = &pol->devices[i];
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

int brig_pol_kernel_spec(const struct brig_pol *pol, struct brig_policy_spec *spec,
			 void **dfa, uint32_t *dfa_states, struct brig_error **err)
{
	struct brig_dfa *compiled = NULL;
	int ret = 0;

	memset(spec, 0, sizeof(*spec));
	*dfa = NULL;
	*dfa_states = 0;
	spec->mode = pol->mode;
	/*
	 * privileged: every capability, every device, mounts, no file or
	 * network rules (as Docker's --privileged).
	 */
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
		ret = brig_dfa_serialize(compiled, dfa, &spec->dfa_len, err);
	if (ret) {
		brig_error_wrap(err, "%s: file rules", pol->file);
		goto out;
	}
	*dfa_states = compiled->n_states;
	spec->dfa = *dfa;
out:
	brig_dfa_free(compiled);
	return ret;
}
