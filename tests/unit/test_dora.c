/* test_dora.c - the DORA register's templates (core/dora_templates.c)
 * against the table transcribed here once more from the same sources
 * (Implementing Regulation (EU) 2024/2956 Annex I as the EBA's reporting
 * framework 4.0 codes it; see dora_templates.c), column by column: code,
 * name and requirement; and the register of a small hand-built portfolio:
 * its rows, the EBA codes written, the subcontracting chain and the issues
 * of the cells left empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "core/dora.h"

typedef struct want {
    const char *code, *name;
    char req;                  /* M, C or O */
} want;

#define T(x) {#x, x, sizeof x / sizeof x[0]}

static const want B_01_01[] = {
    {"c0010", "LEI of the entity maintaining the register of information", 'M'},
    {"c0020", "Name of the entity", 'M'}, {"c0030", "Country of the entity", 'M'},
    {"c0040", "Type of entity", 'M'}, {"c0050", "Competent Authority", 'M'},
    {"c0060", "Date of the reporting", 'M'}};
static const want B_01_02[] = {
    {"c0010", "LEI of the entity", 'M'}, {"c0020", "Name of the entity", 'M'},
    {"c0030", "Country of the entity", 'M'}, {"c0040", "Type of entity", 'M'},
    {"c0050", "Hierarchy of the entity within the group (where applicable)", 'M'},
    {"c0060", "LEI of the direct parent undertaking of the entity", 'C'},
    {"c0070", "Date of last update", 'M'},
    {"c0080", "Date of integration in the Register of information", 'M'},
    {"c0090", "Date of deletion in the Register of information", 'O'},
    {"c0100", "Currency", 'C'}, {"c0110", "Value of total assets - of the financial entity", 'C'}};
static const want B_01_03[] = {
    {"c0010", "Identification code of the branch", 'M'},
    {"c0020", "LEI of the financial entity head office of the branch", 'M'},
    {"c0030", "Name of the branch", 'M'}, {"c0040", "Country of the branch", 'M'}};
static const want B_02_01[] = {
    {"c0010", "Contractual arrangement reference number", 'M'},
    {"c0020", "Type of contractual arrangement", 'M'},
    {"c0030", "Overarching contractual arrangement reference number", 'C'},
    {"c0040", "Currency of the amount reported in RT.02.01.0050", 'C'},
    {"c0050", "Annual expense or estimated cost of the contractual arrangement for the past year",
     'C'}};
static const want B_02_02[] = {
    {"c0010", "Contractual arrangement reference number", 'M'},
    {"c0020", "LEI of the entity making use of the ICT service(s)", 'M'},
    {"c0030", "Identification code of the ICT third-party service provider", 'M'},
    {"c0040", "Type of code to identify the ICT third-party service provider", 'M'},
    {"c0050", "Function identifier", 'M'}, {"c0060", "Type of ICT services", 'M'},
    {"c0070", "Start date of the contractual arrangement", 'M'},
    {"c0080", "End date of the contractual arrangement", 'M'},
    {"c0090", "Reason of the termination or ending of the contractual arrangement", 'C'},
    {"c0100", "Notice period for the financial entity making use of the ICT service(s)", 'C'},
    {"c0110", "Notice period for the ICT third-party service provider", 'C'},
    {"c0120", "Country of the governing law of the contractual arrangement", 'C'},
    {"c0130", "Country of provision of the ICT services", 'C'}, {"c0140", "Storage of data", 'C'},
    {"c0150", "Location of the data at rest (storage)", 'C'},
    {"c0160", "Location of management of the data (processing)", 'C'},
    {"c0170", "Sensitiveness of the data stored by the ICT third-party service provider", 'C'},
    {"c0180", "Level of reliance on the ICT service supporting the critical or important "
              "function.", 'C'}};
static const want B_03_01[] = {
    {"c0010", "Contractual arrangement reference number", 'M'},
    {"c0020", "LEI of the entity signing the contractual arrangement", 'M'}, {"c0030", "Link", 'M'}};
static const want B_03_02[] = {
    {"c0010", "Contractual arrangement reference number", 'M'},
    {"c0020", "Identification code of ICT third-party service provider", 'M'},
    {"c0030", "Type of code to identify the ICT third-party service provider", 'M'}};
static const want B_03_03[] = {
    {"c0010", "Contractual arrangement reference number", 'M'},
    {"c0020", "LEI of the entity providing ICT services", 'M'}, {"c0031", "Link", 'M'}};
static const want B_04_01[] = {
    {"c0010", "Contractual arrangement reference number", 'M'},
    {"c0020", "LEI of the entity making use of the ICT service(s)", 'M'},
    {"c0030", "Nature of the entity making use of the ICT service(s)", 'M'},
    {"c0040", "Identification code of the branch", 'C'}};
static const want B_05_01[] = {
    {"c0010", "Identification code of ICT third-party service provider", 'M'},
    {"c0020", "Type of code to identify the ICT third-party service provider", 'M'},
    {"c0030", "Additional identification code of ICT third-party service provider", 'O'},
    {"c0040", "Type of additional identification code of the ICT third-party service provider",
     'C'},
    {"c0050", "Legal name of the ICT third-party service provider", 'M'},
    {"c0060", "Name of the ICT third-party service provider in Latin alphabet", 'C'},
    {"c0070", "Type of person of the ICT third-party service provider", 'M'},
    {"c0080", "Country of the ICT third-party service provider's headquarters", 'M'},
    {"c0090", "Currency of the amount reported in RT.05.01.0070", 'C'},
    {"c0100", "Total annual expense or estimated cost of the ICT third-party service provider",
     'C'},
    {"c0110", "Identification code of the ICT third-party service provider's ultimate parent "
              "undertaking", 'M'},
    {"c0120", "Type of code to identify the ICT third-party service provider's ultimate parent "
              "undertaking", 'C'}};
static const want B_05_02[] = {
    {"c0010", "Contractual arrangement reference number", 'M'},
    {"c0020", "Type of ICT services", 'M'},
    {"c0030", "Identification code of the ICT third-party service provider", 'M'},
    {"c0040", "Type of code to identify the ICT third-party service provider", 'M'},
    {"c0050", "Rank", 'M'},
    {"c0060", "Identification code of the recipient of sub-contracted ICT services", 'C'},
    {"c0070", "Type of code to identify the recipient of sub-contracted ICT services", 'C'}};
static const want B_06_01[] = {
    {"c0010", "Function Identifier", 'M'}, {"c0020", "Licenced activity", 'M'},
    {"c0030", "Function name", 'M'}, {"c0040", "LEI of the financial entity", 'M'},
    {"c0050", "Criticality or importance assessment", 'M'},
    {"c0060", "Reasons for criticality or importance", 'O'},
    {"c0070", "Date of the last assessment of criticality or importance", 'M'},
    {"c0080", "Recovery time objective of the function", 'M'},
    {"c0090", "Recovery point objective of the function", 'M'},
    {"c0100", "Impact of discontinuing the function", 'M'}};
static const want B_07_01[] = {
    {"c0010", "Contractual arrangement reference number", 'M'},
    {"c0020", "Identification code of the ICT third-party service provider", 'M'},
    {"c0030", "Type of code to identify the ICT third-party service provider", 'M'},
    {"c0040", "Type of ICT services", 'M'},
    {"c0050", "Substitutability of the ICT third-party service provider", 'M'},
    {"c0060", "Reason if the ICT third-party service provider is considered not substitutable "
              "or difficult to be substitutable", 'C'},
    {"c0070", "Date of the last audit on the ICT third-party service provider", 'M'},
    {"c0080", "Existence of an exit plan", 'M'},
    {"c0090", "Possibility of reintegration of the contracted ICT service", 'M'},
    {"c0100", "Impact of discontinuing the ICT services", 'M'},
    {"c0110", "Are there alternative ICT third-party service providers identified?", 'M'},
    {"c0120", "Identification of alternative ICT TPP", 'O'}};

static const struct {
    const char *code;
    const want *cols;
    size_t n;
} WANT[] = {T(B_01_01), T(B_01_02), T(B_01_03), T(B_02_01), T(B_02_02), T(B_03_01), T(B_03_02),
            T(B_03_03), T(B_04_01), T(B_05_01), T(B_05_02), T(B_06_01), T(B_07_01)};

static void templates_match_the_transcription(void **state)
{
    (void)state;
    assert_int_equal(sizeof WANT / sizeof WANT[0], DORA_TEMPLATES_N);
    for (int t = 0; t < DORA_TEMPLATES_N; t++) {
        const dora_template *d = &DORA_TEMPLATES[t];
        char code[8], file[8];
        /* "B_01_01" -> "B_01.01" and "b_01.01" */
        memcpy(code, WANT[t].code, 8);
        code[4] = '.';
        memcpy(file, code, 8);
        file[0] = 'b';
        assert_string_equal(d->code, code);
        assert_string_equal(d->file, file);
        assert_int_equal(d->n_columns, WANT[t].n);
        for (size_t c = 0; c < d->n_columns; c++) {
            const dora_column *col = &d->columns[c];
            assert_string_equal(col->code, WANT[t].cols[c].code);
            assert_string_equal(col->name, WANT[t].cols[c].name);
            char req = col->req == DORA_MANDATORY ? 'M' : col->req == DORA_CONDITIONAL ? 'C' : 'O';
            assert_int_equal(req, WANT[t].cols[c].req);
            assert_true(col->req != DORA_CONDITIONAL || (col->cond && *col->cond));
            assert_non_null(col->type);
        }
    }
    /* Annex III: nineteen service types, and the enumeration beside them. */
    size_t n = 0;
    while (DORA_SERVICE_TYPE_NAMES[n])
        n++;
    assert_int_equal(n, 19);
    assert_string_equal(DORA_SERVICE_TYPE_NAMES[18], "Cloud services: SaaS");
    assert_string_equal(ICT_SERVICE_TYPES[18], "S19");
    assert_null(ICT_SERVICE_TYPES[19]);
}

/* ---- a small register --------------------------------------------------------- */

static vendor VENDORS[] = {
    {.id = 1, .name = "Microsoft", .lei = "INR2EJN1ERAN0W5ZP974", .country = "US",
     .kind = "company"},
    {.id = 2, .name = "OpenAI", .lei = "", .country = "US", .kind = "company"},
};
static offering OFFERINGS[] = {
    {.id = 10, .name = "Azure OpenAI", .provider = 1, .publisher = 2, .host = 1, .track = "azure",
     .category = "model_api", .interface = "openai_compatible"},
};
static int64_t COVERED[] = {10};
static contract CONTRACTS[] = {
    {.id = 5, .name = "MACC", .kind = "customer", .counterparty = 1, .offerings = COVERED,
     .n_offerings = 1, .start_date = "2026-01-01", .end_date = "2027-12-31", .notice_days = 90,
     .annual_value = 12345650, .currency = "EUR", .substitutability = "hard",
     .exit_plan = "", .governing_law = "", .reference = "C-1", .ict_service_type = "S18"},
};
static dependency DEPS[] = {{10, "model"}};
static workload WORKLOADS[] = {
    {.id = 7, .name = "Claims triage", .status = "production", .criticality = "high",
     .dependencies = DEPS, .n_dependencies = 1, .function_id = "F1",
     .function_name = "Claims", .function_critical = "yes", .rto_hours = 4, .rpo_hours = -1},
};

static const char *cell(const dora_register *r, int t, size_t row, const char *code)
{
    const dora_template *d = r->tables[t].t;
    for (size_t c = 0; c < d->n_columns; c++)
        if (strcmp(d->columns[c].code, code) == 0)
            return r->tables[t].cells[row * d->n_columns + c];
    return NULL;
}

static int has_issue(const dora_register *r, const char *t, size_t row, const char *col,
                     const char *kind)
{
    for (size_t i = 0; i < r->n_issues; i++)
        if (strcmp(r->issues[i].template_code, t) == 0 && r->issues[i].row == row &&
            strcmp(r->issues[i].column, col) == 0 && strcmp(r->issues[i].kind, kind) == 0)
            return 1;
    return 0;
}

static void register_of_a_small_portfolio(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    portfolio p = {0};
    date_parse("2026-05-04", &p.today);
    p.vendors = VENDORS;
    p.n_vendors = 2;
    p.offerings = OFFERINGS;
    p.n_offerings = 1;
    p.contracts = CONTRACTS;
    p.n_contracts = 1;
    p.workloads = WORKLOADS;
    p.n_workloads = 1;
    assert_int_equal(portfolio_index(&p, &a), 0);
    dora_entity e = {.name = "Northwind", .lei = "", .country = "DE", .type = "eba_CT:x309",
                     .authority = "BaFin", .currency = "EUR"};
    dora_register r;
    assert_int_equal(dora_build(&p, &e, &a, &r), 0);
    assert_string_equal(r.ref_date, "2026-05-04");
    assert_int_equal(r.tables[DT_B0101].n_rows, 1);
    assert_string_equal(cell(&r, DT_B0101, 0, "c0030"), "eba_GA:DE");
    assert_true(has_issue(&r, "B_01.01", 1, "c0010", "missing"));
    /* B_02.01: whole units (123456.50 rounds half up), currency code. */
    assert_string_equal(cell(&r, DT_B0201, 0, "c0050"), "123457");
    assert_string_equal(cell(&r, DT_B0201, 0, "c0040"), "eba_CU:EUR");
    /* B_02.02: the function served; governing law missing for a critical one. */
    assert_int_equal(r.tables[DT_B0202].n_rows, 1);
    assert_string_equal(cell(&r, DT_B0202, 0, "c0050"), "F1");
    assert_string_equal(cell(&r, DT_B0202, 0, "c0060"), "eba_TA:S18");
    assert_string_equal(cell(&r, DT_B0202, 0, "c0040"), "eba_qCO:qx2000");
    assert_true(has_issue(&r, "B_02.02", 1, "c0120", "missing"));
    assert_true(has_issue(&r, "B_02.02", 1, "c0130", "not_modelled"));
    /* B_05.02: Microsoft rank 1, OpenAI (publisher, another group) rank 2. */
    assert_int_equal(r.tables[DT_B0502].n_rows, 2);
    assert_string_equal(cell(&r, DT_B0502, 1, "c0050"), "2");
    assert_string_equal(cell(&r, DT_B0502, 1, "c0060"), "INR2EJN1ERAN0W5ZP974");
    assert_string_equal(cell(&r, DT_B0502, 1, "c0030"), "");
    assert_true(has_issue(&r, "B_05.02", 2, "c0030", "missing"));
    /* B_05.01: both, the direct one with its total. */
    assert_int_equal(r.tables[DT_B0501].n_rows, 2);
    assert_string_equal(cell(&r, DT_B0501, 0, "c0100"), "123457");
    assert_string_equal(cell(&r, DT_B0501, 1, "c0100"), "");
    /* B_06.01: RTO set, RPO not: reported. */
    assert_string_equal(cell(&r, DT_B0601, 0, "c0080"), "4");
    assert_string_equal(cell(&r, DT_B0601, 0, "c0050"), "eba_BT:x28");
    assert_true(has_issue(&r, "B_06.01", 1, "c0090", "missing"));
    /* B_07.01: hard to substitute with no reason given; no exit plan. */
    assert_string_equal(cell(&r, DT_B0701, 0, "c0050"), "eba_ZZ:x960");
    assert_string_equal(cell(&r, DT_B0701, 0, "c0080"), "eba_BT:x29");
    assert_string_equal(cell(&r, DT_B0701, 0, "c0110"), "eba_BT:x29");
    assert_true(has_issue(&r, "B_07.01", 1, "c0060", "missing"));
    /* The CSV: codes as the header. */
    buf out;
    buf_init(&out);
    dora_csv(&r.tables[DT_B0301], &out);
    assert_string_equal(out.data, "c0010,c0020,c0030\r\nC-1,,true\r\n");
    buf_free(&out);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(templates_match_the_transcription),
        cmocka_unit_test(register_of_a_small_portfolio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
