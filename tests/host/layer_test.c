// SPDX-License-Identifier: GPL-2.0
/*
 * The layer cache (lib/layer.c): layers made here with libarchive's writer
 * (tar, gzip, zstd), unpacked into a cache of this test's; what lands on
 * disk (owners as numbers, links, xattrs kept and dropped, whiteouts in
 * overlayfs's form); every way a layer is refused, each leaving nothing in
 * the cache; a crash mid-unpack (the unpacker killed) leaving no layer that
 * looks whole, and the next unpack making it whole. Needs root (owners,
 * character devices, trusted.* xattrs); skips otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include <archive.h>
#include <archive_entry.h>

#include "lib/image.h"
#include "lib/layer.h"
#include "lib/sig.h"
#include "lib/spec.h"
#include "tap.h"

static char root[] = "/tmp/brig-layer-test.XXXXXX";
static char layout[600], cache[600];

/* One tar entry: 'f' file, 'd' directory, 'l' symbolic link, 'h' hard link. */
struct ent {
	const char *path;
	char type;
	const char *data;	/* a file's content; a link's target */
	mode_t mode;
	uid_t uid;
	const char *xattr;	/* NAME=VALUE, or NULL */
};

#define TAR_MAX (32 << 20)

/* The tar of @ents through @compression, in @buf; its length. */
static size_t make_tar(const struct ent *ents, size_t n, enum brig_layer_compression compression,
		       unsigned char *buf)
{
	struct archive *a = archive_write_new();
	size_t used = 0;

	archive_write_set_format_pax_restricted(a);
	if (compression == BRIG_LAYER_GZIP)
		archive_write_add_filter_gzip(a);
	else if (compression == BRIG_LAYER_ZSTD)
		archive_write_add_filter_zstd(a);
	archive_write_set_bytes_in_last_block(a, 1);
	archive_write_open_memory(a, buf, TAR_MAX, &used);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		const struct ent *t = &ents[i];

		archive_entry_set_pathname(e, t->path);
		archive_entry_set_mtime(e, 1700000000, 0);
		archive_entry_set_uid(e, t->uid);
		archive_entry_set_gid(e, t->uid);
		archive_entry_set_perm(e, t->mode ? t->mode : (t->type == 'd' ? 0755 : 0644));
		switch (t->type) {
		case 'd':
			archive_entry_set_filetype(e, AE_IFDIR);
			break;
		case 'l':
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, t->data);
			break;
		case 'h':
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_hardlink(e, t->data);
			break;
		default:
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_size(e, t->data ? strlen(t->data) : 0);
		}
		if (t->xattr) {
			const char *eq = strchr(t->xattr, '=');
			char name[128];

			snprintf(name, sizeof(name), "%.*s", (int)(eq - t->xattr), t->xattr);
			archive_entry_xattr_add_entry(e, name, eq + 1, strlen(eq + 1));
		}
		archive_write_header(a, e);
		if (t->type == 'f' && t->data)
			archive_write_data(a, t->data, strlen(t->data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return used;
}

static void put_blob(const unsigned char *data, size_t len, char digest[72])
{
	struct brig_error *err = NULL;
	char path[800];
	int fd;

	brig_sha256_digest(data, len, digest, &err);
	brig_error_free(&err);
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", layout, digest + 7);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, data, len) != (ssize_t)len)
			diag("short write of %s", path);
		close(fd);
	}
}

/* A one-layer image of @ents in @img (its strings in @img's own storage). */
struct layer_image {
	struct brig_image img;
	struct brig_descriptor layer;
	char diff_id[72];
	char *diff_ids[2];
};

static void make_layer(struct layer_image *li, const struct ent *ents, size_t n,
		       enum brig_layer_compression compression)
{
	static unsigned char buf[TAR_MAX];
	size_t len;

	memset(li, 0, sizeof(*li));
	len = make_tar(ents, n, BRIG_LAYER_TAR, buf);
	put_blob(buf, len, li->diff_id);
	len = make_tar(ents, n, compression, buf);
	put_blob(buf, len, li->layer.digest);
	li->layer.size = len;
	li->layer.compression = compression;
	li->diff_ids[0] = li->diff_id;
	li->img.layout = layout;
	li->img.layers = &li->layer;
	li->img.n_layers = 1;
	li->img.diff_ids = li->diff_ids;
}

static char *blob_path(const struct layer_image *li, char *buf, size_t len)
{
	snprintf(buf, len, "%s/blobs/sha256/%s", layout, li->layer.digest + 7);
	return buf;
}

/* Unpacks @li (owners shifted through @owners): NULL, and its directory in @dir, or the error. */
static char *unpack_as(const struct layer_image *li, const struct brig_layer_owners *owners,
		       char *dir, size_t len)
{
	struct brig_error *err = NULL;
	char **lowers = NULL;
	char *msg;

	if (!brig_layers_unpack(&li->img, cache, owners, &lowers, &err)) {
		snprintf(dir, len, "%s", lowers[0]);
		brig_strv_free(lowers);
		return NULL;
	}
	msg = strdup(err->msg);
	brig_error_free(&err);
	return msg;
}

/* Entries of the cache other than .lock and sha256/, and in sha256/: how many. */
static int cache_entries(void)
{
	char path[700];
	struct dirent *e;
	int n = 0;
	DIR *d;

	for (int sub = 0; sub < 2; sub++) {
		snprintf(path, sizeof(path), "%s%s", cache, sub ? "/sha256" : "");
		d = opendir(path);
		if (!d)
			continue;
		while ((e = readdir(d)))
			n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
			     (sub || (strcmp(e->d_name, ".lock") && strcmp(e->d_name, "sha256")));
		closedir(d);
	}
	return n;
}

static char *unpack(const struct layer_image *li, char *dir, size_t len)
{
	return unpack_as(li, NULL, dir, len);
}

static bool file_is(const char *dir, const char *name, const char *text, mode_t mode, uid_t uid)
{
	char path[900], got[8192] = "";
	struct stat st;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	n = read(fd, got, sizeof(got) - 1);
	close(fd);
	return n >= 0 && !strcmp(got, text) && (st.st_mode & 07777) == mode && st.st_uid == uid &&
	       st.st_gid == uid;
}

/* @li is refused with @expect, and nothing is left of it in the cache. */
static void refused_layer_as(const char *why, const struct layer_image *li,
			     const struct brig_layer_owners *owners, const char *expect)
{
	int before = cache_entries();
	char dir[700];
	char *msg = unpack_as(li, owners, dir, sizeof(dir));

	ok(msg && strstr(msg, expect) && cache_entries() == before,
	   "refused, nothing left in the cache: %s: %s", why, msg ? msg : "(unpacked)");
	free(msg);
}

static void refused_layer(const char *why, const struct layer_image *li, const char *expect)
{
	refused_layer_as(why, li, NULL, expect);
}

static void good_layers(void)
{
	static const struct ent ents[] = {
		{ "./", 'd', NULL, 0755, 0, NULL },
		{ "./etc/", 'd', NULL, 0755, 0, NULL },
		{ "./etc/hostname", 'f', "brig\n", 0644, 0, NULL },
		{ "./etc/shadow", 'f', "root:*:\n", 0640, 0, NULL },
		{ "./var/www/", 'd', NULL, 0750, 33, NULL },
		{ "./var/www/index.html", 'f', "<h1>hi</h1>\n", 0600, 33, "user.brig=kept" },
		{ "./bin/tool", 'f', "#!/bin/sh\n", 04755, 0, "trusted.overlay.redirect=/etc" },
		{ "./bin/sh", 'l', "/usr/bin/dash", 0777, 0, NULL },
		{ "./bin/tool2", 'h', "bin/tool", 0, 0, NULL },
		{ "/abs", 'f', "relative\n", 0644, 0, NULL },
	};
	static const enum brig_layer_compression kinds[] = {
		BRIG_LAYER_GZIP, BRIG_LAYER_ZSTD, BRIG_LAYER_TAR,
	};
	static const char *const names[] = { "gzip", "zstd", "tar" };

	for (size_t k = 0; k < 3; k++) {
		struct layer_image li;
		char dir[700], path[900], link[64] = "", value[32] = "";
		struct stat a, b;
		char *msg;

		make_layer(&li, ents, sizeof(ents) / sizeof(ents[0]), kinds[k]);
		msg = unpack(&li, dir, sizeof(dir));
		ok(!msg, "a %s layer unpacks%s%s", names[k], msg ? ": " : "", msg ? msg : "");
		free(msg);
		if (k)
			continue;	/* the rest, once */
		ok(strstr(dir, li.layer.digest + 7) && strstr(dir, "/sha256/"),
		   "its directory is named by its blob's digest: %s", dir);
		ok(file_is(dir, "etc/hostname", "brig\n", 0644, 0) &&
		   file_is(dir, "etc/shadow", "root:*:\n", 0640, 0),
		   "files keep their content, mode and owner");
		ok(file_is(dir, "var/www/index.html", "<h1>hi</h1>\n", 0600, 33),
		   "an owner is its number (33), not looked up in this machine's passwd");
		snprintf(path, sizeof(path), "%s/bin/tool", dir);
		ok(!stat(path, &a) && (a.st_mode & 07777) == 04755, "a setuid bit is kept");
		ok(getxattr(path, "trusted.overlay.redirect", value, sizeof(value)) < 0 &&
		   errno == ENODATA, "trusted.overlay.* from the image is dropped (it would steer the overlay)");
		snprintf(path, sizeof(path), "%s/var/www/index.html", dir);
		ok(getxattr(path, "user.brig", value, sizeof(value)) == 4 && !memcmp(value, "kept", 4),
		   "a user.* xattr is kept");
		snprintf(path, sizeof(path), "%s/bin/sh", dir);
		ok(readlink(path, link, sizeof(link) - 1) > 0 && !strcmp(link, "/usr/bin/dash"),
		   "a symbolic link keeps its target (absolute: the container's)");
		snprintf(path, sizeof(path), "%s/bin/tool", dir);
		stat(path, &a);
		snprintf(path, sizeof(path), "%s/bin/tool2", dir);
		ok(!stat(path, &b) && a.st_ino == b.st_ino, "a hard link is one inode");
		ok(file_is(dir, "abs", "relative\n", 0644, 0), "an absolute name is the layer's own");
		snprintf(path, sizeof(path), "%s/marker", dir);
		close(open(path, O_CREAT | O_WRONLY, 0600));
		msg = unpack(&li, dir, sizeof(dir));
		ok(!msg && !access(path, F_OK), "a layer in the cache is not unpacked again");
		free(msg);
	}
}

/* A user namespace's maps: the layer's owners shifted, a copy of its own. */
static void shifted_owners(void)
{
	static const struct ent ents[] = {
		{ "etc/", 'd', NULL, 0755, 0, NULL },
		{ "etc/hostname", 'f', "brig\n", 0644, 0, NULL },
		{ "var/www", 'd', NULL, 0750, 33, NULL },
	};
	static const struct ent far[] = { { "far", 'f', "x", 0644, 70000, NULL } };
	static const struct ent orphan[] = { { "usr/bin/tool", 'f', "x", 0755, 0, NULL } };
	static const struct brig_idmap map = { 0, 100000, 65536 };
	const struct brig_layer_owners owners = { &map, &map, 1, 1 };
	struct layer_image li;
	char plain[700], shifted[700], path[900];
	struct stat st;
	char *msg;

	make_layer(&li, ents, 3, BRIG_LAYER_GZIP);
	msg = unpack(&li, plain, sizeof(plain));
	free(msg);
	msg = unpack_as(&li, &owners, shifted, sizeof(shifted));
	ok(!msg && strcmp(plain, shifted) && strstr(shifted, li.layer.digest + 7),
	   "shifted owners are a copy of their own: %s", msg ? msg : shifted);
	free(msg);
	ok(file_is(shifted, "etc/hostname", "brig\n", 0644, 100000) &&
	   file_is(plain, "etc/hostname", "brig\n", 0644, 0),
	   "the image's root is the map's 100000; the plain copy keeps 0");
	snprintf(path, sizeof(path), "%s/var/www", shifted);
	ok(!stat(path, &st) && st.st_uid == 100033 && st.st_gid == 100033 &&
	   (st.st_mode & 07777) == 0750, "uid 33 is 100033");
	make_layer(&li, orphan, 1, BRIG_LAYER_GZIP);
	msg = unpack_as(&li, &owners, shifted, sizeof(shifted));
	snprintf(path, sizeof(path), "%s/usr/bin", shifted);
	ok(!msg && !stat(path, &st) && st.st_uid == 100000 && (st.st_mode & 07777) == 0755,
	   "a directory the tar does not list is the layer's root's (100000), 0755");
	free(msg);
	make_layer(&li, far, 1, BRIG_LAYER_GZIP);
	refused_layer_as("an owner the map has no place for", &li, &owners, "has no place");
}

static void whiteouts(void)
{
	static const struct ent ents[] = {
		{ "etc/", 'd', NULL, 0755, 0, NULL },
		{ "etc/.wh.passwd", 'f', "", 0, 0, NULL },
		{ "var/", 'd', NULL, 0700, 0, NULL },
		{ "var/.wh..wh..opq", 'f', "", 0, 0, NULL },
		{ "var/new", 'f', "new\n", 0644, 0, NULL },
		{ "deep/er/.wh.gone", 'f', "", 0, 0, NULL },
		{ ".wh..wh.plnk", 'd', NULL, 0700, 0, NULL },
		{ "etc/kept", 'f', "kept\n", 0644, 0, NULL },
		{ "etc/.wh.kept", 'f', "", 0, 0, NULL },
	};
	struct layer_image li;
	char dir[700], path[900], value[8] = "";
	struct stat st;
	char *msg;

	make_layer(&li, ents, sizeof(ents) / sizeof(ents[0]), BRIG_LAYER_GZIP);
	msg = unpack(&li, dir, sizeof(dir));
	ok(!msg, "a layer of whiteouts unpacks%s%s", msg ? ": " : "", msg ? msg : "");
	free(msg);
	snprintf(path, sizeof(path), "%s/etc/passwd", dir);
	ok(!lstat(path, &st) && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0),
	   ".wh.passwd is overlayfs's whiteout: a 0:0 character device passwd");
	snprintf(path, sizeof(path), "%s/etc/.wh.passwd", dir);
	ok(lstat(path, &st) && errno == ENOENT, "the .wh. file itself is not made");
	snprintf(path, sizeof(path), "%s/var", dir);
	ok(getxattr(path, "trusted.overlay.opaque", value, sizeof(value)) == 1 && value[0] == 'y',
	   ".wh..wh..opq makes its directory opaque (trusted.overlay.opaque)");
	ok(file_is(dir, "var/new", "new\n", 0644, 0) && !stat(path, &st) &&
	   (st.st_mode & 07777) == 0700, "an opaque directory keeps its own files and mode");
	snprintf(path, sizeof(path), "%s/deep/er/gone", dir);
	ok(!lstat(path, &st) && S_ISCHR(st.st_mode), "a whiteout in a directory the layer lacks makes it");
	snprintf(path, sizeof(path), "%s/.wh..wh.plnk", dir);
	ok(lstat(path, &st) && errno == ENOENT, "aufs's .wh..wh.plnk is skipped");
	ok(file_is(dir, "etc/kept", "kept\n", 0644, 0),
	   "a whiteout hides nothing of its own layer (image-spec)");
}


static void refused_ents(const char *why, const struct ent *ents, size_t n, const char *expect)
{
	struct layer_image li;

	make_layer(&li, ents, n, BRIG_LAYER_GZIP);
	refused_layer(why, &li, expect);
}

static void each_wrong(void)
{
	static const struct ent base[] = {
		{ "etc/", 'd', NULL, 0755, 0, NULL },
		{ "etc/hostname", 'f', "original\n", 0644, 0, NULL },
	};
	static const struct ent dotdot[] = { { "a/../../escaped", 'f', "x", 0644, 0, NULL } };
	static const struct ent via_link[] = {
		{ "out", 'l', "/tmp", 0777, 0, NULL },
		{ "out/brig-layer-test-escape", 'f', "x", 0644, 0, NULL },
	};
	static const struct ent hard_out[] = { { "h", 'h', "../../etc/passwd", 0, 0, NULL } };
	/* libarchive would chmod h, following s, so the host's file. */
	static const struct ent hard_to_symlink[] = {
		{ "s", 'l', "/tmp/brig-layer-test-victim", 0777, 0, NULL },
		{ "h", 'h', "s", 04777, 0, NULL },
	};
	static char deep_name[2 * 130 + 8];
	static const struct ent empty_wh[] = { { "etc/.wh.", 'f', "", 0, 0, NULL } };
	static const struct ent dotdot_wh[] = { { "etc/.wh..", 'f', "", 0, 0, NULL } };
	struct layer_image li;
	char path[900];
	unsigned char byte;
	int fd;

	make_layer(&li, base, 2, BRIG_LAYER_GZIP);
	fd = open(blob_path(&li, path, sizeof(path)), O_RDWR);
	pread(fd, &byte, 1, li.layer.size / 2);
	byte ^= 1;
	pwrite(fd, &byte, 1, li.layer.size / 2);
	close(fd);
	refused_layer("a changed byte in the blob", &li, "its blob's digest is sha256:");

	make_layer(&li, base, 2, BRIG_LAYER_GZIP);
	truncate(blob_path(&li, path, sizeof(path)), li.layer.size - 1);
	refused_layer("a blob cut short", &li, "bytes, not");

	make_layer(&li, base, 2, BRIG_LAYER_GZIP);
	li.diff_ids[0] = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
	refused_layer("a diff_id that is not the tar's", &li, "not the config's diff_id");

	make_layer(&li, base, 2, BRIG_LAYER_TAR);
	li.layer.compression = BRIG_LAYER_GZIP;
	refused_layer("a tar said to be gzip", &li, "its media type says gzip");

	make_layer(&li, base, 2, BRIG_LAYER_GZIP);
	li.layer.compression = BRIG_LAYER_ZSTD;
	refused_layer("gzip said to be zstd", &li, "its media type says zstd");

	refused_ents("a name with ..", dotdot, 1, "leaves the layer");
	ok(access("/tmp/escaped", F_OK) && access("/escaped", F_OK), "nothing was written outside it");
	refused_ents("a file through a symbolic link", via_link, 2, "its directory");
	ok(access("/tmp/brig-layer-test-escape", F_OK), "nothing was written through it");
	refused_ents("a hard link out of the layer", hard_out, 1, "leaves the layer");
	close(open("/tmp/brig-layer-test-victim", O_CREAT | O_WRONLY, 0600));
	refused_ents("a hard link to a symbolic link", hard_to_symlink, 2, "not a file of the layer");
	{
		struct stat st;

		ok(!stat("/tmp/brig-layer-test-victim", &st) && (st.st_mode & 07777) == 0600,
		   "the file the symbolic link names keeps its mode");
		unlink("/tmp/brig-layer-test-victim");
	}
	for (int i = 0; i < 130; i++)
		memcpy(deep_name + 2 * i, "d/", 2);
	strcpy(deep_name + 260, "f");
	{
		const struct ent deep[] = { { deep_name, 'f', "x", 0644, 0, NULL } };

		refused_ents("a name 131 directories deep", deep, 1, "directories deep");
	}
	refused_ents("a whiteout of no name", empty_wh, 1, "a whiteout of no name");
	refused_ents("a whiteout of ..", dotdot_wh, 1, "a whiteout of no name");

	{
		static unsigned char junk[4096];
		struct layer_image bad;

		memset(&bad, 0, sizeof(bad));
		make_layer(&bad, base, 2, BRIG_LAYER_GZIP);
		memset(junk, 0x5a, sizeof(junk));
		junk[0] = 0x1f;
		junk[1] = 0x8b;
		junk[2] = 8;
		put_blob(junk, sizeof(junk), bad.layer.digest);
		bad.layer.size = sizeof(junk);
		refused_layer("gzip that does not inflate", &bad, "gzip");
	}
}

/*
 * An unpacker killed half way: what it leaves has no name of a layer, and
 * the next unpack removes it and makes the layer whole.
 */
static void crash_mid_unpack(void)
{
	enum { FILES = 3000 };
	static struct ent ents[FILES];
	static char names[FILES][32];
	static char data[4097];
	struct layer_image li;
	char dir[700], path[900], tmp_seen[900] = "";
	bool killed = false;

	memset(data, 'x', sizeof(data) - 1);
	for (int i = 0; i < FILES; i++) {
		snprintf(names[i], sizeof(names[i]), "d%d/f%d", i / 100, i);
		ents[i] = (struct ent){ names[i], 'f', data, 0644, 0, NULL };
	}
	make_layer(&li, ents, FILES, BRIG_LAYER_GZIP);
	for (int attempt = 0; attempt < 20 && !killed; attempt++) {
		pid_t pid = fork();

		if (pid == 0) {
			char *msg = unpack(&li, dir, sizeof(dir));

			_exit(msg ? 1 : 0);
		}
		/* Kill it once its .tmp- directory holds a file. */
		for (int spin = 0; spin < 200000 && !killed; spin++) {
			DIR *d = opendir(cache);
			struct dirent *e;

			while (d && (e = readdir(d))) {
				if (strncmp(e->d_name, ".tmp-", 5))
					continue;
				snprintf(path, sizeof(path), "%s/%s/d0/f0", cache, e->d_name);
				if (!access(path, F_OK)) {
					kill(pid, SIGKILL);
					killed = true;
					snprintf(tmp_seen, sizeof(tmp_seen), "%s/%s", cache, e->d_name);
				}
			}
			if (d)
				closedir(d);
			if (waitpid(pid, NULL, WNOHANG) == pid)
				break;
		}
		waitpid(pid, NULL, 0);
		if (!killed) {
			/* It finished first: take the layer out and try again. */
			snprintf(path, sizeof(path), "rm -rf %s/sha256/%s", cache, li.layer.digest + 7);
			if (system(path))
				break;
		}
	}
	ok(killed, "an unpacker was killed half way");
	snprintf(path, sizeof(path), "%s/sha256/%s", cache, li.layer.digest + 7);
	ok(killed && access(path, F_OK) && !access(tmp_seen, F_OK),
	   "what it left is .tmp-*, never the layer's name");
	{
		char *msg = unpack(&li, dir, sizeof(dir));
		char last[64];

		snprintf(last, sizeof(last), "d%d/f%d", (FILES - 1) / 100, FILES - 1);
		ok(!msg && access(tmp_seen, F_OK) && file_is(dir, last, data, 0644, 0),
		   "the next unpack removes it and makes the layer whole%s%s", msg ? ": " : "",
		   msg ? msg : "");
		free(msg);
	}
}

int main(void)
{
	char path[700];

	if (geteuid()) {
		skip(1, "the layer cache needs root (owners, devices, trusted.* xattrs)");
		return tap_done();
	}
	if (!mkdtemp(root))
		return 1;
	snprintf(layout, sizeof(layout), "%s/layout", root);
	snprintf(cache, sizeof(cache), "%s/cache", root);
	mkdir(layout, 0755);
	snprintf(path, sizeof(path), "%s/blobs", layout);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/blobs/sha256", layout);
	mkdir(path, 0755);

	good_layers();
	shifted_owners();
	whiteouts();
	each_wrong();
	crash_mid_unpack();

	snprintf(path, sizeof(path), "rm -rf %s", root);
	if (system(path))
		diag("could not remove %s", root);
	return tap_done();
}
