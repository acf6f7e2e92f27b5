// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig netlink client. Every request goes through brig_nl_request(),
 * which turns the kernel's error and its extack message into a brig_error.
 */
#include <errno.h>
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

/* State of one request while its replies are read. */
struct brig_request {
	int status;		/* 1 while waiting, 0 acked, -errno refused */
	char extack[256];	/* the kernel's reason, if it gave one */
	int (*parse)(struct nlattr **tb, void *arg, struct brig_error **err);
	void *parse_arg;
	struct brig_error **err;
};

static void copy_extack(struct brig_request *req, const struct nlmsghdr *hdr,
			const struct nlmsgerr *e)
{
	/* With NETLINK_CAP_ACK the echoed request is its header only. */
	size_t offset = NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(*e));
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
	copy_extack(req, hdr, e);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct brig_request *req = arg;

	(void)msg;
	req->status = 0;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct brig_request *req = arg;
	struct nlattr *tb[BRIG_A_MAX + 1];
	int ret;

	ret = genlmsg_parse(nlmsg_hdr(msg), 0, tb, BRIG_A_MAX, NULL);
	if (ret < 0) {
		brig_error_make(req->err, EPROTO, "malformed reply from brig.ko");
		req->status = -EPROTO;
		return NL_STOP;
	}
	if (req->parse && req->parse(tb, req->parse_arg, req->err) < 0) {
		req->status = -EPROTO;
		return NL_STOP;
	}
	return NL_OK;
}

/*
 * Sends @msg (consumed) and reads until the kernel acks or refuses it;
 * each reply message is handed to @parse.
 */
static int brig_nl_request(struct brig_nl *nl, struct nl_msg *msg,
			   int (*parse)(struct nlattr **, void *,
					struct brig_error **),
			   void *arg, const char *what, struct brig_error **err)
{
	struct brig_request req = {
		.status = 1, .parse = parse, .parse_arg = arg, .err = err,
	};
	struct nl_cb *cb;
	int ret;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return brig_error_make(err, ENOMEM, "%s", what);
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &req);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &req);

	ret = nl_send_auto(nl->sock, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		nl_cb_put(cb);
		return brig_error_make(err, 0, "%s: sending to brig.ko: %s",
				       what, nl_geterror(ret));
	}
	while (req.status > 0) {
		ret = nl_recvmsgs(nl->sock, cb);
		if (ret < 0 && req.status > 0) {
			nl_cb_put(cb);
			return brig_error_make(err, 0, "%s: reading from brig.ko: %s",
					       what, nl_geterror(ret));
		}
	}
	nl_cb_put(cb);
	if (req.status == 0)
		return 0;
	if (err && *err)
		return brig_error_wrap(err, "%s", what);
	if (req.extack[0])
		return brig_error_make(err, -req.status, "%s: %s", what, req.extack);
	return brig_error_make(err, -req.status, "%s", what);
}

static struct nl_msg *brig_nl_msg(struct brig_nl *nl, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_REQUEST | NLM_F_ACK, cmd, BRIG_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int brig_nl_open(struct brig_nl **out, struct brig_error **err)
{
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

static int parse_ping(struct nlattr **tb, void *arg, struct brig_error **err)
{
	struct ping_reply *r = arg;

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

	msg = brig_nl_msg(nl, BRIG_CMD_PING);
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
