/* SPDX-License-Identifier: BSD-2-Clause */
/* pipe.c - `bouncekit ingest --pipe -`: one message from an MTA's pipe
 * (Postfix pipe(8), an Exim pipe transport, an alias) with its envelope,
 * into the store through intake/intake.h, answered with the sysexits
 * status the MTA acts on: 0 done, 75 try again later (nothing written),
 * 65 never readable.  Any store trouble is 75: the MTA keeps the message,
 * so none is lost. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "intake/intake.h"
#include "store/store.h"

int
ingest_pipe(const char *url, const struct bk_policy *pol, const char *channel,
	    const struct pipe_opts *po)
{
	struct bk_options opt;
	bk_options_init(&opt);
	size_t max = opt.limits.message_size;
	if (po->keep) {
		struct stat sb;
		if (stat(po->keep, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			warnx_("ingest: --keep-unparsed %s: not a directory", po->keep);
			return EXIT_TEMPFAIL;
		}
	}
	/* read the message: at most the limit, then drain the rest */
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	bool over = false;
	if (!buf) {
		warnx_("ingest: out of memory");
		return EXIT_TEMPFAIL;
	}
	for (;;) {
		if (len == cap) {
			if (cap > max) {
				over = true;
				len = 0;
			} else {
				char *nb = realloc(buf, cap * 2);
				if (!nb) {
					free(buf);
					warnx_("ingest: out of memory");
					return EXIT_TEMPFAIL;
				}
				buf = nb;
				cap *= 2;
			}
		}
		ssize_t n = read(STDIN_FILENO, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			warnx_("ingest: standard input: %s", strerror(errno));
			free(buf);
			return EXIT_TEMPFAIL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (over || len > max) {
		warnx_("ingest: the message is over the size limit of %zu bytes: refused", max);
		free(buf);
		return EXIT_DATAERR;
	}
	struct bk_store *st;
	int rc = store_open_cli(&st, url, BK_STORE_OPEN_MIGRATE, pol);
	if (rc) {
		free(buf);
		if (rc != EXIT_TEMPFAIL)
			warnx_("ingest: nothing written: the MTA should keep the message and retry");
		return EXIT_TEMPFAIL;
	}
	struct intake_conf conf = { channel, po->keep, po->verp, max, NULL, NULL };
	char err[512];
	struct intake *in = intake_new(st, &conf, err, sizeof(err));
	if (!in) {
		warnx_("ingest: %s", err);
		bk_store_close(st);
		free(buf);
		return EXIT_TEMPFAIL;
	}
	struct intake_outcome out;
	enum intake_result res = intake_message(in, buf, len, "<STDIN>", po->sender,
						po->rcpts, po->nrcpt, &out);
	int status = EXIT_OK;
	switch (res) {
	case INTAKE_STORED:
		if (!po->quiet)
			fprintf(stderr, "ingest: %u records stored (%llu new events)%s%s\n",
				out.records, bk_store_stats_ingest(st)->events_new,
				out.verp_supplied ? ", recipient from VERP" : "",
				out.kept ? ", message kept" : "");
		break;
	case INTAKE_NOTBOUNCE:
		if (!po->quiet)
			fprintf(stderr, "ingest: not a bounce: accepted%s%s\n",
				out.kept ? ", kept as " : "", out.kept ? out.kept_path : "");
		break;
	case INTAKE_TEMPFAIL:
		warnx_("ingest: %s: nothing written, try again later", out.msg);
		status = EXIT_TEMPFAIL;
		break;
	case INTAKE_DATAERR:
		warnx_("ingest: %s: the message can never be read", out.msg);
		status = EXIT_DATAERR;
		break;
	}
	intake_free(in);
	bk_store_close(st);
	free(buf);
	return status;
}
