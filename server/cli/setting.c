/* setting.c - `switchyard setting [KEY [VALUE]]`: what an organisation sets
 * once (its name, reporting currency, report classification, review
 * interval, and the DORA register's entity), each checked before it is
 * written and every change audited as system:cli. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "common/arena.h"
#include "common/text.h"
#include "api/audit.h"
#include "core/entity.h"

/* What an organisation sets once: its name, its reporting currency and the
 * classification printed on every page of its reports. */
typedef struct setting_spec {
    const char *key;
    size_t max;                /* characters */
    int currency;              /* three capital letters (ISO 4217) */
    const char *help;
    int days;                  /* a number of days, 1 to 3650 */
} setting_spec;

static const setting_spec SETTINGS[] = {
    {"organisation", 160, 0, "the organisation's name, on reports", 0},
    {"currency", 3, 1, "the reporting currency of monthly spend (ISO 4217, e.g. EUR)", 0},
    {"report_classification", 80, 0, "the mark on every report page (default Internal)", 0},
    {"review_days", 4, 0, "days after which a catalogue fact's as-of date reads stale "
                          "(default 180)", 1},
    {"evidence_days", 4, 0, "days after which imported usage evidence reads stale "
                            "(default 45)", 1},
    /* The financial entity maintaining the DORA register of information
     * (B_01.01; core/dora.h). */
    {"entity_lei", 20, 0, "the organisation's LEI (ISO 17442), for the DORA register", 0},
    {"entity_country", 2, 0, "the organisation's country (ISO 3166, e.g. DE), for the DORA "
                             "register", 0},
    {"entity_type", 40, 0, "the organisation's type of financial entity as the EBA codes it "
                           "(e.g. eba_CT:x309, insurance undertaking), for the DORA register", 0},
    {"competent_authority", 160, 0, "the organisation's competent authority (e.g. BaFin), for "
                                    "the DORA register", 0},
};

static const setting_spec *setting_find(const char *key)
{
    for (size_t i = 0; i < sizeof SETTINGS / sizeof SETTINGS[0]; i++)
        if (strcmp(SETTINGS[i].key, key) == 0)
            return &SETTINGS[i];
    return NULL;
}

/* NULL when value suits the setting, else why not (in why). */
static const char *setting_problem(const setting_spec *s, const char *value, char *why,
                                   size_t size)
{
    size_t n = strlen(value);
    int64_t days;
    if (s->days)
        return parse_i64(value, 1, 3650, &days) == 0 ? NULL : "must be a whole number of days "
                                                                "from 1 to 3650";
    if (!s->currency && (n == 0 || n > s->max)) {
        snprintf(why, size, "must be 1 to %zu characters", s->max);
        return why;
    }
    for (const char *p = value; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return "must be one line without control characters";
        if (s->currency && !(*p >= 'A' && *p <= 'Z'))
            return "must be a three-letter ISO 4217 code such as EUR";
    }
    if (strcmp(s->key, "entity_lei") == 0 && !lei_valid(value))
        return "must be an ISO 17442 LEI: 18 capital letters or digits and two check digits";
    if (strcmp(s->key, "entity_country") == 0 &&
        (n != 2 || value[0] < 'A' || value[0] > 'Z' || value[1] < 'A' || value[1] > 'Z'))
        return "must be a two-letter ISO 3166 code such as DE";
    return s->currency && n != 3 ? "must be a three-letter ISO 4217 code such as EUR" : NULL;
}

/* {"key":K,"value":V} for the audit trail (V may be NULL). */
static char *setting_doc(const char *key, const char *value)
{
    json_t *doc = json_pack("{s:s, s:s?}", "key", key, "value", value);
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    return text;
}

static int setting_write(sy_db *db, const setting_spec *s, const char *value)
{
    arena a;
    arena_init(&a);
    const char *old = NULL;
    store_err err;
    int code = store_setting_get(db, s->key, &a, &old);
    char *before = code == ST_OK ? setting_doc(s->key, old) : NULL;
    char *after = setting_doc(s->key, value);
    int ok = (code == ST_OK || code == ST_NOT_FOUND) && after &&
             store_begin_write(db, &err) == ST_OK;
    if (ok) {
        ok = store_setting_set(db, s->key, value, &err) == ST_OK &&
             audit_record(db, "system:cli", "update", "setting", 0, before, after, &err) == ST_OK &&
             store_commit(db, &err) == ST_OK;
        if (!ok)
            store_rollback(db);
    }
    free(before);
    free(after);
    arena_free(&a);
    if (!ok) {
        fprintf(stderr, "switchyard: the setting could not be saved\n");
        return 1;
    }
    printf("%s = %s\n", s->key, value);
    return 0;
}

int cli_setting(sy_db *db, const char *const *args, int n_args)
{
    if (n_args > 2) {
        fprintf(stderr, "switchyard: usage: switchyard setting [KEY [VALUE]]\n");
        return 2;
    }
    const setting_spec *only = NULL;
    if (n_args >= 1 && !(only = setting_find(args[0]))) {
        fprintf(stderr, "switchyard: unknown setting %s (organisation, currency, "
                        "report_classification, review_days, evidence_days, entity_lei, entity_country, "
                        "entity_type or competent_authority)\n", args[0]);
        return 2;
    }
    if (n_args == 2) {
        char text[80];
        const char *why = setting_problem(only, args[1], text, sizeof text);
        if (why) {
            fprintf(stderr, "switchyard: %s %s\n", only->key, why);
            return 2;
        }
        return setting_write(db, only, args[1]);
    }
    arena a;
    arena_init(&a);
    int rc = 0;
    for (size_t i = 0; i < sizeof SETTINGS / sizeof SETTINGS[0]; i++) {
        if (only && only != &SETTINGS[i])
            continue;
        const char *value = NULL;
        int code = store_setting_get(db, SETTINGS[i].key, &a, &value);
        if (code != ST_OK && code != ST_NOT_FOUND)
            rc = 1;
        printf("%s = %s    (%s)\n", SETTINGS[i].key, value ? value : "(not set)", SETTINGS[i].help);
    }
    arena_free(&a);
    return rc;
}
