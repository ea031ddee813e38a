/* maintenance.c - integrity checks and online backups through the driver
 * (the engine does the check and the copy); a backup is reopened and
 * checked here, so what is verified is the copy, not the original. */
#include <stdio.h>
#include <unistd.h>

#include "store/internal.h"

int store_integrity_check(sy_db *db, int quick, char *msg, size_t size)
{
    return dconn_integrity(db->conn, quick, msg, size) == 0 ? ST_OK : ST_CORRUPT;
}

int store_backup(sy_db *db, const char *path, char *msg, size_t size)
{
    /* PostgreSQL has no online copy here: its driver says to use pg_dump. */
    if (dconn_engine(db->conn) == DB_SQLITE && access(path, F_OK) == 0) {
        snprintf(msg, size, "%s already exists; choose a new file", path);
        return ST_CONFLICT;
    }
    if (dconn_backup(db->conn, path, msg, size) != 0)
        return ST_IO;
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
