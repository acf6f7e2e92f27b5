// SPDX-License-Identifier: GPL-2.0
/*
 * The .pol parser: examples/nginx.pol as the language reference reads it,
 * the defaults, and every error with its exact FILE:LINE:COL message.
 * Prints TAP.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <linux/capability.h>

#include <brig.h>

#include "lib/policy.h"
#include "tap.h"


static void nginx(const char *dir)
{
	struct brig_error *err = NULL;
	struct brig_pol *pol;
	char path[512], rootfs[512];

	snprintf(path, sizeof(path), "%s/examples/nginx.pol", dir);
	if (brig_pol_parse_file(path, &pol, &err) < 0) {
		ok(false, "examples/nginx.pol parses: %s", err->msg);
		brig_error_free(&err);
		return;
	}
	snprintf(rootfs, sizeof(rootfs), "%s/examples/rootfs/nginx", dir);
	ok(!strcmp(pol->name, "nginx"), "name");
	ok(!strcmp(pol->rootfs, rootfs), "rootfs relative to the file's folder");
	ok(pol->command && !strcmp(pol->command[0], "/usr/sbin/nginx") &&
	   !strcmp(pol->command[1], "-g") && !strcmp(pol->command[2], "daemon off;") &&
	   !pol->command[3], "command, with a quoted word");
	ok(!strcmp(pol->hostname, "web"), "hostname");
	ok(pol->caps == (1ULL << 0 | 1ULL << 1 | 1ULL << 6 | 1ULL << 7 | 1ULL << 10),
	   "caps drop ALL, then add CHOWN DAC_OVERRIDE SETGID SETUID NET_BIND_SERVICE");
	ok(pol->pids_max == 64, "pids max 64");
	ok(pol->seccomp == BRIG_SECCOMP_DEFAULT, "seccomp default");
	ok(pol->n_socket_rules == 2 &&
	   pol->socket_rules[0].family == AF_PACKET && pol->socket_rules[0].type == 0 &&
	   pol->socket_rules[1].family == 0 && pol->socket_rules[1].type == SOCK_RAW,
	   "deny network raw: every packet socket and SOCK_RAW in every family");
	ok(pol->n_file_rules == 6, "six file rules");
	ok(pol->n_file_rules == 6 && !strcmp(pol->file_rules[0].glob, "/usr/bin/**") &&
	   pol->file_rules[0].deny == (BRIG_PERM_WRITE | BRIG_PERM_APPEND | BRIG_PERM_LINK),
	   "deny /usr/bin/** wl: w implies a");
	ok(pol->n_file_rules == 6 && !strcmp(pol->file_rules[3].glob, "/usr/bin/dash") &&
	   pol->file_rules[3].deny == BRIG_PERM_ALL,
	   "deny /usr/bin/dash mrwklx: every letter (merged /usr: what /bin/sh reaches)");
	ok(pol->n_sysctls == 1 && !strcmp(pol->sysctls[0].name, "net.ipv4.ping_group_range") &&
	   !strcmp(pol->sysctls[0].value, "1 0"),
	   "sysctl net.ipv4.ping_group_range \"1 0\": no ICMP echo sockets");
	ok(pol->n_publish == 0, "publishes nothing itself (launch -p does)");
	ok(pol->n_file_rules == 6 && pol->file_rules[5].deny == 0 &&
	   pol->file_rules[5].audit == (BRIG_PERM_WRITE | BRIG_PERM_APPEND),
	   "audit /** w: audit only");
	ok(pol->mode == BRIG_MODE_ENFORCE && pol->no_new_privs &&
	   pol->namespaces == BRIG_NS_ALL, "defaults: enforce, no_new_privs, every namespace");
	brig_pol_free(pol);
}

/* network and publish, in the policy and as launch -p adds them to a spec. */
static void network(void)
{
	struct brig_container_spec *spec = NULL;
	struct brig_error *err = NULL;
	struct brig_publish port;
	struct brig_pol *pol;
	const char *why;
	size_t at;

	if (brig_pol_parse_text("network private\npublish 8080:80\npublish 5353:53/udp\n"
				"publish 8443:443/tcp\n", "/p/t.pol", &pol, &err) < 0) {
		ok(false, "network and publish parse: %s", err->msg);
		brig_error_free(&err);
		return;
	}
	ok(pol->namespaces == BRIG_NS_ALL && pol->n_publish == 3 &&
	   pol->publish[0].host_port == 8080 && pol->publish[0].port == 80 && !pol->publish[0].udp &&
	   pol->publish[1].udp && pol->publish[2].port == 443 && !pol->publish[2].udp,
	   "network private, publish HOSTPORT:PORT, /udp, /tcp");
	ok(!brig_spec_from_pol(pol, &spec, &err) && spec->n_publish == 3 &&
	   spec->publish[1].host_port == 5353, "the spec has the policy's ports");
	ok(!brig_publish_parse("80:8080", &port, &why, &at) && !brig_spec_publish(spec, &port, &err) &&
	   spec->n_publish == 4, "launch -p adds one");
	ok(!brig_publish_parse("8080:81", &port, &why, &at) && brig_spec_publish(spec, &port, &err) &&
	   !strcmp(err->msg, "host port 8080/tcp is published twice") && spec->n_publish == 4,
	   "... but not a host port and protocol published already");
	brig_error_free(&err);
	brig_spec_free(spec);
	brig_pol_free(pol);

	if (brig_pol_parse_text("network host\n", "/p/t.pol", &pol, &err) < 0) {
		ok(false, "network host parses: %s", err->msg);
		brig_error_free(&err);
		return;
	}
	ok(pol->namespaces == (BRIG_NS_ALL & ~BRIG_NS_NET), "network host: no net namespace");
	ok(!brig_spec_from_pol(pol, &spec, &err) && spec->n_sysctls == 0,
	   "... and none of Docker's net sysctls");
	ok(!brig_publish_parse("8080:80", &port, &why, &at) && brig_spec_publish(spec, &port, &err) &&
	   strstr(err->msg, "cannot publish 8080:80/tcp: the container is on the host's network"),
	   "launch -p refuses a container on the host's network");
	brig_error_free(&err);
	brig_spec_free(spec);
	brig_pol_free(pol);
}

static void defaults(void)
{
	struct brig_error *err = NULL;
	struct brig_pol *pol;

	if (brig_pol_parse_text("", "/x/web-1.pol", &pol, &err) < 0) {
		ok(false, "an empty policy parses: %s", err->msg);
		brig_error_free(&err);
		return;
	}
	ok(!strcmp(pol->name, "web-1"), "the name defaults to the file's");
	ok(!strcmp(pol->hostname, "web-1"), "the hostname to the name");
	ok(!strcmp(pol->command[0], "/bin/sh") && !strcmp(pol->workdir, "/"),
	   "command /bin/sh, workdir /");
	ok(pol->caps == BRIG_DOCKER_DEFAULT_CAPS, "Docker's 14 capabilities");
	ok(pol->uid == 0 && pol->gid == 0 && !pol->pids_max && !pol->rootfs,
	   "user 0:0, no ceiling, no rootfs");
	brig_pol_free(pol);

	if (brig_pol_parse_text("user 1000:100\nnamespaces net\nrlimit nofile 1024 4096\n"
				"rlimit core unlimited\ncaps drop CAP_net_raw kill\n"
				"mode complain\nno-new-privileges off\n"
				"device /dev/fuse:rw\nmount tmpfs /tmp size=1024\n"
				"env A=b \\\n  # comment\n",
				"/p/t.pol", &pol, &err) < 0) {
		ok(false, "statements parse: %s", err->msg);
		brig_error_free(&err);
		return;
	}
	ok(pol->uid == 1000 && pol->gid == 100, "user UID:GID");
	ok(pol->namespaces == (BRIG_NS_PID | BRIG_NS_MOUNT | BRIG_NS_NET),
	   "namespaces: pid and mount are always on");
	ok(pol->n_rlimits == 2 && pol->rlimits[0].soft == 1024 &&
	   pol->rlimits[0].hard == 4096 && pol->rlimits[1].soft == RLIM_INFINITY,
	   "rlimits, unlimited");
	ok(pol->caps == (BRIG_DOCKER_DEFAULT_CAPS & ~(1ULL << 13) & ~(1ULL << 5)),
	   "caps drop, with or without CAP_, any case");
	ok(pol->mode == BRIG_MODE_COMPLAIN && !pol->no_new_privs, "mode complain, nnp off");
	ok(pol->n_devices == 1 && !strcmp(pol->devices[0].inside, "/dev/fuse") &&
	   !strcmp(pol->devices[0].perms, "rw"), "device HOST:rwm");
	ok(pol->n_mounts == 1 && pol->mounts[0].tmpfs && pol->mounts[0].size == 1024,
	   "mount tmpfs size=N");
	ok(pol->env && !strcmp(pol->env[0], "A=b"), "a continued line with a comment");
	brig_pol_free(pol);
	network();
}

static void errors(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "caps add NET_RAWW\n", "t.pol:1:10: unknown capability 'NET_RAWW' (did you mean NET_RAW?)" },
		{ "caps add FROBNICATE\n", "t.pol:1:10: unknown capability 'FROBNICATE'" },
		{ "caps keep X\n", "t.pol:1:6: expected `caps add CAP...` or `caps drop CAP...`" },
		{ "name a\nname b\n", "t.pol:2:1: `name` may appear only once" },
		{ "name -a\n", "t.pol:1:6: a name is 1 to 63 of [A-Za-z0-9_.-], starting with a letter or digit" },
		{ "frob 1\n", "t.pol:1:1: unknown statement 'frob'" },
		{ "hostnme web\n", "t.pol:1:1: unknown statement 'hostnme' (did you mean hostname?)" },
		{ "Rootfs /srv\n", "t.pol:1:1: unknown statement 'Rootfs' (did you mean rootfs?)" },
		{ "command /bin/true \\", "t.pol:1:19: `\\` at the end of the file continues nothing" },
		{ "command /bin/true \\\n", "t.pol:1:19: `\\` at the end of the file continues nothing" },
		{ "uidmap 0 100000 65536\nuidmap 1000 300000 10\n",
		  "t.pol:2:8: ids 1000 to 1009 inside are mapped twice" },
		{ "gidmap 0 100000 10\ngidmap 10 100005 10\n",
		  "t.pol:2:11: ids 100005 to 100009 outside are mapped twice" },
		{ "uidmap 4294967290 0 10\n", "t.pol:1:21: the map runs past id 4294967295" },
		{ "sysctl kernel.core_pattern x\n",
		  "t.pol:1:8: sysctl `kernel.core_pattern` is not namespaced: setting it would change the host" },
		{ "sysctl net/ipv4 1\n", "t.pol:1:11: expected a sysctl name such as net.ipv4.ip_forward" },
		{ "sysctl net.ipv4.ip_forward\n", "t.pol:1:27: expected `sysctl NAME VALUE`" },
		{ "sysctl net.core.somaxconn 1\nsysctl net.core.somaxconn 2\n",
		  "t.pol:2:8: sysctl `net.core.somaxconn` is set twice" },
		{ "publish 8080\n", "t.pol:1:13: expected HOSTPORT:PORT[/tcp|udp], each port 1 to 65535, as docker run -p 8080:80" },
		{ "publish 0:80\n", "t.pol:1:9: expected HOSTPORT:PORT[/tcp|udp], each port 1 to 65535, as docker run -p 8080:80" },
		{ "publish 8080:65536\n", "t.pol:1:14: expected HOSTPORT:PORT[/tcp|udp], each port 1 to 65535, as docker run -p 8080:80" },
		{ "publish 8080:80/sctp\n", "t.pol:1:16: expected /tcp or /udp after the ports" },
		{ "publish 8080:80\npublish 8080:81/tcp\n", "t.pol:2:9: host port 8080/tcp is published twice" },
		{ "publish 8080:80 8081:81\n", "t.pol:1:17: expected `publish HOSTPORT:PORT[/tcp|udp]`" },
		{ "network none\n", "t.pol:1:9: expected `network private` (a namespace of its own) or `network host`" },
		{ "network host\nnetwork host\n", "t.pol:2:1: `network` may appear only once" },
		{ "network host\npublish 80:80\n", "t.pol:2:1: published ports need a network of the container's own: remove `network host`" },
		{ "namespaces user pid mount\npublish 80:80\n", "t.pol:2:1: published ports need a network of the container's own: add `net` to `namespaces`" },
		{ "namespaces pid mount net\npublish 8080:80\n", "t.pol:2:1: published ports need a user namespace (pasta runs as the container's root, never as the host's): add `user` to `namespaces`" },
		{ "network host\nnamespaces user net\n", "t.pol:1:1: `network host` shares the host's network, but `namespaces` lists `net`: remove one" },
		{ "namespaces user\nnetwork private\n", "t.pol:2:1: `network private` needs the net namespace: add `net` to `namespaces`" },
		{ "network host\nsysctl net.core.somaxconn 1024\n",
		  "t.pol:2:8: sysctl `net.core.somaxconn` is the net namespace's: add `net` to `namespaces`" },
		{ "namespaces user pid mount\nsysctl net.core.somaxconn 1024\n",
		  "t.pol:2:8: sysctl `net.core.somaxconn` is the net namespace's: add `net` to `namespaces`" },
		{ "privileged\ncaps drop NET_RAW\n",
		  "t.pol:2:1: `caps` cannot narrow `privileged`, which gives every capability and device with no seccomp or rules: remove one of them" },
		{ "deny /etc/** w\nprivileged\n",
		  "t.pol:1:1: `deny` cannot narrow `privileged`, which gives every capability and device with no seccomp or rules: remove one of them" },
		{ "deny /bin/** wq\n", "t.pol:1:15: unknown permission 'q': letters are r w a l k m x" },
		{ "deny bin/** w\n", "t.pol:1:6: a file rule's glob is an absolute path: it starts with '/'" },
		{ "deny /a/[bc w\n", "t.pol:1:9: unterminated character set" },
		{ "deny /a\n", "t.pol:1:6: expected `deny GLOB PERMS`" },
		{ "audit deny /a\n", "t.pol:1:12: expected `audit deny GLOB PERMS`" },
		{ "deny network inet bogus\n", "t.pol:1:19: unknown socket type 'bogus': stream dgram raw seqpacket or any" },
		{ "deny network ip\n", "t.pol:1:14: unknown network family or type 'ip'" },
		{ "pids max 0\n", "t.pol:1:10: a ceiling of 0 tasks would leave no room for the command" },
		{ "pids max lots\n", "t.pol:1:10: expected a number up to 4194304, not `lots`" },
		{ "pids min 3\n", "t.pol:1:6: expected `pids max N`" },
		{ "command \"daemon off;\n", "t.pol:1:9: unterminated quote" },
		{ "workdir tmp\n", "t.pol:1:9: workdir is an absolute path" },
		{ "env =x\n", "t.pol:1:5: expected NAME=VALUE" },
		{ "user root\n", "t.pol:1:6: expected a number up to 4294967294, not `root`" },
		{ "namespaces user net pid mount uts ipc cgroup time bogus\n", "t.pol:1:51: expected `namespaces NS...`" },
		{ "namespaces wifi\n", "t.pol:1:12: unknown namespace 'wifi': user pid mount net uts ipc cgroup time" },
		{ "uidmap 0 100000\n", "t.pol:1:16: expected `uidmap INSIDE OUTSIDE COUNT`" },
		{ "rlimit files 10\n", "t.pol:1:8: unknown rlimit 'files'" },
		{ "rlimit nofile 10 5\n", "t.pol:1:15: soft limit above the hard limit" },
		{ "seccomp\n", "t.pol:1:8: expected `seccomp default|unconfined|FILE.json`" },
		{ "mode strict\n", "t.pol:1:6: expected `enforce` or `complain`" },
		{ "no-new-privileges on\n", "t.pol:1:19: expected `off` (no_new_privs is on by default)" },
		{ "mount bind /a b\n", "t.pol:1:15: INSIDE is an absolute path" },
		{ "mount overlay /a\n", "t.pol:1:7: expected `mount bind HOST INSIDE [ro]` or `mount tmpfs INSIDE [size=N]`" },
		{ "device dev/null\n", "t.pol:1:8: expected HOST[:INSIDE][:rwm], absolute paths" },
		{ "readonly-rootfs yes\n", "t.pol:1:17: expected `readonly-rootfs`" },
		{ "allow mounts\n", "t.pol:1:7: expected `allow mount`" },
		{ "allow\n", "t.pol:1:6: expected `allow mount`" },
		{ "allow mount\nallow mount\n", "t.pol:2:1: `allow` may appear only once" },
		{ "gidmap 0 100000\n", "t.pol:1:16: expected `gidmap INSIDE OUTSIDE COUNT`" },
		/* Across statements, in either order: what would be silently ignored. */
		{ "namespaces pid mount\nuidmap 0 1000 1\n",
		  "t.pol:2:1: `uidmap` needs the user namespace: add `user` to `namespaces`" },
		{ "gidmap 0 1000 1\nnamespaces net\n",
		  "t.pol:1:1: `gidmap` needs the user namespace: add `user` to `namespaces`" },
		{ "namespaces user net\nhostname web\n",
		  "t.pol:2:1: `hostname` needs the uts namespace: add `uts` to `namespaces`" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct brig_error *err = NULL;
		struct brig_pol *pol = NULL;
		int ret = brig_pol_parse_text(cases[i].text, "t.pol", &pol, &err);

		ok(ret < 0 && err && !strcmp(err->msg, cases[i].message), "%s", cases[i].message);
		if (ret == 0)
			brig_pol_free(pol);
		else if (strcmp(err->msg, cases[i].message))
			printf("#   got: %s\n", err->msg);
		brig_error_free(&err);
	}
}

/* What the kernel gets: flags, Docker's devices, `device` lines. */
static struct brig_pol *spec_of(const char *text, struct brig_policy_spec *spec)
{
	struct brig_error *err = NULL;
	struct brig_pol *pol = NULL;

	if (brig_pol_parse_text(text, "/p/t.pol", &pol, &err) < 0 ||
	    brig_kernel_policy_from_pol(pol, spec, &err) < 0) {
		ok(false, "%s: %s", text, err->msg);
		brig_error_free(&err);
		brig_pol_free(pol);
		return NULL;
	}
	brig_policy_spec_release(spec);
	return pol;
}

static void kernel_spec(void)
{
	static struct brig_policy_spec spec;
	struct brig_pol *pol;
	char why[1024];

	pol = spec_of("name a\n", &spec);
	ok(pol && spec.flags == BRIG_POLICY_F_DEVICES && spec.n_devices == 9,
	   "by default: Docker's 9 devices only, no mounts");
	ok(spec.devices[0].type == BRIG_DEVICE_CHAR && spec.devices[0].major == 1 &&
	   spec.devices[0].minor == 3 &&
	   spec.devices[0].access == (BRIG_PERM_READ | BRIG_PERM_WRITE), "null is c 1:3 rw");
	ok(spec.devices[8].major == 136 && spec.devices[8].minor == BRIG_DEVICE_ANY,
	   "the pty slaves, 136:*");
	brig_pol_free(pol);
	pol = spec_of("allow mount\ndevice /dev/null:/dev/n2:r\n", &spec);
	ok(pol && pol->allow_mount &&
	   spec.flags == (BRIG_POLICY_F_DEVICES | BRIG_POLICY_F_MOUNT), "allow mount");
	ok(spec.n_devices == 9 && spec.devices[0].access == BRIG_PERM_READ,
	   "a device line's letters hold for one of Docker's devices");
	brig_pol_free(pol);
	pol = spec_of("device /dev/null:/dev/n2:w\ndevice /dev/tty\n", &spec);
	ok(pol && spec.devices[0].access == BRIG_PERM_WRITE &&
	   spec.devices[5].access == (BRIG_PERM_READ | BRIG_PERM_WRITE), "device lines, rwm by default");
	brig_pol_free(pol);
	{
		struct brig_container_spec *full = NULL;
		struct brig_error *err = NULL;

		pol = NULL;
		brig_pol_parse_text("name a\nsysctl net.core.somaxconn 1024\n"
				    "sysctl net.ipv4.ip_unprivileged_port_start 1024\n", "/p/a.pol", &pol, &err);
		ok(pol && !brig_spec_from_pol(pol, &full, &err) && full->n_sysctls == 3 &&
		   !strcmp(full->sysctls[0].name, "net.core.somaxconn") &&
		   !strcmp(full->sysctls[1].value, "1024") &&
		   !strcmp(full->sysctls[2].name, "net.ipv4.ping_group_range") &&
		   !strcmp(full->sysctls[2].value, "0 65535"),
		   "sysctls: the policy's, then Docker's ping_group_range for the mapped groups, "
		   "unless the policy sets it (ip_unprivileged_port_start)");
		brig_spec_free(full);
		brig_pol_free(pol);
		brig_error_free(&err);
	}
	pol = spec_of("privileged\n", &spec);
	ok(pol && spec.flags == BRIG_POLICY_F_MOUNT && !spec.n_devices,
	   "privileged: every device, mounts");
	brig_pol_free(pol);

	pol = spec_of("deny /bin/** w\n", &spec);
	ok(pol && !brig_spec_voiding_caps(&spec), "Docker's capabilities void no rule");
	brig_pol_free(pol);
	pol = spec_of("caps add SYS_ADMIN BPF\n", &spec);
	ok(pol && !brig_spec_voiding_caps(&spec), "... nor do any, without file rules");
	brig_pol_free(pol);
	pol = spec_of("caps add SYS_MODULE BPF DAC_READ_SEARCH\ndeny /bin/** w\n", &spec);
	ok(pol && brig_spec_voiding_caps(&spec) ==
	   (1ULL << CAP_SYS_MODULE | 1ULL << CAP_DAC_READ_SEARCH),
	   "SYS_MODULE and DAC_READ_SEARCH void file rules; BPF alone does not");
	brig_voiding_describe(brig_spec_voiding_caps(&spec), why, sizeof(why));
	ok(strstr(why, "SYS_MODULE (a module runs in the kernel") &&
	   strstr(why, "DAC_READ_SEARCH (open_by_handle_at"), "each says why: %s", why);
	brig_pol_free(pol);
	pol = spec_of("caps add BPF PERFMON\ndeny /bin/** w\n", &spec);
	ok(pol && brig_spec_voiding_caps(&spec) == (1ULL << CAP_BPF | 1ULL << CAP_PERFMON),
	   "BPF with PERFMON does");
	brig_pol_free(pol);
}

int main(int argc, char **argv)
{
	/* The tree's top, to find examples/. */
	nginx(argc > 1 ? argv[1] : ".");
	defaults();
	errors();
	kernel_spec();
	return tap_done();
}
