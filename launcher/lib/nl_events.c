// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig netlink client: the events group, joined on a client of its own,
 * and one event at a time into struct brig_event_info.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <brig.h>

#include "nl.h"
#include "nl_private.h"

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
	struct sockaddr_nl *from = nlmsg_get_src(msg);
	int rem;

	/*
	 * brig.ko's, and no one else's: any task with CAP_NET_ADMIN in this
	 * network namespace may send to the group, and an event may now set
	 * off a rule's action.
	 */
	if (!from || from->nl_pid != 0)
		return NL_SKIP;
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
	struct nl_cb *cb brig_cleanup_nl_cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return brig_error_make(err, ENOMEM, "events");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &state);
	/* Events are not replies: they carry no sequence number of ours. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, accept_any_seq, NULL);
	while (!state.got) {
		ret = poll(&pfd, 1, timeout_ms);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return brig_error_make(err, errno, "waiting for events");
		if (ret == 0)
			break;
		ret = nl_recvmsgs(nl->sock, cb);
		/*
		 * ENOBUFS (NLE_NOMEM): our socket overflowed and the kernel
		 * dropped events for us; what it kept still follows.
		 */
		if (ret < 0 && ret != -NLE_AGAIN && ret != -NLE_NOMEM)
			return brig_error_make(err, 0, "reading events: %s",
					       nl_geterror(ret));
	}
	return state.got;
}
