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
#include "nl_private.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

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
int brig_nl_transact(struct brig_nl *nl, struct nl_msg *msg,
		     struct brig_request *req, struct brig_error **err)
{
	struct nl_msg *owned brig_cleanup_nlmsg = msg;
	struct nl_cb *cb brig_cleanup_nl_cb = NULL;
	int ret;

	req->status = 1;
	req->extack[0] = '\0';
	req->err = err;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return brig_error_make(err, ENOMEM, "netlink");
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, req);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, req);

	ret = nl_send_auto(nl->sock, owned);
	if (ret < 0)
		return brig_error_make(err, 0, "sending to brig.ko: %s",
				       nl_geterror(ret));
	while (req->status > 0) {
		ret = nl_recvmsgs(nl->sock, cb);
		if (ret < 0 && req->status > 0)
			return brig_error_make(err, 0, "reading from brig.ko: %s",
					       nl_geterror(ret));
	}
	if (req->status == -EPROTO && err && *err)
		return -1;	/* our parser's error, already made */
	return req->status;
}

/* brig_nl_transact(), with a refusal turned into an error naming @what. */
int brig_nl_request(struct brig_nl *nl, struct nl_msg *msg,
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

struct nl_msg *brig_nl_msg(struct brig_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg brig_cleanup_nlmsg = nlmsg_alloc();

	if (!msg ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 /* a dump ends with NLMSG_DONE, not an ack */
			 NLM_F_REQUEST | (flags & NLM_F_DUMP ? 0 : NLM_F_ACK) | flags, cmd,
			 BRIG_GENL_VERSION))
		return NULL;
	return brig_steal(&msg);
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
	struct nl_msg *msg brig_cleanup_nlmsg = brig_nl_msg(nl, BRIG_CMD_PING, 0);
	struct ping_reply r = { 0 };

	if (!msg)
		return brig_error_make(err, ENOMEM, "ping");
	if (nla_put_u64(msg, BRIG_A_COOKIE, cookie) < 0)
		return brig_error_make(err, EMSGSIZE, "ping");
	if (brig_nl_request(nl, brig_steal(&msg), parse_ping, &r, "ping", err) < 0)
		return -1;
	if (!r.has_version)
		return brig_error_make(err, EPROTO, "ping: brig.ko sent no reply");
	*version = r.version;
	*echo = r.cookie;
	return 0;
}

int brig_nl_send_raw(struct brig_nl *nl, const void *payload, size_t len,
		     char *extack, size_t extack_len, struct brig_error **err)
{
	/* A page by default: a test's message may be longer. */
	struct nl_msg *msg brig_cleanup_nlmsg =
		nlmsg_alloc_size(NLMSG_HDRLEN + NLMSG_ALIGN(len));
	struct brig_request req = { 0 };
	int ret;

	if (!msg ||
	    !nlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
		       NLM_F_REQUEST | NLM_F_ACK) ||
	    nlmsg_append(msg, (void *)payload, len, 0) < 0)
		return brig_error_make(err, ENOMEM, "raw message");
	ret = brig_nl_transact(nl, brig_steal(&msg), &req, err);
	if (extack && extack_len)
		snprintf(extack, extack_len, "%s", req.extack);
	return ret;
}
