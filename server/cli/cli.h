/* cli.h - command-line subcommands that live outside main.c: users
 * (user.c), keys (keys.c) and settings (setting.c), each printing its own messages and returning
 * the exit status; and the audit checkpointer `serve` runs beside the
 * server (checkpointer.c). */
#ifndef SY_CLI_H
#define SY_CLI_H

#include <stddef.h>

#include "store/store.h"

/* A password from stdin when it is not a terminal, else a generated one
 * (*was_generated set; to be shown once). 0 or -1. */
int cli_obtain_password(char *out, size_t size, int *was_generated);
/* Creates a user, audited as actor. 0 or -1 (message printed). */
int cli_create_user(sy_db *db, const char *name, const char *role, const char *password,
                    const char *actor);
/* `switchyard user SUB ...`: args[0] is SUB. */
int cli_user(sy_db *db, const char *const *args, int n_args, const char *role);

/* Creates the key pairs missing in dir (report signing, audit
 * checkpoints), each creation audited as actor; prints what it did when
 * verbose. 0, or -1 (message printed). */
int cli_keys_ensure(sy_db *db, const char *dir, const char *actor, int verbose);
/* `switchyard keys SUB ...` on the key directory dir: args[0] is SUB. */
int cli_keys(sy_db *db, const char *dir, const char *const *args, int n_args);

/* `switchyard setting [KEY [VALUE]]`: lists, shows one, or sets one (audited). */
int cli_setting(sy_db *db, const char *const *args, int n_args);
/* `switchyard import KIND FILE`: prints the plan; 0 done, 1 not applied
 * (malformed file or rejected rows), 2 bad usage. */
int cli_import(sy_db *db, const char *kind, const char *path, int dry_run, const char *tag_key);
/* `switchyard import KIND --url URL`: the same from a bounded HTTPS download. */
int cli_import_url(sy_db *db, const char *kind, const char *url, int dry_run, const char *tag_key,
                   int timeout_seconds);

/* Imports the demo's embedded evidence files (seeds/evidence) in the order
 * they build on each other: model lists (lifecycle), the gateway
 * configuration (litellm), cost (focus), gateway spend logs
 * (litellm-spend). A file that does not import is logged and skipped.
 * Returns how many imported. */
int cli_import_demo_evidence(sy_db *db);
/* `switchyard snapshot [rebuild]`: today's portfolio figures (and the
 * missing past days from the audit trail). Exit status. */
int cli_snapshot(sy_db *db, const char *const *args, int n_args);

typedef struct checkpointer_config {
    const char *db_path;
    const char *key_dir;       /* holds audit-checkpoint.key and the log */
    int every_events;          /* a checkpoint after this many new events */
    int every_minutes;         /* ... or this long after the last, if any new */
    int syslog;                /* also send each checkpoint to syslog */
} checkpointer_config;
/* Starts signing checkpoints (one at once when the chain moved since the
 * file's last). 0, or -1 (logged). */
int checkpointer_start(const checkpointer_config *cfg);
/* Writes the final checkpoint and stops; NULL-safe if never started. */
void checkpointer_stop(void);
/* syslog (LOG_AUTHPRIV, notice) as the checkpoints' outside witness. */
void witness_open(void);
void witness_send(const char *line, int len);
void witness_close(void);

#endif
