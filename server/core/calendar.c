/* calendar.c - the portfolio's deadlines as iCalendar events; see
 * calendar.h. */
#include "core/calendar.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "core/overview.h"

typedef struct collector {
    const portfolio *p;
    const char *track;
    arena *a;
    cal_event *items;
    size_t n, cap;
    int failed;
    buf names;                 /* scratch: the workloads of one event */
    unsigned char *bound;      /* bit (contract index x n_workloads + workload
                                  index): the active workload is bound by it */
} collector;

static char *fmt(arena *a, const char *f, ...) __attribute__((format(printf, 2, 3)));
static char *fmt(arena *a, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int len = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    if (len < 0)
        return NULL;
    char *out = arena_alloc(a, (size_t)len + 1);
    if (!out)
        return NULL;
    va_start(ap, f);
    vsnprintf(out, (size_t)len + 1, f, ap);
    va_end(ap);
    return out;
}

static int uses_offering(const workload *w, int64_t offering_id)
{
    for (size_t i = 0; i < w->n_dependencies; i++)
        if (w->dependencies[i].offering == offering_id)
            return 1;
    return 0;
}

/* Which active workloads each contract binds, once per feed (a bit per
 * contract and workload), so that an event asks in constant time. */
static int index_bindings(collector *c)
{
    const portfolio *p = c->p;
    size_t bits = p->n_contracts * p->n_workloads;
    c->bound = arena_alloc(c->a, bits / 8 + 1);
    size_t *idx = malloc((p->n_contracts + 1) * sizeof *idx);
    if (!c->bound || !idx) {
        free(idx);
        return -1;
    }
    for (size_t i = 0; i < p->n_workloads; i++) {
        if (!workload_active(&p->workloads[i]))
            continue;
        size_t k = pf_workload_contracts(p, &p->workloads[i], idx, p->n_contracts + 1);
        for (size_t j = 0; j < k; j++) {
            size_t bit = idx[j] * p->n_workloads + i;
            c->bound[bit / 8] |= (unsigned char)(1u << (bit % 8));
        }
    }
    free(idx);
    return 0;
}

/* Whether workload wi is concerned by an event (key: a contract index, an
 * offering ID or a workload ID). */
typedef int (*concerns)(const collector *c, size_t wi, int64_t key);

static int concerns_contract(const collector *c, size_t wi, int64_t key)
{
    size_t bit = (size_t)key * c->p->n_workloads + wi;
    return (c->bound[bit / 8] >> (bit % 8)) & 1;
}

static int concerns_offering(const collector *c, size_t wi, int64_t key)
{
    return uses_offering(&c->p->workloads[wi], key);
}

static int concerns_workload(const collector *c, size_t wi, int64_t key)
{
    return c->p->workloads[wi].id == key;
}

/* Starts c->names with the active workloads `match` selects; returns how
 * many there are, and whether one is of the track in *in_track. */
static int gather(collector *c, concerns match, int64_t key, int *in_track)
{
    int count = 0;
    *in_track = 0;
    buf_reset(&c->names);
    for (size_t i = 0; i < c->p->n_workloads; i++) {
        const workload *w = &c->p->workloads[i];
        if (!workload_active(w) || !match(c, i, key))
            continue;
        buf_puts(&c->names, count ? ", " : "Workloads concerned: ");
        buf_puts(&c->names, w->name);
        if (!c->track || strcmp(w->track, c->track) == 0)
            *in_track = 1;
        count++;
    }
    if (!count)
        buf_puts(&c->names, "No active workload is concerned.");
    return count;
}

static void add(collector *c, const char *kind, const char *uid, int64_t day,
                const char *summary, const char *detail, const char *path, concerns match,
                int64_t key)
{
    int in_track;
    gather(c, match, key, &in_track);
    if (c->failed || (c->track && !in_track))
        return;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 32;
        cal_event *grown = arena_alloc(c->a, ncap * sizeof *grown);
        if (!grown) {
            c->failed = 1;
            return;
        }
        if (c->n)
            memcpy(grown, c->items, c->n * sizeof *grown);
        c->items = grown;
        c->cap = ncap;
    }
    cal_event *e = &c->items[c->n];
    e->kind = kind;
    e->uid = uid;
    e->day = day;
    e->summary = summary;
    e->description = fmt(c->a, "%s\n%s", detail, c->names.data ? c->names.data : "");
    e->path = path;
    if (!uid || !summary || !e->description || !path || buf_failed(&c->names))
        c->failed = 1;
    else
        c->n++;
}

static void add_date(collector *c, const char *kind, const char *date, const contract *k,
                     size_t index, const char *what)
{
    int64_t day;
    if (!date || date_parse(date, &day) != 0)
        return;
    add(c, kind, fmt(c->a, "%s-contract-%lld-%s@switchyard", kind, (long long)k->id, date),
        day, fmt(c->a, "%s: %s", what, k->name), fmt(c->a, "%s of the contract %s.", what, k->name),
        fmt(c->a, "#/contracts/%lld", (long long)k->id), concerns_contract, (int64_t)index);
}

static void contract_events(collector *c)
{
    const portfolio *p = c->p;
    for (size_t i = 0; i < p->n_contracts; i++) {
        const contract *k = &p->contracts[i];
        if (!contract_active(k, p->today))
            continue;
        char day[11];
        if (strcmp(k->kind, "customer") == 0) {
            int64_t deadline = contract_notice_deadline(k, p->today);
            if (deadline >= 0) {
                date_format(deadline, day);
                add_date(c, "notice", day, k, i, "Notice deadline");
            }
            int64_t end = contract_current_end(k, p->today);
            if (end >= 0) {
                date_format(end, day);
                add_date(c, "end", day, k, i, k->auto_renew ? "Renews" : "Contract ends");
            }
        }
        add_date(c, "committed", k->committed_until, k, i, "Commitment ends");
        add_date(c, "exclusive", k->exclusive_until, k, i, "Exclusivity ends");
        for (size_t t = 0; t < k->n_terms; t++) {
            const contract_term *term = &k->terms[t];
            int64_t until;
            if (!term->until || date_parse(term->until, &until) != 0)
                continue;
            add(c, "term",
                fmt(c->a, "term-contract-%lld-%zu-%s@switchyard", (long long)k->id, t,
                    term->until),
                until, fmt(c->a, "Upstream term ends: %s (%s)", k->name, term->kind),
                fmt(c->a, "The %s term of %s ends: %s", term->kind, k->name,
                    term->text ? term->text : ""),
                fmt(c->a, "#/contracts/%lld", (long long)k->id), concerns_contract, (int64_t)i);
        }
    }
}

static void offering_events(collector *c)
{
    const portfolio *p = c->p;
    for (size_t i = 0; i < p->n_offerings; i++) {
        const offering *o = &p->offerings[i];
        int64_t day;
        if (!o->retires || date_parse(o->retires, &day) != 0)
            continue;
        int used = 0;
        for (size_t k = 0; k < p->n_workloads && !used; k++)
            used = workload_active(&p->workloads[k]) && uses_offering(&p->workloads[k], o->id);
        if (!used)
            continue;
        const offering *succ = o->successor ? pf_offering(p, o->successor) : NULL;
        add(c, "retires", fmt(c->a, "retires-offering-%lld-%s@switchyard", (long long)o->id,
                              o->retires),
            day, fmt(c->a, "Model retires: %s", o->name),
            succ ? fmt(c->a, "%s retires; its successor is %s.", o->name, succ->name)
                 : fmt(c->a, "%s retires; no successor is named.", o->name),
            fmt(c->a, "#/offerings/%lld", (long long)o->id), concerns_offering, o->id);
    }
}

static void governance_events(collector *c)
{
    const portfolio *p = c->p;
    for (size_t i = 0; i < p->n_acceptances; i++) {
        const risk_acceptance *r = &p->acceptances[i];
        const workload *w = pf_workload(p, r->workload);
        int64_t day;
        if (!w || !workload_active(w) || !acceptance_in_force(r, p->today) ||
            date_parse(r->expires_on, &day) != 0)
            continue;
        add(c, "acceptance", fmt(c->a, "acceptance-%lld-%s@switchyard", (long long)r->id,
                                 r->expires_on),
            day, fmt(c->a, "Risk acceptance expires: %s", w->name),
            fmt(c->a, "The acceptance by %s (%s) covers its last day.", r->owner, r->reason),
            fmt(c->a, "#/workloads/%lld", (long long)w->id), concerns_workload, w->id);
    }
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!workload_active(w))
            continue;
        for (size_t k = 0; k < w->n_alternatives; k++) {
            const alternative *alt = &w->alternatives[k];
            const exit_drill *d = pf_last_drill(p, w->id, alt->dependency, alt->offering);
            int64_t on;
            if (!d || strcmp(d->result, "passed") != 0 || date_parse(d->drilled_on, &on) != 0)
                continue;
            const offering *o = pf_offering(p, alt->offering);
            const offering *from = pf_offering(p, alt->dependency);
            char due[11];
            date_format(on + DRILL_VALID_DAYS, due);
            add(c, "drill", fmt(c->a, "drill-%lld-%lld-%lld-%s@switchyard", (long long)w->id,
                                (long long)alt->dependency, (long long)alt->offering, due),
                on + DRILL_VALID_DAYS,
                fmt(c->a, "Exit drill due: %s", w->name),
                fmt(c->a, "The drill of %s replacing %s passed on %s and proves it until "
                          "%s.", o ? o->name : "?", from ? from->name : "?", d->drilled_on, due),
                fmt(c->a, "#/workloads/%lld", (long long)w->id), concerns_workload, w->id);
        }
    }
}

static int by_day(const void *x, const void *y)
{
    const cal_event *a = x, *b = y;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return strcmp(a->uid, b->uid);
}

int calendar_events(const portfolio *p, const char *track, arena *a, cal_event **out,
                    size_t *n)
{
    collector c = {.p = p, .track = track, .a = a};
    if (index_bindings(&c) != 0)
        return -1;
    buf_init(&c.names);
    contract_events(&c);
    offering_events(&c);
    governance_events(&c);
    buf_free(&c.names);
    if (c.failed)
        return -1;
    if (c.n)
        qsort(c.items, c.n, sizeof *c.items, by_day);
    *out = c.items;
    *n = c.n;
    return 0;
}

void ical_escape(buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\\' || *s == ';' || *s == ',') {
            buf_putc(b, '\\');
            buf_putc(b, *s);
        } else if (*s == '\n') {
            buf_puts(b, "\\n");
        } else if (*s != '\r') {
            buf_putc(b, *s);
        }
    }
}

void ical_line(buf *b, const char *line, size_t len)
{
    size_t col = 0;
    for (size_t i = 0; i < len;) {
        /* The whole UTF-8 sequence starting here. */
        size_t seq = 1;
        while (i + seq < len && ((unsigned char)line[i + seq] & 0xC0) == 0x80)
            seq++;
        if (col + seq > 75) {
            buf_puts(b, "\r\n ");
            col = 1;
        }
        buf_append(b, line + i, seq);
        col += seq;
        i += seq;
    }
    buf_puts(b, "\r\n");
}

/* One property: NAME[;params]:value, the value escaped when text. */
static void prop(buf *b, buf *scratch, const char *name, const char *value, int text)
{
    buf_reset(scratch);
    buf_puts(scratch, name);
    buf_putc(scratch, ':');
    if (text)
        ical_escape(scratch, value);
    else
        buf_puts(scratch, value);
    if (!buf_failed(scratch))
        ical_line(b, scratch->data, scratch->len);
}

void calendar_write(buf *b, const cal_event *ev, size_t n, const char *name,
                    const char *dtstamp, const char *base_url)
{
    buf s;
    buf_init(&s);
    buf_puts(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                "PRODID:-//Switchyard//Portfolio deadlines//EN\r\nCALSCALE:GREGORIAN\r\n"
                "METHOD:PUBLISH\r\n");
    prop(b, &s, "X-WR-CALNAME", name, 1);
    for (size_t i = 0; i < n; i++) {
        const cal_event *e = &ev[i];
        char day[11], start[9], next[9];
        date_format(e->day, day);
        snprintf(start, sizeof start, "%.4s%.2s%.2s", day, day + 5, day + 8);
        date_format(e->day + 1, day);
        snprintf(next, sizeof next, "%.4s%.2s%.2s", day, day + 5, day + 8);
        buf_puts(b, "BEGIN:VEVENT\r\n");
        prop(b, &s, "UID", e->uid, 1);
        prop(b, &s, "DTSTAMP", dtstamp, 0);
        prop(b, &s, "DTSTART;VALUE=DATE", start, 0);
        prop(b, &s, "DTEND;VALUE=DATE", next, 0);
        prop(b, &s, "SUMMARY", e->summary, 1);
        prop(b, &s, "DESCRIPTION", e->description, 1);
        prop(b, &s, "CATEGORIES", e->kind, 1);
        buf_reset(&s);
        buf_puts(&s, "URL:");
        buf_puts(&s, base_url);
        buf_puts(&s, "/");
        buf_puts(&s, e->path);
        ical_line(b, s.data, s.len);
        prop(b, &s, "TRANSP", "TRANSPARENT", 0);
        buf_puts(b, "END:VEVENT\r\n");
    }
    buf_puts(b, "END:VCALENDAR\r\n");
    buf_free(&s);
}
