/* main.c - the switchyard command line: serve, migrate, seed, version,
 * healthcheck and help. Every subcommand accepts --db PATH anywhere among
 * its arguments; PATH is an SQLite file or a postgres:// URL, and every
 * command but backup works with either. The commands are one table (name,
 * help lines, handler; see COMMANDS) that main() and `help` both walk. */
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <sodium.h>

#include "api/audit.h"
#include "api/history.h"
#include "api/routes.h"
#include "cli/cli.h"
#include "report/report.h"
#include "common/filemode.h"
#include "common/log.h"
#include "http/auth.h"
#include "common/text.h"
#include "http/metrics.h"
#include "http/server.h"
#include "jobs/webhooks.h"
#include "seed/seed.h"
#include "sso/oidc.h"
#include "store/store.h"
#include "version.h"

static const char USAGE_HEAD[] =
    "usage: switchyard [COMMAND] [OPTIONS]\n"
    "\n"
    "Commands:\n";

static const char USAGE_OPTIONS[] =
    "\n"
    "Options:\n"
    "  --db PATH|URL      SQLite database file (default ./switchyard.db), or a\n"
    "                     PostgreSQL URL postgres://USER@HOST/DB (env SWITCHYARD_DB)\n"
    "  --listen ADDR:PORT address to serve on (default 127.0.0.1:8080; port 0 picks one)\n"
    "  --web-root DIR     serve the front end from DIR instead of the embedded copy\n"
    "  --demo             serve/seed: load the demo portfolio into an empty database\n"
    "                     (serve also imports the demo's evidence files, seeds/evidence)\n"
    "  --no-demo-evidence serve --demo: leave the evidence files out\n"
    "  --threads N        serve: worker threads (default 256; one per open connection)\n"
    "  --max-per-address N serve: open connections one client address may hold;\n"
    "                     more get 429 (default: no cap; not behind a proxy)\n"
    "  --db-connections N serve: database connections, i.e. requests computing at\n"
    "                     once (default two per CPU, at least 4)\n"
    "  --quiet            serve: no per-request log lines\n"
    "  --role ROLE        user add: viewer, architect, auditor or admin\n"
    "  --key-dir DIR      serve/report/keys/audit/check: the directory of the keys\n"
    "                     (report signing, audit checkpoints) and audit-checkpoints.log\n"
    "                     (default: the database file's directory; with PostgreSQL the\n"
    "                     current one)\n"
    "  --since DATE       report: also list the changes since DATE (YYYY-MM-DD)\n"
    "  --public-key FILE  report verify: minisign public key (default: the key dir's)\n"
    "  --trusted-proxies LIST  serve: reverse proxies (IPs, CIDR ranges) whose\n"
    "                     X-Forwarded-For/Forwarded and X-Forwarded-Proto are believed\n"
    "                     (env SWITCHYARD_TRUSTED_PROXIES; default none)\n"
    "  --checkpoint-events N, --checkpoint-minutes M  serve: sign the audit chain's\n"
    "                     head after N new events (default 100) or M minutes\n"
    "                     (default 5), and at shutdown, into the key directory's\n"
    "                     audit-checkpoints.log\n"
    "  --audit-syslog     serve: also send each audit checkpoint to syslog\n"
    "  --oidc-issuer URL, --oidc-client-id ID, --oidc-client-secret-file FILE,\n"
    "  --oidc-role-map 'GROUP=ROLE,...', --oidc-default-role ROLE,\n"
    "  --oidc-groups-claim NAME, --oidc-name-claim NAME, --oidc-scopes LIST,\n"
    "  --oidc-redirect-base URL, --oidc-provider-name NAME  serve: single sign-on\n"
    "                     with OpenID Connect (env SWITCHYARD_OIDC_*; see README)\n"
    "  --password-sign-in all|admins  serve: with single sign-on, who may still\n"
    "                     sign in with a password (default all)\n"
    "  --metrics-token-file FILE  serve: a token (16+ characters) that may read\n"
    "                     GET /metrics, besides admins (for a Prometheus scraper)\n"
    "  --log-format text|json  log lines as text (default) or one JSON object each\n"

    "  --file-group NAME  database files, backups and the checkpoint log 0640 and of\n"
    "                     this group (default 0600, owner only; env SWITCHYARD_FILE_GROUP)\n"
    "  --dry-run          import: print the plan, change nothing\n"
    "  --tag-key KEY      import focus: the tag that names the workload (default workload)\n"
    "  --url URL          import: fetch the file over HTTPS (20 MB, 60 s at most) instead\n"
    "  --timeout SECONDS  import --url: give up after this many seconds (1-600, default 60)\n";

#define MAX_ARGS 4

typedef struct cli {
    const char *command;
    const char *args[MAX_ARGS];   /* positional arguments after the command */
    int n_args;
    const char *role;
    sy_config cfg;
    int demo, no_demo_evidence;
    const char *format, *out, *bundle, *since, *public_key;   /* report */
    const char *trusted_proxies;                                /* serve */
    const char *metrics_token_file;                             /* serve */
    int checkpoint_events, checkpoint_minutes, audit_syslog;    /* serve */
    int dry_run;                                                /* import */
    const char *tag_key;                                        /* import */
    const char *url;                                            /* import */
    int timeout;                                                /* import --url */
} cli;

/* A whole number option from 1 to max; complains and returns -1 otherwise. */
static int parse_count(const char *option, const char *value, int max, int *out)
{
    int64_t n;
    if (parse_i64(value, 1, max, &n) != 0) {
        fprintf(stderr, "switchyard: %s wants a number from 1 to %d\n", option, max);
        return -1;
    }
    *out = (int)n;
    return 0;
}

/* --log-format text|json */
static int set_log_format(cli *c, const char *value)
{
    (void)c;
    if (strcmp(value, "json") != 0 && strcmp(value, "text") != 0) {
        fprintf(stderr, "switchyard: --log-format wants text or json\n");
        return -1;
    }
    log_set_json(strcmp(value, "json") == 0);
    return 0;
}

/* --file-group NAME */
static int set_file_group(cli *c, const char *value)
{
    (void)c;
    char why[160];
    if (filemode_set_group(value, why, sizeof why) != 0) {
        fprintf(stderr, "switchyard: --file-group: %s\n", why);
        return -1;
    }
    return 0;
}

/* The options, declared once: a text (const char * in cli), a whole number
 * from 1 to max (int), a flag (int set to 1) or a setter of its own. */
typedef enum { OPT_TEXT, OPT_COUNT, OPT_FLAG, OPT_CALL } opt_kind;
typedef struct cli_option {
    const char *name;
    opt_kind kind;
    size_t at;                                 /* offset in cli */
    int max;                                   /* OPT_COUNT */
    int (*set)(cli *c, const char *value);     /* OPT_CALL */
} cli_option;

#define AT(field) offsetof(cli, field)
static const cli_option CLI_OPTIONS[] = {
    {"--db", OPT_TEXT, AT(cfg.db_path), 0, NULL},
    {"--listen", OPT_TEXT, AT(cfg.listen), 0, NULL},
    {"--web-root", OPT_TEXT, AT(cfg.web_root), 0, NULL},
    {"--key-dir", OPT_TEXT, AT(cfg.key_dir), 0, NULL},
    {"--threads", OPT_COUNT, AT(cfg.threads), 1024, NULL},
    {"--max-per-address", OPT_COUNT, AT(cfg.max_per_address), 1024, NULL},
    {"--db-connections", OPT_COUNT, AT(cfg.db_connections), 256, NULL},
    {"--quiet", OPT_FLAG, AT(cfg.quiet), 0, NULL},
    {"--role", OPT_TEXT, AT(role), 0, NULL},
    {"--format", OPT_TEXT, AT(format), 0, NULL},
    {"--out", OPT_TEXT, AT(out), 0, NULL},
    {"--bundle", OPT_TEXT, AT(bundle), 0, NULL},
    {"--since", OPT_TEXT, AT(since), 0, NULL},
    {"--public-key", OPT_TEXT, AT(public_key), 0, NULL},
    {"--trusted-proxies", OPT_TEXT, AT(trusted_proxies), 0, NULL},
    {"--metrics-token-file", OPT_TEXT, AT(metrics_token_file), 0, NULL},
    {"--checkpoint-events", OPT_COUNT, AT(checkpoint_events), 1000000, NULL},
    {"--checkpoint-minutes", OPT_COUNT, AT(checkpoint_minutes), 1440, NULL},
    {"--audit-syslog", OPT_FLAG, AT(audit_syslog), 0, NULL},
    {"--demo", OPT_FLAG, AT(demo), 0, NULL},
    {"--no-demo-evidence", OPT_FLAG, AT(no_demo_evidence), 0, NULL},
    {"--dry-run", OPT_FLAG, AT(dry_run), 0, NULL},
    {"--tag-key", OPT_TEXT, AT(tag_key), 0, NULL},
    {"--url", OPT_TEXT, AT(url), 0, NULL},
    {"--timeout", OPT_COUNT, AT(timeout), 600, NULL},
    {"--log-format", OPT_CALL, 0, 0, set_log_format},
    {"--file-group", OPT_CALL, 0, 0, set_file_group},
};
#undef AT

static const cli_option *cli_option_find(const char *name)
{
    for (size_t i = 0; i < sizeof CLI_OPTIONS / sizeof CLI_OPTIONS[0]; i++)
        if (strcmp(CLI_OPTIONS[i].name, name) == 0)
            return &CLI_OPTIONS[i];
    return NULL;
}

/* Applies option o (argv[*i]), taking its value from the next argument. */
static int apply_option(const cli_option *o, int argc, char **argv, int *i, cli *c)
{
    char *field = (char *)c + o->at;
    if (o->kind == OPT_FLAG) {
        *(int *)(void *)field = 1;
        return 0;
    }
    if (*i + 1 >= argc) {
        fprintf(stderr, "switchyard: %s needs a value\n", o->name);
        return -1;
    }
    const char *value = argv[++*i];
    if (o->kind == OPT_TEXT) {
        *(const char **)(void *)field = value;
        return 0;
    }
    if (o->kind == OPT_COUNT)
        return parse_count(o->name, value, o->max, (int *)(void *)field);
    return o->set(c, value);
}

static int parse_args(int argc, char **argv, cli *c)
{
    memset(c, 0, sizeof *c);
    c->command = "serve";
    c->cfg.db_path = getenv("SWITCHYARD_DB") ? getenv("SWITCHYARD_DB") : "switchyard.db";
    c->cfg.listen = "127.0.0.1:8080";
    c->cfg.threads = 256;
    c->checkpoint_events = 100;
    c->checkpoint_minutes = 5;
    c->trusted_proxies = getenv("SWITCHYARD_TRUSTED_PROXIES");
    int have_command = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int used, sso = oidc_option(a, i + 1 < argc ? argv[i + 1] : NULL, &used);
        if (sso <= 0) { /* --oidc-*, --password-sign-in: sso/settings.c */
            if (sso < 0)
                return -1;
            i += used;
            continue;
        }
        const cli_option *o = cli_option_find(a);
        if (o) {
            if (apply_option(o, argc, argv, &i, c) != 0)
                return -1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            c->command = "help";
            have_command = 1;
        } else if (a[0] == '-') {
            fprintf(stderr, "switchyard: unknown option %s (see --help)\n", a);
            return -1;
        } else if (!have_command) {
            c->command = a;
            have_command = 1;
        } else if (c->n_args < MAX_ARGS) {
            c->args[c->n_args++] = a;
        } else {
            fprintf(stderr, "switchyard: unexpected argument %s (see --help)\n", a);
            return -1;
        }
    }
    if (*c->cfg.db_path == '\0') {
        fprintf(stderr, "switchyard: --db must not be empty\n");
        return -1;
    }
    return 0;
}

/* Opens the database, checks it quickly (SQLite: quick_check; PostgreSQL:
 * the server answers) and applies pending migrations up to number upto
 * (0: all). */
static sy_db *open_migrated_to(const char *path, int upto)
{
    sy_db *db = NULL;
    store_err err;
    int applied = 0;
    char shown[512];
    store_target_redact(path, shown, sizeof shown);
    if (store_open(path, &db, &err) != ST_OK) {
        fprintf(stderr, "switchyard: cannot open %s: %s\n", shown, err.detail);
        return NULL;
    }
    char msg[256];
    if (store_integrity_check(db, 1, msg, sizeof msg) != ST_OK) {
        if (store_target_is_file(path))
            fprintf(stderr, "switchyard: %s is damaged (%s); restore a backup "
                            "(see `switchyard backup`) or inspect it with sqlite3\n", shown, msg);
        else
            fprintf(stderr, "switchyard: %s cannot be used (%s)\n", shown, msg);
        store_close(db);
        return NULL;
    }
    if (store_migrate_to(db, upto, &applied, &err) != ST_OK) {
        fprintf(stderr, "switchyard: cannot migrate %s: %s\n", shown, err.detail);
        store_close(db);
        return NULL;
    }
    return db;
}

static sy_db *open_migrated(const char *path)
{
    return open_migrated_to(path, 0);
}

static int run_seed(sy_db *db, int demo)
{
    seed_report rep;
    char msg[512];
    if (seed_load(db, demo, &rep, msg, sizeof msg) != 0) {
        fprintf(stderr, "switchyard: seeding failed: %s\n", msg);
        return 1;
    }
    log_msg(LOG_INFO, "seeded %s: %d records written, %d already current",
            demo ? "catalogue and demo portfolio" : "catalogue", rep.inserted_or_updated,
            rep.unchanged);
    return 0;
}

/* With --demo and no users yet: one user per role, passwords shown once. */
static int create_demo_users(sy_db *db, const char *listen)
{
    int64_t n;
    store_err err;
    if (store_user_count(db, &n, &err) != ST_OK)
        return -1;
    if (n > 0)
        return 0;
    static const char *const roles[] = {"admin", "architect", "auditor", "leadership",
                                        "viewer"};
    enum { N_ROLES = sizeof roles / sizeof roles[0] };
    char passwords[N_ROLES][64];
    for (int i = 0; i < N_ROLES; i++) {
        auth_random_secret(NULL, passwords[i], sizeof passwords[i]);
        passwords[i][24] = '\0';
        if (cli_create_user(db, roles[i], roles[i], passwords[i], "system:demo") != 0)
            return -1;
    }
    printf("\nSwitchyard demo: sign in at http://%s with one of these users.\n"
           "The passwords are shown only now; they are stored as Argon2id hashes.\n\n",
           listen);
    for (int i = 0; i < N_ROLES; i++)
        printf("  demo user %-10s password %s\n", roles[i], passwords[i]);
    printf("\n");
    fflush(stdout);
    return 0;
}

static int cmd_user(cli *c, sy_db *db)
{
    return cli_user(db, c->args, c->n_args, c->role);
}

static int cmd_audit(cli *c, sy_db *db)
{
    if (c->n_args < 1 || strcmp(c->args[0], "verify") != 0) {
        fprintf(stderr, "switchyard: usage: switchyard audit verify\n");
        return 2;
    }
    audit_verdict v;
    store_err err;
    arena a;
    arena_init(&a);
    int code = audit_verify(db, report_key_dir(&a, c->cfg.key_dir, c->cfg.db_path), &v, &err);
    arena_free(&a);
    if (code != ST_OK) {
        fprintf(stderr, "switchyard: %s\n", err.detail);
        return 1;
    }
    if (v.ok)
        printf("{\"ok\":true,\"events\":%lld,\"head\":{\"seq\":%lld,\"hash\":\"%s\"},"
               "\"checkpoints\":{\"count\":%lld,\"last_seq\":%lld}}\n",
               (long long)v.events, (long long)v.head_seq, v.head, (long long)v.checkpoints,
               (long long)v.checkpoint_seq);
    else
        printf("{\"ok\":false,\"events\":%lld,\"first_broken\":%lld,\"problem\":\"%s\","
               "\"checkpoints\":{\"count\":%lld,\"last_seq\":%lld}}\n",
               (long long)v.events, (long long)v.first_broken, v.problem,
               (long long)v.checkpoints, (long long)v.checkpoint_seq);
    /* A running server's webhook worker sends it. */
    if (!v.ok)
        webhooks_audit_failed(db, v.events, v.first_broken, v.problem, "cli");
    return v.ok ? 0 : 1;
}

static int cmd_serve(cli *c)
{
    char why[160];
    if (auth_set_trusted_proxies(c->trusted_proxies, why, sizeof why) != 0) {
        fprintf(stderr, "switchyard: --trusted-proxies: %s\n", why);
        return 2;
    }
    if (oidc_setup() != 0)
        return 2;
    if (c->metrics_token_file &&
        metrics_set_scrape_token_file(c->metrics_token_file, why, sizeof why) != 0) {
        fprintf(stderr, "switchyard: --metrics-token-file: %s\n", why);
        return 2;
    }
    sy_db *db = open_migrated(c->cfg.db_path);
    if (!db)
        return 1;
    int rc = 0;
    /* A fresh database gets the catalogue; --demo adds the demo portfolio
     * only when no workloads exist, so it never touches real data. */
    if (c->demo && seed_portfolio_empty(db)) {
        rc = run_seed(db, 1);
        /* The demo shows observed facts beside declared ones: its gateway
         * configuration, cost month, spend log and model lists. */
        if (rc == 0 && !c->no_demo_evidence)
            cli_import_demo_evidence(db);
    }
    else if (seed_catalogue_empty(db))
        rc = run_seed(db, 0);
    else if (c->demo)
        log_msg(LOG_INFO, "--demo: the database already holds workloads; left as it is");
    if (rc == 0 && c->demo)
        rc = create_demo_users(db, c->cfg.listen);
    /* The operator's start of the server makes the keys that are missing
     * (audited); requests never do. */
    arena a;
    arena_init(&a);
    const char *key_dir = report_key_dir(&a, c->cfg.key_dir, c->cfg.db_path);
    if (rc == 0 && cli_keys_ensure(db, key_dir, "system:serve", 0) != 0)
        rc = 1;
    int64_t users = 0;
    store_err err;
    if (rc == 0 && store_user_count(db, &users, &err) == ST_OK && users == 0)
        log_msg(LOG_WARN, "no users yet: create one with `switchyard user add NAME --role admin`");
    store_close(db);
    checkpointer_config cp = {c->cfg.db_path, key_dir, c->checkpoint_events,
                              c->checkpoint_minutes, c->audit_syslog};
    if (rc == 0 && checkpointer_start(&cp) != 0) {
        fprintf(stderr, "switchyard: cannot start the audit checkpoints (see the log)\n");
        rc = 1;
    }
    /* The webhook worker: its own thread and connection; requests only
     * queue rows for it. */
    if (rc == 0 && webhooks_start(c->cfg.db_path, key_dir) != 0) {
        fprintf(stderr, "switchyard: cannot start the webhook worker (see the log)\n");
        checkpointer_stop();
        rc = 1;
    }
    if (rc == 0) {
        server_on_new_day(history_daily);
        rc = server_run(&c->cfg, API_ROUTES);
        webhooks_stop();
        checkpointer_stop();
    }
    arena_free(&a);
    return rc;
}

/* Connects to the --listen address and expects 200 from /api/v1/health. */
static int cmd_healthcheck(cli *c)
{
    char host[64];
    copy_str(host, sizeof host, c->cfg.listen);
    char *colon = strrchr(host, ':');
    int64_t port;
    if (!colon || parse_i64(colon + 1, 1, 65535, &port) != 0) {
        fprintf(stderr, "healthcheck: --listen wants ADDR:PORT\n");
        return 1;
    }
    *colon = '\0';
    if (strcmp(host, "0.0.0.0") == 0 || host[0] == '\0')
        copy_str(host, sizeof host, "127.0.0.1");
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "healthcheck: %s is not an IPv4 address\n", host);
        return 1;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 1;
    struct timeval tv = {3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        fprintf(stderr, "healthcheck: cannot connect to %s:%lld\n", host, (long long)port);
        close(fd);
        return 1;
    }
    static const char req[] = "GET /api/v1/health HTTP/1.0\r\nHost: localhost\r\n\r\n";
    char resp[256];
    ssize_t n = write(fd, req, sizeof req - 1) == (ssize_t)(sizeof req - 1)
                    ? read(fd, resp, sizeof resp - 1) : -1;
    close(fd);
    if (n <= 0) {
        fprintf(stderr, "healthcheck: no answer\n");
        return 1;
    }
    resp[n] = '\0';
    int ok = strncmp(resp, "HTTP/1.1 200", 12) == 0 || strncmp(resp, "HTTP/1.0 200", 12) == 0;
    puts(ok ? "healthy" : "unhealthy");
    return ok ? 0 : 1;
}

/* ---- the commands ------------------------------------------------------- */

static int cmd_version(cli *c)
{
    (void)c;
    printf("switchyard %s\n", SWITCHYARD_VERSION);
    return 0;
}

static int cmd_backup(cli *c)
{
    if (!store_target_is_file(c->cfg.db_path)) {
        fprintf(stderr, "switchyard: backup copies SQLite database files only; back up "
                        "PostgreSQL with pg_dump (e.g. pg_dump --format=custom "
                        "--file=switchyard.dump URL) and restore with pg_restore\n");
        return 1;
    }
    sy_db *db = open_migrated(c->cfg.db_path);
    if (!db)
        return 1;
    char msg[512];
    int rc = 0;
    if (c->n_args != 1) {
        fprintf(stderr, "switchyard: usage: switchyard backup FILE [--db PATH]\n");
        rc = 2;
    } else if (store_backup(db, c->args[0], msg, sizeof msg) != ST_OK) {
        fprintf(stderr, "switchyard: %s\n", msg);
        rc = 1;
    } else if (filemode_apply(c->args[0]) != 0) {
        fprintf(stderr, "switchyard: %s cannot be given to the file group: %s\n", c->args[0],
                strerror(errno));
        rc = 1;
    } else {
        printf("backup written to %s (integrity_check: ok)\n", c->args[0]);
    }
    store_close(db);
    return rc;
}

static int cmd_check(cli *c)
{
    sy_db *db = open_migrated(c->cfg.db_path);
    if (!db)
        return 1;
    char msg[512];
    int integrity = store_integrity_check(db, 0, msg, sizeof msg);
    printf("integrity_check: %s\n", msg);
    audit_verdict v;
    store_err err;
    arena a;
    arena_init(&a);
    int audited = audit_verify(db, report_key_dir(&a, c->cfg.key_dir, c->cfg.db_path), &v, &err);
    arena_free(&a);
    if (audited != ST_OK)
        printf("audit: cannot read (%s)\n", err.detail);
    else if (v.ok)
        printf("audit: ok, %lld events, head %lld %s; %lld signed checkpoints agree (last %lld)\n",
               (long long)v.events, (long long)v.head_seq, v.head, (long long)v.checkpoints,
               (long long)v.checkpoint_seq);
    else
        printf("audit: broken at sequence %lld (%s)\n", (long long)v.first_broken, v.problem);
    store_close(db);
    return integrity == ST_OK && audited == ST_OK && v.ok ? 0 : 1;
}

/* Runs fn on the migrated database, then closes it. */
static int with_db(cli *c, int (*fn)(cli *, sy_db *))
{
    sy_db *db = open_migrated(c->cfg.db_path);
    if (!db)
        return 1;
    int rc = fn(c, db);
    store_close(db);
    return rc;
}

static int cmd_user_db(cli *c)
{
    return with_db(c, cmd_user);
}

static int keys_db(cli *c, sy_db *db)
{
    arena a;
    arena_init(&a);
    int rc = cli_keys(db, report_key_dir(&a, c->cfg.key_dir, c->cfg.db_path), c->args, c->n_args);
    arena_free(&a);
    return rc;
}

static int cmd_keys(cli *c)
{
    return with_db(c, keys_db);
}

static int cmd_audit_db(cli *c)
{
    return with_db(c, cmd_audit);
}

static int cmd_report(cli *c)
{
    if (c->n_args == 2 && strcmp(c->args[0], "verify") == 0)
        return report_cli_verify(c->args[1], c->cfg.db_path, c->cfg.key_dir, c->public_key);
    if (c->n_args > 0) {
        fprintf(stderr, "switchyard: usage: switchyard report --format html|json --out FILE "
                        "| --bundle FILE | verify FILE\n");
        return 2;
    }
    return report_cli_export(c->cfg.db_path, c->cfg.key_dir, c->format, c->since, c->out,
                             c->bundle);
}

static int migrate_db(cli *c, sy_db *db)
{
    (void)c;
    printf("schema version %d\n", store_schema_version(db));
    return 0;
}

static int seed_db(cli *c, sy_db *db)
{
    return run_seed(db, c->demo);
}

/* migrate [VERSION]: all pending migrations, or those up to VERSION (to
 * upgrade in steps, or to make a database as an older release left it). */
static int cmd_migrate(cli *c)
{
    int upto = 0;
    if (c->n_args > 1 || (c->n_args == 1 && parse_count("migrate", c->args[0], 9999, &upto) != 0))
        return 2;
    if (!upto)
        return with_db(c, migrate_db);
    sy_db *db = open_migrated_to(c->cfg.db_path, upto);
    if (!db)
        return 1;
    int rc = migrate_db(c, db);
    store_close(db);
    return rc;
}

static int import_db(cli *c, sy_db *db)
{
    if (c->url && c->n_args == 1)
        return cli_import_url(db, c->args[0], c->url, c->dry_run, c->tag_key,
                              c->timeout ? c->timeout : 60);
    if (c->url || c->n_args != 2) {
        fprintf(stderr, "switchyard: usage: switchyard import KIND FILE|--url URL [--dry-run] "
                        "[--tag-key KEY]\n");
        return 2;
    }
    return cli_import(db, c->args[0], c->args[1], c->dry_run, c->tag_key);
}

static int cmd_import(cli *c)
{
    return with_db(c, import_db);
}

static int snapshot_db(cli *c, sy_db *db)
{
    return cli_snapshot(db, c->args, c->n_args);
}

static int cmd_snapshot(cli *c)
{
    return with_db(c, snapshot_db);
}

static int cmd_seed(cli *c)
{
    return with_db(c, seed_db);
}

static int setting_db(cli *c, sy_db *db)
{
    return cli_setting(db, c->args, c->n_args);
}

static int cmd_setting(cli *c)
{
    return with_db(c, setting_db);
}

static int cmd_help(cli *c);

/* The command table: name, its lines in `help`, handler (exit status). */
typedef struct command {
    const char *name;
    const char *summary;
    int (*run)(cli *c);
} command;

static const command COMMANDS[] = {
    {"serve", "  serve        serve the dashboard and the API (default)\n", cmd_serve},
    {"migrate", "  migrate [VERSION]  apply pending database migrations (up to VERSION) and exit\n",
     cmd_migrate},
    {"seed", "  seed         load the vendor catalogue (add --demo for the demo portfolio)\n",
     cmd_seed},
    {"healthcheck", "  healthcheck  probe a running server's /api/v1/health (for containers)\n",
     cmd_healthcheck},
    {"user",
     "  user add NAME --role ROLE     create a user (password from stdin, or generated)\n"
     "  user list | set-role NAME ROLE | disable NAME | enable NAME | reset-password NAME\n",
     cmd_user_db},
    {"audit", "  audit verify recompute the audit trail's hash chain\n", cmd_audit_db},
    {"keys",
     "  keys init    create the missing key pairs in the key directory (audited):\n"
     "               report signing and audit checkpoints\n"
     "  keys show    print the public keys, their key IDs and fingerprints\n"
     "  keys rotate [report|audit]  replace a key pair (audited; the old one kept)\n",
     cmd_keys},
    {"backup",
     "  backup FILE  online, consistent copy of the database, checked after writing\n"
     "               (SQLite only; back up PostgreSQL with pg_dump)\n",
     cmd_backup},
    {"check",
     "  check        integrity_check of the database and verification of the audit trail\n"
     "               (PostgreSQL: the server answers and the schema is there)\n",
     cmd_check},
    {"report",
     "  report --format html|json --out FILE   the governance report (audited export)\n"
     "  report --bundle FILE       the signed .tar.gz bundle (HTML, JSON, CSVs, manifest)\n"
     "  report verify FILE         check a bundle's signature, manifest and audit head\n",
     cmd_report},
    {"import", "  import KIND FILE  import evidence (workloads focus litellm lifecycle); --dry-run\n",
     cmd_import},
    {"snapshot",
     "  snapshot [rebuild]         store today's portfolio figures (for cron; idempotent);\n"
     "                             rebuild: also the missing past days from the audit trail\n",
     cmd_snapshot},
    {"setting",
     "  setting [KEY [VALUE]]      show or set organisation, currency, report_classification\n",
     cmd_setting},
    {"version", "  version      print the version\n", cmd_version},
    {"help", "  help         print this help\n", cmd_help},
};

static int cmd_help(cli *c)
{
    (void)c;
    fputs(USAGE_HEAD, stdout);
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fputs(COMMANDS[i].summary, stdout);
    fputs(USAGE_OPTIONS, stdout);
    return 0;
}

int main(int argc, char **argv)
{
    /* Few malloc arenas and a fixed mmap threshold: large blocks (snapshot
     * chunks, big responses) go back to the system when freed instead of
     * fragmenting one heap per worker thread. */
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    /* Everything this process creates (database, WAL, SHM, backups, keys,
     * checkpoints, exports) is for its owner alone: 0600, directories 0700;
     * a file group (common/filemode.h) widens the data files to 0640. */
    umask(077);
    if (sodium_init() < 0) {
        fprintf(stderr, "switchyard: libsodium failed to initialise\n");
        return 1;
    }
    const char *group = getenv("SWITCHYARD_FILE_GROUP");
    char why[160];
    if (group && *group && filemode_set_group(group, why, sizeof why) != 0) {
        fprintf(stderr, "switchyard: SWITCHYARD_FILE_GROUP: %s\n", why);
        return 2;
    }
    cli c;
    if (parse_args(argc, argv, &c) != 0)
        return 2;
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (strcmp(c.command, COMMANDS[i].name) == 0)
            return COMMANDS[i].run(&c);
    fprintf(stderr, "switchyard: unknown command %s (see --help)\n", c.command);
    return 2;
}
