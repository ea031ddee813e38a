/* peers.h - requests in progress per client address, for a per-address cap.
 *
 * CivetWeb cannot refuse a connection by address when it accepts it: its
 * init_connection callback cannot refuse, and does not even see the address
 * (mg_get_request_info() answers NULL before a request has begun). So the
 * cap counts what nginx's limit_conn counts: requests whose headers are in,
 * from begin_request to end_request. One over the cap is answered 429 and
 * its connection closed before its body is read. Slow headers are not
 * covered (they never reach begin_request); the header deadline bounds
 * those. */
#ifndef SY_PEERS_H
#define SY_PEERS_H

/* Room for `slots` addresses at once (one per worker thread). 0 or -1. */
int peers_start(int slots);
void peers_stop(void);

/* A request from addr began (returns how many addr has now, this one
 * included) or ended. */
int peers_enter(const char *addr);
void peers_leave(const char *addr);

#endif
