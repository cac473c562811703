/* SPDX-License-Identifier: BSD-2-Clause */
/* lmtp.h - an LMTP server (RFC 2033) that hands each message to intake.h
 * and answers each accepted recipient only after the message's events
 * are committed (2xx), or with 451 4.3.0 when the store failed (the
 * client keeps the message and retries).  One thread, a poll(2) loop over
 * at most max_sessions connections; every limit has its reply: a command
 * line over max_line 500 5.5.0, a data line over it or a message over
 * max_size 552 5.3.4 (each recipient, after the final dot), recipients
 * over max_rcpt 452 4.5.3, idle time 421 4.4.2 and close, max_errors bad
 * commands 421 4.7.0 and close, one session too many 421 4.3.2.
 * Extensions: PIPELINING, ENHANCEDSTATUSCODES, 8BITMIME, SIZE.  Group
 * commit: the messages whose final dot came in one turn of the loop are
 * committed in one transaction (intake_stage, intake_commit). */
#ifndef BK_LMTP_H
#define BK_LMTP_H

#include <signal.h>
#include <stddef.h>

struct intake;

struct lmtp_conf {
	const char *hostname;	/* in the greeting and LHLO reply */
	size_t max_line;	/* bytes of a line with its CRLF: 4096 */
	size_t max_size;	/* bytes of a message: 64 MiB */
	unsigned max_rcpt;	/* recipients of a transaction: 100 */
	unsigned idle_ms;	/* idle time before 421: 300000 */
	unsigned max_sessions;	/* connections at once: 64 */
	unsigned max_errors;	/* bad commands before 421: 10 */
	volatile sig_atomic_t *stop;	/* set (by a signal) to end the loop */
	/* each message's outcome, each session's end, for the log */
	void (*log)(void *arg, const char *line);
	void *log_arg;
};

/* Listen on "unix:PATH" (a stale socket there is replaced, any other file
 * refused) or "HOST:PORT" ("[::1]:24", port 0 picks one).  Returns the
 * socket, or -1 with err filled; bound gets what was bound (with the
 * port picked). */
int lmtp_listen(const char *spec, char *bound, size_t boundlen, char *err,
		size_t errlen);

/* Serve until *conf->stop is set; returns 0, or -1 with err filled. */
int lmtp_serve(int lfd, const struct lmtp_conf *conf, struct intake *in,
	       char *err, size_t errlen);

#endif
