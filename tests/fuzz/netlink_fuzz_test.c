// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink fuzzer: random and mutated messages for the real
 * "brig" family, from two threads at once, while a third registers
 * containers, replaces their policies, lets them exit and tries to unload
 * the module.
 *
 *   fuzzer 0 --\                     each owns a witness container (registered,
 *   fuzzer 1 ----> brig.ko           its policy known) and a spare pid
 *   churn    --/                     namespace nobody has registered
 *
 * Every message is built from a template of one command (valid-looking
 * targets, policies, DFA blobs compiled by libbrig), then mutated: attribute
 * types, flags, lengths and nesting, truncation, oversized payloads, chunks
 * of a DFA with corrupted tables, random bytes, bad headers. The run fails if:
 * - a message gets no answer within a minute (the module stopped answering);
 * - a witness's policy is not exactly what was last accepted for it: a
 *   refused message changed it, or an accepted one was applied in part;
 * - a registration the fuzzer made of its spare is not what it sent;
 * - the module unloads while a container lives, or will not unload at the end;
 * - a hook call was skipped, or the anchor's UDP socket is no longer refused;
 * - the kernel reports anything (scripts/vm scans the log).
 *
 * A message that would change another fuzzer's witness or spare, or the
 * anchor (a container that lives through the run, so the module may never
 * unload), is not sent: such messages are checked and sent under owners_lock,
 * which a fuzzer also holds while it replaces its witness or spare. Messages
 * that change nothing (PING, GET, dumps, bad headers) go out concurrently.
 *
 * BRIG_FUZZ_MESSAGES (default 100,000, both fuzzers together) and
 * BRIG_FUZZ_SEED (default 1) choose the run; each fuzzer's choices come from
 * the seed alone (the ids and pids they pick among are the run's), so a
 * finding replays.
 */
#include <inttypes.h>
#include <pthread.h>
#include <time.h>
#include <stdatomic.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <netlink/attr.h>

#include "common.h"
#include "lib/dfa.h"

#define FUZZERS 2
#define MSG_MAX (160 * 1024)	/* past the 64 KiB an attribute can say */
#define ANSWER_TIMEOUT_S 60
#define DFA_COPY_MAX (72 * 1024)	/* a blob, and garbage after it */

/* ---- randomness: splitmix64, one stream per fuzzer ---- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? rnd(r) % n : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

/* ---- DFA blobs: a few real ones, compiled once ---- */

static const char *const glob_sets[][4] = {
	{ "/etc/**", NULL },
	{ "/bin/{sh,dash,bash}", "/usr/bin/top", NULL },
	{ "/**/.ssh/**", "/root/*", "/tmp/[a-z]?*", NULL },
	{ "/srv/**/*.{conf,key}", "/proc/sys/**", "/sys/**", "/dev/mem" },
};
#define N_BLOBS (sizeof(glob_sets) / sizeof(glob_sets[0]))

static struct {
	void *data;
	size_t len;
} blobs[N_BLOBS];

static int compile_blobs(void)
{
	struct brig_error *err = NULL;
	size_t i, n;

	for (i = 0; i < N_BLOBS; i++) {
		struct brig_file_rule rules[4];
		struct brig_dfa *dfa;

		for (n = 0; n < 4 && glob_sets[i][n]; n++)
			rules[n] = (struct brig_file_rule){
				glob_sets[i][n], BRIG_PERM_WRITE << (n % 3), n == 1 ? BRIG_PERM_READ : 0,
			};
		if (brig_dfa_compile(rules, n, &dfa, &err) < 0 ||
		    brig_dfa_serialize(dfa, &blobs[i].data, &blobs[i].len, &err) < 0) {
			fprintf(stderr, "compiling DFA %zu: %s\n", i, err->msg);
			brig_error_free(&err);
			return -1;
		}
		brig_dfa_free(dfa);
		if (blobs[i].len > DFA_COPY_MAX / 2) {
			fprintf(stderr, "DFA %zu: %zu bytes, more than put_dfa() takes\n",
				i, blobs[i].len);
			return -1;
		}
	}
	return 0;
}

/* ---- a message under construction ---- */

struct msg {
	unsigned char buf[MSG_MAX + 16];	/* slack: parse_sent() reads a short last value */
	size_t len;		/* bytes to send */
	bool header_ok;		/* nlmsg_len says len, and it holds a genl header */
};

static struct nlmsghdr *msg_hdr(struct msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

static bool room(const struct msg *m, size_t len)
{
	return m->len + NLA_ALIGN(NLA_HDRLEN + len) <= MSG_MAX;
}

/* Appends an attribute (cut to what fits); returns its offset. */
static size_t put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	size_t at = m->len;
	struct nlattr *nla;

	if (!room(m, len))
		len = MSG_MAX - m->len < NLA_HDRLEN + 4 ? 0 : MSG_MAX - m->len - NLA_HDRLEN - 4;
	if (m->len + NLA_HDRLEN > MSG_MAX)
		return at;
	nla = (struct nlattr *)(m->buf + m->len);
	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len > 0xffff ? 0xffff : NLA_HDRLEN + len;
	if (data)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	else
		memset(m->buf + m->len + NLA_HDRLEN, 0, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
	return at;
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put(m, type, &v, sizeof(v));
}

static void put_u64(struct msg *m, uint16_t type, uint64_t v)
{
	put(m, type, &v, sizeof(v));
}

static size_t nest_start(struct msg *m, uint16_t type)
{
	return put(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m, size_t at)
{
	size_t len = m->len - at;

	((struct nlattr *)(m->buf + at))->nla_len = len > 0xffff ? 0xffff : len;
}

/* ---- what the fuzzers share ---- */

static atomic_bool stop;
static atomic_int max_pid;
static uint16_t family;
static pthread_mutex_t owners_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fuzzer *owners[FUZZERS];
static struct brig_box anchor;
#define ANCHOR_NAME "fuzz-anchor"

struct fuzzer {
	int index;
	struct rng rng;
	int fd;			/* raw NETLINK_GENERIC socket */
	uint32_t seq;
	struct brig_nl *nl;	/* for GET and the boxes */
	struct brig_box witness;
	char witness_name[32];
	struct brig_policy_spec expected;	/* the witness's policy now */
	pid_t spare;		/* the init of an unregistered pid namespace */
	char spare_name[32];
	unsigned long budget;
	/* counts */
	unsigned long sent, answered, acked, refused, unanswered, checked;
	unsigned long applied, registered, unregistered, foreign;
	char failure[512];
};

static void fuzz_fail(struct fuzzer *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fuzz_fail(struct fuzzer *f, const char *fmt, ...)
{
	va_list ap;

	if (f->failure[0])
		return;
	va_start(ap, fmt);
	vsnprintf(f->failure, sizeof(f->failure), fmt, ap);
	va_end(ap);
	atomic_store(&stop, true);
}

static void note_pid(pid_t pid)
{
	int seen = atomic_load(&max_pid);

	while (pid > seen && !atomic_compare_exchange_weak(&max_pid, &seen, pid))
		;
}

/* A pid namespace whose init waits to be killed; nobody registers it here. */
static pid_t spare_start(void)
{
	pid_t pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, 0);

	if (pid == 0) {
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		for (;;)
			pause();
	}
	if (pid > 0)
		note_pid(pid);
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static const struct brig_policy_spec witness_policy = {
	.caps = DOCKER_DEFAULT_CAPS, .pids_max = 64,
};

/* A new witness; under owners_lock once the fuzzers run. */
static int witness_start(struct fuzzer *f)
{
	static unsigned int generation;
	struct brig_error *err = NULL;
	int ret = 0;

	pthread_mutex_lock(&owners_lock);
	snprintf(f->witness_name, sizeof(f->witness_name), "fuzz-witness-%d.%u",
		 f->index, generation++);
	if (brig_box_start(f->nl, &f->witness, f->witness_name, &witness_policy,
			   brig_box_idle, NULL, 0, &err) < 0) {
		fuzz_fail(f, "starting a witness: %s", err->msg);
		brig_error_free(&err);
		f->witness.id = 0;
		ret = -1;
	} else {
		note_pid(f->witness.pid);
		f->expected = witness_policy;
		f->expected.mode = BRIG_MODE_ENFORCE;
	}
	pthread_mutex_unlock(&owners_lock);
	return ret;
}

/* ---- the templates ---- */

static void put_target(struct fuzzer *f, struct msg *m)
{
	char name[BRIG_NAME_MAX + 8];
	size_t i, n;

	switch (below(&f->rng, 6)) {
	case 0:
	case 1:
		put_u32(m, BRIG_A_ID, f->witness.id);
		break;
	case 2:
		put(m, BRIG_A_NAME, f->witness_name, strlen(f->witness_name) + 1);
		break;
	case 3:
		/* Any container (not another's: see owners_lock). */
		put_u32(m, BRIG_A_ID, below(&f->rng, f->witness.id + 8));
		break;
	case 4:
		/* A name nobody has, valid or not, maybe unterminated. */
		n = below(&f->rng, sizeof(name));
		for (i = 0; i < n; i++)
			name[i] = chance(&f->rng, 80) ? 'a' + below(&f->rng, 26) : rnd(&f->rng);
		name[0] = 'z';
		put(m, BRIG_A_NAME, name, chance(&f->rng, 90) && n ? (name[n - 1] = 0, n) : n);
		break;
	default:
		put_u32(m, BRIG_A_ID, f->witness.id);
		put(m, BRIG_A_NAME, f->witness_name, strlen(f->witness_name) + 1);
		break;
	}
}

static uint32_t some_u32(struct rng *r, uint32_t sensible)
{
	switch (below(r, 8)) {
	case 0: return 0;
	case 1: return UINT32_MAX;
	case 2: return rnd(r);
	default: return sensible;
	}
}

static void put_policy(struct fuzzer *f, struct msg *m)
{
	struct rng *r = &f->rng;
	size_t nest = nest_start(m, BRIG_A_POLICY), rule;
	uint32_t i, n;

	if (chance(r, 70))
		put_u32(m, BRIG_POLICY_A_MODE, some_u32(r, 1 + below(r, BRIG_MODE_MAX)));
	if (chance(r, 95))
		put_u64(m, BRIG_POLICY_A_CAPS, chance(r, 80) ? rnd(r) & ((1ULL << 41) - 1) :
			rnd(r));
	if (chance(r, 50))
		put_u32(m, BRIG_POLICY_A_PIDS_MAX, some_u32(r, 1 + below(r, 4096)));
	if (chance(r, 30))
		put_u32(m, BRIG_POLICY_A_FLAGS, some_u32(r, below(r, BRIG_POLICY_F_ALL + 1)));
	n = chance(r, 5) ? BRIG_SOCKET_RULES_MAX + below(r, 3) : below(r, 4);
	for (i = 0; i < n; i++) {
		rule = nest_start(m, BRIG_POLICY_A_SOCKET_DENY);
		if (chance(r, 80))
			put_u32(m, BRIG_SOCKET_A_FAMILY, some_u32(r, below(r, AF_MAX)));
		if (chance(r, 80))
			put_u32(m, BRIG_SOCKET_A_TYPE, some_u32(r, below(r, SOCK_PACKET + 1)));
		nest_end(m, rule);
	}
	n = chance(r, 3) ? BRIG_DEVICE_RULES_MAX + below(r, 3) : below(r, 3);
	for (i = 0; i < n; i++) {
		rule = nest_start(m, BRIG_POLICY_A_DEVICE);
		if (chance(r, 90))
			put_u32(m, BRIG_DEVICE_A_TYPE, some_u32(r, 1 + below(r, 2)));
		if (chance(r, 70))
			put_u32(m, BRIG_DEVICE_A_MAJOR, some_u32(r, below(r, 300)));
		if (chance(r, 70))
			put_u32(m, BRIG_DEVICE_A_MINOR, some_u32(r, below(r, 300)));
		if (chance(r, 90))
			put_u32(m, BRIG_DEVICE_A_ACCESS, some_u32(r, 1 + below(r, 3)));
		nest_end(m, rule);
	}
	if (chance(r, 3))
		put_u32(m, BRIG_POLICY_A_DFA_STATES, rnd(r));	/* replies only */
	nest_end(m, nest);
}

/* A real DFA, maybe corrupted, in 1 to 4 chunks (sometimes empty or too large). */
static void put_dfa(struct fuzzer *f, struct msg *m)
{
	static __thread unsigned char copy[DFA_COPY_MAX];
	struct rng *r = &f->rng;
	size_t len, at, cut, i, n;
	unsigned int k;

	k = below(r, N_BLOBS);
	len = blobs[k].len;
	memcpy(copy, blobs[k].data, len);
	if (chance(r, 60)) {
		struct brig_dfa_header *h = (struct brig_dfa_header *)copy;

		switch (below(r, 7)) {
		case 0: h->n_states = some_u32(r, h->n_states + 1 - 2 * below(r, 2)); break;
		case 1: h->n_classes = rnd(r); break;
		case 2: h->magic ^= 1U << below(r, 32); break;
		case 3: h->version = rnd(r); h->reserved = chance(r, 50) ? rnd(r) : 0; break;
		case 4: len = below(r, len); break;	/* truncated */
		case 5:	/* garbage after it */
			n = below(r, sizeof(copy) - len);
			for (i = 0; i < n; i++)
				copy[len + i] = rnd(r);
			len += n;
			break;
		default:	/* bad class, accept or transition entries */
			for (n = 1 + below(r, 8); n; n--)
				((uint32_t *)copy)[below(r, len / 4)] = some_u32(r, below(r, 64));
			break;
		}
	}
	if (chance(r, 3)) {
		put(m, BRIG_A_DFA, NULL, chance(r, 50) ? 0 : BRIG_DFA_CHUNK_MAX + 1 + below(r, 7));
		return;
	}
	for (at = 0, n = 1 + below(r, 4); at < len && n; n--) {
		cut = n == 1 ? len - at : below(r, len - at + 1);
		if (cut > BRIG_DFA_CHUNK_MAX)
			cut = BRIG_DFA_CHUNK_MAX;
		put(m, BRIG_A_DFA, copy + at, cut);
		at += cut;
	}
}

static void put_random_attrs(struct rng *r, struct msg *m, int depth)
{
	unsigned char data[256];
	size_t len, i, nest;

	for (int n = below(r, 4); n; n--) {
		if (depth < 40 && chance(r, 25)) {
			nest = nest_start(m, below(r, BRIG_A_MAX + 3));
			put_random_attrs(r, m, depth + 1);
			nest_end(m, nest);
			continue;
		}
		len = chance(r, 50) ? 4U << below(r, 2) : below(r, sizeof(data));
		for (i = 0; i < len; i++)
			data[i] = rnd(r);
		put(m, below(r, 24) | (chance(r, 10) ? NLA_F_NET_BYTEORDER : 0), data, len);
	}
}

/* ---- mutations of a finished body ---- */

/* Offsets of the attributes in @m at the top level of the body. */
static size_t top_attrs(struct msg *m, size_t *at, size_t max)
{
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN, n = 0;

	while (off + NLA_HDRLEN <= m->len && n < max) {
		struct nlattr *nla = (struct nlattr *)(m->buf + off);

		if (nla->nla_len < NLA_HDRLEN || off + nla->nla_len > m->len)
			break;
		at[n++] = off;
		off += NLA_ALIGN(nla->nla_len);
	}
	return n;
}

static void mutate(struct rng *r, struct msg *m)
{
	size_t at[64], n = top_attrs(m, at, 64), body = NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlattr *nla = n ? (struct nlattr *)(m->buf + at[below(r, n)]) : NULL;

	switch (below(r, 8)) {
	case 0:	/* a random byte anywhere past the netlink header */
		if (m->len > NLMSG_HDRLEN)
			m->buf[NLMSG_HDRLEN + below(r, m->len - NLMSG_HDRLEN)] = rnd(r);
		break;
	case 1:	/* an attribute's type and flags */
		if (nla)
			nla->nla_type = chance(r, 50) ? rnd(r) :
					(nla->nla_type ^ (chance(r, 50) ? NLA_F_NESTED :
							  NLA_F_NET_BYTEORDER));
		break;
	case 2:	/* an attribute's length */
		if (nla)
			nla->nla_len = chance(r, 50) ? rnd(r) : nla->nla_len + below(r, 9) - 4;
		break;
	case 3:	/* the same attribute twice */
		if (nla && room(m, nla->nla_len)) {
			memmove(m->buf + m->len, nla, NLA_ALIGN(nla->nla_len));
			m->len += NLA_ALIGN(nla->nla_len);
		}
		break;
	case 4:	/* cut short */
		if (m->len > body)
			m->len = body + below(r, m->len - body);
		break;
	case 5:	/* an attribute dropped */
		if (nla) {
			size_t off = (unsigned char *)nla - m->buf;
			size_t len = NLA_ALIGN(nla->nla_len);

			if (len > m->len - off)	/* the last one, cut short */
				len = m->len - off;

			memmove(m->buf + off, m->buf + off + len, m->len - off - len);
			m->len -= len;
		}
		break;
	case 6:	/* oversized: a run of large attributes */
		for (int k = below(r, 5); k; k--)
			put(m, below(r, BRIG_A_MAX + 2), NULL, 8192 + below(r, 60000));
		break;
	default:
		put_random_attrs(r, m, 0);
		break;
	}
}

/* ---- one message ---- */

static const uint8_t commands[] = {
	BRIG_CMD_PING, BRIG_CMD_REGISTER, BRIG_CMD_SET_POLICY, BRIG_CMD_SET_POLICY,
	BRIG_CMD_SET_POLICY, BRIG_CMD_UNREGISTER, BRIG_CMD_GET, BRIG_CMD_EVENT,
};

static void build(struct fuzzer *f, struct msg *m)
{
	struct rng *r = &f->rng;
	struct nlmsghdr *nlh = msg_hdr(m);
	struct genlmsghdr *genl;
	uint8_t cmd;
	uint32_t pid;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	cmd = chance(r, 95) ? commands[below(r, sizeof(commands))] : rnd(r);
	genl = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	genl->cmd = cmd;
	genl->version = chance(r, 97) ? BRIG_GENL_VERSION : rnd(r);
	genl->reserved = chance(r, 97) ? 0 : rnd(r);

	switch (cmd) {
	case BRIG_CMD_PING:
		if (chance(r, 80))
			put_u64(m, BRIG_A_COOKIE, rnd(r));
		break;
	case BRIG_CMD_REGISTER:
		pid = chance(r, 60) ? (uint32_t)f->spare :
		      chance(r, 50) ? below(r, atomic_load(&max_pid) + 16) : some_u32(r, 1);
		if (chance(r, 95))
			put_u32(m, BRIG_A_INIT_PID, pid);
		if (chance(r, 95))
			put(m, BRIG_A_NAME, f->spare_name, strlen(f->spare_name) + 1);
		if (chance(r, 95))
			put_policy(f, m);
		if (chance(r, 40))
			put_dfa(f, m);
		break;
	case BRIG_CMD_SET_POLICY:
		put_target(f, m);
		/* A mode switch (BRIG_A_MODE) alone, now and then with a policy too. */
		if (chance(r, 15)) {
			put_u32(m, BRIG_A_MODE, chance(r, 90) ? 1 + below(r, 2) : some_u32(r, 1));
			if (chance(r, 80))
				break;
		}
		if (chance(r, 95))
			put_policy(f, m);
		if (chance(r, 50))
			put_dfa(f, m);
		break;
	case BRIG_CMD_UNREGISTER:
		/* Mostly not the witness: it would be gone for most of the run. */
		if (chance(r, 10))
			put_target(f, m);
		else
			put_u32(m, BRIG_A_ID, chance(r, 50) ? 0 : f->witness.id + 1000 +
				below(r, 1000));
		break;
	case BRIG_CMD_GET:
		if (chance(r, 70))
			put_target(f, m);
		break;
	default:
		put_random_attrs(r, m, 0);
		break;
	}
	for (int k = chance(r, 70) ? below(r, 4) : 0; k; k--)
		mutate(r, m);

	nlh->nlmsg_len = m->len;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (cmd == BRIG_CMD_GET && chance(r, 40))
		nlh->nlmsg_flags |= NLM_F_DUMP;
	if (chance(r, 3))
		nlh->nlmsg_flags ^= 1U << below(r, 16);
	nlh->nlmsg_seq = ++f->seq;
	m->header_ok = true;
	if (chance(r, 2)) {
		/* A header that lies about the message, or a message too short. */
		switch (below(r, 4)) {
		case 0: nlh->nlmsg_len = below(r, NLMSG_HDRLEN); break;
		case 1: nlh->nlmsg_len = m->len + 1 + below(r, 4096); break;
		case 2: m->len = below(r, NLMSG_HDRLEN + GENL_HDRLEN); break;
		default: nlh->nlmsg_type = below(r, NLMSG_MIN_TYPE); break;
		}
		m->header_ok = nlh->nlmsg_len == m->len && m->len >= NLMSG_HDRLEN &&
			       nlh->nlmsg_type >= NLMSG_MIN_TYPE;
	}
	if (m->header_ok && m->len < NLMSG_HDRLEN + GENL_HDRLEN)
		m->header_ok = false;
}

/* ---- what an accepted message said ---- */

struct sent {
	uint8_t cmd;
	bool has_id, has_name, has_pid, has_mode;
	uint32_t id, pid, mode;
	char name[BRIG_NAME_MAX];
	struct brig_policy_spec policy;
};

static void parse_policy(const struct nlattr *nest, struct brig_policy_spec *p)
{
	const struct nlattr *nla, *sub;
	int rem, rem2;

	p->mode = BRIG_MODE_ENFORCE;
	nla_for_each_nested(nla, nest, rem) {
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case BRIG_POLICY_A_MODE: p->mode = *(uint32_t *)nla_data(nla); break;
		case BRIG_POLICY_A_CAPS: memcpy(&p->caps, nla_data(nla), 8); break;
		case BRIG_POLICY_A_PIDS_MAX: p->pids_max = *(uint32_t *)nla_data(nla); break;
		case BRIG_POLICY_A_FLAGS: p->flags = *(uint32_t *)nla_data(nla); break;
		case BRIG_POLICY_A_DEVICE: {
			struct brig_device_rule *d;

			if (p->n_devices == BRIG_DEVICE_RULES_MAX)
				break;	/* more than the module takes: refused */
			d = &p->devices[p->n_devices++];
			*d = (struct brig_device_rule){
				.major = BRIG_DEVICE_ANY, .minor = BRIG_DEVICE_ANY,
			};
			nla_for_each_nested(sub, nla, rem2) {
				uint32_t v = *(uint32_t *)nla_data(sub);

				switch (sub->nla_type & NLA_TYPE_MASK) {
				case BRIG_DEVICE_A_TYPE: d->type = v; break;
				case BRIG_DEVICE_A_MAJOR: d->major = v; break;
				case BRIG_DEVICE_A_MINOR: d->minor = v; break;
				case BRIG_DEVICE_A_ACCESS: d->access = v; break;
				}
			}
			break;
		}
		case BRIG_POLICY_A_SOCKET_DENY: {
			struct brig_socket_rule *rule;

			/* More than the module takes: it refused the message. */
			if (p->n_socket_rules == BRIG_SOCKET_RULES_MAX)
				break;
			rule = &p->socket_rules[p->n_socket_rules++];

			nla_for_each_nested(sub, nla, rem2) {
				if ((sub->nla_type & NLA_TYPE_MASK) == BRIG_SOCKET_A_FAMILY)
					rule->family = *(uint32_t *)nla_data(sub);
				else
					rule->type = *(uint32_t *)nla_data(sub);
			}
			break;
		}
		}
	}
}

/* Reads an accepted message back as the module must have understood it. */
static void parse_sent(const struct msg *m, struct sent *s)
{
	const struct nlattr *nla;
	unsigned char header[sizeof(struct brig_dfa_header)] = { 0 };
	size_t body = NLMSG_HDRLEN + GENL_HDRLEN, dfa_len = 0, take;
	int rem;

	memset(s, 0, sizeof(*s));
	s->cmd = ((const struct genlmsghdr *)(m->buf + NLMSG_HDRLEN))->cmd;
	nla_for_each_attr(nla, (const struct nlattr *)(m->buf + body), (int)(m->len - body), rem) {
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case BRIG_A_ID:
			s->has_id = true;
			s->id = *(uint32_t *)nla_data(nla);
			break;
		case BRIG_A_INIT_PID:
			s->has_pid = true;
			s->pid = *(uint32_t *)nla_data(nla);
			break;
		case BRIG_A_NAME:
			s->has_name = true;
			snprintf(s->name, sizeof(s->name), "%.*s", nla_len(nla),
				 (const char *)nla_data(nla));
			break;
		case BRIG_A_POLICY:
			parse_policy(nla, &s->policy);
			break;
		case BRIG_A_MODE:
			s->has_mode = true;
			s->mode = *(uint32_t *)nla_data(nla);
			break;
		case BRIG_A_DFA:
			take = (size_t)nla_len(nla);
			if (dfa_len < sizeof(header))
				memcpy(header + dfa_len, nla_data(nla),
				       take < sizeof(header) - dfa_len ? take : sizeof(header) - dfa_len);
			dfa_len += take;
			break;
		}
	}
	if (dfa_len) {
		s->policy.dfa_states = ((struct brig_dfa_header *)header)->n_states;
		s->policy.dfa_bytes = dfa_len;
	}
}

/* Empty if @got is @want, else what differs. */
static void policy_diff(const struct brig_policy_spec *want,
			const struct brig_policy_spec *got, char *out, size_t len)
{
	size_t i;

	out[0] = '\0';
#define DIFF(field, fmt) do {						\
	if (want->field != got->field) {				\
		snprintf(out, len, #field " is " fmt ", not " fmt,	\
			 got->field, want->field);			\
		return;							\
	}								\
} while (0)
	DIFF(mode, "%u");
	DIFF(caps, "%#" PRIx64);
	DIFF(pids_max, "%u");
	DIFF(flags, "%#x");
	DIFF(n_socket_rules, "%zu");
	DIFF(n_devices, "%zu");
	DIFF(dfa_states, "%u");
	DIFF(dfa_bytes, "%u");
	for (i = 0; i < want->n_socket_rules; i++) {
		DIFF(socket_rules[i].family, "%u");
		DIFF(socket_rules[i].type, "%u");
	}
	for (i = 0; i < want->n_devices; i++) {
		DIFF(devices[i].type, "%u");
		DIFF(devices[i].major, "%u");
		DIFF(devices[i].minor, "%u");
		DIFF(devices[i].access, "%u");
	}
#undef DIFF
}

/* ---- sending and waiting ---- */

static int raw_open(void)
{
	struct timeval tv = { .tv_sec = ANSWER_TIMEOUT_S };
	struct sockaddr_nl self = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1, big = 8 << 20;

	if (fd < 0)
		return -1;
	/* Acks without a copy of the request, which may be 100 KiB. */
	if (bind(fd, (struct sockaddr *)&self, sizeof(self)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Reads until the answer to @seq: 0 with its error in *error (0 for an ack
 * or the end of a dump), the id of a REGISTER's reply in *id; -1 if none came.
 */
static int wait_answer(struct fuzzer *f, uint32_t seq, int *error, uint32_t *id)
{
	static __thread unsigned char buf[1 << 18];

	for (;;) {
		ssize_t n = recv(f->fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fuzz_fail(f, "seq %u: no answer (%s)", seq, strerror(errno));
			return -1;
		}
		for (; NLMSG_OK(nlh, (size_t)n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				*error = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				*error = 0;
				return 0;
			}
			if (nlh->nlmsg_type == family && id) {
				const struct nlattr *nla;
				int rem;

				nla_for_each_attr(nla, (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN),
						  (int)(nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN), rem)
					if (nla->nla_type == BRIG_A_ID)
						*id = *(uint32_t *)nla_data(nla);
			}
		}
	}
}

static int send_raw(struct fuzzer *f, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	return sendto(f->fd, buf, len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
}

/* A PING that must come back: everything sent before it has been handled. */
static int barrier(struct fuzzer *f)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr genl;
	} ping = {
		.nlh = { sizeof(ping), family, NLM_F_REQUEST | NLM_F_ACK, ++f->seq, 0 },
		.genl = { .cmd = BRIG_CMD_PING, .version = BRIG_GENL_VERSION },
	};
	int error;

	if (send_raw(f, &ping, sizeof(ping)) < 0) {
		fuzz_fail(f, "sending a PING: %s", strerror(errno));
		return -1;
	}
	if (wait_answer(f, ping.nlh.nlmsg_seq, &error, NULL) < 0)
		return -1;
	if (error) {
		fuzz_fail(f, "PING refused: %s", strerror(-error));
		return -1;
	}
	return 0;
}

/* The witness's policy must be what was last accepted for it. */
static void check_witness(struct fuzzer *f, const char *after)
{
	struct brig_container_info info;
	struct brig_error *err = NULL;
	char diff[200];

	f->checked++;
	if (brig_nl_get(f->nl, f->witness.id, NULL, &info, &err) < 0) {
		fuzz_fail(f, "after %s: the witness is gone: %s", after, err->msg);
		brig_error_free(&err);
		return;
	}
	policy_diff(&f->expected, &info.policy, diff, sizeof(diff));
	if (diff[0])
		fuzz_fail(f, "after %s: the witness's %s", after, diff);
}

/* A new spare pid namespace, and a new name for it; under owners_lock. */
static void spare_renew(struct fuzzer *f)
{
	static unsigned int generation;

	pthread_mutex_lock(&owners_lock);
	if (f->spare > 0)
		reap(f->spare);
	f->spare = spare_start();
	snprintf(f->spare_name, sizeof(f->spare_name), "fuzz-spare-%d.%u", f->index,
		 generation++);
	if (f->spare < 0)
		fuzz_fail(f, "starting a spare pid namespace: %s", strerror(errno));
	pthread_mutex_unlock(&owners_lock);
}

/* Whether @s would act on what another fuzzer owns, or on the anchor; under owners_lock. */
static bool foreign(const struct fuzzer *f, const struct sent *s)
{
	for (int i = 0; i < FUZZERS; i++) {
		const struct fuzzer *o = owners[i];

		if (o == f)
			continue;
		if ((s->has_id && s->id == o->witness.id) ||
		    (s->has_pid && (s->pid == (uint32_t)o->witness.pid ||
				    s->pid == (uint32_t)o->spare)) ||
		    (s->has_name && (!strcmp(s->name, o->witness_name) ||
				     !strcmp(s->name, o->spare_name))))
			return true;
	}
	return (s->has_id && s->id == anchor.id) ||
	       (s->has_pid && s->pid == (uint32_t)anchor.pid) ||
	       (s->has_name && !strcmp(s->name, ANCHOR_NAME));
}

/* Whether the module acts on @m: a request, no dump, and a header that holds. */
static bool acted_on(const struct msg *m)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)m->buf;

	return m->header_ok && (nlh->nlmsg_flags & NLM_F_REQUEST) &&
	       (nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP;
}

/*
 * What a message did, checked: @known says whether its answer came (then it
 * was accepted), or it had none to give (then the module may have acted on
 * it silently: a request without NLM_F_ACK).
 */
static void settle(struct fuzzer *f, const struct sent *s, bool known, uint32_t reply_id)
{
	struct brig_container_info info;
	struct brig_policy_spec want;
	struct brig_error *err = NULL;
	char diff[200];
	bool witness;

	/* NULL: not a request a doit handler saw (see acted_on()). */
	if (!s)
		return;
	witness = (s->has_id && s->id == f->witness.id) ||
		  (s->has_name && !strcmp(s->name, f->witness_name));
	switch (s->cmd) {
	case BRIG_CMD_SET_POLICY:
		if (!witness)
			break;
		/* BRIG_A_MODE alone: the policy in force, in that mode. */
		want = s->policy;
		if (s->has_mode) {
			want = f->expected;
			want.mode = s->mode;
		}
		if (!known) {
			/* Applied whole, or not at all. */
			if (brig_nl_get(f->nl, f->witness.id, NULL, &info, &err) < 0)
				break;	/* check_witness() says so */
			policy_diff(&want, &info.policy, diff, sizeof(diff));
			if (diff[0])
				break;
		}
		f->expected = want;
		f->applied++;
		break;
	case BRIG_CMD_UNREGISTER:
		if (!witness)
			break;
		if (brig_nl_get(f->nl, f->witness.id, NULL, &info, &err) == 0) {
			if (known)
				fuzz_fail(f, "the witness is still registered after UNREGISTER");
			break;
		}
		brig_error_free(&err);
		f->unregistered++;
		brig_box_stop(&f->witness);
		witness_start(f);
		break;
	case BRIG_CMD_REGISTER:
		if (!s->has_pid || s->pid != (uint32_t)f->spare) {
			/* Another pid namespace may have taken the spare's name. */
			if (s->has_name && !strcmp(s->name, f->spare_name))
				spare_renew(f);
			break;
		}
		if (brig_nl_get(f->nl, known ? reply_id : 0, known ? NULL : s->name,
				&info, &err) < 0) {
			if (known)
				fuzz_fail(f, "the registered spare is not there: %s", err->msg);
			brig_error_free(&err);
			break;
		}
		if (!known && info.init_pid != s->pid)
			break;	/* that name is another's: this one was refused */
		f->registered++;
		policy_diff(&s->policy, &info.policy, diff, sizeof(diff));
		if (diff[0] || strcmp(info.name, s->name) || info.init_pid != s->pid)
			fuzz_fail(f, "registered %s: its %s", s->name, diff[0] ? diff : "name or init differs");
		spare_renew(f);	/* the container exits with it */
		break;
	}
}

static const char *const command_names[] = {
	[BRIG_CMD_PING] = "PING", [BRIG_CMD_REGISTER] = "REGISTER",
	[BRIG_CMD_SET_POLICY] = "SET_POLICY", [BRIG_CMD_UNREGISTER] = "UNREGISTER",
	[BRIG_CMD_GET] = "GET", [BRIG_CMD_EVENT] = "EVENT",
};

/* The message that failed the run, for the log: its answer and bytes. */
static void dump_msg(const struct msg *m, int error)
{
	size_t i;

	fprintf(stderr, "# answer: %d (%s); %zu bytes:", error, strerror(-error), m->len);
	for (i = 0; i < m->len && i < 4096; i++)
		fprintf(stderr, "%s%02x", i % 32 ? " " : "\n# ", m->buf[i]);
	fprintf(stderr, "\n");
}

static void fuzz_one(struct fuzzer *f, struct msg *m)
{
	uint8_t cmd = ((struct genlmsghdr *)(m->buf + NLMSG_HDRLEN))->cmd;
	const char *name = cmd && cmd <= BRIG_CMD_MAX ? command_names[cmd] : "a random command";
	uint32_t seq = msg_hdr(m)->nlmsg_seq, reply_id = 0;
	bool changes = cmd == BRIG_CMD_REGISTER || cmd == BRIG_CMD_SET_POLICY ||
		       cmd == BRIG_CMD_UNREGISTER;
	struct sent s, *parsed = NULL;
	bool locked = false;
	char what[64];
	int error = 0;
	ssize_t sent;

	snprintf(what, sizeof(what), "message %lu (%s, seq %u)", f->sent + 1, name, seq);
	/* Read once: what the module will act on, if anything. */
	if (acted_on(m)) {
		parse_sent(m, &s);
		parsed = &s;
		if (changes) {
			pthread_mutex_lock(&owners_lock);
			locked = true;
			if (foreign(f, &s)) {
				pthread_mutex_unlock(&owners_lock);
				f->foreign++;
				return;	/* not sent, not counted */
			}
		}
	}
	f->sent++;
	/* A doit runs within sendmsg(): once it returns, the change is made. */
	sent = send_raw(f, m->buf, m->len);
	if (locked)
		pthread_mutex_unlock(&owners_lock);
	if (sent < 0 || !m->header_ok || !(msg_hdr(m)->nlmsg_flags & NLM_F_ACK)) {
		/* Refused by the socket, dropped, or not to be answered. */
		f->unanswered++;
		if (barrier(f) == 0) {
			settle(f, parsed, false, 0);
			check_witness(f, what);
		}
		if (f->failure[0])
			dump_msg(m, 0);
		return;
	}
	if (wait_answer(f, seq, &error, &reply_id) < 0)
		return;
	f->answered++;
	if (error) {
		f->refused++;
	} else {
		f->acked++;
		settle(f, parsed, true, reply_id);
	}
	if (changes || f->sent % 32 == 0)
		check_witness(f, what);
	if (f->failure[0])
		dump_msg(m, error);
}

static void *fuzz_thread(void *arg)
{
	struct fuzzer *f = arg;
	struct msg *m = malloc(sizeof(*m));

	if (!m) {
		fuzz_fail(f, "no memory");
		return NULL;
	}
	while (f->sent < f->budget && !atomic_load(&stop)) {
		build(f, m);
		fuzz_one(f, m);
	}
	free(m);
	return NULL;
}

/* ---- the churn: containers come and go, the module must stay ---- */

struct churn {
	unsigned long cycles, unload_refused;
	char failure[256];
};

static void *churn_thread(void *arg)
{
	struct churn *c = arg;
	struct brig_error *err = NULL;
	struct brig_nl *nl = NULL;
	struct brig_box box;
	char name[32];

	if (brig_nl_open(&nl, &err) < 0) {
		snprintf(c->failure, sizeof(c->failure), "brig_nl_open: %s", err->msg);
		brig_error_free(&err);
		atomic_store(&stop, true);
		return NULL;
	}
	while (!atomic_load(&stop)) {
		struct brig_policy_spec policy = {
			.caps = DOCKER_DEFAULT_CAPS, .pids_max = 8 + c->cycles % 8,
		};

		snprintf(name, sizeof(name), "churn-%lu", c->cycles);
		if (brig_box_start(nl, &box, name, &policy, brig_box_idle, NULL, 0, &err) < 0) {
			/* A fuzzer may have registered its pid namespace first. */
			brig_error_free(&err);
			usleep(1000);
			continue;
		}
		note_pid(box.pid);
		policy.mode = BRIG_MODE_COMPLAIN;
		if (brig_nl_set_policy(nl, box.id, NULL, &policy, &err) < 0)
			brig_error_free(&err);	/* or unregistered it */
		if (c->cycles % 16 == 0) {
			int ret = brig_unload_refused();

			if (ret) {
				snprintf(c->failure, sizeof(c->failure),
					 "unloading while containers live: %s", strerror(-ret));
				atomic_store(&stop, true);
			}
			c->unload_refused++;
		}
		brig_box_stop(&box);
		c->cycles++;
	}
	brig_nl_close(nl);
	return NULL;
}

/* ---- the test ---- */

/* The anchor's one action: a UDP socket, which its policy refuses. */
static int anchor_probe(int cmd, void *arg)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	(void)cmd;
	(void)arg;
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

FIXTURE(fuzz) {
	struct brig_nl *nl;
};

FIXTURE_SETUP(fuzz)
{
	ASSERT_EQ(0, brig_load());
	self->nl = brig_open(_metadata);
	ASSERT_NE(NULL, self->nl);
	ASSERT_EQ(0, compile_blobs());
}

FIXTURE_TEARDOWN(fuzz)
{
	/* No registry entry left, and the module unloads. */
	EXPECT_EQ(0, brig_wait_no_container(self->nl));
	brig_nl_close(self->nl);
	EXPECT_EQ(0, brig_unload());
}

TEST_F_TIMEOUT(fuzz, netlink_messages_change_nothing_they_should_not, 14400)
{
	unsigned long total = brig_env_number("BRIG_FUZZ_MESSAGES", 100000);
	unsigned long seed = brig_env_number("BRIG_FUZZ_SEED", 1);
	time_t started = time(NULL);
	static struct fuzzer fuzzers[FUZZERS];
	pthread_t threads[FUZZERS], churner;
	static struct churn churn;
	const struct brig_policy_spec anchor_policy = {
		.caps = DOCKER_DEFAULT_CAPS, .n_socket_rules = 1,
		.socket_rules = { { AF_INET, SOCK_DGRAM } },
	};
	struct brig_container_info info;
	struct brig_error *err = NULL;
	int i;

	family = brig_nl_family(self->nl);
	TH_LOG("seed %lu, %lu messages (BRIG_FUZZ_SEED, BRIG_FUZZ_MESSAGES)",
		       seed, total);
	ASSERT_BRIG_OK(brig_box_start(self->nl, &anchor, ANCHOR_NAME, &anchor_policy,
				      anchor_probe, NULL, 0, &err), err);
	ASSERT_EQ(-EACCES, brig_box_do(&anchor, 's'));
	for (i = 0; i < FUZZERS; i++) {
		struct fuzzer *f = &fuzzers[i];

		owners[i] = f;
		f->index = i;
		f->rng.s = seed * 0x100 + i;
		f->budget = total / FUZZERS + (i < (int)(total % FUZZERS));
		f->fd = raw_open();
		ASSERT_LE(0, f->fd);
		f->nl = brig_open(_metadata);
		ASSERT_NE(NULL, f->nl);
		ASSERT_EQ(0, witness_start(f)) TH_LOG("%s", f->failure);
		spare_renew(f);
		ASSERT_LT(0, f->spare);
	}
	ASSERT_EQ(0, pthread_create(&churner, NULL, churn_thread, &churn));
	for (i = 0; i < FUZZERS; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, fuzz_thread, &fuzzers[i]));
	for (i = 0; i < FUZZERS; i++)
		pthread_join(threads[i], NULL);
	atomic_store(&stop, true);
	pthread_join(churner, NULL);

	for (i = 0; i < FUZZERS; i++) {
		struct fuzzer *f = &fuzzers[i];

		TH_LOG("fuzzer %d: %lu sent, %lu answered (%lu acked, %lu refused), "
		       "%lu unanswered by design, %lu witness checks, %lu policies "
		       "applied, %lu spares registered, %lu witnesses unregistered, "
		       "%lu built for another's containers and not sent",
		       i, f->sent, f->answered, f->acked, f->refused, f->unanswered,
		       f->checked, f->applied, f->registered, f->unregistered, f->foreign);
		EXPECT_STREQ("", f->failure);
		EXPECT_EQ(f->budget, f->sent);
		if (f->witness.id)
			brig_box_stop(&f->witness);
		if (f->spare > 0)
			reap(f->spare);
		brig_nl_close(f->nl);
		close(f->fd);
	}
	/* The module still answers, confines, and skipped no hook call. */
	ASSERT_BRIG_OK(brig_nl_get(self->nl, anchor.id, NULL, &info, &err), err);
	EXPECT_EQ(0, brig_log_hook_misses(&info));
	EXPECT_EQ(-EACCES, brig_box_do(&anchor, 's'));
	EXPECT_EQ(0, brig_box_stop(&anchor));
	TH_LOG("%lu s", (unsigned long)(time(NULL) - started));
	TH_LOG("churn: %lu containers started and stopped, %lu unloads refused",
		       churn.cycles, churn.unload_refused);
	EXPECT_STREQ("", churn.failure);
	EXPECT_LT(0, churn.cycles);
}

TEST_HARNESS_MAIN
