/* workloads.c - the store side of workloads: AI use cases, the unit of
 * governance. The row's statements, and those of its dependencies and
 * proprietary features (child tables), come from the descriptor
 * (store/entity.c); here are the list filters by vendor (through the
 * offerings depended on) and by offering. A write notes the workload, so
 * the scored snapshot can be brought up to date by reading just it. */
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "core/casefold.h"
#include "store/entity.h"
#include "store/internal.h"

STORE_ROW_READER(read_workload, WORKLOAD_STORE)

/* The names that may clash with ?2, a name's key: blanks (spaces and tabs)
 * removed, ASCII letters lowered, so that ASCII names casefold_name_equal
 * cannot tell apart share it. The expression is the index workloads_name_fold's
 * (migration 0019; a literal tab between the second pair of quotes), so
 * this is an index lookup, not a read of every name. Both engines' lower()
 * fold ASCII letters only here (PostgreSQL: the column is COLLATE "C"). */
static const char SQL_OTHER_NAMES[] =
    "SELECT name FROM workloads WHERE id <> ?1 "
    "AND lower(replace(replace(name, ' ', ''), '\t', '')) = ?2";
/* A name with letters beyond ASCII: SQL's lower() does not fold them, so
 * every other name is read and compared by casefold_name_equal. */
static const char SQL_ALL_OTHER_NAMES[] = "SELECT name FROM workloads WHERE id <> ?1";

static int ascii_only(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

/* The key of a name (see SQL_OTHER_NAMES), malloc'd; NULL when out of
 * memory. */
static char *name_key(const char *name)
{
    char *key = malloc(strlen(name) + 1);
    char *k = key;
    for (const char *p = name; key && *p; p++)
        if (*p != ' ' && *p != '\t')
            *k++ = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    if (key)
        *k = '\0';
    return key;
}

/* No other workload has the same name compared without case and extra
 * spaces (casefold_name_equal, beyond ASCII too): "claims triage assistant "
 * is the "Claims triage assistant" already there, "ärzte-assistent" the
 * "Ärzte-Assistent". 409 on /name. */
/* The name probe, bound (*st NULL: the name needs none). */
static int workload_probe(sy_db *db, int64_t id, const void *item, const void *before,
                          dstmt **st, store_err *err)
{
    const char *name = ((const workload *)item)->name;
    const char *had = before ? ((const workload *)before)->name : NULL;
    *st = NULL;
    /* A name the record keeps was checked when it was given. */
    if (db->trust_names || (name && had && strcmp(name, had) == 0))
        return ST_OK;
    if (!name)
        name = "";
    int indexed = ascii_only(name);
    char *key = indexed ? name_key(name) : NULL;
    dstmt *s = key || !indexed ? db_stmt(db, indexed ? SQL_OTHER_NAMES : SQL_ALL_OTHER_NAMES)
                               : NULL;
    if (!s) {
        int nomem = indexed && !key;
        free(key);
        return nomem ? db_fail_nomem(db, err, "name check") : db_fail(db, err, "name check");
    }
    bind_i64(s, 1, id);
    if (indexed)
        bind_text(s, 2, key);
    free(key); /* the driver copied it */
    *st = s;
    return ST_OK;
}

/* Judges the probe's rows: another workload has the name folded. */
static int workload_judge(sy_db *db, dstmt *st, const void *item, store_err *err)
{
    const char *name = ((const workload *)item)->name;
    if (!name)
        name = "";
    db_step rc = DB_DONE;
    int taken = 0, exact = 0;
    size_t len;
    while (!taken && (rc = dstmt_step(st)) == DB_ROW) {
        const char *other = dstmt_col_text(st, 0, &len);
        taken = other && casefold_name_equal(other, name);
        exact = taken && strcmp(other, name) == 0;
    }
    dstmt_reset(st);
    if (taken) {
        err_set(err, ST_CONFLICT, "/name",
                exact ? WORKLOAD_STORE.taken
                      : "Another workload already has this name (names are compared without "
                        "case and extra spaces).");
        return ST_CONFLICT;
    }
    return rc == DB_ROW || rc == DB_DONE ? ST_OK : db_fail(db, err, "name check");
}

static int workload_check(sy_db *db, int64_t id, const void *item, const void *before,
                          store_err *err)
{
    dstmt *st = NULL;
    int code = workload_probe(db, id, item, before, &st, err);
    return code != ST_OK || !st ? code : workload_judge(db, st, item, err);
}

int store_workload_name_free(sy_db *db, int64_t id, const char *name, store_err *err)
{
    workload w;
    memset(&w, 0, sizeof w);
    w.name = name;
    return workload_check(db, id, &w, NULL, err);
}

/* What the shared snapshot leaves out (store_workload_texts reads it for
 * the rows a response shows). */
static const char *const LEAN_OMIT[] = {"purpose", "intended_purpose", "notes", NULL};

const store_entity WORKLOAD_STORE = {
    .desc = &WORKLOAD_DESC,
    .alias = "w",
    .lean_omit = LEAN_OMIT,
    .where = "AND (CAST(?9 AS BIGINT) IS NULL "
             "OR EXISTS (SELECT 1 FROM workload_dependencies d "
             "JOIN offerings o ON o.id = d.offering_id WHERE d.workload_id = w.id AND "
             "(o.provider_id = ?9 OR o.publisher_id = ?9 OR o.host_id = ?9))) "
             "AND (CAST(?10 AS BIGINT) IS NULL "
             "OR EXISTS (SELECT 1 FROM workload_dependencies d "
             "WHERE d.workload_id = w.id AND d.offering_id = ?10))",
    .tiebreak = "w.name ASC, w.id ASC",
    .missing = "No workload with this ID.",
    .taken = "Another workload already has this name.",
    .workloads = 1,
    .folds_names = 1,
    .read_row = read_workload,
    .check = workload_check,
    .check_query = workload_probe,
    .check_with = workload_judge,
};
