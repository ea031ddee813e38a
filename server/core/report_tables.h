/* report_tables.h - the governance report's tables, flattened from its JSON
 * model (report/model.c), for the CSV files and the HTML appendices:
 * one column list per table, so both formats show the same cells.
 *
 *   workloads, contracts, offerings, vendors  the appendices, one row each;
 *                   the CSV has a column per field of the entity's
 *                   descriptor (core/entity.h), in its order: references by
 *                   name, arrays through the field's report_item pattern,
 *                   the risk as score, level, priority, flagged and factors;
 *                   the HTML shows a chosen few
 *   concentration   one row per basis x connected x layer x group share
 *                   (a layer with no share gets one row with no group)
 *   findings        one row per finding of each strategy track
 *   audit           the changes since the since= date (header only without)
 *
 * A cell's text: strings as they are; numbers as in the JSON (money in
 * currency units); booleans true/false; null empty; a list one item per
 * line (an item of objects read through the column's item pattern: {key}
 * is the item's value, [ ... ] is left out when a key inside it is null);
 * an object as compact JSON. Pure (jansson only). */
#ifndef SY_REPORT_TABLES_H
#define SY_REPORT_TABLES_H

#include <jansson.h>
#include <stddef.h>

#include "common/buf.h"

typedef enum { RC_TEXT, RC_INT, RC_MONEY, RC_NUM, RC_BOOL, RC_DATE, RC_LIST } rc_kind;

enum { RC_CSV = 1, RC_HTML = 2, RC_BOTH = 3 };   /* where a column appears */

typedef struct report_col {
    const char *header;        /* CSV header (snake_case) */
    const char *label;         /* HTML header */
    const char *path;          /* key path in the row: "risk/score" */
    rc_kind kind;
    const char *item;          /* RC_LIST of objects: item pattern */
    int where;                 /* RC_CSV, RC_HTML or RC_BOTH */
    int width;                 /* HTML: share of the table width, in percent */
} report_col;

enum {
    RT_WORKLOADS, RT_CONTRACTS, RT_OFFERINGS, RT_VENDORS,
    RT_CONCENTRATION, RT_FINDINGS, RT_AUDIT, REPORT_TABLES
};

typedef struct report_table {
    const char *name;          /* "workloads": the CSV is workloads.csv */
    const char *title;
    const report_col *cols;
    size_t n_cols;
    json_t *rows;              /* array of row objects (a reference owned here) */
} report_table;

/* Builds every table from the model. 0, or -1 (out of memory). */
int report_tables_build(const json_t *model, report_table out[REPORT_TABLES]);
void report_tables_free(report_table t[REPORT_TABLES]);

/* The value at a key path ("risk/score") of an object, or NULL. */
const json_t *report_path(const json_t *row, const char *path);
/* Appends the text of one cell (see above). */
void report_cell(const json_t *row, const report_col *c, buf *out);
/* Appends a JSON value compactly, keys in order, numbers in shortest form. */
void report_json_compact(const json_t *v, buf *out);

/* Appends the table as RFC 4180 CSV: a header row, then one row each. */
void report_csv(const report_table *t, buf *out);

#endif
