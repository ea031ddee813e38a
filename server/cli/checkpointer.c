/* checkpointer.c - what `serve` runs beside the server: signs the audit
 * chain's head with the audit-checkpoint key and appends it to the key
 * directory's audit-checkpoints.log (core/checkpoint.h), at start-up when
 * the chain moved while the server was down, after every N new events,
 * after M minutes with new events, and at shutdown; optionally to syslog
 * too, as a witness outside this machine's files. A commit that appended
 * audit events wakes it (store_on_audit_commit); a one-second tick on the
 * monotonic clock notices the minutes and other instances' events. The
 * key is read again for each checkpoint, so a rotation applies at once. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "api/audit.h"
#include "cli/cli.h"
#include "common/file.h"
#include "common/filemode.h"
#include "common/log.h"
#include "common/text.h"
#include "core/checkpoint.h"
#include "report/signing.h"
#include "common/wait.h"

static struct {
    checkpointer_config cfg;
    sy_db *db;
    minisign_key key;
    char path[4096];
    int64_t last_seq, last_time;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int pending, stop, running;
    pthread_t thread;
} cp = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void wake(void)
{
    pthread_mutex_lock(&cp.lock);
    cp.pending = 1;
    pthread_cond_signal(&cp.wake);
    pthread_mutex_unlock(&cp.lock);
}

/* The highest sequence number already checkpointed in the file. */
static int64_t last_in_file(const char *path)
{
    char *data;
    size_t len;
    int64_t best = 0;
    if (file_read_all(path, (size_t)256 << 20, &data, &len) != 0)
        return 0;
    for (const char *p = data, *end = data + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        checkpoint c;
        if (checkpoint_parse(p, n, &c) == 0 && c.seq > best)
            best = c.seq;
        p += n + 1;
    }
    free(data);
    return best;
}

static int append_line(const char *path, const char *line, size_t len)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, (mode_t)filemode_data_mode());
    if (fd < 0)
        return -1;
    int ok = fd_write_all_sync(fd, line, len) == 0 && filemode_apply(path) == 0;
    return close(fd) == 0 && ok ? 0 : -1;
}

/* Writes a checkpoint of the head when it moved and force, N events or M
 * minutes say so. Only the checkpointer's thread (or stop, after it)
 * calls this. */
static void maybe_write(int force)
{
    int64_t seq;
    char hash[65];
    store_err err;
    if (store_audit_head(cp.db, &seq, hash, &err) != ST_OK) {
        log_msg(LOG_ERROR, "audit checkpoint: cannot read the head: %s", err.detail);
        return;
    }
    int64_t now = clock_now();
    if (seq <= cp.last_seq ||
        !(force || seq - cp.last_seq >= cp.cfg.every_events ||
          now - cp.last_time >= (int64_t)cp.cfg.every_minutes * 60))
        return;
    char at[21], msg[512];
    clock_now_rfc3339(at);
    /* The key as it is on disk now: `keys rotate audit` takes effect at
     * the next checkpoint (the old key's checkpoints verify with its
     * retired public key). */
    minisign_key fresh;
    if (keyfile_load(cp.cfg.key_dir, SIGNING_AUDIT, 0, &fresh, NULL, msg, sizeof msg) == 0) {
        cp.key = fresh;
        sodium_memzero(&fresh, sizeof fresh);
    } else {
        log_msg(LOG_WARN, "audit checkpoint: %s; signing with the key loaded before", msg);
    }
    checkpoint c;
    buf line;
    buf_init(&line);
    if (checkpoint_sign(&cp.key, seq, hash, at, &c) == 0)
        checkpoint_line(&c, &line);
    if (buf_failed(&line) || !line.data || append_line(cp.path, line.data, line.len) != 0) {
        log_msg(LOG_ERROR, "audit checkpoint: cannot append to %s: %s", cp.path, strerror(errno));
    } else {
        cp.last_seq = seq;
        cp.last_time = now;
        if (cp.cfg.syslog)
            witness_send(line.data, (int)line.len - 1);
    }
    buf_free(&line);
}

static void *run(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&cp.lock);
    while (!cp.stop) {
        if (!cp.pending) {
            struct timespec until = monotonic_in(1000);
            pthread_cond_timedwait(&cp.wake, &cp.lock, &until);
        }
        cp.pending = 0;
        if (cp.stop)
            break;
        pthread_mutex_unlock(&cp.lock);
        maybe_write(0);
        pthread_mutex_lock(&cp.lock);
    }
    pthread_mutex_unlock(&cp.lock);
    return NULL;
}

int checkpointer_start(const checkpointer_config *cfg)
{
    char msg[512];
    store_err err;
    cp.cfg = *cfg;
    if (snprintf(cp.path, sizeof cp.path, "%s/%s", cfg->key_dir, AUDIT_CHECKPOINT_FILE) >=
            (int)sizeof cp.path ||
        keyfile_load(cfg->key_dir, SIGNING_AUDIT, 0, &cp.key, NULL, msg, sizeof msg) != 0) {
        log_msg(LOG_ERROR, "audit checkpoint: %s", msg);
        return -1;
    }
    if (store_open(cfg->db_path, &cp.db, &err) != ST_OK) {
        log_msg(LOG_ERROR, "audit checkpoint: %s", err.detail);
        return -1;
    }
    if (cfg->syslog)
        witness_open();
    cp.last_seq = last_in_file(cp.path);
    cp.last_time = clock_now();
    maybe_write(1); /* what was written while no server ran */
    int rc = cond_init_monotonic(&cp.wake);
    if (rc != 0 || pthread_create(&cp.thread, NULL, run, NULL) != 0) {
        store_close(cp.db);
        cp.db = NULL;
        return -1;
    }
    cp.running = 1;
    store_on_audit_commit(wake);
    return 0;
}

void checkpointer_stop(void)
{
    if (!cp.running)
        return;
    store_on_audit_commit(NULL);
    pthread_mutex_lock(&cp.lock);
    cp.stop = 1;
    pthread_cond_signal(&cp.wake);
    pthread_mutex_unlock(&cp.lock);
    pthread_join(cp.thread, NULL);
    maybe_write(1); /* the head at shutdown */
    pthread_cond_destroy(&cp.wake);
    store_close(cp.db);
    cp.db = NULL;
    sodium_memzero(&cp.key, sizeof cp.key);
    if (cp.cfg.syslog)
        witness_close();
    cp.running = 0;
}
