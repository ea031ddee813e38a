/* portfolio.c - loads the whole portfolio snapshot in a handful of
 * queries: one per table (each entity's "all rows" statement, derived from
 * its descriptor), children joined to parents by a merge over id-ordered
 * results (no query per row; store/entity_read.c). Also the risk weights.
 * On SQLite, store_portfolio_load_split reads the workloads' child rows on
 * a second connection and thread while this one reads the rest. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/portfolio.h"
#include "core/risk.h"
#include "store/entity.h"

static const char SQL_LINKS[] = "SELECT vendor_a, vendor_b, reason FROM vendor_connections";
static const char SQL_COUNT_WORKLOADS[] = "SELECT COUNT(*) FROM workloads";
/* Without ORDER BY, SQLite reads the ids from the smallest covering index
 * (2 MB at 100,000 workloads) instead of the table (82 MB); sorted in C. */
static const char SQL_WORKLOAD_IDS[] = "SELECT id FROM workloads";
static const char SQL_DATABASES[] = "PRAGMA database_list";
/* The long texts the shared snapshot leaves out (WORKLOAD_STORE.lean_omit),
 * for up to TEXT_BATCH workloads at a time, or for all of them. */
#define TEXT_BATCH 100
static const char SQL_TEXTS_OF[] =
    "SELECT id, purpose, intended_purpose, notes FROM workloads WHERE id IN ("
    "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, ?44, ?45, ?46, ?47, ?48, ?49, ?50, ?51, ?52, ?53, ?54, ?55, ?56, ?57, ?58, ?59, ?60, ?61, ?62, ?63, ?64, ?65, ?66, ?67, ?68, ?69, ?70, ?71, ?72, ?73, ?74, ?75, ?76, ?77, ?78, ?79, ?80, ?81, ?82, ?83, ?84, ?85, ?86, ?87, ?88, ?89, ?90, ?91, ?92, ?93, ?94, ?95, ?96, ?97, ?98, ?99, ?100)";
static const char SQL_TEXTS_ALL[] = "SELECT id, purpose, intended_purpose, notes FROM workloads";
static const char SQL_WEIGHTS[] = "SELECT code, points FROM risk_weights";
static const char SQL_WEIGHT_SET[] =
    "INSERT INTO risk_weights(code, points) VALUES (?1, ?2) "
    "ON CONFLICT(code) DO UPDATE SET points = excluded.points";

/* A vendor link row: (a, b, reason). */
typedef struct child_row {
    int64_t parent;
    int64_t id;
    const char *reason;
} child_row;

/* Runs sql and returns all rows as an arena array. */
static int all_rows(sy_db *db, const char *sql, arena *a, size_t size, row_reader read,
                    void **items, size_t *n, store_err *err)
{
    return db_rows(db, sql, 0, 64, a, size, read, items, n, err, "portfolio");
}

/* Rows of sql read straight into an arena array sized by sql_count (run
 * in the same read transaction): a large table (100,000 workloads) is
 * then neither grown on the heap nor copied, which would hold it twice
 * at the peak. More rows than counted fall back to all_rows(). */
static int counted_rows(sy_db *db, const char *sql_count, const char *sql, arena *a,
                        size_t size, row_reader read, void **items, size_t *n,
                        store_err *err)
{
    *items = NULL;
    *n = 0;
    dstmt *st = db_stmt(db, sql_count);
    if (!st)
        return db_fail(db, err, "portfolio");
    db_step rc = dstmt_step(st);
    int64_t count = rc == DB_ROW ? col_i64(st, 0) : -1;
    dstmt_reset(st);
    if (count < 0 || (uint64_t)count > SIZE_MAX / size)
        return db_fail(db, err, "portfolio");
    size_t cap = (size_t)count;
    char *out = cap ? arena_alloc(a, cap * size) : NULL;
    if (cap && !out)
        return db_fail_nomem(db, err, "portfolio");
    if (!(st = db_stmt(db, sql)))
        return db_fail(db, err, "portfolio");
    dstmt_stream(st); /* PostgreSQL: rows as they come, not one 50 MB result */
    while ((rc = dstmt_step(st)) == DB_ROW) {
        if (*n == cap) {
            dstmt_reset(st);
            *n = 0;
            return all_rows(db, sql, a, size, read, items, n, err);
        }
        read(st, a, out + (*n)++ * size);
    }
    dstmt_reset(st);
    if (rc != DB_DONE) {
        *n = 0;
        return db_fail(db, err, "portfolio");
    }
    *items = out;
    return ST_OK;
}

/* Child rows are only needed while they are sorted into their parents:
 * they go to the heap (the caller frees them), their text to the arena. */
static int child_rows(sy_db *db, const char *sql, arena *a, row_reader read, void **items,
                      size_t *n, store_err *err)
{
    return db_rows_heap(db, sql, 0, 64, a, sizeof(child_row), read, items, n, err, "portfolio");
}

static void read_link_row(dstmt *st, arena *a, void *item)
{
    child_row *c = item;
    c->parent = col_i64(st, 0);
    c->id = col_i64(st, 1);
    c->reason = col_text(st, 2, a);
}

/* Every row of entity e, by ID, with the items of its array fields
 * (children 0: without them); sql_count, when given, counts them first
 * (counted_rows); lean: without its lean_omit columns (read as NULL). */
static int load_rows(sy_db *db, const store_entity *e, const char *sql_count, arena *a,
                     void **items, size_t *n, int children, int lean, store_err *err)
{
    const entity_sql *s = entity_sql_of(e);
    *items = NULL;
    *n = 0;
    if (!s)
        return db_fail_nomem(db, err, "statements");
    const char *sql = lean && s->lean ? s->lean : s->all;
    int code = sql_count ? counted_rows(db, sql_count, sql, a, e->desc->size, e->read_row,
                                        items, n, err)
                         : all_rows(db, sql, a, e->desc->size, e->read_row, items, n, err);
    return code == ST_OK && children ? entity_load_children(db, e, a, *items, *n, err) : code;
}

static int load_entity(sy_db *db, const store_entity *e, const char *sql_count, arena *a,
                       void **items, size_t *n, store_err *err)
{
    return load_rows(db, e, sql_count, a, items, n, 1, 0, err);
}

static int load_vendors(sy_db *db, arena *a, portfolio *p, store_err *err)
{
    void *items, *links;
    size_t n_links;
    int code = load_entity(db, &VENDOR_STORE, NULL, a, &items, &p->n_vendors, err);
    p->vendors = items;
    if (code != ST_OK)
        return code;
    code = child_rows(db, SQL_LINKS, a, read_link_row, &links, &n_links, err);
    if (code != ST_OK)
        return code;
    /* Each link row (a, b, reason) belongs to both vendors. */
    child_row *rows = links;
    for (size_t i = 0; i < p->n_vendors; i++) {
        vendor *v = &p->vendors[i];
        size_t count = 0;
        for (size_t k = 0; k < n_links; k++)
            count += rows[k].parent == v->id || rows[k].id == v->id;
        if (!count)
            continue;
        v->connections = arena_alloc(a, count * sizeof(vendor_link));
        if (!v->connections) {
            free(links);
            return db_fail_nomem(db, err, "portfolio");
        }
        for (size_t k = 0; k < n_links; k++) {
            if (rows[k].parent != v->id && rows[k].id != v->id)
                continue;
            vendor_link *l = &v->connections[v->n_connections++];
            l->vendor = rows[k].parent == v->id ? rows[k].id : rows[k].parent;
            l->reason = rows[k].reason;
        }
    }
    free(links);
    return ST_OK;
}

int store_catalogue_load(sy_db *db, arena *a, portfolio *p, store_err *err)
{
    memset(p, 0, sizeof *p);
    void *items;
    int code = load_vendors(db, a, p, err);
    if (code == ST_OK) {
        code = load_entity(db, &OFFERING_STORE, NULL, a, &items, &p->n_offerings, err);
        p->offerings = items;
    }
    if (code == ST_OK) {
        code = load_entity(db, &CONTRACT_STORE, NULL, a, &items, &p->n_contracts, err);
        p->contracts = items;
    }
    if (code == ST_OK)
        code = store_governance_load(db, a, p, err);
    return code;
}

int store_portfolio_load(sy_db *db, arena *a, portfolio *p, store_err *err)
{
    void *items;
    int code = store_catalogue_load(db, a, p, err);
    if (code == ST_OK) {
        code = load_entity(db, &WORKLOAD_STORE, SQL_COUNT_WORKLOADS, a, &items, &p->n_workloads,
                           err);
        p->workloads = items;
    }
    return code;
}

/* ---- the workloads' child rows on a second connection (SQLite) ---------- */

/* Smaller database files are read on one connection: at 10,000 workloads
 * (13 MB) a second connection cost 15-30 ms of CPU time for a few ms of
 * wall time; at 100,000 (116 MB) it saves a third of the build's wall. */
static _Atomic long long split_min_bytes = 32LL << 20;

void store_split_threshold(long long bytes)
{
    split_min_bytes = bytes;
}

/* What the helper thread reads: a skeleton per workload (its id and its
 * array fields, on the heap) with the child rows' text in side. */
typedef struct peer_load {
    sy_db *db;
    arena *side;
    arena temp;                /* holds skel */
    char *skel;
    size_t n;
    int code;
    store_err err;
} peer_load;

/* The file of db's main database into out; 0 when there is none (not
 * SQLite, in memory, or a name too long). */
static int main_file(sy_db *db, char *out, size_t size)
{
    out[0] = '\0';
    if (dconn_engine(db->conn) != DB_SQLITE)
        return 0;
    dstmt *st = db_stmt(db, SQL_DATABASES);
    if (!st)
        return 0;
    while (dstmt_step(st) == DB_ROW) {
        size_t len = 0;
        const char *name = dstmt_col_text(st, 1, NULL);
        const char *file = dstmt_col_text(st, 2, &len);
        if (name && strcmp(name, "main") == 0 && file && len > 0 && len < size) {
            memcpy(out, file, len);
            out[len] = '\0';
        }
    }
    dstmt_reset(st);
    return out[0] != '\0';
}

static int by_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Every workload's id, ordered, into the heap array *ids (sized by a
 * count in the same transaction); ST_OK or ST_ERROR. */
static int peer_ids(sy_db *db, int64_t **ids, size_t *n)
{
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    dstmt *st = db_stmt(db, SQL_COUNT_WORKLOADS);
    if (!st)
        return ST_ERROR;
    db_step rc = dstmt_step(st);
    int64_t count = rc == DB_ROW ? col_i64(st, 0) : -1;
    dstmt_reset(st);
    if (count < 0 || (uint64_t)count > SIZE_MAX / sizeof **ids)
        return ST_ERROR;
    cap = (size_t)count;
    if (cap && !(*ids = malloc(cap * sizeof **ids)))
        return ST_ERROR;
    if (!(st = db_stmt(db, SQL_WORKLOAD_IDS)))
        return ST_ERROR;
    int sorted = 1;
    while ((rc = dstmt_step(st)) == DB_ROW && *n < cap) {
        (*ids)[*n] = col_i64(st, 0);
        sorted &= *n == 0 || (*ids)[*n - 1] < (*ids)[*n];
        (*n)++;
    }
    dstmt_reset(st);
    if (rc != DB_DONE)
        return ST_ERROR;
    if (!sorted)
        qsort(*ids, *n, sizeof **ids, by_id);
    return ST_OK;
}

/* A zeroed workload-sized skeleton per workload id, then their child rows
 * merged in (entity_load_children), on the peer connection. */
static void *peer_run(void *arg)
{
    peer_load *pl = arg;
    size_t size = WORKLOAD_STORE.desc->size, n = 0;
    int64_t *ids;
    pl->code = peer_ids(pl->db, &ids, &n);
    /* In an arena of its own: a large block there is mapped with its pages
     * present (common/arena.c), not faulted in one by one. */
    if (pl->code == ST_OK && n &&
        (n > SIZE_MAX / size || !(pl->skel = arena_alloc(&pl->temp, n * size))))
        pl->code = ST_ERROR;
    if (pl->code == ST_OK) {
        for (size_t i = 0; i < n; i++)
            *(int64_t *)(pl->skel + i * size) = ids[i];
        pl->n = n;
        pl->code = entity_load_children(pl->db, &WORKLOAD_STORE, pl->side, pl->skel, pl->n,
                                        &pl->err);
    }
    free(ids);
    return NULL;
}

/* Opens a second connection to db's file whose read transaction sees what
 * db's (begun here) sees: the peer's PRAGMA data_version, which moves with
 * every other connection's commit, is the same before db's transaction
 * starts and after the peer starts its own. NULL when that cannot be had
 * (then db's transaction is open anyway, and the caller reads alone). */
static sy_db *open_peer(sy_db *db)
{
    char file[1024];
    sy_db *peer = NULL;
    store_err err;
    struct stat st;
    if (!main_file(db, file, sizeof file) || stat(file, &st) != 0 ||
        (long long)st.st_size < split_min_bytes || store_open(file, &peer, &err) != ST_OK)
        return NULL;
    int64_t before = -1, after = -2;
    if (store_begin_read(peer, &err) == ST_OK) {
        before = dconn_change_counter(peer->conn);
        /* db's snapshot starts here, between the peer's two looks. */
        if (dconn_change_counter(db->conn) < 0)
            before = -1;
        store_end_read(peer);
        if (before >= 0 && store_begin_read(peer, &err) == ST_OK)
            after = dconn_change_counter(peer->conn);
    }
    if (before < 0 || before != after) {
        store_end_read(peer);
        store_close(peer);
        return NULL;
    }
    return peer;
}

/* Hands the skeleton's array fields to the loaded workloads when both
 * list the same ids in the same order; 0 otherwise. */
static int adopt_children(portfolio *p, const peer_load *pl)
{
    size_t size = WORKLOAD_STORE.desc->size;
    const entity_sql *s = entity_sql_of(&WORKLOAD_STORE);
    if (!s || pl->code != ST_OK || pl->n != p->n_workloads)
        return 0;
    for (size_t i = 0; i < pl->n; i++)
        if (*(const int64_t *)(pl->skel + i * size) != p->workloads[i].id)
            return 0;
    for (int c = 0; c < s->n_children; c++) {
        const field_desc *f = s->children[c].field;
        for (size_t i = 0; i < pl->n; i++) {
            const char *from = pl->skel + i * size;
            char *to = (char *)&p->workloads[i];
            memcpy(to + f->offset, from + f->offset, sizeof(void *));
            memcpy(to + f->count_offset, from + f->count_offset, sizeof(size_t));
        }
    }
    return 1;
}

int store_portfolio_load_split(sy_db *db, arena *a, arena *side, portfolio *p, int lean,
                               int *split, store_err *err)
{
    *split = 0;
    sy_db *peer = db->in_read == 1 ? open_peer(db) : NULL;
    peer_load pl = {.db = peer, .side = side};
    arena_init(&pl.temp);
    pthread_t thread;
    if (peer && pthread_create(&thread, NULL, peer_run, &pl) != 0) {
        store_end_read(peer);
        store_close(peer);
        peer = NULL;
    }
    void *items = NULL;
    int code = store_catalogue_load(db, a, p, err);
    if (code == ST_OK)
        code = load_rows(db, &WORKLOAD_STORE, SQL_COUNT_WORKLOADS, a, &items, &p->n_workloads,
                         !peer, lean, err);
    p->workloads = items;
    p->texts_left_out = lean && code == ST_OK;
    if (!peer)
        return code;
    pthread_join(thread, NULL);
    store_end_read(peer);
    store_close(peer);
    *split = code == ST_OK && adopt_children(p, &pl);
    arena_free(&pl.temp);
    if (code == ST_OK && !*split) /* the same rows, read here */
        code = entity_load_children(db, &WORKLOAD_STORE, a, p->workloads, p->n_workloads, err);
    return code;
}

/* ---- the long texts left out of the shared snapshot ----------------------- */

/* Fills row k's left-out texts from st's columns 1-3. */
static void take_texts(dstmt *st, arena *a, workload *w)
{
    w->purpose = col_text(st, 1, a);
    w->intended_purpose = col_text(st, 2, a);
    w->notes = col_text(st, 3, a);
}

static long text_row(workload *rows, size_t n, int sorted, int64_t id)
{
    size_t lo = 0, hi = n;
    if (!sorted) {
        for (size_t i = 0; i < n; i++)
            if (rows[i].id == id)
                return (long)i;
        return -1;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && rows[lo].id == id ? (long)lo : -1;
}

/* Steps st (bound), filling the rows it names. */
static int texts_from(sy_db *db, dstmt *st, workload *rows, size_t n, int sorted, arena *a,
                      store_err *err)
{
    db_step rc;
    while ((rc = dstmt_step(st)) == DB_ROW) {
        long k = text_row(rows, n, sorted, col_i64(st, 0));
        if (k >= 0)
            take_texts(st, a, &rows[k]);
    }
    dstmt_reset(st);
    return rc == DB_DONE ? ST_OK : db_fail(db, err, "workload texts");
}

int store_workload_texts(sy_db *db, workload *rows, size_t n, int sorted, arena *a,
                         store_err *err)
{
    /* A workload gone since the snapshot keeps empty text. */
    for (size_t i = 0; i < n; i++)
        rows[i].purpose = rows[i].intended_purpose = rows[i].notes = "";
    if (n > TEXT_BATCH && sorted) {
        dstmt *st = db_stmt(db, SQL_TEXTS_ALL);
        return st ? texts_from(db, st, rows, n, 1, a, err) : db_fail(db, err, "workload texts");
    }
    for (size_t from = 0; from < n; from += TEXT_BATCH) {
        size_t k = n - from < TEXT_BATCH ? n - from : TEXT_BATCH;
        dstmt *st = db_stmt(db, SQL_TEXTS_OF);
        if (!st)
            return db_fail(db, err, "workload texts");
        for (size_t i = 0; i < TEXT_BATCH; i++) /* repeats fill the unused places */
            bind_i64(st, (int)i + 1, rows[from + (i < k ? i : 0)].id);
        int code = texts_from(db, st, rows + from, k, 0, a, err);
        if (code != ST_OK)
            return code;
    }
    return ST_OK;
}

int store_weights_get(sy_db *db, int *points, int n, store_err *err)
{
    for (int i = 0; i < n; i++)
        points[i] = RISK_DEFAULT_WEIGHTS[i];
    dstmt *st = db_stmt(db, SQL_WEIGHTS);
    if (!st)
        return db_fail(db, err, "weights");
    db_step rc;
    while ((rc = dstmt_step(st)) == DB_ROW) {
        const char *code = dstmt_col_text(st, 0, NULL);
        int k = enum_index(RISK_CODES, code);
        if (k >= 0 && k < n)
            points[k] = (int)col_i64(st, 1);
    }
    dstmt_reset(st);
    return rc == DB_DONE ? ST_OK : db_fail(db, err, "weights");
}

int store_weights_set(sy_db *db, const int *points, int n, store_err *err)
{
    db->touched_catalogue = 1; /* risk inputs change: see store_generations */
    for (int i = 0; i < n && i < RISK_FACTORS; i++) {
        dstmt *st = db_stmt(db, SQL_WEIGHT_SET);
        if (!st)
            return db_fail(db, err, "weights");
        bind_text(st, 1, RISK_CODES[i]);
        bind_i64(st, 2, points[i]);
        int code = db_exec_stmt(db, st, err, "weights");
        if (code != ST_OK)
            return code;
    }
    return ST_OK;
}
