/* governance.c - exit drills and risk acceptances over HTTP:
 *   GET  /api/v1/workloads/{id}/drills        a workload's drills, newest first
 *   POST /api/v1/workloads/{id}/drills        record one (architect, admin)
 *   GET  /api/v1/workloads/{id}/acceptances   a workload's acceptances
 *   POST /api/v1/workloads/{id}/acceptances   accept its risk (leadership, admin)
 *   GET  /api/v1/acceptances                  every acceptance (?in_force=true)
 *   DELETE /api/v1/acceptances/{id}           revoke one (leadership, admin)
 * Each write is checked in full (fields, then the workload's dependencies
 * and alternatives, then dates against today), stored with its audit event
 * in one transaction, and answered as it was saved. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/audit.h"
#include "common/text.h"
#include "core/governance.h"
#include "http/query.h"

/* The item as compact JSON in the arena, for the audit trail. */
static const char *item_text(arena *a, const entity_desc *d, const void *item)
{
    entity_ctx ctx = {.today = clock_today()};
    return entity_text(a, d, item, &ctx);
}

static void write_items(sy_request *rq, const entity_desc *d, const void *items, size_t n,
                        size_t size)
{
    entity_ctx ctx = {.today = clock_today()};
    jw_obj(&rq->jw);
    jw_key(&rq->jw, "items");
    jw_arr(&rq->jw);
    for (size_t i = 0; i < n; i++)
        entity_write(&rq->jw, d, (const char *)items + i * size, &ctx);
    jw_arr_end(&rq->jw);
    jw_kint(&rq->jw, "total", (int64_t)n);
    jw_obj_end(&rq->jw);
}

/* 404 unless the workload exists; fills *w when given. */
static int workload_of(sy_request *rq, workload *w, store_err *err)
{
    workload scratch;
    return store_workload_get(rq->db, rq->id, &rq->arena, w ? w : &scratch, err);
}

int drills_list(sy_request *rq)
{
    store_err err;
    exit_drill *items;
    size_t n;
    if (workload_of(rq, NULL, &err) != ST_OK ||
        store_drills_of(rq->db, rq->id, &rq->arena, &items, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    write_items(rq, &DRILL_DESC, items, n, sizeof *items);
    return 200;
}

int acceptances_of_workload(sy_request *rq)
{
    store_err err;
    risk_acceptance *items;
    size_t n;
    if (workload_of(rq, NULL, &err) != ST_OK ||
        store_acceptances_of(rq->db, rq->id, &rq->arena, &items, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    write_items(rq, &ACCEPTANCE_DESC, items, n, sizeof *items);
    return 200;
}

int acceptances_list(sy_request *rq)
{
    store_err err;
    risk_acceptance *items;
    size_t n;
    const char *in_force = NULL;
    char value[8];
    int found = query_get(rq->query, "in_force", value, sizeof value);
    if (found != 0) {
        if (found < 0 || (strcmp(value, "true") != 0 && strcmp(value, "false") != 0))
            return problem_param(rq, "in_force", "must be true or false");
        in_force = value;
    }
    if (store_acceptances_of(rq->db, 0, &rq->arena, &items, &n, &err) != ST_OK)
        return problem_store(rq, &err);
    if (in_force) {
        /* Keep those whose in-force state matches. */
        int want = strcmp(in_force, "true") == 0;
        int64_t today = clock_today();
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (acceptance_in_force(&items[i], today) == want)
                items[k++] = items[i];
        }
        n = k;
    }
    write_items(rq, &ACCEPTANCE_DESC, items, n, sizeof *items);
    return 200;
}

/* Stores the audit event of a new item and commits; answers 201. */
static int finish(sy_request *rq, const entity_desc *d, const char *action, int64_t id,
                  const char *before, const void *item, const char *location)
{
    store_err err;
    if (audit_record(rq->db, rq->actor, action, d->name, id, before,
                     item_text(&rq->arena, d, item), &err) != ST_OK ||
        store_commit(rq->db, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    if (location)
        snprintf(rq->location, sizeof rq->location, "%s", location);
    entity_ctx ctx = {.today = clock_today()};
    entity_write(&rq->jw, d, item, &ctx);
    return location ? 201 : 200;
}

static int invalid(sy_request *rq, const sy_errors *e)
{
    char detail[900];
    entity_errors_text(NULL, e, detail, sizeof detail);
    return problem_fields_titled(rq, 400, "The record was not saved", detail, e);
}

int drills_create(sy_request *rq)
{
    sy_errors e;
    errors_init(&e);
    exit_drill d;
    if (entity_from_json(&DRILL_DESC, rq->body, &rq->arena, &d, &e) != 0)
        return invalid(rq, &e);
    store_err err;
    workload w;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    if (workload_of(rq, &w, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    if (drill_check(&w, &d, clock_today(), &e) != 0) {
        store_rollback(rq->db);
        return invalid(rq, &e);
    }
    char now[21];
    clock_now_rfc3339(now);
    d.workload = rq->id;
    d.recorded_by = rq->actor;
    d.created_at = arena_strdup(&rq->arena, now);
    if (store_drill_add(rq->db, &d, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    char where[96];
    snprintf(where, sizeof where, "/api/v1/workloads/%lld/drills", (long long)rq->id);
    return finish(rq, &DRILL_DESC, "create", d.id, NULL, &d, where);
}

int acceptances_create(sy_request *rq)
{
    sy_errors e;
    errors_init(&e);
    risk_acceptance r;
    if (entity_from_json(&ACCEPTANCE_DESC, rq->body, &rq->arena, &r, &e) != 0 ||
        acceptance_check(&r, clock_today(), &e) != 0)
        return invalid(rq, &e);
    store_err err;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    if (workload_of(rq, NULL, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    char now[21];
    clock_now_rfc3339(now);
    r.workload = rq->id;
    r.created_by = rq->actor;
    r.created_at = arena_strdup(&rq->arena, now);
    r.revoked_at = r.revoked_by = NULL;
    if (store_acceptance_add(rq->db, &r, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    char where[96];
    snprintf(where, sizeof where, "/api/v1/workloads/%lld/acceptances", (long long)rq->id);
    return finish(rq, &ACCEPTANCE_DESC, "create", r.id, NULL, &r, where);
}

int acceptances_revoke(sy_request *rq)
{
    store_err err;
    risk_acceptance r;
    if (store_begin_write(rq->db, &err) != ST_OK)
        return problem_store(rq, &err);
    if (store_acceptance_get(rq->db, rq->id, &rq->arena, &r, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    if (r.revoked_at) {
        store_rollback(rq->db);
        return problem(rq, 409, NULL, "This risk acceptance is already revoked.");
    }
    const char *before = item_text(&rq->arena, &ACCEPTANCE_DESC, &r);
    char now[21];
    clock_now_rfc3339(now);
    if (store_acceptance_revoke(rq->db, rq->id, now, rq->actor, &err) != ST_OK) {
        store_rollback(rq->db);
        return problem_store(rq, &err);
    }
    r.revoked_at = arena_strdup(&rq->arena, now);
    r.revoked_by = rq->actor;
    return finish(rq, &ACCEPTANCE_DESC, "revoke", r.id, before, &r, NULL);
}
