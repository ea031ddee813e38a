/* report_html.c - the governance report as printable HTML; see
 * report_html.h. Sections: cover, executive summary, one per strategy
 * track, flagged workloads, concentration, notice deadlines, upstream
 * terms, changes (with since=), appendices. */
#include "core/report_html.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#define DASH "\xe2\x80\x94"   /* an em dash for an empty value */

static const char CSS[] =
    "@page{size:A4;margin:16mm 14mm 16mm 14mm}"
    "*{box-sizing:border-box}"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "body{margin:0 auto;max-width:182mm;color:#1c2430;background:#fff;"
    "font:9.5pt/1.4 'DejaVu Sans','Helvetica Neue',Arial,sans-serif}"
    "@media screen{body{padding:10mm 4mm}section{margin-top:14mm}}"
    "h1{font-size:24pt;margin:0 0 3mm;color:#1f3a5f}"
    "h2{font-size:15pt;margin:0 0 3mm;padding-bottom:1mm;color:#1f3a5f;"
    "border-bottom:1.5pt solid #1f3a5f;break-after:avoid}"
    "h3{font-size:11pt;margin:4mm 0 1.5mm;break-after:avoid}"
    "p{margin:0 0 2mm}"
    "section{break-before:page;page-break-before:always}"
    ".org{font-size:13pt;font-weight:600;margin:18mm 0 2mm;color:#3d5a80}"
    ".lead{font-size:11pt;margin-bottom:6mm}"
    ".note{color:#5c6675;font-size:8.5pt}"
    "table{width:100%;border-collapse:collapse;table-layout:fixed;margin:1mm 0 4mm;font-size:8.5pt}"
    "table.wide{font-size:7pt}"
    "caption{text-align:left;font-weight:600;padding:0 0 1mm;caption-side:top}"
    "thead{display:table-header-group}"
    "tfoot{display:table-footer-group}"
    "tr{break-inside:avoid;page-break-inside:avoid}"
    "th,td{border:0.5pt solid #b8c2cc;padding:0.8mm 1.2mm;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere;word-break:break-word}"
    "th{background:#e8eef5;font-weight:600}"
    ".num{text-align:right;font-variant-numeric:tabular-nums}"
    ".hash{font-family:'DejaVu Sans Mono',monospace;font-size:7.5pt;word-break:break-all}"
    ".facts th{width:32%}"
    ".sev{display:inline-block;padding:0 1.5mm;border-radius:1mm;font-size:7.5pt;"
    "font-weight:600;text-transform:uppercase;margin-right:1.5mm}"
    ".sev-high{background:#f6d5d3;color:#8f1d17}.sev-medium{background:#fbeccb;color:#6b4f00}"
    ".sev-info{background:#dde8f5;color:#1f3a5f}"
    ".finding{margin:0 0 2.5mm;break-inside:avoid}"
    ".wl{break-inside:avoid;margin-bottom:3mm}"
    ".meta{color:#3d4a5c;font-size:8.5pt}"
    "figure{margin:1mm 0 3mm;break-inside:avoid}"
    "figcaption{font-weight:600;font-size:8.5pt;margin-bottom:1mm}"
    "svg{display:block;width:100%;height:auto}"
    "svg text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11px;fill:#1c2430}"
    "ol.toc{columns:2;padding-left:6mm}";

static const char *const TRACK_COLORS[][2] = {
    {"copilot", "#6b3fb3"}, {"azure", "#1760c4"}, {"openai", "#0b7a5e"}, {"other", "#5c6675"}};
static const char *const LEVEL_COLORS[][2] __attribute__((unused)) = {
    {"low", "#b9a878"}, {"medium", "#e8b02a"}, {"high", "#d9661c"}, {"critical", "#a3201b"}};

typedef struct ctx {
    buf *b;
    const json_t *model;
    int section;               /* number of the last section opened */
} ctx;

void html_escape(buf *out, const char *s)
{
    if (!s)
        return;
    const char *start = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_append(out, start, (size_t)(s - start));
        buf_puts(out, rep);
        start = s + 1;
    }
    buf_puts(out, start);
}

/* ---- values -------------------------------------------------------------- */

static const char *str_of(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static double num_of(const json_t *obj, const char *key)
{
    return json_number_value(json_object_get(obj, key));
}

static void text(ctx *c, const char *s)
{
    if (s && *s)
        html_escape(c->b, s);
    else
        buf_puts(c->b, DASH);
}

/* 1234567 -> "1,234,567" */
static void put_grouped(buf *b, int64_t v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%" PRId64, v < 0 ? -v : v);
    if (v < 0)
        buf_putc(b, '-');
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            buf_putc(b, ',');
        buf_putc(b, digits[i]);
    }
}

static void put_int(ctx *c, double v)
{
    put_grouped(c->b, (int64_t)llround(v));
}

/* Money in currency units with cents: 12345.5 -> "12,345.50". */
static void put_money(buf *b, double units)
{
    int64_t cents = (int64_t)llround(units * 100.0);
    if (cents < 0) {
        buf_putc(b, '-');
        cents = -cents;
    }
    put_grouped(b, cents / 100);
    buf_printf(b, ".%02" PRId64, cents % 100);
}

static void money(ctx *c, const json_t *v)
{
    if (json_is_number(v))
        put_money(c->b, json_number_value(v));
    else
        buf_puts(c->b, DASH);
}

static void put_pct(ctx *c, double share)
{
    buf_printf(c->b, "%.1f%%", share * 100.0);
}

static const char *color_of(const char *const table[][2], size_t n, const char *key)
{
    for (size_t i = 0; key && i < n; i++)
        if (strcmp(table[i][0], key) == 0)
            return table[i][1];
    return "#3d5a80";
}

/* Title of a track as the strategy view gives it, or the track code. */
static const char *track_title(const json_t *model, const char *track)
{
    const json_t *tracks = json_object_get(model, "tracks");
    for (size_t i = 0; track && i < json_array_size(tracks); i++) {
        const json_t *t = json_array_get(tracks, i);
        const char *code = str_of(t, "track");
        if (code && strcmp(code, track) == 0 && str_of(t, "title"))
            return str_of(t, "title");
    }
    return track;
}

/* ---- building blocks ------------------------------------------------------ */

static void open_section(ctx *c, const char *id, const char *title)
{
    buf_printf(c->b, "<section id=\"%s\">\n<h2>%d. ", id, ++c->section);
    html_escape(c->b, title);
    buf_puts(c->b, "</h2>\n");
}

static void close_section(ctx *c)
{
    buf_puts(c->b, "</section>\n");
}

/* Starts a table: caption (may be NULL) and header cells; a header
 * starting with '#' is a numeric column (right-aligned). */
static void table_head(ctx *c, const char *caption, const char *const *heads, size_t n)
{
    buf_puts(c->b, "<table>");
    if (caption) {
        buf_puts(c->b, "<caption>");
        html_escape(c->b, caption);
        buf_puts(c->b, "</caption>");
    }
    buf_puts(c->b, "<thead><tr>");
    for (size_t i = 0; i < n; i++) {
        int numeric = heads[i][0] == '#';
        buf_puts(c->b, numeric ? "<th class=\"num\">" : "<th>");
        html_escape(c->b, heads[i] + numeric);
        buf_puts(c->b, "</th>");
    }
    buf_puts(c->b, "</tr></thead>\n<tbody>\n");
}

static void table_end(ctx *c)
{
    buf_puts(c->b, "</tbody></table>\n");
}

static void td(ctx *c, const char *s)
{
    buf_puts(c->b, "<td>");
    text(c, s);
    buf_puts(c->b, "</td>");
}

static void td_int(ctx *c, const json_t *v)
{
    buf_puts(c->b, "<td class=\"num\">");
    if (json_is_number(v))
        put_int(c, json_number_value(v));
    else
        buf_puts(c->b, DASH);
    buf_puts(c->b, "</td>");
}

static void td_money(ctx *c, const json_t *v)
{
    buf_puts(c->b, "<td class=\"num\">");
    money(c, v);
    buf_puts(c->b, "</td>");
}

static void td_bool(ctx *c, const json_t *v)
{
    td(c, json_is_boolean(v) ? (json_is_true(v) ? "yes" : "no") : NULL);
}

/* A horizontal bar chart in SVG; the same figures are in a table beside it. */
static void bar_chart(ctx *c, const char *title, size_t n, const char *const *labels,
                      const double *values, const char *const *colors, int as_money)
{
    const int row = 20, label_w = 210, bar_w = 300;
    double max = 0;
    for (size_t i = 0; i < n; i++)
        if (values[i] > max)
            max = values[i];
    int height = (int)n * row + 4;
    buf_puts(c->b, "<figure><figcaption>");
    html_escape(c->b, title);
    buf_printf(c->b, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                     "viewBox=\"0 0 640 %d\" role=\"img\" aria-label=\"", height);
    html_escape(c->b, title);
    buf_puts(c->b, "\">\n");
    for (size_t i = 0; i < n; i++) {
        int y = (int)i * row;
        double w = max > 0 ? values[i] / max * bar_w : 0;
        char label[64];
        size_t len = strlen(labels[i] ? labels[i] : "");
        if (len > 34) {
            /* keep whole UTF-8 characters */
            size_t cut = 33;
            while (cut > 0 && ((unsigned char)labels[i][cut] & 0xC0) == 0x80)
                cut--;
            memcpy(label, labels[i], cut);
            memcpy(label + cut, "\xe2\x80\xa6", 4);
        } else {
            memcpy(label, labels[i] ? labels[i] : "", len + 1);
        }
        buf_printf(c->b, "<text x=\"0\" y=\"%d\">", y + 14);
        html_escape(c->b, label);
        buf_printf(c->b, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"14\" "
                         "fill=\"%s\"/><text x=\"%.1f\" y=\"%d\">",
                   label_w, y + 3, w, colors ? colors[i] : "#3d5a80", label_w + w + 5, y + 14);
        if (as_money)
            put_money(c->b, values[i]);
        else
            put_grouped(c->b, (int64_t)llround(values[i]));
        buf_puts(c->b, "</text>\n");
    }
    buf_puts(c->b, "</svg></figure>\n");
}

/* ---- cover ---------------------------------------------------------------- */

static void cover(ctx *c)
{
    const json_t *cv = json_object_get(c->model, "cover");
    const json_t *head = json_object_get(cv, "audit_head");
    const json_t *rm = json_object_get(cv, "risk_model");
    buf *b = c->b;
    buf_puts(b, "<header id=\"cover\">\n<p class=\"org\">");
    text(c, str_of(cv, "organisation"));
    buf_puts(b, "</p>\n<h1>");
    text(c, str_of(cv, "title"));
    buf_puts(b, "</h1>\n<p class=\"lead\">Lock-in risk, concentration, contracts and upstream "
                "terms of the organisation's AI portfolio, from one consistent snapshot of "
                "the data as of ");
    text(c, str_of(cv, "as_of"));
    buf_puts(b, ".</p>\n<table class=\"facts\"><tbody>\n<tr><th>Organisation</th>");
    td(c, str_of(cv, "organisation"));
    buf_puts(b, "</tr>\n<tr><th>Data as of</th>");
    td(c, str_of(cv, "as_of"));
    buf_puts(b, "</tr>\n<tr><th>Generated at</th><td><span data-field=\"generated_at\">");
    if (str_of(cv, "generated_at"))
        html_escape(b, str_of(cv, "generated_at"));
    else
        buf_puts(b, "stated in report-info.txt, covered by the bundle's signed manifest");
    buf_puts(b, "</span></td></tr>\n<tr><th>Generated by</th><td><span "
                "data-field=\"generated_by\">");
    text(c, str_of(cv, "generated_by"));
    buf_puts(b, "</span></td></tr>\n<tr><th>Audit head</th><td>event ");
    put_int(c, num_of(head, "seq"));
    if (str_of(head, "at")) {
        buf_puts(b, " of ");
        html_escape(b, str_of(head, "at"));
    }
    buf_puts(b, "<br><span class=\"hash\">");
    text(c, str_of(head, "hash"));
    buf_puts(b, "</span></td></tr>\n<tr><th>Changes since</th>");
    td(c, str_of(cv, "since") ? str_of(cv, "since") : "not requested");
    buf_puts(b, "</tr>\n<tr><th>Software</th>");
    td(c, str_of(cv, "software"));
    buf_puts(b, "</tr>\n</tbody></table>\n<p class=\"note\">The audit head is the latest "
                "audit event the data reflects (report exports and sign-ins, which change "
                "no data, are not counted); `switchyard report verify` checks that it is "
                "part of the hash chain.</p>\n");

    static const char *const heads[] = {"Risk factor", "#Points", "#Default", "Applies when"};
    table_head(c, "Risk model in force", heads, 4);
    const json_t *factors = json_object_get(rm, "factors");
    for (size_t i = 0; i < json_array_size(factors); i++) {
        const json_t *f = json_array_get(factors, i);
        buf_puts(b, "<tr>");
        td(c, str_of(f, "code"));
        td_int(c, json_object_get(f, "points"));
        td_int(c, json_object_get(f, "default"));
        td(c, str_of(f, "rule"));
        buf_puts(b, "</tr>\n");
    }
    table_end(c);
    buf_puts(b, "<p>Levels:");
    const json_t *levels = json_object_get(rm, "levels");
    for (size_t i = 0; i < json_array_size(levels); i++) {
        const json_t *l = json_array_get(levels, i);
        buf_puts(b, i ? ", " : " ");
        text(c, str_of(l, "level"));
        buf_puts(b, " ");
        put_int(c, num_of(l, "min"));
        buf_puts(b, "\xe2\x80\x93");
        put_int(c, num_of(l, "max"));
    }
    buf_puts(b, ". Flagged: ");
    text(c, str_of(rm, "flagged"));
    buf_puts(b, ".</p>\n</header>\n");
}

/* ---- executive summary ---------------------------------------------------- */

static void count_row(ctx *c, const char *caption, const json_t *counts)
{
    const char *heads[8];
    size_t n = 0;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)counts, key, value) {
        if (n < 8)
            heads[n++] = key;
    }
    buf_puts(c->b, "<table><caption>");
    html_escape(c->b, caption);
    buf_puts(c->b, "</caption><thead><tr>");
    for (size_t i = 0; i < n; i++) {
        buf_puts(c->b, "<th class=\"num\">");
        html_escape(c->b, heads[i]);
        buf_puts(c->b, "</th>");
    }
    buf_puts(c->b, "</tr></thead><tbody><tr>");
    for (size_t i = 0; i < n; i++)
        td_int(c, json_object_get(counts, heads[i]));
    buf_puts(c->b, "</tr></tbody></table>\n");
}

static void summary(ctx *c)
{
    const json_t *s = json_object_get(c->model, "summary");
    const json_t *counts = json_object_get(s, "counts");
    const json_t *spend = json_object_get(s, "spend");
    const json_t *conc = json_object_get(s, "concentration");
    buf *b = c->b;
    open_section(c, "summary", "Executive summary");
    static const char *const kh[] = {"#Workloads", "#Active", "#Flagged",
                                     "#Monthly spend", "Highest concentration"};
    table_head(c, "Key figures (retired workloads count only in the total)", kh, 5);
    buf_puts(b, "<tr>");
    td_int(c, json_object_get(counts, "workloads"));
    td_int(c, json_object_get(counts, "active"));
    td_int(c, json_object_get(counts, "flagged"));
    td_money(c, json_object_get(spend, "monthly_total"));
    td(c, str_of(conc, "highest_band"));
    buf_puts(b, "</tr>\n");
    table_end(c);
    count_row(c, "Workloads by status", json_object_get(counts, "status"));
    count_row(c, "Active workloads by strategy track", json_object_get(counts, "track"));
    count_row(c, "Active workloads by lock-in level", json_object_get(counts, "level"));

    /* spend by track */
    const json_t *by_track = json_object_get(spend, "by_track");
    const char *labels[64], *colors[64];
    double values[64];
    size_t n = 0;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)by_track, key, value) {
        if (n < 64) {
            labels[n] = track_title(c->model, key);
            colors[n] = color_of(TRACK_COLORS, 4, key);
            values[n++] = json_number_value(value);
        }
    }
    bar_chart(c, "Monthly spend by strategy track", n, labels, values, colors, 1);
    static const char *const th[] = {"Track", "#Monthly spend"};
    table_head(c, NULL, th, 2);
    json_object_foreach((json_t *)by_track, key, value) {
        buf_puts(b, "<tr>");
        td(c, track_title(c->model, key));
        td_money(c, value);
        buf_puts(b, "</tr>\n");
    }
    table_end(c);

    /* spend by provider group */
    const json_t *by_group = json_object_get(spend, "by_group");
    n = 0;
    for (size_t i = 0; i < json_array_size(by_group) && n < 64; i++) {
        labels[n] = str_of(json_array_get(by_group, i), "group");
        values[n++] = num_of(json_array_get(by_group, i), "amount");
    }
    bar_chart(c, "Monthly spend by provider group (each workload's spend split over its "
                 "provider groups)", n, labels, values, NULL, 1);
    static const char *const gh[] = {"Provider group", "#Monthly spend"};
    table_head(c, NULL, gh, 2);
    for (size_t i = 0; i < json_array_size(by_group); i++) {
        const json_t *g = json_array_get(by_group, i);
        buf_puts(b, "<tr>");
        td(c, str_of(g, "group"));
        td_money(c, json_object_get(g, "amount"));
        buf_puts(b, "</tr>\n");
    }
    table_end(c);

    static const char *const ch[] = {"Layer", "#HHI (spend)", "Band", "#HHI (workloads)", "Band"};
    table_head(c, "Concentration per layer over vendor groups (HHI; above 1,800 highly "
                  "concentrated)", ch, 5);
    static const char *const layers[] = {"provider", "publisher", "host"};
    for (int l = 0; l < 3; l++) {
        const json_t *layer = json_object_get(conc, layers[l]);
        buf_puts(b, "<tr>");
        td(c, layers[l]);
        td_int(c, json_object_get(layer, "hhi"));
        td(c, str_of(layer, "band"));
        td_int(c, json_object_get(layer, "hhi_workloads"));
        td(c, str_of(layer, "band_workloads"));
        buf_puts(b, "</tr>\n");
    }
    table_end(c);

    const json_t *flagged = json_object_get(s, "flagged");
    static const char *const fh[] = {"Most exposed workloads", "Track", "#Score", "Level",
                                     "Main reason"};
    table_head(c, "Most exposed flagged workloads (score \xc3\x97 business criticality)", fh, 5);
    for (size_t i = 0; i < json_array_size(flagged) && i < 10; i++) {
        const json_t *f = json_array_get(flagged, i);
        buf_puts(b, "<tr>");
        td(c, str_of(f, "name"));
        td(c, str_of(f, "track"));
        td_int(c, json_object_get(f, "score"));
        td(c, str_of(f, "level"));
        td(c, str_of(f, "top_reason"));
        buf_puts(b, "</tr>\n");
    }
    table_end(c);
    close_section(c);
}

/* ---- strategy tracks ------------------------------------------------------ */

static void names_list(ctx *c, const json_t *items, const char *key)
{
    for (size_t i = 0; i < json_array_size(items); i++) {
        if (i)
            buf_puts(c->b, "; ");
        text(c, str_of(json_array_get(items, i), key));
    }
}

static void findings(ctx *c, const json_t *list)
{
    if (json_array_size(list) == 0) {
        buf_puts(c->b, "<p>No findings.</p>\n");
        return;
    }
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *f = json_array_get(list, i);
        const char *sev = str_of(f, "severity");
        buf_puts(c->b, "<div class=\"finding\"><p><span class=\"sev sev-");
        html_escape(c->b, sev ? sev : "info");
        buf_puts(c->b, "\">");
        text(c, sev);
        buf_puts(c->b, "</span>");
        text(c, str_of(f, "text"));
        buf_puts(c->b, "</p>");
        const json_t *wl = json_object_get(f, "workloads");
        if (json_array_size(wl)) {
            buf_puts(c->b, "<p class=\"meta\">Workloads: ");
            names_list(c, wl, "name");
            buf_puts(c->b, "</p>");
        }
        buf_puts(c->b, "</div>\n");
    }
}

static void track(ctx *c, const json_t *t)
{
    char id[48];
    const char *code = str_of(t, "track");
    buf *b = c->b;
    snprintf(id, sizeof id, "track-%s", code ? code : "unknown");
    open_section(c, id, str_of(t, "title") ? str_of(t, "title") : "Strategy track");
    const json_t *fig = json_object_get(t, "figures");
    static const char *const fh[] = {"#Active workloads", "#Production", "#Flagged",
                                     "#Without swap layer", "#Monthly spend"};
    table_head(c, "Figures", fh, 5);
    buf_puts(b, "<tr>");
    td_int(c, json_object_get(fig, "workloads"));
    td_int(c, json_object_get(fig, "production"));
    td_int(c, json_object_get(fig, "flagged"));
    td_int(c, json_object_get(fig, "without_swap_layer"));
    td_money(c, json_object_get(fig, "monthly_spend"));
    buf_puts(b, "</tr>\n");
    table_end(c);
    count_row(c, "Lock-in distribution", json_object_get(t, "risk_distribution"));

    buf_puts(b, "<h3>Findings</h3>\n");
    findings(c, json_object_get(t, "findings"));

    const json_t *wl = json_object_get(t, "workloads");
    buf_puts(b, "<h3>Workloads</h3>\n");
    static const char *const wh[] = {"Workload", "Status", "Criticality", "#Monthly spend",
                                     "Swap layer", "#Score", "Level", "Flagged"};
    table_head(c, NULL, wh, 8);
    for (size_t i = 0; i < json_array_size(wl); i++) {
        const json_t *x = json_array_get(wl, i);
        buf_puts(b, "<tr>");
        td(c, str_of(x, "name"));
        td(c, str_of(x, "status"));
        td(c, str_of(x, "criticality"));
        td_money(c, json_object_get(x, "monthly_spend"));
        td_bool(c, json_object_get(x, "swap_layer"));
        td_int(c, json_object_get(x, "score"));
        td(c, str_of(x, "level"));
        td_bool(c, json_object_get(x, "flagged"));
        buf_puts(b, "</tr>\n");
    }
    table_end(c);

    const json_t *layers = json_object_get(json_object_get(t, "concentration"), "layers");
    static const char *const ch[] = {"Layer", "#HHI", "Band", "#Effective providers",
                                     "Largest group", "#Share"};
    table_head(c, "Concentration inside the track (by spend)", ch, 6);
    static const char *const names[] = {"provider", "publisher", "host"};
    for (int l = 0; l < 3; l++) {
        const json_t *layer = json_object_get(layers, names[l]);
        const json_t *top = json_array_get(json_object_get(layer, "shares"), 0);
        buf_puts(b, "<tr>");
        td(c, names[l]);
        td_int(c, json_object_get(layer, "hhi"));
        td(c, str_of(layer, "band"));
        buf_puts(b, "<td class=\"num\">");
        buf_printf(b, "%.2f", num_of(layer, "effective_providers"));
        buf_puts(b, "</td>");
        td(c, top ? str_of(top, "group") : NULL);
        buf_puts(b, "<td class=\"num\">");
        if (top)
            put_pct(c, num_of(top, "share"));
        else
            buf_puts(b, DASH);
        buf_puts(b, "</td></tr>\n");
    }
    table_end(c);

    const json_t *contracts = json_object_get(t, "contracts");
    static const char *const kh[] = {"Customer contract", "Counterparty", "End",
                                     "Notice deadline", "Auto-renew", "#Annual value"};
    table_head(c, "Contracts covering the track's offerings", kh, 6);
    for (size_t i = 0; i < json_array_size(contracts); i++) {
        const json_t *k = json_array_get(contracts, i);
        buf_puts(b, "<tr>");
        td(c, str_of(k, "name"));
        td(c, str_of(k, "counterparty"));
        td(c, str_of(k, "end_date"));
        td(c, str_of(k, "notice_deadline"));
        td_bool(c, json_object_get(k, "auto_renew"));
        buf_puts(b, "<td class=\"num\">");
        money(c, json_object_get(k, "annual_value"));
        if (str_of(k, "currency")) {
            buf_putc(b, ' ');
            html_escape(b, str_of(k, "currency"));
        }
        buf_puts(b, "</td></tr>\n");
    }
    table_end(c);

    const json_t *cross = json_object_get(t, "cross_track");
    if (json_array_size(cross)) {
        static const char *const xh[] = {"Workload crossing tracks", "Own track", "Uses"};
        table_head(c, NULL, xh, 3);
        for (size_t i = 0; i < json_array_size(cross); i++) {
            const json_t *x = json_array_get(cross, i);
            const json_t *uses = json_object_get(x, "tracks");
            buf_puts(b, "<tr>");
            td(c, str_of(x, "name"));
            td(c, str_of(x, "track"));
            buf_puts(b, "<td>");
            for (size_t k = 0; k < json_array_size(uses); k++) {
                if (k)
                    buf_puts(b, ", ");
                html_escape(b, json_string_value(json_array_get(uses, k)));
            }
            buf_puts(b, "</td></tr>\n");
        }
        table_end(c);
    }
    close_section(c);
}

/* ---- flagged workloads ---------------------------------------------------- */

static void flagged(ctx *c)
{
    const json_t *list = json_object_get(c->model, "flagged");
    buf *b = c->b;
    open_section(c, "flagged", "Flagged workloads");
    buf_printf(b, "<p>%zu active workload%s flagged: lock-in level high or critical, or "
                  "medium for a workload critical to the business. Each factor is listed "
                  "with its points and the reason.</p>\n",
               json_array_size(list), json_array_size(list) == 1 ? " is" : "s are");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *x = json_array_get(list, i);
        buf_puts(b, "<div class=\"wl\"><h3>");
        text(c, str_of(x, "name"));
        buf_puts(b, "</h3><p class=\"meta\">Score ");
        put_int(c, num_of(x, "score"));
        buf_puts(b, " (");
        text(c, str_of(x, "level"));
        buf_puts(b, ") \xc2\xb7 track ");
        text(c, str_of(x, "track"));
        buf_puts(b, " \xc2\xb7 ");
        text(c, str_of(x, "status"));
        buf_puts(b, " \xc2\xb7 criticality ");
        text(c, str_of(x, "criticality"));
        buf_puts(b, " \xc2\xb7 team ");
        text(c, str_of(x, "team"));
        buf_puts(b, " \xc2\xb7 monthly spend ");
        money(c, json_object_get(x, "monthly_spend"));
        buf_puts(b, "</p>\n");
        static const char *const fh[] = {"Factor", "#Points", "Reason"};
        buf_puts(b, "<table><colgroup><col style=\"width:24%\"><col style=\"width:10%\">"
                    "<col style=\"width:66%\"></colgroup>");
        buf_puts(b, "<thead><tr>");
        for (int k = 0; k < 3; k++) {
            buf_puts(b, fh[k][0] == '#' ? "<th class=\"num\">" : "<th>");
            html_escape(b, fh[k] + (fh[k][0] == '#'));
            buf_puts(b, "</th>");
        }
        buf_puts(b, "</tr></thead><tbody>\n");
        const json_t *factors = json_object_get(x, "factors");
        for (size_t k = 0; k < json_array_size(factors); k++) {
            const json_t *f = json_array_get(factors, k);
            buf_puts(b, "<tr>");
            td(c, str_of(f, "code"));
            td_int(c, json_object_get(f, "points"));
            td(c, str_of(f, "reason"));
            buf_puts(b, "</tr>\n");
        }
        table_end(c);
        buf_puts(b, "</div>\n");
    }
    close_section(c);
}

/* ---- concentration -------------------------------------------------------- */

static void concentration(ctx *c)
{
    const json_t *list = json_object_get(c->model, "concentration");
    static const char *const layers[] = {"provider", "publisher", "host"};
    buf *b = c->b;
    open_section(c, "concentration", "Concentration per layer");
    buf_puts(b, "<p>Herfindahl\xe2\x80\x93Hirschman index over vendor groups per layer "
                "(HHI = \xce\xa3 (100\xc2\xb7share)\xc2\xb2). Bands after the 2023 US Merger "
                "Guidelines: above 1,800 highly concentrated, 1,000\xe2\x80\x93" "1,800 "
                "moderately, below 1,000 unconcentrated. Effective providers = 10,000 / HHI. "
                "Shares by monthly spend, or by workloads weighted by business criticality "
                "(low 1 \xe2\x80\xa6 critical 4); \xe2\x80\x9cmerged\xe2\x80\x9d counts closely "
                "connected groups as one.</p>\n");
    static const char *const h[] = {"Basis", "Closely connected", "Layer", "#HHI", "Band",
                                    "#Effective providers"};
    table_head(c, NULL, h, 6);
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *e = json_array_get(list, i);
        for (int l = 0; l < 3; l++) {
            const json_t *layer = json_object_get(json_object_get(e, "layers"), layers[l]);
            buf_puts(b, "<tr>");
            td(c, str_of(e, "basis"));
            td(c, json_is_true(json_object_get(e, "connected")) ? "merged" : "separate");
            td(c, layers[l]);
            td_int(c, json_object_get(layer, "hhi"));
            td(c, str_of(layer, "band"));
            buf_printf(b, "<td class=\"num\">%.2f</td></tr>\n",
                       num_of(layer, "effective_providers"));
        }
    }
    table_end(c);

    /* shares by spend, groups separate: the first entry */
    const json_t *spend = json_array_get(list, 0);
    for (int l = 0; l < 3; l++) {
        const json_t *layer = json_object_get(json_object_get(spend, "layers"), layers[l]);
        const json_t *shares = json_object_get(layer, "shares");
        const char *labels[64];
        double values[64];
        size_t n = 0;
        for (size_t i = 0; i < json_array_size(shares) && n < 64; i++) {
            labels[n] = str_of(json_array_get(shares, i), "group");
            values[n++] = num_of(json_array_get(shares, i), "amount");
        }
        char title[96];
        snprintf(title, sizeof title, "Monthly spend by %s group", layers[l]);
        buf_printf(b, "<h3>%s layer</h3>\n", layers[l]);
        bar_chart(c, title, n, labels, values, NULL, 1);
        static const char *const sh[] = {"Group", "#Share", "#Monthly spend"};
        table_head(c, NULL, sh, 3);
        for (size_t i = 0; i < json_array_size(shares); i++) {
            const json_t *s = json_array_get(shares, i);
            buf_puts(b, "<tr>");
            td(c, str_of(s, "group"));
            buf_puts(b, "<td class=\"num\">");
            put_pct(c, num_of(s, "share"));
            buf_puts(b, "</td>");
            td_money(c, json_object_get(s, "amount"));
            buf_puts(b, "</tr>\n");
        }
        table_end(c);
    }
    close_section(c);
}

/* ---- deadlines and upstream terms ----------------------------------------- */

static void deadlines(ctx *c)
{
    const json_t *d = json_object_get(c->model, "deadlines");
    const json_t *items = json_object_get(d, "items");
    buf *b = c->b;
    open_section(c, "deadlines", "Contract notice deadlines in the next 12 months");
    buf_puts(b, "<p>Customer contracts whose last day to give notice (end of the current "
                "term minus the notice period) falls between ");
    text(c, str_of(d, "from"));
    buf_puts(b, " and ");
    text(c, str_of(d, "until"));
    buf_puts(b, ", soonest first.</p>\n");
    if (json_array_size(items) == 0) {
        buf_puts(b, "<p>No notice deadline falls in this period.</p>\n");
        close_section(c);
        return;
    }
    static const char *const h[] = {"Contract", "Counterparty", "Notice deadline", "#Days left",
                                    "Term ends", "#Notice days", "Auto-renew",
                                    "#Annual value"};
    table_head(c, NULL, h, 8);
    for (size_t i = 0; i < json_array_size(items); i++) {
        const json_t *k = json_array_get(items, i);
        buf_puts(b, "<tr>");
        td(c, str_of(k, "name"));
        td(c, str_of(k, "counterparty"));
        td(c, str_of(k, "notice_deadline"));
        td_int(c, json_object_get(k, "days_left"));
        td(c, str_of(k, "end_date"));
        td_int(c, json_object_get(k, "notice_days"));
        td_bool(c, json_object_get(k, "auto_renew"));
        buf_puts(b, "<td class=\"num\">");
        money(c, json_object_get(k, "annual_value"));
        if (str_of(k, "currency")) {
            buf_putc(b, ' ');
            html_escape(b, str_of(k, "currency"));
        }
        buf_puts(b, "</td></tr>\n");
    }
    table_end(c);
    close_section(c);
}

static void upstream(ctx *c)
{
    const json_t *list = json_object_get(c->model, "upstream_terms");
    buf *b = c->b;
    open_section(c, "upstream", "Upstream terms and the workloads that depend on them");
    buf_puts(b, "<p>Agreements between vendors that shape the organisation's options. A "
                "workload depends on a term when it uses an offering the agreement covers; "
                "\xe2\x80\x9coutlives\xe2\x80\x9d marks a workload planned to run past the "
                "term's end (a production workload with no planned end counts as "
                "beyond it).</p>\n");
    if (json_array_size(list) == 0)
        buf_puts(b, "<p>No upstream agreement is recorded.</p>\n");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *t = json_array_get(list, i);
        buf_puts(b, "<div class=\"wl\"><h3>");
        text(c, str_of(t, "agreement"));
        buf_puts(b, ": ");
        text(c, str_of(t, "kind"));
        buf_puts(b, "</h3><p>");
        text(c, str_of(t, "text"));
        buf_puts(b, "</p><p class=\"meta\">Parties: ");
        text(c, str_of(t, "counterparty"));
        buf_puts(b, " and ");
        text(c, str_of(t, "other_party"));
        buf_puts(b, " \xc2\xb7 effective ");
        text(c, str_of(t, "effective"));
        buf_puts(b, " \xc2\xb7 until ");
        text(c, str_of(t, "until"));
        if (json_is_integer(json_object_get(t, "days_left"))) {
            buf_puts(b, " (");
            put_int(c, num_of(t, "days_left"));
            buf_puts(b, " days)");
        }
        buf_puts(b, "</p>\n");
        const json_t *wl = json_object_get(t, "workloads");
        if (json_array_size(wl) == 0) {
            buf_puts(b, "<p class=\"meta\">No active workload depends on it.</p></div>\n");
            continue;
        }
        static const char *const h[] = {"Dependent workload", "Track", "Status", "Planned end",
                                        "Outlives term"};
        table_head(c, NULL, h, 5);
        for (size_t k = 0; k < json_array_size(wl); k++) {
            const json_t *x = json_array_get(wl, k);
            buf_puts(b, "<tr>");
            td(c, str_of(x, "name"));
            td(c, str_of(x, "track"));
            td(c, str_of(x, "status"));
            td(c, str_of(x, "planned_end"));
            td_bool(c, json_object_get(x, "outlives_term"));
            buf_puts(b, "</tr>\n");
        }
        table_end(c);
        buf_puts(b, "</div>\n");
    }
    close_section(c);
}

/* ---- tables from report_tables ---------------------------------------------- */

static int col_weight(const report_col *col)
{
    switch (col->kind) {
    case RC_INT: return strcmp(col->path, "id") == 0 ? 5 : 7;
    case RC_BOOL: return 8;
    case RC_NUM: return 9;
    case RC_DATE:
    case RC_MONEY: return 12;
    case RC_LIST: return 22;
    default: return 14;
    }
}

static void grid(ctx *c, const report_table *t)
{
    buf *b = c->b;
    int total = 0;
    for (size_t k = 0; k < t->n_cols; k++)
        if (t->cols[k].where & RC_HTML)
            total += col_weight(&t->cols[k]);
    buf_puts(b, "<table class=\"wide\"><colgroup>");
    for (size_t k = 0; k < t->n_cols; k++)
        if (t->cols[k].where & RC_HTML)
            buf_printf(b, "<col style=\"width:%.2f%%\">",
                       100.0 * col_weight(&t->cols[k]) / (total ? total : 1));
    buf_puts(b, "</colgroup><thead><tr>");
    for (size_t k = 0; k < t->n_cols; k++) {
        const report_col *col = &t->cols[k];
        if (!(col->where & RC_HTML))
            continue;
        int numeric = col->kind == RC_INT || col->kind == RC_MONEY || col->kind == RC_NUM;
        buf_puts(b, numeric ? "<th class=\"num\">" : "<th>");
        html_escape(b, col->label ? col->label : col->header);
        buf_puts(b, "</th>");
    }
    buf_puts(b, "</tr></thead>\n<tbody>\n");
    buf cell;
    buf_init(&cell);
    for (size_t i = 0; i < json_array_size(t->rows); i++) {
        const json_t *row = json_array_get(t->rows, i);
        buf_puts(b, "<tr>");
        for (size_t k = 0; k < t->n_cols; k++) {
            const report_col *col = &t->cols[k];
            if (!(col->where & RC_HTML))
                continue;
            const json_t *v = report_path(row, col->path);
            if (col->kind == RC_MONEY) {
                td_money(c, v);
                continue;
            }
            if (col->kind == RC_BOOL) {
                td_bool(c, v);
                continue;
            }
            int numeric = col->kind == RC_INT || col->kind == RC_NUM;
            buf_reset(&cell);
            report_cell(row, col, &cell);
            buf_puts(b, numeric ? "<td class=\"num\">" : "<td>");
            if (!cell.len) {
                buf_puts(b, DASH);
            } else {
                /* one item per line */
                const char *p = cell.data;
                for (;;) {
                    const char *nl = strchr(p, '\n');
                    buf piece;
                    buf_init(&piece);
                    buf_append(&piece, p, nl ? (size_t)(nl - p) : strlen(p));
                    html_escape(b, piece.data ? piece.data : "");
                    buf_free(&piece);
                    if (!nl)
                        break;
                    buf_puts(b, "<br>");
                    p = nl + 1;
                }
            }
            buf_puts(b, "</td>");
        }
        buf_puts(b, "</tr>\n");
    }
    buf_free(&cell);
    table_end(c);
}

static void changes(ctx *c, const report_table *audit)
{
    const json_t *ch = json_object_get(c->model, "changes");
    if (!json_is_object(ch))
        return;
    open_section(c, "changes", "Changes since the given date");
    buf_puts(c->b, "<p>");
    put_int(c, num_of(ch, "count"));
    buf_puts(c->b, " change(s) to the governed data recorded in the audit trail since ");
    text(c, str_of(ch, "since"));
    buf_puts(c->b, ", up to the audit head of this report. The full before and after of each "
                   "event are in audit.csv and the JSON.</p>\n");
    grid(c, audit);
    close_section(c);
}

static void appendix(ctx *c, const report_table *t, const char *id, const char *title,
                     const char *csv)
{
    open_section(c, id, title);
    buf_printf(c->b, "<p class=\"note\">Every record; all fields are in %s and the JSON.</p>\n",
               csv);
    grid(c, t);
    close_section(c);
}

/* ---- the document ------------------------------------------------------------ */

static void toc(ctx *c, int with_changes)
{
    static const char *const entries[][2] = {
        {"summary", "Executive summary"},
        {"track-copilot", "Copilot strategy"},
        {"track-azure", "Azure strategy"},
        {"track-openai", "OpenAI strategy"},
        {"track-other", "Other vendors"},
        {"flagged", "Flagged workloads"},
        {"concentration", "Concentration per layer"},
        {"deadlines", "Contract notice deadlines"},
        {"upstream", "Upstream terms"},
        {"changes", "Changes since the given date"},
        {"appendix-workloads", "Appendix A: Workloads"},
        {"appendix-contracts", "Appendix B: Contracts"},
        {"appendix-offerings", "Appendix C: Offerings"},
        {"appendix-vendors", "Appendix D: Vendors"},
    };
    buf_puts(c->b, "<nav><h3>Contents</h3><ol class=\"toc\">\n");
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        if (!with_changes && strcmp(entries[i][0], "changes") == 0)
            continue;
        buf_printf(c->b, "<li><a href=\"#%s\">%s</a></li>\n", entries[i][0], entries[i][1]);
    }
    buf_puts(c->b, "</ol></nav>\n");
}

void report_html(const json_t *model, const report_table tables[REPORT_TABLES], buf *out)
{
    ctx c = {out, model, 0};
    const json_t *cv = json_object_get(model, "cover");
    buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<meta name=\"generator\" content=\"");
    html_escape(out, str_of(cv, "software"));
    buf_puts(out, "\">\n<title>");
    html_escape(out, str_of(cv, "title"));
    if (str_of(cv, "organisation")) {
        buf_puts(out, " \xe2\x80\x94 ");
        html_escape(out, str_of(cv, "organisation"));
    }
    buf_puts(out, " \xe2\x80\x94 ");
    html_escape(out, str_of(cv, "as_of"));
    buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", CSS);
    cover(&c);
    toc(&c, json_is_object(json_object_get(model, "changes")));
    summary(&c);
    const json_t *tracks = json_object_get(model, "tracks");
    for (size_t i = 0; i < json_array_size(tracks); i++)
        track(&c, json_array_get(tracks, i));
    flagged(&c);
    concentration(&c);
    deadlines(&c);
    upstream(&c);
    changes(&c, &tables[RT_AUDIT]);
    appendix(&c, &tables[RT_WORKLOADS], "appendix-workloads", "Appendix A: Workloads",
             "workloads.csv");
    appendix(&c, &tables[RT_CONTRACTS], "appendix-contracts", "Appendix B: Contracts",
             "contracts.csv");
    appendix(&c, &tables[RT_OFFERINGS], "appendix-offerings", "Appendix C: Offerings",
             "offerings.csv");
    appendix(&c, &tables[RT_VENDORS], "appendix-vendors", "Appendix D: Vendors", "vendors.csv");
    buf_puts(out, "</body>\n</html>\n");
}
