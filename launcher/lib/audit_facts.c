// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: what brigctl audit finds. The host's settings from /proc/sys,
 * /sys and the state directories; brig.ko's containers from GET; and each
 * container as it is, not as it was asked for: its init's /proc (status,
 * namespaces against the host's, mountinfo against the host's, AppArmor
 * label), so that a container any engine started is judged alike.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "audit.h"
#include "record.h"

#define BRIG_POLICY_DIR "/etc/brig"

/* The first line of @path, without its newline: 0, or -1. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool got;

	if (!f)
		return -1;
	got = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!got)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int read_int(const char *path)
{
	char buf[64], *end;
	long v;

	if (read_line(path, buf, sizeof(buf)))
		return -1;
	v = strtol(buf, &end, 10);
	return end == buf || v < 0 || v > 1 << 30 ? -1 : (int)v;
}

/* "none [integrity] confidentiality": the one in brackets. */
static void read_lockdown(char *out, size_t len)
{
	char buf[128], *open, *close;

	out[0] = '\0';
	if (read_line("/sys/kernel/security/lockdown", buf, sizeof(buf)))
		return;
	open = strchr(buf, '[');
	close = open ? strchr(open, ']') : NULL;
	if (close)
		snprintf(out, len, "%.*s", (int)(close - open - 1), open + 1);
}

static void read_dir(struct brig_audit_dir *d, const char *path)
{
	struct stat st;

	d->path = path;
	d->exists = !lstat(path, &st);
	if (!d->exists)
		return;
	d->symlink = S_ISLNK(st.st_mode);
	d->uid = st.st_uid;
	d->mode = st.st_mode;
}

/* ---- mountinfo ---- */

struct mount {
	unsigned int major, minor;
	char root[512], point[512], fstype[64], optional[256];
	bool writable;
};

/* mountinfo's octal escapes (\040 for a blank) undone in place. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* One mountinfo line: 0, or -1 if it is not one. */
static int parse_mount(char *line, struct mount *m)
{
	char opts[256], *dash;
	int n = 0;

	memset(m, 0, sizeof(*m));
	if (sscanf(line, "%*u %*u %u:%u %511s %511s %255s %n", &m->major, &m->minor, m->root,
		   m->point, opts, &n) != 5 || !n)
		return -1;
	dash = strstr(line + n, "- ");
	if (!dash || (dash != line + n && dash[-1] != ' '))
		return -1;
	snprintf(m->optional, sizeof(m->optional), "%.*s", (int)(dash - (line + n)), line + n);
	if (sscanf(dash + 2, "%63s", m->fstype) != 1)
		return -1;
	unescape(m->root);
	unescape(m->point);
	m->writable = !strncmp(opts, "rw", 2) && (opts[2] == ',' || !opts[2]);
	return 0;
}

/* Every mount of /proc/@pid/mountinfo, into *out (malloc'd). */
static int read_mounts(pid_t pid, struct mount **out, size_t *n)
{
	char path[64], *line = NULL;
	size_t cap = 0, len = 0;
	struct mount *all = NULL, *grown, m;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		if (parse_mount(line, &m))
			continue;
		/* A container has few; a host with many is still bounded. */
		if (len == 65536)
			break;
		grown = realloc(all, (len + 1) * sizeof(*all));
		if (!grown)
			break;
		all = grown;
		all[len++] = m;
	}
	free(line);
	fclose(f);
	*out = all;
	*n = len;
	return 0;
}

/* Mounts every container has of its own, which name no host path. */
static bool own_kernel_mount(const struct mount *m)
{
	static const char *const own[][2] = {
		{ "proc", "/proc" }, { "sysfs", "/sys" }, { "cgroup2", "/sys/fs/cgroup" },
		{ "devpts", "/dev/pts" }, { "mqueue", "/dev/mqueue" },
	};

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strcmp(m->fstype, own[i][0]) && !strcmp(m->point, own[i][1]))
			return true;
	return false;
}

/* The host's path of the container's mount @m, from the host's mounts of the same device. */
static bool host_path_of(const struct mount *m, const struct mount *host, size_t n_host,
			 char *out, size_t len)
{
	const struct mount *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < n_host; i++) {
		size_t rl = strlen(host[i].root);

		if (host[i].major != m->major || host[i].minor != m->minor)
			continue;
		if (strcmp(host[i].root, "/") &&
		    (strncmp(m->root, host[i].root, rl) || (m->root[rl] && m->root[rl] != '/')))
			continue;
		if (!best || rl > best_len) {
			best = &host[i];
			best_len = strcmp(host[i].root, "/") ? rl : 0;
		}
	}
	if (!best)
		return false;
	snprintf(out, len, "%s%s", strcmp(best->point, "/") ? best->point : "",
		 m->root + best_len);
	if (!out[0])
		snprintf(out, len, "/");
	return true;
}

/* docker-bench's sensitive directories (5.5), what lies below the ones that hold secrets, and sockets. */
static bool sensitive(const char *path)
{
	static const char *const exact[] = {
		"/", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/sys", "/usr", "/bin",
		"/sbin", "/run", "/var/run", BRIG_RECORD_DIR, BRIG_RUN_DIR,
	};
	static const char *const below[] = { "/etc/", "/boot/", "/proc/", "/sys/" };
	size_t n = strlen(path);

	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(path, exact[i]))
			return true;
	for (size_t i = 0; i < sizeof(below) / sizeof(below[0]); i++)
		if (!strncmp(path, below[i], strlen(below[i])))
			return true;
	return n > 5 && !strcmp(path + n - 5, ".sock");
}

static void judge_mounts(struct brig_audit_container *c, const struct mount *mine, size_t n,
			 const struct mount *host, size_t n_host)
{
	char path[512];

	for (size_t i = 0; i < n; i++)
		if (!c->shared_mount[0] && strstr(mine[i].optional, "shared:"))
			snprintf(c->shared_mount, sizeof(c->shared_mount), "%s", mine[i].point);
	/* Its root too: a root that is the host's / or /etc is the worst of them. */
	for (size_t i = 0; i < n && c->n_host_paths < BRIG_AUDIT_MOUNTS_MAX; i++) {
		const struct mount *m = &mine[i];

		if (own_kernel_mount(m) || !host_path_of(m, host, n_host, path, sizeof(path)) ||
		    !sensitive(path))
			continue;
		snprintf(c->host_paths[c->n_host_paths].host, sizeof(c->host_paths[0].host), "%s",
			 path);
		snprintf(c->host_paths[c->n_host_paths].point, sizeof(c->host_paths[0].point), "%s",
			 m->point);
		c->n_host_paths++;
	}
}

/* ---- a container's init ---- */

/* 1 if @pid's @ns is the host's (pid 1's), 0 if not, -1 if either cannot be looked at. */
static int same_ns(pid_t pid, const char *ns)
{
	struct stat mine, host;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	if (stat(path, &mine))
		return -1;
	snprintf(path, sizeof(path), "/proc/1/ns/%s", ns);
	if (stat(path, &host))
		return -1;
	return mine.st_ino == host.st_ino && mine.st_dev == host.st_dev;
}

static void read_status(struct brig_audit_container *c, pid_t pid)
{
	char path[64], line[256];
	unsigned long long v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	c->proc = true;
	/* A status without the line holds nothing back: all, not none. */
	c->cap_bounding = ~0ULL;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "NoNewPrivs: %llu", &v) == 1)
			c->no_new_privs = v;
		else if (sscanf(line, "Seccomp: %llu", &v) == 1)
			c->seccomp = (int)v;
		else if (sscanf(line, "CapBnd: %llx", &v) == 1)
			c->cap_bounding = v;
	}
	fclose(f);
}

static void read_container(struct brig_audit_container *c, const struct mount *host,
			   size_t n_host)
{
	static const char *const ns_names[AUDIT_NS_COUNT] = {
		[AUDIT_NS_NET] = "net", [AUDIT_NS_PID] = "pid", [AUDIT_NS_IPC] = "ipc",
		[AUDIT_NS_UTS] = "uts", [AUDIT_NS_USER] = "user",
	};
	pid_t pid = (pid_t)c->info.init_pid;
	struct mount *mine = NULL;
	struct statvfs vfs;
	char path[64];
	size_t n = 0;

	read_status(c, pid);
	for (int i = 0; i < AUDIT_NS_COUNT; i++)
		c->shared_ns[i] = same_ns(pid, ns_names[i]);
	/* The root it runs in, not the last mount on "/" (one stacked there later is not it). */
	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	c->root_writable = statvfs(path, &vfs) ? -1 : !(vfs.f_flag & ST_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d/attr/apparmor/current", (int)pid);
	if (read_line(path, c->apparmor, sizeof(c->apparmor))) {
		snprintf(path, sizeof(path), "/proc/%d/attr/current", (int)pid);
		if (read_line(path, c->apparmor, sizeof(c->apparmor)))
			c->apparmor[0] = '\0';
	}
	if (host && !read_mounts(pid, &mine, &n)) {
		c->mounts = true;
		judge_mounts(c, mine, n, host, n_host);
	}
	free(mine);
}

static int collect(const struct brig_container_info *info, void *arg)
{
	struct brig_audit_facts *f = arg;
	struct brig_audit_container *grown;

	if (f->n_containers == BRIG_AUDIT_CONTAINERS_MAX) {
		f->truncated = true;
		return 1;
	}
	grown = realloc(f->containers, (f->n_containers + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	f->containers = grown;
	memset(&grown[f->n_containers], 0, sizeof(*grown));
	grown[f->n_containers++].info = *info;
	return 0;
}

int brig_audit_gather(struct brig_audit_facts *f, struct brig_error **err)
{
	struct brig_nl *nl __attribute__((cleanup(brig_nl_closep))) = NULL;
	struct brig_error *nl_err = NULL;
	uint64_t cookie = (uint64_t)time(NULL) << 32 | (uint32_t)getpid(), echo = 0;
	struct mount *host = NULL;
	size_t n_host = 0;

	memset(f, 0, sizeof(*f));
	read_lockdown(f->lockdown, sizeof(f->lockdown));
	f->unprivileged_userns = read_int("/proc/sys/kernel/unprivileged_userns_clone");
	f->max_user_namespaces = read_int("/proc/sys/user/max_user_namespaces");
	f->ftrace_enabled = read_int("/proc/sys/kernel/ftrace_enabled");
	{
		char yn[8];

		f->sig_enforce = read_line("/sys/module/module/parameters/sig_enforce", yn,
					   sizeof(yn)) ? -1 : yn[0] == 'Y';
	}
	read_dir(&f->dirs[0], BRIG_RECORD_DIR);
	read_dir(&f->dirs[1], BRIG_RUN_DIR);
	read_dir(&f->dirs[2], BRIG_POLICY_DIR);

	if (brig_nl_open(&nl, &nl_err) || brig_nl_ping(nl, cookie, &f->abi, &echo, &nl_err)) {
		snprintf(f->module_error, sizeof(f->module_error), "%s", nl_err->msg);
		brig_error_free(&nl_err);
		return 0;
	}
	f->module = true;
	if (brig_nl_dump(nl, collect, f, err) < 0) {
		brig_audit_facts_release(f);
		return brig_error_wrap(err, "listing brig.ko's containers");
	}
	if (read_mounts(1, &host, &n_host))
		host = NULL;
	for (size_t i = 0; i < f->n_containers; i++)
		read_container(&f->containers[i], host, n_host);
	free(host);
	return 0;
}

void brig_audit_facts_release(struct brig_audit_facts *f)
{
	free(f->containers);
	f->containers = NULL;
	f->n_containers = 0;
}
