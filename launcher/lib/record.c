// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: the records detached containers leave (record.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "cleanup.h"
#include "policy.h"
#include "record.h"

void brig_record_path(char *buf, size_t len, const char *name, const char *file)
{
	snprintf(buf, len, BRIG_RECORD_DIR "/%s%s%s", name, file ? "/" : "", file ? file : "");
}

int brig_record_name_free(const char *name, struct brig_error **err)
{
	struct brig_record kept;

	if (!brig_record_load(name, &kept, err))
		return brig_error_make(err, 0,
			"the name `%s` is taken by a kept container (brigctl ps -a): remove it with `brigctl rm %s`",
			name, name);
	return *err ? brig_error_wrap(err, "the name `%s` (brigctl rm %s removes it)", name, name) : 0;
}

int brig_record_create(const char *name, struct brig_error **err)
{
	char dir[PATH_MAX], path[PATH_MAX];
	int fd;

	brig_record_path(dir, sizeof(dir), name, NULL);
	/* What a record-less folder holds (a crash mid-start) is no one's. */
	if (brig_record_remove(name, err))
		return -1;
	/* Its parents as a distribution has them (0755), brig's own folder private. */
	if ((mkdir("/var", 0755) && errno != EEXIST) || (mkdir("/var/lib", 0755) && errno != EEXIST) ||
	    (mkdir(BRIG_RECORD_DIR, 0700) && errno != EEXIST) || mkdir(dir, 0700))
		return brig_error_make(err, errno, "making `%s`", dir);
	brig_record_path(path, sizeof(path), name, "log");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return brig_error_make(err, errno, "opening `%s`", path);
	return fd;
}

int brig_record_save(const struct brig_record *r, struct brig_error **err)
{
	json_object *o brig_cleanup_json = json_object_new_object();
	char path[PATH_MAX], tmp[PATH_MAX];
	const char *text;
	int fd brig_cleanup_close = -1;

	json_object_object_add(o, "name", json_object_new_string(r->name));
	json_object_object_add(o, "id", json_object_new_int64(r->id));
	json_object_object_add(o, "policy", json_object_new_string(r->source));
	json_object_object_add(o, "command", json_object_new_string(r->command));
	json_object_object_add(o, "started", json_object_new_int64(r->started));
	if (r->exited) {
		json_object_object_add(o, "finished", json_object_new_int64(r->finished));
		json_object_object_add(o, "exit_code", json_object_new_int(r->exit_code));
	}
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	brig_record_path(path, sizeof(path), r->name, "record.json");
	brig_record_path(tmp, sizeof(tmp), r->name, "record.json.new");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || fsync(fd) ||
	    rename(tmp, path)) {
		brig_error_make(err, errno, "writing `%s`", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void copy_field(json_object *o, const char *key, char *buf, size_t len)
{
	json_object *v;

	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		snprintf(buf, len, "%s", json_object_get_string(v));
}

int brig_record_load(const char *name, struct brig_record *r, struct brig_error **err)
{
	json_object *o brig_cleanup_json = NULL, *v;
	char path[PATH_MAX];

	memset(r, 0, sizeof(*r));
	brig_record_path(path, sizeof(path), name, "record.json");
	if (!brig_pol_name_valid(name) || access(path, F_OK)) {
		errno = ENOENT;
		return -1;
	}
	o = json_object_from_file(path);
	if (!o || !json_object_is_type(o, json_type_object))
		return brig_error_make(err, EINVAL, "reading `%s`", path);
	snprintf(r->name, sizeof(r->name), "%s", name);
	copy_field(o, "policy", r->source, sizeof(r->source));
	copy_field(o, "command", r->command, sizeof(r->command));
	if (json_object_object_get_ex(o, "id", &v))
		r->id = (uint32_t)json_object_get_int64(v);
	if (json_object_object_get_ex(o, "started", &v))
		r->started = json_object_get_int64(v);
	if (json_object_object_get_ex(o, "exit_code", &v)) {
		r->exited = true;
		r->exit_code = json_object_get_int(v);
		if (json_object_object_get_ex(o, "finished", &v))
			r->finished = json_object_get_int64(v);
	}
	errno = 0;
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int brig_record_each(int (*fn)(const struct brig_record *r, void *arg), void *arg,
		     struct brig_error **err)
{
	struct dirent **names = NULL;
	struct brig_record r;
	int n, ret = 0;

	n = scandir(BRIG_RECORD_DIR, &names, NULL, by_name);
	if (n < 0)
		return errno == ENOENT ? 0 : brig_error_make(err, errno, "reading `%s`", BRIG_RECORD_DIR);
	for (int i = 0; i < n; i++) {
		if (!ret && !brig_record_load(names[i]->d_name, &r, NULL))
			ret = fn(&r, arg);
		free(names[i]);
	}
	free(names);
	return ret;
}

int brig_record_remove(const char *name, struct brig_error **err)
{
	char dir[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int fd;

	if (!brig_pol_name_valid(name))
		return brig_error_make(err, EINVAL, "`%s` is no container name", name);
	brig_record_path(dir, sizeof(dir), name, NULL);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return errno == ENOENT ? 0 : brig_error_make(err, errno, "opening `%s`", dir);
	}
	/* Only files: launch makes no folder in it. */
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) && errno != ENOENT) {
			brig_error_make(err, errno, "removing `%s/%s`", dir, e->d_name);
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	if (rmdir(dir) && errno != ENOENT)
		return brig_error_make(err, errno, "removing `%s`", dir);
	return 0;
}

void brig_record_set_command(struct brig_record *r, char *const argv[])
{
	size_t n = 0;

	r->command[0] = '\0';
	for (size_t i = 0; argv && argv[i] && n < sizeof(r->command) - 1; i++)
		n += snprintf(r->command + n, sizeof(r->command) - n, "%s%s", i ? " " : "", argv[i]);
}
