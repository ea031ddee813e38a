/* db_fixture.h - a throwaway SQLite database file for the store's unit
 * tests: a fresh name under /tmp (or dir), opened and, when asked, with
 * every migration applied; removed with its -wal, -shm and -journal files.
 * Header-only, for the test programs. */
#ifndef SY_TEST_DB_FIXTURE_H
#define SY_TEST_DB_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"

/* Removes the database file at path and SQLite's files beside it. */
static inline void db_fixture_remove(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
}

/* A new file dir/sy_test_TAG_XXXXXX (its name into path), opened into *db
 * and migrated when migrate. 0, or -1 with nothing left behind. */
static inline int db_fixture_open(char *path, size_t size, const char *dir, const char *tag,
                                  int migrate, sy_db **db)
{
    *db = NULL;
    if (snprintf(path, size, "%s/sy_test_%s_XXXXXX", dir, tag) >= (int)size)
        return -1;
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    store_err err;
    int applied;
    if (store_open(path, db, &err) != ST_OK ||
        (migrate && store_migrate(*db, &applied, &err) != ST_OK)) {
        store_close(*db);
        *db = NULL;
        db_fixture_remove(path);
        return -1;
    }
    return 0;
}

/* The state of a cmocka test on one such database; a test's own fixture
 * may begin with it and add fields. */
typedef struct db_fixture {
    char path[96];
    sy_db *db;
    arena a;
} db_fixture;

/* A cmocka setup's body: a zeroed fixture of size bytes (at least a
 * db_fixture) with its database in /tmp. 0, or -1. */
static inline int db_fixture_setup(void **state, size_t size, const char *tag, int migrate)
{
    db_fixture *f = calloc(1, size);
    if (!f || db_fixture_open(f->path, sizeof f->path, "/tmp", tag, migrate, &f->db) != 0) {
        free(f);
        return -1;
    }
    arena_init(&f->a);
    *state = f;
    return 0;
}

static inline int db_fixture_teardown(void **state)
{
    db_fixture *f = *state;
    store_close(f->db);
    arena_free(&f->a);
    db_fixture_remove(f->path);
    free(f);
    return 0;
}

#endif
