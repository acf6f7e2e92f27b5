// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled seccomp filters, kept by what they were compiled from, as crun
 * keeps its own: libseccomp takes most of a container's start on Docker's
 * profile, and the same profile, capabilities and kernel give the same
 * program every time.
 *
 * An entry is BRIG_RUN_DIR/.seccomp/HASH.bpf, root's, in a directory only
 * root may write: the whole key (every input of the compile, serialized),
 * the warnings the compile printed, then the program. The hash only names
 * the file; an entry counts only when its key is byte for byte ours, so a
 * collision costs a compile, never another profile's filter. Anything
 * wrong with the directory or an entry (owner, mode, size, format) also
 * means a compile: the cache can make a start slower, never weaker.
 *
 * The compiler is in the key too: brig's (a hash of its sources, made at
 * build time) and libseccomp's (the very file mapped, not its version
 * alone, which a distribution's fix leaves as it is), so no upgrade of
 * either is ever served a filter the old one compiled. Entries past
 * CACHE_ENTRIES_MAX go, the oldest first: /run is memory.
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

#include "cleanup.h"
#include "record.h"
#include "seccomp.h"

/* Dotted: no container name (state.c's folders beside it) can be it. */
#define CACHE_DIR	BRIG_RUN_DIR "/.seccomp"
/* Bump when an entry's layout changes. */
#define CACHE_FORMAT	2
#define CACHE_MAGIC	"brig-seccomp-cache"
/* An entry larger than this is not ours. */
#define CACHE_ENTRY_MAX	(4U << 20)
/* Files kept in the directory: profiles x capability sets in use. */
#define CACHE_ENTRIES_MAX	64
/* The Makefile's hash of what compiles a filter (seccomp.c, seccomp_stub.c, seccomp.h). */
#ifndef BRIG_SC_COMPILER
#error "BRIG_SC_COMPILER: the Makefile defines it"
#endif

static void put_u64(FILE *f, uint64_t v)
{
	fwrite(&v, sizeof(v), 1, f);
}

/* Length first, so that no two different lists of strings serialize alike. */
static void put_str(FILE *f, const char *s)
{
	if (!s) {
		put_u64(f, UINT64_MAX);
		return;
	}
	put_u64(f, strlen(s));
	fputs(s, f);
}

/*
 * The libseccomp this process runs: the file mapped where its version
 * structure is (its data, never a copy in the executable), by device,
 * inode, size and change time as /proc/self/map_files gives them. Not its
 * path: on an overlay the path is the overlay's and the mapping the layer's.
 */
static int libseccomp_identity(struct stat *st)
{
	FILE *maps brig_cleanup_fclose = fopen("/proc/self/maps", "re");
	uintptr_t at = (uintptr_t)seccomp_version();
	unsigned long long start, end;
	char line[512], mapped[64];

	if (!maps)
		return -1;
	while (fgets(line, sizeof(line), maps))
		if (sscanf(line, "%llx-%llx", &start, &end) == 2 && at >= start && at < end) {
			snprintf(mapped, sizeof(mapped), "/proc/self/map_files/%llx-%llx", start, end);
			return stat(mapped, st) || !S_ISREG(st->st_mode) ? -1 : 0;
		}
	return -1;
}

/* Every input of brig_sc_build() and brig_sc_export(), and both compilers. */
static int cache_key(const struct brig_sc_profile *profile, uint64_t caps, unsigned int kernel,
		     char **key, size_t *len)
{
	const struct scmp_version *v = seccomp_version();
	struct stat lib;
	FILE *f;
	size_t i, j;

	if (libseccomp_identity(&lib))
		return -1;
	f = open_memstream(key, len);
	if (!f)
		return -1;
	put_str(f, CACHE_MAGIC);
	put_u64(f, CACHE_FORMAT);
	put_str(f, BRIG_SC_COMPILER);
	put_u64(f, (uint64_t)v->major << 32 | v->minor << 16 | v->micro);
	put_u64(f, lib.st_dev);
	put_u64(f, lib.st_ino);
	put_u64(f, lib.st_size);
	put_u64(f, lib.st_ctim.tv_sec);
	put_u64(f, lib.st_ctim.tv_nsec);
	put_u64(f, seccomp_arch_native());
	put_u64(f, kernel);
	put_u64(f, caps);
	put_u64(f, profile->default_action);
	put_u64(f, (uint64_t)(int64_t)profile->default_errno);
	put_u64(f, profile->flags);
	put_u64(f, profile->n_arch_map);
	for (i = 0; i < profile->n_arch_map; i++) {
		put_str(f, profile->arch_map[i].arch);
		put_str(f, profile->arch_map[i].sub);
	}
	put_u64(f, profile->n_rules);
	for (i = 0; i < profile->n_rules; i++) {
		const struct brig_sc_rule *r = &profile->rules[i];

		put_str(f, r->names);
		put_u64(f, r->action);
		put_u64(f, (uint64_t)(int64_t)r->errno_ret);
		put_u64(f, r->n_args);
		for (j = 0; j < r->n_args && j < 6; j++) {
			put_u64(f, r->args[j].index);
			put_u64(f, r->args[j].value);
			put_u64(f, r->args[j].value_two);
			put_u64(f, r->args[j].op);
		}
		put_u64(f, r->caps_in);
		put_u64(f, r->caps_out);
		put_str(f, r->arches_in);
		put_str(f, r->arches_out);
		put_u64(f, r->min_kernel);
	}
	return fclose(f) ? -1 : 0;
}

/* FNV-1a: a file name, not a check (the key is compared whole). */
static uint64_t name_hash(const char *key, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--)
		h = (h ^ (unsigned char)*key++) * 0x100000001b3ULL;
	return h;
}

/* The cache's directory @path, made if need be, if it is root's alone. */
static int open_dir(const char *path)
{
	struct stat st;
	int fd;

	if (geteuid() != 0)
		return -1;
	mkdir(path, 0700);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_uid != 0 || (st.st_mode & 077)) {
		close(fd);
		return -1;
	}
	return fd;
}

struct entry_header {
	uint64_t key_len, warn_len, prog_len;
};

/* The program stored for @key, and the warnings its compile printed. */
static int cache_read(int dir, const char *name, const char *key, size_t key_len,
		      struct sock_fprog *prog, char **warn)
{
	int fd brig_cleanup_close = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char *buf brig_cleanup_free = NULL;
	struct entry_header h;
	struct stat st;
	size_t off = sizeof(h);

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022) || st.st_size < (off_t)sizeof(h) || st.st_size > CACHE_ENTRY_MAX)
		return -1;
	buf = malloc(st.st_size);
	if (!buf || pread(fd, buf, st.st_size, 0) != st.st_size)
		return -1;
	memcpy(&h, buf, sizeof(h));
	if (h.key_len != key_len || h.warn_len > CACHE_ENTRY_MAX || h.prog_len == 0 ||
	    h.prog_len > BPF_MAXINSNS ||
	    off + h.key_len + h.warn_len + h.prog_len * sizeof(struct sock_filter) !=
	    (size_t)st.st_size || memcmp(buf + off, key, key_len))
		return -1;
	off += key_len;
	*warn = strndup(buf + off, h.warn_len);
	prog->filter = malloc(h.prog_len * sizeof(struct sock_filter));
	if (!*warn || !prog->filter) {
		free(*warn);
		*warn = NULL;
		free(prog->filter);
		prog->filter = NULL;
		return -1;
	}
	memcpy(prog->filter, buf + off + h.warn_len, h.prog_len * sizeof(struct sock_filter));
	prog->len = h.prog_len;
	return 0;
}

/* Below CACHE_ENTRIES_MAX files, one free: the oldest go first. */
static void make_room(int dir)
{
	int fd = dup(dir);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	char oldest[NAME_MAX + 1];
	struct timespec when = { 0 };
	struct dirent *e;
	size_t n = 0;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    fstatat(dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (!n++ || st.st_mtim.tv_sec < when.tv_sec ||
		    (st.st_mtim.tv_sec == when.tv_sec && st.st_mtim.tv_nsec < when.tv_nsec)) {
			when = st.st_mtim;
			snprintf(oldest, sizeof(oldest), "%s", e->d_name);
		}
	}
	closedir(d);
	/* One out per entry written keeps the count where it is. */
	if (n >= CACHE_ENTRIES_MAX)
		unlinkat(dir, oldest, 0);
}

/* Stores an entry whole or not at all: written aside, then renamed. */
static void cache_write(int dir, const char *name, const char *key, size_t key_len,
			const struct sock_fprog *prog, const char *warn)
{
	struct entry_header h = { key_len, strlen(warn), prog->len };
	char tmp[64];
	int fd;
	bool ok;

	snprintf(tmp, sizeof(tmp), ".%s.%d", name, getpid());
	fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	ok = write(fd, &h, sizeof(h)) == sizeof(h) &&
	     write(fd, key, key_len) == (ssize_t)key_len &&
	     write(fd, warn, h.warn_len) == (ssize_t)h.warn_len &&
	     write(fd, prog->filter, prog->len * sizeof(struct sock_filter)) ==
	     (ssize_t)(prog->len * sizeof(struct sock_filter));
	if (close(fd) || !ok || renameat(dir, tmp, dir, name))
		unlinkat(dir, tmp, 0);
}

static int compile(const struct brig_sc_profile *profile, uint64_t caps, unsigned int kernel,
		   FILE *warn, struct sock_fprog *prog, struct brig_error **err)
{
	scmp_filter_ctx ctx brig_cleanup_seccomp = NULL;

	return brig_sc_build(profile, caps, kernel, warn, &ctx, err) ||
	       brig_sc_export(ctx, profile, prog, err) ? -1 : 0;
}

int brig_sc_compile_cached(const char *cache, const struct brig_sc_profile *profile,
			   uint64_t caps, unsigned int kernel, FILE *warn,
			   struct sock_fprog *prog, struct brig_error **err)
{
	char *key brig_cleanup_free = NULL, *warned brig_cleanup_free = NULL;
	int dir brig_cleanup_close = open_dir(cache);
	size_t key_len = 0, warned_len = 0;
	char name[32];
	int failed;
	FILE *out;

	if (dir < 0 || cache_key(profile, caps, kernel, &key, &key_len))
		return compile(profile, caps, kernel, warn, prog, err);
	snprintf(name, sizeof(name), "%016llx.bpf", (unsigned long long)name_hash(key, key_len));
	if (!cache_read(dir, name, key, key_len, prog, &warned)) {
		if (warn)
			fputs(warned, warn);
		return 0;
	}
	/* Warnings are kept with the program: a start from the cache says them too. */
	out = open_memstream(&warned, &warned_len);
	if (!out)
		return compile(profile, caps, kernel, warn, prog, err);
	failed = compile(profile, caps, kernel, out, prog, err);
	if (fclose(out))
		return failed;
	if (warn)
		fputs(warned, warn);
	if (!failed) {
		make_room(dir);
		cache_write(dir, name, key, key_len, prog, warned);
	}
	return failed;
}

int brig_sc_compile(const struct brig_sc_profile *profile, uint64_t caps, unsigned int kernel,
		    FILE *warn, struct sock_fprog *prog, struct brig_error **err)
{
	mkdir(BRIG_RUN_DIR, 0700);	/* state.c's mode: the names in it are root's */
	return brig_sc_compile_cached(CACHE_DIR, profile, caps, kernel, warn, prog, err);
}
