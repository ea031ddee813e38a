/* report_html.c - the governance report as printable HTML; see
 * report_html.h. Sections: cover, executive summary, one per strategy
 * track, flagged workloads, findings to act on, compliance findings,
 * accepted risks, the AI Act register, concentration, notice deadlines, upstream
 * terms, changes (with since=), appendices. */
#include "core/report_html.h"

#include <stdio.h>
#include <string.h>

#include "core/report_html_kit.h"

static const char CSS[] =
    "@page{size:A4;margin:16mm 14mm 16mm 14mm}"
    "@page{@top-left{font:7.5pt 'DejaVu Sans',Arial,sans-serif;color:#5c6675}"
    "@top-right{font:7.5pt 'DejaVu Sans',Arial,sans-serif;color:#5c6675}"
    "@bottom-left{font:600 7.5pt 'DejaVu Sans',Arial,sans-serif;color:#8f1d17}"
    "@bottom-right{font:7.5pt 'DejaVu Sans',Arial,sans-serif;color:#5c6675;"
    "content:'Page ' counter(page) ' of ' counter(pages)}}"
    ".brief p,.brief li{font-size:10pt}.brief ul{margin:0 0 2mm;padding-left:6mm}"
    ".brief{margin-bottom:4mm}"
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
    ".org{font-size:13pt;font-weight:600;margin:0 0 1mm;color:#3d5a80}"
    ".lead{font-size:11pt;margin-bottom:3mm}"
    ".note{color:#5c6675;font-size:8.5pt}"
    "table{width:100%;border-collapse:collapse;table-layout:fixed;margin:1mm 0 4mm;font-size:8.5pt}"
    "table.wide{font-size:7pt}"
    "table.wide th,table.wide td{padding:0.6mm 0.8mm}"
    "table.keep{break-inside:avoid;page-break-inside:avoid}"
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
    "#cover table{font-size:8pt;margin-bottom:2.5mm}#cover th,#cover td{padding:0.5mm 1.2mm}"
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
    "ol.toc{columns:4;padding-left:6mm;margin:0 0 3mm}"
    "nav h2{font-size:11pt;border:0;margin:3mm 0 1mm;padding:0}"
    "nav,.brief,.facts{break-inside:avoid}";

/* The running header and footer: organisation and title, as-of date,
 * classification mark; the page number is in CSS above. */
static void rh_page_boxes(const json_t *cv, buf *out)
{
    buf_puts(out, "@page{@top-left{content:");
    buf tmp;
    buf_init(&tmp);
    if (rh_str_of(cv, "organisation")) {
        buf_puts(&tmp, rh_str_of(cv, "organisation"));
        buf_puts(&tmp, " \xc2\xb7 ");
    }
    buf_puts(&tmp, rh_str_of(cv, "title") ? rh_str_of(cv, "title") : "");
    rh_css_string(out, buf_failed(&tmp) || !tmp.data ? "" : tmp.data);
    buf_free(&tmp);
    buf_puts(out, "}@top-right{content:");
    buf_init(&tmp);
    buf_puts(&tmp, "Data as of ");
    buf_puts(&tmp, rh_str_of(cv, "as_of") ? rh_str_of(cv, "as_of") : "");
    rh_css_string(out, buf_failed(&tmp) ? "" : tmp.data);
    buf_free(&tmp);
    buf_puts(out, "}@bottom-left{content:");
    rh_css_string(out, rh_str_of(cv, "classification"));
    buf_puts(out, "}}");
}

static void rh_toc(rh_ctx *c, int with_changes);

/* ---- cover ---------------------------------------------------------------- */

static void rh_cover(rh_ctx *c)
{
    const json_t *cv = json_object_get(c->model, "cover");
    const json_t *head = json_object_get(cv, "audit_head");
    const json_t *rm = json_object_get(cv, "risk_model");
    buf *b = c->b;
    buf_puts(b, "<header id=\"cover\">\n<p class=\"org\">");
    rh_text(c, rh_str_of(cv, "organisation"));
    buf_puts(b, "</p>\n<h1>");
    rh_text(c, rh_str_of(cv, "title"));
    buf_puts(b, "</h1>\n<p class=\"lead\">Lock-in risk, concentration, contracts and upstream "
                "terms of the organisation's AI portfolio, from one consistent snapshot of "
                "the data as of ");
    rh_text(c, rh_str_of(cv, "as_of"));
    buf_puts(b, ".</p>\n<table class=\"facts\"><tbody>\n<tr><th>Organisation</th>");
    rh_td(c, rh_str_of(cv, "organisation"));
    buf_puts(b, "</tr>\n<tr><th>Data as of</th>");
    rh_td(c, rh_str_of(cv, "as_of"));
    buf_puts(b, "</tr>\n<tr><th>Generated at</th><td><span data-field=\"generated_at\">");
    if (rh_str_of(cv, "generated_at"))
        html_escape(b, rh_str_of(cv, "generated_at"));
    else
        buf_puts(b, "stated in report-info.txt, covered by the bundle's signed manifest");
    buf_puts(b, "</span></td></tr>\n<tr><th>Generated by</th><td><span "
                "data-field=\"generated_by\">");
    rh_text(c, rh_str_of(cv, "generated_by"));
    buf_puts(b, "</span></td></tr>\n<tr><th>Audit head</th><td>event ");
    rh_put_int(c, rh_num_of(head, "seq"));
    if (rh_str_of(head, "at")) {
        buf_puts(b, " of ");
        html_escape(b, rh_str_of(head, "at"));
    }
    buf_puts(b, "<br><span class=\"hash\">");
    rh_text(c, rh_str_of(head, "hash"));
    buf_puts(b, "</span></td></tr>\n<tr><th>Changes since</th>");
    rh_td(c, rh_str_of(cv, "since") ? rh_str_of(cv, "since") : "not requested");
    buf_puts(b, "</tr>\n<tr><th>Amounts in</th>");
    rh_td(c, rh_str_of(cv, "currency") ? rh_str_of(cv, "currency")
                                       : "the currency of each contract");
    buf_puts(b, "</tr>\n<tr><th>Classification</th>");
    rh_td(c, rh_str_of(cv, "classification"));
    buf_puts(b, "</tr>\n<tr><th>Software</th>");
    rh_td(c, rh_str_of(cv, "software"));
    buf_puts(b, "</tr>\n</tbody></table>\n<p class=\"note\">The audit head is the latest "
                "audit event the data reflects (report exports and sign-ins, which change "
                "no data, are not counted); `switchyard report verify` checks that it is "
                "part of the hash chain.</p>\n");
    rh_toc(c, json_is_object(json_object_get(c->model, "changes")));

    static const char *const heads[] = {"Risk factor", "#Points", "#Default", "Applies when"};
    static const int widths[] = {24, 9, 9, 58};
    c->keep = 1;
    rh_table_head_w(c, "Risk model in force", heads, 4, widths);
    const json_t *factors = json_object_get(rm, "factors");
    for (size_t i = 0; i < json_array_size(factors); i++) {
        const json_t *f = json_array_get(factors, i);
        buf_puts(b, "<tr>");
        rh_td_label(c, rh_str_of(f, "code"));
        rh_td_int(c, json_object_get(f, "points"));
        rh_td_int(c, json_object_get(f, "default"));
        rh_td(c, rh_str_of(f, "rule"));
        buf_puts(b, "</tr>\n");
    }
    rh_table_end(c);
    buf_puts(b, "<p>Levels:");
    const json_t *levels = json_object_get(rm, "levels");
    for (size_t i = 0; i < json_array_size(levels); i++) {
        const json_t *l = json_array_get(levels, i);
        buf_puts(b, i ? ", " : " ");
        rh_label(b, rh_str_of(l, "level"));
        buf_puts(b, " ");
        rh_put_int(c, rh_num_of(l, "min"));
        buf_puts(b, "\xe2\x80\x93");
        rh_put_int(c, rh_num_of(l, "max"));
    }
    buf_puts(b, ". Flagged: ");
    const char *flagged = rh_str_of(rm, "flagged");
    rh_text(c, flagged);
    /* The model's sentence may end with its own full stop. */
    buf_puts(b, flagged && *flagged && flagged[strlen(flagged) - 1] == '.' ? "</p>\n</header>\n"
                                                                          : ".</p>\n</header>\n");
}

/* ---- the document ------------------------------------------------------------ */

static void rh_toc(rh_ctx *c, int with_changes)
{
    static const char *const entries[][2] = {
        {"summary", "Executive summary"},
        {"track-copilot", "Copilot strategy"},
        {"track-azure", "Azure strategy"},
        {"track-openai", "OpenAI strategy"},
        {"track-other", "Other vendors"},
        {"flagged", "Flagged workloads"},
        {"findings", "Findings to act on"},
        {"compliance", "Compliance findings"},
        {"accepted", "Accepted risks and catalogue freshness"},
        {"ai-act", "EU AI Act deployer register"},
        {"concentration", "Concentration per layer"},
        {"deadlines", "Contract notice deadlines"},
        {"upstream", "Upstream terms"},
        {"changes", "Changes since the given date"},
        {"since-review", "Changes since the last review"},
        {"appendix-workloads", "Appendix A: Workloads"},
        {"appendix-contracts", "Appendix B: Contracts"},
        {"appendix-offerings", "Appendix C: Offerings"},
        {"appendix-vendors", "Appendix D: Vendors"},
    };
    buf_puts(c->b, "<nav aria-labelledby=\"contents-title\"><h2 id=\"contents-title\">"
                   "Contents</h2><ol class=\"toc\">\n");
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        if (!with_changes && strcmp(entries[i][0], "changes") == 0)
            continue;
        if (!json_is_object(json_object_get(c->model, "since_review")) &&
            strcmp(entries[i][0], "since-review") == 0)
            continue;
        if (!json_is_object(json_object_get(c->model, "ai_act")) &&
            strcmp(entries[i][0], "ai-act") == 0)
            continue;
        buf_printf(c->b, "<li><a href=\"#%s\">%s</a></li>\n", entries[i][0], entries[i][1]);
    }
    buf_puts(c->b, "</ol></nav>\n");
}

void report_html(const json_t *model, const report_table tables[REPORT_TABLES], buf *out)
{
    rh_ctx c = {out, model, 0, 0};
    const json_t *cv = json_object_get(model, "cover");
    buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<meta name=\"generator\" content=\"");
    html_escape(out, rh_str_of(cv, "software"));
    buf_puts(out, "\">\n<title>");
    html_escape(out, rh_str_of(cv, "title"));
    if (rh_str_of(cv, "organisation")) {
        buf_puts(out, " \xe2\x80\x94 ");
        html_escape(out, rh_str_of(cv, "organisation"));
    }
    buf_puts(out, " \xe2\x80\x94 ");
    html_escape(out, rh_str_of(cv, "as_of"));
    buf_printf(out, "</title>\n<style>%s", CSS);
    rh_page_boxes(cv, out);
    buf_puts(out, "</style>\n</head>\n<body>\n");
    rh_cover(&c);
    buf_puts(out, "<main>\n");
    rh_summary(&c);
    const json_t *tracks = json_object_get(model, "tracks");
    for (size_t i = 0; i < json_array_size(tracks); i++)
        rh_track(&c, json_array_get(tracks, i));
    rh_flagged(&c);
    rh_open_findings(&c);
    rh_compliance(&c);
    rh_accepted(&c);
    rh_ai_act(&c);
    rh_concentration(&c);
    rh_deadlines(&c);
    rh_upstream(&c);
    rh_changes(&c, &tables[RT_AUDIT]);
    rh_review_changes(&c);
    rh_appendix(&c, &tables[RT_WORKLOADS], "appendix-workloads", "Appendix A: Workloads",
             "workloads.csv");
    rh_appendix(&c, &tables[RT_CONTRACTS], "appendix-contracts", "Appendix B: Contracts",
             "contracts.csv");
    rh_appendix(&c, &tables[RT_OFFERINGS], "appendix-offerings", "Appendix C: Offerings",
             "offerings.csv");
    rh_appendix(&c, &tables[RT_VENDORS], "appendix-vendors", "Appendix D: Vendors", "vendors.csv");
    buf_puts(out, "</main>\n</body>\n</html>\n");
}
