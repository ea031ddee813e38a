/* report_html_review.c - the governance report's "Changes since the last
 * review" section (issue 19 item 3), from the model's since_review: per
 * workload and contract what changed since the latest leadership review,
 * in the same words as the front end's "Changes since review" page. */
#include <string.h>

#include "core/report_html_kit.h"

/* One change in plain words. */
static void change_words(rh_ctx *c, const json_t *ch)
{
    const char *kind = rh_str_of(ch, "kind");
    const char *from = rh_str_of(ch, "from"), *to = rh_str_of(ch, "to");
    buf *b = c->b;
    if (!kind)
        return;
    if (strcmp(kind, "new") == 0) {
        buf_puts(b, "New");
    } else if (strcmp(kind, "retired") == 0) {
        buf_puts(b, "Retired");
    } else if (strcmp(kind, "ended") == 0) {
        buf_puts(b, "Ended");
    } else if (strcmp(kind, "flagged") == 0 || strcmp(kind, "unflagged") == 0) {
        buf_puts(b, kind[0] == 'f' ? "Now flagged" : "No longer flagged");
    } else if (strcmp(kind, "factor") == 0) {
        buf_puts(b, "Factor ");
        rh_text(c, rh_str_of(ch, "code"));
        buf_puts(b, ": ");
        rh_put_int(c, rh_num_of(ch, "from"));
        buf_puts(b, " &#8594; ");
        rh_put_int(c, rh_num_of(ch, "to"));
        buf_puts(b, " points");
    } else if (strncmp(kind, "acceptance", 10) == 0) {
        buf_puts(b, kind[11] == 'g' ? "Risk accepted until " : "Risk acceptance ended (until ");
        rh_text(c, rh_str_of(ch, "expires_on"));
        if (kind[11] != 'g')
            buf_puts(b, ")");
    } else if (strcmp(kind, "drill") == 0) {
        buf_puts(b, "Exit drill ");
        rh_text(c, rh_str_of(ch, "result"));
        buf_puts(b, " on ");
        rh_text(c, rh_str_of(ch, "drilled_on"));
        if (rh_str_of(ch, "alternative")) {
            buf_puts(b, " (");
            rh_text(c, rh_str_of(ch, "alternative"));
            buf_puts(b, ")");
        }
    } else if (strcmp(kind, "ending") == 0) {
        const char *what = rh_str_of(ch, "what");
        buf_puts(b, what && strcmp(what, "end") == 0 ? "Ends on " : "Notice deadline on ");
        rh_text(c, rh_str_of(ch, "on"));
    } else {
        /* level, priority, renewed: from -> to */
        buf_puts(b, strcmp(kind, "level") == 0      ? "Lock-in level "
                    : strcmp(kind, "priority") == 0 ? "Priority "
                                                    : "Renewed: term end ");
        rh_text(c, from);
        buf_puts(b, " &#8594; ");
        rh_text(c, to);
    }
}

static void item_list(rh_ctx *c, const char *title, const json_t *items)
{
    buf *b = c->b;
    buf_puts(b, "<h3>");
    buf_puts(b, title);
    buf_puts(b, "</h3>\n");
    if (!json_array_size(items)) {
        buf_puts(b, "<p>None changed.</p>\n");
        return;
    }
    buf_puts(b, "<ul class=\"changes\">\n");
    size_t i;
    const json_t *it;
    json_array_foreach(items, i, it) {
        buf_puts(b, "<li><strong>");
        rh_text(c, rh_str_of(it, "name"));
        buf_puts(b, "</strong>: ");
        const json_t *chs = json_object_get(it, "changes");
        size_t k;
        const json_t *ch;
        json_array_foreach(chs, k, ch) {
            if (k)
                buf_puts(b, "; ");
            change_words(c, ch);
        }
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
}

void rh_review_changes(rh_ctx *c)
{
    const json_t *sr = json_object_get(c->model, "since_review");
    if (!json_is_object(sr))
        return; /* no review recorded yet: no section (nor a contents entry) */
    rh_open_section(c, "since-review", "Changes since the last review");
    const json_t *review = json_object_get(sr, "review");
    buf_puts(c->b, "<p>Since the review &#8220;");
    rh_text(c, rh_str_of(review, "name"));
    buf_puts(c->b, "&#8221; held on ");
    rh_text(c, rh_str_of(review, "held_on"));
    buf_puts(c->b, " (recorded ");
    rh_text(c, rh_str_of(sr, "since_instant"));
    buf_puts(c->b, "), as the audit trail shows it.</p>\n");
    item_list(c, "Workloads", json_object_get(sr, "workloads"));
    item_list(c, "Contracts", json_object_get(sr, "contracts"));
    rh_close_section(c);
}
