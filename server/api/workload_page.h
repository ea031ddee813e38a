/* workload_page.h - one page of the workload list (GET /workloads) over
 * the scored snapshot: the filters and order of a list_query, then offset
 * paging or keyset paging.
 *
 * Keyset paging: a page's `next` is an opaque cursor naming its last row
 * by what the order compares, so the page after it is "the rows after that
 * row" whatever was written or deleted meanwhile, and costs what the first
 * page costs: one pass over the snapshot keeping the best `limit` rows in a
 * heap (no sort of the whole list, nothing skipped). Offsets still work;
 * a deep offset sorts every match once. */
#ifndef SY_WORKLOAD_PAGE_H
#define SY_WORKLOAD_PAGE_H

#include "api/analysis.h"
#include "store/store.h"

typedef struct workload_row {
    const workload *w;
    const risk_result *r;
} workload_row;

typedef struct workload_page_out {
    const workload_row *rows;  /* in order, n of them */
    size_t n;
    int64_t total;             /* every match over all pages (cursor or not) */
    const char *next;          /* cursor of the page after, NULL on the last */
} workload_page_out;

enum { WP_BAD_CURSOR = -1, WP_OTHER_SORT = -2, WP_NO_MEMORY = -3 };

/* Fills out with the page q asks for (q->cursor: the rows after the one it
 * names; q->offset: rows skipped). Memory from a. 0, or a WP_* code. */
int workload_page(const analysis *an, const list_query *q, arena *a, workload_page_out *out);

#endif
