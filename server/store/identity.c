/* identity.c - SQL for users, browser sessions, API tokens and sign-in
 * failures. Secrets are never stored: sessions and tokens by SHA-256 hash,
 * passwords as libsodium Argon2id strings. */
#include <string.h>

#include "store/internal.h"

static const char SQL_USER_INSERT[] =
    "INSERT INTO users(name, role, password_hash, disabled, version, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5) RETURNING id";
#define USER_COLS "SELECT id, name, role, password_hash, disabled, version, created_at, updated_at FROM users "
static const char SQL_USER_GET[] = USER_COLS "WHERE id = ?1";
static const char SQL_USER_BY_NAME[] = USER_COLS "WHERE name = ?1";
static const char SQL_USER_LIST[] = USER_COLS "ORDER BY name";
static const char SQL_USER_BY_SSO[] = USER_COLS "WHERE sso_subject = ?1";
static const char SQL_USER_SET_SSO[] = "UPDATE users SET sso_subject = ?1 WHERE id = ?2";
static const char SQL_USER_UPDATE[] =
    "UPDATE users SET role = ?2, disabled = ?3, password_hash = COALESCE(?4, password_hash), "
    "version = version + 1, updated_at = ?5 WHERE id = ?1";
static const char SQL_USER_COUNT[] = "SELECT COUNT(*) FROM users";
static const char SQL_USER_TAKEN[] = "SELECT 1 FROM users WHERE name = ?1";

static const char SQL_SESSION_INSERT[] =
    "INSERT INTO sessions(token_hash, user_id, created, last_seen, expires) "
    "VALUES (?1, ?2, ?3, ?3, ?4)";
static const char SQL_SESSION_LOOKUP[] =
    "SELECT u.id, u.name, u.role, u.password_hash, u.disabled, u.version, u.created_at, "
    "u.updated_at, s.last_seen, s.expires FROM sessions s JOIN users u ON u.id = s.user_id "
    "WHERE s.token_hash = ?1";
static const char SQL_SESSION_TOUCH[] = "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1";
static const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE token_hash = ?1";
static const char SQL_SESSION_DELETE_USER[] = "DELETE FROM sessions WHERE user_id = ?1";

#define TOKEN_COLS                                                             \
    "SELECT t.id, t.user_id, u.name, t.name, t.prefix, t.token_hash, t.role, t.created_at, " \
    "t.last_used_at, t.expires_at, t.revoked_at, t.may_create_tokens, t.parent_id " \
    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO api_tokens(user_id, name, prefix, token_hash, role, created_at, expires_at, "
    "may_create_tokens, parent_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
static const char SQL_TOKEN_BY_HASH[] = TOKEN_COLS "WHERE t.token_hash = ?1";
static const char SQL_TOKEN_GET[] = TOKEN_COLS "WHERE t.id = ?1";
static const char SQL_TOKEN_LIST[] =
    TOKEN_COLS "WHERE (CAST(?1 AS BIGINT) IS NULL OR t.user_id = ?1) "
    "ORDER BY t.created_at DESC, t.id DESC";
static const char SQL_TOKEN_REVOKE[] =
    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1";
static const char SQL_TOKEN_TOUCH[] = "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1";
static const char SQL_TOKEN_TAKEN[] = "SELECT 1 FROM api_tokens WHERE user_id = ?1 AND name = ?2";

static const char SQL_FAILURE_ADD[] =
    "INSERT INTO sign_in_failures(name, address, at) VALUES (?1, ?2, ?3)";
/* One look at the throttle: failures of this name from this address
 * (how many, the latest), and of the address for any name (how many, the
 * oldest), since ?3. */
static const char SQL_FAILURE_COUNT[] =
    "SELECT (SELECT COUNT(*) FROM sign_in_failures WHERE name = ?1 AND address = ?2 AND at >= ?3), "
    "(SELECT MAX(at) FROM sign_in_failures WHERE name = ?1 AND address = ?2 AND at >= ?3), "
    "(SELECT COUNT(*) FROM sign_in_failures WHERE address = ?2 AND at >= ?4), "
    "(SELECT MIN(at) FROM sign_in_failures WHERE address = ?2 AND at >= ?4)";
static const char SQL_FAILURE_CLEAR_PAIR[] =
    "DELETE FROM sign_in_failures WHERE name = ?1 AND address = ?2";
static const char SQL_FAILURE_CLEAR_NAME[] = "DELETE FROM sign_in_failures WHERE name = ?1";
static const char SQL_FAILURE_PRUNE[] = "DELETE FROM sign_in_failures WHERE at < ?1";

static int exec_text_int(sy_db *db, const char *sql, const char *text, int64_t v,
                         store_err *err);

static void read_user(dstmt *st, arena *a, void *item)
{
    user_rec *u = item;
    memset(u, 0, sizeof *u);
    u->id = col_i64(st, 0);
    u->name = col_text(st, 1, a);
    u->role = col_text(st, 2, a);
    u->password_hash = col_text(st, 3, a);
    u->disabled = (int)col_i64(st, 4);
    u->version = col_i64(st, 5);
    u->created_at = col_text(st, 6, a);
    u->updated_at = col_text(st, 7, a);
}

static void read_token(dstmt *st, arena *a, void *item)
{
    token_rec *t = item;
    memset(t, 0, sizeof *t);
    t->id = col_i64(st, 0);
    t->user_id = col_i64(st, 1);
    t->user_name = col_text(st, 2, a);
    t->name = col_text(st, 3, a);
    t->prefix = col_text(st, 4, a);
    t->token_hash = col_text(st, 5, a);
    t->role = col_text(st, 6, a);
    t->created_at = col_text(st, 7, a);
    t->last_used_at = col_text(st, 8, a);
    t->expires_at = col_text(st, 9, a);
    t->revoked_at = col_text(st, 10, a);
    t->may_create_tokens = (int)col_i64(st, 11);
    t->parent_id = col_i64(st, 12);
}

int store_user_insert(sy_db *db, user_rec *u, store_err *err)
{
    int64_t ignored;
    int found = db_find_id(db, SQL_USER_TAKEN, u->name, &ignored);
    if (found == ST_OK) {
        err_set(err, ST_CONFLICT, "/name", "Another user already has this name.");
        return ST_CONFLICT;
    }
    if (found != ST_NOT_FOUND)
        return db_fail(db, err, "user name");
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_USER_INSERT);
    if (!st)
        return db_fail(db, err, "user insert");
    bind_text(st, 1, u->name);
    bind_text(st, 2, u->role);
    bind_text(st, 3, u->password_hash);
    bind_i64(st, 4, u->disabled ? 1 : 0);
    bind_text(st, 5, now);
    db_note_identity(db);
    return db_insert_id(db, st, &u->id, err, "user insert");
}

int store_user_get(sy_db *db, int64_t id, arena *a, user_rec *out, store_err *err)
{
    return db_get_row(db, SQL_USER_GET, NULL, id, a, read_user, out, "No user with this ID.", err);
}

int store_user_by_name(sy_db *db, const char *name, arena *a, user_rec *out, store_err *err)
{
    return db_get_row(db, SQL_USER_BY_NAME, name, 0, a, read_user, out, "No such user.", err);
}

int store_user_by_sso(sy_db *db, const char *subject, arena *a, user_rec *out, store_err *err)
{
    return db_get_row(db, SQL_USER_BY_SSO, subject, 0, a, read_user, out, "No such user.", err);
}

int store_user_set_sso(sy_db *db, int64_t id, const char *subject, store_err *err)
{
    db_note_identity(db);
    return exec_text_int(db, SQL_USER_SET_SSO, subject, id, err);
}

int store_user_list(sy_db *db, arena *a, user_rec **items, size_t *n, store_err *err)
{
    void *rows;
    int code = db_children(db, SQL_USER_LIST, 0, a, sizeof(user_rec), read_user, &rows, n, err);
    *items = rows;
    return code;
}

int store_user_update(sy_db *db, const user_rec *u, store_err *err)
{
    char now[21];
    store_now(now);
    dstmt *st = db_stmt(db, SQL_USER_UPDATE);
    if (!st)
        return db_fail(db, err, "user update");
    bind_i64(st, 1, u->id);
    bind_text(st, 2, u->role);
    bind_i64(st, 3, u->disabled ? 1 : 0);
    bind_text(st, 4, u->password_hash);
    bind_text(st, 5, now);
    db_note_identity(db);
    return db_exec_stmt(db, st, err, "user update");
}

int store_user_count(sy_db *db, int64_t *n, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_USER_COUNT);
    if (!st)
        return db_fail(db, err, "user count");
    db_step rc = dstmt_step(st);
    *n = rc == DB_ROW ? col_i64(st, 0) : 0;
    dstmt_reset(st);
    return rc == DB_ROW ? ST_OK : db_fail(db, err, "user count");
}

int store_session_create(sy_db *db, const char *token_hash, int64_t user_id, int64_t now,
                         int64_t expires, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_SESSION_INSERT);
    if (!st)
        return db_fail(db, err, "session");
    bind_text(st, 1, token_hash);
    bind_i64(st, 2, user_id);
    bind_i64(st, 3, now);
    bind_i64(st, 4, expires);
    db_note_identity(db);
    return db_exec_stmt(db, st, err, "session");
}

int store_session_lookup(sy_db *db, const char *token_hash, arena *a, user_rec *user,
                         int64_t *last_seen, int64_t *expires, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_SESSION_LOOKUP);
    if (!st)
        return db_fail(db, err, "session");
    bind_text(st, 1, token_hash);
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW) {
        read_user(st, a, user);
        *last_seen = col_i64(st, 8);
        *expires = col_i64(st, 9);
    }
    dstmt_reset(st);
    if (rc == DB_DONE) {
        err_set(err, ST_NOT_FOUND, "", "No such session.");
        return ST_NOT_FOUND;
    }
    return rc == DB_ROW ? ST_OK : db_fail(db, err, "session");
}

static int exec_text_int(sy_db *db, const char *sql, const char *text, int64_t v,
                         store_err *err)
{
    dstmt *st = db_stmt(db, sql);
    if (!st)
        return db_fail(db, err, "identity");
    bind_text(st, 1, text);
    if (dstmt_param_count(st) >= 2)
        bind_i64(st, 2, v);
    return db_exec_stmt(db, st, err, "identity");
}

static int exec_int_text(sy_db *db, const char *sql, int64_t v, const char *text,
                         store_err *err)
{
    dstmt *st = db_stmt(db, sql);
    if (!st)
        return db_fail(db, err, "identity");
    bind_i64(st, 1, v);
    if (dstmt_param_count(st) >= 2)
        bind_text(st, 2, text);
    return db_exec_stmt(db, st, err, "identity");
}

int store_session_touch(sy_db *db, const char *token_hash, int64_t now, store_err *err)
{
    return exec_text_int(db, SQL_SESSION_TOUCH, token_hash, now, err);
}

int store_session_delete(sy_db *db, const char *token_hash, store_err *err)
{
    db_note_identity(db);
    return exec_text_int(db, SQL_SESSION_DELETE, token_hash, 0, err);
}

int store_session_delete_user(sy_db *db, int64_t user_id, store_err *err)
{
    db_note_identity(db);
    return exec_int_text(db, SQL_SESSION_DELETE_USER, user_id, NULL, err);
}

int store_token_insert(sy_db *db, token_rec *t, store_err *err)
{
    dstmt *st = db_stmt(db, SQL_TOKEN_TAKEN);
    if (!st)
        return db_fail(db, err, "token");
    bind_i64(st, 1, t->user_id);
    bind_text(st, 2, t->name);
    db_step rc = dstmt_step(st);
    dstmt_reset(st);
    if (rc == DB_ROW) {
        err_set(err, ST_CONFLICT, "/name", "You already have a token with this name.");
        return ST_CONFLICT;
    }
    if (rc == DB_FAIL)
        return db_fail(db, err, "token");
    char now[21];
    store_now(now);
    if (!(st = db_stmt(db, SQL_TOKEN_INSERT)))
        return db_fail(db, err, "token insert");
    bind_i64(st, 1, t->user_id);
    bind_text(st, 2, t->name);
    bind_text(st, 3, t->prefix);
    bind_text(st, 4, t->token_hash);
    bind_text(st, 5, t->role);
    bind_text(st, 6, now);
    bind_text(st, 7, t->expires_at);
    bind_i64(st, 8, t->may_create_tokens ? 1 : 0);
    bind_id(st, 9, t->parent_id);
    db_note_identity(db);
    return db_insert_id(db, st, &t->id, err, "token insert");
}

int store_token_by_hash(sy_db *db, const char *token_hash, arena *a, token_rec *t,
                        user_rec *owner, store_err *err)
{
    int code = db_get_row(db, SQL_TOKEN_BY_HASH, token_hash, 0, a, read_token, t,
                       "No such token.", err);
    if (code == ST_OK)
        code = store_user_get(db, t->user_id, a, owner, err);
    return code;
}

int store_token_get(sy_db *db, int64_t id, arena *a, token_rec *t, store_err *err)
{
    return db_get_row(db, SQL_TOKEN_GET, NULL, id, a, read_token, t, "No token with this ID.", err);
}

int store_token_list(sy_db *db, int64_t user_id, arena *a, token_rec **items, size_t *n,
                     store_err *err)
{
    *items = NULL;
    *n = 0;
    dstmt *st = db_stmt(db, SQL_TOKEN_LIST);
    if (!st)
        return db_fail(db, err, "token list");
    bind_id(st, 1, user_id);
    size_t cap = 0;
    token_rec *out = NULL;
    db_step rc;
    while ((rc = dstmt_step(st)) == DB_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            token_rec *grown = arena_alloc(a, ncap * sizeof *grown);
            if (!grown) {
                dstmt_reset(st);
                return db_fail_nomem(db, err, "token list");
            }
            if (*n)
                memcpy(grown, out, *n * sizeof *grown);
            out = grown;
            cap = ncap;
        }
        read_token(st, a, &out[(*n)++]);
    }
    dstmt_reset(st);
    *items = out;
    return rc == DB_DONE ? ST_OK : db_fail(db, err, "token list");
}

int store_token_revoke(sy_db *db, int64_t id, const char *now, store_err *err)
{
    db_note_identity(db);
    return exec_int_text(db, SQL_TOKEN_REVOKE, id, now, err);
}

int store_token_touch(sy_db *db, int64_t id, const char *now, store_err *err)
{
    return exec_int_text(db, SQL_TOKEN_TOUCH, id, now, err);
}

int store_failure_add(sy_db *db, const char *name, const char *address, int64_t now,
                      store_err *err)
{
    /* Keep the table small: failures older than a day no longer matter. */
    dstmt *st = db_stmt(db, SQL_FAILURE_PRUNE);
    if (!st)
        return db_fail(db, err, "failures");
    bind_i64(st, 1, now - 86400);
    int code = db_exec_stmt(db, st, err, "failures");
    if (code != ST_OK || !(st = db_stmt(db, SQL_FAILURE_ADD)))
        return code != ST_OK ? code : db_fail(db, err, "failures");
    bind_text(st, 1, name);
    bind_text(st, 2, address);
    bind_i64(st, 3, now);
    return db_exec_stmt(db, st, err, "failures");
}

int store_failure_count(sy_db *db, const char *name, const char *address, int64_t pair_since,
                        int64_t address_since, failure_counts *out, store_err *err)
{
    memset(out, 0, sizeof *out);
    dstmt *st = db_stmt(db, SQL_FAILURE_COUNT);
    if (!st)
        return db_fail(db, err, "failures");
    bind_text(st, 1, name);
    bind_text(st, 2, address);
    bind_i64(st, 3, pair_since);
    bind_i64(st, 4, address_since);
    db_step rc = dstmt_step(st);
    if (rc == DB_ROW) {
        out->pair = col_i64(st, 0);
        out->pair_last = col_i64(st, 1);
        out->address = col_i64(st, 2);
        out->address_oldest = col_i64(st, 3);
    }
    dstmt_reset(st);
    return rc == DB_ROW ? ST_OK : db_fail(db, err, "failures");
}

int store_failure_clear(sy_db *db, const char *name, const char *address, store_err *err)
{
    dstmt *st = db_stmt(db, address ? SQL_FAILURE_CLEAR_PAIR : SQL_FAILURE_CLEAR_NAME);
    if (!st)
        return db_fail(db, err, "failures");
    bind_text(st, 1, name);
    if (address)
        bind_text(st, 2, address);
    return db_exec_stmt(db, st, err, "failures");
}
