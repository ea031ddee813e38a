/* audit.c - SQL for the audit trail: append (chained by hash), head, list
 * with filters, and a sequential walk for verification. The table accepts
 * only inserts (triggers in migration 0003).
 *
 * An append needs the chain's head. Writers are serialised (db.c's writer
 * lock in this process, the engine's lock across processes), so the head
 * this process committed last is usually still the head: the append then
 * is one statement that inserts only if it is (the row before has that
 * hash and none after it), a round trip less per write. When another
 * process appended meanwhile, nothing is inserted and the head is read as
 * before. When the head is certain (this transaction's own), the insert
 * is queued (dconn_queue) instead, without a round trip of its own. */
#include <string.h>

#include "common/text.h"
#include "core/audit.h"
#include "store/internal.h"

static const char SQL_HEAD[] = "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1";
static const char SQL_INSERT[] =
    "INSERT INTO audit_events(seq, at, actor, action, entity, entity_id, before, after, "
    "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
#define AUDIT_COLS                                                             \
    "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash " \
    "FROM audit_events "
#define AUDIT_WHERE                                                            \
    "WHERE (CAST(?1 AS TEXT) IS NULL OR entity = ?1) "                         \
    "AND (CAST(?2 AS TEXT) IS NULL OR actor = ?2) "                            \
    "AND (CAST(?3 AS TEXT) IS NULL OR action = ?3) "                           \
    "AND (CAST(?4 AS TEXT) IS NULL OR at >= ?4) "                              \
    "AND (CAST(?5 AS TEXT) IS NULL OR at <= ?5) "                              \
    "AND (CAST(?6 AS BIGINT) IS NULL OR entity_id = ?6) "
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM audit_events " AUDIT_WHERE;
/* ?9: keyset paging, the events before a sequence number (no OFFSET). */
static const char SQL_PAGE[] = AUDIT_COLS AUDIT_WHERE
    "AND (CAST(?9 AS BIGINT) IS NULL OR seq < ?9) ORDER BY seq DESC LIMIT ?7 OFFSET ?8";
static const char SQL_ALL[] = AUDIT_COLS "ORDER BY seq";

/* The event that follows (?1 - 1, ?9) if that is the head: the row
 * exists with that hash and no sequence number is higher. MAX(seq) reads
 * one index entry; "NOT EXISTS (... WHERE seq >= ?1)" looked the same but
 * PostgreSQL's generic plan for it scanned the whole table (it expects a
 * third of the rows to match and stop at the first), 2 ms at 30,000
 * events, inside the writers' turn. */
static const char SQL_APPEND_AFTER[] =
    "INSERT INTO audit_events(seq, at, actor, action, entity, entity_id, before, after, "
    "prev_hash, hash) SELECT CAST(?1 AS BIGINT), CAST(?2 AS TEXT), CAST(?3 AS TEXT), "
    "CAST(?4 AS TEXT), CAST(?5 AS TEXT), CAST(?6 AS BIGINT), CAST(?7 AS TEXT), "
    "CAST(?8 AS TEXT), CAST(?9 AS TEXT), CAST(?10 AS TEXT) "
    "WHERE EXISTS (SELECT 1 FROM audit_events WHERE seq = CAST(?1 AS BIGINT) - 1 "
    "AND hash = CAST(?9 AS TEXT)) "
    "AND (SELECT MAX(seq) FROM audit_events) = CAST(?1 AS BIGINT) - 1";

/* The head as this process last committed it (seq 0: not known). Read and
 * set only by the writer holding the writer lock. */
static int64_t known_seq;
static char known_hash[AUDIT_HASH_HEX];

void audit_committed(sy_db *db)
{
    if (db->audit_seq > 0) {
        known_seq = db->audit_seq;
        memcpy(known_hash, db->audit_hash, sizeof known_hash);
    }
    db->audit_seq = 0;
}

int store_audit_head(sy_db *db, int64_t *seq, char hash[65], store_err *err)
{
    dstmt *st = db_stmt(db, SQL_HEAD);
    if (!st)
        return db_fail(db, err, "audit head");
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW) {
        *seq = col_i64(st, 0);
        const char *h = dstmt_col_text(st, 1, NULL);
        memcpy(hash, h && strlen(h) == 64 ? h : AUDIT_GENESIS, 65);
    } else {
        *seq = 0;
        memcpy(hash, AUDIT_GENESIS, 65);
    }
    dstmt_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? ST_OK : db_fail(db, err, "audit head");
}

/* Binds ev (seq, at, hashes set) to an insert statement's ?1..?10. */
static void bind_event(dstmt *st, const audit_event *ev, const char *at)
{
    bind_i64(st, 1, ev->seq);
    bind_text(st, 2, at);
    bind_text(st, 3, ev->actor);
    bind_text(st, 4, ev->action);
    bind_text(st, 5, ev->entity);
    bind_id(st, 6, ev->entity_id);
    bind_text(st, 7, ev->before);
    bind_text(st, 8, ev->after);
    bind_text(st, 9, ev->prev_hash);
    bind_text(st, 10, ev->hash);
}

/* Chains ev after (last, ev->prev_hash) and inserts it with sql; *changes
 * receives the rows inserted (changes NULL: queued, see
 * store_audit_append). ST_OK or an error. */
static int insert_after(sy_db *db, audit_event *ev, int64_t last, const char *sql,
                        int64_t *changes, store_err *err)
{
    char at[21];
    store_now(at);
    ev->seq = last + 1;
    ev->at = at;
    int hashed = audit_hash(ev, ev->hash) == 0;
    dstmt *st = hashed ? db_stmt(db, sql) : NULL;
    ev->at = NULL; /* points at a local */
    if (!hashed)
        return db_fail_nomem(db, err, "audit append");
    if (!st)
        return db_fail(db, err, "audit append");
    bind_event(st, ev, at);
    if (!changes)
        return dstmt_queue(st) == 0 ? ST_OK : db_fail(db, err, "audit append");
    if (dstmt_step(st) != DB_DONE) {
        dstmt_reset(st);
        return db_fail(db, err, "audit append");
    }
    *changes = dstmt_changes(st);
    dstmt_reset(st);
    return ST_OK;
}

int store_audit_append(sy_db *db, audit_event *ev, store_err *err)
{
    if (!db->in_write) {
        err_set(err, ST_ERROR, "", "Audit events are written inside a write transaction.");
        return ST_ERROR;
    }
    int64_t changes = 0;
    int code = ST_OK;
    /* After this write's own last event, or the head committed last. */
    int64_t last = db->audit_seq > 0 ? db->audit_seq : known_seq;
    if (db->audit_seq > 0) {
        /* The head is certain: this transaction appended it (or, under
         * group commit, an earlier member of the same batch), and it holds
         * the writers' lock. The event is queued: it goes to PostgreSQL
         * with the next statement (the next member's, or the COMMIT), not
         * in a round trip of its own. seq is the table's key, so a wrong
         * head fails (and the batch with it) rather than forks the chain. */
        memcpy(ev->prev_hash, db->audit_hash, AUDIT_HASH_HEX);
        code = insert_after(db, ev, last, SQL_INSERT, NULL, err);
        changes = 1;
    } else if (last > 0) {
        memcpy(ev->prev_hash, db->audit_seq > 0 ? db->audit_hash : known_hash, AUDIT_HASH_HEX);
        code = insert_after(db, ev, last, SQL_APPEND_AFTER, &changes, err);
    }
    if (code == ST_OK && changes == 0) {
        /* Not known, or another process appended since: read the head. */
        code = store_audit_head(db, &last, ev->prev_hash, err);
        if (code == ST_OK)
            code = insert_after(db, ev, last, SQL_INSERT, &changes, err);
    }
    if (code != ST_OK)
        return code;
    db->audited = 1;
    db->audit_seq = ev->seq;
    memcpy(db->audit_hash, ev->hash, sizeof db->audit_hash);
    return ST_OK;
}

static void read_event(dstmt *st, arena *a, void *item)
{
    audit_event *ev = item;
    memset(ev, 0, sizeof *ev);
    ev->seq = col_i64(st, 0);
    ev->at = col_text(st, 1, a);
    ev->actor = col_text(st, 2, a);
    ev->action = col_text(st, 3, a);
    ev->entity = col_text(st, 4, a);
    ev->entity_id = col_i64(st, 5);
    ev->before = col_text(st, 6, a);
    ev->after = col_text(st, 7, a);
    const char *prev = dstmt_col_text(st, 8, NULL);
    const char *hash = dstmt_col_text(st, 9, NULL);
    copy_str(ev->prev_hash, AUDIT_HASH_HEX, prev ? prev : "");
    copy_str(ev->hash, AUDIT_HASH_HEX, hash ? hash : "");
}

static void bind_query(dstmt *st, const audit_query *q)
{
    bind_text(st, 1, q->entity);
    bind_text(st, 2, q->actor);
    bind_text(st, 3, q->action);
    bind_text(st, 4, q->since);
    bind_text(st, 5, q->until);
    bind_id(st, 6, q->entity_id);
}

int store_audit_list(sy_db *db, const audit_query *q, arena *a, audit_event **items,
                     size_t *n, int64_t *total, store_err *err)
{
    *items = NULL;
    *n = 0;
    *total = 0;
    /* Stored text is UTF-8 (JSON): other bytes in a filter match nothing,
     * and PostgreSQL would refuse them. */
    if ((q->entity && !utf8_valid(q->entity)) || (q->actor && !utf8_valid(q->actor)) ||
        (q->action && !utf8_valid(q->action)))
        return ST_OK;
    dstmt *st = db_stmt(db, SQL_COUNT);
    if (!st)
        return db_fail(db, err, "audit count");
    bind_query(st, q);
    db_step rc = dstmt_step(st);
    *total = rc == DB_ROW ? col_i64(st, 0) : 0;
    dstmt_reset(st);
    if (rc != DB_ROW)
        return db_fail(db, err, "audit count");
    if (!(st = db_stmt(db, SQL_PAGE)))
        return db_fail(db, err, "audit list");
    bind_query(st, q);
    bind_i64(st, 7, q->limit);
    bind_i64(st, 8, q->offset);
    bind_id(st, 9, q->before);
    size_t cap = (size_t)(q->limit > 0 ? q->limit : 1);
    audit_event *out = arena_alloc(a, cap * sizeof *out);
    if (!out) {
        dstmt_reset(st);
        return db_fail_nomem(db, err, "audit list");
    }
    while (*n < cap && (rc = dstmt_step(st)) == DB_ROW)
        read_event(st, a, &out[(*n)++]);
    dstmt_reset(st);
    if (rc != DB_ROW && rc != DB_DONE)
        return db_fail(db, err, "audit list");
    *items = out;
    return ST_OK;
}

int store_audit_each(sy_db *db, int (*visit)(const audit_event *ev, void *ctx), void *ctx,
                     store_err *err)
{
    dstmt *st = db_stmt(db, SQL_ALL);
    if (!st)
        return db_fail(db, err, "audit walk");
    arena a;
    arena_init(&a);
    db_step rc;
    while ((rc = dstmt_step(st)) == DB_ROW) {
        audit_event ev;
        read_event(st, &a, &ev);
        int stop = visit(&ev, ctx);
        arena_free(&a);
        if (stop)
            break;
    }
    dstmt_reset(st);
    arena_free(&a);
    return rc == DB_ROW || rc == DB_DONE ? ST_OK : db_fail(db, err, "audit walk");
}
