// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's state: /run/brig/NAME holds what `launch exec` needs to join
 * a container (state.json, seccomp.bpf) and pasta's messages (network.log),
 * from its start to its end; /run/brig/NAME.lock is held as long, so that
 * what one launch makes and removes under a name is its own. What a detached container leaves is its
 * record's (lib/record.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "engine.h"
#include "lib/cleanup.h"

void state_path(char *buf, size_t len, const char *name, const char *file)
{
	snprintf(buf, len, STATE_DIR "/%s%s%s", name, file ? "/" : "", file ? file : "");
}

int write_file(const char *path, const void *data, size_t len, struct brig_error **err)
{
	int fd brig_cleanup_close = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		return brig_error_make(err, errno, "writing `%s`", path);
	return 0;
}

int state_lock(const char *name, struct brig_error **err)
{
	char path[PATH_MAX];
	struct stat held, named;
	int fd;

	if (mkdir(STATE_DIR, 0700) && errno != EEXIST)
		return brig_error_make(err, errno, "making `%s`", STATE_DIR);
	snprintf(path, sizeof(path), STATE_DIR "/%s.lock", name);
	for (;;) {
		fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return brig_error_make(err, errno, "opening `%s`", path);
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			int e = errno;

			close(fd);
			return e == EWOULDBLOCK ?
			       brig_error_make(err, 0, "a container named `%s` is starting or running", name) :
			       brig_error_make(err, e, "locking `%s`", path);
		}
		/* The holder before may have unlinked it as it let go: hold the file the name is. */
		if (!fstat(fd, &held) && !stat(path, &named) && held.st_ino == named.st_ino &&
		    held.st_dev == named.st_dev)
			return fd;
		close(fd);
	}
}

void state_unlock(const char *name, int fd)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), STATE_DIR "/%s.lock", name);
	unlink(path);
	close(fd);
}

int state_dir(const char *name, struct brig_error **err)
{
	char dir[PATH_MAX];

	state_path(dir, sizeof(dir), name, NULL);
	if ((mkdir(STATE_DIR, 0700) && errno != EEXIST) || (mkdir(dir, 0700) && errno != EEXIST))
		return brig_error_make(err, errno, "making `%s`", dir);
	return 0;
}

int state_save(const char *name, uint32_t id, pid_t init,
		      const struct engine_process *proc, struct brig_error **err)
{
	json_object *o brig_cleanup_json = json_object_new_object();
	json_object *env = json_object_new_array(), *rlimits = json_object_new_array();
	json_object *groups = json_object_new_array();
	char path[PATH_MAX];
	const char *text;
	int ret;

	for (size_t i = 0; proc->env[i]; i++)
		json_object_array_add(env, json_object_new_string(proc->env[i]));
	for (size_t i = 0; i < proc->n_groups; i++)
		json_object_array_add(groups, json_object_new_int64(proc->groups[i]));
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "init_pid", json_object_new_int64(init));
	json_object_object_add(o, "uid", json_object_new_int64(proc->uid));
	json_object_object_add(o, "gid", json_object_new_int64(proc->gid));
	json_object_object_add(o, "caps_bounding", json_object_new_uint64(proc->caps.bounding));
	json_object_object_add(o, "caps_effective", json_object_new_uint64(proc->caps.effective));
	json_object_object_add(o, "caps_permitted", json_object_new_uint64(proc->caps.permitted));
	json_object_object_add(o, "caps_inheritable",
			       json_object_new_uint64(proc->caps.inheritable));
	json_object_object_add(o, "caps_ambient", json_object_new_uint64(proc->caps.ambient));
	json_object_object_add(o, "groups", groups);
	json_object_object_add(o, "no_new_privileges", json_object_new_boolean(proc->no_new_privs));
	json_object_object_add(o, "seccomp_flags", json_object_new_int64(proc->seccomp_flags));
	/* So that exec refuses a missing or changed filter instead of running without it. */
	json_object_object_add(o, "seccomp_len", json_object_new_int64(proc->seccomp.len));
	json_object_object_add(o, "workdir", json_object_new_string(proc->workdir));
	json_object_object_add(o, "env", env);
	for (size_t i = 0; i < proc->n_rlimits; i++) {
		json_object *rl = json_object_new_array();

		json_object_array_add(rl, json_object_new_int64(proc->rlimits[i].resource));
		json_object_array_add(rl, json_object_new_uint64(proc->rlimits[i].soft));
		json_object_array_add(rl, json_object_new_uint64(proc->rlimits[i].hard));
		json_object_array_add(rlimits, rl);
	}
	json_object_object_add(o, "rlimits", rlimits);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	state_path(path, sizeof(path), name, "seccomp.bpf");
	unlink(path);
	ret = proc->seccomp.filter ?
	      write_file(path, proc->seccomp.filter,
			 proc->seccomp.len * sizeof(*proc->seccomp.filter), err) : 0;
	state_path(path, sizeof(path), name, "state.json");
	if (!ret)
		ret = write_file(path, text, strlen(text), err);
	return ret;
}

/* The whole run directory: what exec needs, pasta's log. */
void state_remove(const char *name)
{
	static const char *const files[] = { "state.json", "seccomp.bpf", "network.log" };
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		state_path(path, sizeof(path), name, files[i]);
		unlink(path);
	}
	state_path(path, sizeof(path), name, NULL);
	rmdir(path);
}

int state_load(const char *name, pid_t init, struct engine_process *proc,
		      struct brig_error **err)
{
	json_object *o brig_cleanup_json = NULL, *v;
	int fd brig_cleanup_close = -1;
	char path[PATH_MAX];
	struct stat st;
	int64_t len;

	state_path(path, sizeof(path), name, "state.json");
	o = json_object_from_file(path);
	if (!o || !json_object_object_get_ex(o, "init_pid", &v) ||
	    json_object_get_int64(v) != init)
		return brig_error_make(err, 0,
			"container `%s` was not started by launch on this machine (no %s)", name, path);
	if (json_object_object_get_ex(o, "uid", &v))
		proc->uid = json_object_get_int64(v);
	if (json_object_object_get_ex(o, "gid", &v))
		proc->gid = json_object_get_int64(v);
	if (json_object_object_get_ex(o, "caps_bounding", &v))
		proc->caps.bounding = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "caps_effective", &v))
		proc->caps.effective = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "caps_permitted", &v))
		proc->caps.permitted = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "caps_inheritable", &v))
		proc->caps.inheritable = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "caps_ambient", &v))
		proc->caps.ambient = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "groups", &v)) {
		for (size_t i = 0; i < json_object_array_length(v) && i < BRIG_GROUPS_MAX; i++)
			proc->groups[proc->n_groups++] =
				json_object_get_int64(json_object_array_get_idx(v, i));
	}
	if (json_object_object_get_ex(o, "no_new_privileges", &v))
		proc->no_new_privs = json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "seccomp_flags", &v))
		proc->seccomp_flags = json_object_get_int64(v);
	if (json_object_object_get_ex(o, "workdir", &v))
		proc->workdir = strdup(json_object_get_string(v));
	if (json_object_object_get_ex(o, "env", &v)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			brig_env_set(&proc->env, json_object_get_string(
					json_object_array_get_idx(v, i)), true);
	}
	if (json_object_object_get_ex(o, "rlimits", &v)) {
		size_t n = json_object_array_length(v);

		if (n > BRIG_RLIMITS_MAX)
			return brig_error_make(err, 0, "%s: more than %d rlimits", path, BRIG_RLIMITS_MAX);
		for (size_t i = 0; i < n; i++) {
			json_object *rl = json_object_array_get_idx(v, i);

			if (json_object_array_length(rl) != 3)
				return brig_error_make(err, 0, "%s: a bad rlimit", path);
			proc->rlimits[i] = (struct brig_rlimit){
				.resource = json_object_get_int(json_object_array_get_idx(rl, 0)),
				.soft = json_object_get_uint64(json_object_array_get_idx(rl, 1)),
				.hard = json_object_get_uint64(json_object_array_get_idx(rl, 2)),
			};
		}
		proc->n_rlimits = n;
	}
	if (!proc->workdir || !proc->env)
		return brig_error_make(err, 0, "%s is incomplete", path);
	if (!json_object_object_get_ex(o, "seccomp_len", &v))
		return brig_error_make(err, 0, "%s is incomplete", path);
	len = json_object_get_int64(v);
	state_path(path, sizeof(path), name, "seccomp.bpf");
	if (!len)
		return 0;	/* unconfined, as the container */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return brig_error_make(err, errno, "opening `%s`", path);
	if (fstat(fd, &st) || st.st_size != len * (off_t)sizeof(struct sock_filter) ||
	    !(proc->seccomp.filter = malloc(st.st_size)) ||
	    read(fd, proc->seccomp.filter, st.st_size) != st.st_size)
		return brig_error_make(err, EIO, "reading `%s`", path);
	proc->seccomp.len = st.st_size / sizeof(struct sock_filter);
	return 0;
}
