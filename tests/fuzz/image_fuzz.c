// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: an OCI image layout made of the bytes, opened as launch
 * --image will (brig_image_open). The input is a manifest, a config and an
 * index.json, in that order, split at 0xff bytes (which JSON text never
 * holds); in the manifest and the index, @C and @M become the config's and
 * the manifest's sha256 digests and @c and @m their sizes, so that inputs
 * reach past the digest checks. Errors are fine; a crash or a leak is a
 * finding.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lib/image.h"
#include "lib/sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/brig-image-fuzz.XXXXXX";

static void put(const char *name, const void *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	if (len && fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
}

/* @text with @C, @M, @c and @m replaced; a new buffer, its length in *@out_len. */
static char *expand(const uint8_t *text, size_t len, const char *c_digest, size_t c_len,
		    const char *m_digest, size_t m_len, size_t *out_len)
{
	char *out = malloc(len * 40 + 1), *o = out;
	size_t i;

	if (!out)
		abort();
	for (i = 0; i < len; i++) {
		if (text[i] == '@' && i + 1 < len && strchr("CMcm", text[i + 1])) {
			char k = text[++i];

			o += k == 'C' ? sprintf(o, "%s", c_digest) : k == 'M' ? sprintf(o, "%s", m_digest) :
			     sprintf(o, "%zu", k == 'c' ? c_len : m_len);
		} else {
			*o++ = text[i];
		}
	}
	*out_len = o - out;
	return out;
}

/* The layout goes with the process (its blobs go after each input). */
static void remove_layout(void)
{
	static const char *const names[] = { "oci-layout", "index.json", "blobs/sha256", "blobs", "" };
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (unlink(path))
			rmdir(path);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool made;
	const uint8_t *config, *index, *end = data + size;
	char c_digest[72] = "", m_digest[72] = "", name[128];
	struct brig_error *err = NULL;
	struct brig_image *img = NULL;
	size_t m_len, c_len, i_len;
	char *manifest, *idx;

	if (!made) {
		char blobs[64];

		made = true;
		if (!mkdtemp(dir) || atexit(remove_layout))
			abort();
		snprintf(blobs, sizeof(blobs), "%s/blobs", dir);
		mkdir(blobs, 0755);
		snprintf(blobs, sizeof(blobs), "%s/blobs/sha256", dir);
		mkdir(blobs, 0755);
		put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
	}
	config = memchr(data, 0xff, size);
	index = config ? memchr(config + 1, 0xff, end - config - 1) : NULL;
	if (!index)
		return 0;
	config++;
	index++;
	c_len = index - 1 - config;
	if (brig_sha256_digest(config, c_len, c_digest, &err))
		abort();
	manifest = expand(data, config - 1 - data, c_digest, c_len, "", 0, &m_len);
	if (brig_sha256_digest(manifest, m_len, m_digest, &err))
		abort();
	idx = expand(index, end - index, c_digest, c_len, m_digest, m_len, &i_len);
	snprintf(name, sizeof(name), "blobs/sha256/%s", c_digest + 7);
	put(name, config, c_len);
	snprintf(name, sizeof(name), "blobs/sha256/%s", m_digest + 7);
	put(name, manifest, m_len);
	put("index.json", idx, i_len);
	if (!brig_image_open(dir, NULL, &img, &err))
		brig_image_free(&img);
	brig_error_free(&err);
	if (!brig_image_open(dir, "latest", &img, &err))
		brig_image_free(&img);
	brig_error_free(&err);
	/* Each input's blobs go: the directory stays small. */
	snprintf(name, sizeof(name), "%s/blobs/sha256/%s", dir, c_digest + 7);
	unlink(name);
	snprintf(name, sizeof(name), "%s/blobs/sha256/%s", dir, m_digest + 7);
	unlink(name);
	free(manifest);
	free(idx);
	return 0;
}
