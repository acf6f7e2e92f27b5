/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbrig: what a detached container leaves, as docker keeps a container
 * until `docker rm`: /var/lib/brig/NAME holds its output (log) and its
 * record (record.json: id, policy, command, when it started and, once it
 * exited, when and with what status). launch writes it; brigctl ps -a,
 * logs and rm read and remove it. The run directory, /run/brig/NAME, is
 * the engine's and goes with the container.
 *
 * Lifetime: made when `launch -d` starts (before the container runs),
 * completed at registration, closed at exit, removed by `brigctl rm` (or
 * at exit with `launch --rm`). A name with a record is taken.
 */
#ifndef BRIG_RECORD_H
#define BRIG_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <brig.h>

#include "error.h"

#define BRIG_RECORD_DIR "/var/lib/brig"
/*
 * Where launch keeps what a running container needs (engine/state.c), and
 * NAME.lock, held by its launch or monitor until all under the name is settled.
 */
#define BRIG_RUN_DIR "/run/brig"
/* The command as ps -a shows it, at most. */
#define BRIG_RECORD_COMMAND_MAX 256

struct brig_record {
	char name[BRIG_NAME_MAX];
	uint32_t id;		/* brig.ko's, while it ran; 0 before registration */
	char source[4096];	/* the policy it was made from */
	char command[BRIG_RECORD_COMMAND_MAX];
	time_t started;
	bool exited;		/* else it runs, or its monitor died (brig.ko knows) */
	time_t finished;
	int exit_code;		/* as launch's: 128+N for signal N */
};

/* BRIG_RECORD_DIR/NAME/FILE (FILE NULL: the folder). */
void brig_record_path(char *buf, size_t len, const char *name, const char *file);
/* 0 if no record holds NAME; else -1, *err saying how to free it. */
int brig_record_name_free(const char *name, struct brig_error **err);
/*
 * Makes NAME's folder afresh and opens its log for the container's output.
 * The caller holds the name (the engine's lock) and has seen it free
 * (brig_record_name_free()): what is there without a record is a start
 * that crashed, and goes. Returns the fd, or -1.
 */
int brig_record_create(const char *name, struct brig_error **err);
/* Writes @r as NAME's record (whole, by rename: a reader sees one or the other). */
int brig_record_save(const struct brig_record *r, struct brig_error **err);
/* Reads NAME's record: 0; -1 with errno ENOENT (and no *err) if there is none. */
int brig_record_load(const char *name, struct brig_record *r, struct brig_error **err);
/* Calls @fn for every record, by name; stops early if @fn returns non-zero. */
int brig_record_each(int (*fn)(const struct brig_record *r, void *arg), void *arg,
		     struct brig_error **err);
/* Removes NAME's folder and everything in it. */
int brig_record_remove(const char *name, struct brig_error **err);
/* @argv as one line, for ps -a. */
void brig_record_set_command(struct brig_record *r, char *const argv[]);

#endif /* BRIG_RECORD_H */
