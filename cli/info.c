/* SPDX-License-Identifier: BSD-2-Clause */
/* info.c - `bouncekit classify`, `reasons` and `decoders`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* ---- classify ---- */

enum cfmt { CF_TEXT, CF_TSV, CF_NDJSON };

/* Longest line of standard input classified whole; the rest of a longer
 * one is read and dropped (a warning says so), so memory stays bounded
 * whatever the input. */
#define LINE_MAX_BYTES (64 * 1024)

static void
classify_usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit classify [--format text|tsv|ndjson] [--explain] TEXT...\n"
"       bouncekit classify [--format text|tsv|ndjson] [--explain] - < log-lines\n"
"\n"
"Classify a free-text SMTP reply or diagnostic (from a log line or a\n"
"webhook) as bouncekit classifies the Diagnostic-Code of a bounce: its\n"
"reason, status, reply code, SMTP command and hard or soft.  Each TEXT\n"
"argument is classified on its own (quote a text that holds spaces; put\n"
"-- before one that starts with a dash).\n"
"With -, each line of standard input is classified as it arrives, in\n"
"bounded memory (lines over 64 KiB are classified by their first 64 KiB).\n"
"\n"
"options:\n"
"  -f, --format FMT  text: key: value lines (with a text: line and a blank\n"
"                    line between verdicts when there are several);\n"
"                    tsv: reason, status, replycode, command, hard|soft,\n"
"                    text, tab-separated, one line each;\n"
"                    ndjson: one JSON object a line, with Sisimai's field\n"
"                    names (text, reason, deliverystatus, replycode,\n"
"                    command, hardbounce)\n"
"  --explain         also why: the step of the classifier's order that\n"
"                    decided, the table and row that matched, what was\n"
"                    turned down (a JSON object, docs/record.md): an\n"
"                    explain: line, a last column, an \"explain\" member\n"
"  -h, --help        this help\n");
}

/* s as a JSON string: escapes, and U+FFFD for bytes that are not UTF-8. */
static void
put_json_string(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			putchar('\\');
			putchar(c);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			printf("\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			putchar(c);
			i++;
		} else {
			/* a well-formed UTF-8 sequence is copied, anything else
			 * becomes one U+FFFD a byte */
			size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3
				   : c >= 0xc2 && c <= 0xdf ? 2 : 0;
			bool ok = len && i + len <= n && c < 0xf5;
			for (size_t k = 1; ok && k < len; k++)
				ok = ((unsigned char)s[i + k] & 0xc0) == 0x80;
			if (ok && len == 3) {
				unsigned char d = (unsigned char)s[i + 1];
				ok = !(c == 0xe0 && d < 0xa0) && !(c == 0xed && d > 0x9f);
			} else if (ok && len == 4) {
				unsigned char d = (unsigned char)s[i + 1];
				ok = !(c == 0xf0 && d < 0x90) && !(c == 0xf4 && d > 0x8f);
			}
			if (ok) {
				fwrite(s + i, 1, len, stdout);
				i += len;
			} else {
				fputs("\xef\xbf\xbd", stdout);
				i++;
			}
		}
	}
	putchar('"');
}

static bool explain;

/* Print the verdict on text in fmt; labelled: a text: line first (text
 * format, when there may be several). */
static void
print_verdict(enum cfmt fmt, const char *text, size_t len, bool labelled,
	      unsigned long nth)
{
	struct bk_verdict v;
	char *why = NULL;
	if (explain)
		bk_classify_text_explain(text, len, &v, &why);
	else
		bk_classify_text(text, len, &v);
	/* out of memory for the explanation: still valid JSON */
	const char *ex = why ? why : "null";
	switch (fmt) {
	case CF_TEXT:
		if (labelled) {
			if (nth > 1)
				putchar('\n');
			printf("text: %.*s\n", (int)len, text);
		}
		printf("reason: %s\nstatus: %s\nreplycode: %s\ncommand: %s\n"
		       "hardbounce: %s\n", v.reason, v.status, v.replycode,
		       v.command, v.hardbounce ? "true (hard)" : "false (soft)");
		if (explain)
			printf("explain: %s\n", ex);
		break;
	case CF_TSV:
		printf("%s\t%s\t%s\t%s\t%s\t", v.reason, v.status, v.replycode,
		       v.command, v.hardbounce ? "hard" : "soft");
		for (size_t i = 0; i < len; i++)
			putchar(text[i] == '\t' || text[i] == '\r' ? ' ' : text[i]);
		if (explain)
			printf("\t%s", ex);
		putchar('\n');
		break;
	case CF_NDJSON:
		fputs("{\"text\":", stdout);
		put_json_string(text, len);
		printf(",\"reason\":\"%s\",\"deliverystatus\":\"%s\","
		       "\"replycode\":\"%s\",\"command\":\"%s\","
		       "\"hardbounce\":%s",
		       v.reason, v.status, v.replycode, v.command,
		       v.hardbounce ? "true" : "false");
		if (explain)
			printf(",\"explain\":%s", ex);
		fputs("}\n", stdout);
		break;
	}
	free(why);
}

/* Each line of standard input as it arrives: a fixed buffer, lines
 * classified as soon as they are whole, the output flushed before each
 * read that may wait. */
static int
classify_stream(enum cfmt fmt)
{
	static char buf[LINE_MAX_BYTES];
	size_t have = 0;
	unsigned long nth = 0, lineno = 0;
	bool skipping = false, eof = false;
	while (!eof) {
		if (fflush(stdout) != 0)
			return EXIT_FATAL;
		ssize_t r = read(STDIN_FILENO, buf + have, sizeof(buf) - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			warnx_("classify: <STDIN>: cannot read: %s", strerror(errno));
			return EXIT_PARTIAL;
		}
		eof = r == 0;
		have += (size_t)r;
		size_t start = 0;
		for (;;) {
			char *nl = memchr(buf + start, '\n', have - start);
			size_t end = nl ? (size_t)(nl - buf) : have;
			if (!nl && !(eof && end > start) &&
			    !(start == 0 && have == sizeof(buf)))
				break;
			/* a whole line, the last one without its newline, or
			 * a full buffer without a line end */
			if (!skipping) {
				lineno++;
				size_t n = end - start;
				if (n && buf[start + n - 1] == '\r')
					n--;
				if (n)
					print_verdict(fmt, buf + start, n, true, ++nth);
				if (!nl && !eof)
					warnx_("classify: <STDIN> line %lu: longer than "
					       "%d bytes; classified by its start",
					       lineno, LINE_MAX_BYTES);
			}
			skipping = !nl && !eof;
			start = nl ? end + 1 : have;
			if (!nl)
				break;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	return EXIT_OK;
}

enum { OPT_CLASSIFY_EXPLAIN = 256 };

static const struct option classify_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "explain", no_argument, NULL, OPT_CLASSIFY_EXPLAIN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int
cmd_classify(int argc, char **argv)
{
	enum cfmt fmt = CF_TEXT;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:h", classify_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				fmt = CF_TEXT;
			else if (!strcmp(optarg, "tsv"))
				fmt = CF_TSV;
			else if (!strcmp(optarg, "ndjson"))
				fmt = CF_NDJSON;
			else
				return opt_bad_value("classify", "format",
						     "unknown format '%s' (text, "
						     "tsv, ndjson)", optarg);
			break;
		case OPT_CLASSIFY_EXPLAIN:
			explain = true;
			break;
		case 'h':
			classify_usage(stdout);
			return EXIT_OK;
		default:
			return opt_error("classify", c, argc, argv, classify_opts);
		}
	}
	if (optind >= argc)
		return usage_error("classify", "no TEXT to classify (- for "
				   "standard input)");
	bool stdin_too = false;
	for (int i = optind; i < argc; i++)
		stdin_too |= !strcmp(argv[i], "-");
	if (stdin_too && argc - optind > 1)
		return usage_error("classify", "- (standard input) cannot be "
				   "given with TEXT arguments");
	if (stdin_too)
		return classify_stream(fmt);
	unsigned long nth = 0;
	for (int i = optind; i < argc; i++)
		print_verdict(fmt, argv[i], strlen(argv[i]), argc - optind > 1,
			      ++nth);
	return EXIT_OK;
}

/* ---- reasons, decoders ---- */

static void
reasons_usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit reasons\n"
"\n"
"List the reasons a record can carry, in taxonomy order: the name, whether\n"
"it is a hard bounce, its pseudo status code, and what it means.\n"
"\n"
"HARD: yes, a hard bounce (the address will not work: stop sending);\n"
"no, a soft bounce (retry later, or fix the sending side); 5xx, hard when\n"
"the reply code is 5xx and soft otherwise.  PSEUDO: the status a record\n"
"of this reason gets when the bounce gave none.\n");
}

static void
decoders_usage(FILE *f)
{
	fprintf(f,
"usage: bouncekit decoders\n"
"\n"
"List the decoders in the order they are tried, each with the formats it\n"
"handles, then the local delivery agents (dovecot, mail.local, ...) whose\n"
"own notice inside a bounce names a record's decoder.  The name is the\n"
"\"decodedby\" value of records: every value it can take is listed.\n");
}

int
cmd_reasons(int argc, char **argv)
{
	int rc = only_help("reasons", argc, argv, reasons_usage);
	if (rc >= 0)
		return rc;
	const struct bk_reason_info *list;
	size_t n = bk_reasons(&list);
	printf("%-16s %-5s %-8s %s\n", "REASON", "HARD", "PSEUDO", "MEANING");
	for (size_t i = 0; i < n; i++) {
		char pseudo[16] = "-";
		if (list[i].pseudo)
			snprintf(pseudo, sizeof(pseudo), "5.0.%d", list[i].pseudo);
		printf("%-16s %-5s %-8s %s\n", list[i].name,
		       list[i].hard ? (strcmp(list[i].name, "notaccept") ? "yes" : "5xx")
				    : "no",
		       pseudo, list[i].meaning);
	}
	return EXIT_OK;
}

int
cmd_decoders(int argc, char **argv)
{
	int rc = only_help("decoders", argc, argv, decoders_usage);
	if (rc >= 0)
		return rc;
	const struct bk_decoder_info *list;
	size_t n = bk_decoders(&list);
	for (size_t i = 0; i < n; i++)
		printf("%-20s %s\n", list[i].name, list[i].what);
	return EXIT_OK;
}
