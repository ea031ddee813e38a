/* migrate.c - applies the embedded migrations of the connection's engine
 * (SQLite: db/migrations/NNNN_name.sql, PostgreSQL: db/postgres/) in order,
 * one write transaction each, and records the schema version through the
 * driver. */
#include <string.h>

#include "common/embedded.h"
#include "common/log.h"
#include "common/text.h"
#include "store/internal.h"

/* The migration set each engine applies. Both sets number their files the
 * same way (test_store checks it), so a schema version means the same
 * tables on either engine. */
static const embedded_file *migration_set(db_engine engine)
{
    switch (engine) {
    case DB_SQLITE:
        return sy_migrations;
    case DB_POSTGRES:
        return sy_migrations_pg;
    }
    return NULL;
}

static int migration_number(const char *name)
{
    int64_t n;
    char digits[5];
    if (strlen(name) < 5 || name[4] != '_')
        return -1;
    memcpy(digits, name, 4);
    digits[4] = '\0';
    return parse_i64(digits, 1, 9999, &n) == 0 ? (int)n : -1;
}

static int latest_of(const embedded_file *set)
{
    int latest = 0;
    for (const embedded_file *f = set; f && f->name; f++) {
        int n = migration_number(f->name);
        if (n > latest)
            latest = n;
    }
    return latest;
}

/* The same on both engines: their sets are numbered alike. */
int store_latest_schema(void)
{
    return latest_of(migration_set(DB_SQLITE));
}

int store_schema_version(sy_db *db)
{
    return dconn_schema_version(db->conn);
}

/* Applies one migration numbered n unless the database already has it:
 * 1 applied, 0 skipped, or an error code (negated st_code). */
static int apply_one(sy_db *db, const embedded_file *f, int n, store_err *err)
{
    /* Re-read inside the write lock: another process may have migrated. */
    int code = store_begin_write(db, err);
    if (code != ST_OK)
        return -code;
    int current = dconn_schema_version(db->conn);
    if (current < 0) {
        code = db_fail(db, err, "schema version");
        store_rollback(db);
        return -code;
    }
    if (n <= current) {
        store_rollback(db);
        return 0;
    }
    if (dconn_exec(db->conn, (const char *)f->data) != 0 ||
        dconn_set_schema_version(db->conn, n) != 0)
        code = db_fail(db, err, f->name);
    else
        code = store_commit(db, err);
    if (code != ST_OK) {
        store_rollback(db);
        log_msg(LOG_ERROR, "store: migration %s failed", f->name);
        return -code;
    }
    log_msg(LOG_INFO, "applied migration %s", f->name);
    return 1;
}

static int migrate_with(sy_db *db, const embedded_file *set, int upto, int *applied,
                        store_err *err)
{
    for (const embedded_file *f = set; f->name; f++) {
        int n = migration_number(f->name);
        if (n < 0) {
            log_msg(LOG_ERROR, "store: migration %s is misnamed", f->name);
            err_set(err, ST_ERROR, "", "A migration is misnamed.");
            return ST_ERROR;
        }
        if (upto > 0 && n > upto)
            continue;
        int done = apply_one(db, f, n, err);
        if (done < 0)
            return -done;
        *applied += done;
    }
    if (dconn_schema_version(db->conn) > latest_of(set)) {
        err_set(err, ST_ERROR, "",
                "The database was written by a newer Switchyard; upgrade the binary.");
        return ST_ERROR;
    }
    return ST_OK;
}

int store_migrate(sy_db *db, int *applied, store_err *err)
{
    return store_migrate_to(db, 0, applied, err);
}

int store_migrate_to(sy_db *db, int upto, int *applied, store_err *err)
{
    *applied = 0;
    const embedded_file *set = migration_set(dconn_engine(db->conn));
    if (!set) {
        log_msg(LOG_ERROR, "store: no migrations for this database engine");
        err_set(err, ST_ERROR, "", "This build cannot create tables on this database engine.");
        return ST_ERROR;
    }
    return migrate_with(db, set, upto, applied, err);
}
