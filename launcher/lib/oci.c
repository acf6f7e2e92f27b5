// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: an OCI bundle's config.json lowered into a container spec
 * (oci.h). One function per object of the runtime-spec, each refusing the
 * fields it does not know.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <json-c/json.h>

#include <brig.h>

#include "cleanup.h"
#include "json_locate.h"
#include "names.h"
#include "oci.h"
#include "policy.h"

struct oci {
	const char *path;	/* BUNDLE/config.json */
	const char *text;
	const char *bundle;	/* absolute */
	struct brig_container_spec *spec;
	struct brig_error **err;
};

/* "PATH:LINE:COL: WHERE: message"; returns -1. */
static int __attribute__((format(printf, 3, 4)))
oci_fail(struct oci *o, const char *where, const char *fmt, ...)
{
	char msg[512];
	int line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o->text && *where && !brig_json_locate(o->text, where, &line, &col))
		return brig_error_make(o->err, 0, "%s:%d:%d: %s: %s", o->path, line, col, where,
				       msg);
	return brig_error_make(o->err, 0, "%s: %s%s%s", o->path, where, *where ? ": " : "",
			       msg);
}

static int oci_nomem(struct oci *o)
{
	return brig_error_make(o->err, ENOMEM, "%s", o->path);
}

/* "WHERE.KEY" (or "KEY" at the top) into @buf. */
static const char *at(char buf[256], const char *where, const char *key)
{
	/* A path too long for messages is cut; it only names the field. */
	if (snprintf(buf, 256, "%s%s%s", where, *where ? "." : "", key) >= 256)
		buf[255] = '\0';
	return buf;
}

static const char *const type_names[] = {
	[json_type_null] = "null", [json_type_boolean] = "a boolean",
	[json_type_double] = "a number", [json_type_int] = "an integer",
	[json_type_object] = "an object", [json_type_array] = "an array",
	[json_type_string] = "a string",
};

/*
 * @obj's @key of @type: 1 and *out set, 0 if absent or null, -1 if of
 * another type (reported).
 */
static int get(struct oci *o, json_object *obj, const char *where, const char *key,
	       json_type type, json_object **out)
{
	json_object *v;
	char w[256];

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, type))
		return oci_fail(o, at(w, where, key), "expected %s", type_names[type]);
	*out = v;
	return 1;
}

/* Refuses keys @obj should not have: a typo must not weaken a container. */
static int known_keys(struct oci *o, json_object *obj, const char *where,
		      const char *const *keys)
{
	json_object_object_foreach(obj, key, val) {
		const char *const *k;
		char w[256];

		(void)val;
		for (k = keys; *k && strcmp(*k, key); k++)
			;
		if (!*k)
			return oci_fail(o, at(w, where, key), "unknown field \"%s\"", key);
	}
	return 0;
}

/* An unsigned integer below @max into *out; -1 reported. */
static int get_u64(struct oci *o, json_object *obj, const char *where, const char *key,
		   uint64_t max, uint64_t *out, bool *given)
{
	json_object *v;
	char w[256];
	int got = get(o, obj, where, key, json_type_int, &v);

	if (given)
		*given = got > 0;
	if (got <= 0)
		return got;
	errno = 0;
	*out = json_object_get_uint64(v);
	if (errno || json_object_get_int64(v) < 0 || *out > max)
		return oci_fail(o, at(w, where, key), "expected an integer from 0 to %llu",
				(unsigned long long)max);
	return 1;
}

static int get_i64(struct oci *o, json_object *obj, const char *where, const char *key,
		   int64_t *out)
{
	json_object *v;
	char w[256];
	int got = get(o, obj, where, key, json_type_int, &v);

	if (got <= 0)
		return got;
	errno = 0;
	*out = json_object_get_int64(v);
	if (errno)
		return oci_fail(o, at(w, where, key), "out of range");
	return 1;
}

/* An array of strings as a NULL-terminated list (NULL if absent); -1 reported. */
static int get_strv(struct oci *o, json_object *obj, const char *where, const char *key,
		    char ***out)
{
	json_object *arr;
	char w[256];
	size_t i, n;
	int got = get(o, obj, where, key, json_type_array, &arr);

	*out = NULL;
	if (got <= 0)
		return got;
	n = json_object_array_length(arr);
	*out = calloc(n + 1, sizeof(**out));
	if (!*out)
		return oci_nomem(o);
	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(s, json_type_string)) {
			snprintf(w, sizeof(w), "%s%s%s[%zu]", where, *where ? "." : "", key, i);
			return oci_fail(o, w, "expected a string");
		}
		(*out)[i] = strdup(json_object_get_string(s));
		if (!(*out)[i])
			return oci_nomem(o);
	}
	return 1;
}

static int get_string(struct oci *o, json_object *obj, const char *where, const char *key,
		      const char **out)
{
	json_object *v;
	int got = get(o, obj, where, key, json_type_string, &v);

	*out = got > 0 ? json_object_get_string(v) : NULL;
	return got;
}

static int get_bool(struct oci *o, json_object *obj, const char *where, const char *key,
		    bool *out)
{
	json_object *v;
	int got = get(o, obj, where, key, json_type_boolean, &v);

	if (got > 0)
		*out = json_object_get_boolean(v);
	return got;
}

bool brig_oci_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (!n || n > BRIG_OCI_ID_MAX || !strcmp(id, ".") || !strcmp(id, ".."))
		return false;
	for (const char *c = id; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_+-.", *c))
			return false;
	return true;
}

void brig_oci_kernel_name(const char *id, char *buf, size_t len)
{
	if (brig_pol_name_valid(id))
		snprintf(buf, len, "%s", id);
	else
		snprintf(buf, len, "%.12s", id);
}

/* ---- process */

static int parse_caps(struct oci *o, json_object *caps, const char *where)
{
	static const char *const keys[] = {
		"bounding", "effective", "inheritable", "permitted", "ambient", NULL,
	};
	struct brig_caps *out = &o->spec->process.caps;
	uint64_t *sets[] = { &out->bounding, &out->effective, &out->inheritable,
			     &out->permitted, &out->ambient };
	size_t i, j;

	if (known_keys(o, caps, where, keys))
		return -1;
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char **names brig_cleanup_strv = NULL;
		char w[256];

		if (get_strv(o, caps, where, keys[i], &names) < 0)
			return -1;
		for (j = 0; names && names[j]; j++) {
			int cap = strncmp(names[j], "CAP_", 4) ? -1 : brig_cap_from_name(names[j]);

			if (cap < 0) {
				snprintf(w, sizeof(w), "%s.%s[%zu]", where, keys[i], j);
				return oci_fail(o, w, "unknown capability \"%s\"", names[j]);
			}
			*sets[i] |= 1ULL << cap;
		}
	}
	/*
	 * The kernel raises an ambient capability only if it is permitted
	 * and inheritable; runc warns and goes on (runc spec's default asks
	 * for ambient ones it does not make inheritable): not raised.
	 */
	out->ambient &= out->permitted & out->inheritable;
	return 0;
}

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

static int parse_rlimits(struct oci *o, json_object *arr, const char *where)
{
	static const char *const keys[] = { "type", "hard", "soft", NULL };
	struct brig_process *proc = &o->spec->process;
	size_t i, k, n = json_object_array_length(arr);

	if (n > BRIG_RLIMITS_MAX)
		return oci_fail(o, where, "more than %d rlimits", BRIG_RLIMITS_MAX);
	for (i = 0; i < n; i++) {
		json_object *rl = json_object_array_get_idx(arr, i);
		struct brig_rlimit *out = &proc->rlimits[proc->n_rlimits];
		const char *type;
		bool hard, soft;
		char w[256];

		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		if (!json_object_is_type(rl, json_type_object))
			return oci_fail(o, w, "expected an object");
		if (known_keys(o, rl, w, keys) || get_string(o, rl, w, "type", &type) < 0 ||
		    get_u64(o, rl, w, "hard", UINT64_MAX, &out->hard, &hard) < 0 ||
		    get_u64(o, rl, w, "soft", UINT64_MAX, &out->soft, &soft) < 0)
			return -1;
		if (!type || !hard || !soft)
			return oci_fail(o, w, "\"type\", \"hard\" and \"soft\" are required");
		for (k = 0; k < sizeof(rlimit_names) / sizeof(rlimit_names[0]); k++)
			if (!strcmp(type, rlimit_names[k].name))
				break;
		if (k == sizeof(rlimit_names) / sizeof(rlimit_names[0])) {
			char tw[256];

			return oci_fail(o, at(tw, w, "type"), "unknown rlimit \"%s\"", type);
		}
		if (out->soft > out->hard)
			return oci_fail(o, w, "soft limit above the hard one");
		for (size_t j = 0; j < proc->n_rlimits; j++)
			if (proc->rlimits[j].resource == rlimit_names[k].resource)
				return oci_fail(o, w, "%s given twice", type);
		out->resource = rlimit_names[k].resource;
		proc->n_rlimits++;
	}
	return 0;
}

static int parse_user(struct oci *o, json_object *user)
{
	static const char *const keys[] = { "uid", "gid", "umask", "additionalGids", NULL };
	struct brig_process *proc = &o->spec->process;
	uint64_t uid = 0, gid = 0, mask = 0;
	json_object *groups;
	bool has_umask;
	size_t i;

	if (known_keys(o, user, "process.user", keys) ||
	    get_u64(o, user, "process.user", "uid", UINT32_MAX - 1, &uid, NULL) < 0 ||
	    get_u64(o, user, "process.user", "gid", UINT32_MAX - 1, &gid, NULL) < 0 ||
	    get_u64(o, user, "process.user", "umask", 0777, &mask, &has_umask) < 0 ||
	    get(o, user, "process.user", "additionalGids", json_type_array, &groups) < 0)
		return -1;
	proc->uid = uid;
	proc->gid = gid;
	if (has_umask)
		proc->umask = (int)mask;
	if (!groups)
		return 0;
	if (json_object_array_length(groups) > BRIG_GROUPS_MAX)
		return oci_fail(o, "process.user.additionalGids", "more than %d groups",
				BRIG_GROUPS_MAX);
	for (i = 0; i < json_object_array_length(groups); i++) {
		json_object *g = json_object_array_get_idx(groups, i);
		char w[256];

		snprintf(w, sizeof(w), "process.user.additionalGids[%zu]", i);
		if (!json_object_is_type(g, json_type_int) || json_object_get_int64(g) < 0 ||
		    json_object_get_int64(g) >= UINT32_MAX)
			return oci_fail(o, w, "expected a group id");
		proc->groups[proc->n_groups++] = (gid_t)json_object_get_int64(g);
	}
	return 0;
}

static bool apparmor_enabled(void)
{
	char c = 'N';
	int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = 'N';
	close(fd);
	return c == 'Y';
}

static int parse_process(struct oci *o, json_object *p)
{
	static const char *const keys[] = {
		"terminal", "consoleSize", "user", "args", "env", "cwd", "capabilities",
		"rlimits", "noNewPrivileges", "apparmorProfile", "oomScoreAdj",
		"selinuxLabel", NULL,
	};
	struct brig_process *proc = &o->spec->process;
	json_object *user, *caps, *rlimits, *size;
	const char *cwd, *apparmor, *selinux;
	int64_t oom = 0;
	int got;

	if (known_keys(o, p, "process", keys) ||
	    get_bool(o, p, "process", "terminal", &proc->terminal) < 0 ||
	    get(o, p, "process", "consoleSize", json_type_object, &size) < 0 ||
	    get(o, p, "process", "user", json_type_object, &user) < 0 ||
	    get_strv(o, p, "process", "args", &proc->argv) < 0 ||
	    get_strv(o, p, "process", "env", &proc->env) < 0 ||
	    get_string(o, p, "process", "cwd", &cwd) < 0 ||
	    get(o, p, "process", "capabilities", json_type_object, &caps) < 0 ||
	    get(o, p, "process", "rlimits", json_type_array, &rlimits) < 0 ||
	    get_bool(o, p, "process", "noNewPrivileges", &proc->no_new_privs) < 0 ||
	    get_string(o, p, "process", "apparmorProfile", &apparmor) < 0 ||
	    get_string(o, p, "process", "selinuxLabel", &selinux) < 0)
		return -1;
	got = get_i64(o, p, "process", "oomScoreAdj", &oom);
	if (got < 0)
		return -1;
	if (got && (oom < -1000 || oom > 1000))
		return oci_fail(o, "process.oomScoreAdj", "expected -1000 to 1000");
	proc->set_oom_score_adj = got;
	proc->oom_score_adj = (int)oom;
	if (!proc->argv || !proc->argv[0])
		return oci_fail(o, proc->argv ? "process.args" : "process",
				"\"args\" needs at least the program to run");
	if (!cwd || cwd[0] != '/')
		return oci_fail(o, cwd ? "process.cwd" : "process",
				"\"cwd\" is required, an absolute path");
	if (selinux && *selinux)
		return oci_fail(o, "process.selinuxLabel", "SELinux labels are not supported");
	if (apparmor && *apparmor && !apparmor_enabled())
		return oci_fail(o, "process.apparmorProfile",
				"AppArmor is not enabled on this host: profile \"%s\" cannot hold", apparmor);
	proc->cwd = strdup(cwd);
	if (!proc->cwd || (apparmor && *apparmor && !(proc->apparmor_profile = strdup(apparmor))))
		return oci_nomem(o);
	if (size && known_keys(o, size, "process.consoleSize",
			       (const char *const[]){ "height", "width", NULL }))
		return -1;
	if (user && parse_user(o, user))
		return -1;
	if (caps && parse_caps(o, caps, "process.capabilities"))
		return -1;
	return rlimits ? parse_rlimits(o, rlimits, "process.rlimits") : 0;
}

/* ---- root, hostname */

/* @image: the annotation BRIG_OCI_IMAGE_ANNOTATION's LAYOUT[:TAG], or NULL. */
static int parse_root(struct oci *o, json_object *root, const char *image)
{
	static const char *const keys[] = { "path", "readonly", NULL };
	const char *path;
	char joined[PATH_MAX];
	struct stat st;

	if (known_keys(o, root, "root", keys) || get_string(o, root, "root", "path", &path) < 0 ||
	    get_bool(o, root, "root", "readonly", &o->spec->readonly_rootfs) < 0)
		return -1;
	if (image) {
		/* The image's overlay is the root: its layout relative to the bundle. */
		if (path)
			return oci_fail(o, "root.path", "the annotation " BRIG_OCI_IMAGE_ANNOTATION
					" gives the root: no root.path with it");
		if (!*image)
			return oci_fail(o, "annotations." BRIG_OCI_IMAGE_ANNOTATION,
					"expected an OCI image layout, LAYOUT[:TAG]");
		if (image[0] == '/' ? !(o->spec->image = strdup(image)) :
		    asprintf(&o->spec->image, "%s/%s", o->bundle, image) < 0) {
			o->spec->image = NULL;
			return oci_nomem(o);
		}
		return 0;
	}
	if (!path || !*path)
		return oci_fail(o, "root", "\"path\" is required");
	if (path[0] != '/')
		snprintf(joined, sizeof(joined), "%s/%s", o->bundle, path);
	else
		snprintf(joined, sizeof(joined), "%s", path);
	o->spec->rootfs = realpath(joined, NULL);
	if (!o->spec->rootfs || stat(o->spec->rootfs, &st))
		return brig_error_make(o->err, errno, "%s: root.path `%s`", o->path, joined);
	if (!S_ISDIR(st.st_mode))
		return brig_error_make(o->err, ENOTDIR, "%s: root.path `%s`", o->path, joined);
	if (!strcmp(o->spec->rootfs, "/"))
		return oci_fail(o, "root.path", "the host's / cannot be a container's root");
	return 0;
}

/* ---- mounts */

/* runc's mount options: flags set or cleared, propagation, or bind. */
static const struct {
	const char *name;
	unsigned long set, clear;
} mount_flags[] = {
	{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 }, { "async", 0, MS_SYNCHRONOUS },
	{ "dirsync", MS_DIRSYNC, 0 }, { "mand", MS_MANDLOCK, 0 }, { "nomand", 0, MS_MANDLOCK },
	{ "noatime", MS_NOATIME, 0 }, { "atime", 0, MS_NOATIME },
	{ "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
	{ "relatime", MS_RELATIME, 0 }, { "norelatime", 0, MS_RELATIME },
	{ "strictatime", MS_STRICTATIME, 0 }, { "nostrictatime", 0, MS_STRICTATIME },
	{ "defaults", 0, 0 },
};

static const struct {
	const char *name;
	unsigned long flags;
} propagations[] = {
	{ "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED }, { "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

/* One option of a mount's: into @m's flags, or appended to @data. */
static int mount_option(struct oci *o, const char *where, const char *opt,
			struct brig_mount *m, char *data, size_t len, bool *bind)
{
	size_t i;

	for (i = 0; i < sizeof(mount_flags) / sizeof(mount_flags[0]); i++) {
		if (!strcmp(opt, mount_flags[i].name)) {
			m->flags = (m->flags & ~mount_flags[i].clear) | mount_flags[i].set;
			return 0;
		}
	}
	for (i = 0; i < sizeof(propagations) / sizeof(propagations[0]); i++) {
		if (!strcmp(opt, propagations[i].name)) {
			m->propagation = propagations[i].flags;
			return 0;
		}
	}
	if (!strcmp(opt, "bind") || !strcmp(opt, "rbind")) {
		*bind = true;
		m->recursive = opt[0] == 'r';
		return 0;
	}
	/* Recursive attributes, id-mapped mounts: kernel features brig does not ask for. */
	if (!strcmp(opt, "idmap") || !strcmp(opt, "ridmap") || !strcmp(opt, "remount") ||
	    !strcmp(opt, "tmpcopyup") || (opt[0] == 'r' && strchr("rn", opt[1]) && opt[1] &&
					  strcmp(opt, "rw") && strcmp(opt, "relatime")))
		return oci_fail(o, where, "mount option \"%s\" is not supported", opt);
	if (strchr(opt, ','))
		return oci_fail(o, where, "mount option \"%s\" holds a comma", opt);
	if (strlen(data) + strlen(opt) + 2 > len)
		return oci_fail(o, where, "mount options too long");
	if (*data)
		strcat(data, ",");
	strcat(data, opt);
	return 0;
}

/* Whether @path is @dir or below it. */
static bool below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

static int parse_mount(struct oci *o, json_object *obj, const char *where)
{
	static const char *const keys[] = {
		"destination", "type", "source", "options", NULL,
	};
	char **options brig_cleanup_strv = NULL;
	char data[1024] = "", source[PATH_MAX];
	struct brig_mount m = { 0 };
	const char *dest, *type, *src;
	bool bind = false;
	size_t i;

	if (!json_object_is_type(obj, json_type_object))
		return oci_fail(o, where, "expected an object");
	if (known_keys(o, obj, where, keys) || get_string(o, obj, where, "destination", &dest) < 0 ||
	    get_string(o, obj, where, "type", &type) < 0 ||
	    get_string(o, obj, where, "source", &src) < 0 ||
	    get_strv(o, obj, where, "options", &options) < 0)
		return -1;
	if (!dest || dest[0] != '/')
		return oci_fail(o, where, "\"destination\" is required, an absolute path");
	if (strstr(dest, "/../") || !strcmp(dest + strlen(dest) - 3 < dest ? dest : dest +
					   strlen(dest) - 3, "/.."))
		return oci_fail(o, where, "\"destination\" may not hold ..");
	for (i = 0; options && options[i]; i++) {
		char w[256];

		snprintf(w, sizeof(w), "%s.options[%zu]", where, i);
		if (mount_option(o, w, options[i], &m, data, sizeof(data), &bind))
			return -1;
	}
	if (type && !strcmp(type, "bind"))
		bind = true;
	if (!bind && (!type || !*type))
		return oci_fail(o, where, "\"type\" is required but for a bind mount");
	if (bind) {
		if (!src || !*src)
			return oci_fail(o, where, "a bind mount needs a \"source\"");
		/* A relative source is the bundle's. */
		snprintf(source, sizeof(source), "%s%s%s", src[0] == '/' ? "" : o->bundle,
			 src[0] == '/' ? "" : "/", src);
		if (*data)
			return oci_fail(o, where, "a bind mount takes no filesystem option (\"%s\")",
					data);
		m.type = "bind";
		m.source = source;
	} else {
		m.type = (char *)type;
		m.source = (char *)(src && *src ? src : type);
		m.data = *data ? data : NULL;
	}
	m.destination = (char *)dest;
	/*
	 * Symbolic links on the way are followed inside the root (as runc's
	 * securejoin), but never to the kernel's filesystems: a /proc that
	 * is a link in the image must not move procfs (CVE-2019-16884).
	 */
	m.follow = !below(dest, "/proc") && !below(dest, "/sys") && !below(dest, "/dev");
	if (!strcmp(m.type, "proc") && strcmp(dest, "/proc"))
		return oci_fail(o, where, "proc may be mounted only on /proc");
	if (brig_spec_add_mount(o->spec, &m))
		return oci_nomem(o);
	return 0;
}

static int parse_mounts(struct oci *o, json_object *arr)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		char w[64];

		snprintf(w, sizeof(w), "mounts[%zu]", i);
		if (parse_mount(o, json_object_array_get_idx(arr, i), w))
			return -1;
	}
	return 0;
}

/* ---- hooks */

static int parse_hooks(struct oci *o, json_object *hooks)
{
	static const char *const keys[] = {
		[BRIG_HOOK_PRESTART] = "prestart", [BRIG_HOOK_CREATE_RUNTIME] = "createRuntime",
		[BRIG_HOOK_CREATE_CONTAINER] = "createContainer",
		[BRIG_HOOK_START_CONTAINER] = "startContainer",
		[BRIG_HOOK_POSTSTART] = "poststart", [BRIG_HOOK_POSTSTOP] = "poststop", NULL,
	};
	static const char *const hook_keys[] = { "path", "args", "env", "timeout", NULL };
	struct brig_container_spec *spec = o->spec;

	if (known_keys(o, hooks, "hooks", keys))
		return -1;
	for (int point = 0; point < BRIG_HOOK_POINTS; point++) {
		json_object *arr;
		char w[256];
		size_t i, n;

		if (get(o, hooks, "hooks", keys[point], json_type_array, &arr) < 0)
			return -1;
		n = arr ? json_object_array_length(arr) : 0;
		if (!n)
			continue;
		spec->hooks[point] = calloc(n, sizeof(struct brig_hook));
		if (!spec->hooks[point])
			return oci_nomem(o);
		for (i = 0; i < n; i++) {
			json_object *h = json_object_array_get_idx(arr, i);
			struct brig_hook *hook = &spec->hooks[point][i];
			const char *path;
			int64_t timeout = 0;
			int got;

			spec->n_hooks[point]++;
			snprintf(w, sizeof(w), "hooks.%s[%zu]", keys[point], i);
			if (!json_object_is_type(h, json_type_object))
				return oci_fail(o, w, "expected an object");
			if (known_keys(o, h, w, hook_keys) || get_string(o, h, w, "path", &path) < 0 ||
			    get_strv(o, h, w, "args", &hook->args) < 0 ||
			    get_strv(o, h, w, "env", &hook->env) < 0)
				return -1;
			got = get_i64(o, h, w, "timeout", &timeout);
			if (got < 0)
				return -1;
			if (got && (timeout <= 0 || timeout > INT_MAX))
				return oci_fail(o, w, "\"timeout\" is a number of seconds above 0");
			if (!path || path[0] != '/')
				return oci_fail(o, w, "\"path\" is required, an absolute path");
			hook->timeout = (int)timeout;
			hook->path = strdup(path);
			if (!hook->path)
				return oci_nomem(o);
		}
	}
	return 0;
}

/* ---- linux */

static const struct {
	const char *name;
	uint32_t ns;
} namespace_names[] = {
	{ "user", BRIG_NS_USER }, { "pid", BRIG_NS_PID }, { "mount", BRIG_NS_MOUNT },
	{ "network", BRIG_NS_NET }, { "uts", BRIG_NS_UTS }, { "ipc", BRIG_NS_IPC },
	{ "cgroup", BRIG_NS_CGROUP }, { "time", BRIG_NS_TIME },
};

static int parse_namespaces(struct oci *o, json_object *arr)
{
	static const char *const keys[] = { "type", "path", NULL };
	struct brig_container_spec *spec = o->spec;
	uint32_t seen = 0;

	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *ns = json_object_array_get_idx(arr, i);
		const char *type, *path;
		char w[64];
		size_t k;

		snprintf(w, sizeof(w), "linux.namespaces[%zu]", i);
		if (!json_object_is_type(ns, json_type_object))
			return oci_fail(o, w, "expected an object");
		if (known_keys(o, ns, w, keys) || get_string(o, ns, w, "type", &type) < 0 ||
		    get_string(o, ns, w, "path", &path) < 0)
			return -1;
		if (!type)
			return oci_fail(o, w, "\"type\" is required");
		for (k = 0; k < sizeof(namespace_names) / sizeof(namespace_names[0]); k++)
			if (!strcmp(type, namespace_names[k].name))
				break;
		if (k == sizeof(namespace_names) / sizeof(namespace_names[0]))
			return oci_fail(o, w, "unknown namespace type \"%s\": user pid mount network uts ipc cgroup time",
					type);
		if (seen & namespace_names[k].ns)
			return oci_fail(o, w, "namespace \"%s\" given twice", type);
		seen |= namespace_names[k].ns;
		if (path && *path) {
			if (path[0] != '/')
				return oci_fail(o, w, "\"path\" is an absolute path");
			/* brig.ko knows a container by its pid namespace; its mounts are its own. */
			if (namespace_names[k].ns & (BRIG_NS_PID | BRIG_NS_MOUNT))
				return oci_fail(o, w, "joining a %s namespace is not supported: brig makes a container's own",
						type);
			spec->ns_paths[brig_ns_index(namespace_names[k].ns)] = strdup(path);
			if (!spec->ns_paths[brig_ns_index(namespace_names[k].ns)])
				return oci_nomem(o);
		}
	}
	spec->namespaces = seen;
	if (!(seen & BRIG_NS_MOUNT))
		return oci_fail(o, "linux.namespaces", "a mount namespace is required");
	return 0;
}

static int parse_idmap(struct oci *o, json_object *arr, const char *where,
		       struct brig_idmap *map, size_t *n)
{
	static const char *const keys[] = { "containerID", "hostID", "size", NULL };

	if (json_object_array_length(arr) > BRIG_IDMAP_MAX)
		return oci_fail(o, where, "more than %d lines", BRIG_IDMAP_MAX);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *line = json_object_array_get_idx(arr, i);
		uint64_t inside, outside, count;
		bool a, b, c;
		char w[64];

		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		if (!json_object_is_type(line, json_type_object))
			return oci_fail(o, w, "expected an object");
		if (known_keys(o, line, w, keys) ||
		    get_u64(o, line, w, "containerID", UINT32_MAX - 1, &inside, &a) < 0 ||
		    get_u64(o, line, w, "hostID", UINT32_MAX - 1, &outside, &b) < 0 ||
		    get_u64(o, line, w, "size", UINT32_MAX, &count, &c) < 0)
			return -1;
		if (!a || !b || !c || !count)
			return oci_fail(o, w, "\"containerID\", \"hostID\" and \"size\" (above 0) are required");
		if (inside + count > UINT32_MAX || outside + count > UINT32_MAX)
			return oci_fail(o, w, "the range passes 4294967295");
		map[(*n)++] = (struct brig_idmap){ inside, outside, count };
	}
	return 0;
}

static int parse_sysctls(struct oci *o, json_object *obj)
{
	struct brig_container_spec *spec = o->spec;

	json_object_object_foreach(obj, key, val) {
		uint32_t ns = brig_sysctl_namespace(key);
		char w[256];

		at(w, "linux.sysctl", key);
		if (!json_object_is_type(val, json_type_string))
			return oci_fail(o, w, "expected a string");
		if (!ns)
			return oci_fail(o, w, "sysctl \"%s\" is not namespaced: it would change the host",
					key);
		if (!(spec->namespaces & ns) || spec->ns_paths[brig_ns_index(ns)])
			return oci_fail(o, w, "sysctl \"%s\" needs a %s namespace of the container's own (a joined one is its owner's)",
					key, ns == BRIG_NS_NET ? "network" : ns == BRIG_NS_IPC ?
					"ipc" : "uts");
		if (strchr(key, '/') || strstr(key, ".."))
			return oci_fail(o, w, "invalid sysctl name");
		if (spec->n_sysctls == BRIG_SYSCTLS_MAX)
			return oci_fail(o, w, "more than %d sysctls", BRIG_SYSCTLS_MAX);
		spec->sysctls[spec->n_sysctls].name = strdup(key);
		spec->sysctls[spec->n_sysctls].value = strdup(json_object_get_string(val));
		if (!spec->sysctls[spec->n_sysctls].name || !spec->sysctls[spec->n_sysctls++].value)
			return oci_nomem(o);
	}
	return 0;
}

/* linux.devices: nodes the container gets, bound from the host's of the same path. */
static int parse_devices(struct oci *o, json_object *arr)
{
	static const char *const keys[] = {
		"type", "path", "major", "minor", "fileMode", "uid", "gid", NULL,
	};
	struct brig_container_spec *spec = o->spec;
	size_t n = json_object_array_length(arr);

	spec->devices = calloc(n ? n : 1, sizeof(*spec->devices));
	if (!spec->devices)
		return oci_nomem(o);
	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(arr, i);
		struct brig_device_node *node = &spec->devices[spec->n_devices];
		uint64_t major, minor, ignored;
		const char *type, *path;
		bool has_major, has_minor;
		struct stat st;
		char w[64];

		snprintf(w, sizeof(w), "linux.devices[%zu]", i);
		if (!json_object_is_type(d, json_type_object))
			return oci_fail(o, w, "expected an object");
		if (known_keys(o, d, w, keys) || get_string(o, d, w, "type", &type) < 0 ||
		    get_string(o, d, w, "path", &path) < 0 ||
		    get_u64(o, d, w, "major", BRIG_DEVICE_MAJOR_MAX, &major, &has_major) < 0 ||
		    get_u64(o, d, w, "minor", BRIG_DEVICE_MINOR_MAX, &minor, &has_minor) < 0 ||
		    get_u64(o, d, w, "fileMode", 07777, &ignored, NULL) < 0 ||
		    get_u64(o, d, w, "uid", UINT32_MAX, &ignored, NULL) < 0 ||
		    get_u64(o, d, w, "gid", UINT32_MAX, &ignored, NULL) < 0)
			return -1;
		if (!type || (strcmp(type, "c") && strcmp(type, "u") && strcmp(type, "b")))
			return oci_fail(o, w, "\"type\" is c, u or b (a fifo is not a device)");
		if (!path || path[0] != '/' || !below(path, "/dev"))
			return oci_fail(o, w, "\"path\" is required, below /dev");
		if (!has_major || !has_minor)
			return oci_fail(o, w, "\"major\" and \"minor\" are required");
		/* A node cannot be made in a user namespace: the host's is bound, so it must be this one. */
		if (stat(path, &st))
			return brig_error_make(o->err, errno, "%s: %s: the host has no `%s` to bind",
					       o->path, w, path);
		if ((type[0] == 'b') != !!S_ISBLK(st.st_mode) ||
		    (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) ||
		    major(st.st_rdev) != major || minor(st.st_rdev) != minor)
			return oci_fail(o, w, "the host's `%s` is not %s %llu:%llu", path,
					type[0] == 'b' ? "block device" : "character device",
					(unsigned long long)major, (unsigned long long)minor);
		node->host = strdup(path);
		if (!node->host)
			return oci_nomem(o);
		strcpy(node->perms, "rwm");
		spec->n_devices++;
	}
	return 0;
}

/* ---- linux.resources */

/* A device rule's letters: r w m, each once at most. */
static int device_access(struct oci *o, const char *where, const char *access, uint32_t *out)
{
	*out = 0;
	for (const char *c = access; *c; c++) {
		if (!strchr("rwm", *c) || strchr(c + 1, *c))
			return oci_fail(o, where, "\"access\" is of the letters r, w and m");
		*out |= *c == 'r' ? BRIG_PERM_READ : *c == 'w' ? BRIG_PERM_WRITE : 0;
	}
	return 0;
}

/*
 * linux.resources.devices, the device cgroup's list: last match wins, from
 * deny-all (runc's default). brig.ko's list allows; a deny that leaves a
 * hole in a wider allow cannot be said in it and is refused.
 */
static int parse_device_rules(struct oci *o, json_object *arr, struct brig_policy_spec *k)
{
	static const char *const keys[] = { "allow", "type", "major", "minor", "access", NULL };

	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *r = json_object_array_get_idx(arr, i), *v;
		uint64_t major = BRIG_DEVICE_ANY, minor = BRIG_DEVICE_ANY;
		const char *type = "a", *access = "rwm";
		bool allow = false, has;
		uint32_t perms, types[2];
		size_t n_types = 0, j;
		char w[64];

		snprintf(w, sizeof(w), "linux.resources.devices[%zu]", i);
		if (!json_object_is_type(r, json_type_object))
			return oci_fail(o, w, "expected an object");
		if (known_keys(o, r, w, keys) || get_bool(o, r, w, "allow", &allow) < 0 ||
		    get_string(o, r, w, "type", &type) < 0 ||
		    get_u64(o, r, w, "major", BRIG_DEVICE_MAJOR_MAX, &major, &has) < 0 ||
		    get_u64(o, r, w, "minor", BRIG_DEVICE_MINOR_MAX, &minor, &has) < 0 ||
		    get_string(o, r, w, "access", &access) < 0)
			return -1;
		if (get(o, r, w, "allow", json_type_boolean, &v) <= 0)
			return oci_fail(o, w, "\"allow\" is required");
		type = type ? type : "a";
		access = access ? access : "rwm";
		if (device_access(o, w, access, &perms))
			return -1;
		if (!strcmp(type, "a") || !strcmp(type, "c"))
			types[n_types++] = BRIG_DEVICE_CHAR;
		if (!strcmp(type, "a") || !strcmp(type, "b"))
			types[n_types++] = BRIG_DEVICE_BLOCK;
		if (!n_types)
			return oci_fail(o, w, "\"type\" is a, c or b");
		for (size_t t = 0; t < n_types; t++) {
			struct brig_device_rule rule = { types[t], (uint32_t)major, (uint32_t)minor,
							 perms };
			if (allow) {
				if (!perms)
					continue;	/* mknod alone: a file operation */
				if (k->n_devices == BRIG_DEVICE_RULES_MAX)
					return oci_fail(o, w, "more than %d device rules",
							BRIG_DEVICE_RULES_MAX);
				k->devices[k->n_devices++] = rule;
				continue;
			}
			/*
			 * A deny takes its letters off every allow it covers whole;
			 * one that meets an allow only in part would leave a hole
			 * brig.ko's list cannot say: refused, never dropped.
			 */
			for (j = 0; j < k->n_devices; j++) {
				struct brig_device_rule *a = &k->devices[j];
				bool covers = a->type == rule.type &&
					      (rule.major == BRIG_DEVICE_ANY || rule.major == a->major) &&
					      (rule.minor == BRIG_DEVICE_ANY || rule.minor == a->minor);
				bool meets = a->type == rule.type &&
					     (a->major == BRIG_DEVICE_ANY || rule.major == BRIG_DEVICE_ANY ||
					      a->major == rule.major) &&
					     (a->minor == BRIG_DEVICE_ANY || rule.minor == BRIG_DEVICE_ANY ||
					      a->minor == rule.minor);

				if (covers)
					a->access &= ~perms;
				else if (meets && (a->access & perms))
					return oci_fail(o, w, "a deny inside a wider allow cannot be enforced by brig.ko; list what is allowed instead");
			}
			/* Drop what no longer allows anything. */
			for (j = 0; j < k->n_devices;) {
				if (!k->devices[j].access)
					k->devices[j] = k->devices[--k->n_devices];
				else
					j++;
			}
		}
	}
	return 0;
}

/* cpu.shares (cgroup v1, 2 to 262144) as cgroup v2's cpu.weight, as runc converts. */
static uint64_t shares_to_weight(uint64_t shares)
{
	return shares ? 1 + ((shares - 2) * 9999) / 262142 : 0;
}

static int parse_resources(struct oci *o, json_object *res, struct brig_policy_spec *k)
{
	static const char *const keys[] = {
		"devices", "memory", "cpu", "pids", "blockIO", "hugepageLimits", "network",
		"rdma", "unified", NULL,
	};
	static const char *const memory_keys[] = {
		"limit", "reservation", "swap", "kernel", "kernelTCP", "swappiness",
		"disableOOMKiller", "useHierarchy", "checkBeforeUpdate", NULL,
	};
	static const char *const cpu_keys[] = {
		"shares", "quota", "period", "realtimeRuntime", "realtimePeriod", "cpus", "mems",
		"idle", "burst", NULL,
	};
	struct brig_cgroup *cg = &o->spec->cgroup;
	json_object *devices, *memory, *cpu, *pids, *v;
	uint64_t shares = 0, period = 0;
	int64_t limit;

	if (known_keys(o, res, "linux.resources", keys) ||
	    get(o, res, "linux.resources", "devices", json_type_array, &devices) < 0 ||
	    get(o, res, "linux.resources", "memory", json_type_object, &memory) < 0 ||
	    get(o, res, "linux.resources", "cpu", json_type_object, &cpu) < 0 ||
	    get(o, res, "linux.resources", "pids", json_type_object, &pids) < 0)
		return -1;
	for (const char *const *key = keys + 4; *key; key++) {
		char w[256];

		if (json_object_object_get_ex(res, *key, &v) && !json_object_is_type(v, json_type_null) &&
		    !(json_object_is_type(v, json_type_array) && !json_object_array_length(v)) &&
		    !(json_object_is_type(v, json_type_object) && !json_object_object_length(v)))
			return oci_fail(o, at(w, "linux.resources", *key),
					"not supported by brig (pids, memory, cpu and devices are)");
	}
	if (devices && parse_device_rules(o, devices, k))
		return -1;
	if (pids) {
		if (known_keys(o, pids, "linux.resources.pids", (const char *const[]){ "limit", NULL }))
			return -1;
		limit = 0;
		if (get_i64(o, pids, "linux.resources.pids", "limit", &limit) < 0)
			return -1;
		/* 0 and -1 mean no limit (runtime-spec); above, the exact ceiling. */
		if (limit > (int64_t)UINT32_MAX)
			return oci_fail(o, "linux.resources.pids.limit", "above %u", UINT32_MAX);
		if (limit > 0)
			k->pids_max = cg->pids_max = (uint32_t)limit;
	}
	if (memory) {
		int64_t swap = 0, reservation = 0;

		if (known_keys(o, memory, "linux.resources.memory", memory_keys))
			return -1;
		limit = 0;
		if (get_i64(o, memory, "linux.resources.memory", "limit", &limit) < 0 ||
		    get_i64(o, memory, "linux.resources.memory", "swap", &swap) < 0 ||
		    get_i64(o, memory, "linux.resources.memory", "reservation", &reservation) < 0)
			return -1;
		for (const char *const *key = memory_keys + 3; *key; key++) {
			char w[256];

			if (json_object_object_get_ex(memory, *key, &v) &&
			    !json_object_is_type(v, json_type_null) &&
			    !(json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v)))
				return oci_fail(o, at(w, "linux.resources.memory", *key),
						"not supported by brig on cgroup v2");
		}
		if (limit > 0)
			cg->memory_max = limit;
		/* OCI's swap is memory+swap (v1's); v2 limits swap alone. */
		if (swap > 0 && limit > 0 && swap < limit)
			return oci_fail(o, "linux.resources.memory.swap",
					"below the memory limit (it counts memory and swap)");
		if (swap > 0 && limit > 0)
			cg->memory_swap_max = swap - limit;
		if (reservation > 0)
			return oci_fail(o, "linux.resources.memory.reservation",
					"not supported by brig");
	}
	if (cpu) {
		int64_t quota = 0;
		bool has_quota = false;

		if (known_keys(o, cpu, "linux.resources.cpu", cpu_keys) ||
		    get_u64(o, cpu, "linux.resources.cpu", "shares", 262144, &shares, NULL) < 0 ||
		    get_u64(o, cpu, "linux.resources.cpu", "period", 1000000, &period, NULL) < 0)
			return -1;
		has_quota = get_i64(o, cpu, "linux.resources.cpu", "quota", &quota) > 0;
		if (json_object_object_get_ex(cpu, "quota", &v) && !has_quota &&
		    !json_object_is_type(v, json_type_null))
			return -1;
		for (const char *const *key = cpu_keys + 3; *key; key++) {
			char w[256];

			if (json_object_object_get_ex(cpu, *key, &v) &&
			    !json_object_is_type(v, json_type_null) &&
			    !(json_object_is_type(v, json_type_string) && !*json_object_get_string(v)) &&
			    !(json_object_is_type(v, json_type_int) && !json_object_get_int64(v)))
				return oci_fail(o, at(w, "linux.resources.cpu", *key),
						"not supported by brig");
		}
		if (shares && shares < 2)
			return oci_fail(o, "linux.resources.cpu.shares", "expected 2 to 262144");
		cg->cpu_weight = shares_to_weight(shares);
		if (has_quota && quota > 0)
			cg->cpu_quota = quota;
		cg->cpu_period = period;
	}
	return 0;
}

static int parse_seccomp(struct oci *o, json_object *seccomp)
{
	struct brig_container_spec *spec = o->spec;

	if (brig_sc_profile_from_json(seccomp, o->path, o->text, "linux.seccomp",
				      &spec->seccomp_owned, o->err))
		return -1;
	spec->seccomp = spec->seccomp_owned;
	return 0;
}

static int parse_linux(struct oci *o, json_object *lnx, json_object **resources)
{
	static const char *const keys[] = {
		"namespaces", "uidMappings", "gidMappings", "devices", "cgroupsPath",
		"resources", "rootfsPropagation", "seccomp", "sysctl", "maskedPaths",
		"readonlyPaths", "mountLabel", "personality", "intelRdt", "timeOffsets", NULL,
	};
	struct brig_container_spec *spec = o->spec;
	json_object *ns, *uids, *gids, *devices, *seccomp, *sysctl, *personality, *v;
	const char *cgroups, *propagation, *label;
	size_t i;

	if (known_keys(o, lnx, "linux", keys) ||
	    get(o, lnx, "linux", "namespaces", json_type_array, &ns) < 0 ||
	    get(o, lnx, "linux", "uidMappings", json_type_array, &uids) < 0 ||
	    get(o, lnx, "linux", "gidMappings", json_type_array, &gids) < 0 ||
	    get(o, lnx, "linux", "devices", json_type_array, &devices) < 0 ||
	    get_string(o, lnx, "linux", "cgroupsPath", &cgroups) < 0 ||
	    get(o, lnx, "linux", "resources", json_type_object, resources) < 0 ||
	    get_string(o, lnx, "linux", "rootfsPropagation", &propagation) < 0 ||
	    get(o, lnx, "linux", "seccomp", json_type_object, &seccomp) < 0 ||
	    get(o, lnx, "linux", "sysctl", json_type_object, &sysctl) < 0 ||
	    get_strv(o, lnx, "linux", "maskedPaths", &spec->masked_paths) < 0 ||
	    get_strv(o, lnx, "linux", "readonlyPaths", &spec->readonly_paths) < 0 ||
	    get_string(o, lnx, "linux", "mountLabel", &label) < 0 ||
	    get(o, lnx, "linux", "personality", json_type_object, &personality) < 0)
		return -1;
	if (!ns)
		return oci_fail(o, "linux", "\"namespaces\" is required (with at least mount)");
	if (parse_namespaces(o, ns))
		return -1;
	if (label && *label)
		return oci_fail(o, "linux.mountLabel", "SELinux labels are not supported");
	if (json_object_object_get_ex(lnx, "intelRdt", &v) && !json_object_is_type(v, json_type_null))
		return oci_fail(o, "linux.intelRdt", "not supported by brig");
	if (json_object_object_get_ex(lnx, "timeOffsets", &v) &&
	    !json_object_is_type(v, json_type_null))
		return oci_fail(o, "linux.timeOffsets", "not supported by brig");
	if (personality) {
		const char *domain;

		if (known_keys(o, personality, "linux.personality",
			       (const char *const[]){ "domain", "flags", NULL }) ||
		    get_string(o, personality, "linux.personality", "domain", &domain) < 0)
			return -1;
		if (domain && strcmp(domain, "LINUX"))
			return oci_fail(o, "linux.personality.domain", "only LINUX is supported");
	}
	if (uids && parse_idmap(o, uids, "linux.uidMappings", spec->uidmap, &spec->n_uidmap))
		return -1;
	if (gids && parse_idmap(o, gids, "linux.gidMappings", spec->gidmap, &spec->n_gidmap))
		return -1;
	if ((spec->namespaces & BRIG_NS_USER) && !spec->ns_paths[brig_ns_index(BRIG_NS_USER)] &&
	    (!spec->n_uidmap || !spec->n_gidmap))
		return oci_fail(o, "linux", "a new user namespace needs \"uidMappings\" and \"gidMappings\"");
	if ((!(spec->namespaces & BRIG_NS_USER) || spec->ns_paths[brig_ns_index(BRIG_NS_USER)]) &&
	    (spec->n_uidmap || spec->n_gidmap))
		return oci_fail(o, "linux", "uid and gid mappings need a new user namespace");
	for (i = 0; spec->masked_paths && spec->masked_paths[i]; i++)
		if (spec->masked_paths[i][0] != '/')
			return oci_fail(o, "linux.maskedPaths", "`%s` is not an absolute path",
					spec->masked_paths[i]);
	for (i = 0; spec->readonly_paths && spec->readonly_paths[i]; i++)
		if (spec->readonly_paths[i][0] != '/')
			return oci_fail(o, "linux.readonlyPaths", "`%s` is not an absolute path",
					spec->readonly_paths[i]);
	if (propagation && *propagation) {
		for (i = 0; i < sizeof(propagations) / sizeof(propagations[0]); i++)
			if (!strcmp(propagation, propagations[i].name))
				break;
		if (i == sizeof(propagations) / sizeof(propagations[0]))
			return oci_fail(o, "linux.rootfsPropagation", "unknown propagation \"%s\"",
					propagation);
		/* Shared, the container's mounts would reach the host's tree (runc rebinds for it). */
		if (propagations[i].flags & MS_SHARED)
			return oci_fail(o, "linux.rootfsPropagation", "\"%s\" is not supported", propagation);
		spec->rootfs_propagation = propagations[i].flags;
	}
	if (cgroups && *cgroups) {
		if (strstr(cgroups, "..") || strchr(cgroups, ':') || !cgroups[strspn(cgroups, "/")])
			return oci_fail(o, "linux.cgroupsPath",
					"a cgroup v2 path (systemd's slice:prefix:name form needs --systemd-cgroup, which brig does not support)");
		spec->cgroup.path = strdup(cgroups);
		if (!spec->cgroup.path)
			return oci_nomem(o);
	}
	if (sysctl && parse_sysctls(o, sysctl))
		return -1;
	if (devices && parse_devices(o, devices))
		return -1;
	return seccomp ? parse_seccomp(o, seccomp) : 0;
}

/* ---- the kernel half */

/*
 * The annotation's @name in the policy folder, into @buf: a name alone
 * (no folder, no link), a regular file root owns and only root may write,
 * so that the policies a container's author chooses among are root's.
 */
static int policy_path(struct oci *o, const struct brig_oci_options *opt, const char *name,
		       char *buf, size_t len)
{
	const char *dir = opt->policy_dir ? opt->policy_dir : BRIG_OCI_POLICY_DIR;
	const char *where = "annotations." BRIG_OCI_POLICY_ANNOTATION;
	size_t n = strlen(name);
	struct stat st;

	if (!brig_pol_name_valid(name))
		return oci_fail(o, where, "a policy's name in %s, [A-Za-z0-9][A-Za-z0-9_.-]*, not `%s`",
				dir, name);
	snprintf(buf, len, "%s/%s%s", dir, name, n > 4 && !strcmp(name + n - 4, ".pol") ? "" : ".pol");
	if (lstat(buf, &st))
		return brig_error_make(o->err, errno, "%s: %s: brig policy `%s`", o->path, where, buf);
	if (!S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022))
		return oci_fail(o, where, "`%s` is not a regular file that root owns and only root may write",
				buf);
	return 0;
}

/*
 * What brig.ko enforces: the bounding set as the capability mask; the
 * devices (Docker's, linux.devices', then linux.resources.devices'); the
 * ceiling; and, from a .pol, file and socket rules, its mode, and its own
 * capabilities and ceiling where stricter (what either denies is denied).
 */
static int kernel_policy(struct oci *o, json_object *resources, const char *policy,
			 bool annotated)
{
	struct brig_container_spec *spec = o->spec;
	struct brig_policy_spec *k = &spec->kernel;
	struct brig_pol *pol = NULL;
	uint32_t pol_pids;
	size_t i;

	if (policy) {
		if (brig_pol_parse_file(policy, &pol, o->err) ||
		    brig_kernel_policy_from_pol(pol, k, o->err)) {
			brig_pol_free(pol);
			return brig_error_wrap(o->err, "%s: the brig policy", o->path);
		}
		if (pol->privileged) {
			brig_pol_free(pol);
			return brig_error_make(o->err, 0, "%s: %s is privileged: a brig policy for an OCI container gives rules, not privilege",
					       o->path, policy);
		}
		/* Complain mode lets every refusal through, the mask and devices too. */
		if (annotated && pol->mode == BRIG_MODE_COMPLAIN) {
			brig_pol_free(pol);
			return brig_error_make(o->err, 0, "%s: %s is in complain mode: only the runtime's --policy may be",
					       o->path, policy);
		}
		k->caps &= spec->process.caps.bounding;
		spec->trust_required = pol->trust_required;
		brig_pol_free(pol);
	} else {
		k->caps = spec->process.caps.bounding;
	}
	/*
	 * The .pol's devices give way to the config's: its device cgroup list
	 * first, then (as runc appends them) Docker's defaults and the nodes
	 * of linux.devices.
	 */
	k->flags |= BRIG_POLICY_F_DEVICES;
	k->n_devices = 0;
	pol_pids = k->pids_max;
	k->pids_max = 0;
	if (resources && parse_resources(o, resources, k))
		return -1;
	if (pol_pids && (!k->pids_max || pol_pids < k->pids_max))
		k->pids_max = pol_pids;
	for (i = 0; i < brig_n_default_device_rules + spec->n_devices; i++) {
		struct brig_device_rule rule;
		struct stat st;

		if (i < brig_n_default_device_rules) {
			rule = brig_default_device_rules[i];
		} else {
			if (stat(spec->devices[i - brig_n_default_device_rules].host, &st))
				return brig_error_make(o->err, errno, "%s: linux.devices", o->path);
			rule = (struct brig_device_rule){
				S_ISBLK(st.st_mode) ? BRIG_DEVICE_BLOCK : BRIG_DEVICE_CHAR,
				major(st.st_rdev), minor(st.st_rdev),
				BRIG_PERM_READ | BRIG_PERM_WRITE,
			};
		}
		if (k->n_devices == BRIG_DEVICE_RULES_MAX)
			return oci_fail(o, "linux", "more than %d device rules",
					BRIG_DEVICE_RULES_MAX);
		k->devices[k->n_devices++] = rule;
	}
	return 0;
}

static int parse_config(struct oci *o, json_object *root, const struct brig_oci_options *opt)
{
	static const char *const keys[] = {
		"ociVersion", "root", "process", "hostname", "domainname", "mounts", "hooks",
		"annotations", "linux", NULL,
	};
	struct brig_container_spec *spec = o->spec;
	json_object *r, *process, *mounts, *hooks, *annotations, *lnx, *resources = NULL;
	json_object *image = NULL;
	const char *version, *hostname, *domainname, *policy = opt->policy, *annotated = NULL;
	char chosen[PATH_MAX];
	bool has_proc = false;
	unsigned int major;
	char w[256];

	if (!json_object_is_type(root, json_type_object))
		return oci_fail(o, "", "expected an object");
	if (known_keys(o, root, "", keys) ||
	    get_string(o, root, "", "ociVersion", &version) < 0 ||
	    get(o, root, "", "root", json_type_object, &r) < 0 ||
	    get(o, root, "", "process", json_type_object, &process) < 0 ||
	    get_string(o, root, "", "hostname", &hostname) < 0 ||
	    get_string(o, root, "", "domainname", &domainname) < 0 ||
	    get(o, root, "", "mounts", json_type_array, &mounts) < 0 ||
	    get(o, root, "", "hooks", json_type_object, &hooks) < 0 ||
	    get(o, root, "", "annotations", json_type_object, &annotations) < 0 ||
	    get(o, root, "", "linux", json_type_object, &lnx) < 0)
		return -1;
	if (!version)
		return oci_fail(o, "", "\"ociVersion\" is required");
	if (sscanf(version, "%u.", &major) != 1 || major != 1 || strncmp(version, "1.", 2))
		return oci_fail(o, "ociVersion", "unsupported ociVersion \"%s\": brig runs runtime-spec 1.x",
				version);
	if (!r)
		return oci_fail(o, "", "\"root\" is required");
	if (!process)
		return oci_fail(o, "", "\"process\" is required");
	if (!lnx)
		return oci_fail(o, "", "\"linux\" is required");
	if (domainname && *domainname)
		return oci_fail(o, "domainname", "not supported by brig");
	spec->process.umask = -1;
	spec->cgroup.cpu_quota = -1;
	if (annotations && json_object_object_get_ex(annotations, BRIG_OCI_IMAGE_ANNOTATION, &image) &&
	    !json_object_is_type(image, json_type_string))
		return oci_fail(o, "annotations." BRIG_OCI_IMAGE_ANNOTATION, "expected a string");
	if (parse_root(o, r, image ? json_object_get_string(image) : NULL) || parse_process(o, process) || parse_linux(o, lnx, &resources))
		return -1;
	if (hostname && *hostname) {
		if (!(spec->namespaces & BRIG_NS_UTS))
			return oci_fail(o, "hostname", "setting a hostname needs a uts namespace");
		spec->hostname = strdup(hostname);
		if (!spec->hostname)
			return oci_nomem(o);
	}
	if ((mounts && parse_mounts(o, mounts)) || (hooks && parse_hooks(o, hooks)))
		return -1;
	/* The engine's sysctls, FIFO and AppArmor profile go through the container's procfs. */
	for (size_t i = 0; i < spec->n_mounts && !has_proc; i++)
		has_proc = !strcmp(spec->mounts[i].destination, "/proc") &&
			   !strcmp(spec->mounts[i].type, "proc");
	if (!has_proc)
		return oci_fail(o, "mounts", "a proc mount on /proc is required");
	if (annotations) {
		json_object_object_foreach(annotations, key, val) {
			if (!json_object_is_type(val, json_type_string))
				return oci_fail(o, at(w, "annotations", key), "expected a string");
			if (strcmp(key, BRIG_OCI_POLICY_ANNOTATION))
				continue;
			annotated = json_object_get_string(val);
		}
		spec->annotations = strdup(json_object_to_json_string_ext(annotations,
									   JSON_C_TO_STRING_PLAIN));
		if (!spec->annotations)
			return oci_nomem(o);
	}
	if (annotated && policy_path(o, opt, annotated, chosen, sizeof(chosen)))
		return -1;
	if (annotated && opt->policy && strcmp(opt->policy, chosen))
		return oci_fail(o, "annotations." BRIG_OCI_POLICY_ANNOTATION,
				"the runtime's --policy %s is pinned: the annotation may not name another",
				opt->policy);
	if (annotated && !opt->policy)
		policy = chosen;
	if (policy && policy[0] != '/')
		return brig_error_make(o->err, 0, "%s: brig policy `%s`: an absolute path is required",
				       o->path, policy);
	return kernel_policy(o, resources, policy, policy && policy == chosen);
}

int brig_spec_from_oci(const char *bundle, const struct brig_oci_options *opt,
		       struct brig_container_spec **out, struct brig_error **err)
{
	struct brig_container_spec *spec __attribute__((cleanup(brig_spec_freep))) = NULL;
	char *abs brig_cleanup_free = realpath(bundle, NULL);
	char *text brig_cleanup_free = NULL;
	json_object *root brig_cleanup_json = NULL;
	char path[PATH_MAX], name[BRIG_NAME_MAX];
	struct oci o = { .err = err };
	struct stat st;

	if (!abs)
		return brig_error_make(err, errno, "bundle `%s`", bundle);
	snprintf(path, sizeof(path), "%s/config.json", abs);
	if (stat(path, &st))
		return brig_error_make(err, errno, "bundle `%s`: config.json", bundle);
	if (st.st_size > BRIG_OCI_CONFIG_BYTES_MAX)
		return brig_error_make(err, EFBIG, "%s: larger than %d bytes", path,
				       BRIG_OCI_CONFIG_BYTES_MAX);
	if (brig_json_read_file(path, "OCI config", "config", &root, &text, err))
		return -1;
	spec = calloc(1, sizeof(*spec));
	if (!spec)
		return brig_error_make(err, ENOMEM, "%s", path);
	o.path = path;
	o.text = text;
	o.bundle = abs;
	o.spec = spec;
	brig_oci_kernel_name(opt->id, name, sizeof(name));
	if (!brig_oci_id_valid(opt->id) || !brig_pol_name_valid(name))
		return brig_error_make(err, 0, "invalid container ID format: `%s`", opt->id);
	spec->source = strdup(path);
	spec->bundle = strdup(abs);
	spec->id = strdup(opt->id);
	spec->name = strdup(name);
	if (!spec->source || !spec->bundle || !spec->id || !spec->name)
		return brig_error_make(err, ENOMEM, "%s", path);
	if (parse_config(&o, root, opt))
		return -1;
	*out = spec;
	spec = NULL;
	return 0;
}

const char *brig_oci_default_config(void)
{
	/* runc spec's, with brig's hostname; %s closes the namespaces (and adds maps). */
	return "{\n"
	       "\t\"ociVersion\": \"" BRIG_OCI_SPEC_VERSION "\",\n"
	       "\t\"process\": {\n"
	       "\t\t\"terminal\": true,\n"
	       "\t\t\"user\": { \"uid\": 0, \"gid\": 0 },\n"
	       "\t\t\"args\": [ \"sh\" ],\n"
	       "\t\t\"env\": [\n"
	       "\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
	       "\t\t\t\"TERM=xterm\"\n"
	       "\t\t],\n"
	       "\t\t\"cwd\": \"/\",\n"
	       "\t\t\"capabilities\": {\n"
	       "\t\t\t\"bounding\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n"
	       "\t\t\t\"effective\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n"
	       "\t\t\t\"permitted\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n"
	       "\t\t\t\"ambient\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ]\n"
	       "\t\t},\n"
	       "\t\t\"rlimits\": [ { \"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024 } ],\n"
	       "\t\t\"noNewPrivileges\": true\n"
	       "\t},\n"
	       "\t\"root\": { \"path\": \"rootfs\", \"readonly\": true },\n"
	       "\t\"hostname\": \"brig\",\n"
	       "\t\"mounts\": [\n"
	       "\t\t{ \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\" },\n"
	       "\t\t{ \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
	       "\t\t  \"options\": [ \"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\" ] },\n"
	       "\t\t{ \"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\",\n"
	       "\t\t  \"options\": [ \"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", \"mode=0620\" ] },\n"
	       "\t\t{ \"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\",\n"
	       "\t\t  \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\" ] },\n"
	       "\t\t{ \"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\",\n"
	       "\t\t  \"options\": [ \"nosuid\", \"noexec\", \"nodev\" ] },\n"
	       "\t\t{ \"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\",\n"
	       "\t\t  \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"ro\" ] }\n"
	       "\t],\n"
	       "\t\"linux\": {\n"
	       "\t\t\"resources\": { \"devices\": [ { \"allow\": false, \"access\": \"rwm\" } ] },\n"
	       "\t\t\"namespaces\": [\n"
	       "\t\t\t{ \"type\": \"pid\" },\n"
	       "\t\t\t{ \"type\": \"network\" },\n"
	       "\t\t\t{ \"type\": \"ipc\" },\n"
	       "\t\t\t{ \"type\": \"uts\" },\n"
	       "\t\t\t{ \"type\": \"mount\" },\n"
	       "\t\t\t{ \"type\": \"cgroup\" }%s,\n"
	       "\t\t\"maskedPaths\": [\n"
	       "\t\t\t\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\",\n"
	       "\t\t\t\"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\",\n"
	       "\t\t\t\"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\"\n"
	       "\t\t],\n"
	       "\t\t\"readonlyPaths\": [\n"
	       "\t\t\t\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", \"/proc/sysrq-trigger\"\n"
	       "\t\t]\n"
	       "\t}\n"
	       "}\n";
}

int brig_oci_process_load(const char *path, struct brig_container_spec **out,
			  struct brig_error **err)
{
	struct brig_container_spec *spec __attribute__((cleanup(brig_spec_freep))) = NULL;
	char *text brig_cleanup_free = NULL;
	json_object *root brig_cleanup_json = NULL;
	struct oci o = { .path = path, .err = err };

	/* Its fields are named as config.json's (process.args), the file being one. */
	if (brig_json_read_file(path, "OCI process", "process", &root, &text, err))
		return -1;
	spec = calloc(1, sizeof(*spec));
	if (!spec)
		return brig_error_make(err, ENOMEM, "%s", path);
	o.spec = spec;
	spec->process.umask = -1;
	if (!json_object_is_type(root, json_type_object))
		return oci_fail(&o, "", "expected an object");
	if (parse_process(&o, root))
		return -1;
	*out = brig_steal(&spec);
	return 0;
}
