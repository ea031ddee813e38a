/* dora.c - the DORA register of information built from the portfolio
 * (see dora.h): which rows each template gets, which Switchyard field fills
 * which column, and the validation issues of every required cell left
 * empty. Closed-set values are written as the EBA taxonomy's codes (eba_GA:
 * countries, eba_CU: currencies, eba_TA:S01.. service types, eba_BT: yes/no,
 * eba_ZZ: scales, eba_qCO:qx2000 for an LEI), after the sources cited in
 * dora_templates.c. */
#include "core/dora.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "core/csv.h"

#define CODE_LEI "eba_qCO:qx2000"
#define YES "eba_BT:x28"
#define NO "eba_BT:x29"
#define NOT_ASSESSED "eba_BT:x21"

typedef struct builder {
    const portfolio *p;
    const dora_entity *e;
    arena *a;
    dora_register *r;
    int oom;
} builder;

static const char *dup(builder *b, const char *s)
{
    const char *d = arena_strdup(b->a, s ? s : "");
    if (!d)
        b->oom = 1;
    return d ? d : "";
}

static const char *fmt(builder *b, const char *f, const char *v)
{
    char text[256];
    snprintf(text, sizeof text, f, v);
    return dup(b, text);
}

static int empty(const char *s)
{
    return !s || !*s;
}

/* A new row of table t, every cell "". Its index, or -1. */
static long add_row(builder *b, int t)
{
    dora_table *tb = &b->r->tables[t];
    size_t cols = tb->t->n_columns;
    if (tb->n_rows == tb->cap) {
        size_t cap = tb->cap ? tb->cap * 2 : 16;
        const char **cells = arena_alloc(b->a, cap * cols * sizeof *cells);
        if (!cells) {
            b->oom = 1;
            return -1;
        }
        if (tb->n_rows)
            memcpy(cells, tb->cells, tb->n_rows * cols * sizeof *cells);
        tb->cells = cells;
        tb->cap = cap;
    }
    for (size_t c = 0; c < cols; c++)
        tb->cells[tb->n_rows * cols + c] = "";
    return (long)tb->n_rows++;
}

static int col_index(const dora_template *t, const char *code)
{
    for (size_t c = 0; c < t->n_columns; c++)
        if (strcmp(t->columns[c].code, code) == 0)
            return (int)c;
    return -1;
}

static void set(builder *b, int t, long row, const char *code, const char *value)
{
    dora_table *tb = &b->r->tables[t];
    int c = col_index(tb->t, code);
    if (row < 0 || c < 0)
        return;
    tb->cells[(size_t)row * tb->t->n_columns + (size_t)c] = value ? value : "";
}

static void issue(builder *b, int t, size_t row, const char *code, const char *kind,
                  const char *subject, const char *message)
{
    dora_register *r = b->r;
    if (r->n_issues == r->cap_issues) {
        size_t cap = r->cap_issues ? r->cap_issues * 2 : 64;
        dora_issue *n = arena_alloc(b->a, cap * sizeof *n);
        if (!n) {
            b->oom = 1;
            return;
        }
        if (r->n_issues)
            memcpy(n, r->issues, r->n_issues * sizeof *n);
        r->issues = n;
        r->cap_issues = cap;
    }
    const dora_template *tp = &DORA_TEMPLATES[t];
    int c = code ? col_index(tp, code) : -1;
    r->issues[r->n_issues++] = (dora_issue){tp->code, row, c >= 0 ? tp->columns[c].code : "",
                                            c >= 0 ? tp->columns[c].name : "", kind,
                                            dup(b, subject), message};
}

/* Records every empty required cell of the row whose columns are listed in
 * `missing` as kind "missing" (Switchyard's field left empty), those in
 * `unmodelled` as "not_modelled"; each list is space-separated codes. */
static void check_row(builder *b, int t, long row, const char *subject, const char *missing,
                      const char *unmodelled, const char *hint)
{
    const dora_table *tb = &b->r->tables[t];
    if (row < 0)
        return;
    const char *lists[2] = {missing, unmodelled};
    for (int k = 0; k < 2; k++) {
        for (const char *p = lists[k]; p && *p;) {
            char code[8];
            size_t n = strcspn(p, " ");
            if (n >= sizeof code)
                break;
            memcpy(code, p, n);
            code[n] = '\0';
            p += n + (p[n] == ' ');
            int c = col_index(tb->t, code);
            if (c >= 0 && !*tb->cells[(size_t)row * tb->t->n_columns + (size_t)c])
                issue(b, t, (size_t)row + 1, code, k ? "not_modelled" : "missing", subject,
                      k ? "Switchyard holds no such data yet." : hint);
        }
    }
}

/* ---- values ---------------------------------------------------------------- */

static const char *country(builder *b, const char *iso)
{
    return empty(iso) ? "" : fmt(b, "eba_GA:%s", iso);
}

static const char *currency(builder *b, const char *iso)
{
    return empty(iso) ? "" : fmt(b, "eba_CU:%s", iso);
}

/* Whole currency units, rounded half up (decimalsMonetary 0). */
static const char *units(builder *b, int64_t cents)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)((cents + 50) / 100));
    return dup(b, text);
}

static const char *number(builder *b, int64_t v)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)v);
    return dup(b, text);
}

static const char *service_type(builder *b, const contract *c)
{
    return empty(c->ict_service_type) ? "" : fmt(b, "eba_TA:%s", c->ict_service_type);
}

static const char *vendor_lei(const builder *b, int64_t id)
{
    const vendor *v = id ? pf_vendor(b->p, id) : NULL;
    return v && v->lei ? v->lei : "";
}

static const char *vendor_name(const builder *b, int64_t id)
{
    const vendor *v = id ? pf_vendor(b->p, id) : NULL;
    return v ? v->name : "";
}

static int in_scope(const contract *c)
{
    return strcmp(c->kind, "customer") == 0;
}

/* The contract's subject in the report: its reference, or its name. */
static const char *subject_of(builder *b, const contract *c)
{
    char text[300];
    snprintf(text, sizeof text, "contract %s", c->name);
    return dup(b, text);
}

/* ---- the entity (B_01.01, B_01.02) ---------------------------------------- */

static void entity_rows(builder *b)
{
    const dora_entity *e = b->e;
    const char *who = dup(b, e->name ? e->name : "the organisation");
    long r = add_row(b, DT_B0101);
    set(b, DT_B0101, r, "c0010", dup(b, e->lei));
    set(b, DT_B0101, r, "c0020", dup(b, e->name));
    set(b, DT_B0101, r, "c0030", country(b, e->country));
    set(b, DT_B0101, r, "c0040", dup(b, e->type));
    set(b, DT_B0101, r, "c0050", dup(b, e->authority));
    set(b, DT_B0101, r, "c0060", dup(b, b->r->ref_date));
    check_row(b, DT_B0101, r, who, "c0010 c0020 c0030 c0040 c0050", NULL,
              "Set it with `switchyard setting` (entity_lei, organisation, entity_country, "
              "entity_type, competent_authority).");

    r = add_row(b, DT_B0102);
    set(b, DT_B0102, r, "c0010", dup(b, e->lei));
    set(b, DT_B0102, r, "c0020", dup(b, e->name));
    set(b, DT_B0102, r, "c0030", country(b, e->country));
    set(b, DT_B0102, r, "c0040", dup(b, e->type));
    set(b, DT_B0102, r, "c0100", currency(b, e->currency));
    check_row(b, DT_B0102, r, who, "c0010 c0020 c0030 c0040", "c0050 c0070 c0080",
              "Set it with `switchyard setting`.");
}

/* ---- contracts (B_02.01, B_03.01, B_03.02, B_04.01) ----------------------- */

static void contract_rows(builder *b, const contract *c)
{
    const char *ref = dup(b, c->reference), *who = subject_of(b, c);
    const char *lei = dup(b, b->e->lei), *prov = vendor_lei(b, c->counterparty);
    const char *hint = "Fill it in on the contract (reference, ICT service type, governing "
                       "law, ...) or the vendor (LEI).";
    long r = add_row(b, DT_B0201);
    set(b, DT_B0201, r, "c0010", ref);
    set(b, DT_B0201, r, "c0020", "eba_CO:x1"); /* standalone: no overarching ones modelled */
    set(b, DT_B0201, r, "c0040", currency(b, c->currency));
    set(b, DT_B0201, r, "c0050", units(b, c->annual_value));
    check_row(b, DT_B0201, r, who, "c0010", NULL, hint);

    r = add_row(b, DT_B0301);
    set(b, DT_B0301, r, "c0010", ref);
    set(b, DT_B0301, r, "c0020", lei);
    set(b, DT_B0301, r, "c0030", "true");
    check_row(b, DT_B0301, r, who, "c0010 c0020", NULL, hint);

    r = add_row(b, DT_B0302);
    set(b, DT_B0302, r, "c0010", ref);
    set(b, DT_B0302, r, "c0020", prov);
    set(b, DT_B0302, r, "c0030", *prov ? CODE_LEI : "");
    check_row(b, DT_B0302, r, who, "c0010 c0020 c0030", NULL, hint);

    r = add_row(b, DT_B0401);
    set(b, DT_B0401, r, "c0010", ref);
    set(b, DT_B0401, r, "c0020", lei);
    set(b, DT_B0401, r, "c0030", "eba_ZZ:x839"); /* not a branch: no branches modelled */
    check_row(b, DT_B0401, r, who, "c0010 c0020", NULL, hint);
}

/* Active workloads that depend on an offering the contract covers. */
static int uses(const contract *c, const workload *w)
{
    if (!workload_active(w))
        return 0;
    for (size_t d = 0; d < w->n_dependencies; d++)
        if (contract_covers(c, w->dependencies[d].offering))
            return 1;
    return 0;
}

static void specific_row(builder *b, const contract *c, const workload *w)
{
    const char *who = subject_of(b, c);
    const char *prov = vendor_lei(b, c->counterparty);
    long r = add_row(b, DT_B0202);
    set(b, DT_B0202, r, "c0010", dup(b, c->reference));
    set(b, DT_B0202, r, "c0020", dup(b, b->e->lei));
    set(b, DT_B0202, r, "c0030", dup(b, prov));
    set(b, DT_B0202, r, "c0040", *prov ? CODE_LEI : "");
    set(b, DT_B0202, r, "c0050", w ? dup(b, w->function_id) : "");
    set(b, DT_B0202, r, "c0060", service_type(b, c));
    set(b, DT_B0202, r, "c0070", dup(b, c->start_date));
    set(b, DT_B0202, r, "c0080", dup(b, c->end_date));
    set(b, DT_B0202, r, "c0100", number(b, c->notice_days));
    set(b, DT_B0202, r, "c0120", country(b, c->governing_law));
    check_row(b, DT_B0202, r, who, "c0010 c0020 c0030 c0040 c0060 c0070 c0080", NULL,
              "Fill it in on the contract or the vendor (LEI), or in the settings.");
    if (!w || empty(w->function_id))
        issue(b, DT_B0202, (size_t)r + 1, "c0050", "missing", who,
              w ? "The workload it serves names no function (function_id)."
                : "No active workload depends on what it covers, so no function is known.");
    if (w && w->function_critical && strcmp(w->function_critical, "yes") == 0) {
        check_row(b, DT_B0202, r, who, "c0100 c0120", "c0110 c0130 c0140",
                  "Required where the service supports a critical or important function: "
                  "fill it in on the contract.");
    }
}

/* B_02.02: one row per contract and function it serves (the first workload
 * of each function carries it); when no workload using it names a
 * function, one row whose function is missing. */
static void specific_rows(builder *b, const contract *c)
{
    const portfolio *p = b->p;
    const workload *first = NULL;
    size_t n = 0;
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!uses(c, w))
            continue;
        if (!first)
            first = w;
        if (empty(w->function_id))
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = uses(c, &p->workloads[j]) &&
                   strcmp(p->workloads[j].function_id, w->function_id) == 0;
        if (!seen) {
            specific_row(b, c, w);
            n++;
        }
    }
    if (n == 0)
        specific_row(b, c, first);
}

/* ---- providers and the supply chain (B_05.01, B_05.02) -------------------- */

/* The vendors in the register: the counterparty of each contract in scope,
 * and each subcontractor found in a chain, once each, in vendor order. */
typedef struct provider_set {
    unsigned char *direct, *sub;   /* per vendor index */
} provider_set;

static size_t vendor_index(const portfolio *p, int64_t id)
{
    const vendor *v = pf_vendor(p, id);
    return v ? (size_t)(v - p->vendors) : (size_t)-1;
}

/* The chain of one covered offering: its publisher and host, where another
 * group than the direct provider's, are subcontractors of rank 2 (an OpenAI
 * model served by Microsoft or Amazon: OpenAI under them). */
static void chain_rows(builder *b, const contract *c, provider_set *ps, int64_t *seen,
                       size_t *n_seen)
{
    const portfolio *p = b->p;
    const char *who = subject_of(b, c), *direct = vendor_lei(b, c->counterparty);
    long r = add_row(b, DT_B0502);
    set(b, DT_B0502, r, "c0010", dup(b, c->reference));
    set(b, DT_B0502, r, "c0020", service_type(b, c));
    set(b, DT_B0502, r, "c0030", dup(b, direct));
    set(b, DT_B0502, r, "c0040", *direct ? CODE_LEI : "");
    set(b, DT_B0502, r, "c0050", "1");
    check_row(b, DT_B0502, r, who, "c0010 c0020 c0030 c0040", NULL,
              "Fill it in on the contract or on its counterparty (LEI).");
    int64_t group = pf_group(p, c->counterparty);
    for (size_t k = 0; k < c->n_offerings; k++) {
        const offering *o = pf_offering(p, c->offerings[k]);
        int64_t under[2] = {o ? o->publisher : 0, o ? o->host : 0};
        for (int u = 0; u < 2; u++) {
            if (!under[u] || pf_group(p, under[u]) == group)
                continue;
            int dupl = 0;
            for (size_t s = 0; s < *n_seen && !dupl; s++)
                dupl = seen[s] == under[u];
            if (dupl)
                continue;
            seen[(*n_seen)++] = under[u];
            size_t vi = vendor_index(p, under[u]);
            if (vi != (size_t)-1)
                ps->sub[vi] = 1;
            const char *code = vendor_lei(b, under[u]);
            char subject[300];
            snprintf(subject, sizeof subject, "%s under %s (%s)", vendor_name(b, under[u]),
                     vendor_name(b, c->counterparty), c->name);
            r = add_row(b, DT_B0502);
            set(b, DT_B0502, r, "c0010", dup(b, c->reference));
            set(b, DT_B0502, r, "c0020", service_type(b, c));
            set(b, DT_B0502, r, "c0030", dup(b, code));
            set(b, DT_B0502, r, "c0040", *code ? CODE_LEI : "");
            set(b, DT_B0502, r, "c0050", "2");
            set(b, DT_B0502, r, "c0060", dup(b, direct));
            set(b, DT_B0502, r, "c0070", *direct ? CODE_LEI : "");
            check_row(b, DT_B0502, r, subject, "c0010 c0020 c0030 c0040 c0060 c0070", NULL,
                      "Fill in the vendors' LEIs, or the contract's fields.");
        }
    }
}

/* Sum of the annual values of the vendor's contracts in scope, when they
 * share one currency; -1 when there are none or the currencies differ. */
static int64_t annual_total(const portfolio *p, int64_t vendor_id, const char **cur)
{
    int64_t total = -1;
    *cur = NULL;
    for (size_t i = 0; i < p->n_contracts; i++) {
        const contract *c = &p->contracts[i];
        if (!in_scope(c) || c->counterparty != vendor_id)
            continue;
        if (*cur && strcmp(*cur, c->currency) != 0)
            return -1;
        *cur = c->currency;
        total = (total < 0 ? 0 : total) + c->annual_value;
    }
    return total;
}

static void provider_row(builder *b, const vendor *v, int direct)
{
    const portfolio *p = b->p;
    long r = add_row(b, DT_B0501);
    const char *lei = dup(b, v->lei);
    set(b, DT_B0501, r, "c0010", lei);
    set(b, DT_B0501, r, "c0020", *lei ? CODE_LEI : "");
    set(b, DT_B0501, r, "c0050", dup(b, v->name));
    set(b, DT_B0501, r, "c0070", "eba_CT:x212"); /* a legal person: vendors are companies */
    set(b, DT_B0501, r, "c0080", country(b, v->country));
    const char *cur;
    int64_t total = direct ? annual_total(p, v->id, &cur) : -1;
    if (total >= 0) {
        set(b, DT_B0501, r, "c0090", currency(b, cur));
        set(b, DT_B0501, r, "c0100", units(b, total));
    }
    const vendor *top = pf_vendor(p, pf_group(p, v->id));
    const char *parent = dup(b, top ? top->lei : "");
    set(b, DT_B0501, r, "c0110", parent);
    set(b, DT_B0501, r, "c0120", *parent ? CODE_LEI : "");
    char subject[200];
    snprintf(subject, sizeof subject, "vendor %s", v->name);
    check_row(b, DT_B0501, r, subject, "c0010 c0020 c0050 c0070 c0080 c0110", NULL,
              "Fill in the vendor's LEI and country (or its group's top vendor's LEI).");
    if (direct && total < 0)
        issue(b, DT_B0501, (size_t)r + 1, "c0100", "missing", subject,
              "Its contracts are in more than one currency; no total is given.");
}

static void provider_rows(builder *b, const provider_set *ps)
{
    const portfolio *p = b->p;
    for (size_t i = 0; i < p->n_vendors; i++)
        if (ps->direct[i] || ps->sub[i])
            provider_row(b, &p->vendors[i], ps->direct[i]);
}

/* ---- functions (B_06.01) --------------------------------------------------- */

static const char *critical_code(const char *v)
{
    if (!v)
        return "";
    return strcmp(v, "yes") == 0 ? YES : strcmp(v, "no") == 0 ? NO : NOT_ASSESSED;
}

/* One row per function identifier of the active workloads, in the order
 * first met; a function served by several workloads takes the first
 * non-empty name and criticality and the strictest RTO and RPO. Active
 * workloads that name no function are reported. */
static void function_rows(builder *b)
{
    const portfolio *p = b->p;
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!workload_active(w))
            continue;
        char subject[220];
        snprintf(subject, sizeof subject, "workload %s", w->name);
        if (empty(w->function_id)) {
            issue(b, DT_B0601, 0, "c0010", "missing", subject,
                  "An active workload that names no function (function_id): the function "
                  "it supports is not in the register.");
            continue;
        }
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = workload_active(&p->workloads[j]) &&
                   strcmp(p->workloads[j].function_id, w->function_id) == 0;
        if (seen)
            continue;
        const char *name = w->function_name, *crit = w->function_critical;
        int64_t rto = w->rto_hours, rpo = w->rpo_hours;
        for (size_t j = i + 1; j < p->n_workloads; j++) {
            const workload *x = &p->workloads[j];
            if (!workload_active(x) || strcmp(x->function_id, w->function_id) != 0)
                continue;
            if (empty(name))
                name = x->function_name;
            if (!crit || (x->function_critical && strcmp(x->function_critical, "yes") == 0))
                crit = x->function_critical ? x->function_critical : crit;
            if (x->rto_hours >= 0 && (rto < 0 || x->rto_hours < rto))
                rto = x->rto_hours;
            if (x->rpo_hours >= 0 && (rpo < 0 || x->rpo_hours < rpo))
                rpo = x->rpo_hours;
        }
        long r = add_row(b, DT_B0601);
        set(b, DT_B0601, r, "c0010", dup(b, w->function_id));
        set(b, DT_B0601, r, "c0030", dup(b, name));
        set(b, DT_B0601, r, "c0040", dup(b, b->e->lei));
        set(b, DT_B0601, r, "c0050", critical_code(crit));
        set(b, DT_B0601, r, "c0080", rto >= 0 ? number(b, rto) : "");
        set(b, DT_B0601, r, "c0090", rpo >= 0 ? number(b, rpo) : "");
        snprintf(subject, sizeof subject, "function %s", w->function_id);
        check_row(b, DT_B0601, r, subject, "c0010 c0030 c0040 c0050 c0080 c0090",
                  "c0020 c0070 c0100",
                  "Fill it in on the workloads that support the function (function name, "
                  "critical or important, RTO and RPO hours), or in the settings (LEI).");
    }
}

/* ---- assessment (B_07.01) -------------------------------------------------- */

static const char *substitutability_code(const char *s)
{
    static const char *const codes[][2] = {{"easy", "eba_ZZ:x962"}, {"medium", "eba_ZZ:x961"},
                                           {"hard", "eba_ZZ:x960"}, {"none", "eba_ZZ:x959"}};
    for (size_t i = 0; s && i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(s, codes[i][0]) == 0)
            return codes[i][1];
    return "";
}

static const char *code_of(const char *v, const char *const *table, const char *const *codes)
{
    for (size_t i = 0; v && table[i]; i++)
        if (strcmp(v, table[i]) == 0)
            return codes[i];
    return "";
}

/* c0110 and c0120: the named alternatives of the active workloads' covered
 * dependencies (workload alternatives), by their providers' names. */
static void alternatives(builder *b, const contract *c, long r)
{
    const portfolio *p = b->p;
    buf names;
    buf_init(&names);
    int any_use = 0, any_alt = 0;
    for (size_t i = 0; i < p->n_workloads; i++) {
        const workload *w = &p->workloads[i];
        if (!uses(c, w))
            continue;
        any_use = 1;
        for (size_t k = 0; k < w->n_alternatives; k++) {
            if (!contract_covers(c, w->alternatives[k].dependency))
                continue;
            const offering *o = pf_offering(p, w->alternatives[k].offering);
            const char *name = o ? vendor_name(b, o->provider) : "";
            any_alt = 1;
            if (!*name || (names.data && strstr(names.data, name)))
                continue;
            buf_printf(&names, "%s%s", names.len ? "; " : "", name);
        }
    }
    set(b, DT_B0701, r, "c0110", any_alt ? YES : any_use ? NO : NOT_ASSESSED);
    set(b, DT_B0701, r, "c0120", names.len ? dup(b, names.data) : "");
    if (buf_failed(&names))
        b->oom = 1;
    buf_free(&names);
}

static void assessment_row(builder *b, const contract *c)
{
    static const char *const reasons[] = {"eba_ZZ:x963", "eba_ZZ:x964", "eba_ZZ:x965"};
    static const char *const reint[] = {"eba_ZZ:x798", "eba_ZZ:x966", "eba_ZZ:x967"};
    static const char *const impact[] = {"eba_ZZ:x791", "eba_ZZ:x792", "eba_ZZ:x793"};
    const char *who = subject_of(b, c), *prov = vendor_lei(b, c->counterparty);
    long r = add_row(b, DT_B0701);
    set(b, DT_B0701, r, "c0010", dup(b, c->reference));
    set(b, DT_B0701, r, "c0020", dup(b, prov));
    set(b, DT_B0701, r, "c0030", *prov ? CODE_LEI : "");
    set(b, DT_B0701, r, "c0040", service_type(b, c));
    set(b, DT_B0701, r, "c0050", substitutability_code(c->substitutability));
    set(b, DT_B0701, r, "c0060", code_of(c->substitution_reason, SUBSTITUTION_REASONS, reasons));
    set(b, DT_B0701, r, "c0080", empty(c->exit_plan) ? NO : YES);
    set(b, DT_B0701, r, "c0090", code_of(c->reintegration, REINTEGRATION, reint));
    set(b, DT_B0701, r, "c0100", code_of(c->discontinuing_impact, DORA_IMPACTS, impact));
    alternatives(b, c, r);
    const char *hint = "Fill it in on the contract (or the vendor's LEI).";
    check_row(b, DT_B0701, r, who, "c0010 c0020 c0030 c0040 c0050 c0090 c0100", "c0070", hint);
    if (c->substitutability &&
        (strcmp(c->substitutability, "hard") == 0 || strcmp(c->substitutability, "none") == 0))
        check_row(b, DT_B0701, r, who, "c0060", NULL,
                  "Required when substitutability is hard or none: say why "
                  "(substitution_reason).");
}

/* ---- the register ----------------------------------------------------------- */

int dora_build(const portfolio *p, const dora_entity *e, arena *a, dora_register *out)
{
    memset(out, 0, sizeof *out);
    for (int t = 0; t < DORA_TEMPLATES_N; t++)
        out->tables[t].t = &DORA_TEMPLATES[t];
    date_format(p->today, out->ref_date);
    builder b = {p, e, a, out, 0};
    provider_set ps = {arena_alloc(a, p->n_vendors + 1), arena_alloc(a, p->n_vendors + 1)};
    if (!ps.direct || !ps.sub)
        return -1;
    entity_rows(&b);
    for (size_t i = 0; i < p->n_contracts; i++) {
        const contract *c = &p->contracts[i];
        if (!in_scope(c))
            continue;
        size_t vi = vendor_index(p, c->counterparty);
        if (vi != (size_t)-1)
            ps.direct[vi] = 1;
        contract_rows(&b, c);
        specific_rows(&b, c);
        int64_t *seen = arena_alloc(a, (2 * c->n_offerings + 1) * sizeof *seen);
        size_t n_seen = 0;
        if (!seen)
            return -1;
        chain_rows(&b, c, &ps, seen, &n_seen);
        assessment_row(&b, c);
    }
    provider_rows(&b, &ps);
    function_rows(&b);
    return b.oom ? -1 : 0;
}

/* ---- output ------------------------------------------------------------------ */

void dora_csv(const dora_table *t, buf *out)
{
    size_t cols = t->t->n_columns;
    for (size_t c = 0; c < cols; c++)
        csv_field(out, t->t->columns[c].code, c == 0);
    csv_end(out);
    for (size_t r = 0; r < t->n_rows; r++)
        csv_record(out, t->cells + r * cols, cols);
}

void dora_issues_json(jw *w, const dora_register *r)
{
    jw_obj(w);
    jw_kstr(w, "reference_date", r->ref_date);
    jw_kbool(w, "complete", r->n_issues == 0);
    jw_kint(w, "total", (int64_t)r->n_issues);
    jw_key(w, "templates");
    jw_arr(w);
    for (int t = 0; t < DORA_TEMPLATES_N; t++) {
        int64_t n = 0;
        for (size_t i = 0; i < r->n_issues; i++)
            n += strcmp(r->issues[i].template_code, DORA_TEMPLATES[t].code) == 0;
        jw_obj(w);
        jw_kstr(w, "template", DORA_TEMPLATES[t].code);
        jw_kstr(w, "name", DORA_TEMPLATES[t].name);
        jw_kint(w, "rows", (int64_t)r->tables[t].n_rows);
        jw_kint(w, "issues", n);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "issues");
    jw_arr(w);
    for (size_t i = 0; i < r->n_issues; i++) {
        const dora_issue *x = &r->issues[i];
        jw_obj(w);
        jw_kstr(w, "template", x->template_code);
        jw_kint(w, "row", (int64_t)x->row);
        jw_kstr(w, "column", x->column);
        jw_kstr(w, "column_name", x->column_name);
        jw_kstr(w, "kind", x->kind);
        jw_kstr(w, "subject", x->subject);
        jw_kstr(w, "message", x->message);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

void dora_issues_csv(const dora_register *r, buf *out)
{
    static const char *const head[] = {"template", "row", "column", "column_name",
                                       "kind", "subject", "message"};
    csv_record(out, head, 7);
    for (size_t i = 0; i < r->n_issues; i++) {
        const dora_issue *x = &r->issues[i];
        char row[24];
        snprintf(row, sizeof row, "%zu", x->row);
        const char *f[] = {x->template_code, row, x->column, x->column_name, x->kind,
                           x->subject, x->message};
        csv_record(out, f, 7);
    }
}
