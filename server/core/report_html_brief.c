/* report_html_brief.c - "In brief": the executive summary in words, written
 * from the report's own model (summary, deadlines, changes), so that every
 * figure in the sentences is one the tables beside them show: the portfolio,
 * the risk, the most exposed workloads, concentration, and the decisions
 * that have a date (notice deadlines within 90 days). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/report_html_kit.h"

/* Deadlines this close are decisions to take now. */
#define BRIEF_DECISION_DAYS 90
/* How many exposed workloads and decisions the brief names. */
#define BRIEF_MAX_NAMED 3

/* An amount with the organisation's reporting currency, when it has one. */
static void brief_money(rh_ctx *c, double units)
{
    const char *cur = rh_str_of(json_object_get(c->model, "cover"), "currency");
    if (cur) {
        html_escape(c->b, cur);
        buf_puts(c->b, " ");
    }
    rh_put_money(c->b, units);
}

static double count_of(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_number(v) ? json_number_value(v) : 0;
}

static void brief_portfolio(rh_ctx *c, const json_t *s)
{
    const json_t *counts = json_object_get(s, "counts");
    const json_t *status = json_object_get(counts, "status");
    buf *b = c->b;
    buf_puts(b, "<p>");
    rh_put_int(c, count_of(counts, "active"));
    buf_puts(b, " of ");
    rh_put_int(c, count_of(counts, "workloads"));
    buf_puts(b, " registered AI workloads are active (");
    rh_put_int(c, count_of(status, "production"));
    buf_puts(b, " in production, ");
    rh_put_int(c, count_of(status, "pilot"));
    buf_puts(b, " in pilot); ");
    rh_put_int(c, count_of(status, "proposed"));
    buf_puts(b, " more are proposed and ");
    rh_put_int(c, count_of(status, "retired"));
    buf_puts(b, " retired. The active ones spend ");
    brief_money(c, count_of(json_object_get(s, "spend"), "monthly_total"));
    buf_puts(b, " a month.</p>\n");
}

static void brief_risk(rh_ctx *c, const json_t *s)
{
    const json_t *counts = json_object_get(s, "counts");
    const json_t *level = json_object_get(counts, "level");
    buf *b = c->b;
    static const char *const levels[] = {"critical", "high", "medium", "low"};
    buf_puts(b, "<p>By lock-in level, the active workloads are ");
    for (int i = 0; i < 4; i++) {
        buf_puts(b, i == 0 ? "" : i == 3 ? " and " : ", ");
        rh_put_int(c, count_of(level, levels[i]));
        buf_printf(b, " %s", levels[i]);
    }
    buf_puts(b, "; ");
    rh_put_int(c, count_of(counts, "flagged"));
    buf_puts(b, " active workloads are flagged for action. ");
    const json_t *flagged = json_object_get(s, "flagged");
    size_t n = json_array_size(flagged);
    if (n) {
        buf_puts(b, "The most exposed: ");
        for (size_t i = 0; i < n && i < BRIEF_MAX_NAMED; i++) {
            const json_t *f = json_array_get(flagged, i);
            buf_puts(b, i == 0 ? "" : "; ");
            buf_puts(b, "<strong>");
            rh_text(c, rh_str_of(f, "name"));
            buf_puts(b, "</strong> (");
            rh_label(b, rh_str_of(f, "level"));
            buf_puts(b, ", score ");
            rh_put_int(c, count_of(f, "score"));
            buf_puts(b, ": ");
            rh_label(b, rh_str_of(f, "top_factor"));
            buf_puts(b, ")");
        }
        buf_puts(b, ".");
    }
    buf_puts(b, "</p>\n");
}

static void brief_concentration(rh_ctx *c, const json_t *s)
{
    const json_t *spend = json_object_get(s, "spend");
    const json_t *conc = json_object_get(s, "concentration");
    const json_t *top = json_array_get(json_object_get(spend, "by_group"), 0);
    double total = count_of(spend, "monthly_total");
    buf *b = c->b;
    buf_puts(b, "<p>Concentration over vendor groups (HHI by spend) is ");
    static const char *const layers[] = {"provider", "publisher", "host"};
    for (int l = 0; l < 3; l++) {
        const json_t *layer = json_object_get(conc, layers[l]);
        buf_puts(b, l == 0 ? "" : l == 2 ? " and " : ", ");
        rh_put_grouped(b, (int64_t)llround(count_of(layer, "hhi")));
        buf_printf(b, " (%s) for the %s", rh_str_of(layer, "band") ? rh_str_of(layer, "band")
                                                                   : "unknown",
                   layers[l]);
    }
    buf_puts(b, " layer");
    if (top && total > 0) {
        buf_puts(b, "; the largest provider group, ");
        rh_text(c, rh_str_of(top, "group"));
        buf_puts(b, ", carries ");
        brief_money(c, count_of(top, "amount"));
        buf_puts(b, " a month (");
        rh_put_pct(c, count_of(top, "amount") / total);
        buf_puts(b, ")");
    }
    buf_puts(b, ".</p>\n");
}

/* Notice deadlines within BRIEF_DECISION_DAYS: what to decide, by when. */
static void brief_decisions(rh_ctx *c)
{
    const json_t *items = json_object_get(json_object_get(c->model, "deadlines"), "items");
    buf *b = c->b;
    size_t due = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (count_of(json_array_get(items, i), "days_left") <= BRIEF_DECISION_DAYS)
            due++;
    if (!due) {
        buf_printf(b, "<p>No contract notice deadline falls in the next %d days.</p>\n",
                   BRIEF_DECISION_DAYS);
        return;
    }
    buf_printf(b, "<p>Decisions needed: %zu contract notice deadline%s in the next %d days",
               due, due == 1 ? " falls" : "s fall", BRIEF_DECISION_DAYS);
    buf_puts(b, due > BRIEF_MAX_NAMED ? " (the first three here; the deadlines section lists all):</p>\n<ul>"
                                      : ":</p>\n<ul>");
    size_t named = 0;
    for (size_t i = 0; i < json_array_size(items) && named < BRIEF_MAX_NAMED; i++) {
        const json_t *d = json_array_get(items, i);
        if (count_of(d, "days_left") > BRIEF_DECISION_DAYS)
            continue;
        named++;
        buf_puts(b, "<li>By ");
        rh_text(c, rh_str_of(d, "notice_deadline"));
        buf_puts(b, " (");
        rh_put_int(c, count_of(d, "days_left"));
        buf_puts(b, " days): <strong>");
        rh_text(c, rh_str_of(d, "name"));
        buf_puts(b, "</strong> with ");
        rh_text(c, rh_str_of(d, "counterparty"));
        if (json_is_true(json_object_get(d, "auto_renew"))) {
            buf_puts(b, " renews by itself for ");
            rh_put_int(c, count_of(d, "renewal_months"));
            buf_puts(b, " months unless notice is given");
        } else {
            buf_puts(b, " ends on ");
            rh_text(c, rh_str_of(d, "end_date"));
            buf_puts(b, ": renew, replace or exit");
        }
        buf_puts(b, "; ");
        html_escape(b, rh_str_of(d, "currency"));
        buf_puts(b, " ");
        rh_put_money(b, count_of(d, "annual_value"));
        buf_puts(b, " a year.</li>\n");
    }
    buf_puts(b, "</ul>\n");
}

static void brief_changes(rh_ctx *c)
{
    const json_t *ch = json_object_get(c->model, "changes");
    if (!json_is_object(ch)) {
        buf_puts(c->b, "<p>No period of changes was asked for: export with a \"changes "
                       "since\" date to list what changed.</p>\n");
        return;
    }
    buf_puts(c->b, "<p>Since ");
    rh_text(c, rh_str_of(json_object_get(c->model, "cover"), "since"));
    buf_puts(c->b, ", ");
    rh_put_int(c, count_of(ch, "count"));
    buf_puts(c->b, " changes to the data were recorded in the audit trail (listed in their "
                   "own section).</p>\n");
}

void rh_brief(rh_ctx *c)
{
    const json_t *s = json_object_get(c->model, "summary");
    buf_puts(c->b, "<div class=\"brief\">\n<h3>In brief</h3>\n");
    brief_portfolio(c, s);
    brief_risk(c, s);
    brief_concentration(c, s);
    brief_decisions(c);
    brief_changes(c);
    buf_puts(c->b, "</div>\n");
}
