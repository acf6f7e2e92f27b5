// SPDX-License-Identifier: GPL-2.0
/*
 * libbrig: the .pol statements that make rules (docs/policy-language.md): caps,
 * file rules (allow is in pol_statements.c; deny, audit, audit deny) and
 * deny network. pol_statements.c's table dispatches to them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <brig.h>

#include "dfa.h"
#include "pol_parse.h"

int pol_st_caps(struct parser *p)
{
	bool add;
	size_t i;

	if (p->n < 3 || (strcmp(p->w[1].text, "add") && strcmp(p->w[1].text, "drop")))
		return pol_err(p, &p->w[p->n < 2 ? 0 : 1], 0,
			       "expected `caps add CAP...` or `caps drop CAP...`");
	add = !strcmp(p->w[1].text, "add");
	for (i = 2; i < p->n; i++) {
		uint64_t bits;
		int cap;

		if (!strcasecmp(p->w[i].text, "ALL")) {
			bits = BRIG_ALL_CAPS;
		} else {
			const char *name = p->w[i].text, *best = NULL;
			size_t d, best_d = 3;
			int c;

			cap = brig_cap_from_name(name);
			if (cap < 0) {
				if (!strncasecmp(name, "CAP_", 4))
					name += 4;
				for (c = 0; c < BRIG_CAPS_COUNT; c++) {
					d = pol_distance(name, brig_cap_name(c));
					if (d < best_d) {
						best_d = d;
						best = brig_cap_name(c);
					}
				}
				if (best)
					return pol_err(p, &p->w[i], 0,
						       "unknown capability '%s' (did you mean %s?)",
						       p->w[i].text, best);
				return pol_err(p, &p->w[i], 0, "unknown capability '%s'",
					       p->w[i].text);
			}
			bits = 1ULL << cap;
		}
		if (add)
			p->pol->caps |= bits;
		else
			p->pol->caps &= ~bits;
	}
	return 0;
}

static int perms_from_letters(struct parser *p, const struct word *w,
			      uint32_t *perms)
{
	static const char letters[] = "rwalkmx";
	size_t i;

	*perms = 0;
	for (i = 0; w->text[i]; i++) {
		const char *at = strchr(letters, w->text[i]);

		if (!at)
			return pol_err(p, w, i, "unknown permission '%c': letters are r w a l k m x",
				       w->text[i]);
		*perms |= 1U << (at - letters);
	}
	if (!*perms)
		return pol_err(p, w, 0, "expected permission letters");
	/* w implies a. */
	if (*perms & BRIG_PERM_WRITE)
		*perms |= BRIG_PERM_APPEND;
	return 0;
}

static int add_socket_rule(struct parser *p, uint32_t family, uint32_t type)
{
	if (p->pol->n_socket_rules == BRIG_SOCKET_RULES_MAX)
		return pol_err(p, &p->w[0], 0, "more than %d network rules",
			       BRIG_SOCKET_RULES_MAX);
	p->pol->socket_rules[p->pol->n_socket_rules++] =
		(struct brig_socket_rule){ family, type };
	return 0;
}

/* deny network [FAMILY] [TYPE] */
static int st_deny_network(struct parser *p)
{
	static const struct { const char *name; uint32_t v; } families[] = {
		{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "packet", AF_PACKET },
		{ "unix", AF_UNIX }, { "netlink", AF_NETLINK }, { "any", 0 },
	}, types[] = {
		{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM },
		{ "raw", SOCK_RAW }, { "seqpacket", SOCK_SEQPACKET }, { "any", 0 },
	};
	uint32_t family = 0, type = 0;
	size_t i, at = 2;
	bool got;

	if (p->n > 4)
		return pol_err(p, &p->w[4], 0, "expected `deny network [FAMILY] [TYPE]`");
	if (at < p->n) {
		for (got = false, i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
			if (!strcmp(p->w[at].text, families[i].name)) {
				family = families[i].v;
				got = true;
			}
		}
		at += got;
	}
	if (at < p->n) {
		for (got = false, i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			if (!strcmp(p->w[at].text, types[i].name)) {
				type = types[i].v;
				got = true;
			}
		}
		if (!got)
			return pol_err(p, &p->w[at], 0,
				       at == 2 ? "unknown network family or type '%s'" :
						 "unknown socket type '%s': stream dgram raw seqpacket or any",
				       p->w[at].text);
		at++;
	}
	if (at < p->n)
		return pol_err(p, &p->w[at], 0, "expected `deny network [FAMILY] [TYPE]`");
	/* `deny network raw`: SOCK_RAW everywhere, and every packet socket. */
	if (!family && type == SOCK_RAW && add_socket_rule(p, AF_PACKET, 0) < 0)
		return -1;
	return add_socket_rule(p, family, type);
}

/* deny GLOB PERMS, audit GLOB PERMS, audit deny GLOB PERMS */
static int st_file_rule(struct parser *p, bool deny, bool audit, size_t first)
{
	struct brig_file_rule *rule;
	const char *why;
	uint32_t perms;
	size_t offset;

	if (p->n - first != 2)
		return pol_err(p, &p->w[p->n - 1], 0, "expected `%s GLOB PERMS`",
			       first == 2 ? "audit deny" : p->w[0].text);
	if (brig_glob_check(p->w[first].text, &offset, &why) < 0)
		return pol_err(p, &p->w[first], (int)offset, "%s", why);
	if (perms_from_letters(p, &p->w[first + 1], &perms) < 0)
		return -1;
	p->pol->file_rules = pol_realloc(p->pol->file_rules,
					 (p->pol->n_file_rules + 1) * sizeof(*rule));
	rule = &p->pol->file_rules[p->pol->n_file_rules++];
	rule->glob = pol_strdup(p->w[first].text);
	rule->deny = deny ? perms : 0;
	rule->audit = audit ? perms : 0;
	return 0;
}

int pol_st_deny(struct parser *p)
{
	if (p->n >= 2 && !strcmp(p->w[1].text, "network"))
		return st_deny_network(p);
	return st_file_rule(p, true, false, 1);
}

int pol_st_audit(struct parser *p)
{
	if (p->n >= 2 && !strcmp(p->w[1].text, "deny"))
		return st_file_rule(p, true, true, 2);
	return st_file_rule(p, false, true, 1);
}
