/* calendar.h - the deadlines of the portfolio as an iCalendar feed (RFC
 * 5545; issue 19 item 4). Pure: events from one scored snapshot, then the
 * text, with lines folded at 75 octets and TEXT values escaped.
 *
 * Events, each an all-day VEVENT (DTSTART;VALUE=DATE) with a stable UID:
 *   notice     a customer contract in force: its current notice deadline
 *   end        the same contract: the end of its current term (renewal
 *              when it renews by itself)
 *   committed  a contract in force: committed_until
 *   exclusive  a contract in force: exclusive_until
 *   term       a contract in force: each upstream term's `until`
 *   retires    an offering one active workload depends on: `retires`
 *   acceptance a risk acceptance in force: expires_on (its last day)
 *   drill      an active workload's alternative whose latest exit drill
 *              passed: that drill + DRILL_VALID_DAYS, when it stops proving
 * DESCRIPTION names the active workloads concerned. With a track, only the
 * events concerning one of its active workloads are kept. */
#ifndef SY_CALENDAR_H
#define SY_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buf.h"
#include "core/portfolio.h"

typedef struct cal_event {
    const char *kind;          /* notice end committed exclusive term retires acceptance drill */
    const char *uid;           /* stable: kind, record IDs and the date */
    int64_t day;
    const char *summary;
    const char *description;
    const char *path;          /* the front end's page, e.g. "#/contracts/3" */
} cal_event;

/* The events of p (track NULL: all), by day, then UID. 0, or -1 when out
 * of memory. */
int calendar_events(const portfolio *p, const char *track, arena *a, cal_event **out,
                    size_t *n);

/* Appends the VCALENDAR: dtstamp is "YYYYMMDDTHHMMSSZ" (the injectable
 * clock's now), base_url prefixes each event's path for its URL. */
void calendar_write(buf *b, const cal_event *ev, size_t n, const char *name,
                    const char *dtstamp, const char *base_url);

/* A TEXT value escaped (backslash, semicolon, comma, newline as \n). */
void ical_escape(buf *b, const char *s);
/* Appends one content line, folded so no line exceeds 75 octets (never
 * inside a UTF-8 sequence), ending in CRLF. */
void ical_line(buf *b, const char *line, size_t len);

#endif
