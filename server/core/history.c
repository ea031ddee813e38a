/* history.c - the daily figures of one scope; see history.h. */
#include "core/history.h"

#include <math.h>
#include <string.h>

#include "common/jw.h"
#include "core/compliance.h"
#include "core/model.h"
#include "core/overview.h"

const char *const HISTORY_SCOPE_NAMES[HISTORY_SCOPES + 1] = {"all", "copilot", "azure",
                                                             "openai", "other", NULL};

int history_scope_valid(const char *scope)
{
    return scope && enum_index(HISTORY_SCOPE_NAMES, scope) >= 0;
}

static const char *track_of(const char *scope)
{
    return strcmp(scope, "all") == 0 ? NULL : scope;
}

/* Counts and HHI of one scope; the findings are added by the caller. */
static int compute_core(const portfolio *p, const risk_result *risk, const conc_sums *kept,
                        const char *scope, arena *a, history_figures *out)
{
    memset(out, 0, sizeof *out);
    const char *track = track_of(scope);
    ov_counts c;
    ov_count(p, risk, track, &c);
    out->active = c.active;
    out->spend = c.spend;
    out->flagged = c.flagged;
    memcpy(out->level, c.level, sizeof out->level);
    memcpy(out->priority, c.priority, sizeof out->priority);
    for (size_t i = 0; i < p->n_workloads; i++)
        if (risk[i].active && risk[i].accepted && ov_in_track(&p->workloads[i], track))
            out->accepted++;
    for (int basis = 0; basis < 2; basis++) {
        concentration conc;
        if (concentration_kept(p, kept, basis, 0, track, a, &conc) != 0)
            return -1;
        for (int l = 0; l < LAYERS; l++)
            (basis ? out->hhi_spend : out->hhi_workloads)[l] = conc.layers[l].hhi;
    }
    return 0;
}

static int severity_index(const char *s)
{
    return strcmp(s, "high") == 0 ? 0 : strcmp(s, "medium") == 0 ? 1 : 2;
}

/* Counts the findings naming a workload of the scope's track (all for
 * the portfolio). */
static void count_findings(const compliance_finding *items, size_t n, const char *scope,
                           history_figures *out)
{
    const char *track = track_of(scope);
    unsigned want = compliance_track_bit(track);
    for (size_t i = 0; i < n; i++)
        if (!track || (items[i].tracks & want))
            out->findings[severity_index(items[i].severity)]++;
}

int history_compute(const portfolio *p, const risk_result *risk, const char *scope, arena *a,
                    history_figures *out)
{
    compliance_finding *items;
    size_t n;
    if (compute_core(p, risk, NULL, scope, a, out) != 0 ||
        compliance_findings(p, 0, a, &items, &n) != 0)
        return -1;
    count_findings(items, n, scope, out);
    return 0;
}

int history_compute_all(const portfolio *p, const risk_result *risk, arena *a,
                        history_figures out[HISTORY_SCOPES])
{
    return history_compute_all_kept(p, risk, NULL, a, out);
}

int history_compute_all_kept(const portfolio *p, const risk_result *risk, const conc_sums *kept,
                             arena *a, history_figures out[HISTORY_SCOPES])
{
    compliance_finding *items;
    size_t n;
    if (compliance_findings(p, 0, a, &items, &n) != 0)
        return -1;
    for (int s = 0; s < HISTORY_SCOPES; s++) {
        if (compute_core(p, risk, kept, HISTORY_SCOPE_NAMES[s], a, &out[s]) != 0)
            return -1;
        count_findings(items, n, HISTORY_SCOPE_NAMES[s], &out[s]);
    }
    return 0;
}

static void int_array(jw *w, const char *key, const int *v, int n)
{
    jw_key(w, key);
    jw_arr(w);
    for (int i = 0; i < n; i++)
        jw_int(w, v[i]);
    jw_arr_end(w);
}

static void hhi_array(jw *w, const char *key, const double *v)
{
    jw_key(w, key);
    jw_arr(w);
    for (int l = 0; l < LAYERS; l++)
        jw_double(w, round(v[l] * 10.0) / 10.0);
    jw_arr_end(w);
}

void history_figures_json(buf *b, const history_figures *f)
{
    jw w;
    jw_init(&w, b);
    jw_obj(&w);
    jw_kint(&w, "active", f->active);
    jw_kmoney(&w, "spend", f->spend);
    int_array(&w, "levels", f->level, 4);
    int_array(&w, "priority", f->priority, 4);
    jw_kint(&w, "flagged", f->flagged);
    jw_kint(&w, "accepted", f->accepted);
    jw_key(&w, "hhi");
    jw_obj(&w);
    hhi_array(&w, "spend", f->hhi_spend);
    hhi_array(&w, "workloads", f->hhi_workloads);
    jw_obj_end(&w);
    int_array(&w, "findings", f->findings, 3);
    jw_obj_end(&w);
}
