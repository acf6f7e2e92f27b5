/* SPDX-License-Identifier: GPL-2.0 */
/*
 * brig: the differences between the kernels brig supports (6.1 and 6.12),
 * kept here rather than scattered through the checks.
 */
#ifndef _BRIG_COMPAT_H
#define _BRIG_COMPAT_H

#include <linux/version.h>

#endif /* _BRIG_COMPAT_H */
