/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig's netlink client, inside: what nl.c (the socket, requests and
 * their replies), nl_container.c (registration, policies, GET and dumps)
 * and nl_events.c (the events group) share. Not for use outside them.
 */
#ifndef BRIG_NL_PRIVATE_H
#define BRIG_NL_PRIVATE_H

#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "cleanup.h"
#include "error.h"

static inline void brig_nlmsg_freep(struct nl_msg **msg)
{
	nlmsg_free(*msg);	/* takes NULL */
	*msg = NULL;
}

static inline void brig_nl_cb_putp(struct nl_cb **cb)
{
	if (*cb)
		nl_cb_put(*cb);
	*cb = NULL;
}

#define brig_cleanup_nlmsg __attribute__((cleanup(brig_nlmsg_freep)))
#define brig_cleanup_nl_cb __attribute__((cleanup(brig_nl_cb_putp)))

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

/*
 * Sends @msg (consumed) and reads until the kernel acks it, refuses it or
 * ends its dump; each reply message goes to req->parse. Returns 0 or the
 * kernel's -errno (its message in req->extack), or -1 with *err set.
 */
int brig_nl_transact(struct brig_nl *nl, struct nl_msg *msg,
		     struct brig_request *req, struct brig_error **err);
/* brig_nl_transact(), with a refusal turned into an error naming @what. */
int brig_nl_request(struct brig_nl *nl, struct nl_msg *msg,
		    brig_parse_fn parse, void *arg, const char *what,
		    struct brig_error **err);
/* A request of @cmd for brig's family (NLM_F_DUMP in @flags: a dump). */
struct nl_msg *brig_nl_msg(struct brig_nl *nl, uint8_t cmd, int flags);

#endif /* BRIG_NL_PRIVATE_H */
