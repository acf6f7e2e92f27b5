// SPDX-License-Identifier: GPL-2.0
/*
 * launch --image (issue 16, part 1): the nginx image (scripts/rootfs
 * nginx-image, /srv/nginx-image in the VM: every file of Debian's nginx as
 * one gzip layer, then a zstd layer that replaces index.html and deletes
 * /usr/bin/top) run from a copy in /tmp, its layers in a cache of the
 * test's own:
 *   - the container's root is the overlay: the upper layer's file, the
 *     whiteout honoured, the config's Env and WorkingDir under the
 *     policy's, Cmd after --entrypoint, the policy's `image` statement;
 *   - its user namespace's root owns the image's files, and its writes go to
 *     a fresh upper: neither the next container nor the cache sees them;
 *     nothing of the image is mounted in the host's mount namespace;
 *   - a changed byte in a layer, a layer cut short, a changed config or
 *     manifest: refused by name, nothing unpacked, nothing registered;
 *   - content trust: signed with brigctl trust sign, the trust policy
 *     (containers-policy.json's format) lets it run; unsigned, signed by
 *     another key or for another manifest, or rejected, it is refused and
 *     nothing unpacked; `trust required` and BRIG_CONTENT_TRUST=1 refuse
 *     what the policy accepts unsigned, --disable-content-trust lifts them
 *     for one run.
 */
#include "launch.h"

#define SRC "/srv/nginx-image"
#define IMG "/tmp/img"
#define CACHE "/tmp/img-cache"
#define POL "/tmp/img.pol"
#define RUN "BRIG_LAYER_CACHE=" CACHE " " LAUNCH " --rm --policy " POL " --image "

FIXTURE(image) {
	struct brig_nl *nl;
	char out[16384];
};

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

FIXTURE_SETUP(image)
{
	if (access(SRC "/index.json", R_OK))
		SKIP(return, "no " SRC ": the VM needs the nginx image (scripts/vm --disk nginx-image)");
	ASSERT_EQ(0, system("rm -rf " IMG " " CACHE " && cp -a " SRC " " IMG));
	ASSERT_EQ(0, write_text(POL, "name img\nseccomp default\n"));
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
}

FIXTURE_TEARDOWN(image)
{
	if (!self->nl)
		return;
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

/* The blob of the layout at @layout whose media type ends in @media, in @path. */
static int blob_of(char *path, size_t len, const char *layout, const char *media)
{
	char out[4096];

	if (brig_sh(out, sizeof(out), "for b in %s/blobs/sha256/*; do "
		    "case $(head -c4 $b | od -An -tx1 | tr -d ' ') in %s) echo $b; break;; esac; done",
		    layout, media) || !out[0])
		return -1;
	out[strcspn(out, "\n")] = '\0';
	snprintf(path, len, "%s", out);
	return 0;
}

TEST_F(image, the_root_is_the_overlay_of_its_layers)
{
	ASSERT_EQ(0, sh(self, RUN IMG ":nginx -- cat /var/www/html/index.html")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "brig image")) TH_LOG("%s", self->out);
	/* The lower layer's files are there too; the upper one's whiteout hides top. */
	ASSERT_EQ(0, sh(self, RUN IMG ":nginx -- sh -c 'test -x /usr/sbin/nginx && echo nginx; "
			"test -e /usr/bin/top || echo top-gone'")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "nginx\ntop-gone")) TH_LOG("%s", self->out);
	/* The only image of the layout, without a tag. */
	EXPECT_EQ(0, sh(self, RUN IMG " -- true")) TH_LOG("%s", self->out);
}

TEST_F(image, the_config_gives_defaults_under_the_policy)
{
	ASSERT_EQ(0, sh(self, RUN IMG ":nginx -- sh -c 'pwd; echo $BRIG_IMAGE'")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "/var/www\nnginx")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, RUN IMG ":nginx -e BRIG_IMAGE=mine -- sh -c 'echo $BRIG_IMAGE'"));
	EXPECT_NE(NULL, strstr(self->out, "mine")) TH_LOG("%s", self->out);
	/* --entrypoint, then the config's Cmd as its arguments. */
	ASSERT_EQ(0, sh(self, RUN IMG ":nginx --entrypoint /bin/echo")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "/usr/sbin/nginx -g daemon off;")) TH_LOG("%s", self->out);
	/* The policy's workdir and command, and its `image` statement. */
	ASSERT_EQ(0, write_text(POL, "name img\nimage " IMG ":nginx\nworkdir /tmp\n"
				"command /bin/sh -c pwd\n"));
	ASSERT_EQ(0, sh(self, "BRIG_LAYER_CACHE=" CACHE " " LAUNCH " --rm --policy " POL))
		TH_LOG("%s", self->out);
	EXPECT_STREQ("/tmp\n", self->out);
	ASSERT_EQ(0, write_text(POL, "name img\nimage " IMG ":nginx\nrootfs /srv/nginx\n"));
	EXPECT_EQ(125, sh(self, LAUNCH " --rm --policy " POL " -- true"));
	EXPECT_NE(NULL, strstr(self->out, "`image` or `rootfs`, not both")) TH_LOG("%s", self->out);
}

TEST_F(image, writes_go_to_a_fresh_upper_and_the_host_mounts_nothing)
{
	ASSERT_EQ(0, sh(self, RUN IMG ":nginx -- sh -c 'stat -c %%u:%%g /etc/passwd; id -u; "
			"echo x > /etc/brig-written && rm /usr/sbin/nginx && echo wrote'"))
		TH_LOG("%s", self->out);
	/* The image's root is the user namespace's root (uid 100000 outside). */
	EXPECT_NE(NULL, strstr(self->out, "0:0\n0\nwrote")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self, RUN IMG ":nginx -- sh -c 'test -e /etc/brig-written || echo fresh; "
			"test -x /usr/sbin/nginx && echo nginx'")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "fresh\nnginx")) TH_LOG("%s", self->out);
	EXPECT_NE(0, sh(self, "find " CACHE " -name brig-written | grep ."));
	/* Layers owned as the container sees them: 100000 is the image's 0. */
	EXPECT_EQ(0, sh(self, "stat -c %%u " CACHE "/sha256/*.*/etc/passwd | sort -u"));
	EXPECT_STREQ("100000\n", self->out);
	EXPECT_NE(0, sh(self, "grep -e /run/brig-root -e " CACHE " /proc/self/mounts"))
		TH_LOG("%s", self->out);
}

/* launch refuses @layout with @expect, leaving nothing unpacked or registered. */
static void refused(struct __test_metadata *const _metadata, FIXTURE_DATA(image) *self,
		    const char *layout, const char *expect)
{
	char listing[4096];

	EXPECT_EQ(125, sh(self, RUN "%s -- true", layout));
	EXPECT_NE(NULL, strstr(self->out, expect)) TH_LOG("%s", self->out);
	EXPECT_NE(0, brig_sh(listing, sizeof(listing), "ls -A " CACHE "/sha256 | grep ."))
		TH_LOG("unpacked: %s", listing);
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
}

TEST_F(image, a_changed_or_short_blob_is_refused_and_nothing_unpacked)
{
	char blob[4096];

	ASSERT_EQ(0, blob_of(blob, sizeof(blob), IMG, "28b52ffd*"));	/* the zstd layer */
	ASSERT_EQ(0, sh(self, "printf 'X' | dd of=%s bs=1 seek=20 conv=notrunc 2>/dev/null", blob));
	refused(_metadata, self, IMG ":nginx", "its blob's digest is sha256:");
	ASSERT_EQ(0, system("rm -rf " IMG " && cp -a " SRC " " IMG));
	ASSERT_EQ(0, blob_of(blob, sizeof(blob), IMG, "1f8b*"));	/* the gzip layer */
	ASSERT_EQ(0, sh(self, "truncate -s $(($(stat -c %%s %s) - 1)) %s", blob, blob));
	refused(_metadata, self, IMG ":nginx", "bytes, not");
	/* The config and the manifest: checked before a layer is touched. */
	ASSERT_EQ(0, system("rm -rf " IMG " && cp -a " SRC " " IMG));
	ASSERT_EQ(0, sh(self, "f=$(grep -l '\"diff_ids\"' " IMG "/blobs/sha256/*) && "
			"sed -i 's/daemon off/daemon on/' $f"));
	refused(_metadata, self, IMG ":nginx", "its descriptor says");
	ASSERT_EQ(0, system("rm -rf " IMG " && cp -a " SRC " " IMG));
	ASSERT_EQ(0, sh(self, "f=$(grep -l '\"layers\"' " IMG "/blobs/sha256/*) && "
			"sed -i 's/schemaVersion\":2/schemaVersion\": 2/' $f"));
	refused(_metadata, self, IMG ":nginx", "its descriptor says");
	refused(_metadata, self, IMG ":latest", "latest");
}

#define TRUST "/tmp/trust.json"
#define SIGNED_POLICY "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"oci\":{\"" IMG \
	"\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\"/tmp/k.pub\",\"signedIdentity\":" \
	"{\"type\":\"exactReference\",\"dockerReference\":\"brig.test/nginx:1\"}}]}}}"
#define SIGN(key) "BRIG_PASSWORD=pw " BRIGCTL " trust sign --key " key " --identity brig.test/nginx:1 " IMG ":nginx"
#define TRUSTED "BRIG_TRUST_POLICY=" TRUST " "

TEST_F(image, content_trust)
{
	ASSERT_EQ(0, sh(self, "BRIG_PASSWORD=pw " BRIGCTL " trust keygen /tmp/k && "
			"BRIG_PASSWORD=pw " BRIGCTL " trust keygen /tmp/other")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, write_text(TRUST, SIGNED_POLICY));
	/* Unsigned: refused, nothing unpacked. */
	EXPECT_EQ(125, sh(self, TRUSTED RUN IMG ":nginx -- true"));
	EXPECT_NE(NULL, strstr(self->out, ": not signed")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "image " IMG ":nginx")) TH_LOG("%s", self->out);
	EXPECT_NE(0, sh(self, "ls -A " CACHE "/sha256 2>/dev/null | grep ."));
	/* Signed by a key the policy does not name. */
	ASSERT_EQ(0, sh(self, SIGN("/tmp/other.key"))) TH_LOG("%s", self->out);
	EXPECT_EQ(125, sh(self, TRUSTED RUN IMG ":nginx -- true"));
	EXPECT_NE(NULL, strstr(self->out, "key /tmp/k.pub")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "does not verify")) TH_LOG("%s", self->out);
	EXPECT_NE(0, sh(self, "ls -A " CACHE "/sha256 2>/dev/null | grep ."));
	/* Signed by its key: it runs. */
	ASSERT_EQ(0, sh(self, SIGN("/tmp/k.key"))) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, TRUSTED RUN IMG ":nginx -- cat /var/www/html/index.html"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "brig image")) TH_LOG("%s", self->out);
	/*
	 * The signatures moved to another manifest: the config changed, the
	 * manifest made again for it, the layout's tags renamed to its digest.
	 */
	ASSERT_EQ(0, sh(self, "cd " IMG "/blobs/sha256 && c1=$(grep -l BRIG_IMAGE=nginx *) && "
			"sed s/BRIG_IMAGE=nginx/BRIG_IMAGE=other/ $c1 > /tmp/c2 && "
			"c2=$(sha256sum /tmp/c2 | cut -c1-64) && mv /tmp/c2 $c2 && m1=$(grep -l $c1 *) && "
			"sed s/$c1/$c2/ $m1 > /tmp/m2 && m2=$(sha256sum /tmp/m2 | cut -c1-64) && "
			"mv /tmp/m2 $m2 && sed -i s/$m1/$m2/g " IMG "/index.json")) TH_LOG("%s", self->out);
	EXPECT_EQ(125, sh(self, TRUSTED RUN IMG ":nginx -- true"));
	EXPECT_NE(NULL, strstr(self->out, "the signature is for manifest sha256:")) TH_LOG("%s", self->out);
	/* Another layout: the policy's default rejects it. */
	ASSERT_EQ(0, system("rm -rf /tmp/img2 && cp -a " SRC " /tmp/img2"));
	EXPECT_EQ(125, sh(self, TRUSTED RUN "/tmp/img2:nginx -- true"));
	EXPECT_NE(NULL, strstr(self->out, "rejected by the policy")) TH_LOG("%s", self->out);

	/* Content trust over a policy that accepts anything. */
	ASSERT_EQ(0, write_text(TRUST, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}"));
	EXPECT_EQ(0, sh(self, TRUSTED RUN "/tmp/img2:nginx -- true")) TH_LOG("%s", self->out);
	EXPECT_EQ(125, sh(self, TRUSTED "BRIG_CONTENT_TRUST=1 " RUN "/tmp/img2:nginx -- true"));
	EXPECT_NE(NULL, strstr(self->out, "content trust is required")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, write_text(POL, "name img\ntrust required\n"));
	EXPECT_EQ(125, sh(self, TRUSTED RUN "/tmp/img2:nginx -- true"));
	EXPECT_NE(NULL, strstr(self->out, "content trust is required")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self, TRUSTED RUN "/tmp/img2:nginx --disable-content-trust -- true"))
		TH_LOG("%s", self->out);
	/* No trust policy at all: content trust cannot hold. */
	EXPECT_EQ(125, sh(self, "BRIG_TRUST_POLICY=/tmp/none.json " RUN "/tmp/img2:nginx -- true"));
	EXPECT_NE(NULL, strstr(self->out, "no trust policy /tmp/none.json")) TH_LOG("%s", self->out);
}

TEST_HARNESS_MAIN
