/* metrics.c - GET /metrics (and /api/v1/metrics): the Prometheus text of
 * http/metrics.c, plus the scored snapshot's builds and the webhook
 * worker's comparisons. An admin, or the
 * scrape token of --metrics-token-file, may read it (the route's
 * RF_SCRAPE). */
#include "api/api.h"
#include "api/snapshot.h"
#include "http/metrics.h"
#include "jobs/webhooks.h"

/* The webhook worker's comparisons of the portfolio (jobs/webhooks.h). */
static void webhook_metrics(buf *out)
{
    webhook_compare_stats ws;
    webhooks_stats(&ws);
    static const char *const kinds[] = {"full", "incremental"};
    buf_puts(out, "# HELP switchyard_webhook_compares_total Comparisons of the portfolio with "
                  "the webhook state: in full, or of the workloads written only.\n"
                  "# TYPE switchyard_webhook_compares_total counter\n");
    for (int k = 0; k < 2; k++)
        buf_printf(out, "switchyard_webhook_compares_total{kind=\"%s\"} %llu\n", kinds[k],
                   (unsigned long long)ws.count[k]);
    buf_puts(out, "# HELP switchyard_webhook_compare_seconds_total Time spent comparing.\n"
                  "# TYPE switchyard_webhook_compare_seconds_total counter\n");
    for (int k = 0; k < 2; k++)
        buf_printf(out, "switchyard_webhook_compare_seconds_total{kind=\"%s\"} %.6f\n",
                   kinds[k], ws.seconds[k]);
    buf_puts(out, "# HELP switchyard_webhook_compare_cpu_seconds_total The worker thread's CPU "
                  "time in them.\n"
                  "# TYPE switchyard_webhook_compare_cpu_seconds_total counter\n");
    for (int k = 0; k < 2; k++)
        buf_printf(out, "switchyard_webhook_compare_cpu_seconds_total{kind=\"%s\"} %.6f\n",
                   kinds[k], ws.cpu[k]);
}

int metrics_get(sy_request *rq)
{
    metrics_write(&rq->out, rq->app);
    snapshot_build_stats sb;
    snapshot_stats(&sb);
    static const char *const kinds[] = {"full", "derived"};
    buf_puts(&rq->out, "# HELP switchyard_snapshot_builds_total Scored portfolio snapshots "
                       "built: in full, or derived from the last one.\n"
                       "# TYPE switchyard_snapshot_builds_total counter\n");
    for (int k = 0; k < 2; k++)
        buf_printf(&rq->out, "switchyard_snapshot_builds_total{kind=\"%s\"} %llu\n", kinds[k],
                   (unsigned long long)sb.count[k]);
    buf_puts(&rq->out, "# HELP switchyard_snapshot_build_seconds_total Time spent building "
                       "scored snapshots.\n"
                       "# TYPE switchyard_snapshot_build_seconds_total counter\n");
    for (int k = 0; k < 2; k++)
        buf_printf(&rq->out, "switchyard_snapshot_build_seconds_total{kind=\"%s\"} %.6f\n",
                   kinds[k], sb.seconds[k]);
    buf_puts(&rq->out, "# HELP switchyard_snapshot_last_build_seconds The latest build's time.\n"
                       "# TYPE switchyard_snapshot_last_build_seconds gauge\n");
    for (int k = 0; k < 2; k++)
        buf_printf(&rq->out, "switchyard_snapshot_last_build_seconds{kind=\"%s\"} %.6f\n",
                   kinds[k], sb.last[k]);
    buf_printf(&rq->out, "# HELP switchyard_snapshot_bytes The latest snapshot's memory: what "
                         "its chain of derivations holds, and what a full build would.\n"
                         "# TYPE switchyard_snapshot_bytes gauge\n"
                         "switchyard_snapshot_bytes{part=\"held\"} %.0f\n"
                         "switchyard_snapshot_bytes{part=\"full\"} %.0f\n",
               sb.held_bytes, sb.full_bytes);
    webhook_metrics(&rq->out);
    rq->content_type = "text/plain; version=0.0.4; charset=utf-8";
    return 200;
}
