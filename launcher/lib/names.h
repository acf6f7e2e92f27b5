/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: one vocabulary. The names brig.ko's log line prints come from
 * uapi/brig.h's tables, so brigctl prints what the kernel prints; the
 * capability spelling of .pol files and Docker (SYS_ADMIN) is derived from
 * the same table.
 */
#ifndef BRIG_NAMES_H
#define BRIG_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include <brig.h>

struct brig_event_info;

/* Every capability this library knows by name (CAP_CHOWN to CAP_CHECKPOINT_RESTORE). */
#define BRIG_CAPS_COUNT BRIG_CAP_NAMES_COUNT
#define BRIG_ALL_CAPS ((1ULL << BRIG_CAPS_COUNT) - 1)

/* The capability named @name (with or without CAP_, any case), or -1. */
int brig_cap_from_name(const char *name);
/* "SYS_ADMIN", as .pol files and Docker write it; "?" if unknown. */
const char *brig_cap_name(int cap);
/* "sys_admin", as brig.ko logs it; "?" if unknown. */
const char *brig_cap_log_name(int cap);
/* "inet", "raw", ...; NULL for a number without a name. */
const char *brig_family_name(uint32_t family);
const char *brig_type_name(uint32_t type);
/* "DENIED", ...; "?" if unknown. */
const char *brig_verdict_name(uint32_t verdict);
/* The op of an event of @kind that carries none; "?" if unknown. */
const char *brig_kind_op(uint32_t kind);
/* BRIG_PERM_* bits as letters, in BRIG_PERM_LETTERS' order. */
void brig_perm_letters(uint32_t perms, char buf[sizeof(BRIG_PERM_LETTERS)]);

/*
 * @ev as brig.ko's log line says it, after "brig: ": "DENIED op=socket
 * container=web pid=42 comm="ping" family=inet type=raw protocol=1".
 * Names the container chose are quoted or hex, as AppArmor logs them.
 * Returns the length it needed, as snprintf().
 */
size_t brig_event_line(const struct brig_event_info *ev, char *buf, size_t len);

#endif /* BRIG_NAMES_H */
