/* scenario.c - what-if scenarios: parsing the changes and checking their
 * references; see scenario.h. The evaluation is in scenario_eval.c, the
 * replacements, reasons and time to exit in scenario_exit.c. Pure: no I/O. */
#include "core/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

const char *const CHANGE_TYPES[] = {"exit_group", "withdraw_offering", "end_contract",
                                    "add_swap_layer", "drill_alternative", NULL};
const char *const OUTCOMES[] = {"unaffected", "movable", "stranded", NULL};

#define SCENARIO_MAX_CHANGES 50
#define SCENARIO_MAX_WORKLOADS 1000

/* The members each change type takes besides "type". */
static const char *const MEMBERS[][4] = {
    {"vendor", NULL, NULL, NULL},
    {"offering", NULL, NULL, NULL},
    {"contract", "on", NULL, NULL},
    {"workloads", NULL, NULL, NULL},
    {"workload", "dependency", "alternative", NULL},
};

/* ---- parsing --------------------------------------------------------------- */

static int is_member(int type, const char *key)
{
    if (strcmp(key, "type") == 0)
        return 1;
    for (int i = 0; MEMBERS[type][i]; i++)
        if (strcmp(MEMBERS[type][i], key) == 0)
            return 1;
    return 0;
}

/* A required positive id member. */
static int parse_id(const json_t *item, const char *base, const char *name, const char *what,
                    int64_t *out, sy_errors *e)
{
    char ptr[128];
    pointer_join(ptr, sizeof ptr, base, name);
    const json_t *v = json_object_get(item, name);
    if (!v) {
        errors_add(e, ptr, "is required");
        return -1;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1) {
        errors_add(e, ptr, "must be the numeric ID of an existing %s", what);
        return -1;
    }
    *out = (int64_t)json_integer_value(v);
    return 0;
}

typedef struct id_at {
    int64_t id;
    size_t at;
} id_at;

static int by_id_then_position(const void *x, const void *y)
{
    const id_at *a = x, *b = y;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

static int parse_workloads(const json_t *item, const char *base, arena *a, scenario_change *c,
                           sy_errors *e)
{
    char ptr[128];
    pointer_join(ptr, sizeof ptr, base, "workloads");
    const json_t *v = json_object_get(item, "workloads");
    if (!v) {
        errors_add(e, ptr, "is required");
        return -1;
    }
    if (!json_is_array(v)) {
        errors_add(e, ptr, "must be an array of workload IDs");
        return -1;
    }
    size_t n = json_array_size(v);
    if (n == 0) {
        errors_add(e, ptr, "must name at least one workload");
        return -1;
    }
    if (n > SCENARIO_MAX_WORKLOADS) {
        errors_add(e, ptr, "must have at most %d entries", SCENARIO_MAX_WORKLOADS);
        return -1;
    }
    c->workloads = arena_alloc(a, n * sizeof *c->workloads);
    id_at *sorted = arena_alloc(a, n * sizeof *sorted);
    unsigned char *dup = arena_alloc(a, n);
    if (!c->workloads || !sorted || !dup) {
        errors_add(e, ptr, "is too large");
        return -1;
    }
    int bad = 0;
    size_t n_ok = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *id = json_array_get(v, i);
        if (!json_is_integer(id) || json_integer_value(id) < 1) {
            char at[128], idx[24];
            snprintf(idx, sizeof idx, "%zu", i);
            pointer_join(at, sizeof at, ptr, idx);
            errors_add(e, at, "must be the numeric ID of an existing workload");
            bad = 1;
            continue;
        }
        c->workloads[i] = (int64_t)json_integer_value(id);
        sorted[n_ok].id = c->workloads[i];
        sorted[n_ok].at = i;
        n_ok++;
    }
    /* Duplicates: sort (id, position), flag every later occurrence. */
    qsort(sorted, n_ok, sizeof *sorted, by_id_then_position);
    for (size_t k = 1; k < n_ok; k++)
        if (sorted[k].id == sorted[k - 1].id)
            dup[sorted[k].at] = 1;
    for (size_t i = 0; i < n; i++) {
        if (!dup[i])
            continue;
        char at[128], idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        pointer_join(at, sizeof at, ptr, idx);
        errors_add(e, at, "names the same workload twice");
        bad = 1;
    }
    c->n_workloads = n;
    return bad ? -1 : 0;
}

static int parse_change(const json_t *item, const char *base, arena *a, scenario_change *c,
                        sy_errors *e)
{
    char ptr[128];
    if (!json_is_object(item)) {
        errors_add(e, base, "must be a JSON object");
        return -1;
    }
    pointer_join(ptr, sizeof ptr, base, "type");
    const json_t *type = json_object_get(item, "type");
    if (!type) {
        errors_add(e, ptr, "is required");
        return -1;
    }
    int t = json_is_string(type) ? enum_index(CHANGE_TYPES, json_string_value(type)) : -1;
    if (t < 0) {
        char what[160];
        enum_list(CHANGE_TYPES, what, sizeof what);
        errors_add(e, ptr, "must be one of %s", what);
        return -1;
    }
    c->type = t;
    int bad = 0;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)item, key, value) {
        (void)value;
        if (!is_member(t, key)) {
            pointer_join(ptr, sizeof ptr, base, key);
            errors_add(e, ptr, "is not a known field");
            bad = 1;
        }
    }
    switch (t) {
    case CHANGE_EXIT_GROUP:
        bad |= parse_id(item, base, "vendor", "vendor", &c->id, e) != 0;
        break;
    case CHANGE_WITHDRAW_OFFERING:
        bad |= parse_id(item, base, "offering", "offering", &c->id, e) != 0;
        break;
    case CHANGE_END_CONTRACT: {
        bad |= parse_id(item, base, "contract", "contract", &c->id, e) != 0;
        pointer_join(ptr, sizeof ptr, base, "on");
        const json_t *on = json_object_get(item, "on");
        int64_t days;
        if (!on) {
            errors_add(e, ptr, "is required");
            bad = 1;
        } else if (!json_is_string(on) || date_parse(json_string_value(on), &days) != 0) {
            errors_add(e, ptr, "must be a real date written YYYY-MM-DD");
            bad = 1;
        } else {
            c->on = arena_strdup(a, json_string_value(on));
            if (!c->on) {
                errors_add(e, ptr, "is too large");
                bad = 1;
            }
        }
        break;
    }
    case CHANGE_ADD_SWAP_LAYER:
        bad |= parse_workloads(item, base, a, c, e) != 0;
        break;
    case CHANGE_DRILL_ALTERNATIVE:
        bad |= parse_id(item, base, "workload", "workload", &c->id, e) != 0;
        bad |= parse_id(item, base, "dependency", "offering", &c->dependency, e) != 0;
        bad |= parse_id(item, base, "alternative", "offering", &c->alternative, e) != 0;
        break;
    }
    return bad ? -1 : 0;
}

int scenario_from_json(const json_t *changes, arena *a, scenario *out, sy_errors *e)
{
    int bad = 0; /* not e->count: the error list stops growing when full */
    out->changes = NULL;
    out->n_changes = 0;
    if (!changes) {
        errors_add(e, "/changes", "is required");
        return -1;
    }
    if (!json_is_array(changes)) {
        errors_add(e, "/changes", "must be an array of changes");
        return -1;
    }
    size_t n = json_array_size(changes);
    if (n == 0) {
        errors_add(e, "/changes", "must have at least one change");
        return -1;
    }
    if (n > SCENARIO_MAX_CHANGES) {
        errors_add(e, "/changes", "must have at most %d changes", SCENARIO_MAX_CHANGES);
        return -1;
    }
    out->changes = arena_alloc(a, n * sizeof *out->changes);
    if (!out->changes) {
        errors_add(e, "/changes", "is too large");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char base[128], idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        pointer_join(base, sizeof base, "/changes", idx);
        bad |= parse_change(json_array_get(changes, i), base, a, &out->changes[i], e) != 0;
    }
    out->n_changes = n;
    return bad ? -1 : 0;
}

/* ---- references ---------------------------------------------------------- */

/* A drilled alternative must be one the workload names for a dependency
 * it has: the drill is recorded against that pair. */
static void check_drill(const scenario_change *c, const portfolio *p, const char *base,
                        sy_errors *e)
{
    char ptr[128];
    const workload *w = pf_workload(p, c->id);
    if (!w) {
        pointer_join(ptr, sizeof ptr, base, "workload");
        errors_add(e, ptr, "No workload with this ID.");
        return;
    }
    int depends = 0, named = 0;
    for (size_t d = 0; d < w->n_dependencies; d++)
        depends |= w->dependencies[d].offering == c->dependency;
    for (size_t k = 0; k < w->n_alternatives; k++)
        named |= w->alternatives[k].dependency == c->dependency &&
                 w->alternatives[k].offering == c->alternative;
    if (!depends) {
        pointer_join(ptr, sizeof ptr, base, "dependency");
        errors_add(e, ptr, "is not one of the workload's dependencies");
    } else if (!named) {
        pointer_join(ptr, sizeof ptr, base, "alternative");
        errors_add(e, ptr, "is not a named alternative of this dependency");
    }
}

int scenario_check_refs(const scenario *s, const portfolio *p, sy_errors *e)
{
    int start = e->count;
    for (size_t i = 0; i < s->n_changes; i++) {
        const scenario_change *c = &s->changes[i];
        char base[128], ptr[128], idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        pointer_join(base, sizeof base, "/changes", idx);
        switch (c->type) {
        case CHANGE_EXIT_GROUP:
            if (!pf_vendor(p, c->id)) {
                pointer_join(ptr, sizeof ptr, base, "vendor");
                errors_add(e, ptr, "No vendor with this ID.");
            }
            break;
        case CHANGE_WITHDRAW_OFFERING:
            if (!pf_offering(p, c->id)) {
                pointer_join(ptr, sizeof ptr, base, "offering");
                errors_add(e, ptr, "No offering with this ID.");
            }
            break;
        case CHANGE_END_CONTRACT:
            if (!pf_contract(p, c->id)) {
                pointer_join(ptr, sizeof ptr, base, "contract");
                errors_add(e, ptr, "No contract with this ID.");
            }
            break;
        case CHANGE_ADD_SWAP_LAYER:
            for (size_t k = 0; k < c->n_workloads; k++) {
                if (pf_workload(p, c->workloads[k]))
                    continue;
                char list[128], at[24];
                pointer_join(list, sizeof list, base, "workloads");
                snprintf(at, sizeof at, "%zu", k);
                pointer_join(ptr, sizeof ptr, list, at);
                errors_add(e, ptr, "No workload with this ID.");
            }
            break;
        case CHANGE_DRILL_ALTERNATIVE:
            check_drill(c, p, base, e);
            break;
        default:
            pointer_join(ptr, sizeof ptr, base, "type");
            errors_add(e, ptr, "is not a known change");
            break;
        }
    }
    return e->count > start ? -1 : 0;
}
