/* pinned.c - a read transaction that sees exactly one data generation.
 *
 * A reader that wants to say which generation its snapshot shows (the
 * webhook worker, comparing and deriving the scored snapshot from the
 * writes since its last look) used to open a write transaction for it, so
 * that no commit could land while it read, and held the writers' turn
 * for the whole comparison (20 to 35 ms at 10,000 workloads, every 128
 * commits). Here the turn is held only while the read transaction starts:
 * no commit of this process is under way then (a commit moves the
 * generation before it gives the turn back), so what the engine's
 * snapshot shows is exactly the generation read. Another process's write
 * is noticed as an unknown change, as anywhere else. */
#include "store/internal.h"

/* Any read of a table: SQLite starts a deferred transaction's snapshot at
 * its first read, PostgreSQL's REPEATABLE READ at its first statement. */
static const char SQL_PIN[] = "SELECT COUNT(*) FROM settings WHERE key = ''";

int store_begin_read_pinned(sy_db *db, uint64_t *gen, uint64_t *cat, store_err *err)
{
    if (store_in_transaction(db)) {
        err_set(err, ST_ERROR, "", "A pinned read cannot start inside a transaction.");
        return ST_ERROR;
    }
    db_writer_take();
    int code = store_begin_read(db, err);
    if (code == ST_OK) {
        dstmt *st = db_stmt(db, SQL_PIN);
        db_step rc = st ? dstmt_step(st) : DB_FAIL;
        if (st)
            dstmt_reset(st);
        if (rc != DB_ROW) {
            code = db_fail(db, err, "pinned read");
            store_end_read(db);
        }
    }
    if (code == ST_OK)
        store_generations(db, gen, cat);
    db_writer_give();
    return code;
}
