/* entities.c - the field descriptors of each entity (see entity.h): the
 * one place a field is declared. Validation, the store's statements, the
 * API's and the report's JSON and the OpenAPI schemas are derived from
 * these tables. Rules that span fields (a contract's dates and parties, an
 * array's duplicates) and computed values are the small functions above
 * the tables. Tabular by nature. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/text.h"
#include "core/entity.h"
#include "core/portfolio.h"
#include "core/risk.h"
#include "core/scenario.h"

#define AT(type, member) offsetof(type, member)

const char *const VENDOR_SORTS[] = {"name", "-name", "id", "-id", "created_at",
                                    "-created_at", "updated_at", "-updated_at", NULL};
const char *const OFFERING_SORTS[] = {"name", "-name", "id", "-id", "track", "-track",
                                      "created_at", "-created_at", "updated_at",
                                      "-updated_at", NULL};
const char *const CONTRACT_SORTS[] = {"name", "-name", "id", "-id", "end_date", "-end_date",
                                      "start_date", "-start_date", "annual_value",
                                      "-annual_value", "created_at", "-created_at",
                                      "updated_at", "-updated_at", NULL};
const char *const WORKLOAD_SORTS[] = {"name", "-name", "id", "-id", "monthly_spend",
                                      "-monthly_spend", "criticality", "-criticality",
                                      "status", "-status", "created_at", "-created_at",
                                      "updated_at", "-updated_at", "risk", "-risk",
                                      "priority", "-priority", NULL};
const char *const SCENARIO_SORTS[] = {"name", "-name", "id", "-id", "created_at", "-created_at",
                                      "updated_at", "-updated_at", NULL};

/* ---- LEI (ISO 17442) ------------------------------------------------------ */

int lei_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return 1;
    if (n != 20)
        return 0;
    /* ISO 7064 MOD 97-10: letters count as 10..35; the whole, read as a
     * number, leaves 1 when divided by 97. The last two are digits. */
    unsigned rem = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
        else if (c >= 'A' && c <= 'Z' && i < 18)
            rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
        else
            return 0;
    }
    return rem == 1;
}

/* ---- checks across items and fields -------------------------------------- */

static int check_link(const void *items, size_t i, const char *ptr, sy_errors *e)
{
    const vendor_link *l = items;
    int bad = 0;
    for (size_t j = 0; j < i; j++)
        if (l[j].vendor == l[i].vendor) {
            errors_add(e, ptr, "names the same vendor twice");
            bad = 1;
        }
    return bad ? -1 : 0;
}

static int check_offering_id(const void *items, size_t i, const char *ptr, sy_errors *e)
{
    const int64_t *ids = items;
    int bad = 0;
    for (size_t j = 0; j < i; j++)
        if (ids[j] == ids[i]) {
            errors_add(e, ptr, "names the same offering twice");
            bad = 1;
        }
    return bad ? -1 : 0;
}

static int check_term(const void *items, size_t i, const char *ptr, sy_errors *e)
{
    const contract_term *t = (const contract_term *)items + i;
    int64_t from, until;
    if (t->effective && t->until && date_parse(t->effective, &from) == 0 &&
        date_parse(t->until, &until) == 0 && until < from) {
        char up[128];
        pointer_join(up, sizeof up, ptr, "until");
        errors_add(e, up, "must not be before effective");
        return -1;
    }
    return 0;
}

static int check_dependency(const void *items, size_t i, const char *ptr, sy_errors *e)
{
    const dependency *d = items;
    int bad = 0;
    for (size_t j = 0; j < i; j++)
        if (d[j].offering == d[i].offering && d[j].role && /* NULL if item j was invalid */
            strcmp(d[j].role, d[i].role) == 0) {
            errors_add(e, ptr, "repeats the same offering and role");
            bad = 1;
        }
    return bad ? -1 : 0;
}

/* Regions compare without case: "eu" and "EU" are the same region. */
static int check_region(const void *items, size_t i, const char *ptr, sy_errors *e)
{
    const char *const *r = items;
    for (size_t j = 0; j < i; j++)
        if (r[j] && r[i] && text_casecmp(r[j], r[i]) == 0) {
            errors_add(e, ptr, "names the same region twice");
            return -1;
        }
    return 0;
}

static int check_alternative(const void *items, size_t i, const char *ptr, sy_errors *e)
{
    const alternative *a = items;
    char up[128];
    if (a[i].dependency && a[i].dependency == a[i].offering) {
        pointer_join(up, sizeof up, ptr, "offering");
        errors_add(e, up, "must differ from the dependency it replaces");
        return -1;
    }
    for (size_t j = 0; j < i; j++)
        if (a[j].dependency == a[i].dependency && a[j].offering == a[i].offering) {
            errors_add(e, ptr, "repeats the same dependency and alternative");
            return -1;
        }
    return 0;
}

/* Each alternative replaces one of the workload's own dependencies; a
 * high-risk system names its Annex III area; a FRIA done has its day. */
static void check_workload(const void *item, sy_errors *e)
{
    const workload *w = item;
    if (w->ai_act_tier && strcmp(w->ai_act_tier, "high") == 0 && !w->annex_iii_area)
        errors_add(e, "/annex_iii_area", "is required when ai_act_tier is high");
    if (w->fria_status && strcmp(w->fria_status, "done") == 0 && !w->impact_assessment)
        errors_add(e, "/impact_assessment", "is required when fria_status is done");
    for (size_t i = 0; i < w->n_alternatives; i++) {
        int found = 0;
        for (size_t d = 0; d < w->n_dependencies && !found; d++)
            found = w->dependencies[d].offering == w->alternatives[i].dependency;
        if (!found && w->alternatives[i].dependency) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/alternatives/%zu/dependency", i);
            errors_add(e, ptr, "must be the offering of one of the workload's dependencies");
        }
    }
}

static void check_contract(const void *item, sy_errors *e)
{
    const contract *c = item;
    int64_t start, end;
    if (c->end_date && date_parse(c->start_date, &start) == 0 &&
        date_parse(c->end_date, &end) == 0 && end < start)
        errors_add(e, "/end_date", "must not be before start_date");
    if (strcmp(c->kind, "customer") == 0) {
        if (c->other_party)
            errors_add(e, "/other_party", "is only for upstream contracts");
        if (c->n_terms)
            errors_add(e, "/terms", "is only for upstream contracts");
        if (!c->end_date)
            errors_add(e, "/end_date", "is required for customer contracts");
    } else if (!c->other_party) {
        errors_add(e, "/other_party", "is required for upstream contracts");
    } else if (c->other_party == c->counterparty) {
        errors_add(e, "/other_party", "must differ from counterparty");
    }
    if (c->auto_renew && c->renewal_months == 0)
        errors_add(e, "/renewal_months", "must be set when auto_renew is true");
}

/* The changes of a saved scenario, checked as the evaluator parses them. */
static int parse_changes(const json_t *v, arena *a, sy_errors *e)
{
    scenario parsed;
    return scenario_from_json(v, a, &parsed, e);
}

/* ---- computed values ------------------------------------------------------ */

static void write_group(jw *w, const char *key, const void *item, const entity_ctx *ctx)
{
    const vendor *v = item;
    (void)ctx;
    jw_key(w, key);
    jw_obj(w);
    jw_kint(w, "id", v->group_id ? v->group_id : v->id);
    jw_kstr(w, "name", v->group_name ? v->group_name : v->name);
    jw_obj_end(w);
}

/* The last day to give notice: end minus notice period. */
static void write_notice_deadline(jw *w, const char *key, const void *item,
                                  const entity_ctx *ctx)
{
    const contract *c = item;
    int64_t end;
    (void)ctx;
    entity_kday(w, key, c->end_date && date_parse(c->end_date, &end) == 0
                          ? end - c->notice_days : -1);
}

static void write_active(jw *w, const char *key, const void *item, const entity_ctx *ctx)
{
    jw_kbool(w, key, contract_active(item, ctx->today));
}

/* The current term's end and deadline, auto-renewal rolled forward. */
static void write_current_end(jw *w, const char *key, const void *item, const entity_ctx *ctx)
{
    entity_kday(w, key, contract_current_end(item, ctx->today));
}

static void write_current_deadline(jw *w, const char *key, const void *item,
                                   const entity_ctx *ctx)
{
    entity_kday(w, key, contract_notice_deadline(item, ctx->today));
}

void risk_factors_json(jw *w, const struct risk_result *r)
{
    jw_key(w, "factors");
    jw_arr(w);
    for (int i = 0; i < r->n_factors; i++) {
        jw_obj(w);
        jw_kstr(w, "code", RISK_CODES[r->factors[i].code]);
        jw_kint(w, "points", r->factors[i].points);
        jw_kstr(w, "reason", r->factors[i].reason);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void write_risk(jw *w, const char *key, const void *item, const entity_ctx *ctx)
{
    (void)item;
    const risk_result *r = ctx ? ctx->risk : NULL;
    if (!r)
        return;
    jw_key(w, key);
    jw_obj(w);
    jw_kint(w, "score", r->score);
    jw_kstr(w, "level", RISK_LEVELS[r->level]);
    jw_kstr(w, "priority", RISK_PRIORITIES[r->priority]);
    jw_kbool(w, "flagged", r->flagged);
    risk_factors_json(w, r);
    jw_obj_end(w);
}

/* ---- the tables ------------------------------------------------------------ */

#define ONE_LINE " Single line, no control characters."
#define FREE_TEXT "Free text."
#define STAMP_DOC "UTC time, RFC 3339 (YYYY-MM-DDTHH:MM:SSZ)."
#define MONEY_DOC " Currency units with at most two decimals (held in cents)."
#define ID_FIELD(T, what) \
    {.key = "id", .kind = FK_ID, .offset = AT(T, id), .column = "id", .label = "ID", \
     .doc = "The " what "'s ID.", .brief = "The " what "'s ID."}
#define STAMPS(T)                                                                  \
    {.key = "created_at", .kind = FK_STAMP, .offset = AT(T, created_at),           \
     .column = "created_at", .label = "Created", .doc = STAMP_DOC,                 \
     .brief = "Creation time."},                                                   \
    {.key = "updated_at", .kind = FK_STAMP, .offset = AT(T, updated_at),           \
     .column = "updated_at", .label = "Updated", .doc = STAMP_DOC,                 \
     .brief = "Last change time."}
#define END {.key = NULL}
/* Where a catalogue record's facts come from, and when they were checked
 * (domain.md: every catalogue fact carries a source and an as-of date). */
#define PROVENANCE(T)                                                                     \
    {.key = "source", .kind = FK_STR, .flags = FD_ONELINE, .offset = AT(T, source),       \
     .column = "source", .max = 500, .label = "Source",                                   \
     .doc = "Where the facts come from: a URL or a document's name." ONE_LINE},           \
    {.key = "as_of", .kind = FK_DATE, .flags = FD_NULLABLE, .offset = AT(T, as_of),      \
     .column = "as_of", .label = "As of",                                                 \
     .doc = "The day the facts were last checked against the source; null if never. "    \
            "Older than the review interval (setting review_days) reads as stale."}

static const field_desc LINK_FIELDS[] = {
    {.key = "vendor", .kind = FK_REF, .flags = FD_REQUIRED, .offset = AT(vendor_link, vendor),
     .ref = REF_VENDOR, .label = "Vendor", .doc = "The other, closely connected vendor."},
    {.key = "reason", .kind = FK_STR, .flags = FD_ONELINE, .offset = AT(vendor_link, reason),
     .max = 300, .label = "Reason",
     .doc = "Why they are connected (equity stake, licence, ...)." ONE_LINE},
    END};

static const field_desc VENDOR_FIELDS[] = {
    ID_FIELD(vendor, "vendor"),
    {.key = "name", .kind = FK_STR, .flags = FD_REQUIRED | FD_ONELINE, .offset = AT(vendor, name),
     .column = "name", .min = 1, .max = 120, .label = "Vendor",
     .doc = "Unique name." ONE_LINE},
    {.key = "parent", .kind = FK_REF, .flags = FD_NULLABLE, .offset = AT(vendor, parent),
     .column = "parent_id", .ref = REF_VENDOR, .label = "Parent",
     .doc = "Parent vendor (GitHub's parent is Microsoft); null or absent for the top of a group."},
    {.key = "group", .kind = FK_COMPUTED, .write = write_group, .label = "Group",
     .doc = "The vendor group: the top of the parent chain.", .brief = "Computed group.",
     .schema = "VendorGroup"},
    {.key = "website", .kind = FK_STR, .flags = FD_ONELINE | FD_URL, .offset = AT(vendor, website),
     .column = "website", .max = 300, .label = "Website",
     .doc = "Website: empty or an http:// or https:// address." ONE_LINE},
    {.key = "country", .kind = FK_STR, .flags = FD_UPPER2, .offset = AT(vendor, country),
     .column = "country", .max = 2, .label = "Country",
     .doc = "ISO 3166 two-letter country code, or empty."},
    {.key = "lei", .kind = FK_STR, .flags = FD_LEI, .offset = AT(vendor, lei), .column = "lei",
     .max = 20, .label = "LEI",
     .doc = "ISO 17442 Legal Entity Identifier (20 characters: 18 capital letters or digits "
            "and two check digits, ISO 7064 MOD 97-10), or empty."},
    {.key = "kind", .kind = FK_ENUM, .offset = AT(vendor, kind), .column = "kind",
     .enum_table = VENDOR_KINDS, .def = "company", .label = "Kind",
     .doc = "company, or self: the organisation itself (provider of what it runs on rented "
            "infrastructure)."},
    {.key = "description", .kind = FK_STR, .offset = AT(vendor, description),
     .column = "description", .max = 2000, .label = "Description", .doc = FREE_TEXT},
    PROVENANCE(vendor),
    {.key = "connections", .kind = FK_ARRAY, .offset = AT(vendor, connections),
     .count_offset = AT(vendor, n_connections), .max = 32, .sub = LINK_FIELDS,
     .item_size = sizeof(vendor_link), .check = check_link, .label = "Connections",
     .report_item = "{vendor_name}: {reason}",
     .schema = "VendorConnection",
     .doc = "Closely connected vendors; each vendor at most once."},
    STAMPS(vendor),
    END};

const entity_desc VENDOR_DESC = {
    "vendor", "/api/v1/vendors", "vendors", "Vendor", sizeof(vendor), AT(vendor, version),
    AT(vendor, created_at), AT(vendor, updated_at), VENDOR_FIELDS, VENDOR_SORTS, NULL};

static const field_desc REGION_ITEM[] = {
    {.key = "", .kind = FK_STR, .flags = FD_ONELINE, .column = "region", .min = 1, .max = 40,
     .doc = "A region or geography (EU, US, UK, eu-west-1, ...)." ONE_LINE},
    END};
static const child_desc OFFERING_REGIONS = {"offering_regions", "offering_id", "position"};
static const child_desc WORKLOAD_REGIONS = {"workload_regions", "workload_id", "position"};
#define LIFE(k, lab, text)                                                              \
    {.key = #k, .kind = FK_DATE, .flags = FD_NULLABLE, .offset = AT(offering, k),        \
     .column = #k, .label = lab, .doc = text " Null when not published."}

static const field_desc OFFERING_FIELDS[] = {
    ID_FIELD(offering, "offering"),
    {.key = "name", .kind = FK_STR, .flags = FD_REQUIRED | FD_ONELINE,
     .offset = AT(offering, name), .column = "name", .min = 1, .max = 120, .label = "Offering",
     .doc = "Unique name." ONE_LINE},
    {.key = "provider", .kind = FK_REF, .flags = FD_REQUIRED, .offset = AT(offering, provider),
     .column = "provider_id", .ref = REF_VENDOR, .label = "Provider",
     .doc = "Vendor who sells it (FOCUS provider)."},
    {.key = "publisher", .kind = FK_REF, .flags = FD_NULLABLE, .offset = AT(offering, publisher),
     .column = "publisher_id", .ref = REF_VENDOR, .label = "Publisher",
     .doc = "Vendor whose model it is (FOCUS publisher); null when not a model."},
    {.key = "host", .kind = FK_REF, .flags = FD_NULLABLE, .offset = AT(offering, host),
     .column = "host_id", .ref = REF_VENDOR, .label = "Host",
     .doc = "Vendor whose cloud runs it; null when not applicable."},
    {.key = "track", .kind = FK_ENUM, .flags = FD_REQUIRED | FD_FILTER,
     .offset = AT(offering, track), .column = "track", .enum_table = TRACKS, .label = "Track",
     .doc = "Strategy track."},
    {.key = "category", .kind = FK_ENUM, .flags = FD_REQUIRED | FD_FILTER,
     .offset = AT(offering, category), .column = "category", .enum_table = CATEGORIES,
     .label = "Category", .doc = "What kind of offering it is."},
    {.key = "interface", .kind = FK_ENUM, .flags = FD_REQUIRED, .offset = AT(offering, interface),
     .column = "interface", .enum_table = INTERFACES, .label = "Interface",
     .doc = "Interface style."},
    {.key = "open_weight", .kind = FK_BOOL, .offset = AT(offering, open_weight),
     .column = "open_weight", .label = "Open weight",
     .doc = "The model weights are openly available."},
    {.key = "regions", .kind = FK_ARRAY, .offset = AT(offering, regions),
     .count_offset = AT(offering, n_regions), .max = 40, .sub = REGION_ITEM,
     .item_size = sizeof(const char *), .check = check_region, .child = &OFFERING_REGIONS,
     .label = "Regions",
     .doc = "Where it processes data, as the vendor states it (EU, US, ...); empty when "
            "unknown."},
    {.key = "model_version", .kind = FK_STR, .flags = FD_ONELINE,
     .offset = AT(offering, model_version), .column = "model_version", .max = 80,
     .label = "Version", .doc = "Models: the version or snapshot name the vendor publishes."},
    LIFE(released, "Released", "Day the vendor released it."),
    LIFE(deprecated, "Deprecated", "Day the vendor deprecated it."),
    LIFE(retires, "Retires", "Day the vendor retires it (no longer served)."),
    {.key = "successor", .kind = FK_REF, .flags = FD_NULLABLE, .offset = AT(offering, successor),
     .column = "successor_id", .ref = REF_OFFERING, .label = "Successor",
     .doc = "The offering that replaces it when it retires; null when none is planned."},
    {.key = "description", .kind = FK_STR, .offset = AT(offering, description),
     .column = "description", .max = 2000, .label = "Description", .doc = FREE_TEXT},
    {.key = "url", .kind = FK_STR, .flags = FD_ONELINE | FD_URL, .offset = AT(offering, url),
     .column = "url", .max = 300, .label = "URL",
     .doc = "Empty or an http:// or https:// address." ONE_LINE},
    PROVENANCE(offering),
    STAMPS(offering),
    END};

const entity_desc OFFERING_DESC = {
    "offering", "/api/v1/offerings", "offerings", "Offering", sizeof(offering),
    AT(offering, version), AT(offering, created_at), AT(offering, updated_at), OFFERING_FIELDS,
    OFFERING_SORTS, NULL};

static const field_desc OFFERING_ID_ITEM[] = {
    {.key = "", .kind = FK_REF, .column = "offering_id", .ref = REF_OFFERING,
     .invalid = "must be the numeric ID of an existing offering"},
    END};
static const child_desc CONTRACT_OFFERINGS = {"contract_offerings", "contract_id", "position"};

/* A term's scope selector: null matches any; a term with no scope at all
 * bears on the contract's own offerings. */
#define SCOPE(role, lab, text)                                                          \
    {.key = "scope_" #role, .kind = FK_REF, .flags = FD_NULLABLE,                        \
     .offset = AT(contract_term, scope_##role), .column = "scope_" #role "_id",          \
     .ref = REF_VENDOR, .label = lab, .doc = text " Null: any."}

static const field_desc TERM_FIELDS[] = {
    {.key = "kind", .kind = FK_ENUM, .flags = FD_REQUIRED, .offset = AT(contract_term, kind),
     .column = "kind", .enum_table = TERM_KINDS, .label = "Kind",
     .doc = "What the term is about."},
    {.key = "text", .kind = FK_STR, .flags = FD_REQUIRED | FD_ONELINE,
     .offset = AT(contract_term, text), .column = "text", .min = 1, .max = 500, .label = "Term",
     .doc = "The term in plain words." ONE_LINE},
    {.key = "effective", .kind = FK_DATE, .flags = FD_NULLABLE,
     .offset = AT(contract_term, effective), .column = "effective", .label = "Effective",
     .doc = "First day the term applies; null if not stated."},
    {.key = "until", .kind = FK_DATE, .flags = FD_NULLABLE, .offset = AT(contract_term, until),
     .column = "until", .label = "Until",
     .doc = "Last day the term applies (not before effective); null if it has no stated end."},
    SCOPE(provider, "Scope: provider group",
          "The term bears on offerings whose provider belongs to this vendor's group."),
    SCOPE(publisher, "Scope: publisher group",
          "The term bears on offerings whose publisher belongs to this vendor's group."),
    SCOPE(host, "Scope: host group",
          "The term bears on offerings whose host belongs to this vendor's group."),
    {.key = "scope_track", .kind = FK_ENUM, .flags = FD_NULLABLE,
     .offset = AT(contract_term, scope_track), .column = "scope_track", .enum_table = TRACKS,
     .label = "Scope: track",
     .doc = "The term bears only on offerings of this track; null: any track."},
    END};
static const child_desc CONTRACT_TERMS = {"contract_terms", "contract_id", "position"};

#define MONEY(T, k, lim, lab, text)                                                   \
    {.key = #k, .kind = FK_MONEY, .offset = AT(T, k), .column = #k, .max = lim,          \
     .label = lab, .doc = text MONEY_DOC}
#define FLAG(T, k, lab, text) \
    {.key = #k, .kind = FK_BOOL, .offset = AT(T, k), .column = #k, .label = lab, .doc = text}

#define CDATE(k, lab, text)                                                            \
    {.key = #k, .kind = FK_DATE, .flags = FD_NULLABLE, .offset = AT(contract, k),        \
     .column = #k, .label = lab, .doc = text}

static const field_desc CONTRACT_FIELDS[] = {
    ID_FIELD(contract, "contract"),
    {.key = "name", .kind = FK_STR, .flags = FD_REQUIRED | FD_ONELINE,
     .offset = AT(contract, name), .column = "name", .min = 1, .max = 160, .label = "Contract",
     .doc = "Unique name." ONE_LINE},
    {.key = "kind", .kind = FK_ENUM, .flags = FD_REQUIRED | FD_FILTER, .offset = AT(contract, kind),
     .column = "kind", .enum_table = CONTRACT_KINDS, .label = "Kind",
     .doc = "customer: the organisation's own agreement; upstream: an agreement between "
            "vendors that shapes the customer's options."},
    {.key = "counterparty", .kind = FK_REF, .flags = FD_REQUIRED,
     .offset = AT(contract, counterparty), .column = "counterparty_id", .ref = REF_VENDOR,
     .label = "Counterparty",
     .doc = "The vendor the agreement is with (for upstream: one of the two parties)."},
    {.key = "other_party", .kind = FK_REF, .flags = FD_NULLABLE,
     .offset = AT(contract, other_party), .column = "other_party_id", .ref = REF_VENDOR,
     .label = "Other party",
     .doc = "Upstream only (required there, and different from counterparty): the other vendor."},
    {.key = "offerings", .kind = FK_ARRAY, .offset = AT(contract, offerings),
     .count_offset = AT(contract, n_offerings), .max = 200, .sub = OFFERING_ID_ITEM,
     .item_size = sizeof(int64_t), .check = check_offering_id, .child = &CONTRACT_OFFERINGS,
     .label = "Offerings", .doc = "IDs of the offerings the contract covers, each at most once."},
    {.key = "start_date", .kind = FK_DATE, .flags = FD_REQUIRED,
     .offset = AT(contract, start_date), .column = "start_date", .label = "Start",
     .doc = "First day of the contract."},
    {.key = "end_date", .kind = FK_DATE, .flags = FD_NULLABLE | FD_NULL_LAST,
     .offset = AT(contract, end_date), .column = "end_date", .label = "End",
     .doc = "Last day; required for customer contracts, null for an open-ended upstream "
            "agreement. Not before start_date."},
    {.key = "notice_days", .kind = FK_INT, .offset = AT(contract, notice_days),
     .column = "notice_days", .max = 3650, .label = "Notice days",
     .doc = "Notice period in days."},
    {.key = "notice_deadline", .kind = FK_COMPUTED, .write = write_notice_deadline,
     .label = "Notice deadline",
     .doc = "Computed: end_date minus notice_days; null when open-ended.",
     .brief = "Computed last day to give notice."},
    {.key = "active", .kind = FK_COMPUTED, .flags = FD_REPORT, .write = write_active,
     .label = "Active", .doc = "Binds today."},
    {.key = "current_end", .kind = FK_COMPUTED, .flags = FD_REPORT, .write = write_current_end,
     .label = "Current end", .doc = "End of the current term, auto-renewal rolled forward."},
    {.key = "current_notice_deadline", .kind = FK_COMPUTED, .flags = FD_REPORT,
     .write = write_current_deadline, .label = "Notice deadline",
     .doc = "The current term's notice deadline."},
    FLAG(contract, auto_renew, "Auto-renew",
         "Renews automatically; then renewal_months must be set."),
    {.key = "renewal_months", .kind = FK_INT, .offset = AT(contract, renewal_months),
     .column = "renewal_months", .max = 120, .label = "Renewal months",
     .doc = "Renewal term in months."},
    MONEY(contract, annual_value, 10000000000LL, "Annual value", "Annual contract value."),
    {.key = "currency", .kind = FK_STR, .flags = FD_UPPER3, .offset = AT(contract, currency),
     .column = "currency", .min = 3, .max = 3, .def = "USD", .label = "Cur.",
     .doc = "ISO 4217 currency code."},
    MONEY(contract, committed_spend, 10000000000LL, "Committed spend", "Committed spend."),
    CDATE(committed_until, "Commitment ends",
          "Last day of the spend commitment; null: the contract's end."),
    FLAG(contract, exclusive, "Exclusive", "Exclusivity clause."),
    CDATE(exclusive_until, "Exclusivity ends",
          "Last day of exclusivity; null: the contract's end."),
    {.key = "exit_clause", .kind = FK_ENUM, .offset = AT(contract, exit_clause),
     .column = "exit_clause", .enum_table = EXIT_CLAUSES, .def = "none", .label = "Exit clause",
     .doc = "Exit clause."},
    FLAG(contract, data_portability, "Data portability", "Data portability is guaranteed."),
    {.key = "substitutability", .kind = FK_ENUM, .offset = AT(contract, substitutability),
     .column = "substitutability", .enum_table = SUBSTITUTABILITY, .def = "medium",
     .label = "Substitutability",
     .doc = "Substitutability, after the DORA register of information."},
    {.key = "exit_plan", .kind = FK_STR, .offset = AT(contract, exit_plan), .column = "exit_plan",
     .max = 4000, .label = "Exit plan", .doc = "Exit plan in words."},
    CDATE(exit_plan_tested, "Exit plan tested",
          "Day the exit plan was last tested; null: never."),
    {.key = "governing_law", .kind = FK_STR, .flags = FD_UPPER2,
     .offset = AT(contract, governing_law), .column = "governing_law", .max = 2,
     .label = "Governing law", .doc = "Country whose law governs it (ISO 3166), or empty."},
    {.key = "reference", .kind = FK_STR, .flags = FD_ONELINE, .offset = AT(contract, reference),
     .column = "reference", .max = 80, .label = "Reference",
     .doc = "DORA: the contractual arrangement reference number (register of information "
            "B_02.01 c0010), or empty." ONE_LINE},
    {.key = "ict_service_type", .kind = FK_ENUM, .flags = FD_NULLABLE,
     .offset = AT(contract, ict_service_type), .column = "ict_service_type",
     .enum_table = ICT_SERVICE_TYPES, .label = "ICT service type",
     .doc = "DORA: the type of ICT service, as ITS 2024/2956 Annex III numbers them (S01 ICT "
            "project management ... S17 IaaS, S18 PaaS, S19 SaaS); null: not classified."},
    {.key = "substitution_reason", .kind = FK_ENUM, .flags = FD_NULLABLE,
     .offset = AT(contract, substitution_reason), .column = "substitution_reason",
     .enum_table = SUBSTITUTION_REASONS, .label = "Why hard to substitute",
     .doc = "DORA B_07.01 c0060, where substitutability is hard or none: no real "
            "alternatives, migration or reintegration difficult, or both; null: not stated."},
    {.key = "reintegration", .kind = FK_ENUM, .flags = FD_NULLABLE,
     .offset = AT(contract, reintegration), .column = "reintegration",
     .enum_table = REINTEGRATION, .label = "Reintegration",
     .doc = "DORA B_07.01 c0090: could the service be brought back in house; null: not "
            "assessed."},
    {.key = "discontinuing_impact", .kind = FK_ENUM, .flags = FD_NULLABLE,
     .offset = AT(contract, discontinuing_impact), .column = "discontinuing_impact",
     .enum_table = DORA_IMPACTS, .label = "Impact of discontinuing",
     .doc = "DORA B_07.01 c0100: the impact of discontinuing the ICT service; null: not "
            "assessed."},
    {.key = "notes", .kind = FK_STR, .offset = AT(contract, notes), .column = "notes",
     .max = 4000, .label = "Notes", .doc = FREE_TEXT},
    PROVENANCE(contract),
    {.key = "terms", .kind = FK_ARRAY, .offset = AT(contract, terms),
     .count_offset = AT(contract, n_terms), .max = 50, .sub = TERM_FIELDS,
     .item_size = sizeof(contract_term), .check = check_term, .child = &CONTRACT_TERMS,
     .report_item = "{kind}: {text}[ (from {effective})][ (until {until})]"
                    "[; scope: provider group of {scope_provider_name}]"
                    "[; publisher group of {scope_publisher_name}]"
                    "[; host group of {scope_host_name}][; track {scope_track}]",
     .label = "Terms", .doc = "Upstream only: the dated terms.", .schema = "ContractTerm"},
    STAMPS(contract),
    END};

const entity_desc CONTRACT_DESC = {
    "contract", "/api/v1/contracts", "contracts", "Contract", sizeof(contract),
    AT(contract, version), AT(contract, created_at), AT(contract, updated_at), CONTRACT_FIELDS,
    CONTRACT_SORTS, check_contract};

static const field_desc FEATURE_ITEM[] = {
    {.key = "", .kind = FK_STR, .flags = FD_ONELINE, .column = "feature", .min = 1, .max = 120,
     .doc = "A proprietary feature relied on." ONE_LINE},
    END};
static const child_desc WORKLOAD_FEATURES = {"workload_features", "workload_id", "position"};

static const field_desc DEPENDENCY_FIELDS[] = {
    {.key = "offering", .kind = FK_REF, .flags = FD_REQUIRED, .offset = AT(dependency, offering),
     .column = "offering_id", .ref = REF_OFFERING, .label = "Offering",
     .doc = "The offering depended on."},
    {.key = "role", .kind = FK_ENUM, .flags = FD_REQUIRED, .offset = AT(dependency, role),
     .column = "role", .enum_table = DEP_ROLES, .label = "Role",
     .doc = "What the offering does for the workload."},
    END};
static const child_desc WORKLOAD_DEPENDENCIES = {"workload_dependencies", "workload_id",
                                                 "position"};

static const field_desc ALTERNATIVE_FIELDS[] = {
    {.key = "dependency", .kind = FK_REF, .flags = FD_REQUIRED,
     .offset = AT(alternative, dependency), .column = "dependency_id", .ref = REF_OFFERING,
     .label = "Replaces", .doc = "The dependency's offering it would replace."},
    {.key = "offering", .kind = FK_REF, .flags = FD_REQUIRED, .offset = AT(alternative, offering),
     .column = "offering_id", .ref = REF_OFFERING, .label = "Alternative",
     .doc = "The replacement offering."},
    END};
static const child_desc WORKLOAD_ALTERNATIVES = {"workload_alternatives", "workload_id",
                                                 "position"};

#define TEXT(T, k, fl, lim, lab, text) \
    {.key = #k, .kind = FK_STR, .flags = fl, .offset = AT(T, k), .column = #k, .max = lim, \
     .label = lab, .doc = text}
#define CHOICE(T, k, fl, table, d, lab, text)                                          \
    {.key = #k, .kind = FK_ENUM, .flags = fl, .offset = AT(T, k), .column = #k,         \
     .enum_table = table, .def = d, .label = lab, .doc = text}

static const field_desc WORKLOAD_FIELDS[] = {
    ID_FIELD(workload, "workload"),
    {.key = "name", .kind = FK_STR, .flags = FD_REQUIRED | FD_ONELINE,
     .offset = AT(workload, name), .column = "name", .min = 1, .max = 160, .label = "Workload",
     .doc = "Unique name." ONE_LINE},
    TEXT(workload, purpose, 0, 2000, "Purpose", "What it is for."),
    {.key = "owner", .kind = FK_STR, .flags = FD_REQUIRED | FD_ONELINE,
     .offset = AT(workload, owner), .column = "owner", .min = 1, .max = 120, .label = "Owner",
     .doc = "Accountable person; required." ONE_LINE},
    TEXT(workload, team, FD_ONELINE, 120, "Team", "Owning team." ONE_LINE),
    CHOICE(workload, track, FD_REQUIRED | FD_FILTER, TRACKS, NULL, "Track", "Strategy track."),
    CHOICE(workload, status, FD_REQUIRED | FD_FILTER | FD_SORT_RANK, STATUSES, NULL, "Status",
           "Lifecycle status."),
    CHOICE(workload, criticality, FD_REQUIRED | FD_FILTER | FD_SORT_RANK, CRITICALITIES, NULL,
           "Criticality", "Business criticality."),
    CHOICE(workload, data_classification, FD_REQUIRED, CLASSIFICATIONS, NULL,
           "Data classification", "Data classification; required (no default hides the choice)."),
    {.key = "users", .kind = FK_INT, .flags = FD_NULLABLE, .offset = AT(workload, users),
     .column = "users", .max = 10000000, .label = "Users",
     .doc = "Number of users; null (or absent) when not known, which is not 0."},
    MONEY(workload, monthly_spend, 1000000000LL, "Monthly spend", "Monthly spend."),
    {.key = "planned_end", .kind = FK_DATE, .flags = FD_NULLABLE,
     .offset = AT(workload, planned_end), .column = "planned_end", .label = "Planned end",
     .doc = "Planned end date; null when none."},
    CHOICE(workload, ai_act_tier, FD_REQUIRED, AI_ACT_TIERS, NULL, "AI Act tier",
           "EU AI Act risk tier; required (no default hides the choice)."),
    FLAG(workload, swap_layer, "Swap layer",
         "An agent layer or gateway can swap model and cloud without a rebuild."),
    {.key = "allowed_regions", .kind = FK_ARRAY, .offset = AT(workload, allowed_regions),
     .count_offset = AT(workload, n_allowed_regions), .max = 40, .sub = REGION_ITEM,
     .item_size = sizeof(const char *), .check = check_region, .child = &WORKLOAD_REGIONS,
     .label = "Allowed regions",
     .doc = "Where its data may be processed (EU, US, ...); empty: anywhere."},
    TEXT(workload, oversight_owner, FD_ONELINE, 120, "Oversight owner",
         "EU AI Act: the person who oversees it (human oversight)." ONE_LINE),
    {.key = "impact_assessment", .kind = FK_DATE, .flags = FD_NULLABLE,
     .offset = AT(workload, impact_assessment), .column = "impact_assessment",
     .label = "Impact assessment",
     .doc = "EU AI Act: day of the fundamental-rights impact assessment on file; null: none."},
    TEXT(workload, function_id, FD_ONELINE, 30, "Function ID",
         "DORA: identifier of the business function it supports (register of information "
         "B_06.01 c0010, e.g. F1), or empty." ONE_LINE),
    TEXT(workload, function_name, FD_ONELINE, 160, "Function",
         "DORA: name of that function (B_06.01 c0030)." ONE_LINE),
    {.key = "function_critical", .kind = FK_ENUM, .flags = FD_NULLABLE,
     .offset = AT(workload, function_critical), .column = "function_critical",
     .enum_table = FUNCTION_CRITICAL, .label = "Critical or important function",
     .doc = "DORA B_06.01 c0050: whether the function is critical or important (yes, no, "
            "not_assessed); null: not stated."},
    {.key = "rto_hours", .kind = FK_INT, .offset = AT(workload, rto_hours),
     .column = "rto_hours", .min = -1, .max = 8760, .label = "RTO hours",
     .doc = "DORA B_06.01 c0080: recovery time objective of the function in hours; -1 (the "
            "default): not set."},
    {.key = "rpo_hours", .kind = FK_INT, .offset = AT(workload, rpo_hours),
     .column = "rpo_hours", .min = -1, .max = 8760, .label = "RPO hours",
     .doc = "DORA B_06.01 c0090: recovery point objective of the function in hours; -1 (the "
            "default): not set."},
    {.key = "annex_iii_area", .kind = FK_ENUM, .flags = FD_NULLABLE,
     .offset = AT(workload, annex_iii_area), .column = "annex_iii_area",
     .enum_table = ANNEX_III_AREAS, .label = "Annex III area",
     .doc = "EU AI Act Annex III area (points 1-8: biometrics, critical_infrastructure, "
            "education, employment, essential_services, law_enforcement, migration_border, "
            "justice_democracy); required when ai_act_tier is high; null: none."},
    {.key = "ai_system_provider", .kind = FK_REF, .flags = FD_NULLABLE, .ref = REF_VENDOR,
     .offset = AT(workload, ai_system_provider), .column = "ai_system_provider_id",
     .label = "AI system provider",
     .doc = "EU AI Act: the vendor that provides the AI system (the organisation itself when "
            "built in-house); null: not recorded."},
    TEXT(workload, intended_purpose, 0, 2000, "Intended purpose",
         "EU AI Act: the intended purpose the system is used for, as the provider's "
         "instructions for use state it."),
    {.key = "log_retention_months", .kind = FK_INT, .offset = AT(workload, log_retention_months),
     .column = "log_retention_months", .max = 1200, .label = "Log retention (months)",
     .doc = "EU AI Act Art. 26(6): months its automatically generated logs are kept (at least 6 "
            "for a high-risk system); 0: not recorded."},
    CHOICE(workload, fria_status, FD_NULLABLE, FRIA_STATUSES, NULL, "FRIA status",
           "EU AI Act Art. 27: fundamental-rights impact assessment not_required, planned or "
           "done (its day in impact_assessment); null: not assessed."),
    {.key = "affected_persons_informed", .kind = FK_DATE, .flags = FD_NULLABLE,
     .offset = AT(workload, persons_informed), .column = "affected_persons_informed",
     .label = "Affected persons informed",
     .doc = "EU AI Act Art. 26(11): day the persons it makes decisions about were informed "
            "that it is used; null: not yet."},
    TEXT(workload, incident_contact, FD_ONELINE, 200, "Incident contact",
         "EU AI Act Art. 26(5): who reports serious incidents to the provider and the "
         "authority (name, role, mailbox)." ONE_LINE),
    {.key = "proprietary_features", .kind = FK_ARRAY, .offset = AT(workload, features),
     .count_offset = AT(workload, n_features), .max = 20, .sub = FEATURE_ITEM,
     .item_size = sizeof(const char *), .child = &WORKLOAD_FEATURES,
     .label = "Proprietary features", .doc = "Proprietary features it relies on."},
    {.key = "dependencies", .kind = FK_ARRAY, .offset = AT(workload, dependencies),
     .count_offset = AT(workload, n_dependencies), .max = 32, .sub = DEPENDENCY_FIELDS,
     .item_size = sizeof(dependency), .check = check_dependency,
     .child = &WORKLOAD_DEPENDENCIES, .label = "Dependencies", .schema = "Dependency",
     .report_item = "{offering_name} ({role})",
     .doc = "The offerings it depends on."},
    {.key = "alternatives", .kind = FK_ARRAY, .offset = AT(workload, alternatives),
     .count_offset = AT(workload, n_alternatives), .max = 32, .sub = ALTERNATIVE_FIELDS,
     .item_size = sizeof(alternative), .check = check_alternative,
     .child = &WORKLOAD_ALTERNATIVES, .label = "Alternatives", .schema = "Alternative",
     .report_item = "{offering_name} for {dependency_name}",
     .doc = "Named offerings that could replace a dependency; exit drills "
            "(POST .../drills) prove them."},
    TEXT(workload, notes, 0, 2000, "Notes", FREE_TEXT),
    {.key = "risk", .kind = FK_COMPUTED, .write = write_risk, .label = "Risk",
     .doc = "Computed lock-in risk.", .brief = "Computed lock-in risk.", .schema = "Risk"},
    STAMPS(workload),
    END};

const entity_desc WORKLOAD_DESC = {
    "workload", "/api/v1/workloads", "workloads", "Workload", sizeof(workload),
    AT(workload, version), AT(workload, created_at), AT(workload, updated_at), WORKLOAD_FIELDS,
    WORKLOAD_SORTS, check_workload};

static const field_desc SCENARIO_FIELDS[] = {
    ID_FIELD(saved_scenario, "scenario"),
    {.key = "name", .kind = FK_STR, .flags = FD_REQUIRED | FD_ONELINE,
     .offset = AT(saved_scenario, name), .column = "name", .min = 1, .max = 160,
     .label = "Scenario", .doc = "Unique name." ONE_LINE},
    TEXT(saved_scenario, description, 0, 2000, "Description", FREE_TEXT),
    TEXT(saved_scenario, owner, FD_ONELINE, 120, "Owner", "Who owns it." ONE_LINE),
    {.key = "changes", .kind = FK_JSON, .flags = FD_REQUIRED, .offset = AT(saved_scenario, changes),
     .column = "changes", .min = 1, .max = 50, .parse = parse_changes, .label = "Changes",
     .doc = "The changes, in order.", .schema = "ScenarioChange"},
    STAMPS(saved_scenario),
    END};

const entity_desc SCENARIO_DESC = {
    "scenario", "/api/v1/scenarios", "scenarios", "SavedScenario", sizeof(saved_scenario),
    AT(saved_scenario, version), AT(saved_scenario, created_at), AT(saved_scenario, updated_at),
    SCENARIO_FIELDS, SCENARIO_SORTS, NULL};
