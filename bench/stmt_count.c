/* stmt_count.c - an LD_PRELOAD shim for bench/sqlite_writes.sh (not part of
 * the build): counts the SQL statements a process runs on SQLite, as a
 * noise-free figure beside req/s. A statement counts once per execution
 * (sqlite3_step on a statement not already stepping, plus sqlite3_exec
 * calls such as BEGIN and COMMIT); every step is counted too. A thread
 * writes "executions steps" to $STMT_COUNT_FILE every 100 ms.
 *
 *   cc -O2 -shared -fPIC -o stmt_count.so bench/stmt_count.c -ldl -lpthread */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct sqlite3_stmt sqlite3_stmt;
typedef struct sqlite3 sqlite3;

static _Atomic unsigned long long executions, steps;
static int (*real_step)(sqlite3_stmt *);
static int (*real_busy)(sqlite3_stmt *);
static int (*real_exec)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *,
                        char **);

int sqlite3_step(sqlite3_stmt *st)
{
    if (!real_step) {
        real_step = (int (*)(sqlite3_stmt *))dlsym(RTLD_NEXT, "sqlite3_step");
        real_busy = (int (*)(sqlite3_stmt *))dlsym(RTLD_NEXT, "sqlite3_stmt_busy");
    }
    if (!real_busy(st))
        executions++;
    steps++;
    return real_step(st);
}

int sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
                 void *arg, char **errmsg)
{
    if (!real_exec)
        real_exec = dlsym(RTLD_NEXT, "sqlite3_exec");
    executions++;
    return real_exec(db, sql, cb, arg, errmsg);
}

static void *writer(void *arg)
{
    const char *path = arg;
    char tmp[4200];
    struct timespec tick = {0, 100000000L};
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return NULL;
    for (;;) {
        /* Written aside and renamed: a reader never sees half a line. */
        FILE *f = fopen(tmp, "w");
        if (f) {
            int ok = fprintf(f, "%llu %llu\n", (unsigned long long)executions,
                             (unsigned long long)steps) > 0;
            if (fclose(f) == 0 && ok)
                rename(tmp, path);
        }
        nanosleep(&tick, NULL);
    }
    return NULL;
}

__attribute__((constructor)) static void start(void)
{
    const char *path = getenv("STMT_COUNT_FILE");
    pthread_t t;
    if (path && pthread_create(&t, NULL, writer, (void *)path) == 0)
        pthread_detach(t);
}
