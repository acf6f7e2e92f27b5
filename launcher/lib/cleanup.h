/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: cleanup attributes for owned objects, as crun and systemd use
 * them: an owner declared with one is released on every way out of its
 * scope, error paths included. brig_steal() (or setting it to -1) hands it
 * on.
 */
#ifndef BRIG_CLEANUP_H
#define BRIG_CLEANUP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <json-c/json.h>

static inline void brig_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static inline void brig_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
	*f = NULL;
}

static inline void brig_freep(void *p)
{
	free(*(void **)p);
	*(void **)p = NULL;
}

static inline void brig_json_putp(json_object **o)
{
	json_object_put(*o);
	*o = NULL;
}

static inline void brig_strvp(char ***list)
{
	for (size_t i = 0; *list && (*list)[i]; i++)
		free((*list)[i]);
	free(*list);
	*list = NULL;
}

/* Hands an owned pointer on: returns it and leaves NULL behind. */
#define brig_steal(pp) ({ __typeof__(*(pp)) stolen_ = *(pp); *(pp) = NULL; stolen_; })

#define brig_cleanup_close __attribute__((cleanup(brig_closep)))
#define brig_cleanup_fclose __attribute__((cleanup(brig_fclosep)))
#define brig_cleanup_free __attribute__((cleanup(brig_freep)))
#define brig_cleanup_json __attribute__((cleanup(brig_json_putp)))
#define brig_cleanup_strv __attribute__((cleanup(brig_strvp)))

#endif /* BRIG_CLEANUP_H */
