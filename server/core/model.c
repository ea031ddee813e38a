/* model.c - the enumeration tables of the domain model. */
#include "model.h"

#include <string.h>

const char *const TRACKS[] = {"copilot", "azure", "openai", "other", NULL};
const char *const CATEGORIES[] = {"model_api", "assistant", "platform",
                                  "data_store", "identity", "tooling", NULL};
const char *const INTERFACES[] = {"openai_compatible", "open_standard",
                                  "proprietary", NULL};
const char *const CONTRACT_KINDS[] = {"customer", "upstream", NULL};
const char *const EXIT_CLAUSES[] = {"none", "partial", "full", NULL};
const char *const SUBSTITUTABILITY[] = {"easy", "medium", "hard", "none", NULL};
const char *const TERM_KINDS[] = {"cloud_priority", "distribution", "licence",
                                  "revenue_share", "equity", "other", NULL};
const char *const STATUSES[] = {"proposed", "pilot", "production", "retired", NULL};
const char *const CRITICALITIES[] = {"low", "medium", "high", "critical", NULL};
const char *const CLASSIFICATIONS[] = {"public", "internal", "confidential",
                                       "restricted", NULL};
const char *const AI_ACT_TIERS[] = {"minimal", "limited", "high", "unacceptable", NULL};
const char *const DEP_ROLES[] = {"model", "hosting", "assistant", "data",
                                 "identity", "tooling", NULL};
const char *const VENDOR_KINDS[] = {"company", "self", NULL};
const char *const DRILL_RESULTS[] = {"passed", "failed", NULL};
const char *const ICT_SERVICE_TYPES[] = {"S01", "S02", "S03", "S04", "S05", "S06", "S07",
                                         "S08", "S09", "S10", "S11", "S12", "S13", "S14",
                                         "S15", "S16", "S17", "S18", "S19", NULL};
const char *const SUBSTITUTION_REASONS[] = {"no_alternatives", "migration_difficult", "both",
                                            NULL};
const char *const REINTEGRATION[] = {"easy", "difficult", "highly_complex", NULL};
const char *const DORA_IMPACTS[] = {"low", "medium", "high", NULL};
const char *const FUNCTION_CRITICAL[] = {"yes", "no", "not_assessed", NULL};
/* Annex III of Regulation (EU) 2024/1689, points 1 to 8
 * (https://eur-lex.europa.eu/eli/reg/2024/1689/oj, Annex III; as
 * transcribed at https://www.sipoch.com/en/article/300330018107247). */
const char *const ANNEX_III_AREAS[] = {"biometrics",
                                       "critical_infrastructure",
                                       "education",
                                       "employment",
                                       "essential_services",
                                       "law_enforcement",
                                       "migration_border",
                                       "justice_democracy",
                                       NULL};
const char *const FRIA_STATUSES[] = {"not_required", "planned", "done", NULL};

int enum_index(const char *const *table, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; table[i]; i++)
        if (strcmp(table[i], s) == 0)
            return i;
    return -1;
}

void enum_list(const char *const *table, char *out, size_t size)
{
    size_t len = 0;
    int n = 0;
    while (table[n])
        n++;
    for (int i = 0; i < n; i++) {
        const char *joiner = i == 0 ? "" : (i == n - 1 ? " or " : ", ");
        for (const char *p = joiner; *p && len + 1 < size; p++)
            out[len++] = *p;
        for (const char *p = table[i]; *p && len + 1 < size; p++)
            out[len++] = *p;
    }
    if (size)
        out[len < size ? len : size - 1] = '\0';
}
