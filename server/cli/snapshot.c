/* snapshot.c - `switchyard snapshot`: stores today's portfolio figures
 * (the same as the server takes on the first request of each day), for
 * cron; idempotent per day. `switchyard snapshot rebuild` also recomputes
 * the missing past days from the audit trail (api/history_rebuild.c). */
#include <stdio.h>
#include <string.h>

#include "api/history.h"
#include "cli/cli.h"

int cli_snapshot(sy_db *db, const char *const *args, int n_args)
{
    int rebuild = n_args == 1 && strcmp(args[0], "rebuild") == 0;
    if (n_args > 1 || (n_args == 1 && !rebuild)) {
        fprintf(stderr, "switchyard: usage: switchyard snapshot [rebuild]\n");
        return 2;
    }
    store_err err;
    memset(&err, 0, sizeof err);
    if (history_take(db, &err) != ST_OK) {
        fprintf(stderr, "switchyard: snapshot: %s\n", err.detail);
        return 1;
    }
    printf("snapshot: today's figures stored (all and each track)\n");
    if (rebuild) {
        long days = 0;
        if (history_rebuild(db, &days, &err) != ST_OK) {
            fprintf(stderr, "switchyard: snapshot rebuild: %s\n", err.detail);
            return 1;
        }
        printf("snapshot: %ld past days rebuilt from the audit trail\n", days);
    }
    return 0;
}
