/* report_html_ai_act.c - the HTML report's EU AI Act deployer register
 * (the model's "ai_act": core/ai_act.h): one row per active workload with
 * its tier, Annex III area, provider, oversight, log retention, impact
 * assessment, information and incident contact, and its gaps. Models
 * without the section (older ones) render nothing. */
#include <string.h>

#include "core/report_html_kit.h"

/* A cell: the text, or a dash when empty or null. */
static void td_or_dash(rh_ctx *c, const char *s)
{
    rh_td(c, s && s[0] ? s : DASH);
}

static void row(rh_ctx *c, const json_t *r)
{
    buf *b = c->b;
    buf_puts(b, "<tr>");
    td_or_dash(c, rh_str_of(r, "workload"));
    buf_puts(b, "<td>");
    rh_label(b, rh_str_of(r, "risk_tier"));
    if (rh_str_of(r, "annex_iii_area")) {
        buf_puts(b, "<br>Annex III: ");
        rh_label(b, rh_str_of(r, "annex_iii_area"));
    }
    buf_puts(b, "</td>");
    td_or_dash(c, rh_str_of(json_object_get(r, "ai_system_provider"), "name"));
    td_or_dash(c, rh_str_of(r, "intended_purpose"));
    td_or_dash(c, rh_str_of(r, "oversight_owner"));
    const json_t *months = json_object_get(r, "log_retention_months");
    if (json_is_integer(months))
        rh_td_int(c, months);
    else
        rh_td(c, DASH);
    buf_puts(b, "<td>");
    if (rh_str_of(r, "fria_status"))
        rh_label(b, rh_str_of(r, "fria_status"));
    else
        buf_puts(b, DASH);
    if (rh_str_of(r, "fria_date")) {
        buf_puts(b, " ");
        rh_text(c, rh_str_of(r, "fria_date"));
    }
    buf_puts(b, "</td>");
    td_or_dash(c, rh_str_of(r, "affected_persons_informed"));
    td_or_dash(c, rh_str_of(r, "incident_contact"));
    buf_puts(b, "<td>");
    const json_t *gaps = json_object_get(r, "gaps");
    for (size_t k = 0; k < json_array_size(gaps); k++) {
        if (k)
            buf_puts(b, "; ");
        rh_escape_n(b, json_string_value(json_array_get(gaps, k)),
                    strlen(json_string_value(json_array_get(gaps, k))), 1);
    }
    if (!json_array_size(gaps))
        buf_puts(b, "None");
    buf_puts(b, "</td></tr>\n");
}

void rh_ai_act(rh_ctx *c)
{
    const json_t *reg = json_object_get(c->model, "ai_act");
    if (!json_is_object(reg))
        return;
    const json_t *rows = json_object_get(reg, "rows");
    buf *b = c->b;
    rh_open_section(c, "ai-act", "EU AI Act deployer register");
    buf_puts(b, "<p>Each active workload as an AI system the organisation deploys "
                "(Regulation (EU) 2024/1689, Art. 26 and 27, Annex III): ");
    rh_put_int(c, json_number_value(json_object_get(reg, "count")));
    buf_puts(b, " rows, ");
    rh_put_int(c, json_number_value(json_object_get(reg, "with_gaps")));
    buf_puts(b, " with gaps the compliance findings name. Log retention in months; "
                "high-risk systems keep logs at least six (Art. 26(6)). The same register is "
                "ai-act-register.csv in the signed bundle.</p>\n");
    static const char *const heads[] = {"Workload",  "Tier",      "Provider", "Intended purpose",
                                        "Oversight", "Logs (mo)", "FRIA",     "Persons informed",
                                        "Incident contact", "Gaps"};
    static const int widths[] = {12, 9, 9, 17, 10, 6, 9, 8, 10, 10};
    rh_table_head_w(c, NULL, heads, 10, widths);
    for (size_t i = 0; i < json_array_size(rows); i++)
        row(c, json_array_get(rows, i));
    rh_table_end(c);
    rh_close_section(c);
}
