/* contracts.c - SQL for contracts: the organisation's own (customer) and the
 * agreements between vendors that shape its options (upstream), with the
 * offerings each covers and, for upstream ones, their dated terms. */
#include <stdio.h>
#include <string.h>

#include "store/internal.h"

const char *const CONTRACT_SORTS[] = {"name", "-name", "id", "-id", "end_date", "-end_date",
                                      "start_date", "-start_date", "annual_value",
                                      "-annual_value", "created_at", "-created_at",
                                      "updated_at", "-updated_at", NULL};

#define CONTRACT_COLS                                                          \
    "SELECT id, name, kind, counterparty_id, other_party_id, start_date, end_date, " \
    "notice_days, auto_renew, renewal_months, annual_value, currency, committed_spend, " \
    "exclusive, exit_clause, data_portability, substitutability, exit_plan, notes, " \
    "version, created_at, updated_at FROM contracts c "
#define CONTRACT_WHERE                                                         \
    "WHERE (CAST(?1 AS TEXT) IS NULL "                                         \
    "OR lower(name) LIKE ?1 ESCAPE '\\') "                                     \
    "AND (CAST(?8 AS TEXT) IS NULL OR kind = ?8) "                             \
    "AND (CAST(?9 AS BIGINT) IS NULL "                                         \
    "OR counterparty_id = ?9 OR other_party_id = ?9) "                         \
    "AND (CAST(?10 AS BIGINT) IS NULL "                                        \
    "OR EXISTS (SELECT 1 FROM contract_offerings co "                          \
    "WHERE co.contract_id = c.id AND co.offering_id = ?10)) "

static const char SQL_GET[] = CONTRACT_COLS "WHERE id = ?1";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM contracts c " CONTRACT_WHERE;
static const char SQL_PAGE[] =
    CONTRACT_COLS CONTRACT_WHERE
    "ORDER BY "
    "CASE WHEN ?2 = 'name' THEN name END ASC, CASE WHEN ?2 = '-name' THEN name END DESC, "
    "CASE WHEN ?2 = 'end_date' THEN COALESCE(end_date, '9999-12-31') END ASC, "
    "CASE WHEN ?2 = '-end_date' THEN COALESCE(end_date, '9999-12-31') END DESC, "
    "CASE WHEN ?2 = 'start_date' THEN start_date END ASC, "
    "CASE WHEN ?2 = '-start_date' THEN start_date END DESC, "
    "CASE WHEN ?2 = 'annual_value' THEN annual_value END ASC, "
    "CASE WHEN ?2 = '-annual_value' THEN annual_value END DESC, "
    "CASE WHEN ?2 = 'created_at' THEN created_at END ASC, "
    "CASE WHEN ?2 = '-created_at' THEN created_at END DESC, "
    "CASE WHEN ?2 = 'updated_at' THEN updated_at END ASC, "
    "CASE WHEN ?2 = '-updated_at' THEN updated_at END DESC, "
    "CASE WHEN ?2 = 'id' THEN id END ASC, "
    "CASE WHEN ?2 = '-id' THEN id END DESC, name ASC, id ASC "
    "LIMIT ?3 OFFSET ?4";
static const char SQL_OFFERINGS[] =
    "SELECT offering_id FROM contract_offerings WHERE contract_id = ?1 ORDER BY position";
static const char SQL_TERMS[] =
    "SELECT kind, text, effective, until FROM contract_terms WHERE contract_id = ?1 "
    "ORDER BY position";
static const char SQL_INSERT[] =
    "INSERT INTO contracts(name, kind, counterparty_id, other_party_id, start_date, "
    "end_date, notice_days, auto_renew, renewal_months, annual_value, currency, "
    "committed_spend, exclusive, exit_clause, data_portability, substitutability, "
    "exit_plan, notes, version, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
    "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, 1, ?19, ?19) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE contracts SET name = ?1, kind = ?2, counterparty_id = ?3, other_party_id = ?4, "
    "start_date = ?5, end_date = ?6, notice_days = ?7, auto_renew = ?8, renewal_months = ?9, "
    "annual_value = ?10, currency = ?11, committed_spend = ?12, exclusive = ?13, "
    "exit_clause = ?14, data_portability = ?15, substitutability = ?16, exit_plan = ?17, "
    "notes = ?18, updated_at = ?19, version = version + 1 WHERE id = ?20";
static const char SQL_DELETE[] = "DELETE FROM contracts WHERE id = ?1";
static const char SQL_VERSION[] = "SELECT version FROM contracts WHERE id = ?1";
static const char SQL_FIND[] = "SELECT id FROM contracts WHERE name = ?1";
static const char SQL_NAME_TAKEN[] = "SELECT 1 FROM contracts WHERE name = ?1 AND id <> ?2";
static const char SQL_VENDOR_EXISTS[] = "SELECT 1 FROM vendors WHERE id = ?1";
static const char SQL_OFFERING_EXISTS[] = "SELECT 1 FROM offerings WHERE id = ?1";
static const char SQL_CLEAR_OFFERINGS[] = "DELETE FROM contract_offerings WHERE contract_id = ?1";
static const char SQL_ADD_OFFERING[] =
    "INSERT INTO contract_offerings(contract_id, offering_id, position) VALUES (?1, ?2, ?3)";
static const char SQL_CLEAR_TERMS[] = "DELETE FROM contract_terms WHERE contract_id = ?1";
static const char SQL_ADD_TERM[] =
    "INSERT INTO contract_terms(contract_id, position, kind, text, effective, until) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

void store_read_contract_row(dstmt *st, arena *a, void *item)
{
    contract *c = item;
    memset(c, 0, sizeof *c);
    c->id = col_i64(st, 0);
    c->name = col_text(st, 1, a);
    c->kind = col_text(st, 2, a);
    c->counterparty = col_i64(st, 3);
    c->other_party = col_i64(st, 4);
    c->start_date = col_text(st, 5, a);
    c->end_date = col_text(st, 6, a);
    c->notice_days = col_i64(st, 7);
    c->auto_renew = (int)col_i64(st, 8);
    c->renewal_months = col_i64(st, 9);
    c->annual_value = col_i64(st, 10);
    c->currency = col_text(st, 11, a);
    c->committed_spend = col_i64(st, 12);
    c->exclusive = (int)col_i64(st, 13);
    c->exit_clause = col_text(st, 14, a);
    c->data_portability = (int)col_i64(st, 15);
    c->substitutability = col_text(st, 16, a);
    c->exit_plan = col_text(st, 17, a);
    c->notes = col_text(st, 18, a);
    c->version = col_i64(st, 19);
    c->created_at = col_text(st, 20, a);
    c->updated_at = col_text(st, 21, a);
}

static void read_offering_id(dstmt *st, arena *a, void *item)
{
    (void)a;
    *(int64_t *)item = col_i64(st, 0);
}

static void read_term(dstmt *st, arena *a, void *item)
{
    contract_term *t = item;
    t->kind = col_text(st, 0, a);
    t->text = col_text(st, 1, a);
    t->effective = col_text(st, 2, a);
    t->until = col_text(st, 3, a);
}

static int read_children(sy_db *db, arena *a, contract *c, store_err *err)
{
    void *ids, *terms;
    int code = db_children(db, SQL_OFFERINGS, c->id, a, sizeof(int64_t), read_offering_id,
                           &ids, &c->n_offerings, err);
    c->offerings = ids;
    if (code == ST_OK)
        code = db_children(db, SQL_TERMS, c->id, a, sizeof(contract_term), read_term,
                           &terms, &c->n_terms, err);
    c->terms = code == ST_OK ? terms : NULL;
    return code;
}

int store_contract_get(sy_db *db, int64_t id, arena *a, contract *out, store_err *err)
{
    int code = db_get_row(db, SQL_GET, NULL, id, a, store_read_contract_row, out, "No contract with this ID.", err);
    return code == ST_OK ? read_children(db, a, out, err) : code;
}

int store_contract_list(sy_db *db, const list_query *q, arena *a, contract **items,
                        size_t *n, int64_t *total, store_err *err)
{
    void *rows;
    int code = db_list(db, SQL_COUNT, SQL_PAGE, q, a, sizeof(contract), store_read_contract_row,
                       &rows, n, total, err);
    *items = rows;
    for (size_t i = 0; code == ST_OK && i < *n; i++)
        code = read_children(db, a, &(*items)[i], err);
    return code;
}

static int check_refs(sy_db *db, int64_t id, const contract *c, store_err *err)
{
    int code = db_name_free(db, SQL_NAME_TAKEN, c->name, id,
                            "Another contract already has this name.", err);
    if (code != ST_OK)
        return code;
    const struct { int64_t id; const char *ptr; } refs[] = {
        {c->counterparty, "/counterparty"}, {c->other_party, "/other_party"}};
    for (size_t i = 0; i < 2; i++) {
        if (!refs[i].id)
            continue;
        int ok = db_exists(db, SQL_VENDOR_EXISTS, refs[i].id);
        if (ok <= 0) {
            err_set(err, ok < 0 ? ST_ERROR : ST_BAD_REF, refs[i].ptr, "No vendor with this ID.");
            return ok < 0 ? ST_ERROR : ST_BAD_REF;
        }
    }
    for (size_t i = 0; i < c->n_offerings; i++) {
        int ok = db_exists(db, SQL_OFFERING_EXISTS, c->offerings[i]);
        if (ok <= 0) {
            char ptr[48];
            snprintf(ptr, sizeof ptr, "/offerings/%zu", i);
            err_set(err, ok < 0 ? ST_ERROR : ST_BAD_REF, ptr, "No offering with this ID.");
            return ok < 0 ? ST_ERROR : ST_BAD_REF;
        }
    }
    return ST_OK;
}

static void bind_contract(dstmt *st, const contract *c, const char *now)
{
    bind_text(st, 1, c->name);
    bind_text(st, 2, c->kind);
    bind_i64(st, 3, c->counterparty);
    bind_id(st, 4, c->other_party);
    bind_text(st, 5, c->start_date);
    bind_text(st, 6, c->end_date);
    bind_i64(st, 7, c->notice_days);
    bind_i64(st, 8, c->auto_renew ? 1 : 0);
    bind_i64(st, 9, c->renewal_months);
    bind_i64(st, 10, c->annual_value);
    bind_text(st, 11, c->currency);
    bind_i64(st, 12, c->committed_spend);
    bind_i64(st, 13, c->exclusive ? 1 : 0);
    bind_text(st, 14, c->exit_clause);
    bind_i64(st, 15, c->data_portability ? 1 : 0);
    bind_text(st, 16, c->substitutability);
    bind_text(st, 17, c->exit_plan);
    bind_text(st, 18, c->notes);
    bind_text(st, 19, now);
}

static int write_children(sy_db *db, int64_t id, const contract *c, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_CLEAR_OFFERINGS);
    if (!st)
        return db_fail(db, err, "contract offerings");
    bind_i64(st, 1, id);
    int code = db_exec_stmt(db, st, err, "contract offerings");
    for (size_t i = 0; code == ST_OK && i < c->n_offerings; i++) {
        if (!(st = db_stmt(db, SQL_ADD_OFFERING)))
            return db_fail(db, err, "contract offerings");
        bind_i64(st, 1, id);
        bind_i64(st, 2, c->offerings[i]);
        bind_i64(st, 3, (int64_t)i);
        code = db_exec_stmt(db, st, err, "contract offerings");
    }
    if (code != ST_OK || !(st = db_stmt(db, SQL_CLEAR_TERMS)))
        return code != ST_OK ? code : db_fail(db, err, "contract terms");
    bind_i64(st, 1, id);
    code = db_exec_stmt(db, st, err, "contract terms");
    for (size_t i = 0; code == ST_OK && i < c->n_terms; i++) {
        if (!(st = db_stmt(db, SQL_ADD_TERM)))
            return db_fail(db, err, "contract terms");
        bind_i64(st, 1, id);
        bind_i64(st, 2, (int64_t)i);
        bind_text(st, 3, c->terms[i].kind);
        bind_text(st, 4, c->terms[i].text);
        bind_text(st, 5, c->terms[i].effective);
        bind_text(st, 6, c->terms[i].until);
        code = db_exec_stmt(db, st, err, "contract terms");
    }
    return code;
}

int store_contract_insert(sy_db *db, contract *c, store_err *err)
{
    db->touched_catalogue = 1; /* risk inputs change: see store_generations */
    int code = check_refs(db, 0, c, err);
    if (code != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_INSERT);
    if (!st)
        return db_fail(db, err, "contract insert");
    bind_contract(st, c, now);
    if ((code = db_insert_id(db, st, &c->id, err, "contract insert")) != ST_OK)
        return code;
    return write_children(db, c->id, c, err);
}

int store_contract_update(sy_db *db, int64_t id, int64_t if_version, const contract *c,
                          store_err *err)
{
    db->touched_catalogue = 1; /* risk inputs change: see store_generations */
    int code = db_check_version(db, SQL_VERSION, id, if_version, "contract update", err);
    if (code != ST_OK || (code = check_refs(db, id, c, err)) != ST_OK)
        return code;
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_UPDATE);
    if (!st)
        return db_fail(db, err, "contract update");
    bind_contract(st, c, now);
    bind_i64(st, 20, id);
    if ((code = db_exec_stmt(db, st, err, "contract update")) != ST_OK)
        return code;
    return write_children(db, id, c, err);
}

int store_contract_delete(sy_db *db, int64_t id, int64_t if_version, store_err *err)
{
    db->touched_catalogue = 1; /* risk inputs change: see store_generations */
    int code = db_check_version(db, SQL_VERSION, id, if_version, "contract delete", err);
    if (code != ST_OK)
        return code;
    dstmt *st = db_stmt(db, SQL_DELETE);
    if (!st)
        return db_fail(db, err, "contract delete");
    bind_i64(st, 1, id);
    return db_exec_stmt(db, st, err, "contract delete");
}

int store_contract_find(sy_db *db, const char *name, int64_t *id)
{
    return db_find_id(db, SQL_FIND, name, id);
}
