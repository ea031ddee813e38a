/* main.c - the switchyard command line: serve, migrate, seed, version,
 * healthcheck and help. Every subcommand accepts --db PATH anywhere among
 * its arguments. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/text.h"
#include "http/server.h"
#include "seed/seed.h"
#include "store/store.h"
#include "version.h"

static const char USAGE[] =
    "usage: switchyard [COMMAND] [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  serve        serve the dashboard and the API (default)\n"
    "  migrate      apply pending database migrations and exit\n"
    "  seed         load the vendor catalogue (add --demo for the demo portfolio)\n"
    "  healthcheck  probe a running server's /api/v1/health (for containers)\n"
    "  version      print the version\n"
    "  help         print this help\n"
    "\n"
    "Options:\n"
    "  --db PATH          database file (default ./switchyard.db; env SWITCHYARD_DB)\n"
    "  --listen ADDR:PORT address to serve on (default 127.0.0.1:8080; port 0 picks one)\n"
    "  --web-root DIR     serve the front end from DIR instead of the embedded copy\n"
    "  --demo             serve/seed: load the demo portfolio into an empty database\n"
    "  --threads N        serve: worker threads (default 64)\n"
    "  --quiet            serve: no per-request log lines\n";

typedef struct cli {
    const char *command;
    sy_config cfg;
    int demo;
} cli;

static int parse_args(int argc, char **argv, cli *c)
{
    memset(c, 0, sizeof *c);
    c->command = "serve";
    c->cfg.db_path = getenv("SWITCHYARD_DB") ? getenv("SWITCHYARD_DB") : "switchyard.db";
    c->cfg.listen = "127.0.0.1:8080";
    c->cfg.threads = 64;
    int have_command = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *value = NULL;
        int takes_value = strcmp(a, "--db") == 0 || strcmp(a, "--listen") == 0 ||
                          strcmp(a, "--web-root") == 0 || strcmp(a, "--threads") == 0;
        if (takes_value) {
            if (i + 1 >= argc) {
                fprintf(stderr, "switchyard: %s needs a value\n", a);
                return -1;
            }
            value = argv[++i];
        }
        if (strcmp(a, "--db") == 0) {
            c->cfg.db_path = value;
        } else if (strcmp(a, "--listen") == 0) {
            c->cfg.listen = value;
        } else if (strcmp(a, "--web-root") == 0) {
            c->cfg.web_root = value;
        } else if (strcmp(a, "--threads") == 0) {
            int64_t n;
            if (parse_i64(value, 1, 1024, &n) != 0) {
                fprintf(stderr, "switchyard: --threads wants a number from 1 to 1024\n");
                return -1;
            }
            c->cfg.threads = (int)n;
        } else if (strcmp(a, "--demo") == 0) {
            c->demo = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            c->cfg.quiet = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            c->command = "help";
            have_command = 1;
        } else if (a[0] == '-') {
            fprintf(stderr, "switchyard: unknown option %s (see --help)\n", a);
            return -1;
        } else if (!have_command) {
            c->command = a;
            have_command = 1;
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

static sy_db *open_migrated(const char *path)
{
    sy_db *db = NULL;
    store_err err;
    int applied = 0;
    if (store_open(path, &db, &err) != ST_OK) {
        fprintf(stderr, "switchyard: cannot open %s: %s\n", path, err.detail);
        return NULL;
    }
    if (store_migrate(db, &applied, &err) != ST_OK) {
        fprintf(stderr, "switchyard: cannot migrate %s: %s\n", path, err.detail);
        store_close(db);
        return NULL;
    }
    return db;
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

static int cmd_serve(cli *c)
{
    sy_db *db = open_migrated(c->cfg.db_path);
    if (!db)
        return 1;
    int rc = 0;
    /* A fresh database gets the catalogue; --demo adds the demo portfolio
     * only when no workloads exist, so it never touches real data. */
    if (c->demo && seed_portfolio_empty(db))
        rc = run_seed(db, 1);
    else if (seed_catalogue_empty(db))
        rc = run_seed(db, 0);
    else if (c->demo)
        log_msg(LOG_INFO, "--demo: the database already holds workloads; left as it is");
    store_close(db);
    if (rc != 0)
        return rc;
    return server_run(&c->cfg);
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

int main(int argc, char **argv)
{
    cli c;
    if (parse_args(argc, argv, &c) != 0)
        return 2;
    if (strcmp(c.command, "help") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (strcmp(c.command, "version") == 0) {
        printf("switchyard %s\n", SWITCHYARD_VERSION);
        return 0;
    }
    if (strcmp(c.command, "serve") == 0)
        return cmd_serve(&c);
    if (strcmp(c.command, "healthcheck") == 0)
        return cmd_healthcheck(&c);
    if (strcmp(c.command, "migrate") == 0 || strcmp(c.command, "seed") == 0) {
        sy_db *db = open_migrated(c.cfg.db_path);
        if (!db)
            return 1;
        int rc = 0;
        if (strcmp(c.command, "seed") == 0)
            rc = run_seed(db, c.demo);
        else
            printf("schema version %d\n", store_schema_version(db));
        store_close(db);
        return rc;
    }
    fprintf(stderr, "switchyard: unknown command %s (see --help)\n", c.command);
    return 2;
}
