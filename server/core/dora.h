/* dora.h - the DORA register of information (Regulation (EU) 2022/2554
 * Art. 28(3); templates of Commission Implementing Regulation (EU)
 * 2024/2956; EBA reporting framework 4.0, xBRL-CSV): the templates and their
 * columns as transcribed (dora_templates.c, with its sources), and the
 * register built from the portfolio: one table of text cells per template
 * and the list of every required cell still empty. Nothing is invented:
 * a value Switchyard does not hold stays empty and is reported.
 * Pure: no SQL, no HTTP. */
#ifndef SY_DORA_H
#define SY_DORA_H

#include <stddef.h>

#include "common/arena.h"
#include "common/buf.h"
#include "common/jw.h"
#include "core/portfolio.h"

typedef enum {
    DORA_MANDATORY,   /* always required */
    DORA_CONDITIONAL, /* required in a case the ITS names (see cond) */
    DORA_OPTIONAL
} dora_req;

typedef struct dora_column {
    const char *code;          /* "c0010": the xBRL-CSV column and the plain CSV header */
    const char *name;          /* as the EBA's annotated templates name it */
    dora_req req;
    const char *type;          /* LEI, text, country, currency, monetary, date,
                                  closed set, natural number, yes/no, code type, link */
    const char *cond;          /* DORA_CONDITIONAL: when it is required */
} dora_column;

typedef struct dora_template {
    const char *code;          /* "B_01.01" */
    const char *file;          /* "b_01.01": the table's file name without .csv */
    const char *name;
    const dora_column *columns;
    size_t n_columns;
} dora_template;

enum {
    DT_B0101, DT_B0102, DT_B0103, DT_B0201, DT_B0202, DT_B0301, DT_B0302, DT_B0303,
    DT_B0401, DT_B0501, DT_B0502, DT_B0601, DT_B0701, DORA_TEMPLATES_N
};

extern const dora_template DORA_TEMPLATES[DORA_TEMPLATES_N];
/* Names of the ICT service types S01..S19 (ITS Annex III), by index. */
extern const char *const DORA_SERVICE_TYPE_NAMES[];
/* Where the table was transcribed from (for the README of an export). */
extern const char DORA_SOURCES[];
/* The taxonomy entry point that report.json extends. */
extern const char DORA_TAXONOMY_ENTRY[];

/* The financial entity maintaining the register (settings). NULL or ""
 * where unknown. */
typedef struct dora_entity {
    const char *name, *lei, *country, *type, *authority, *currency;
} dora_entity;

typedef struct dora_table {
    const dora_template *t;
    const char **cells;        /* n_rows x t->n_columns; never NULL entries ("" if empty) */
    size_t n_rows, cap;
} dora_table;

/* A required cell that is empty. kind "missing": Switchyard has the field
 * but the record leaves it empty (fill it in); "not_modelled": Switchyard
 * holds no such data yet. */
typedef struct dora_issue {
    const char *template_code;
    size_t row;                /* 1-based data row; 0: not a row (e.g. a workload with no function) */
    const char *column;        /* "c0010", or "" */
    const char *column_name;
    const char *kind;
    const char *subject;       /* what the row is about (a contract's, vendor's or workload's name) */
    const char *message;
} dora_issue;

typedef struct dora_register {
    dora_table tables[DORA_TEMPLATES_N];
    dora_issue *issues;
    size_t n_issues, cap_issues;
    char ref_date[11];         /* the reference date: today */
} dora_register;

/* Builds the register of the portfolio (indexed, today set) for entity e.
 * Memory from a. 0, or -1 when out of memory. */
int dora_build(const portfolio *p, const dora_entity *e, arena *a, dora_register *out);

/* One template as CSV: the column codes, then the rows (RFC 4180, CRLF,
 * formula-like cells neutralised: core/csv.h). */
void dora_csv(const dora_table *t, buf *out);

/* The validation report: {"reference_date", "complete", "total", "by_template":{...},
 * "issues":[{template, row, column, column_name, kind, subject, message}]}. */
void dora_issues_json(jw *w, const dora_register *r);
/* The same issues as CSV (template,row,column,column_name,kind,subject,message). */
void dora_issues_csv(const dora_register *r, buf *out);

#endif
