/* import_plan.h - what an import would do, before it does it.
 *
 * Every kind of import parses and checks the whole file into a plan: the
 * records it creates, those it changes (field by field, old -> new, as
 * text), those it leaves alone, and every row it cannot use (its line in
 * the file, the column and the reason). A dry run answers the plan; an
 * apply writes it in one transaction, and only when no row was rejected.
 * Rejected rows beyond PLAN_MAX_REJECTED are counted, not listed, so a
 * bad 200,000-row file still has a small plan. Pure. */
#ifndef SY_IMPORT_PLAN_H
#define SY_IMPORT_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/arena.h"
#include "common/jw.h"

#define PLAN_MAX_REJECTED 1000

typedef enum { PA_CREATE, PA_CHANGE, PA_UNCHANGED, PA_REJECTED } plan_action;

typedef struct plan_change {
    const char *field;
    const char *old_text, *new_text;   /* as the file writes them; NULL: none */
} plan_change;

typedef struct plan_item {
    plan_action action;
    long row;                  /* line in the file; 0: not one row */
    long column_no;            /* 1-based column; 0: none */
    const char *column;        /* the column's name, or NULL */
    const char *entity;        /* "workload", "actual_spend", ... */
    int64_t id;                /* the record, 0 when it is new */
    const char *name;          /* what the row names */
    const char *reason;        /* rejected: why */
    plan_change *changes;
    size_t n_changes, cap_changes;
    void *payload;             /* the kind's data for the apply */
} plan_item;

typedef struct import_plan {
    arena a;                   /* everything the plan points to */
    const char *kind;
    plan_item **items;
    size_t n, cap;
    int64_t counts[4];         /* by plan_action */
    int64_t rows;              /* data rows read */
    int64_t unlisted;          /* rejected rows counted but not listed */
    const char *summary;       /* the kind's extra JSON object text, or NULL */
    json_t *keep;              /* JSON the payloads borrow strings from, freed with the plan */
} import_plan;

void plan_init(import_plan *p, const char *kind);
void plan_free(import_plan *p);
/* A new item (counted); NULL when out of memory or when it is a rejection
 * past the listing limit (counted all the same). */
plan_item *plan_add(import_plan *p, plan_action action);
/* A rejected row; 0, or -1 when out of memory. */
int plan_reject(import_plan *p, long row, long column_no, const char *column,
                const char *reason);
/* Adds a change to item; strings are copied. 0 or -1. */
int plan_change_add(import_plan *p, plan_item *item, const char *field, const char *old_text,
                    const char *new_text);
const char *plan_action_name(plan_action a);

/* {"kind","rows","counts":{...},"items":[...],"unlisted_rejected","summary"}
 * without the closing brace, so the caller may add keys and close it. */
void plan_write_open(jw *w, const import_plan *p);

#endif
