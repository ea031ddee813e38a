/* version.h - the release version, reported by `switchyard version` and
 * /api/v1/health. */
#ifndef SY_VERSION_H
#define SY_VERSION_H
#define SWITCHYARD_VERSION "0.1.0"
#endif
