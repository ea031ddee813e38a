/* store.h - the persistence layer: the only code that speaks SQL.
 *
 * One sy_db per thread (connections are not shared); it sits on the
 * engine-neutral driver (driver.h: SQLite today, PostgreSQL next). Writes
 * are serialised process-wide: store_begin_write() takes the writer lock and
 * opens a write transaction (SQLite: BEGIN IMMEDIATE), so writers queue in
 * the application instead of sleeping in the engine. Entity functions that
 * change data must run inside such a transaction; the caller (the API
 * layer) decides what belongs in one, e.g. a change and its audit event.
 *
 * Errors come back in a caller-owned store_err; a database message never
 * leaves this layer except in the server log. */
#ifndef SY_STORE_H
#define SY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "core/finding_action.h"
#include "core/model.h"

typedef struct sy_db sy_db;
struct portfolio;
struct audit_event;

typedef enum {
    ST_OK = 0,
    ST_NOT_FOUND,      /* no such record */
    ST_CONFLICT,       /* unique value already taken */
    ST_IN_USE,         /* other records still refer to it */
    ST_BAD_REF,        /* it refers to a record that does not exist */
    ST_PRECONDITION,   /* version does not match (If-Match) */
    ST_INVALID,        /* violates a rule only the data can check */
    ST_BUSY,           /* database locked for too long */
    ST_FULL,           /* disk or database full */
    ST_IO,             /* I/O failure */
    ST_CORRUPT,        /* integrity check failed */
    ST_ERROR           /* anything else; details in the log */
} st_code;

typedef struct store_err {
    st_code code;
    char pointer[128];   /* JSON Pointer of the field at fault, or "" */
    char detail[256];    /* safe to show to a client */
} store_err;

/* ---- connections, schema, transactions ---------------------------------- */

/* path is an SQLite file path or a postgres:// (postgresql://) URL. */
int store_open(const char *path, sy_db **out, store_err *err);
/* 1 when a --db target names an SQLite file, 0 for a PostgreSQL URL. */
int store_target_is_file(const char *target);
/* The target for messages and logs: a URL's password (user:PASSWORD@ or
 * password=...) replaced by "***". */
void store_target_redact(const char *target, char *out, size_t size);
void store_close(sy_db *db);                      /* NULL-safe */
/* Applies pending embedded migrations; *applied counts them. */
int store_migrate(sy_db *db, int *applied, store_err *err);
/* The same, stopping after migration number upto (0: the latest); a
 * database already past it is left as it is. */
int store_migrate_to(sy_db *db, int upto, int *applied, store_err *err);
int store_schema_version(sy_db *db);               /* -1 on error */
int store_latest_schema(void);                     /* newest embedded */

/* The data generation: moves on with every committed write in this
 * process, and when this connection sees that another process wrote
 * (the engine's change counter). Cached answers are valid for one
 * generation. */
uint64_t store_generation(sy_db *db);
/* The data generation and the catalogue generation from one look at the
 * engine. The catalogue generation moves on only when vendors, offerings,
 * contracts or risk weights change (or another process writes): what a
 * workload's risk depends on besides the workload itself. */
void store_generations(sy_db *db, uint64_t *data, uint64_t *catalogue);
/* Marks the open write as bookkeeping (a session's or token's last use):
 * committing it does not start a new data generation, so cached answers
 * stay valid. */
void store_mark_quiet(sy_db *db);
/* 1 when every committed change to the data, whoever made it (this
 * process, another instance, a psql session), moves store_generation:
 * then what was verified at one generation (a credential, a cached
 * answer) holds until it moves. SQLite: always (its data_version);
 * PostgreSQL: once the change triggers of migration 0014 are in place. */
int store_sees_all_writes(sy_db *db);
/* The generation verified credentials are valid for: moves with the data
 * generation and with any commit this process cannot prove was its own
 * bookkeeping (SQLite's data_version does not say who committed), so a
 * session ended or a token revoked by any writer is noticed at once. */
uint64_t store_auth_generation(sy_db *db);

/* PostgreSQL: one connection per process LISTENs for the change
 * notifications of migration 0014 in a thread of its own (listen.c), so
 * that reading the generation needs no database round trip; while it is
 * down, the generation is read from the database per request. target: the
 * --db value (an SQLite file: nothing to do). 0 or -1. */
int store_listen_start(const char *target);
void store_listen_stop(void);
typedef struct store_listen_info {
    int running, connected;
    uint64_t notifications;   /* received */
    uint64_t reconnects;      /* times it came back after a loss */
    uint64_t fallbacks;       /* generation reads that asked the database instead */
    double lag_ms;            /* the latest notification: noted to received */
    int64_t value;            /* the change counter it has seen */
    int others;               /* other instances listening on the database */
    uint64_t late;            /* commits not acknowledged by every instance in time */
} store_listen_info;
void store_listen_stats(store_listen_info *out);

/* What one commit changed that a portfolio snapshot shows: one workload,
 * offering or contract (by id), or one workload's exit drills or risk
 * acceptances (id: the workload). */
enum {
    STORE_CHANGE_WORKLOAD = 1,
    STORE_CHANGE_OFFERING,
    STORE_CHANGE_CONTRACT,
    STORE_CHANGE_GOVERNANCE
};
typedef struct store_change {
    int kind;                  /* STORE_CHANGE_* */
    int64_t id;
} store_change;
/* The changes of the commits after generation `since`, up to the current
 * one, into out, oldest first (repeats possible, at most cap). Returns how
 * many, or -1 when that is not known: vendors or weights changed, a commit
 * changed several records, another process wrote, more than cap changes
 * were made, or the history is older than the store remembers. */
long store_changes_since(sy_db *db, uint64_t since, store_change *out, size_t cap);
/* The same, of the commits up to generation `until` only (a pinned read's:
 * store_begin_read_pinned). */
long store_changes_between(sy_db *db, uint64_t since, uint64_t until, store_change *out,
                           size_t cap);

/* Periodic jobs run by one instance at a time across every instance on a
 * PostgreSQL database (a session-level advisory lock per job, keys
 * STORE_JOB_KEY_BASE + 1 + job; see jobs.c). On SQLite (one server per
 * file) the lock is always granted. */
typedef enum { STORE_JOB_HISTORY = 0, STORE_JOB_WEBHOOKS, STORE_JOB_COUNT } store_job;
typedef enum { JOB_RAN = 0, JOB_BUSY, JOB_DONE, JOB_OUTCOMES } store_job_outcome;
/* 1: this instance holds the job's lock (end with store_job_end); 0:
 * another instance runs the job now (counted as busy); -1: error. */
int store_job_begin(sy_db *db, store_job job);
/* Releases the lock and counts the outcome: JOB_RAN, or JOB_DONE when the
 * job found its work already done (by another instance). */
void store_job_end(sy_db *db, store_job job, store_job_outcome outcome);
/* 1 when other instances may share the database (PostgreSQL). */
int store_shared(const sy_db *db);
/* Runs so far, by job and outcome; names for the metrics. */
uint64_t store_job_count(store_job job, store_job_outcome outcome);
extern const char *const STORE_JOB_NAMES[STORE_JOB_COUNT];
extern const char *const STORE_JOB_OUTCOMES[JOB_OUTCOMES];

/* Before a pooled connection is lent again: one the server ended while it
 * sat idle (PostgreSQL restarted, pg_terminate_backend) reconnects now. */
void store_revive(sy_db *db);
/* 1 inside a write transaction (its reads see uncommitted changes). */
int store_in_write(const sy_db *db);
/* 1 inside any transaction (read or write) opened by the caller. */
int store_in_transaction(const sy_db *db);

/* For bulk loads of generated data only (bench/scale_bench): the caller
 * vouches that every workload name it writes on this connection is unique,
 * so the check that scans every other workload's name (one pass over the
 * table per write) is skipped while on. */
void store_trust_names(sy_db *db, int on);

int store_begin_write(sy_db *db, store_err *err);
int store_commit(sy_db *db, store_err *err);
/* After a write's pooled connection went back, before its answer is sent:
 * waits (at most 100 ms) until every listening instance has seen this
 * thread's last commit (PostgreSQL), so that the next request through any
 * of them reads it. Nothing pending (SQLite, a read, bookkeeping): at once. */
void store_settle(void);
void store_rollback(sy_db *db);                    /* safe if none open */

/* Group commit (group.c), for the server's write requests (both stores):
 * writers waiting for the turn join the open transaction, each write in
 * its own savepoint, and the batch commits once; a member's store_commit
 * returns only after that COMMIT (an error for all members if it failed).
 * store_group_start turns it on for connections of `target` (the pool
 * lends each member a connection after its commit); store_group_stop
 * logs the batches' figures and closes the batch connection (nothing may
 * be in a batch). store_group_start: 0, or -1 (group commit stays off). */
struct dbpool;
int store_group_start(struct dbpool *pool, const char *target);
void store_group_stop(void);
int store_group_on(void);
/* A handle for one write request, on a pooled connection until its
 * store_begin_write takes the writer turn; NULL after timeout_ms or when
 * the database cannot be reached. store_group_leave ends it (rolls back a
 * write left open, hands the turn on or commits the batch, gives the
 * pooled connection back) and frees it; NULL-safe. */
sy_db *store_group_enter(int timeout_ms);
void store_group_leave(sy_db *handle);
typedef struct group_stats {
    uint64_t batches, writes, largest, failed; /* batches with writes */
    uint64_t round_trips; /* to PostgreSQL on the batch connection (turns and commits) */
    uint64_t all_round_trips; /* to PostgreSQL on every connection of this process */
} group_stats;
/* The batches so far (all zero with group commit off). */
void store_group_stats(group_stats *out);
/* Commits by another process or instance this one has noticed so far
 * (each starts a generation that no write of ours explains: the next
 * snapshot is a full build). */
uint64_t store_outside_changes(void);
/* A consistent snapshot for several reads; inside an open transaction it
 * does nothing (that transaction is the snapshot). */
int store_begin_read(sy_db *db, store_err *err);
void store_end_read(sy_db *db);
/* A read snapshot (end it with store_end_read) that shows exactly data
 * generation *gen and catalogue generation *cat, as of when it began: the
 * writers' turn is taken only while it starts. Not inside a transaction. */
int store_begin_read_pinned(sy_db *db, uint64_t *gen, uint64_t *cat, store_err *err);

/* ---- settings ------------------------------------------------------------ */
int store_setting_get(sy_db *db, const char *key, arena *a, const char **value);
int store_setting_set(sy_db *db, const char *key, const char *value, store_err *err);

/* ---- lists --------------------------------------------------------------- */

typedef struct list_query {
    int64_t limit, offset;
    const char *sort;          /* validated key such as "name" or "-updated_at" */
    const char *q;             /* substring of the name, case-insensitive */
    const char *track, *status, *criticality, *kind, *category;
    int64_t vendor;            /* 0: any */
    int64_t offering;          /* 0: any */
    const char *risk_level;    /* workloads only, filtered after scoring */
    int flagged;               /* -1 any, 0 not flagged, 1 flagged */
    const char *priority;      /* workloads only, P1..P4, filtered after scoring */
    const char *cursor;        /* workloads only: the "next" of the page before */
} list_query;

/* Sort keys each entity accepts, NULL-terminated (with and without '-');
 * declared with the entity's fields (core/entities.c). */
extern const char *const VENDOR_SORTS[];
extern const char *const OFFERING_SORTS[];
extern const char *const CONTRACT_SORTS[];
extern const char *const WORKLOAD_SORTS[];  /* includes risk, priority (computed) */

/* ---- the entities, generically ------------------------------------------
 * One store_entity per entity (store/entity.h): its statements, row reader
 * and binder are derived from its descriptor (core/entity.h). item is the
 * entity's struct (vendor, offering, ...); its ID is the first member. */
typedef struct store_entity store_entity;
extern const store_entity VENDOR_STORE, OFFERING_STORE, CONTRACT_STORE, WORKLOAD_STORE,
    SCENARIO_STORE;

int store_entity_get(sy_db *db, const store_entity *e, int64_t id, arena *a, void *out,
                     store_err *err);
/* The records with IDs ids[0..n) (ascending, no repeats) into out, an
 * array of n structs: found[k] 1 when record ids[k] was read into out[k],
 * 0 when there is none. As n store_entity_get calls, in n / 32 statements
 * per table rather than n. */
int store_entity_get_some(sy_db *db, const store_entity *e, const int64_t *ids, size_t n,
                          arena *a, void *out, unsigned char *found, store_err *err);
/* The same as one read snapshot of its own, outside any transaction
 * (inside one: as store_entity_get): on PostgreSQL one round trip, the
 * snapshot's BEGIN and COMMIT included. */
int store_entity_get_alone(sy_db *db, const store_entity *e, int64_t id, arena *a, void *out,
                           store_err *err);
/* *items: an arena array of *n structs. */
int store_entity_list(sy_db *db, const store_entity *e, const list_query *q, arena *a,
                      void **items, size_t *n, int64_t *total, store_err *err);
int store_entity_insert(sy_db *db, const store_entity *e, void *item, store_err *err); /* sets the ID */
int store_entity_update(sy_db *db, const store_entity *e, int64_t id, int64_t if_version,
                        const void *item, store_err *err);              /* if_version 0: any */

/* What a write stored besides the item's fields. */
typedef struct store_stamp {
    int64_t version;   /* the record's version after the write */
    char at[21];       /* its updated_at (an insert's created_at too) */
} store_stamp;

/* 1 when a record reads back as it was written plus its ID, version and
 * timestamps (the store derives no field of it), so that a writer may
 * answer, and audit, what it wrote without reading it back. */
int store_entity_as_written(const store_entity *e);
/* store_entity_insert, filling *stamp. */
int store_entity_insert_stamped(sy_db *db, const store_entity *e, void *item, store_stamp *stamp,
                                store_err *err);
/* Writes item over the record `before` was read as, if its stored version
 * is still before's (else ST_PRECONDITION), filling *stamp. Only what
 * changed since before is checked and written: a name or reference it
 * keeps is not looked up again, child rows it keeps are not rewritten, so
 * a write holds the writer's turn for fewer statements. */
int store_entity_update_from(sy_db *db, const store_entity *e, const void *before,
                             const void *item, store_stamp *stamp, store_err *err);
int store_entity_delete(sy_db *db, const store_entity *e, int64_t id, int64_t if_version,
                        store_err *err);
int store_entity_find(sy_db *db, const store_entity *e, const char *name, int64_t *id); /* ST_NOT_FOUND */

/* The same, typed, one set per entity. */
/* ---- vendors ------------------------------------------------------------- */
int store_vendor_get(sy_db *db, int64_t id, arena *a, vendor *out, store_err *err);
int store_vendor_list(sy_db *db, const list_query *q, arena *a, vendor **items,
                      size_t *n, int64_t *total, store_err *err);
int store_vendor_insert(sy_db *db, vendor *v, store_err *err);   /* sets v->id */
int store_vendor_update(sy_db *db, int64_t id, int64_t if_version, const vendor *v,
                        store_err *err);                         /* if_version 0: any */
int store_vendor_delete(sy_db *db, int64_t id, int64_t if_version, store_err *err);
int store_vendor_find(sy_db *db, const char *name, int64_t *id);  /* ST_NOT_FOUND */

/* ---- offerings ----------------------------------------------------------- */
int store_offering_get(sy_db *db, int64_t id, arena *a, offering *out, store_err *err);
int store_offering_list(sy_db *db, const list_query *q, arena *a, offering **items,
                        size_t *n, int64_t *total, store_err *err);
int store_offering_insert(sy_db *db, offering *o, store_err *err);
int store_offering_update(sy_db *db, int64_t id, int64_t if_version, const offering *o,
                          store_err *err);
int store_offering_delete(sy_db *db, int64_t id, int64_t if_version, store_err *err);
int store_offering_find(sy_db *db, const char *name, int64_t *id);

/* ---- contracts ----------------------------------------------------------- */
int store_contract_get(sy_db *db, int64_t id, arena *a, contract *out, store_err *err);
int store_contract_list(sy_db *db, const list_query *q, arena *a, contract **items,
                        size_t *n, int64_t *total, store_err *err);
int store_contract_insert(sy_db *db, contract *c, store_err *err);
int store_contract_update(sy_db *db, int64_t id, int64_t if_version, const contract *c,
                          store_err *err);
int store_contract_delete(sy_db *db, int64_t id, int64_t if_version, store_err *err);
int store_contract_find(sy_db *db, const char *name, int64_t *id);

/* ---- workloads ----------------------------------------------------------- */
int store_workload_get(sy_db *db, int64_t id, arena *a, workload *out, store_err *err);
int store_workload_list(sy_db *db, const list_query *q, arena *a, workload **items,
                        size_t *n, int64_t *total, store_err *err);
int store_workload_insert(sy_db *db, workload *w, store_err *err);
int store_workload_update(sy_db *db, int64_t id, int64_t if_version, const workload *w,
                          store_err *err);
int store_workload_delete(sy_db *db, int64_t id, int64_t if_version, store_err *err);
int store_workload_find(sy_db *db, const char *name, int64_t *id);
/* ST_OK when no workload other than id (0: none) has name as duplicates
 * are compared (case folded beyond ASCII, spaces collapsed); ST_CONFLICT on
 * /name with the reason in err, or a storage error. */
int store_workload_name_free(sy_db *db, int64_t id, const char *name, store_err *err);

/* ---- saved scenarios ---------------------------------------------------- */
extern const char *const SCENARIO_SORTS[];
int store_scenario_get(sy_db *db, int64_t id, arena *a, saved_scenario *out, store_err *err);
int store_scenario_list(sy_db *db, const list_query *q, arena *a, saved_scenario **items,
                        size_t *n, int64_t *total, store_err *err);
int store_scenario_insert(sy_db *db, saved_scenario *s, store_err *err);
int store_scenario_update(sy_db *db, int64_t id, int64_t if_version, const saved_scenario *s,
                          store_err *err);
int store_scenario_delete(sy_db *db, int64_t id, int64_t if_version, store_err *err);
int store_scenario_find(sy_db *db, const char *name, int64_t *id);

/* ---- users, sessions, tokens, sign-in failures (identity.c) ------------- */
int store_user_insert(sy_db *db, user_rec *u, store_err *err);
int store_user_get(sy_db *db, int64_t id, arena *a, user_rec *out, store_err *err);
int store_user_by_name(sy_db *db, const char *name, arena *a, user_rec *out, store_err *err);
/* The user provisioned by single sign-on with this provider subject. */
int store_user_by_sso(sy_db *db, const char *subject, arena *a, user_rec *out, store_err *err);
/* Marks a user as provisioned by single sign-on (subject), or NULL. */
int store_user_set_sso(sy_db *db, int64_t id, const char *subject, store_err *err);
int store_user_list(sy_db *db, arena *a, user_rec **items, size_t *n, store_err *err);
/* Changes role, disabled and (when not NULL) the password hash. */
int store_user_update(sy_db *db, const user_rec *u, store_err *err);
int store_user_count(sy_db *db, int64_t *n, store_err *err);

int store_session_create(sy_db *db, const char *token_hash, int64_t user_id, int64_t now,
                         int64_t expires, store_err *err);
/* Finds a live session (absolute expiry and idle limit checked by caller). */
int store_session_lookup(sy_db *db, const char *token_hash, arena *a, user_rec *user,
                         int64_t *last_seen, int64_t *expires, store_err *err);
int store_session_touch(sy_db *db, const char *token_hash, int64_t now, store_err *err);
int store_session_delete(sy_db *db, const char *token_hash, store_err *err);
int store_session_delete_user(sy_db *db, int64_t user_id, store_err *err);

int store_token_insert(sy_db *db, token_rec *t, store_err *err);
int store_token_by_hash(sy_db *db, const char *token_hash, arena *a, token_rec *t,
                        user_rec *owner, store_err *err);
int store_token_get(sy_db *db, int64_t id, arena *a, token_rec *t, store_err *err);
/* user_id 0: every user's tokens. */
int store_token_list(sy_db *db, int64_t user_id, arena *a, token_rec **items, size_t *n,
                     store_err *err);
int store_token_revoke(sy_db *db, int64_t id, const char *now, store_err *err);
int store_token_touch(sy_db *db, int64_t id, const char *now, store_err *err);

/* Records one sign-in attempt as a failure (the caller clears it when the
 * password turns out right); prunes failures older than a day. */
int store_failure_add(sy_db *db, const char *name, const char *address, int64_t now,
                      store_err *err);
typedef struct failure_counts {
    int64_t pair, pair_last;           /* this name from this address */
    int64_t address, address_oldest;   /* this address, any name */
} failure_counts;
/* The throttle's view: the (name, address) pair's failures since
 * pair_since, and the address's since address_since. */
int store_failure_count(sy_db *db, const char *name, const char *address, int64_t pair_since,
                        int64_t address_since, failure_counts *out, store_err *err);
/* Forgets the failures of name from address, or from everywhere (NULL). */
int store_failure_clear(sy_db *db, const char *name, const char *address, store_err *err);

/* ---- audit trail (audit.c) ----------------------------------------------- */
/* Appends ev inside the caller's write transaction: fills seq, at,
 * prev_hash and hash. */
int store_audit_append(sy_db *db, struct audit_event *ev, store_err *err);
int store_audit_head(sy_db *db, int64_t *seq, char hash[65], store_err *err);
/* fn is called (on the committing thread, before the writer lock is let
 * go: it must be quick, e.g. signal a condition) after each
 * commit that appended audit events; NULL: none. Set before serving. */
void store_on_audit_commit(void (*fn)(void));
/* fn is called the same way after each commit of this process that moved
 * the data generation (not bookkeeping), with the new generation; NULL:
 * none. Set before serving. */
void store_on_data_commit(void (*fn)(uint64_t generation));

typedef struct audit_query {
    int64_t limit, offset;
    const char *entity, *actor, *action;
    const char *since, *until;   /* RFC 3339 bounds on `at`, inclusive */
    int64_t entity_id;
    int64_t before;              /* only events with a lower seq; 0: any */
} audit_query;
int store_audit_list(sy_db *db, const audit_query *q, arena *a, struct audit_event **items,
                     size_t *n, int64_t *total, store_err *err);
/* Calls visit for every event in sequence order; stops when it returns
 * non-zero. Memory of each event is valid during the call only. */
int store_audit_each(sy_db *db, int (*visit)(const struct audit_event *ev, void *ctx),
                     void *ctx, store_err *err);

/* ---- whole-portfolio reads (risk, concentration, views) ------------------ */

/* Every vendor (with group and links), offering, contract (with offerings
 * and terms) and workload (with dependencies and features), sorted by id,
 * in a handful of queries. Call inside store_begin_read for a consistent
 * snapshot. p->today is left for the caller; p is not indexed. */
int store_portfolio_load(sy_db *db, arena *a, struct portfolio *p, store_err *err);
/* The same without the workloads (p->workloads NULL): what a snapshot
 * reloads when an offering, a contract or a drill changed. */
int store_catalogue_load(sy_db *db, arena *a, struct portfolio *p, store_err *err);
/* store_portfolio_load, with the workloads' child rows read at the same
 * time on a second connection and thread when db is SQLite on a file and
 * its read transaction is the one just begun with store_begin_read
 * (nothing read in it yet): the second connection's transaction is
 * checked to see the same commits, else db reads alone. The child rows'
 * text goes to side, which must live as long as a. *split: 1 when the
 * second connection's rows were used. */
int store_portfolio_load_split(sy_db *db, arena *a, arena *side, struct portfolio *p,
                               int lean, int *split, store_err *err);
/* lean (the shared snapshot) leaves the workloads' long free text that no
 * scoring or summary reads (purpose, intended_purpose, notes) out of the
 * load: NULL in the rows, p->texts_left_out set. A response that shows them
 * reads them with store_workload_texts for its rows: into rows[0..n) (the
 * caller's copies), one query per 100 rows, or one scan of the table for
 * more when rows are sorted by id; a row no longer stored gets "". */
int store_workload_texts(sy_db *db, workload *rows, size_t n, int sorted, arena *a,
                         store_err *err);
/* Database files smaller than this many bytes (default 32 MB) are read on
 * one connection; tests set 0 to split every load. */
void store_split_threshold(long long bytes);

/* ---- exit drills and risk acceptances (governance.c) --------------------- */
/* Every drill and acceptance into p (sorted by workload), for the snapshot. */
int store_governance_load(sy_db *db, arena *a, struct portfolio *p, store_err *err);
/* A workload's drills, newest first. */
int store_drills_of(sy_db *db, int64_t workload_id, arena *a, exit_drill **items, size_t *n,
                    store_err *err);
int store_drill_add(sy_db *db, exit_drill *d, store_err *err);          /* sets d->id */
/* A workload's acceptances, newest first; workload_id 0: every one, by
 * workload then ID. */
int store_acceptances_of(sy_db *db, int64_t workload_id, arena *a, risk_acceptance **items,
                         size_t *n, store_err *err);
int store_acceptance_get(sy_db *db, int64_t id, arena *a, risk_acceptance *out,
                         store_err *err);
int store_acceptance_add(sy_db *db, risk_acceptance *r, store_err *err); /* sets r->id */
/* Marks it revoked (at, by); an already revoked one is left as it was. */
int store_acceptance_revoke(sy_db *db, int64_t id, const char *at, const char *by,
                            store_err *err);

/* ---- finding actions (findings.c) ----------------------------------------- */
/* Every stored action, by key. */
int store_finding_actions(sy_db *db, arena *a, finding_action **items, size_t *n,
                          store_err *err);
/* The action under key: ST_OK, ST_NOT_FOUND or an error. */
int store_finding_action_get(sy_db *db, const char *key, arena *a, finding_action *out,
                             store_err *err);
/* Inserts or replaces the action under f->key; sets f->id. Its stored
 * version becomes 1, or one more than before (the caller, in the same write
 * transaction, knows which). */
int store_finding_action_put(sy_db *db, finding_action *f, store_err *err);

/* Risk weights in RISK_* order (core/risk.h). */
int store_weights_get(sy_db *db, int *points, int n, store_err *err);
int store_weights_set(sy_db *db, const int *points, int n, store_err *err);

/* ---- maintenance (maintenance.c) ------------------------------------------ */
/* The engine's quick or full integrity check: ST_OK, or ST_CORRUPT with the
 * first problem in msg. */
int store_integrity_check(sy_db *db, int quick, char *msg, size_t size);
/* Online, consistent copy to a new file, then integrity_check on the copy. */
int store_backup(sy_db *db, const char *path, char *msg, size_t size);

/* Counts of each catalogue table, for the health page and the seed check. */
typedef struct store_counts {
    int64_t vendors, offerings, contracts, workloads;
} store_counts;
int store_counts_get(sy_db *db, store_counts *out, store_err *err);

#endif
