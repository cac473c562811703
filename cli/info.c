/* SPDX-License-Identifier: BSD-2-Clause */
/* info.c - `bouncekit classify`, `reasons` and `decoders`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool
want_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

static char *
read_stdin(size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	for (;;) {
		if (n == cap) {
			if (cap > (64u << 20))
				break;
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n, stdin);
		n += r;
		if (r == 0)
			break;
	}
	*len = n;
	return buf;
}

static bool explain;

static bool
print_verdict(const char *text, size_t len)
{
	struct bk_verdict v;
	char *why = NULL;
	if (explain) {
		bk_classify_text_explain(text, len, &v, &why);
		if (!why)
			return false;
	} else {
		bk_classify_text(text, len, &v);
	}
	printf("reason: %s\nstatus: %s\nreplycode: %s\ncommand: %s\nhardbounce: %s\n",
	       v.reason, v.status, v.replycode, v.command,
	       v.hardbounce ? "true (hard)" : "false (soft)");
	if (why)
		printf("explain: %s\n", why);
	free(why);
	return true;
}

int
cmd_classify(int argc, char **argv)
{
	if (want_help(argc, argv)) {
		printf("usage: bouncekit classify [--explain] TEXT...\n"
		       "       bouncekit classify [--explain] - < log-lines\n\n"
		       "Classify a free-text SMTP reply or diagnostic (from a log line or a\n"
		       "webhook) as bouncekit classifies the Diagnostic-Code of a bounce:\n"
		       "prints reason, status, reply code, command and hard/soft.  With -\n"
		       "each line of standard input is classified on its own.  With\n"
		       "--explain, also why: the step of the classifier's order that\n"
		       "decided, the table and row that matched, what was turned down\n"
		       "(a JSON object, docs/record.md).\n");
		return EXIT_OK;
	}
	explain = argc > 1 && !strcmp(argv[1], "--explain");
	if (explain) {
		argc--;
		argv++;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: bouncekit classify [--explain] TEXT... | -\n");
		return EXIT_USAGE;
	}
	if (argc == 2 && !strcmp(argv[1], "-")) {
		size_t len;
		char *all = read_stdin(&len);
		if (!all)
			return EXIT_FATAL;
		size_t start = 0, shown = 0;
		for (size_t i = 0; i <= len; i++) {
			if (i < len && all[i] != '\n')
				continue;
			if (i > start) {
				if (shown++)
					putchar('\n');
				printf("text: %.*s\n", (int)(i - start), all + start);
				if (!print_verdict(all + start, i - start)) {
					free(all);
					return EXIT_FATAL;
				}
			}
			start = i + 1;
		}
		free(all);
		return EXIT_OK;
	}
	/* the arguments form one text, as a shell splits an unquoted line */
	size_t total = 0;
	for (int i = 1; i < argc; i++)
		total += strlen(argv[i]) + 1;
	char *text = malloc(total + 1);
	if (!text)
		return EXIT_FATAL;
	text[0] = '\0';
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			strcat(text, " ");
		strcat(text, argv[i]);
	}
	bool ok = print_verdict(text, strlen(text));
	free(text);
	return ok ? EXIT_OK : EXIT_FATAL;
}

int
cmd_reasons(int argc, char **argv)
{
	if (want_help(argc, argv)) {
		printf("usage: bouncekit reasons\n\nList the reasons a record can carry, "
		       "whether each is a hard bounce,\nits pseudo status code, and what it means.\n");
		return EXIT_OK;
	}
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
	if (want_help(argc, argv)) {
		printf("usage: bouncekit decoders\n\nList the decoders in the order "
		       "they are tried, each with the\nformats it handles.  The name is "
		       "the \"decodedby\" value of records.\n");
		return EXIT_OK;
	}
	const struct bk_decoder_info *list;
	size_t n = bk_decoders(&list);
	for (size_t i = 0; i < n; i++)
		printf("%-20s %s\n", list[i].name, list[i].what);
	return EXIT_OK;
}
