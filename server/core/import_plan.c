/* import_plan.c - the plan of an import; see import_plan.h. */
#include "core/import_plan.h"

#include <stdlib.h>
#include <string.h>

void plan_init(import_plan *p, const char *kind)
{
    memset(p, 0, sizeof *p);
    arena_init(&p->a);
    p->kind = kind;
}

void plan_free(import_plan *p)
{
    if (!p)
        return;
    free(p->items);
    json_decref(p->keep);
    arena_free(&p->a);
    memset(p, 0, sizeof *p);
}

const char *plan_action_name(plan_action a)
{
    static const char *const names[] = {"create", "change", "unchanged", "rejected"};
    return names[a];
}

plan_item *plan_add(import_plan *p, plan_action action)
{
    p->counts[action]++;
    if (action == PA_REJECTED && p->counts[PA_REJECTED] > PLAN_MAX_REJECTED) {
        p->unlisted++;
        return NULL;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        plan_item **grown = realloc(p->items, cap * sizeof *grown);
        if (!grown)
            return NULL;
        p->items = grown;
        p->cap = cap;
    }
    plan_item *it = arena_alloc(&p->a, sizeof *it);
    if (!it)
        return NULL;
    it->action = action;
    p->items[p->n++] = it;
    return it;
}

int plan_reject(import_plan *p, long row, long column_no, const char *column,
                const char *reason)
{
    plan_item *it = plan_add(p, PA_REJECTED);
    if (!it)
        return p->unlisted ? 0 : -1;
    it->row = row;
    it->column_no = column_no;
    it->column = arena_strdup(&p->a, column);
    it->reason = arena_strdup(&p->a, reason);
    return 0;
}

int plan_change_add(import_plan *p, plan_item *item, const char *field, const char *old_text,
                    const char *new_text)
{
    if (item->n_changes == item->cap_changes) {
        size_t cap = item->cap_changes ? item->cap_changes * 2 : 8;
        plan_change *grown = arena_alloc(&p->a, cap * sizeof *grown);
        if (!grown)
            return -1;
        if (item->n_changes)
            memcpy(grown, item->changes, item->n_changes * sizeof *grown);
        item->changes = grown;
        item->cap_changes = cap;
    }
    plan_change *c = &item->changes[item->n_changes++];
    c->field = arena_strdup(&p->a, field);
    c->old_text = arena_strdup(&p->a, old_text);
    c->new_text = arena_strdup(&p->a, new_text);
    return 0;
}

static void write_item(jw *w, const plan_item *it)
{
    jw_obj(w);
    jw_kstr(w, "action", plan_action_name(it->action));
    if (it->row)
        jw_kint(w, "row", it->row);
    if (it->column_no) {
        jw_kint(w, "column", it->column_no);
        jw_kstr(w, "column_name", it->column);
    }
    if (it->entity)
        jw_kstr(w, "entity", it->entity);
    if (it->id)
        jw_kint(w, "id", it->id);
    if (it->name)
        jw_kstr(w, "name", it->name);
    if (it->reason)
        jw_kstr(w, "reason", it->reason);
    if (it->action == PA_CREATE || it->action == PA_CHANGE) {
        jw_key(w, "changes");
        jw_arr(w);
        for (size_t i = 0; i < it->n_changes; i++) {
            jw_obj(w);
            jw_kstr(w, "field", it->changes[i].field);
            jw_kstr(w, "old", it->changes[i].old_text);
            jw_kstr(w, "new", it->changes[i].new_text);
            jw_obj_end(w);
        }
        jw_arr_end(w);
    }
    jw_obj_end(w);
}

void plan_write_open(jw *w, const import_plan *p)
{
    jw_obj(w);
    jw_kstr(w, "kind", p->kind);
    jw_kint(w, "rows", p->rows);
    jw_key(w, "counts");
    jw_obj(w);
    for (int a = PA_CREATE; a <= PA_REJECTED; a++)
        jw_kint(w, plan_action_name((plan_action)a), p->counts[a]);
    jw_obj_end(w);
    jw_key(w, "items");
    jw_arr(w);
    for (size_t i = 0; i < p->n; i++)
        write_item(w, p->items[i]);
    jw_arr_end(w);
    jw_kint(w, "unlisted_rejected", p->unlisted);
    jw_key(w, "summary");
    jw_raw(w, p->summary ? p->summary : "{}");
}
