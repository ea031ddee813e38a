/* ai_act.c - the EU AI Act deployer register; see ai_act.h. */
#include "core/ai_act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "core/csv.h"

const ai_act_column AI_ACT_COLUMNS[] = {
    {"workload_id", "Workload ID"},
    {"workload", "Workload (AI system)"},
    {"status", "Status"},
    {"risk_tier", "AI Act risk tier"},
    {"annex_iii_area", "Annex III area"},
    {"ai_system_provider", "Provider of the AI system"},
    {"intended_purpose", "Intended purpose"},
    {"oversight_owner", "Human oversight (Art. 26(2))"},
    {"log_retention_months", "Log retention, months (Art. 26(6))"},
    {"fria_status", "FRIA status (Art. 27)"},
    {"fria_date", "FRIA date"},
    {"affected_persons_informed", "Affected persons informed (Art. 26(11))"},
    {"incident_contact", "Incident contact (Art. 26(5))"},
    {"owner", "Business owner"},
    {"gaps", "Gaps (compliance findings)"},
    {NULL, NULL}};

static int by_name(const void *x, const void *y)
{
    const workload *a = *(const workload *const *)x, *b = *(const workload *const *)y;
    int k = strcmp(a->name, b->name);
    return k ? k : (a->id > b->id) - (a->id < b->id);
}

/* The active workloads by name; NULL when out of memory (or none: *n 0). */
static const workload **active_rows(const portfolio *p, size_t *n)
{
    const workload **rows = malloc((p->n_workloads + 1) * sizeof *rows);
    *n = 0;
    if (!rows)
        return NULL;
    for (size_t i = 0; i < p->n_workloads; i++)
        if (workload_active(&p->workloads[i]))
            rows[(*n)++] = &p->workloads[i];
    qsort(rows, *n, sizeof *rows, by_name);
    return rows;
}

static int names(const compliance_finding *f, int64_t id)
{
    if (strncmp(f->code, "ai_act_", 7) != 0)
        return 0;
    for (size_t k = 0; k < f->n_listed; k++)
        if (f->workloads[k] == id)
            return 1;
    return 0;
}

static const char *provider_name(const portfolio *p, const workload *w)
{
    const vendor *v = w->ai_system_provider ? pf_vendor(p, w->ai_system_provider) : NULL;
    return v ? v->name : NULL;
}

int ai_act_csv(const portfolio *p, const compliance_finding *f, size_t n_findings, buf *out)
{
    size_t n;
    const workload **rows = active_rows(p, &n);
    if (!rows)
        return -1;
    for (int c = 0; AI_ACT_COLUMNS[c].key; c++)
        csv_field(out, AI_ACT_COLUMNS[c].key, c == 0);
    csv_end(out);
    for (size_t r = 0; r < n; r++) {
        const workload *w = rows[r];
        char id[24], months[24];
        snprintf(id, sizeof id, "%lld", (long long)w->id);
        snprintf(months, sizeof months, "%lld", (long long)w->log_retention_months);
        buf gaps;
        buf_init(&gaps);
        for (size_t i = 0; i < n_findings; i++)
            if (names(&f[i], w->id))
                buf_printf(&gaps, "%s%s", gaps.len ? "; " : "", f[i].code);
        const char *cells[] = {id, w->name, w->status, w->ai_act_tier, w->annex_iii_area,
                               provider_name(p, w), w->intended_purpose, w->oversight_owner,
                               w->log_retention_months ? months : NULL, w->fria_status,
                               w->impact_assessment, w->persons_informed, w->incident_contact,
                               w->owner, gaps.data};
        csv_record(out, cells, sizeof cells / sizeof cells[0]);
        int failed = buf_failed(&gaps);
        buf_free(&gaps);
        if (failed) {
            free(rows);
            return -1;
        }
    }
    free(rows);
    return buf_failed(out) ? -1 : 0;
}

static void row_json(jw *w, const portfolio *p, const workload *x, const compliance_finding *f,
                     size_t n_findings, int *gapped)
{
    jw_obj(w);
    jw_kint(w, "workload_id", x->id);
    jw_kstr(w, "workload", x->name);
    jw_kstr(w, "status", x->status);
    jw_kstr(w, "risk_tier", x->ai_act_tier);
    jw_kstr(w, "annex_iii_area", x->annex_iii_area);
    jw_key(w, "ai_system_provider");
    if (provider_name(p, x)) {
        jw_obj(w);
        jw_kint(w, "id", x->ai_system_provider);
        jw_kstr(w, "name", provider_name(p, x));
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_kstr(w, "intended_purpose", x->intended_purpose);
    jw_kstr(w, "oversight_owner", x->oversight_owner);
    jw_key(w, "log_retention_months");
    if (x->log_retention_months)
        jw_int(w, x->log_retention_months);
    else
        jw_null(w);
    jw_kstr(w, "fria_status", x->fria_status);
    jw_kstr(w, "fria_date", x->impact_assessment);
    jw_kstr(w, "affected_persons_informed", x->persons_informed);
    jw_kstr(w, "incident_contact", x->incident_contact);
    jw_kstr(w, "owner", x->owner);
    jw_key(w, "gaps");
    jw_arr(w);
    *gapped = 0;
    for (size_t i = 0; i < n_findings; i++)
        if (names(&f[i], x->id)) {
            jw_str(w, f[i].code);
            *gapped = 1;
        }
    jw_arr_end(w);
    jw_obj_end(w);
}

int ai_act_json(const portfolio *p, const compliance_finding *f, size_t n_findings, jw *w)
{
    size_t n;
    const workload **rows = active_rows(p, &n);
    if (!rows)
        return -1;
    char today[11];
    date_format(p->today, today);
    jw_obj(w);
    jw_kstr(w, "regulation", "Regulation (EU) 2024/1689 (AI Act), deployer obligations "
                             "Art. 26 and 27, Annex III");
    jw_kstr(w, "as_of", today);
    jw_key(w, "columns");
    jw_arr(w);
    for (int c = 0; AI_ACT_COLUMNS[c].key; c++) {
        jw_obj(w);
        jw_kstr(w, "key", AI_ACT_COLUMNS[c].key);
        jw_kstr(w, "label", AI_ACT_COLUMNS[c].label);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "rows");
    jw_arr(w);
    int64_t with_gaps = 0;
    for (size_t r = 0; r < n; r++) {
        int gapped;
        row_json(w, p, rows[r], f, n_findings, &gapped);
        with_gaps += gapped;
    }
    jw_arr_end(w);
    jw_kint(w, "count", (int64_t)n);
    jw_kint(w, "with_gaps", with_gaps);
    jw_obj_end(w);
    free(rows);
    return 0;
}
