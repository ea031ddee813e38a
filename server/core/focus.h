/* focus.h - rows of a FinOps FOCUS cost and usage file (CSV).
 *
 * Columns by their FOCUS names (FOCUS 1.0 to 1.2, as Microsoft documents
 * its FocusCost 1.0 and 1.2 exports:
 * https://learn.microsoft.com/en-us/cloud-computing/finops/focus/metadata):
 * required BilledCost, EffectiveCost, BillingCurrency, ChargePeriodStart;
 * optional ServiceName, ProviderName and PublisherName (or the names some
 * exports use after them, ServiceProviderName and HostProviderName),
 * ChargeCategory, and Tags (a JSON object of key -> value). A row's cost
 * is allocated to the workload named by the tag the caller chooses.
 * Amounts are kept in millionths of the currency unit, so 200,000 rows
 * add up exactly. Pure. */
#ifndef SY_FOCUS_H
#define SY_FOCUS_H

#include <stddef.h>
#include <stdint.h>

typedef struct focus_cols {
    int billed, effective, currency, period_start;   /* required: index or -1 */
    int service, provider, publisher, category, tags;   /* optional: -1 when absent */
} focus_cols;

/* Maps a header row; 0, or -1 with the missing column named in reason. */
int focus_header(char *const *fields, size_t n, focus_cols *c, char *reason, size_t size);

typedef struct focus_row {
    int64_t billed, effective;   /* millionths */
    char month[8];               /* YYYY-MM of ChargePeriodStart */
    char currency[4];
    char tag[161];               /* the chosen tag's value, "" when absent */
    int tag_present;
} focus_row;

/* Parses a data row. 0, or -1 with the 0-based column at fault in *bad
 * and the reason. */
int focus_row_parse(const focus_cols *c, char *const *fields, size_t n, const char *tag_key,
                    focus_row *out, int *bad, char *reason, size_t size);

/* "12.34", "-0.000001", "1.5E-3" -> millionths (rounded half away from
 * zero). 0, or -1 when not a number or too large. */
int decimal_micros(const char *s, int64_t *out);

/* Millionths -> cents, rounded half away from zero. */
int64_t micros_to_cents(int64_t micros);

#endif
