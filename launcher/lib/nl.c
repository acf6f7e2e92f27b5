// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig netlink client. Every request goes through brig_nl_request(),
 * which turns the kernel's error and its extack message into a brig_error.
 */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <brig.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct brig_nl {
	struct nl_sock *sock;
	int family;
};

/* One reply: its attributes in @tb (the last of each), the whole in @hdr. */
typedef int (*brig_parse_fn)(const struct nlmsghdr *hdr, struct nlattr **tb,
			     void *arg, struct brig_error **err);

/* State of one request while its replies are read. */
struct brig_request {
	int status;		/* 1 while waiting, 0 done, -errno refused */
	char extack[256];	/* the kernel's reason, if it gave one */
	brig_parse_fn parse;
	void *parse_arg;
	struct brig_error **err;
};

/* The extack TLVs of an ack or a NLMSG_DONE start at @offset into @hdr. */
static void copy_extack(struct brig_request *req, const struct nlmsghdr *hdr,
			size_t offset)
{
	struct nlattr *attr;
	int rem;

	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS) || hdr->nlmsg_len <= offset)
		return;
	nla_for_each_attr(attr, (struct nlattr *)((char *)hdr + offset),
			  hdr->nlmsg_len - offset, rem) {
		if (nla_type(attr) == NLMSGERR_ATTR_MSG && nla_len(attr) > 0) {
			snprintf(req->extack, sizeof(req->extack), "%.*s",
				 nla_len(attr), (const char *)nla_data(attr));
			/* Kernel messages may end in a newline; ours do not. */
			req->extack[strcspn(req->extack, "\n")] = '\0';
		}
	}
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct brig_request *req = arg;

	(void)who;
	req->status = e->error;
	/* With NETLINK_CAP_ACK the echoed request is its header only. */
	copy_extack(req, hdr, NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(*e)));
	return NL_STOP;
}

/* An ack, or the end of a dump, which carries the dump's error if any. */
static int on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct brig_request *req = arg;
	int error = 0;

	if (hdr->nlmsg_type == NLMSG_DONE &&
	    hdr->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		memcpy(&error, nlmsg_data(hdr), sizeof(error));
	if (error < 0) {
		req->status = error;
		copy_extack(req, hdr, NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(int)));
	} else if (req->status > 0) {
		req->status = 0;
	}
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct brig_request *req = arg;
	struct nlattr *tb[BRIG_A_MAX + 1];

	if (req->status <= 0)
		return NL_SKIP;	/* the parser already failed: drain the rest */
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, BRIG_A_MAX, NULL) < 0) {
		brig_error_make(req->err, EPROTO, "malformed message from brig.ko");
		req->status = -EPROTO;
		return NL_SKIP;
	}
	if (req->parse &&
	    req->parse(nlmsg_hdr(msg), tb, req->parse_arg, req->err) < 0)
		req->status = -EPROTO;
	return NL_OK;
}

/*
 * Sends @msg (consumed) and reads until the kernel acks it, refuses it or
 * ends its dump; each reply message goes to @parse. Returns 0 or the
 * kernel's -errno (its message in req->extack), or -1 with *err set when
 * talking failed.
 */
static int brig_nl_transact(struct brig_nl *nl, struct nl_msg *msg,
			    struct brig_request *req, struct brig_error **err)
{
	struct nl_cb *cb;
	int ret;

	req->status = 1;
	req->extack[0] = '\0';
	req->err = err;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return brig_error_make(err, ENOMEM, "netlink");
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, req);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, req);

	ret = nl_send_auto(nl->sock, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		nl_cb_put(cb);
		return brig_error_make(err, 0, "sending to brig.ko: %s",
				       nl_geterror(ret));
	}
	while (req->status > 0) {
		ret = nl_recvmsgs(nl->sock, cb);
		if (ret < 0 && req->status > 0) {
			nl_cb_put(cb);
			return brig_error_make(err, 0, "reading from brig.ko: %s",
					       nl_geterror(ret));
		}
	}
	nl_cb_put(cb);
	if (req->status == -EPROTO && err && *err)
		return -1;	/* our parser's error, already made */
	return req->status;
}

/* brig_nl_transact(), with a refusal turned into an error naming @what. */
static int brig_nl_request(struct brig_nl *nl, struct nl_msg *msg,
			   brig_parse_fn parse, void *arg, const char *what,
			   struct brig_error **err)
{
	struct brig_request req = { .parse = parse, .parse_arg = arg };
	int ret;

	ret = brig_nl_transact(nl, msg, &req, err);
	if (ret == 0)
		return 0;
	if (ret == -1 && err && *err)
		return brig_error_wrap(err, "%s", what);
	if (req.extack[0])
		return brig_error_make(err, -ret, "%s: %s", what, req.extack);
	return brig_error_make(err, -ret, "%s", what);
}

static struct nl_msg *brig_nl_msg(struct brig_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 /* a dump ends with NLMSG_DONE, not an ack */
			 NLM_F_REQUEST | (flags & NLM_F_DUMP ? 0 : NLM_F_ACK) | flags, cmd,
			 BRIG_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int brig_nl_open(struct brig_nl **out, struct brig_error **err)
{
	int sndbuf = BRIG_DFA_BYTES_MAX + (1 << 20);
	struct brig_nl *nl;
	int one = 1, ret;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return brig_error_make(err, ENOMEM, "netlink");
	nl->sock = nl_socket_alloc();
	if (!nl->sock) {
		free(nl);
		return brig_error_make(err, ENOMEM, "netlink socket");
	}
	ret = genl_connect(nl->sock);
	if (ret < 0) {
		brig_nl_close(nl);
		return brig_error_make(err, 0, "connecting to generic netlink: %s",
				       nl_geterror(ret));
	}
	/* Ask for the kernel's reasons (extack), and a short ack. */
	setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/*
	 * A policy with many file rules is one message of megabytes. Raising
	 * the send buffer past the system's limit takes CAP_NET_ADMIN, which
	 * sending a policy needs anyway.
	 */
	if (setsockopt(nl_socket_get_fd(nl->sock), SOL_SOCKET, SO_SNDBUFFORCE,
		       &sndbuf, sizeof(sndbuf)))
		setsockopt(nl_socket_get_fd(nl->sock), SOL_SOCKET, SO_SNDBUF,
			   &sndbuf, sizeof(sndbuf));

	nl->family = genl_ctrl_resolve(nl->sock, BRIG_GENL_NAME);
	if (nl->family < 0) {
		ret = nl->family;
		brig_nl_close(nl);
		if (ret == -NLE_OBJ_NOTFOUND)
			return brig_error_make(err, 0,
				"the brig kernel module is not loaded: load it with `modprobe brig` (or `insmod kmod/brig.ko` in a build tree)");
		return brig_error_make(err, 0, "resolving the brig netlink family: %s",
				       nl_geterror(ret));
	}
	*out = nl;
	return 0;
}

void brig_nl_close(struct brig_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sock);
	free(nl);
}

void brig_nl_closep(struct brig_nl **nl)
{
	brig_nl_close(*nl);
	*nl = NULL;
}

int brig_nl_family(const struct brig_nl *nl)
{
	return nl->family;
}

struct ping_reply {
	uint32_t version;
	uint64_t cookie;
	int has_version;
};

static int parse_ping(const struct nlmsghdr *hdr, struct nlattr **tb,
		      void *arg, struct brig_error **err)
{
	struct ping_reply *r = arg;

	(void)hdr;
	if (!tb[BRIG_A_VERSION] || nla_len(tb[BRIG_A_VERSION]) != sizeof(uint32_t))
		return brig_error_make(err, EPROTO, "ping reply has no version");
	r->version = nla_get_u32(tb[BRIG_A_VERSION]);
	r->has_version = 1;
	if (tb[BRIG_A_COOKIE] && nla_len(tb[BRIG_A_COOKIE]) == sizeof(uint64_t))
		r->cookie = nla_get_u64(tb[BRIG_A_COOKIE]);
	return 0;
}

int brig_nl_ping(struct brig_nl *nl, uint64_t cookie, uint32_t *version,
		 uint64_t *echo, struct brig_error **err)
{
	struct ping_reply r = { 0 };
	struct nl_msg *msg;

	msg = brig_nl_msg(nl, BRIG_CMD_PING, 0);
	if (!msg)
		return brig_error_make(err, ENOMEM, "ping");
	if (nla_put_u64(msg, BRIG_A_COOKIE, cookie) < 0) {
		nlmsg_free(msg);
		return brig_error_make(err, EMSGSIZE, "ping");
	}
	if (brig_nl_request(nl, msg, parse_ping, &r, "ping", err) < 0)
		return -1;
	if (!r.has_version)
		return brig_error_make(err, EPROTO, "ping: brig.ko sent no reply");
	*version = r.version;
	*echo = r.cookie;
	return 0;
}

/* Adds the container selector: by name if given, else by id. */
static int put_selector(struct nl_msg *msg, uint32_t id, const char *name)
{
	if (name)
		return nla_put_string(msg, BRIG_A_NAME, name);
	return nla_put_u32(msg, BRIG_A_ID, id);
}

/* A message big enough for any policy: file rules may take megabytes. */
static struct nl_msg *policy_msg(struct brig_nl *nl, uint8_t cmd,
				 const struct brig_policy_spec *p)
{
	struct nl_msg *msg = nlmsg_alloc_size(p->dfa_len + 8192 + p->n_devices * 64);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_REQUEST | NLM_F_ACK, cmd, BRIG_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int put_policy(struct nl_msg *msg, const struct brig_policy_spec *p)
{
	struct nlattr *nest, *rule;
	size_t i;

	nest = nla_nest_start(msg, BRIG_A_POLICY);
	if (!nest)
		return -1;
	if (p->mode && nla_put_u32(msg, BRIG_POLICY_A_MODE, p->mode) < 0)
		return -1;
	if (nla_put_u64(msg, BRIG_POLICY_A_CAPS, p->caps) < 0)
		return -1;
	if (p->pids_max && nla_put_u32(msg, BRIG_POLICY_A_PIDS_MAX, p->pids_max) < 0)
		return -1;
	for (i = 0; i < p->n_socket_rules; i++) {
		rule = nla_nest_start(msg, BRIG_POLICY_A_SOCKET_DENY);
		if (!rule ||
		    nla_put_u32(msg, BRIG_SOCKET_A_FAMILY, p->socket_rules[i].family) < 0 ||
		    nla_put_u32(msg, BRIG_SOCKET_A_TYPE, p->socket_rules[i].type) < 0)
			return -1;
		nla_nest_end(msg, rule);
	}
	if (p->flags && nla_put_u32(msg, BRIG_POLICY_A_FLAGS, p->flags) < 0)
		return -1;
	for (i = 0; i < p->n_devices; i++) {
		const struct brig_device_rule *d = &p->devices[i];

		rule = nla_nest_start(msg, BRIG_POLICY_A_DEVICE);
		if (!rule || nla_put_u32(msg, BRIG_DEVICE_A_TYPE, d->type) < 0 ||
		    (d->major != BRIG_DEVICE_ANY &&
		     nla_put_u32(msg, BRIG_DEVICE_A_MAJOR, d->major) < 0) ||
		    (d->minor != BRIG_DEVICE_ANY &&
		     nla_put_u32(msg, BRIG_DEVICE_A_MINOR, d->minor) < 0) ||
		    nla_put_u32(msg, BRIG_DEVICE_A_ACCESS, d->access) < 0)
			return -1;
		nla_nest_end(msg, rule);
	}
	nla_nest_end(msg, nest);
	/* The DFA beside the nest, in chunks: an attribute holds 64 KiB. */
	for (i = 0; i < p->dfa_len; i += BRIG_DFA_CHUNK_MAX) {
		size_t chunk = p->dfa_len - i < BRIG_DFA_CHUNK_MAX ?
			       p->dfa_len - i : BRIG_DFA_CHUNK_MAX;

		if (nla_put(msg, BRIG_A_DFA, chunk, (const char *)p->dfa + i) < 0)
			return -1;
	}
	return 0;
}

static int parse_id(const struct nlmsghdr *hdr, struct nlattr **tb, void *arg,
		    struct brig_error **err)
{
	(void)hdr;
	if (!tb[BRIG_A_ID])
		return brig_error_make(err, EPROTO, "reply has no container id");
	*(uint32_t *)arg = nla_get_u32(tb[BRIG_A_ID]);
	return 0;
}

/* A policy whose capabilities void its own file rules, unless insisted on. */
static int check_voiding(const struct brig_policy_spec *policy, struct brig_error **err)
{
	uint64_t caps = brig_spec_voiding_caps(policy);
	char why[1024];

	if (!caps || policy->unsafe_caps)
		return 0;
	brig_voiding_describe(caps, why, sizeof(why));
	return brig_error_make(err, EPERM,
		"the policy's capabilities void its own file rules: %s (insist with --unsafe-caps)",
		why);
}

int brig_nl_register(struct brig_nl *nl, pid_t init_pid, const char *name,
		     const struct brig_policy_spec *policy, uint32_t *id,
		     struct brig_error **err)
{
	struct nl_msg *msg;

	*id = 0;
	if (check_voiding(policy, err) < 0)
		return brig_error_wrap(err, "registering `%s`", name);
	msg = policy_msg(nl, BRIG_CMD_REGISTER, policy);
	if (!msg || nla_put_u32(msg, BRIG_A_INIT_PID, (uint32_t)init_pid) < 0 ||
	    nla_put_string(msg, BRIG_A_NAME, name) < 0 ||
	    put_policy(msg, policy) < 0) {
		nlmsg_free(msg);
		return brig_error_make(err, EMSGSIZE, "registering `%s`", name);
	}
	if (brig_nl_request(nl, msg, parse_id, id, "registering", err) < 0)
		return brig_error_wrap(err, "container `%s`", name);
	if (!*id)
		return brig_error_make(err, EPROTO, "registering `%s`: no id in reply", name);
	return 0;
}

int brig_nl_set_policy(struct brig_nl *nl, uint32_t id, const char *name,
		       const struct brig_policy_spec *policy,
		       struct brig_error **err)
{
	struct nl_msg *msg;

	if (check_voiding(policy, err) < 0)
		return brig_error_wrap(err, "setting the policy");
	msg = policy_msg(nl, BRIG_CMD_SET_POLICY, policy);
	if (!msg || put_selector(msg, id, name) < 0 || put_policy(msg, policy) < 0) {
		nlmsg_free(msg);
		return brig_error_make(err, EMSGSIZE, "setting the policy");
	}
	return brig_nl_request(nl, msg, NULL, NULL, "setting the policy", err);
}

int brig_nl_unregister(struct brig_nl *nl, uint32_t id, const char *name,
		       struct brig_error **err)
{
	struct nl_msg *msg = brig_nl_msg(nl, BRIG_CMD_UNREGISTER, 0);

	if (!msg || put_selector(msg, id, name) < 0) {
		nlmsg_free(msg);
		return brig_error_make(err, EMSGSIZE, "unregistering");
	}
	return brig_nl_request(nl, msg, NULL, NULL, "unregistering", err);
}

static void parse_policy(struct nlattr *nest, struct brig_policy_spec *p)
{
	struct nlattr *attr, *field;
	int rem, rem2;

	memset(p, 0, sizeof(*p));
	nla_for_each_nested(attr, nest, rem) {
		switch (nla_type(attr)) {
		case BRIG_POLICY_A_MODE:
			p->mode = nla_get_u32(attr);
			break;
		case BRIG_POLICY_A_CAPS:
			p->caps = nla_get_u64(attr);
			break;
		case BRIG_POLICY_A_PIDS_MAX:
			p->pids_max = nla_get_u32(attr);
			break;
		case BRIG_POLICY_A_DFA_STATES:
			p->dfa_states = nla_get_u32(attr);
			break;
		case BRIG_POLICY_A_DFA_BYTES:
			p->dfa_bytes = nla_get_u32(attr);
			break;
		case BRIG_POLICY_A_FLAGS:
			p->flags = nla_get_u32(attr);
			break;
		case BRIG_POLICY_A_DEVICE:
			if (p->n_devices == BRIG_DEVICE_RULES_MAX)
				break;
			p->devices[p->n_devices] = (struct brig_device_rule){
				.major = BRIG_DEVICE_ANY, .minor = BRIG_DEVICE_ANY,
			};
			nla_for_each_nested(field, attr, rem2) {
				struct brig_device_rule *d = &p->devices[p->n_devices];

				switch (nla_type(field)) {
				case BRIG_DEVICE_A_TYPE: d->type = nla_get_u32(field); break;
				case BRIG_DEVICE_A_MAJOR: d->major = nla_get_u32(field); break;
				case BRIG_DEVICE_A_MINOR: d->minor = nla_get_u32(field); break;
				case BRIG_DEVICE_A_ACCESS: d->access = nla_get_u32(field); break;
				}
			}
			p->n_devices++;
			break;
		case BRIG_POLICY_A_SOCKET_DENY:
			if (p->n_socket_rules == BRIG_SOCKET_RULES_MAX)
				break;
			nla_for_each_nested(field, attr, rem2) {
				if (nla_type(field) == BRIG_SOCKET_A_FAMILY)
					p->socket_rules[p->n_socket_rules].family = nla_get_u32(field);
				else if (nla_type(field) == BRIG_SOCKET_A_TYPE)
					p->socket_rules[p->n_socket_rules].type = nla_get_u32(field);
			}
			p->n_socket_rules++;
			break;
		}
	}
}

/* The HOOK nests, repeated: genlmsg_parse() keeps only the last of them. */
static void parse_hooks(const struct nlmsghdr *hdr,
			struct brig_container_info *c)
{
	const struct genlmsghdr *ghdr = nlmsg_data(hdr);
	struct nlattr *attr, *field;
	int rem, rem2;

	nla_for_each_attr(attr, genlmsg_attrdata(ghdr, 0),
			  genlmsg_attrlen(ghdr, 0), rem) {
		struct brig_hook_info *hook;

		if (nla_type(attr) != BRIG_A_HOOK || c->n_hooks == BRIG_NL_HOOKS_MAX)
			continue;
		hook = &c->hooks[c->n_hooks++];
		nla_for_each_nested(field, attr, rem2) {
			if (nla_type(field) == BRIG_HOOK_A_NAME)
				snprintf(hook->name, sizeof(hook->name), "%s",
					 nla_get_string(field));
			else if (nla_type(field) == BRIG_HOOK_A_MISSES)
				hook->misses = nla_get_u64(field);
		}
	}
}

static int parse_container(const struct nlmsghdr *hdr, struct nlattr **tb,
			   struct brig_container_info *c,
			   struct brig_error **err)
{
	static const int counters[] = {
		[BRIG_KIND_CAP] = BRIG_COUNTER_A_CAP,
		[BRIG_KIND_SOCKET] = BRIG_COUNTER_A_SOCKET,
		[BRIG_KIND_TASK] = BRIG_COUNTER_A_TASK,
		[BRIG_KIND_FILE] = BRIG_COUNTER_A_FILE,
		[BRIG_KIND_MOUNT] = BRIG_COUNTER_A_MOUNT,
		[BRIG_KIND_DEVICE] = BRIG_COUNTER_A_DEVICE,
	};
	_Static_assert(sizeof(counters) / sizeof(counters[0]) == BRIG_KIND_MAX + 1,
		       "a counter for every kind");
	struct nlattr *attr;
	int rem, kind;

	memset(c, 0, sizeof(*c));
	if (!tb[BRIG_A_ID] || !tb[BRIG_A_NAME] || !tb[BRIG_A_POLICY])
		return brig_error_make(err, EPROTO, "incomplete container from brig.ko");
	c->id = nla_get_u32(tb[BRIG_A_ID]);
	snprintf(c->name, sizeof(c->name), "%s", nla_get_string(tb[BRIG_A_NAME]));
	if (tb[BRIG_A_INIT_PID])
		c->init_pid = nla_get_u32(tb[BRIG_A_INIT_PID]);
	if (tb[BRIG_A_PIDNS_INO])
		c->pidns_ino = nla_get_u32(tb[BRIG_A_PIDNS_INO]);
	parse_policy(tb[BRIG_A_POLICY], &c->policy);
	if (tb[BRIG_A_TASKS])
		c->tasks = nla_get_u32(tb[BRIG_A_TASKS]);
	if (tb[BRIG_A_HOOK_MISSES])
		c->hook_misses = nla_get_u64(tb[BRIG_A_HOOK_MISSES]);
	if (tb[BRIG_A_EVENTS_LOST])
		c->events_lost = nla_get_u64(tb[BRIG_A_EVENTS_LOST]);
	if (tb[BRIG_A_DENIALS]) {
		nla_for_each_nested(attr, tb[BRIG_A_DENIALS], rem) {
			for (kind = 1; kind <= BRIG_KIND_MAX; kind++) {
				if (nla_type(attr) == counters[kind])
					c->denials[kind] = nla_get_u64(attr);
			}
		}
	}
	parse_hooks(hdr, c);
	return 0;
}

static int parse_get(const struct nlmsghdr *hdr, struct nlattr **tb,
		     void *arg, struct brig_error **err)
{
	return parse_container(hdr, tb, arg, err);
}

int brig_nl_get(struct brig_nl *nl, uint32_t id, const char *name,
		struct brig_container_info *info, struct brig_error **err)
{
	struct nl_msg *msg = brig_nl_msg(nl, BRIG_CMD_GET, 0);

	if (!msg || put_selector(msg, id, name) < 0) {
		nlmsg_free(msg);
		return brig_error_make(err, EMSGSIZE, "getting a container");
	}
	memset(info, 0, sizeof(*info));
	if (brig_nl_request(nl, msg, parse_get, info, "getting a container", err) < 0)
		return -1;
	if (!info->id)
		return brig_error_make(err, EPROTO, "brig.ko sent no container");
	return 0;
}

struct dump_state {
	int (*fn)(const struct brig_container_info *info, void *arg);
	void *arg;
	int stopped;
};

static int parse_dump(const struct nlmsghdr *hdr, struct nlattr **tb,
		      void *arg, struct brig_error **err)
{
	struct dump_state *state = arg;
	struct brig_container_info info;

	if (state->stopped)
		return 0;
	if (parse_container(hdr, tb, &info, err) < 0)
		return -1;
	state->stopped = state->fn(&info, state->arg);
	return 0;
}

int brig_nl_dump(struct brig_nl *nl,
		 int (*fn)(const struct brig_container_info *info, void *arg),
		 void *arg, struct brig_error **err)
{
	struct dump_state state = { .fn = fn, .arg = arg };
	struct nl_msg *msg = brig_nl_msg(nl, BRIG_CMD_GET, NLM_F_DUMP);

	if (!msg)
		return brig_error_make(err, ENOMEM, "listing containers");
	return brig_nl_request(nl, msg, parse_dump, &state, "listing containers", err);
}

int brig_nl_subscribe(struct brig_nl *nl, struct brig_error **err)
{
	/* Room for a burst: the module sends a full ring of events at once. */
	int rcvbuf = 8 << 20;
	int group, ret;

	group = genl_ctrl_resolve_grp(nl->sock, BRIG_GENL_NAME, BRIG_MCGRP_EVENTS);
	if (group < 0)
		return brig_error_make(err, 0, "finding the events group: %s",
				       nl_geterror(group));
	ret = nl_socket_add_membership(nl->sock, group);
	if (ret < 0)
		return brig_error_make(err, 0,
			"joining the events group: %s (it needs CAP_NET_ADMIN)",
			nl_geterror(ret));
	/* Past the system's limit takes CAP_NET_ADMIN, which joining needs. */
	if (setsockopt(nl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)))
		setsockopt(nl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	return 0;
}

static int accept_any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

struct event_state {
	struct brig_event_info *ev;
	int got;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct event_state *state = arg;
	struct brig_event_info *ev = state->ev;
	struct nlattr *tb[BRIG_A_MAX + 1], *attr;
	struct genlmsghdr *ghdr = nlmsg_data(nlmsg_hdr(msg));
	int rem;

	if (ghdr->cmd != BRIG_CMD_EVENT ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, BRIG_A_MAX, NULL) < 0 ||
	    !tb[BRIG_A_ID] || !tb[BRIG_A_EVENT])
		return NL_SKIP;
	memset(ev, 0, sizeof(*ev));
	ev->id = nla_get_u32(tb[BRIG_A_ID]);
	if (tb[BRIG_A_NAME])
		snprintf(ev->name, sizeof(ev->name), "%s", nla_get_string(tb[BRIG_A_NAME]));
	nla_for_each_nested(attr, tb[BRIG_A_EVENT], rem) {
		switch (nla_type(attr)) {
		case BRIG_EVENT_A_KIND: ev->kind = nla_get_u32(attr); break;
		case BRIG_EVENT_A_VERDICT: ev->verdict = nla_get_u32(attr); break;
		case BRIG_EVENT_A_PID: ev->pid = nla_get_u32(attr); break;
		case BRIG_EVENT_A_COMM:
			snprintf(ev->comm, sizeof(ev->comm), "%s", nla_get_string(attr));
			break;
		case BRIG_EVENT_A_CAP: ev->cap = nla_get_u32(attr); break;
		case BRIG_EVENT_A_FAMILY: ev->family = nla_get_u32(attr); break;
		case BRIG_EVENT_A_TYPE: ev->type = nla_get_u32(attr); break;
		case BRIG_EVENT_A_PROTOCOL: ev->protocol = nla_get_u32(attr); break;
		case BRIG_EVENT_A_PIDS_MAX: ev->pids_max = nla_get_u32(attr); break;
		case BRIG_EVENT_A_LOST: ev->lost = nla_get_u32(attr); break;
		case BRIG_EVENT_A_PATH:
			snprintf(ev->path, sizeof(ev->path), "%s", nla_get_string(attr));
			break;
		case BRIG_EVENT_A_REQUESTED: ev->requested = nla_get_u32(attr); break;
		case BRIG_EVENT_A_DENIED: ev->denied = nla_get_u32(attr); break;
		case BRIG_EVENT_A_OP:
			snprintf(ev->op, sizeof(ev->op), "%s", nla_get_string(attr));
			break;
		case BRIG_EVENT_A_DEVICE: ev->dev = nla_get_u32(attr); break;
		case BRIG_EVENT_A_DEVICE_TYPE: ev->dev_type = nla_get_u32(attr); break;
		}
	}
	state->got = 1;
	return NL_STOP;
}

int brig_nl_next_event(struct brig_nl *nl, struct brig_event_info *ev,
		       int timeout_ms, struct brig_error **err)
{
	struct event_state state = { .ev = ev };
	struct pollfd pfd = { .fd = nl_socket_get_fd(nl->sock), .events = POLLIN };
	struct nl_cb *cb;
	int ret;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return brig_error_make(err, ENOMEM, "events");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &state);
	/* Events are not replies: they carry no sequence number of ours. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, accept_any_seq, NULL);
	while (!state.got) {
		ret = poll(&pfd, 1, timeout_ms);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			nl_cb_put(cb);
			return brig_error_make(err, errno, "waiting for events");
		}
		if (ret == 0)
			break;
		ret = nl_recvmsgs(nl->sock, cb);
		/*
		 * ENOBUFS (NLE_NOMEM): our socket overflowed and the kernel
		 * dropped events for us; what it kept still follows.
		 */
		if (ret < 0 && ret != -NLE_AGAIN && ret != -NLE_NOMEM) {
			nl_cb_put(cb);
			return brig_error_make(err, 0, "reading events: %s",
					       nl_geterror(ret));
		}
	}
	nl_cb_put(cb);
	return state.got;
}

int brig_nl_send_raw(struct brig_nl *nl, const void *payload, size_t len,
		     char *extack, size_t extack_len, struct brig_error **err)
{
	struct brig_request req = { 0 };
	struct nl_msg *msg;
	int ret;

	/* A page by default: a test's message may be longer. */
	msg = nlmsg_alloc_size(NLMSG_HDRLEN + NLMSG_ALIGN(len));
	if (msg && !nlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			      NLM_F_REQUEST | NLM_F_ACK)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (!msg || nlmsg_append(msg, (void *)payload, len, 0) < 0) {
		nlmsg_free(msg);
		return brig_error_make(err, ENOMEM, "raw message");
	}
	ret = brig_nl_transact(nl, msg, &req, err);
	if (extack && extack_len)
		snprintf(extack, extack_len, "%s", req.extack);
	return ret;
}
