// SPDX-License-Identifier: GPL-2.0
/*
 * brig: reporting denials and audit hits
 *
 * Hooks cannot sleep, so they only queue: each CPU has a bounded ring, and a
 * work item drains them, logs each event (rate limited, in AppArmor's style)
 * and multicasts it to the "events" group. When a ring is full the event is
 * dropped and counted, and so is one for which no message could be made:
 * the count rides on the next event sent (its LOST), and a module-wide total
 * is in every GET reply, so that a loss with no event after it is seen too.
 */

#include <linux/dcache.h>
#include <linux/kdev_t.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "container.h"
#include "event.h"
#include "netlink.h"

/**
 * struct brig_event_ring - one CPU's queue of events
 * @lock: guards the ring against the draining work on another CPU.
 * @head: next slot to fill; @head - @tail events are queued.
 * @tail: next slot to send.
 * @lost: events dropped since the last one taken; it stays for the next
 *	event, however late that comes.
 * @events: the slots.
 */
struct brig_event_ring {
	raw_spinlock_t lock;
	unsigned int head;
	unsigned int tail;
	u32 lost;
	struct brig_event events[BRIG_EVENT_RING_SIZE];
};

static DEFINE_PER_CPU(struct brig_event_ring *, brig_event_rings);
/* Events dropped since the module was loaded. */
static atomic64_t brig_events_lost_total = ATOMIC64_INIT(0);
static void brig_event_flush(struct work_struct *work);
static DECLARE_WORK(brig_event_work, brig_event_flush);

static void brig_queue(struct brig_container *c, enum brig_kind kind,
		       u32 verdict, const struct brig_event_detail *detail)
{
	struct brig_event_ring *ring;
	struct brig_event *ev;
	unsigned long flags;

	local_irq_save(flags);
	ring = this_cpu_read(brig_event_rings);
	raw_spin_lock(&ring->lock);
	if (ring->head - ring->tail >= BRIG_EVENT_RING_SIZE) {
		ring->lost++;
		atomic64_inc(&brig_events_lost_total);
		raw_spin_unlock(&ring->lock);
		local_irq_restore(flags);
		return;
	}
	ev = &ring->events[ring->head % BRIG_EVENT_RING_SIZE];
	ev->id = c->id;
	memcpy(ev->name, c->name, sizeof(ev->name));
	ev->kind = kind;
	ev->verdict = verdict;
	ev->pid = task_pid_nr(current);
	memcpy(ev->comm, current->comm, sizeof(ev->comm));
	ev->comm[sizeof(ev->comm) - 1] = '\0';
	ev->detail = *detail;
	ev->detail.path = NULL;
	ev->path[0] = '\0';
	if (detail->path) {
		size_t len = strscpy(ev->path, detail->path, sizeof(ev->path));

		if ((ssize_t)len < 0)
			strcpy(ev->path + sizeof(ev->path) - 4, "...");
	}
	ring->head++;
	raw_spin_unlock(&ring->lock);
	local_irq_restore(flags);

	queue_work(brig_wq, &brig_event_work);
}

u64 brig_events_lost(void)
{
	return atomic64_read(&brig_events_lost_total);
}

/* For brig_event_path_name(): hooks do not nest on a CPU. */
struct brig_event_name_buf {
	char b[BRIG_EVENT_PATH_MAX];
};
static DEFINE_PER_CPU(struct brig_event_name_buf, brig_event_name_bufs);

const char *brig_event_path_name(const struct path *path)
{
	char *buf = this_cpu_ptr(&brig_event_name_bufs)->b;
	char *name = d_path(path, buf, BRIG_EVENT_PATH_MAX);

	if (!IS_ERR(name))
		return name;
	snprintf(buf, BRIG_EVENT_PATH_MAX, ".../%pd", path->dentry);
	return buf;
}

int brig_verdict(struct brig_container *c, const struct brig_policy *policy,
		 enum brig_kind kind, const struct brig_event_detail *detail,
		 int err)
{
	bool complain = brig_policy_complains(policy);

	brig_container_count(c, kind);
	brig_queue(c, kind, complain ? BRIG_VERDICT_ALLOWED : BRIG_VERDICT_DENIED,
		   detail);
	return complain ? 0 : err;
}

void brig_report_audit(struct brig_container *c, enum brig_kind kind,
		       const struct brig_event_detail *detail)
{
	brig_queue(c, kind, BRIG_VERDICT_AUDIT, detail);
}

/* "rwa" and so on, for the log line. */
static void brig_perm_letters(u32 perms, char *buf)
{
	static const char letters[] = BRIG_PERM_LETTERS;
	int i, n = 0;

	for (i = 0; letters[i]; i++) {
		if (perms & BIT(i))
			buf[n++] = letters[i];
	}
	buf[n] = '\0';
}

static const char *const brig_verdict_names[] = BRIG_VERDICT_NAMES;
static const char *const brig_kind_ops[] = BRIG_KIND_OPS;
static const char *const brig_cap_names[] = BRIG_CAP_NAMES;
static_assert(ARRAY_SIZE(brig_cap_names) == CAP_LAST_CAP + 1);
static_assert(ARRAY_SIZE(brig_cap_names) == BRIG_CAP_NAMES_COUNT);
static_assert(ARRAY_SIZE(brig_kind_ops) == BRIG_KIND_MAX + 1);
static_assert(ARRAY_SIZE(brig_verdict_names) == BRIG_VERDICT_MAX + 1);
static_assert(sizeof(BRIG_PERM_LETTERS) - 1 == const_ilog2(BRIG_PERM_ALL + 1));

/* The vocabulary's name of socket family @family, or NULL. */
static const char *brig_family_name(u32 family)
{
	static const char *const names[] = BRIG_FAMILY_NAMES;

	return family < ARRAY_SIZE(names) ? names[family] : NULL;
}

static const char *brig_type_name(u32 type)
{
	static const char *const names[] = BRIG_TYPE_NAMES;

	return type < ARRAY_SIZE(names) ? names[type] : NULL;
}

/* Room for a name of @n bytes (its NUL included) as brig_untrusted() writes it. */
#define BRIG_UNTRUSTED_SIZE(n)	(2 * (n) + 1)

/*
 * @s, a name the container chose (a command, a path), as AppArmor logs one
 * (audit_log_untrustedstring()): in double quotes if every byte is printable
 * ASCII other than space and '"', otherwise as uppercase hex without quotes,
 * so that no name can pass for another field or another line. Returns @buf,
 * of BRIG_UNTRUSTED_SIZE(strlen(@s) + 1) bytes at least.
 */
static const char *brig_untrusted(const char *s, char *buf)
{
	const unsigned char *p;
	char *end = buf;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p < 0x21 || *p > 0x7e)
			break;
	}
	if (!*p) {
		sprintf(buf, "\"%s\"", s);
		return buf;
	}
	for (p = (const unsigned char *)s; *p; p++)
		end = hex_byte_pack_upper(end, *p);
	*end = '\0';
	return buf;
}

const char *brig_event_op(const struct brig_event *ev)
{
	if (ev->detail.op)
		return ev->detail.op;
	return ev->kind < ARRAY_SIZE(brig_kind_ops) && brig_kind_ops[ev->kind] ?
	       brig_kind_ops[ev->kind] : "?";
}

/*
 * The event as one log line, in AppArmor's style:
 * brig: DENIED op=socket container=nginx pid=42 comm="ping" family=inet type=raw protocol=1
 * The container's name needs no quoting: the module allows [A-Za-z0-9_.-].
 */
static void brig_event_log(const struct brig_event *ev, u32 lost)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 20);
	/* Static: only the event work logs, and it never runs twice at once. */
	static char detail[BRIG_UNTRUSTED_SIZE(BRIG_EVENT_PATH_MAX) + 64];
	static char name[BRIG_UNTRUSTED_SIZE(BRIG_EVENT_PATH_MAX)];
	static char comm[BRIG_UNTRUSTED_SIZE(TASK_COMM_LEN)];
	const struct brig_event_detail *d = &ev->detail;
	const char *op = brig_event_op(ev), *family, *type;
	char req[8], den[8], lost_text[16];

	BUILD_BUG_ON(sizeof(ev->path) > BRIG_EVENT_PATH_MAX);
	BUILD_BUG_ON(sizeof(ev->comm) > TASK_COMM_LEN);
	if (!__ratelimit(&rs))
		return;
	switch (ev->kind) {
	case BRIG_KIND_CAP:
		snprintf(detail, sizeof(detail), " capability=%u capname=%s",
			 d->cap, d->cap < ARRAY_SIZE(brig_cap_names) ?
			 brig_cap_names[d->cap] : "?");
		break;
	case BRIG_KIND_SOCKET:
		family = brig_family_name(d->family);
		type = brig_type_name(d->type);
		if (family && type)
			snprintf(detail, sizeof(detail),
				 " family=%s type=%s protocol=%u",
				 family, type, d->protocol);
		else
			snprintf(detail, sizeof(detail),
				 " family=%u type=%u protocol=%u",
				 d->family, d->type, d->protocol);
		break;
	case BRIG_KIND_TASK:
		snprintf(detail, sizeof(detail), " pids_max=%u", d->pids_max);
		break;
	case BRIG_KIND_FILE:
		brig_perm_letters(d->requested, req);
		brig_perm_letters(d->denied, den);
		snprintf(detail, sizeof(detail), " name=%s requested=%s %s=%s",
			 brig_untrusted(ev->path, name), req,
			 ev->verdict == BRIG_VERDICT_AUDIT ? "audited" : "denied", den);
		break;
	case BRIG_KIND_MOUNT:
		if (ev->path[0])
			snprintf(detail, sizeof(detail), " name=%s",
				 brig_untrusted(ev->path, name));
		else
			detail[0] = '\0';
		break;
	case BRIG_KIND_DEVICE:
		brig_perm_letters(d->requested, req);
		brig_perm_letters(d->denied, den);
		snprintf(detail, sizeof(detail),
			 " name=%s dev=%c:%u:%u requested=%s denied=%s",
			 brig_untrusted(ev->path, name), d->dev_type == BRIG_DEVICE_BLOCK ? 'b' : 'c',
			 MAJOR(new_decode_dev(d->dev)),
			 MINOR(new_decode_dev(d->dev)), req, den);
		break;
	default:
		detail[0] = '\0';
		break;
	}
	if (lost)
		snprintf(lost_text, sizeof(lost_text), " lost=%u", lost);
	else
		lost_text[0] = '\0';
	pr_info("brig: %s op=%s container=%s pid=%d comm=%s%s%s\n",
		brig_verdict_names[ev->verdict], op, ev->name, ev->pid,
		brig_untrusted(ev->comm, comm), detail, lost_text);
}

/*
 * Takes the oldest event of @ring into @ev, with the count of those dropped
 * before it in *@lost; false if there is none (the count then waits for the
 * next one).
 */
static bool brig_event_take(struct brig_event_ring *ring, struct brig_event *ev,
			    u32 *lost)
{
	bool taken = false;

	raw_spin_lock_irq(&ring->lock);
	if (ring->head != ring->tail) {
		*ev = ring->events[ring->tail % BRIG_EVENT_RING_SIZE];
		ring->tail++;
		*lost = ring->lost;
		ring->lost = 0;
		taken = true;
	}
	raw_spin_unlock_irq(&ring->lock);
	return taken;
}

static void brig_event_flush(struct work_struct *work)
{
	/*
	 * Static: a work item never runs concurrently with itself, and so this
	 * cannot fail (a failed allocation that queued the work again would
	 * queue it behind brig_event_exit()'s flush).
	 */
	static struct brig_event ev_buf;
	/* Events that could not be sent, for the next one; the work's own. */
	static u32 unsent;
	struct brig_event *ev = &ev_buf;
	u32 lost;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct brig_event_ring *ring = per_cpu(brig_event_rings, cpu);

		while (brig_event_take(ring, ev, &lost)) {
			lost += unsent;
			brig_event_log(ev, lost);
			if (brig_netlink_event(ev, lost)) {
				atomic64_inc(&brig_events_lost_total);
				unsent = lost + 1;
			} else {
				unsent = 0;
			}
			cond_resched();
		}
	}
}

int __init brig_event_init(void)
{
	struct brig_event_ring *ring;
	int cpu;

	for_each_possible_cpu(cpu) {
		ring = kvzalloc_node(sizeof(*ring), GFP_KERNEL, cpu_to_node(cpu));
		if (!ring)
			goto out_free;
		raw_spin_lock_init(&ring->lock);
		per_cpu(brig_event_rings, cpu) = ring;
	}
	return 0;

out_free:
	brig_event_exit();
	return -ENOMEM;
}

/*
 * Call once no hook can report any more: logs (and, while the family
 * exists, sends) what is queued, then frees. Nothing queues the work after
 * this: only hooks do, and the work never queues itself.
 */
void brig_event_exit(void)
{
	int cpu;

	flush_work(&brig_event_work);
	for_each_possible_cpu(cpu) {
		kvfree(per_cpu(brig_event_rings, cpu));
		per_cpu(brig_event_rings, cpu) = NULL;
	}
}
