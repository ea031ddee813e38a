/* contracts.c - /api/v1/contracts: customer and upstream agreements. */
#include <stddef.h>

#include "api/api.h"
#include "common/text.h"

static void contract_json(jw *w, const void *item)
{
    const contract *c = item;
    jw_obj(w);
    jw_kint(w, "id", c->id);
    jw_kstr(w, "name", c->name);
    jw_kstr(w, "kind", c->kind);
    jw_kid(w, "counterparty", c->counterparty);
    jw_kid(w, "other_party", c->other_party);
    jw_key(w, "offerings");
    jw_arr(w);
    for (size_t i = 0; i < c->n_offerings; i++)
        jw_int(w, c->offerings[i]);
    jw_arr_end(w);
    jw_kstr(w, "start_date", c->start_date);
    jw_kstr(w, "end_date", c->end_date);
    jw_kint(w, "notice_days", c->notice_days);
    /* Computed: the last day to give notice (end minus notice period). */
    int64_t end;
    jw_key(w, "notice_deadline");
    if (c->end_date && date_parse(c->end_date, &end) == 0) {
        char day[11];
        date_format(end - c->notice_days, day);
        jw_str(w, day);
    } else {
        jw_null(w);
    }
    jw_kbool(w, "auto_renew", c->auto_renew);
    jw_kint(w, "renewal_months", c->renewal_months);
    jw_kmoney(w, "annual_value", c->annual_value);
    jw_kstr(w, "currency", c->currency);
    jw_kmoney(w, "committed_spend", c->committed_spend);
    jw_kbool(w, "exclusive", c->exclusive);
    jw_kstr(w, "exit_clause", c->exit_clause);
    jw_kbool(w, "data_portability", c->data_portability);
    jw_kstr(w, "substitutability", c->substitutability);
    jw_kstr(w, "exit_plan", c->exit_plan);
    jw_kstr(w, "notes", c->notes);
    jw_key(w, "terms");
    jw_arr(w);
    for (size_t i = 0; i < c->n_terms; i++) {
        jw_obj(w);
        jw_kstr(w, "kind", c->terms[i].kind);
        jw_kstr(w, "text", c->terms[i].text);
        jw_kstr(w, "effective", c->terms[i].effective);
        jw_kstr(w, "until", c->terms[i].until);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kstr(w, "created_at", c->created_at);
    jw_kstr(w, "updated_at", c->updated_at);
    jw_obj_end(w);
}

ENTITY_GLUE(contract)

const entity_ops CONTRACT_OPS = {
    "contract", "/api/v1/contracts", sizeof(contract), offsetof(contract, version),
    CONTRACT_SORTS, "name", LF_KIND | LF_VENDOR | LF_OFFERING,
    glue_from_json, contract_json, glue_get, glue_list, glue_insert, glue_update,
    glue_remove, store_contract_find, NULL};

ENTITY_HANDLERS(contracts, CONTRACT_OPS)
