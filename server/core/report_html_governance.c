/* report_html_governance.c - the HTML report's governance sections: the
 * findings still to act on with owner, due date and status (model key
 * findings, GET /findings's answer), and from the summary (the dashboard's
 * own answer) the compliance findings, the risks knowingly accepted (owner,
 * reason, expiry) and how fresh the catalogue's facts are. */
#include <string.h>

#include "core/report_html_kit.h"

static const json_t *summary_of(rh_ctx *c)
{
    return json_object_get(c->model, "summary");
}

void rh_compliance(rh_ctx *c)
{
    const json_t *comp = json_object_get(summary_of(c), "compliance");
    const json_t *items = json_object_get(comp, "items");
    buf *b = c->b;
    rh_open_section(c, "compliance", "Compliance findings");
    buf_printf(b, "<p>%zu finding%s over the active workloads, separate from the lock-in "
                  "score: data residency, model lifecycle, EU AI Act oversight and untested "
                  "exit plans. Most severe first.</p>\n",
               json_array_size(items), json_array_size(items) == 1 ? "" : "s");
    if (json_array_size(items)) {
        static const char *const heads[] = {"Severity", "Finding", "What to do", "Workloads"};
        static const int widths[] = {10, 38, 30, 22};
        rh_table_head_w(c, NULL, heads, 4, widths);
        for (size_t i = 0; i < json_array_size(items); i++) {
            const json_t *f = json_array_get(items, i);
            buf_puts(b, "<tr>");
            rh_td(c, rh_str_of(f, "severity"));
            rh_td(c, rh_str_of(f, "detail"));
            rh_td(c, rh_str_of(f, "action"));
            buf_puts(b, "<td>");
            const json_t *wl = json_object_get(f, "workloads");
            for (size_t k = 0; k < json_array_size(wl); k++) {
                if (k)
                    buf_puts(b, "; ");
                rh_text(c, rh_str_of(json_array_get(wl, k), "name"));
            }
            buf_puts(b, "</td></tr>\n");
        }
        rh_table_end(c);
    }
    rh_close_section(c);
}

void rh_accepted(rh_ctx *c)
{
    const json_t *list = json_object_get(summary_of(c), "accepted");
    const json_t *cat = json_object_get(summary_of(c), "catalogue");
    buf *b = c->b;
    rh_open_section(c, "accepted", "Accepted risks and catalogue freshness");
    buf_printf(b, "<p>%zu active workload%s lock-in knowingly accepted by a named owner "
                  "until a date; while an acceptance is in force the workload is not "
                  "flagged, and the day after it expires it is flagged again if its priority "
                  "still calls for it.</p>\n",
               json_array_size(list), json_array_size(list) == 1 ? " has its" : "s have their");
    if (json_array_size(list)) {
        static const char *const heads[] = {"Workload", "Priority", "Owner", "Until", "Reason"};
        static const int widths[] = {22, 9, 18, 11, 40};
        rh_table_head_w(c, NULL, heads, 5, widths);
        for (size_t i = 0; i < json_array_size(list); i++) {
            const json_t *x = json_array_get(list, i);
            buf_puts(b, "<tr>");
            rh_td(c, rh_str_of(x, "name"));
            rh_td(c, rh_str_of(x, "priority"));
            rh_td(c, rh_str_of(x, "owner"));
            rh_td(c, rh_str_of(x, "expires_on"));
            rh_td(c, rh_str_of(x, "reason"));
            buf_puts(b, "</tr>\n");
        }
        rh_table_end(c);
    }
    if (json_is_object(cat)) {
        buf_puts(b, "<p>Catalogue facts (vendors, offerings, upstream agreements): ");
        rh_put_int(c, json_number_value(json_object_get(cat, "records")));
        buf_puts(b, " records, each with its source and the day it was checked; ");
        rh_put_int(c, json_number_value(json_object_get(cat, "stale")));
        buf_puts(b, " checked more than ");
        rh_put_int(c, json_number_value(json_object_get(cat, "review_days")));
        buf_puts(b, " days ago (stale), ");
        rh_put_int(c, json_number_value(json_object_get(cat, "undated")));
        buf_puts(b, " never dated and ");
        rh_put_int(c, json_number_value(json_object_get(cat, "unsourced")));
        buf_puts(b, " without a source. The appendices list every source and date.</p>\n");
    }
    rh_close_section(c);
}

/* ---- findings to act on ----------------------------------------------------- */

static const char *const SEVERITIES[] = {"high", "medium", "low", "info"};
static const char *const SEVERITY_TITLES[] = {"High", "Medium", "Low", "Information"};

static int still_open(const json_t *f)
{
    const char *st = rh_str_of(f, "status");
    return st && (strcmp(st, "open") == 0 || strcmp(st, "in_progress") == 0);
}

/* The due day with how far off it is: "2027-01-10 (in 35 days)". */
static void due_cell(rh_ctx *c, const json_t *f)
{
    const char *due = rh_str_of(f, "due");
    const json_t *left = json_object_get(f, "days_left");
    buf_puts(c->b, "<td>");
    if (!due) {
        buf_puts(c->b, "Not set");
    } else {
        rh_text(c, due);
        if (json_is_integer(left)) {
            json_int_t d = json_integer_value(left);
            if (d > 0)
                buf_printf(c->b, " (in %lld day%s)", (long long)d, d == 1 ? "" : "s");
            else if (d == 0)
                buf_puts(c->b, " (today)");
            else
                buf_printf(c->b, " (%lld day%s overdue)", (long long)-d, d == -1 ? "" : "s");
        }
    }
    buf_puts(c->b, "</td>");
}

/* One finding still to act on: what, the workloads concerned (at most
 * eight named), owner, due date and status. */
static void finding_row(rh_ctx *c, const json_t *f)
{
    buf *b = c->b;
    buf_puts(b, "<tr><td><strong>");
    rh_text(c, rh_str_of(f, "title"));
    buf_puts(b, "</strong><br>");
    rh_text(c, rh_str_of(f, "text"));
    buf_puts(b, "</td><td>");
    const json_t *wl = json_object_get(f, "workloads");
    size_t n = json_array_size(wl), shown = n < 8 ? n : 8;
    for (size_t k = 0; k < shown; k++) {
        if (k)
            buf_puts(b, "; ");
        rh_text(c, rh_str_of(json_array_get(wl, k), "name"));
    }
    if (n > shown)
        buf_printf(b, " and %zu more", n - shown);
    if (!n)
        buf_puts(b, DASH);
    buf_puts(b, "</td>");
    rh_td(c, rh_str_of(f, "owner") ? rh_str_of(f, "owner") : "Not assigned");
    due_cell(c, f);
    rh_td(c, strcmp(rh_str_of(f, "status"), "in_progress") == 0 ? "In progress" : "Open");
    buf_puts(b, "</tr>\n");
}

void rh_open_findings(rh_ctx *c)
{
    const json_t *items = json_object_get(json_object_get(c->model, "findings"), "items");
    buf *b = c->b;
    size_t by_sev[4] = {0, 0, 0, 0}, open = 0, settled = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        const json_t *f = json_array_get(items, i);
        if (!still_open(f)) {
            settled++;
            continue;
        }
        open++;
        for (int s = 0; s < 4; s++)
            by_sev[s] += strcmp(rh_str_of(f, "severity") ? rh_str_of(f, "severity") : "",
                                SEVERITIES[s]) == 0;
    }
    rh_open_section(c, "findings", "Findings to act on");
    buf_printf(b, "<p>%zu finding%s to act on (open or in progress): %zu high, %zu medium, "
                  "%zu low and %zu for information; %zu settled (done, or not to be done with "
                  "a reason). Each is listed with its owner, due date and status, most severe "
                  "first and the soonest due first within a severity. Leaders set them on the "
                  "dashboard's findings.</p>\n",
               open, open == 1 ? "" : "s", by_sev[0], by_sev[1], by_sev[2], by_sev[3], settled);
    static const char *const heads[] = {"Finding", "Workloads", "Owner", "Due", "Status"};
    static const int widths[] = {40, 22, 14, 14, 10};
    for (int s = 0; s < 4; s++) {
        if (!by_sev[s])
            continue;
        buf_printf(b, "<h3>%s severity (%zu)</h3>\n", SEVERITY_TITLES[s], by_sev[s]);
        rh_table_head_w(c, NULL, heads, 5, widths);
        for (size_t i = 0; i < json_array_size(items); i++) {
            const json_t *f = json_array_get(items, i);
            const char *sev = rh_str_of(f, "severity");
            if (still_open(f) && sev && strcmp(sev, SEVERITIES[s]) == 0)
                finding_row(c, f);
        }
        rh_table_end(c);
    }
    rh_close_section(c);
}
