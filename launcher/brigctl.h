/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brigctl's commands that live in files of their own.
 */
#ifndef BRIGCTL_H
#define BRIGCTL_H

#include "lib/error.h"
#include "lib/nl.h"

/* brigctl_trust.c: `brigctl trust keygen|sign|verify|inspect`. */
int brigctl_trust(int argc, char **argv, struct brig_error **err);
/* brigctl_audit.c: `brigctl audit`; 1 with --strict when a check warns. */
int brigctl_audit(int argc, char **argv, struct brig_error **err);
/* brigctl_events.c: `brigctl events`, brig's events and Falco's alerts and rules of them. */
int brigctl_events(int argc, char **argv, struct brig_error **err);

/*
 * brigctl.c: TERM to @c's init, KILL after @seconds, then waits (up to
 * 10 s) until brig.ko and launch have let go of it.
 */
int brigctl_stop_container(struct brig_nl *nl, const struct brig_container_info *c,
			   long seconds, struct brig_error **err);

#endif /* BRIGCTL_H */
