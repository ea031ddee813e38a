/* cli.h - command-line subcommands that live outside main.c: users
 * (user.c) and keys (keys.c). Each prints its own messages and returns the
 * exit status. */
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

#endif
