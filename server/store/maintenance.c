/* maintenance.c - integrity checks and online backups (SQLite backup API). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/text.h"
#include "store/internal.h"

int store_integrity_check(sy_db *db, int quick, char *msg, size_t size)
{
    const char *sql = quick ? "PRAGMA quick_check" : "PRAGMA integrity_check";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        copy_str(msg, size, sqlite3_errmsg(db->conn));
        return ST_CORRUPT;
    }
    int ok = 0;
    msg[0] = '\0';
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *first = (const char *)sqlite3_column_text(st, 0);
        ok = first && strcmp(first, "ok") == 0;
        copy_str(msg, size, first ? first : "no answer");
    } else {
        copy_str(msg, size, sqlite3_errmsg(db->conn));
    }
    sqlite3_finalize(st);
    return ok ? ST_OK : ST_CORRUPT;
}

int store_backup(sy_db *db, const char *path, char *msg, size_t size)
{
    if (access(path, F_OK) == 0) {
        snprintf(msg, size, "%s already exists; choose a new file", path);
        return ST_CONFLICT;
    }
    sqlite3 *dest = NULL;
    int rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        /* One step over the whole database: a consistent copy of one
         * snapshot, taken while the server keeps serving (WAL readers are
         * not blocked). */
        sqlite3_backup *b = sqlite3_backup_init(dest, "main", db->conn, "main");
        if (!b) {
            rc = sqlite3_errcode(dest);
        } else {
            rc = sqlite3_backup_step(b, -1);
            int fin = sqlite3_backup_finish(b);
            if (rc == SQLITE_DONE)
                rc = fin;
        }
    }
    if (rc != SQLITE_OK) {
        snprintf(msg, size, "backup failed: %s", dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
        sqlite3_close(dest);
        unlink(path);
        return ST_IO;
    }
    sqlite3_close(dest);
    /* Check the copy, not the original. */
    sy_db *copy = NULL;
    store_err err;
    if (store_open(path, &copy, &err) != ST_OK) {
        snprintf(msg, size, "the backup cannot be opened: %s", err.detail);
        return ST_IO;
    }
    int code = store_integrity_check(copy, 0, msg, size);
    store_close(copy);
    return code;
}
