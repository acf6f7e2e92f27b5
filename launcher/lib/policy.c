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
#include <fcntl.h>
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

#include "cleanup.h"
#include "pol_parse.h"
#include "policy.h"

/* Makes "FILE:LINE:COL: message" at @w (or at column @col of its line). */
int pol_err(struct parser *p, const struct word *w, int col_offset,
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

char *pol_strdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

void *pol_realloc(void *ptr, size_t size)
{
	ptr = realloc(ptr, size);
	if (!ptr)
		abort();
	return ptr;
}

/* A statement that may appear once: refuse the second. */
int pol_once(struct parser *p)
{
	unsigned int bit = 1U << p->stmt;

	if (p->seen & bit)
		return pol_err(p, &p->w[0], 0, "`%s` may appear only once", p->w[0].text);
	p->seen |= bit;
	return 0;
}

int pol_want_args(struct parser *p, size_t min, size_t max, const char *usage)
{
	if (p->n - 1 < min || p->n - 1 > max) {
		const struct word *at = p->n - 1 < min ? &p->w[p->n - 1] : &p->w[max + 1];

		return pol_err(p, at, p->n - 1 < min ? (int)strlen(at->text) : 0,
			       "expected `%s`", usage);
	}
	return 0;
}

int pol_u64(struct parser *p, const struct word *w, uint64_t max,
	    uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(w->text, &end, 10);
	if (!isdigit((unsigned char)w->text[0]) || *end || errno || v > max)
		return pol_err(p, w, 0, "expected a number up to %llu, not `%s`",
			       (unsigned long long)max, w->text);
	*out = v;
	return 0;
}

int pol_u32(struct parser *p, const struct word *w, uint32_t max,
	    uint32_t *out)
{
	uint64_t v;

	if (pol_u64(p, w, max, &v) < 0)
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
char *pol_from_dir(struct parser *p, const char *path)
{
	char *abs;

	if (path[0] == '/')
		return pol_strdup(path);
	if (asprintf(&abs, "%s/%s", p->dir, path) < 0)
		abort();
	return abs;
}

char **pol_append_arg(char **list, const char *s)
{
	size_t n = 0;

	while (list && list[n])
		n++;
	list = pol_realloc(list, (n + 2) * sizeof(*list));
	list[n] = pol_strdup(s);
	list[n + 1] = NULL;
	return list;
}

size_t pol_distance(const char *a, const char *b)
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
			d[j] = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ?
			       prev :
			       1 + (prev < d[j] ? (prev < d[j - 1] ? prev : d[j - 1]) :
					       (d[j] < d[j - 1] ? d[j] : d[j - 1]));
			prev = cur;
		}
	}
	return d[lb];
}

/* One statement: its table entry's once-only and argument checks, then its handler. */
static int statement(struct parser *p)
{
	const struct pol_statement *st = pol_statement_find(p->w[0].text);

	if (!st) {
		const char *near = pol_statement_nearest(p->w[0].text);

		if (near)
			return pol_err(p, &p->w[0], 0, "unknown statement '%s' (did you mean %s?)",
				       p->w[0].text, near);
		return pol_err(p, &p->w[0], 0, "unknown statement '%s'", p->w[0].text);
	}
	p->stmt = pol_statement_index(st);
	if (!p->first[p->stmt].line)
		p->first[p->stmt] = (struct word){ NULL, p->w[0].line, p->w[0].col };
	if (st->once && pol_once(p))
		return -1;
	if (st->usage && pol_want_args(p, st->min_args, st->max_args, st->usage))
		return -1;
	return st->handler(p);
}

/*
 * What no one statement can check: statements that need a namespace the
 * policy leaves out would be silently ignored.
 */
static int check_statements(struct parser *p)
{
	static const struct {
		const char *keyword;
		uint32_t ns;
		const char *name;
	} needs[] = {
		{ "uidmap", BRIG_NS_USER, "user" },
		{ "gidmap", BRIG_NS_USER, "user" },
		{ "hostname", BRIG_NS_UTS, "uts" },
	};

	/* What `privileged` gives all of: a line that narrows it would be ignored. */
	static const char *const narrowing[] = { "caps", "deny", "audit", "device", "seccomp" };
	static const char *const ns_names[] = {
		[BRIG_NS_NET] = "net", [BRIG_NS_IPC] = "ipc", [BRIG_NS_UTS] = "uts",
	};
	const struct word *at, *net_at, *ns_at;

	/* `network` and `namespaces` say the same thing, or the policy is refused. */
	net_at = &p->first[pol_statement_index(pol_statement_find("network"))];
	ns_at = &p->first[pol_statement_index(pol_statement_find("namespaces"))];
	if (net_at->line && ns_at->line &&
	    p->host_network == !!(p->pol->namespaces & BRIG_NS_NET))
		return pol_err(p, net_at, 0, p->host_network ?
			       "`network host` shares the host's network, but `namespaces` lists `net`: remove one" :
			       "`network private` needs the net namespace: add `net` to `namespaces`");
	if (p->host_network)
		p->pol->namespaces &= ~BRIG_NS_NET;
	at = &p->first[pol_statement_index(pol_statement_find("publish"))];
	if (at->line && !(p->pol->namespaces & BRIG_NS_NET))
		return pol_err(p, at, 0, p->host_network ?
			       "published ports need a network of the container's own: remove `network host`" :
			       "published ports need a network of the container's own: add `net` to `namespaces`");
	if (at->line && !(p->pol->namespaces & BRIG_NS_USER))
		return pol_err(p, at, 0,
			       "published ports need a user namespace (pasta runs as the container's root, never as the host's): add `user` to `namespaces`");
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		at = &p->first[pol_statement_index(pol_statement_find(needs[i].keyword))];
		if (at->line && !(p->pol->namespaces & needs[i].ns))
			return pol_err(p, at, 0, "`%s` needs the %s namespace: add `%s` to `namespaces`",
				       needs[i].keyword, needs[i].name, needs[i].name);
	}
	for (size_t i = 0; i < p->pol->n_sysctls; i++) {
		uint32_t ns = brig_sysctl_namespace(p->pol->sysctls[i].name);

		if (!(p->pol->namespaces & ns))
			return pol_err(p, &p->sysctl_at[i], 0,
				       "sysctl `%s` is the %s namespace's: add `%s` to `namespaces`",
				       p->pol->sysctls[i].name, ns_names[ns], ns_names[ns]);
	}
	if (!p->pol->privileged)
		return 0;
	for (size_t i = 0; i < sizeof(narrowing) / sizeof(narrowing[0]); i++) {
		at = &p->first[pol_statement_index(pol_statement_find(narrowing[i]))];
		if (at->line)
			return pol_err(p, at, 0,
				       "`%s` cannot narrow `privileged`, which gives every capability and device with no seccomp or rules: remove one of them",
				       narrowing[i]);
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
			buf = pol_realloc(buf, cap = (len + 2) * 2);	\
		buf[len++] = (ch);					\
	} while (0)
#define END_WORD() do {							\
		if (in_word) {						\
			buf[len] = '\0';				\
			if (p->n == wcap)				\
				p->w = pol_realloc(p->w, (wcap = wcap * 2 + 8) * sizeof(*p->w)); \
			p->w[p->n++] = (struct word){ pol_strdup(buf), wline, wcol }; \
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
		if (*c == '\\' && (!c[1] || (c[1] == '\n' && !c[2]))) {
			ret = brig_error_make(p->err, 0,
					      "%s:%d:%d: `\\` at the end of the file continues nothing",
					      p->file, line, col);
			break;
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
		char *copy = pol_strdup(path), *base = basename(copy), *dot;

		dot = strrchr(base, '.');
		if (dot && !strcmp(dot, ".pol"))
			*dot = '\0';
		pol->name = pol_strdup(base);
		free(copy);
	}
	if (!pol->command)
		pol->command = pol_append_arg(NULL, "/bin/sh");
	if (!pol->workdir)
		pol->workdir = pol_strdup("/");
	if (!pol->hostname)
		pol->hostname = pol_strdup(pol->name);
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
	char *copy = pol_strdup(path);
	struct brig_pol *pol;

	pol = calloc(1, sizeof(*pol));
	if (!pol)
		abort();
	pol->file = pol_strdup(path);
	pol->caps = BRIG_DOCKER_DEFAULT_CAPS;
	pol->namespaces = BRIG_NS_ALL;
	pol->no_new_privs = true;
	pol->mode = BRIG_MODE_ENFORCE;
	p.pol = pol;
	p.dir = pol_strdup(dirname(copy));
	free(copy);
	if (parse(&p, text) < 0 || check_statements(&p) < 0) {
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
	/* O_NONBLOCK: a FIFO must not hang the open; it is refused below. */
	int fd brig_cleanup_close = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char *text brig_cleanup_free = NULL;
	struct stat st;
	size_t got = 0;

	if (fd < 0)
		return brig_error_make(err, errno, "opening `%s`", path);
	if (fstat(fd, &st))
		return brig_error_make(err, errno, "`%s`", path);
	if (S_ISDIR(st.st_mode))
		return brig_error_make(err, EISDIR, "`%s` is a directory, not a policy", path);
	if (!S_ISREG(st.st_mode))
		return brig_error_make(err, 0, "`%s` is not a regular file, so not a policy", path);
	if (st.st_size > BRIG_POL_BYTES_MAX)
		return brig_error_make(err, EFBIG, "`%s` is larger than a policy may be (%d MiB)",
				       path, BRIG_POL_BYTES_MAX >> 20);
	text = malloc(st.st_size + 1);
	if (!text)
		return brig_error_make(err, ENOMEM, "reading `%s`", path);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, text + got, st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return brig_error_make(err, errno, "reading `%s`", path);
		if (n == 0)
			break;	/* it shrank meanwhile */
		got += n;
	}
	text[got] = '\0';
	if (strlen(text) != got)
		return brig_error_make(err, 0, "%s: a policy is text; this file holds a NUL byte", path);
	return brig_pol_parse_text(text, path, out, err);
}

void brig_pol_free(struct brig_pol *pol)
{
	size_t i;

	if (!pol)
		return;
	free(pol->file);
	free(pol->name);
	free(pol->rootfs);
	brig_strv_free(pol->command);
	free(pol->workdir);
	free(pol->image);
	brig_strv_free(pol->env);
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
	for (i = 0; i < pol->n_sysctls; i++) {
		free(pol->sysctls[i].name);
		free(pol->sysctls[i].value);
	}
	free(pol);
}
