/* import_workloads.h - the workload inventory as CSV, both ways.
 *
 * The columns are the workload's writable fields, in the descriptor's
 * order (core/entities.c), named by their JSON keys: one definition for
 * the import, the export and the README. A cell holds:
 *   text, enumerations, dates   as they are ("" for no date);
 *   users                       a whole number, "" when not known (null);
 *   monthly_spend               an amount
 *                               ("12600" or "12600.50");
 *   swap_layer                  true or false (also yes/no, 1/0);
 *   allowed_regions,            items separated by ";";
 *   proprietary_features
 *   dependencies                "Offering (role); Offering (role)": an
 *                               offering by name, or by ID as "#12";
 *   alternatives                "Dependency -> Alternative; ...", both by
 *                               name or "#ID";
 *   ai_system_provider          a vendor's ID as "#ID" ("" for none).
 * Pure: offerings are named and found through callbacks. */
#ifndef SY_IMPORT_WORKLOADS_H
#define SY_IMPORT_WORKLOADS_H

#include <jansson.h>

#include "common/arena.h"
#include "core/entity.h"

/* The columns: at most cap descriptor fields into cols; returns how many. */
size_t wl_columns(const field_desc **cols, size_t cap);
/* The column named key, or NULL. */
const field_desc *wl_column(const char *key);

typedef struct wl_names {
    /* The name of offering id, or NULL when there is none. */
    const char *(*name_of)(void *ctx, int64_t id);
    /* The ID of the offering named text (or "#ID"); 0 when unknown. */
    int64_t (*id_of)(void *ctx, const char *text);
    void *ctx;
} wl_names;

/* The cell of column f for workload w, in the arena ("" when empty). */
const char *wl_cell(const field_desc *f, const workload *w, const wl_names *names, arena *a);

/* The JSON value of a cell for column f (a new reference), or NULL with
 * a reason; *omit set (and NULL returned) when an empty cell means "keep
 * what is there" (enumerations, numbers). */
json_t *wl_cell_json(const field_desc *f, const char *cell, const wl_names *names, char *reason,
                     size_t reason_size, int *omit);

#endif
