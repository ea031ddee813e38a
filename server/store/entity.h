/* entity.h (store) - the store side of an entity: how its descriptor
 * (core/entity.h) maps onto tables, and the generic reads and writes built
 * from it. The statements are derived from the descriptor once, at first
 * use (entity_sql.c): the SELECT list, the INSERT and UPDATE with their
 * parameters numbered in field order, the list's filters and ORDER BY, and
 * per array field the child table's statements. Binding and row reading
 * walk the same descriptor, so positions cannot drift apart.
 *
 * What does not follow from the descriptor stays in the entity's file as a
 * hook: the vendor group's recursive join, the vendor links (one row per
 * pair, shown on both sides), "still in use" checks before a delete.
 * Nothing outside server/store/ includes this. */
#ifndef SY_STORE_ENTITY_H
#define SY_STORE_ENTITY_H

#include "core/entity.h"
#include "store/internal.h"

/* The statements of one array field's child table. */
typedef struct child_sql {
    const field_desc *field;
    char *select;      /* its items of one record (?1), in order */
    char *all;         /* every row, in no order: parent, position, item */
    char *some;        /* as all, of the records ?1 to ?ENTITY_SOME */
    char *clear;       /* delete one record's items (?1) */
    char *add;         /* ?1 parent, ?2 position, then the item's columns */
} child_sql;

#define ENTITY_MAX_CHILDREN 4
#define ENTITY_SOME 32 /* records a "some" statement reads */

/* The statements of one entity, built once. */
typedef struct entity_sql {
    int n_cols;        /* columns of the SELECT before the extra ones */
    char *get, *count, *page, *all;
    char *lean;        /* all, with the lean_omit columns read as NULL (or NULL) */
    char *some;        /* get of the records ?1 to ?ENTITY_SOME (unused: NULL), by ID */
    char *insert, *update, *remove, *version, *exists, *find, *name_taken;
    child_sql children[ENTITY_MAX_CHILDREN];
    int n_children;
} entity_sql;

struct store_entity {
    const entity_desc *desc;
    const char *alias;         /* the table's alias in the SELECT: "v" */
    const char *with;          /* a WITH clause before the SELECT, or NULL */
    const char *joins;         /* joins after "FROM table alias", or NULL */
    const char *extra_cols;    /* ", col, col" appended to the SELECT list, or NULL */
    /* Long free text that no scoring or summary reads, left out of the
     * shared snapshot's load (entity_sql.lean); NULL-terminated, or NULL. */
    const char *const *lean_omit;
    /* Reads the extra columns, the first at index `col`. */
    void (*read_extra)(dstmt *st, int col, arena *a, void *item);
    const char *where;         /* further list filters: " AND (...)", or NULL */
    const char *tiebreak;      /* the ORDER BY's last keys */
    const char *missing;       /* detail of a 404 */
    const char *taken;         /* detail of a name conflict */
    int catalogue;             /* a write changes risk inputs (store_generations) */
    int workloads;             /* a write changes a workload (db_note_workload) */
    int folds_names;           /* check compares names folded, which covers the exact
                                  name: the exact-name probe is not run */
    row_reader read_row;       /* entity_read_row for this entity (see STORE_ROW_READER) */
    /* Optional hooks; each returns ST_OK or an error with err set. */
    /* after refs; before: the record as it was (NULL: unknown, as on insert) */
    int (*check)(sy_db *db, int64_t id, const void *item, const void *before, store_err *err);
    /* Optional, with check_with, in place of check in writes: check's
     * query, bound but not run (*st NULL: none needed, the check passes),
     * so that it goes to the database with the reference look-ups in one
     * round trip; check_with judges its result (and resets it). */
    int (*check_query)(sy_db *db, int64_t id, const void *item, const void *before, dstmt **st,
                       store_err *err);
    int (*check_with)(sy_db *db, dstmt *st, const void *item, store_err *err);
    int (*read_more)(sy_db *db, arena *a, void *item, store_err *err);
    int (*write_more)(sy_db *db, int64_t id, const void *item, store_err *err);
    int (*before_delete)(sy_db *db, int64_t id, store_err *err);
};

/* A field with a column of the entity's own row (not the ID or the
 * timestamps, which have fixed places). */
static inline int entity_row_column(const field_desc *f)
{
    return f->column && f->kind != FK_ID && f->kind != FK_STAMP;
}

/* Reads one record's items of child table c into item (its ID first). */
int entity_read_child(sy_db *db, const child_sql *c, void *item, arena *a, store_err *err);

/* The statements of e, built at first use (thread-safe); NULL if they
 * could not be (logged). */
const entity_sql *entity_sql_of(const store_entity *e);

/* The UPDATE of e's plain row columns alone, those no index, foreign key
 * or trigger reads (bit i of *keyed set: the i-th row column is keyed),
 * with the full update's parameters renumbered over the plain columns;
 * made at first use through c. NULL when there is none (PostgreSQL, or
 * every column keyed): use the full update. */
const char *entity_sql_narrow_update(const store_entity *e, dconn *c, uint64_t *keyed);

/* Reads a row of e's SELECT into item (zeroed first). */
void entity_read_row(const store_entity *e, dstmt *st, arena *a, void *item);

/* A row_reader for entity E, for the generic row helpers. */
#define STORE_ROW_READER(fn, E) \
    static void fn(dstmt *st, arena *a, void *item) { entity_read_row(&(E), st, a, item); }

/* A write's reference checks (entity_refs.c): the name is free, every
 * reference names a record (those `before` already held are not looked
 * up), then the entity's own rules; ST_OK or the refusal naming the field. */
int entity_check_refs(sy_db *db, const store_entity *e, const entity_sql *s, int64_t id,
                      const void *item, const void *before, store_err *err);
/* Reads the items of every array field of the records items[0..n), which
 * are sorted by ID, in one query per child table (the portfolio loader). */
int entity_load_children(sy_db *db, const store_entity *e, arena *a, void *items, size_t n,
                         store_err *err);

/* The store side of what a reference names (its table's statements). */
const store_entity *entity_store_of(ref_kind kind);

#endif
