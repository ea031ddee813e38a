/* report_html_sections.c - the HTML report's executive summary, strategy
 * track, flagged workload and concentration sections. */
#include <stdio.h>
#include <string.h>

#include "core/report_html_kit.h"

/* ---- executive summary ---------------------------------------------------- */

static void rh_count_row(rh_ctx *c, const char *caption, const json_t *counts)
{
    const char *heads[8];
    size_t n = 0;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)counts, key, value) {
        if (n < 8)
            heads[n++] = key;
    }
    buf_puts(c->b, "<table class=\"keep\"><caption>");
    html_escape(c->b, caption);
    buf_puts(c->b, "</caption><thead><tr>");
    for (size_t i = 0; i < n; i++) {
        buf_puts(c->b, "<th class=\"num\">");
        rh_label(c->b, heads[i]);
        buf_puts(c->b, "</th>");
    }
    buf_puts(c->b, "</tr></thead><tbody><tr>");
    for (size_t i = 0; i < n; i++)
        rh_td_int(c, json_object_get(counts, heads[i]));
    buf_puts(c->b, "</tr></tbody></table>\n");
}

void rh_summary(rh_ctx *c)
{
    const json_t *s = json_object_get(c->model, "summary");
    const json_t *counts = json_object_get(s, "counts");
    const json_t *spend = json_object_get(s, "spend");
    const json_t *conc = json_object_get(s, "concentration");
    buf *b = c->b;
    rh_open_section(c, "summary", "Executive summary");
    rh_brief(c);
    const char *cur = rh_str_of(json_object_get(c->model, "cover"), "currency");
    char spend_head[48];
    snprintf(spend_head, sizeof spend_head, "#Monthly spend%s%s%s", cur ? " (" : "",
             cur ? cur : "", cur ? ")" : "");
    const char *const kh[] = {"#Workloads", "#Active", "#Flagged", spend_head,
                              "Highest concentration"};
    c->keep = 1;
    rh_table_head(c, "Key figures (retired workloads count only in the total)", kh, 5);
    buf_puts(b, "<tr>");
    rh_td_int(c, json_object_get(counts, "workloads"));
    rh_td_int(c, json_object_get(counts, "active"));
    rh_td_int(c, json_object_get(counts, "flagged"));
    rh_td_money(c, json_object_get(spend, "monthly_total"));
    rh_td_label(c, rh_str_of(conc, "highest_band"));
    buf_puts(b, "</tr>\n");
    rh_table_end(c);
    rh_count_row(c, "Workloads by status", json_object_get(counts, "status"));
    rh_count_row(c, "Active workloads by strategy track", json_object_get(counts, "track"));

    const char *labels[64], *colors[64];
    double values[64];
    size_t n = 0;
    const char *key;
    json_t *value;
    static const char *const level_names[4][2] = {
        {"low", "Low"}, {"medium", "Medium"}, {"high", "High"}, {"critical", "Critical"}};
    json_object_foreach((json_t *)json_object_get(counts, "level"), key, value) {
        if (n < 64) {
            labels[n] = key;
            for (int l = 0; l < 4; l++)
                if (strcmp(key, level_names[l][0]) == 0)
                    labels[n] = level_names[l][1];
            colors[n] = rh_color_of(RH_LEVEL_COLORS, 4, key);
            values[n++] = json_number_value(value);
        }
    }
    rh_bar_chart(c, "Active workloads by lock-in level", n, labels, values, colors, 0);

    n = 0;
    json_object_foreach((json_t *)json_object_get(spend, "by_track"), key, value) {
        if (n < 64) {
            labels[n] = rh_track_title(c->model, key);
            colors[n] = rh_color_of(RH_TRACK_COLORS, 4, key);
            values[n++] = json_number_value(value);
        }
    }
    rh_bar_chart(c, "Monthly spend by strategy track", n, labels, values, colors, 1);

    const json_t *by_group = json_object_get(spend, "by_group");
    n = 0;
    for (size_t i = 0; i < json_array_size(by_group) && n < 64; i++) {
        labels[n] = rh_str_of(json_array_get(by_group, i), "group");
        values[n++] = rh_num_of(json_array_get(by_group, i), "amount");
    }
    rh_bar_chart(c, "Monthly spend by provider group (a workload's spend is split over its "
                 "provider groups)", n, labels, values, NULL, 1);

    static const char *const ch[] = {"Layer", "#HHI (spend)", "Band", "#HHI (workloads)", "Band"};
    c->keep = 1;
    rh_table_head(c, "Concentration per layer over vendor groups (HHI; above 1,800 highly "
                  "concentrated)", ch, 5);
    static const char *const layers[] = {"provider", "publisher", "host"};
    for (int l = 0; l < 3; l++) {
        const json_t *layer = json_object_get(conc, layers[l]);
        buf_puts(b, "<tr>");
        rh_td_label(c, layers[l]);
        rh_td_int(c, json_object_get(layer, "hhi"));
        rh_td_label(c, rh_str_of(layer, "band"));
        rh_td_int(c, json_object_get(layer, "hhi_workloads"));
        rh_td_label(c, rh_str_of(layer, "band_workloads"));
        buf_puts(b, "</tr>\n");
    }
    rh_table_end(c);

    const json_t *flagged = json_object_get(s, "flagged");
    static const char *const fh[] = {"Most exposed workloads", "Track", "#Score", "Level",
                                     "Main reason"};
    static const int fw[] = {24, 9, 8, 10, 49};
    c->keep = 1;
    rh_table_head_w(c, "Most exposed flagged workloads (score \xc3\x97 business criticality; all "
                    "flagged workloads are listed in their own section)", fh, 5, fw);
    for (size_t i = 0; i < json_array_size(flagged) && i < 5; i++) {
        const json_t *f = json_array_get(flagged, i);
        buf_puts(b, "<tr>");
        rh_td(c, rh_str_of(f, "name"));
        rh_td(c, rh_track_title(c->model, rh_str_of(f, "track")));
        rh_td_int(c, json_object_get(f, "score"));
        rh_td_label(c, rh_str_of(f, "level"));
        rh_td(c, rh_str_of(f, "top_reason"));
        buf_puts(b, "</tr>\n");
    }
    rh_table_end(c);
    rh_close_section(c);
}

/* ---- strategy tracks ------------------------------------------------------ */

static void rh_names_list(rh_ctx *c, const json_t *items, const char *key)
{
    for (size_t i = 0; i < json_array_size(items); i++) {
        if (i)
            buf_puts(c->b, "; ");
        rh_text(c, rh_str_of(json_array_get(items, i), key));
    }
}

static void rh_findings(rh_ctx *c, const json_t *list)
{
    if (json_array_size(list) == 0) {
        buf_puts(c->b, "<p>No findings.</p>\n");
        return;
    }
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *f = json_array_get(list, i);
        const char *sev = rh_str_of(f, "severity");
        buf_puts(c->b, "<div class=\"finding\"><p><span class=\"sev sev-");
        html_escape(c->b, sev ? sev : "info");
        buf_puts(c->b, "\">");
        rh_text(c, sev);
        buf_puts(c->b, "</span>");
        rh_text(c, rh_str_of(f, "text"));
        buf_puts(c->b, "</p>");
        const json_t *wl = json_object_get(f, "workloads");
        if (json_array_size(wl)) {
            buf_puts(c->b, "<p class=\"meta\">Workloads: ");
            rh_names_list(c, wl, "name");
            buf_puts(c->b, "</p>");
        }
        buf_puts(c->b, "</div>\n");
    }
}

void rh_track(rh_ctx *c, const json_t *t)
{
    char id[48];
    const char *code = rh_str_of(t, "track");
    buf *b = c->b;
    snprintf(id, sizeof id, "track-%s", code ? code : "unknown");
    rh_open_section(c, id, rh_str_of(t, "title") ? rh_str_of(t, "title") : "Strategy track");
    const json_t *fig = json_object_get(t, "figures");
    static const char *const fh[] = {"#Active workloads", "#Production", "#Flagged",
                                     "#Without swap layer", "#Monthly spend"};
    c->keep = 1;
    rh_table_head(c, "Figures", fh, 5);
    buf_puts(b, "<tr>");
    rh_td_int(c, json_object_get(fig, "workloads"));
    rh_td_int(c, json_object_get(fig, "production"));
    rh_td_int(c, json_object_get(fig, "flagged"));
    rh_td_int(c, json_object_get(fig, "without_swap_layer"));
    rh_td_money(c, json_object_get(fig, "monthly_spend"));
    buf_puts(b, "</tr>\n");
    rh_table_end(c);
    rh_count_row(c, "Lock-in distribution", json_object_get(t, "risk_distribution"));

    buf_puts(b, "<h3>Findings</h3>\n");
    rh_findings(c, json_object_get(t, "findings"));

    const json_t *wl = json_object_get(t, "workloads");
    buf_puts(b, "<h3>Workloads</h3>\n");
    static const char *const wh[] = {"Workload", "Status", "Criticality", "#Monthly spend",
                                     "Swap layer", "#Score", "Level", "Flagged"};
    static const int ww[] = {29, 11, 11, 13, 8, 7, 10, 11};
    rh_table_head_w(c, NULL, wh, 8, ww);
    for (size_t i = 0; i < json_array_size(wl); i++) {
        const json_t *x = json_array_get(wl, i);
        buf_puts(b, "<tr>");
        rh_td(c, rh_str_of(x, "name"));
        rh_td_label(c, rh_str_of(x, "status"));
        rh_td_label(c, rh_str_of(x, "criticality"));
        rh_td_money(c, json_object_get(x, "monthly_spend"));
        rh_td_bool(c, json_object_get(x, "swap_layer"));
        rh_td_int(c, json_object_get(x, "score"));
        rh_td_label(c, rh_str_of(x, "level"));
        rh_td_bool(c, json_object_get(x, "flagged"));
        buf_puts(b, "</tr>\n");
    }
    rh_table_end(c);

    const json_t *layers = json_object_get(json_object_get(t, "concentration"), "layers");
    static const char *const ch[] = {"Layer", "#HHI", "Band", "#Effective providers",
                                     "Largest group", "#Share"};
    static const int cw[] = {14, 10, 16, 16, 30, 14};
    c->keep = 1;
    rh_table_head_w(c, "Concentration inside the track (by spend)", ch, 6, cw);
    static const char *const names[] = {"provider", "publisher", "host"};
    for (int l = 0; l < 3; l++) {
        const json_t *layer = json_object_get(layers, names[l]);
        const json_t *top = json_array_get(json_object_get(layer, "shares"), 0);
        buf_puts(b, "<tr>");
        rh_td(c, names[l]);
        rh_td_int(c, json_object_get(layer, "hhi"));
        rh_td_label(c, rh_str_of(layer, "band"));
        buf_puts(b, "<td class=\"num\">");
        buf_printf(b, "%.2f", rh_num_of(layer, "effective_providers"));
        buf_puts(b, "</td>");
        rh_td(c, top ? rh_str_of(top, "group") : NULL);
        buf_puts(b, "<td class=\"num\">");
        if (top)
            rh_put_pct(c, rh_num_of(top, "share"));
        else
            buf_puts(b, DASH);
        buf_puts(b, "</td></tr>\n");
    }
    rh_table_end(c);

    const json_t *contracts = json_object_get(t, "contracts");
    static const char *const kh[] = {"Customer contract", "Counterparty", "End",
                                     "Notice deadline", "Auto-renew", "#Annual value"};
    static const int kw[] = {34, 14, 12, 13, 10, 17};
    rh_table_head_w(c, "Contracts covering the track's offerings", kh, 6, kw);
    for (size_t i = 0; i < json_array_size(contracts); i++) {
        const json_t *k = json_array_get(contracts, i);
        buf_puts(b, "<tr>");
        rh_td(c, rh_str_of(k, "name"));
        rh_td(c, rh_str_of(k, "counterparty"));
        rh_td(c, rh_str_of(k, "end_date"));
        rh_td(c, rh_str_of(k, "notice_deadline"));
        rh_td_bool(c, json_object_get(k, "auto_renew"));
        rh_td_amount(c, k, "annual_value");
        buf_puts(b, "</tr>\n");
    }
    rh_table_end(c);

    const json_t *cross = json_object_get(t, "cross_track");
    if (json_array_size(cross)) {
        static const char *const xh[] = {"Workload crossing tracks", "Own track", "Uses"};
        static const int xw[] = {50, 20, 30};
        c->keep = json_array_size(cross) <= 12;   /* a short list stays together */
        rh_table_head_w(c, NULL, xh, 3, xw);
        for (size_t i = 0; i < json_array_size(cross); i++) {
            const json_t *x = json_array_get(cross, i);
            const json_t *uses = json_object_get(x, "tracks");
            buf_puts(b, "<tr>");
            rh_td(c, rh_str_of(x, "name"));
            rh_td_label(c, rh_str_of(x, "track"));
            buf_puts(b, "<td>");
            for (size_t k = 0; k < json_array_size(uses); k++) {
                if (k)
                    buf_puts(b, ", ");
                html_escape(b, json_string_value(json_array_get(uses, k)));
            }
            buf_puts(b, "</td></tr>\n");
        }
        rh_table_end(c);
    }
    rh_close_section(c);
}

/* ---- flagged workloads ---------------------------------------------------- */

void rh_flagged(rh_ctx *c)
{
    const json_t *list = json_object_get(c->model, "flagged");
    buf *b = c->b;
    rh_open_section(c, "flagged", "Flagged workloads");
    buf_printf(b, "<p>%zu active workload%s flagged: priority P1 or P2, from the lock-in "
                  "level and the business criticality (see the risk model). Each factor is "
                  "listed with its points and the reason.</p>\n",
               json_array_size(list), json_array_size(list) == 1 ? " is" : "s are");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *x = json_array_get(list, i);
        buf_puts(b, "<div class=\"wl\"><h3>");
        rh_text(c, rh_str_of(x, "name"));
        buf_puts(b, "</h3><p class=\"meta\">Score ");
        rh_put_int(c, rh_num_of(x, "score"));
        buf_puts(b, " (");
        rh_text(c, rh_str_of(x, "level"));
        buf_puts(b, ") \xc2\xb7 track ");
        rh_text(c, rh_str_of(x, "track"));
        buf_puts(b, " \xc2\xb7 ");
        rh_text(c, rh_str_of(x, "status"));
        buf_puts(b, " \xc2\xb7 criticality ");
        rh_text(c, rh_str_of(x, "criticality"));
        buf_puts(b, " \xc2\xb7 team ");
        rh_text(c, rh_str_of(x, "team"));
        buf_puts(b, " \xc2\xb7 monthly spend ");
        rh_money(c, json_object_get(x, "monthly_spend"));
        buf_puts(b, "</p>\n");
        static const char *const fh[] = {"Factor", "#Points", "Reason"};
        static const int fw[] = {24, 9, 67};
        rh_table_head_w(c, NULL, fh, 3, fw);
        const json_t *factors = json_object_get(x, "factors");
        for (size_t k = 0; k < json_array_size(factors); k++) {
            const json_t *f = json_array_get(factors, k);
            buf_puts(b, "<tr>");
            rh_td_code(c, rh_str_of(f, "code"));
            rh_td_int(c, json_object_get(f, "points"));
            rh_td(c, rh_str_of(f, "reason"));
            buf_puts(b, "</tr>\n");
        }
        rh_table_end(c);
        buf_puts(b, "</div>\n");
    }
    rh_close_section(c);
}

/* ---- concentration -------------------------------------------------------- */

void rh_concentration(rh_ctx *c)
{
    const json_t *list = json_object_get(c->model, "concentration");
    static const char *const layers[] = {"provider", "publisher", "host"};
    buf *b = c->b;
    rh_open_section(c, "concentration", "Concentration per layer");
    buf_puts(b, "<p>Herfindahl\xe2\x80\x93Hirschman index over vendor groups per layer "
                "(HHI = \xce\xa3 (100\xc2\xb7share)\xc2\xb2). Bands after the 2023 US Merger "
                "Guidelines: above 1,800 highly concentrated, 1,000\xe2\x80\x93" "1,800 "
                "moderately, below 1,000 unconcentrated. Effective providers = 10,000 / HHI. "
                "Shares by monthly spend, or by workloads weighted by business criticality "
                "(low 1 \xe2\x80\xa6 critical 4); \xe2\x80\x9cmerged\xe2\x80\x9d counts closely "
                "connected groups as one.</p>\n");
    static const char *const h[] = {"Basis", "Closely connected", "Layer", "#HHI", "Band",
                                    "#Effective providers"};
    rh_table_head(c, NULL, h, 6);
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *e = json_array_get(list, i);
        for (int l = 0; l < 3; l++) {
            const json_t *layer = json_object_get(json_object_get(e, "layers"), layers[l]);
            buf_puts(b, "<tr>");
            rh_td(c, rh_str_of(e, "basis"));
            rh_td(c, json_is_true(json_object_get(e, "connected")) ? "merged" : "separate");
            rh_td(c, layers[l]);
            rh_td_int(c, json_object_get(layer, "hhi"));
            rh_td_label(c, rh_str_of(layer, "band"));
            buf_printf(b, "<td class=\"num\">%.2f</td></tr>\n",
                       rh_num_of(layer, "effective_providers"));
        }
    }
    rh_table_end(c);

    /* shares by spend, groups separate: the first entry */
    const json_t *spend = json_array_get(list, 0);
    for (int l = 0; l < 3; l++) {
        const json_t *layer = json_object_get(json_object_get(spend, "layers"), layers[l]);
        const json_t *shares = json_object_get(layer, "shares");
        const char *labels[64];
        double values[64];
        size_t n = 0;
        for (size_t i = 0; i < json_array_size(shares) && n < 64; i++) {
            labels[n] = rh_str_of(json_array_get(shares, i), "group");
            values[n++] = rh_num_of(json_array_get(shares, i), "amount");
        }
        char title[96];
        snprintf(title, sizeof title, "Monthly spend by %s group", layers[l]);
        buf_printf(b, "<h3>%s layer</h3>\n", layers[l]);
        rh_bar_chart(c, title, n, labels, values, NULL, 1);
        static const char *const sh[] = {"Group", "#Share", "#Monthly spend"};
        static const int sw[] = {50, 20, 30};
        rh_table_head_w(c, NULL, sh, 3, sw);
        for (size_t i = 0; i < json_array_size(shares); i++) {
            const json_t *s = json_array_get(shares, i);
            buf_puts(b, "<tr>");
            rh_td(c, rh_str_of(s, "group"));
            buf_puts(b, "<td class=\"num\">");
            rh_put_pct(c, rh_num_of(s, "share"));
            buf_puts(b, "</td>");
            rh_td_money(c, json_object_get(s, "amount"));
            buf_puts(b, "</tr>\n");
        }
        rh_table_end(c);
    }
    rh_close_section(c);
}
