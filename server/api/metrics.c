/* metrics.c - GET /metrics (and /api/v1/metrics): the Prometheus text of
 * http/metrics.c, plus the scored snapshot's builds. An admin, or the
 * scrape token of --metrics-token-file, may read it (the route's
 * RF_SCRAPE). */
#include "api/api.h"
#include "api/snapshot.h"
#include "http/metrics.h"

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
    rq->content_type = "text/plain; version=0.0.4; charset=utf-8";
    return 200;
}
