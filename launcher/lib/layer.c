// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: the layer cache (layer.h). libarchive reads the blob twice over:
 * an outer reader undoes the compression (format "raw"), an inner one reads
 * the tar it yields, and each hashes what passes through it (the blob's
 * digest, the diff_id). Entries are written by archive_write_disk with all
 * its SECURE_ checks (no absolute name, no "..", nothing through a symbolic
 * link), owners as numbers, never looked up in this machine's passwd.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <linux/openat2.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "cleanup.h"
#include "layer.h"
#include "record.h"
#include "sig.h"
#include "spec.h"

#define WHITEOUT ".wh."
#define OPAQUE ".wh..wh..opq"
#define OPAQUE_XATTR "trusted.overlay.opaque"
#define TMP_PREFIX ".tmp-"
#define BLOCK (64 << 10)
/* Directories deep a name may be, and entries a layer may have: bounds on the
 * work a malformed layer makes (and on what removing it takes). */
#define DEPTH_MAX 128
#define ENTRIES_MAX (1 << 20)

const char *brig_layer_cache_dir(void)
{
	const char *dir = getenv("BRIG_LAYER_CACHE");

	return dir && *dir ? dir : BRIG_LAYER_CACHE;
}

static void md_freep(EVP_MD_CTX **md)
{
	EVP_MD_CTX_free(*md);
	*md = NULL;
}

static void archive_freep(struct archive **a)
{
	if (*a)
		archive_free(*a);
	*a = NULL;
}

#define cleanup_md __attribute__((cleanup(md_freep)))
#define cleanup_archive __attribute__((cleanup(archive_freep)))

static EVP_MD_CTX *md_new(void)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	if (md && !EVP_DigestInit_ex(md, EVP_sha256(), NULL))
		md_freep(&md);
	return md;
}

/* "sha256:HEX" of what @md has hashed. */
static void md_digest(EVP_MD_CTX *md, char out[72])
{
	unsigned char sum[32];
	unsigned int n = 0;

	EVP_DigestFinal_ex(md, sum, &n);
	memcpy(out, "sha256:", 7);
	for (unsigned int i = 0; i < 32; i++)
		sprintf(out + 7 + 2 * i, "%02x", sum[i]);
}

/* Removes @name in @dir and, if it is a directory, all below it. */
static int remove_tree(int dir, const char *name)
{
	int fd brig_cleanup_close = -1;
	DIR *d;
	struct dirent *e;
	int ret = 0;

	if (!unlinkat(dir, name, 0) || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (!d)
		return -1;
	fd = -1;	/* the DIR has it */
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    remove_tree(dirfd(d), e->d_name))
			ret = -1;
	}
	closedir(d);
	return ret ? ret : unlinkat(dir, name, AT_REMOVEDIR);
}

/*
 * The cache's .tmp-* left by an unpack that did not finish (the lock is
 * held). One that cannot go stays: it has no layer's name, and is no
 * reason to refuse the next.
 */
static int remove_leftovers(int cache, struct brig_error **err)
{
	int fd = openat(cache, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return brig_error_make(err, errno, "reading the layer cache");
	}
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)))
			remove_tree(cache, e->d_name);
	closedir(d);
	return 0;
}

/* Opens the cache @path, made if missing, and takes its lock (*@lock). */
static int cache_open(const char *path, int *lock, struct brig_error **err)
{
	static const char *const parents[] = { "/var", "/var/lib", BRIG_RECORD_DIR };
	int fd;

	if (!strcmp(path, BRIG_LAYER_CACHE))
		for (size_t i = 0; i < sizeof(parents) / sizeof(parents[0]); i++)
			if (mkdir(parents[i], i < 2 ? 0755 : 0700) && errno != EEXIST)
				return brig_error_make(err, errno, "making %s", parents[i]);
	if (mkdir(path, 0700) && errno != EEXIST)
		return brig_error_make(err, errno, "making the layer cache %s", path);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return brig_error_make(err, errno, "the layer cache %s", path);
	if ((mkdirat(fd, "sha256", 0700) && errno != EEXIST) ||
	    (*lock = openat(fd, ".lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 ||
	    flock(*lock, LOCK_EX)) {
		brig_error_make(err, errno, "the layer cache %s", path);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Hashes what is left of @from into @md, adding its length to *@n, and
 * copies it to @to (-1: nowhere).
 */
static int copy_hashed(int from, int to, EVP_MD_CTX *md, int64_t *n)
{
	unsigned char buf[BLOCK];
	ssize_t got;

	while ((got = read(from, buf, sizeof(buf))) > 0) {
		EVP_DigestUpdate(md, buf, got);
		if (to >= 0 && write(to, buf, got) != got)
			return -1;
		*n += got;
	}
	return got < 0 ? -1 : 0;
}

/* What the layer's two readers share. */
struct unpack {
	int blob;			/* the blob, read from its start */
	EVP_MD_CTX *blob_md;		/* of every byte of the blob */
	int64_t blob_read;
	struct archive *outer;		/* the blob, decompressed */
	EVP_MD_CTX *tar_md;		/* of every byte of the tar: the diff_id */
	unsigned char buf[BLOCK];
	unsigned char tar_buf[BLOCK];
};

static la_ssize_t read_blob(struct archive *a, void *data, const void **out)
{
	struct unpack *u = data;
	ssize_t got = read(u->blob, u->buf, sizeof(u->buf));

	if (got < 0) {
		archive_set_error(a, errno, "reading the blob");
		return -1;
	}
	EVP_DigestUpdate(u->blob_md, u->buf, got);
	u->blob_read += got;
	*out = u->buf;
	return got;
}

static la_ssize_t read_tar(struct archive *a, void *data, const void **out)
{
	struct unpack *u = data;
	la_ssize_t got = archive_read_data(u->outer, u->tar_buf, sizeof(u->tar_buf));

	if (got < 0) {
		archive_set_error(a, archive_errno(u->outer), "%s", archive_error_string(u->outer));
		return -1;
	}
	EVP_DigestUpdate(u->tar_md, u->tar_buf, got);
	*out = u->tar_buf;
	return got;
}

/*
 * An entry's name as the layer's root sees it: no leading "./" or "/" (a
 * tar's names are relative to the layer's root). NULL for a name with a
 * ".." component, which no layer may have, or more than DEPTH_MAX.
 */
static const char *layer_name(const char *name)
{
	const char *p;

	int depth = 0;

	while (!strncmp(name, "./", 2) || *name == '/')
		name += *name == '/' ? 1 : 2;
	for (p = name; *p; p = strchr(p, '/') ? strchr(p, '/') + 1 : p + strlen(p)) {
		if ((!strncmp(p, "..", 2) && (p[2] == '/' || !p[2])) || ++depth > DEPTH_MAX)
			return NULL;
	}
	return name;
}

/* A whiteout met in the tar, made once every entry is written. */
struct whiteout {
	char *parent;		/* the directory, below the layer's root ("" for it) */
	char *name;		/* NULL: the directory is opaque */
};

/*
 * Opens the directory @path below @root, made with its parents where missing
 * (0755, owned by @owner: the layer's root, as the image's own parents are).
 */
struct owner {
	uid_t uid;
	gid_t gid;
};

static int make_dir(int dir, const char *name, const struct owner *owner)
{
	if (mkdirat(dir, name, 0755))
		return errno == EEXIST ? 0 : -1;
	return fchownat(dir, name, owner->uid, owner->gid, AT_SYMLINK_NOFOLLOW);
}

static int open_dir_beneath(int root, const char *path, const struct owner *owner)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	char *copy brig_cleanup_free = NULL;
	char *slash;
	int fd;

	fd = syscall(SYS_openat2, root, *path ? path : ".", &how, sizeof(how));
	if (fd >= 0 || errno != ENOENT)
		return fd;
	copy = strdup(path);
	if (!copy)
		return -1;
	slash = strrchr(copy, '/');
	if (slash) {
		int parent brig_cleanup_close = -1;

		*slash = '\0';
		parent = open_dir_beneath(root, copy, owner);
		if (parent < 0 || make_dir(parent, slash + 1, owner))
			return -1;
	} else if (make_dir(root, copy, owner)) {
		return -1;
	}
	return syscall(SYS_openat2, root, path, &how, sizeof(how));
}

/*
 * Makes @w in overlayfs's form. A whiteout for a name this layer has
 * itself hides nothing of it (image-spec: whiteouts apply to lower layers).
 */
static int make_whiteout(int root, const struct whiteout *w, const struct owner *owner)
{
	int dir brig_cleanup_close = open_dir_beneath(root, w->parent, owner);

	if (dir < 0)
		return -1;
	if (!w->name)
		return fsetxattr(dir, OPAQUE_XATTR, "y", 1, 0);
	if (mknodat(dir, w->name, S_IFCHR | 0, makedev(0, 0)) && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * Records @name's whiteout in @list (*@n of them), if it is one: 1 if so,
 * 0 if not, -1 on ENOMEM or a malformed one.
 */
static int whiteout_of(const char *entry, struct whiteout **list, size_t *n)
{
	size_t len = strlen(entry);
	char *name brig_cleanup_free = NULL;
	const char *slash, *base, *hidden;
	struct whiteout w, *grown;
	bool opaque;

	while (len && entry[len - 1] == '/')
		len--;		/* a directory's "NAME/" */
	name = strndup(entry, len);
	if (!name)
		return -1;
	slash = strrchr(name, '/');
	base = slash ? slash + 1 : name;
	if (strncmp(base, WHITEOUT, strlen(WHITEOUT)))
		return 0;
	hidden = base + strlen(WHITEOUT);
	opaque = !strcmp(base, OPAQUE);
	if (!opaque && !strncmp(hidden, WHITEOUT, strlen(WHITEOUT)))
		return 1;	/* aufs's own (.wh..wh.plnk and such): nothing to make */
	if (!opaque && (!*hidden || !strcmp(hidden, ".") || !strcmp(hidden, ".."))) {
		errno = EINVAL;
		return -1;
	}
	grown = reallocarray(*list, *n + 1, sizeof(**list));
	if (!grown)
		return -1;
	*list = grown;
	w.parent = strndup(name, slash ? (size_t)(slash - name) : 0);
	w.name = opaque ? NULL : strdup(hidden);
	if (!w.parent || (!opaque && !w.name)) {
		free(w.parent);
		free(w.name);
		errno = ENOMEM;
		return -1;
	}
	(*list)[(*n)++] = w;
	return 1;
}

/*
 * Keeps only the xattrs a container could have set itself or that the
 * image's files carry by right: user.* and security.capability (file
 * capabilities, which brig.ko's mask bounds). trusted.overlay.* and
 * user.overlay.* would steer the overlay (a redirect, an opaque directory),
 * other security.* belong to this host's LSMs.
 */
static int filter_xattrs(struct archive_entry *e)
{
	struct kept {
		char *name;
		void *value;
		size_t size;
	} kept[64];
	size_t n = 0, i;
	const char *name;
	const void *value;
	size_t size;
	int ret = 0;

	if (!archive_entry_xattr_reset(e))
		return 0;
	while (!archive_entry_xattr_next(e, &name, &value, &size)) {
		if ((strncmp(name, "user.", 5) && strcmp(name, "security.capability")) ||
		    !strncmp(name, "user.overlay.", 13))
			continue;
		if (n == sizeof(kept) / sizeof(kept[0])) {
			errno = E2BIG;
			ret = -1;
			break;
		}
		kept[n].name = strdup(name);
		kept[n].value = malloc(size ? size : 1);
		if (!kept[n].name || !kept[n].value) {
			free(kept[n].name);
			free(kept[n].value);
			errno = ENOMEM;
			ret = -1;
			break;
		}
		memcpy(kept[n].value, value, size);
		kept[n++].size = size;
	}
	archive_entry_xattr_clear(e);
	for (i = 0; i < n; i++) {
		if (!ret)
			archive_entry_xattr_add_entry(e, kept[i].name, kept[i].value, kept[i].size);
		free(kept[i].name);
		free(kept[i].value);
	}
	return ret;
}

/* @id through @map (@n ranges); false if no range holds it. */
static bool map_id(const struct brig_idmap *map, size_t n, la_int64_t id, la_int64_t *out)
{
	for (size_t i = 0; i < n; i++) {
		if (id >= map[i].inside && id - map[i].inside < map[i].count) {
			*out = map[i].outside + (id - map[i].inside);
			return true;
		}
	}
	return false;
}

/* @e's owner shifted through @owners (NULL: kept). */
static int shift_owner(struct archive_entry *e, const struct brig_layer_owners *owners,
		       struct brig_error **err)
{
	la_int64_t uid, gid;

	if (!owners)
		return 0;
	if (!map_id(owners->uid, owners->n_uid, archive_entry_uid(e), &uid) ||
	    !map_id(owners->gid, owners->n_gid, archive_entry_gid(e), &gid))
		return brig_error_make(err, 0, "`%s`: its owner %lld:%lld has no place in the "
				       "container's user namespace maps", archive_entry_pathname(e),
				       (long long)archive_entry_uid(e), (long long)archive_entry_gid(e));
	archive_entry_set_uid(e, uid);
	archive_entry_set_gid(e, gid);
	/* Names would be looked up nowhere, but say nothing they do not mean. */
	archive_entry_set_uname(e, NULL);
	archive_entry_set_gname(e, NULL);
	return 0;
}

static int copy_data(struct archive *in, struct archive *out)
{
	const void *buf;
	size_t size;
	la_int64_t offset;
	int r;

	while ((r = archive_read_data_block(in, &buf, &size, &offset)) == ARCHIVE_OK) {
		if (archive_write_data_block(out, buf, size, offset) < ARCHIVE_WARN)
			return -1;
	}
	return r == ARCHIVE_EOF ? 0 : -1;
}

/* The error of @a, in *err, for the entry @name (NULL: none yet). */
static int archive_failed(struct archive *a, const char *name, struct brig_error **err)
{
	const char *why = archive_error_string(a);

	if (name)
		return brig_error_make(err, 0, "`%s`: %s", name, why ? why : "cannot unpack it");
	return brig_error_make(err, 0, "%s", why ? why : "cannot read it");
}

/* The directories above @name below @root, made where missing. */
static int make_parents(int root, const char *name, const struct owner *owner)
{
	const char *slash = strrchr(name, '/');
	char *parent brig_cleanup_free = NULL;
	int fd;

	while (slash && slash > name && slash[1] == '\0')	/* a directory's "NAME/" */
		slash = memrchr(name, '/', slash - name);
	if (!slash || slash == name)
		return 0;
	parent = strndup(name, slash - name);
	if (!parent)
		return -1;
	fd = open_dir_beneath(root, parent, owner);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/*
 * A hard link may name only a regular file of the layer, and carry no data
 * of its own: libarchive would chmod (following it) a link to a symbolic
 * link, and so a file anywhere on the host.
 */
static int hard_link_ok(int root, const char *target, struct archive_entry *e, const char *raw,
			struct brig_error **err)
{
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd brig_cleanup_close = -1;
	struct stat st;

	if (archive_entry_size(e) > 0)
		return brig_error_make(err, 0, "`%s`: a hard link with data of its own", raw);
	fd = syscall(SYS_openat2, root, target, &how, sizeof(how));
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode))
		return brig_error_make(err, fd < 0 ? errno : 0,
				       "`%s`: a hard link to `%s`, which is not a file of the layer",
				       raw, target);
	return 0;
}

/* Every entry of @tar into @root (the current directory is @root). */
static int write_entries(struct archive *tar, int root, const struct brig_layer_owners *owners,
			 struct brig_error **err)
{
	struct archive *disk cleanup_archive = archive_write_disk_new();
	struct whiteout *whiteouts = NULL;
	size_t n_whiteouts = 0, n_entries = 0, i;
	struct owner owner = { 0, 0 };
	struct archive_entry *e;
	la_int64_t id;
	int r, ret = -1;

	if (!disk)
		return brig_error_make(err, ENOMEM, "unpacking");
	/* Parents the tar does not list are the layer's root's, as its own are. */
	if (owners && map_id(owners->uid, owners->n_uid, 0, &id))
		owner.uid = id;
	if (owners && map_id(owners->gid, owners->n_gid, 0, &id))
		owner.gid = id;
	archive_write_disk_set_options(disk, ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM |
				       ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_XATTR |
				       ARCHIVE_EXTRACT_SECURE_SYMLINKS |
				       ARCHIVE_EXTRACT_SECURE_NODOTDOT |
				       ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
	while ((r = archive_read_next_header(tar, &e)) == ARCHIVE_OK) {
		const char *raw = archive_entry_pathname(e), *name = raw ? layer_name(raw) : NULL;
		const char *link = archive_entry_hardlink(e);
		int w;

		if (++n_entries > ENTRIES_MAX) {
			brig_error_make(err, 0, "more than %d entries", ENTRIES_MAX);
			goto out;
		}
		if (!name || (link && !layer_name(link))) {
			brig_error_make(err, 0, "`%s`: a name that leaves the layer, or %d directories deep",
					raw ? raw : "", DEPTH_MAX);
			goto out;
		}
		w = whiteout_of(name, &whiteouts, &n_whiteouts);
		if (w < 0) {
			brig_error_make(err, errno == ENOMEM ? ENOMEM : 0, "`%s`: a whiteout of no name", raw);
			goto out;
		}
		if (w)
			continue;
		if (filter_xattrs(e)) {
			brig_error_make(err, errno, "`%s`: its extended attributes", raw);
			goto out;
		}
		if (shift_owner(e, owners, err))
			goto out;
		archive_entry_set_pathname(e, *name ? name : ".");
		if (link && hard_link_ok(root, layer_name(link), e, raw, err))
			goto out;
		if (link)
			archive_entry_set_hardlink(e, layer_name(link));
		if (make_parents(root, name, &owner)) {
			brig_error_make(err, errno, "`%s`: its directory", raw);
			goto out;
		}
		if (archive_write_header(disk, e) < ARCHIVE_WARN ||
		    (archive_entry_size(e) > 0 && copy_data(tar, disk)) ||
		    archive_write_finish_entry(disk) < ARCHIVE_WARN) {
			archive_failed(archive_errno(disk) || archive_error_string(disk) ? disk : tar,
				       raw, err);
			goto out;
		}
	}
	if (r != ARCHIVE_EOF) {
		archive_failed(tar, NULL, err);
		goto out;
	}
	if (archive_write_close(disk) < ARCHIVE_WARN) {
		archive_failed(disk, NULL, err);
		goto out;
	}
	for (i = 0; i < n_whiteouts; i++) {
		if (make_whiteout(root, &whiteouts[i], &owner)) {
			brig_error_make(err, errno, "the whiteout of `%s%s%s`", whiteouts[i].parent,
					*whiteouts[i].parent ? "/" : "",
					whiteouts[i].name ? whiteouts[i].name : "(opaque)");
			goto out;
		}
	}
	ret = 0;
out:
	for (i = 0; i < n_whiteouts; i++) {
		free(whiteouts[i].parent);
		free(whiteouts[i].name);
	}
	free(whiteouts);
	return ret;
}

static const struct {
	int code;
	int (*support)(struct archive *);
	const char *name;
} filters[] = {
	[BRIG_LAYER_TAR] = { ARCHIVE_FILTER_NONE, NULL, "tar" },
	[BRIG_LAYER_GZIP] = { ARCHIVE_FILTER_GZIP, archive_read_support_filter_gzip, "gzip" },
	[BRIG_LAYER_ZSTD] = { ARCHIVE_FILTER_ZSTD, archive_read_support_filter_zstd, "zstd" },
};

/*
 * Unpacks @desc's blob (@blob, at its start) into @root, the diff_id of
 * what it held in @diff_id, the blob's digest in @digest.
 */
static int unpack_blob(const struct brig_descriptor *desc, int blob, int root,
		       const struct brig_layer_owners *owners, char diff_id[72], char digest[72],
		       struct brig_error **err)
{
	struct archive *outer cleanup_archive = archive_read_new();
	struct archive *tar cleanup_archive = archive_read_new();
	EVP_MD_CTX *blob_md cleanup_md = md_new(), *tar_md cleanup_md = md_new();
	struct unpack *u brig_cleanup_free = calloc(1, sizeof(*u));
	int here brig_cleanup_close = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct archive_entry *raw;
	int ret;

	if (!outer || !tar || !blob_md || !tar_md || !u)
		return brig_error_make(err, ENOMEM, "unpacking");
	if (here < 0)
		return brig_error_make(err, errno, "the current directory");
	*u = (struct unpack){ .blob = blob, .blob_md = blob_md, .outer = outer, .tar_md = tar_md };
	if ((filters[desc->compression].support && filters[desc->compression].support(outer)) ||
	    archive_read_support_format_raw(outer) ||
	    archive_read_open(outer, u, NULL, read_blob, NULL) ||
	    archive_read_next_header(outer, &raw))
		return archive_failed(outer, NULL, err);
	if (archive_filter_code(outer, 0) != filters[desc->compression].code)
		return brig_error_make(err, 0, "its media type says %s, and it is not",
				       filters[desc->compression].name);
	if (archive_read_support_format_tar(tar) || archive_read_open(tar, u, NULL, read_tar, NULL))
		return archive_failed(tar, NULL, err);
	if (fchdir(root))
		return brig_error_make(err, errno, "the layer's directory");
	ret = write_entries(tar, root, owners, err);
	if (fchdir(here) && !ret)
		ret = brig_error_make(err, errno, "the directory it was unpacked from");
	if (ret)
		return -1;
	/* What follows the tar's end (its padding) is in the diff_id too. */
	for (la_ssize_t got; (got = read_tar(tar, u, &(const void *){ NULL })) > 0;)
		;
	if (copy_hashed(blob, -1, blob_md, &u->blob_read))
		return brig_error_make(err, errno, "reading the blob");
	if (u->blob_read != desc->size)
		return brig_error_make(err, 0, "its blob changed while it was unpacked");
	md_digest(tar_md, diff_id);
	md_digest(blob_md, digest);
	return 0;
}

/* Opens the blob @path of @desc: a regular file of its size. */
static int open_blob(const char *path, const struct brig_descriptor *desc, struct brig_error **err)
{
	struct stat st;
	int fd;

	/* O_NONBLOCK: a FIFO in its place is refused, not waited on. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return brig_error_make(err, errno, "%s", path);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		brig_error_make(err, errno, "%s: not a file", path);
		close(fd);
		return -1;
	}
	if (st.st_size != desc->size) {
		brig_error_make(err, 0, "its blob is %lld bytes, not %lld as the manifest says",
				(long long)st.st_size, (long long)desc->size);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Layer @i's blob is its descriptor's, copied as it is hashed to @copy
 * (-1: nowhere). Checked for every layer before any is unpacked, so a
 * refused image leaves nothing new in the cache.
 */
static int check_blob(const struct brig_image *img, size_t i, int copy, struct brig_error **err)
{
	const struct brig_descriptor *desc = &img->layers[i];
	EVP_MD_CTX *md cleanup_md = md_new();
	int fd brig_cleanup_close = -1;
	char path[4096], digest[72];
	int64_t n = 0;

	if (!md)
		return brig_error_make(err, ENOMEM, "checking");
	if (brig_image_blob_path(img, desc, path, sizeof(path), err))
		return -1;
	fd = open_blob(path, desc, err);
	if (fd < 0)
		return -1;
	if (copy_hashed(fd, copy, md, &n))
		return brig_error_make(err, errno, "%s", path);
	md_digest(md, digest);
	if (n != desc->size || strcmp(digest, desc->digest))
		return brig_error_make(err, 0, "its blob's digest is %s, not the manifest's", digest);
	return 0;
}

/* Whether the cache holds @name (sha256/...), a whole layer. */
static bool in_cache(int cache, const char *name)
{
	struct stat st;

	return !fstatat(cache, name, &st, AT_SYMLINK_NOFOLLOW) && S_ISDIR(st.st_mode);
}

/*
 * Unpacks layer @i of @img into the cache @cache (locked), unless it is
 * there: its blob checked whole first, unpacked into .tmp-HEX-PID, checked
 * again, renamed into sha256/HEX.
 */
static int unpack_layer(const struct brig_image *img, size_t i, int cache,
			const struct brig_layer_owners *owners, const char *final,
			struct brig_error **err)
{
	const struct brig_descriptor *desc = &img->layers[i];
	const char *hex = desc->digest + 7;
	char tmp[128], digest[72], diff_id[72];
	int blob brig_cleanup_close = -1, root brig_cleanup_close = -1;

	if (in_cache(cache, final))
		return 0;
	/*
	 * The blob copied once, as it is hashed, into a file only this process
	 * has: what is unpacked is what was checked, whoever may write the
	 * layout meanwhile.
	 */
	blob = openat(cache, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (blob < 0)
		return brig_error_make(err, errno, "a private copy of the blob in the layer cache");
	if (check_blob(img, i, blob, err))
		return -1;
	if (lseek(blob, 0, SEEK_SET))
		return brig_error_make(err, errno, "the copy of the blob");

	snprintf(tmp, sizeof(tmp), TMP_PREFIX "%s-%d", hex, (int)getpid());
	if (mkdirat(cache, tmp, 0755) ||
	    (root = openat(cache, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return brig_error_make(err, errno, "making %s in the layer cache", tmp);
	if (unpack_blob(desc, blob, root, owners, diff_id, digest, err))
		goto fail;
	if (strcmp(digest, desc->digest)) {
		brig_error_make(err, 0, "its blob changed while it was unpacked");
		goto fail;
	}
	if (strcmp(diff_id, img->diff_ids[i])) {
		brig_error_make(err, 0, "what it holds has the digest %s, not the config's diff_id %s",
				diff_id, img->diff_ids[i]);
		goto fail;
	}
	/* On disk before it has the name that says it is whole. */
	if (syncfs(root) || renameat(cache, tmp, cache, final)) {
		brig_error_make(err, errno, "putting the layer in the cache");
		goto fail;
	}
	return 0;
fail:
	remove_tree(cache, tmp);
	return -1;
}

/* sha256/HEX, or sha256/HEX.MAPS for @owners (layer.h). */
static int layer_name_in_cache(const struct brig_descriptor *desc,
			       const struct brig_layer_owners *owners, char out[96],
			       struct brig_error **err)
{
	char maps[2 * BRIG_IDMAP_MAX * 40] = "", digest[72];
	size_t n = 0;

	snprintf(out, 96, "sha256/%s", desc->digest + 7);
	if (!owners)
		return 0;
	for (size_t i = 0; i < owners->n_uid; i++)
		n += snprintf(maps + n, sizeof(maps) - n, "u %u %u %u\n", owners->uid[i].inside,
			      owners->uid[i].outside, owners->uid[i].count);
	for (size_t i = 0; i < owners->n_gid; i++)
		n += snprintf(maps + n, sizeof(maps) - n, "g %u %u %u\n", owners->gid[i].inside,
			      owners->gid[i].outside, owners->gid[i].count);
	if (brig_sha256_digest(maps, n, digest, err))
		return -1;
	snprintf(out, 96, "sha256/%s.%.16s", desc->digest + 7, digest + 7);
	return 0;
}

int brig_layers_unpack(const struct brig_image *img, const char *cache_dir,
		       const struct brig_layer_owners *owners, char ***lowers,
		       struct brig_error **err)
{
	int cache brig_cleanup_close = -1, lock brig_cleanup_close = -1;
	char **list brig_cleanup_strv = NULL;
	char name[96];
	size_t i;

	cache = cache_open(cache_dir, &lock, err);
	if (cache < 0 || remove_leftovers(cache, err))
		return -1;
	list = calloc(img->n_layers + 1, sizeof(*list));
	if (!list)
		return brig_error_make(err, ENOMEM, "unpacking");
	for (i = 0; i < img->n_layers; i++) {
		if (layer_name_in_cache(&img->layers[i], owners, name, err))
			return -1;
		if (!in_cache(cache, name) && check_blob(img, i, -1, err))
			return brig_error_wrap(err, "layer %zu (%s) of %s", i, img->layers[i].digest,
					       img->layout);
	}
	for (i = 0; i < img->n_layers; i++) {
		if (layer_name_in_cache(&img->layers[i], owners, name, err) ||
		    unpack_layer(img, i, cache, owners, name, err))
			return brig_error_wrap(err, "layer %zu (%s) of %s", i, img->layers[i].digest,
					       img->layout);
		if (asprintf(&list[i], "%s/%s", cache_dir, name) < 0) {
			list[i] = NULL;
			return brig_error_make(err, ENOMEM, "unpacking");
		}
	}
	*lowers = list;
	list = NULL;
	return 0;
}
