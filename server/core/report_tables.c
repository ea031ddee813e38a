/* report_tables.c - the report's tables from its model; see report_tables.h. */
#include "core/report_tables.h"

#include <inttypes.h>
#include <pthread.h>
#include <string.h>

#include "common/jw.h"
#include "core/csv.h"
#include "core/entity.h"

#define C(h, l, p, k, i, w, pct) {h, l, p, k, i, w, pct}
#define N(a) (sizeof a / sizeof a[0])

/* The HTML appendices: a chosen few columns per entity, with their widths.
 * The CSV files carry every field, derived from the descriptors below. */
static const report_col WORKLOAD_HTML[] = {
    C(NULL, "ID", "id", RC_INT, NULL, RC_HTML, 5),
    C(NULL, "Workload", "name", RC_TEXT, NULL, RC_HTML, 13),
    C(NULL, "Track", "track", RC_TEXT, NULL, RC_HTML, 7),
    C(NULL, "Status", "status", RC_TEXT, NULL, RC_HTML, 9),
    C(NULL, "Criticality", "criticality", RC_TEXT, NULL, RC_HTML, 9),
    C(NULL, "Monthly spend", "monthly_spend", RC_MONEY, NULL, RC_HTML, 9),
    C(NULL, "Dependencies", "dependencies", RC_LIST, "{offering_name} ({role})", RC_HTML, 14),
    C(NULL, "Score", "risk/score", RC_INT, NULL, RC_HTML, 6),
    C(NULL, "Level", "risk/level", RC_TEXT, NULL, RC_HTML, 7),
    C(NULL, "Priority", "risk/priority", RC_TEXT, NULL, RC_HTML, 7),
    C(NULL, "Flagged", "risk/flagged", RC_BOOL, NULL, RC_HTML, 7),
    C(NULL, "Factors (points)", "risk/factors", RC_LIST, "{code} ({points})", RC_HTML, 7),
};

static const report_col CONTRACT_HTML[] = {
    C(NULL, "ID", "id", RC_INT, NULL, RC_HTML, 5),
    C(NULL, "Contract", "name", RC_TEXT, NULL, RC_HTML, 19),
    C(NULL, "Kind", "kind", RC_TEXT, NULL, RC_HTML, 9),
    C(NULL, "Counterparty", "counterparty_name", RC_TEXT, NULL, RC_HTML, 11),
    C(NULL, "Start", "start_date", RC_DATE, NULL, RC_HTML, 10),
    C(NULL, "End", "end_date", RC_DATE, NULL, RC_HTML, 10),
    C(NULL, "Notice deadline", "current_notice_deadline", RC_DATE, NULL, RC_HTML, 10),
    C(NULL, "Auto-renew", "auto_renew", RC_BOOL, NULL, RC_HTML, 8),
    C(NULL, "Annual value", "annual_value", RC_MONEY, NULL, RC_HTML, 12),
    C(NULL, "Cur.", "currency", RC_TEXT, NULL, RC_HTML, 6),
};

static const report_col OFFERING_HTML[] = {
    C(NULL, "ID", "id", RC_INT, NULL, RC_HTML, 5),
    C(NULL, "Offering", "name", RC_TEXT, NULL, RC_HTML, 21),
    C(NULL, "Provider", "provider_name", RC_TEXT, NULL, RC_HTML, 11),
    C(NULL, "Publisher", "publisher_name", RC_TEXT, NULL, RC_HTML, 11),
    C(NULL, "Host", "host_name", RC_TEXT, NULL, RC_HTML, 11),
    C(NULL, "Track", "track", RC_TEXT, NULL, RC_HTML, 7),
    C(NULL, "Category", "category", RC_TEXT, NULL, RC_HTML, 10),
    C(NULL, "Interface", "interface", RC_TEXT, NULL, RC_HTML, 10),
    C(NULL, "Open weight", "open_weight", RC_BOOL, NULL, RC_HTML, 6),
    C(NULL, "As of", "as_of", RC_DATE, NULL, RC_HTML, 8),
};

static const report_col VENDOR_HTML[] = {
    C(NULL, "ID", "id", RC_INT, NULL, RC_HTML, 5),
    C(NULL, "Vendor", "name", RC_TEXT, NULL, RC_HTML, 15),
    C(NULL, "Parent", "parent_name", RC_TEXT, NULL, RC_HTML, 12),
    C(NULL, "Group", "group/name", RC_TEXT, NULL, RC_HTML, 12),
    C(NULL, "Website", "website", RC_TEXT, NULL, RC_HTML, 17),
    C(NULL, "Country", "country", RC_TEXT, NULL, RC_HTML, 7),
    C(NULL, "Closely connected", "connections", RC_LIST, "{vendor_name}: {reason}", RC_HTML, 24),
    C(NULL, "As of", "as_of", RC_DATE, NULL, RC_HTML, 8),
};

/* ---- CSV columns derived from an entity's descriptor ----------------------- */

#define MAX_COLS 64
#define PATHS 4096

/* One entity's columns: every field in the CSV (in descriptor order), then
 * the hand-chosen HTML ones. Built once. */
typedef struct derived {
    report_col cols[MAX_COLS];
    size_t n;
    char paths[PATHS];         /* "provider_name" and the like */
    size_t used;
} derived;

static const char *keep(derived *d, const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    if (d->used + n > PATHS)
        return a;
    char *p = d->paths + d->used;
    memcpy(p, a, strlen(a));
    memcpy(p + strlen(a), b, strlen(b) + 1);
    d->used += n;
    return p;
}

static void add_col(derived *d, const char *header, const char *path, rc_kind kind,
                    const char *item)
{
    if (d->n < MAX_COLS)
        d->cols[d->n++] = (report_col)C(header, NULL, path, kind, item, RC_CSV, 0);
}

/* A computed field's columns: the vendor group by name, the risk as score,
 * level, priority, flagged and factors; "active" a flag; others dates. */
static void computed_cols(derived *d, const field_desc *f)
{
    if (f->schema && strcmp(f->schema, "VendorGroup") == 0) {
        add_col(d, f->key, "group/name", RC_TEXT, NULL);
    } else if (f->schema && strcmp(f->schema, "Risk") == 0) {
        add_col(d, "risk_score", "risk/score", RC_INT, NULL);
        add_col(d, "risk_level", "risk/level", RC_TEXT, NULL);
        add_col(d, "priority", "risk/priority", RC_TEXT, NULL);
        add_col(d, "flagged", "risk/flagged", RC_BOOL, NULL);
        add_col(d, "risk_factors", "risk/factors", RC_LIST, "{code} ({points}): {reason}");
    } else {
        add_col(d, f->key, f->key, strcmp(f->key, "active") == 0 ? RC_BOOL : RC_DATE, NULL);
    }
}

static void derive(derived *d, const entity_desc *e, const report_col *html, size_t n_html)
{
    for (const field_desc *f = e->fields; f->key; f++) {
        switch (f->kind) {
        case FK_ID:
        case FK_INT:
            add_col(d, f->key, f->key, RC_INT, NULL);
            break;
        case FK_MONEY:
            add_col(d, f->key, f->key, RC_MONEY, NULL);
            break;
        case FK_BOOL:
            add_col(d, f->key, f->key, RC_BOOL, NULL);
            break;
        case FK_DATE:
            add_col(d, f->key, f->key, RC_DATE, NULL);
            break;
        case FK_REF:
            add_col(d, f->key, keep(d, f->key, "_name"), RC_TEXT, NULL);
            break;
        case FK_ARRAY:
            add_col(d, f->key, f->key, RC_LIST,
                    f->sub[0].key[0] ? f->report_item : f->sub[0].kind == FK_REF ? "{name}" : NULL);
            break;
        case FK_COMPUTED:
            computed_cols(d, f);
            break;
        default: /* strings, enumerations, stamps, JSON */
            add_col(d, f->key, f->key, RC_TEXT, NULL);
        }
    }
    for (size_t i = 0; i < n_html && d->n < MAX_COLS; i++)
        d->cols[d->n++] = html[i];
}

static derived WORKLOAD_COLS, CONTRACT_COLS, OFFERING_COLS, VENDOR_COLS;
static pthread_once_t derived_once = PTHREAD_ONCE_INIT;

static void derive_all(void)
{
    derive(&WORKLOAD_COLS, &WORKLOAD_DESC, WORKLOAD_HTML, N(WORKLOAD_HTML));
    derive(&CONTRACT_COLS, &CONTRACT_DESC, CONTRACT_HTML, N(CONTRACT_HTML));
    derive(&OFFERING_COLS, &OFFERING_DESC, OFFERING_HTML, N(OFFERING_HTML));
    derive(&VENDOR_COLS, &VENDOR_DESC, VENDOR_HTML, N(VENDOR_HTML));
}

static const report_col CONCENTRATION_COLS[] = {
    C("basis", "Basis", "basis", RC_TEXT, NULL, RC_CSV, 0),
    C("connected", "Connected merged", "connected", RC_BOOL, NULL, RC_CSV, 0),
    C("layer", "Layer", "layer", RC_TEXT, NULL, RC_CSV, 0),
    C("hhi", "HHI", "hhi", RC_NUM, NULL, RC_CSV, 0),
    C("band", "Band", "band", RC_TEXT, NULL, RC_CSV, 0),
    C("effective_providers", "Effective", "effective_providers", RC_NUM, NULL, RC_CSV, 0),
    C("layer_total", "Layer total", "total", RC_NUM, NULL, RC_CSV, 0),
    C("group", "Group", "group", RC_TEXT, NULL, RC_CSV, 0),
    C("share", "Share", "share", RC_NUM, NULL, RC_CSV, 0),
    C("amount", "Amount", "amount", RC_NUM, NULL, RC_CSV, 0),
};

static const report_col FINDING_COLS[] = {
    C("track", "Track", "track", RC_TEXT, NULL, RC_CSV, 0),
    C("code", "Code", "code", RC_TEXT, NULL, RC_CSV, 0),
    C("severity", "Severity", "severity", RC_TEXT, NULL, RC_CSV, 0),
    C("text", "Finding", "text", RC_TEXT, NULL, RC_CSV, 0),
    C("workload_ids", NULL, "workloads", RC_LIST, "{id}", RC_CSV, 0),
    C("workloads", "Workloads", "workloads", RC_LIST, "{name}", RC_CSV, 0),
};

static const report_col AUDIT_COLS[] = {
    C("seq", "Seq", "seq", RC_INT, NULL, RC_BOTH, 6),
    C("at", "At", "at", RC_TEXT, NULL, RC_BOTH, 17),
    C("actor", "Actor", "actor", RC_TEXT, NULL, RC_BOTH, 16),
    C("action", "Action", "action", RC_TEXT, NULL, RC_BOTH, 10),
    C("entity", "Entity", "entity", RC_TEXT, NULL, RC_BOTH, 10),
    C("entity_id", "ID", "entity_id", RC_INT, NULL, RC_BOTH, 5),
    C("before", NULL, "before", RC_TEXT, NULL, RC_CSV, 0),
    C("after", NULL, "after", RC_TEXT, NULL, RC_CSV, 0),
    C("prev_hash", NULL, "prev_hash", RC_TEXT, NULL, RC_CSV, 0),
    C("hash", "Hash", "hash", RC_TEXT, NULL, RC_BOTH, 36),
};

const json_t *report_path(const json_t *row, const char *path)
{
    const json_t *v = row;
    const char *p = path;
    while (v && *p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        char key[64];
        if (n >= sizeof key || !json_is_object(v))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        v = json_object_get(v, key);
        p += n + (slash ? 1 : 0);
    }
    return v;
}

static void put_number(const json_t *v, buf *out)
{
    if (json_is_integer(v)) {
        buf_printf(out, "%" PRId64, (int64_t)json_integer_value(v));
    } else {
        jw w;
        jw_init(&w, out);
        jw_double(&w, json_real_value(v));
    }
}

void report_json_compact(const json_t *v, buf *out)
{
    if (!v || json_is_null(v)) {
        buf_puts(out, "null");
    } else if (json_is_object(v)) {
        buf_putc(out, '{');
        const char *key;
        json_t *value;
        int first = 1;
        json_object_foreach((json_t *)v, key, value) {
            if (!first)
                buf_putc(out, ',');
            first = 0;
            buf_putc(out, '"');
            json_escape(out, key, strlen(key));
            buf_puts(out, "\":");
            report_json_compact(value, out);
        }
        buf_putc(out, '}');
    } else if (json_is_array(v)) {
        buf_putc(out, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                buf_putc(out, ',');
            report_json_compact(json_array_get(v, i), out);
        }
        buf_putc(out, ']');
    } else if (json_is_string(v)) {
        buf_putc(out, '"');
        json_escape(out, json_string_value(v), json_string_length(v));
        buf_putc(out, '"');
    } else if (json_is_number(v)) {
        put_number(v, out);
    } else {
        buf_puts(out, json_is_true(v) ? "true" : "false");
    }
}

/* A scalar's text; NULL and null add nothing. */
static void put_scalar(const json_t *v, buf *out)
{
    if (!v || json_is_null(v))
        return;
    if (json_is_string(v))
        buf_append(out, json_string_value(v), json_string_length(v));
    else if (json_is_number(v))
        put_number(v, out);
    else if (json_is_boolean(v))
        buf_puts(out, json_is_true(v) ? "true" : "false");
    else
        report_json_compact(v, out);
}

/* Expands an item pattern over one object: {key} and optional [ ... ]. */
static void put_item(const json_t *item, const char *pattern, buf *out)
{
    const char *p = pattern;
    while (*p) {
        if (*p == '[') {
            const char *end = strchr(p, ']');
            if (!end)
                break;
            /* Left out when a key inside is null or missing. */
            int present = 1;
            for (const char *k = p; k < end && present; k++) {
                if (*k != '{')
                    continue;
                const char *close = memchr(k, '}', (size_t)(end - k));
                char key[64];
                size_t n = close ? (size_t)(close - k - 1) : 0;
                if (!close || n >= sizeof key)
                    break;
                memcpy(key, k + 1, n);
                key[n] = '\0';
                const json_t *v = json_object_get(item, key);
                present = v && !json_is_null(v);
            }
            if (present) {
                char inner[160];
                size_t n = (size_t)(end - p - 1);
                if (n < sizeof inner) {
                    memcpy(inner, p + 1, n);
                    inner[n] = '\0';
                    put_item(item, inner, out);
                }
            }
            p = end + 1;
        } else if (*p == '{') {
            const char *close = strchr(p, '}');
            char key[64];
            size_t n = close ? (size_t)(close - p - 1) : 0;
            if (!close || n >= sizeof key)
                break;
            memcpy(key, p + 1, n);
            key[n] = '\0';
            put_scalar(json_object_get(item, key), out);
            p = close + 1;
        } else {
            buf_putc(out, *p++);
        }
    }
}

void report_cell(const json_t *row, const report_col *c, buf *out)
{
    const json_t *v = report_path(row, c->path);
    if (!json_is_array(v)) {
        put_scalar(v, out);
        return;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        const json_t *item = json_array_get(v, i);
        if (i)
            buf_putc(out, '\n');
        if (json_is_object(item) && c->item)
            put_item(item, c->item, out);
        else
            put_scalar(item, out);
    }
}

void report_csv(const report_table *t, buf *out)
{
    int first = 1;
    for (size_t k = 0; k < t->n_cols; k++)
        if (t->cols[k].where & RC_CSV) {
            csv_field(out, t->cols[k].header, first);
            first = 0;
        }
    csv_end(out);
    buf cell;
    buf_init(&cell);
    for (size_t i = 0; i < json_array_size(t->rows); i++) {
        const json_t *row = json_array_get(t->rows, i);
        first = 1;
        for (size_t k = 0; k < t->n_cols; k++) {
            if (!(t->cols[k].where & RC_CSV))
                continue;
            buf_reset(&cell);
            report_cell(row, &t->cols[k], &cell);
            csv_fieldn(out, cell.data, cell.len, first);
            first = 0;
        }
        csv_end(out);
    }
    if (buf_failed(&cell))
        out->failed = 1;
    buf_free(&cell);
}

/* An array of the model's rows at path, or an empty one. New reference. */
static json_t *rows_at(const json_t *model, const char *path)
{
    const json_t *v = report_path(model, path);
    return json_is_array(v) ? json_incref((json_t *)v) : json_array();
}

static json_t *concentration_rows(const json_t *model)
{
    json_t *rows = json_array();
    const json_t *list = json_object_get(model, "concentration");
    static const char *const layers[] = {"provider", "publisher", "host"};
    for (size_t i = 0; rows && i < json_array_size(list); i++) {
        const json_t *c = json_array_get(list, i);
        for (int l = 0; l < 3; l++) {
            const json_t *layer = report_path(json_object_get(c, "layers"), layers[l]);
            const json_t *shares = json_object_get(layer, "shares");
            size_t n = json_array_size(shares);
            for (size_t s = 0; s < (n ? n : 1); s++) {
                const json_t *share = n ? json_array_get(shares, s) : NULL;
                json_t *row = json_object();
                if (!row)
                    continue;
                json_object_set(row, "basis", json_object_get(c, "basis"));
                json_object_set(row, "connected", json_object_get(c, "connected"));
                json_object_set_new(row, "layer", json_string(layers[l]));
                json_object_set(row, "hhi", json_object_get(layer, "hhi"));
                json_object_set(row, "band", json_object_get(layer, "band"));
                json_object_set(row, "effective_providers",
                                json_object_get(layer, "effective_providers"));
                json_object_set(row, "total", json_object_get(layer, "total"));
                if (share) {
                    json_object_set(row, "group", json_object_get(share, "group"));
                    json_object_set(row, "share", json_object_get(share, "share"));
                    json_object_set(row, "amount", json_object_get(share, "amount"));
                }
                json_array_append_new(rows, row);
            }
        }
    }
    return rows;
}

static json_t *finding_rows(const json_t *model)
{
    json_t *rows = json_array();
    const json_t *tracks = json_object_get(model, "tracks");
    for (size_t t = 0; rows && t < json_array_size(tracks); t++) {
        const json_t *track = json_array_get(tracks, t);
        const json_t *findings = json_object_get(track, "findings");
        for (size_t i = 0; i < json_array_size(findings); i++) {
            const json_t *f = json_array_get(findings, i);
            json_t *row = json_object();
            if (!row)
                continue;
            json_object_set(row, "track", json_object_get(track, "track"));
            json_object_set(row, "code", json_object_get(f, "code"));
            json_object_set(row, "severity", json_object_get(f, "severity"));
            json_object_set(row, "text", json_object_get(f, "text"));
            json_object_set(row, "workloads", json_object_get(f, "workloads"));
            json_array_append_new(rows, row);
        }
    }
    return rows;
}

int report_tables_build(const json_t *model, report_table out[REPORT_TABLES])
{
    static const struct {
        const char *name, *title;
        const report_col *cols;
        size_t n;
    } spec[REPORT_TABLES] = {
        {"workloads", "Workloads", WORKLOAD_COLS.cols, 0},
        {"contracts", "Contracts", CONTRACT_COLS.cols, 0},
        {"offerings", "Offerings", OFFERING_COLS.cols, 0},
        {"vendors", "Vendors", VENDOR_COLS.cols, 0},
        {"concentration", "Concentration", CONCENTRATION_COLS, N(CONCENTRATION_COLS)},
        {"findings", "Findings", FINDING_COLS, N(FINDING_COLS)},
        {"audit", "Changes", AUDIT_COLS, N(AUDIT_COLS)},
    };
    if (pthread_once(&derived_once, derive_all) != 0)
        return -1;
    for (int i = 0; i < REPORT_TABLES; i++) {
        out[i].name = spec[i].name;
        out[i].title = spec[i].title;
        out[i].cols = spec[i].cols;
        out[i].n_cols = spec[i].n;
    }
    out[RT_WORKLOADS].n_cols = WORKLOAD_COLS.n;
    out[RT_CONTRACTS].n_cols = CONTRACT_COLS.n;
    out[RT_OFFERINGS].n_cols = OFFERING_COLS.n;
    out[RT_VENDORS].n_cols = VENDOR_COLS.n;
    out[RT_WORKLOADS].rows = rows_at(model, "appendices/workloads");
    out[RT_CONTRACTS].rows = rows_at(model, "appendices/contracts");
    out[RT_OFFERINGS].rows = rows_at(model, "appendices/offerings");
    out[RT_VENDORS].rows = rows_at(model, "appendices/vendors");
    out[RT_CONCENTRATION].rows = concentration_rows(model);
    out[RT_FINDINGS].rows = finding_rows(model);
    out[RT_AUDIT].rows = rows_at(model, "changes/events");
    for (int i = 0; i < REPORT_TABLES; i++)
        if (!out[i].rows) {
            report_tables_free(out);
            return -1;
        }
    return 0;
}

void report_tables_free(report_table t[REPORT_TABLES])
{
    for (int i = 0; i < REPORT_TABLES; i++) {
        json_decref(t[i].rows);
        t[i].rows = NULL;
    }
}
