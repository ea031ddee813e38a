/* entity_sql.c - builds each entity's SQL text from its descriptor, once,
 * at first use (pthread_once), into heap strings kept for the life of the
 * process (the statement cache keys on their addresses). Portable SQL for
 * SQLite and PostgreSQL, values always bound as ?N parameters; the only
 * literals are the descriptors' own column names and enumeration values.
 *
 * List statements keep the one parameter layout of db_list (internal.h):
 * ?1 name pattern, ?2 sort key, ?3 limit, ?4 offset, ?5 track, ?6 status,
 * ?7 criticality, ?8 kind, ?9 vendor, ?10 offering, ?11 category. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/log.h"
#include "store/entity.h"

/* The list parameter of each filterable field (FD_FILTER). */
static const struct { const char *key; int param; } FILTER_PARAMS[] = {
    {"track", 5}, {"status", 6}, {"criticality", 7}, {"kind", 8}, {"category", 11}};

static int filter_param(const char *key)
{
    for (size_t i = 0; i < sizeof FILTER_PARAMS / sizeof FILTER_PARAMS[0]; i++)
        if (strcmp(FILTER_PARAMS[i].key, key) == 0)
            return FILTER_PARAMS[i].param;
    return 0;
}


/* Takes the text out of b (NULL if anything failed); b is reset. */
static char *take(buf *b, int *failed)
{
    char *out = buf_failed(b) ? NULL : buf_take(b, NULL);
    buf_free(b);
    if (!out)
        *failed = 1;
    return out;
}

static int omitted(const store_entity *e, const field_desc *f)
{
    for (const char *const *c = e->lean_omit; c && *c; c++)
        if (strcmp(*c, f->column) == 0)
            return 1;
    return 0;
}

/* The SELECT list; lean: the lean_omit columns as NULL (same positions,
 * so entity_read_row reads either). */
static void select_cols(buf *b, const store_entity *e, int lean)
{
    const char *a = e->alias;
    if (e->with)
        buf_printf(b, "%s", e->with);
    buf_printf(b, "SELECT %s.id", a);
    for (const field_desc *f = e->desc->fields; f->key; f++)
        if (entity_row_column(f) && lean && omitted(e, f))
            buf_printf(b, ", NULL");
        else if (entity_row_column(f))
            buf_printf(b, ", %s.%s", a, f->column);
    buf_printf(b, ", %s.version, %s.created_at, %s.updated_at%s FROM %s %s %s", a, a, a,
        e->extra_cols ? e->extra_cols : "", e->desc->table, a, e->joins ? e->joins : "");
}

static void select_list(buf *b, const store_entity *e)
{
    select_cols(b, e, 0);
}

static void list_where(buf *b, const store_entity *e)
{
    const char *a = e->alias;
    buf_printf(b, "WHERE (CAST(?1 AS TEXT) IS NULL OR lower(%s.name) LIKE ?1 ESCAPE '\\') ", a);
    for (const field_desc *f = e->desc->fields; f->key; f++) {
        int p = f->flags & FD_FILTER ? filter_param(f->key) : 0;
        if (p)
            buf_printf(b, "AND (CAST(?%d AS TEXT) IS NULL OR %s.%s = ?%d) ", p, a, f->column, p);
    }
    if (e->where)
        buf_printf(b, "%s ", e->where);
}

/* The expression a sort key orders by. */
static void sort_expr(buf *b, const store_entity *e, const field_desc *f)
{
    const char *a = e->alias;
    if ((f->flags & FD_SORT_RANK) && f->enum_table) {
        buf_printf(b, "(CASE %s.%s", a, f->column);
        int i = 0;
        for (; f->enum_table[i + 1]; i++)
            buf_printf(b, " WHEN '%s' THEN %d", f->enum_table[i], i + 1);
        buf_printf(b, " ELSE %d END)", i + 1);
    } else if (f->flags & FD_NULL_LAST) {
        buf_printf(b, "COALESCE(%s.%s, '9999-12-31')", a, f->column);
    } else {
        buf_printf(b, "%s.%s", a, f->column);
    }
}

static void list_order(buf *b, const store_entity *e)
{
    buf_printf(b, "ORDER BY ");
    for (const char *const *k = e->desc->sorts; *k; k++) {
        const char *key = **k == '-' ? *k + 1 : *k;
        const field_desc *f = entity_field(e->desc, key);
        if (!f || !f->column)
            continue; /* computed (a workload's risk): sorted above the store */
        buf_printf(b, "CASE WHEN ?2 = '%s' THEN ", *k);
        sort_expr(b, e, f);
        buf_printf(b, " END %s, ", **k == '-' ? "DESC" : "ASC");
    }
    buf_printf(b, "%s LIMIT ?3 OFFSET ?4", e->tiebreak);
}

static void build_writes(buf *b, const store_entity *e, entity_sql *s, int *failed)
{
    const char *t = e->desc->table;
    int n = 0;
    buf_printf(b, "INSERT INTO %s(", t);
    for (const field_desc *f = e->desc->fields; f->key; f++)
        if (entity_row_column(f))
            buf_printf(b, "%s, ", f->column);
    buf_printf(b, "version, created_at, updated_at) VALUES (");
    for (const field_desc *f = e->desc->fields; f->key; f++)
        if (entity_row_column(f))
            buf_printf(b, "?%d, ", ++n);
    buf_printf(b, "1, ?%d, ?%d) RETURNING id", n + 1, n + 1);
    s->insert = take(b, failed);
    n = 0;
    buf_printf(b, "UPDATE %s SET ", t);
    for (const field_desc *f = e->desc->fields; f->key; f++)
        if (entity_row_column(f))
            buf_printf(b, "%s = ?%d, ", f->column, ++n);
    /* The version check rides on the update: no row back means the record
     * is gone or at another version (db_check_version then says which). */
    buf_printf(b,
               "updated_at = ?%d, version = version + 1 WHERE id = ?%d "
               "AND (CAST(?%d AS BIGINT) = 0 OR version = CAST(?%d AS BIGINT)) RETURNING version",
               n + 1, n + 2, n + 3, n + 3);
    s->update = take(b, failed);
    s->n_cols = n + 4; /* id, the fields, version, created_at, updated_at */
}

/* "?1, ?2, ... ?ENTITY_SOME)" */
static void some_params(buf *b)
{
    for (int i = 1; i <= ENTITY_SOME; i++)
        buf_printf(b, "?%d%s", i, i < ENTITY_SOME ? ", " : ")");
}

static void build_child(buf *b, const child_desc *c, const field_desc *f, child_sql *out,
                        int *failed)
{
    out->field = f;
    buf_printf(b, "SELECT ");
    for (const field_desc *g = f->sub; g->key; g++)
        buf_printf(b, "%s%s", g == f->sub ? "" : ", ", g->column);
    buf_printf(b, " FROM %s WHERE %s = ?1 ORDER BY %s", c->table, c->parent, c->position);
    out->select = take(b, failed);
    /* No ORDER BY: ordering by (parent, position) made SQLite look every
     * row up from its primary-key index (not covering position) and sort
     * each parent's rows, several times the cost of this plain scan; the
     * reader orders the rows itself (store/entity_read.c). */
    buf_printf(b, "SELECT %s, %s", c->parent, c->position);
    for (const field_desc *g = f->sub; g->key; g++)
        buf_printf(b, ", %s", g->column);
    buf_printf(b, " FROM %s", c->table);
    out->all = take(b, failed);
    buf_printf(b, "SELECT %s, %s", c->parent, c->position);
    for (const field_desc *g = f->sub; g->key; g++)
        buf_printf(b, ", %s", g->column);
    buf_printf(b, " FROM %s WHERE %s IN (", c->table, c->parent);
    some_params(b);
    out->some = take(b, failed);
    buf_printf(b, "DELETE FROM %s WHERE %s = ?1", c->table, c->parent);
    out->clear = take(b, failed);
    buf_printf(b, "INSERT INTO %s(%s, %s", c->table, c->parent, c->position);
    int n = 2;
    for (const field_desc *g = f->sub; g->key; g++)
        buf_printf(b, ", %s", g->column);
    buf_printf(b, ") VALUES (?1, ?2");
    for (const field_desc *g = f->sub; g->key; g++)
        buf_printf(b, ", ?%d", ++n);
    buf_printf(b, ")");
    out->add = take(b, failed);
}

static void build(const store_entity *e, entity_sql *s, int *failed)
{
    const char *t = e->desc->table, *a = e->alias;
    buf b;
    buf_init(&b);
    select_list(&b, e);
    buf_printf(&b, "WHERE %s.id = ?1", a);
    s->get = take(&b, failed);
    select_list(&b, e);
    buf_printf(&b, "ORDER BY %s.id", a);
    s->all = take(&b, failed);
    if (e->lean_omit) {
        select_cols(&b, e, 1);
        buf_printf(&b, "ORDER BY %s.id", a);
        s->lean = take(&b, failed);
    }
    select_list(&b, e);
    buf_printf(&b, "WHERE %s.id IN (", a);
    some_params(&b);
    buf_printf(&b, " ORDER BY %s.id", a);
    s->some = take(&b, failed);
    buf_printf(&b, "SELECT COUNT(*) FROM %s %s ", t, a);
    list_where(&b, e);
    s->count = take(&b, failed);
    select_list(&b, e);
    list_where(&b, e);
    list_order(&b, e);
    s->page = take(&b, failed);
    build_writes(&b, e, s, failed);
    buf_printf(&b, "DELETE FROM %s WHERE id = ?1", t);
    s->remove = take(&b, failed);
    buf_printf(&b, "SELECT version FROM %s WHERE id = ?1", t);
    s->version = take(&b, failed);
    buf_printf(&b, "SELECT 1 FROM %s WHERE id = ?1", t);
    s->exists = take(&b, failed);
    buf_printf(&b, "SELECT id FROM %s WHERE name = ?1", t);
    s->find = take(&b, failed);
    buf_printf(&b, "SELECT 1 FROM %s WHERE name = ?1 AND id <> ?2", t);
    s->name_taken = take(&b, failed);
    for (const field_desc *f = e->desc->fields; f->key; f++)
        if (f->kind == FK_ARRAY && f->child && s->n_children < ENTITY_MAX_CHILDREN)
            build_child(&b, f->child, f, &s->children[s->n_children++], failed);
    buf_free(&b);
}

/* ---- once per process ------------------------------------------------------ */

extern const store_entity VENDOR_STORE, OFFERING_STORE, CONTRACT_STORE, WORKLOAD_STORE,
    SCENARIO_STORE;

static const store_entity *const ALL[] = {&VENDOR_STORE, &OFFERING_STORE, &CONTRACT_STORE,
                                          &WORKLOAD_STORE, &SCENARIO_STORE};
#define N_ENTITIES (sizeof ALL / sizeof ALL[0])

static entity_sql built[N_ENTITIES];
static int build_failed;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build_all(void)
{
    for (size_t i = 0; i < N_ENTITIES; i++)
        build(ALL[i], &built[i], &build_failed);
    if (build_failed)
        log_msg(LOG_ERROR, "store: the entity statements could not be built");
}

const entity_sql *entity_sql_of(const store_entity *e)
{
    if (pthread_once(&once, build_all) != 0 || build_failed)
        return NULL;
    for (size_t i = 0; i < N_ENTITIES; i++)
        if (ALL[i] == e)
            return &built[i];
    return NULL;
}

const store_entity *entity_store_of(ref_kind kind)
{
    switch (kind) {
    case REF_VENDOR:
        return &VENDOR_STORE;
    case REF_OFFERING:
        return &OFFERING_STORE;
    default:
        return NULL;
    }
}

/* ---- the narrow UPDATE ------------------------------------------------------- */

/* Per entity: the UPDATE of its plain row columns, those no index, foreign
 * key or trigger of its table reads, made on the first update through a
 * connection that can tell which those are. Setting a keyed column, even
 * to its own value, makes SQLite rewrite its index entries (five on a
 * workload, with a foreign-key probe), most of an edit's row write. */
#define NARROW_MAX 64 /* row columns a mask can hold */

static struct {
    _Atomic int state; /* 0 not looked at yet, 1 made, -1 none */
    uint64_t keyed;    /* bit i: the i-th row column is keyed */
    char *update;
} narrow[N_ENTITIES];
static pthread_mutex_t narrow_lock = PTHREAD_MUTEX_INITIALIZER;

/* The narrow statement's text for the mask, or NULL when every column is
 * keyed (or out of memory). */
static char *narrow_text(const store_entity *e, uint64_t keyed)
{
    buf b;
    buf_init(&b);
    int n = 0, i = 0, failed = 0;
    buf_printf(&b, "UPDATE %s SET ", e->desc->table);
    for (const field_desc *f = e->desc->fields; f->key; f++)
        if (entity_row_column(f) && !(keyed >> i++ & 1))
            buf_printf(&b, "%s = ?%d, ", f->column, ++n);
    buf_printf(&b,
               "updated_at = ?%d, version = version + 1 WHERE id = ?%d "
               "AND (CAST(?%d AS BIGINT) = 0 OR version = CAST(?%d AS BIGINT)) RETURNING version",
               n + 1, n + 2, n + 3, n + 3);
    char *text = take(&b, &failed);
    if (text && n == 0) {
        free(text);
        text = NULL;
    }
    return text;
}

/* 1 made, or -1 none (unknown keys, too many columns, all keyed). */
static int make_narrow(const store_entity *e, dconn *c, size_t at)
{
    const char *cols[NARROW_MAX] = {0};
    unsigned char keyed[NARROW_MAX];
    size_t n = 0;
    for (const field_desc *f = e->desc->fields; f->key; f++)
        if (entity_row_column(f)) {
            if (n == NARROW_MAX)
                return -1;
            cols[n++] = f->column;
        }
    if (dconn_keyed_columns(c, e->desc->table, cols, n, keyed) != 0)
        return -1;
    uint64_t mask = 0;
    for (size_t i = 0; i < n; i++)
        mask |= (uint64_t)keyed[i] << i;
    narrow[at].keyed = mask;
    narrow[at].update = narrow_text(e, mask);
    return narrow[at].update ? 1 : -1;
}

const char *entity_sql_narrow_update(const store_entity *e, dconn *c, uint64_t *keyed)
{
    for (size_t i = 0; i < N_ENTITIES; i++) {
        if (ALL[i] != e)
            continue;
        if (atomic_load(&narrow[i].state) == 0) {
            pthread_mutex_lock(&narrow_lock);
            if (atomic_load(&narrow[i].state) == 0)
                atomic_store(&narrow[i].state, make_narrow(e, c, i));
            pthread_mutex_unlock(&narrow_lock);
        }
        if (atomic_load(&narrow[i].state) != 1)
            return NULL;
        *keyed = narrow[i].keyed;
        return narrow[i].update;
    }
    return NULL;
}
