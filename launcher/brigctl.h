/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brigctl's commands that live in files of their own.
 */
#ifndef BRIGCTL_H
#define BRIGCTL_H

#include "lib/error.h"

/* brigctl_trust.c: `brigctl trust keygen|sign|verify|inspect`. */
int brigctl_trust(int argc, char **argv, struct brig_error **err);

#endif /* BRIGCTL_H */
