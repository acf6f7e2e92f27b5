// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: brig-runtime's record of a container and its status
 * (oci_state.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "cleanup.h"
#include "oci_state.h"

int brig_oci_state_dir(const char *root, const char *id, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/%s", root, id) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static json_object *strv_json(char **list)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; list && list[i]; i++)
		json_object_array_add(arr, json_object_new_string(list[i]));
	return arr;
}

static char **json_strv(json_object *arr)
{
	size_t n = arr ? json_object_array_length(arr) : 0;
	char **list = calloc(n + 1, sizeof(*list));

	for (size_t i = 0; list && i < n; i++)
		list[i] = strdup(json_object_get_string(json_object_array_get_idx(arr, i)));
	return list;
}

static json_object *hooks_json(const struct brig_hook *hooks, size_t n)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		json_object *h = json_object_new_object();

		json_object_object_add(h, "path", json_object_new_string(hooks[i].path));
		json_object_object_add(h, "args", strv_json(hooks[i].args));
		json_object_object_add(h, "env", strv_json(hooks[i].env));
		json_object_object_add(h, "timeout", json_object_new_int(hooks[i].timeout));
		json_object_array_add(arr, h);
	}
	return arr;
}

int brig_oci_state_save(const struct brig_oci_state *st, struct brig_error **err)
{
	json_object *o brig_cleanup_json = json_object_new_object();
	char path[4200], tmp[4200];
	const char *text;
	size_t len;
	int fd;

	json_object_object_add(o, "id", json_object_new_string(st->id));
	json_object_object_add(o, "bundle", json_object_new_string(st->bundle));
	json_object_object_add(o, "rootfs", json_object_new_string(st->rootfs));
	json_object_object_add(o, "pid", json_object_new_int64(st->pid));
	json_object_object_add(o, "start_time", json_object_new_uint64(st->start_time));
	json_object_object_add(o, "brig_id", json_object_new_int64(st->brig_id));
	json_object_object_add(o, "pidns_ino", json_object_new_uint64(st->pidns_ino));
	json_object_object_add(o, "created_sec", json_object_new_int64(st->created.tv_sec));
	json_object_object_add(o, "created_nsec", json_object_new_int64(st->created.tv_nsec));
	if (st->annotations)
		json_object_object_add(o, "annotations", json_tokener_parse(st->annotations));
	if (st->cgroup)
		json_object_object_add(o, "cgroup", json_object_new_string(st->cgroup));
	json_object_object_add(o, "seccomp_len", json_object_new_int64(st->seccomp_len));
	json_object_object_add(o, "seccomp_flags", json_object_new_int64(st->seccomp_flags));
	json_object_object_add(o, "uid", json_object_new_int64(st->uid));
	json_object_object_add(o, "gid", json_object_new_int64(st->gid));
	json_object_object_add(o, "no_new_privs", json_object_new_boolean(st->no_new_privs));
	if (st->apparmor_profile)
		json_object_object_add(o, "apparmor_profile",
				       json_object_new_string(st->apparmor_profile));
	json_object_object_add(o, "caps_bounding", json_object_new_uint64(st->caps.bounding));
	json_object_object_add(o, "caps_effective", json_object_new_uint64(st->caps.effective));
	json_object_object_add(o, "caps_permitted", json_object_new_uint64(st->caps.permitted));
	json_object_object_add(o, "caps_inheritable", json_object_new_uint64(st->caps.inheritable));
	json_object_object_add(o, "caps_ambient", json_object_new_uint64(st->caps.ambient));
	json_object_object_add(o, "poststart", hooks_json(st->poststart, st->n_poststart));
	json_object_object_add(o, "poststop", hooks_json(st->poststop, st->n_poststop));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	len = strlen(text);
	snprintf(path, sizeof(path), "%s/state.json", st->dir);
	snprintf(tmp, sizeof(tmp), "%s/.state.json", st->dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return brig_error_make(err, errno, "writing `%s`", tmp);
	if (write(fd, text, len) != (ssize_t)len || fsync(fd)) {
		close(fd);
		unlink(tmp);
		return brig_error_make(err, errno, "writing `%s`", tmp);
	}
	close(fd);
	if (rename(tmp, path)) {
		unlink(tmp);
		return brig_error_make(err, errno, "writing `%s`", path);
	}
	return 0;
}

static const char *get_string(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static int64_t get_int(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

static void hooks_from_json(json_object *arr, struct brig_hook **out, size_t *n)
{
	size_t len = json_object_array_length(arr);

	*out = len ? calloc(len, sizeof(**out)) : NULL;
	for (size_t i = 0; *out && i < len; i++) {
		json_object *h = json_object_array_get_idx(arr, i), *a = NULL, *e = NULL;
		const char *path = get_string(h, "path");

		json_object_object_get_ex(h, "args", &a);
		json_object_object_get_ex(h, "env", &e);
		(*out)[i].path = strdup(path ? path : "");
		(*out)[i].args = json_strv(a);
		(*out)[i].env = json_strv(e);
		(*out)[i].timeout = (int)get_int(h, "timeout");
		(*n)++;
	}
}

int brig_oci_state_load(const char *root, const char *id, struct brig_oci_state *st,
			struct brig_error **err)
{
	json_object *o brig_cleanup_json = NULL, *v;
	char path[4200];
	const char *s;

	memset(st, 0, sizeof(*st));
	if (strlen(id) >= sizeof(st->id) || !brig_oci_id_valid(id))
		return brig_error_make(err, 0, "container does not exist: invalid container ID format `%s`",
				       id);
	snprintf(st->id, sizeof(st->id), "%s", id);
	if (brig_oci_state_dir(root, id, st->dir, sizeof(st->dir)))
		return brig_error_make(err, errno, "%s", root);
	snprintf(path, sizeof(path), "%s/state.json", st->dir);
	if (access(path, F_OK))
		return brig_error_make(err, 0, "container does not exist");
	o = json_object_from_file(path);
	if (!o)
		return brig_error_make(err, 0, "reading `%s`: %s", path, json_util_get_last_err());
	s = get_string(o, "bundle");
	snprintf(st->bundle, sizeof(st->bundle), "%s", s ? s : "");
	s = get_string(o, "rootfs");
	snprintf(st->rootfs, sizeof(st->rootfs), "%s", s ? s : "");
	st->pid = (pid_t)get_int(o, "pid");
	st->start_time = (uint64_t)get_int(o, "start_time");
	st->brig_id = (uint32_t)get_int(o, "brig_id");
	st->pidns_ino = (uint64_t)get_int(o, "pidns_ino");
	st->created.tv_sec = get_int(o, "created_sec");
	st->created.tv_nsec = get_int(o, "created_nsec");
	if (json_object_object_get_ex(o, "annotations", &v))
		st->annotations = strdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	st->seccomp_len = (uint32_t)get_int(o, "seccomp_len");
	st->seccomp_flags = (uint32_t)get_int(o, "seccomp_flags");
	st->uid = (uid_t)get_int(o, "uid");
	st->gid = (gid_t)get_int(o, "gid");
	st->no_new_privs = json_object_object_get_ex(o, "no_new_privs", &v) &&
			   json_object_get_boolean(v);
	st->caps.bounding = (uint64_t)get_int(o, "caps_bounding");
	st->caps.effective = (uint64_t)get_int(o, "caps_effective");
	st->caps.permitted = (uint64_t)get_int(o, "caps_permitted");
	st->caps.inheritable = (uint64_t)get_int(o, "caps_inheritable");
	st->caps.ambient = (uint64_t)get_int(o, "caps_ambient");
	s = get_string(o, "cgroup");
	if (s)
		st->cgroup = strdup(s);
	s = get_string(o, "apparmor_profile");
	if (s)
		st->apparmor_profile = strdup(s);
	if (json_object_object_get_ex(o, "poststart", &v))
		hooks_from_json(v, &st->poststart, &st->n_poststart);
	if (json_object_object_get_ex(o, "poststop", &v))
		hooks_from_json(v, &st->poststop, &st->n_poststop);
	if (!st->pid || !st->start_time)
		return brig_error_make(err, 0, "`%s` holds no init", path);
	return 0;
}

static void hooks_free(struct brig_hook **hooks, size_t *n)
{
	for (size_t i = 0; i < *n; i++) {
		free((*hooks)[i].path);
		brig_strv_free((*hooks)[i].args);
		brig_strv_free((*hooks)[i].env);
	}
	free(*hooks);
	*hooks = NULL;
	*n = 0;
}

void brig_oci_state_release(struct brig_oci_state *st)
{
	free(st->annotations);
	free(st->cgroup);
	free(st->apparmor_profile);
	st->annotations = st->cgroup = st->apparmor_profile = NULL;
	hooks_free(&st->poststart, &st->n_poststart);
	hooks_free(&st->poststop, &st->n_poststop);
}

/* /proc/@pid/stat's state letter and start time; false if there is none. */
static bool proc_stat(pid_t pid, char *state, uint64_t *start)
{
	char path[64], buf[1024], *p;
	unsigned long long t;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* The name may hold anything, ')' too: the fields start after the last. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 state, &t) != 2)
		return false;
	*start = t;
	return true;
}

uint64_t brig_proc_start_time(pid_t pid)
{
	uint64_t start;
	char state;

	return proc_stat(pid, &state, &start) ? start : 0;
}

enum brig_oci_status brig_oci_status(const struct brig_oci_state *st)
{
	char fifo[4200], state;
	uint64_t start;

	if (!proc_stat(st->pid, &state, &start) || start != st->start_time || state == 'Z' ||
	    state == 'X')
		return BRIG_OCI_STOPPED;
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", st->dir);
	return access(fifo, F_OK) ? BRIG_OCI_RUNNING : BRIG_OCI_CREATED;
}

const char *brig_oci_status_name(enum brig_oci_status status)
{
	static const char *const names[] = {
		[BRIG_OCI_CREATED] = "created", [BRIG_OCI_RUNNING] = "running",
		[BRIG_OCI_STOPPED] = "stopped",
	};

	return names[status];
}

void brig_oci_timestamp(const struct timespec *ts, char *buf, size_t len)
{
	char stamp[40];
	struct tm tm;

	gmtime_r(&ts->tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%09ldZ", stamp, ts->tv_nsec);
}

char *brig_oci_state_json(const struct brig_oci_state *st, enum brig_oci_status status,
			  bool pretty)
{
	json_object *o brig_cleanup_json = json_object_new_object();
	char created[64];

	brig_oci_timestamp(&st->created, created, sizeof(created));
	json_object_object_add(o, "ociVersion", json_object_new_string(BRIG_OCI_VERSION));
	json_object_object_add(o, "id", json_object_new_string(st->id));
	json_object_object_add(o, "pid",
			       json_object_new_int(status == BRIG_OCI_STOPPED ? 0 : st->pid));
	json_object_object_add(o, "status", json_object_new_string(brig_oci_status_name(status)));
	json_object_object_add(o, "bundle", json_object_new_string(st->bundle));
	json_object_object_add(o, "rootfs", json_object_new_string(st->rootfs));
	json_object_object_add(o, "created", json_object_new_string(created));
	if (st->annotations)
		json_object_object_add(o, "annotations", json_tokener_parse(st->annotations));
	json_object_object_add(o, "owner", json_object_new_string(""));
	return strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_NOSLASHESCAPE |
						     (pretty ? JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN)));
}
