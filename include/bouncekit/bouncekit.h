/* SPDX-License-Identifier: BSD-2-Clause */
/* bouncekit.h - decode bounce messages into one record per failed recipient.
 *
 * The umbrella header: the only header that the command line tool and other
 * programs include (`pkg-config --cflags --libs bouncekit`; libbouncekit(3)).
 *
 * Ownership in one sentence: a pointer you get from an object borrows from it
 * and dies with it (or with the next call on it, as documented); only _new
 * and _open give you something to _free or _close.
 *
 * Errors: functions return int, negative on failure (a BK_E* code), 0 for
 * "none" and positive for "got one" or a count.  An optional caller-owned
 * struct bk_err, last argument, receives a message for people.  The library
 * never prints and never exits.  Malformed mail is not an error: it is
 * decoded as far as it goes, and what was odd is reported through
 * bk_parser_warnings().
 *
 * Threads: objects are not shared between threads; use one bk_parser per
 * thread.  Read-only tables are built once, thread-safely.
 */
#ifndef BOUNCEKIT_H
#define BOUNCEKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BOUNCEKIT_VERSION "0.1.0"

/* BK_API marks the functions libbouncekit.so exports: the library is built
 * with -fvisibility=hidden, so everything else in it stays internal.  The
 * list of exported symbols is lib/libbouncekit.sym (tests/abi.sh). */
#if defined(__GNUC__) || defined(__clang__)
#define BK_API __attribute__((visibility("default")))
#else
#define BK_API
#endif

enum bk_errcode {
	BK_ENOMEM = -1,		/* an allocation failed or a memory cap was hit */
	BK_EINVAL = -2,		/* a bad argument */
	BK_EIO = -3,		/* a file could not be read */
	BK_ELIMIT = -4,		/* the input is over a configured limit */
	BK_EOUTPUT = -5,	/* the output could not be written */
	BK_EEMPTY = -6,		/* an input holds no message (an empty file) */
};

struct bk_err {
	int code;		/* enum bk_errcode */
	char msg[512];
};

/* Limits protect against hostile input.  A message over message_size is
 * refused (BK_ELIMIT); the other limits cut the work short and add a
 * warning.  0 means the default.  See docs/limits.md. */
struct bk_limits {
	size_t message_size;	/* bytes of one message: 64 MiB */
	size_t header_size;	/* bytes of one header block: 1 MiB */
	unsigned header_count;	/* header fields in one block: 10000 */
	size_t line_length;	/* one line, in bytes: 1 MiB; longer is cut */
	unsigned mime_depth;	/* nested multiparts: 64 */
	unsigned mime_parts;	/* MIME parts in one message: 10000 */
	size_t decoded_size;	/* bytes of decoded text per message: 64 MiB */
	unsigned recipients;	/* records per message: 10000 */
};

/* Warnings a decode may raise (bit set). */
enum bk_warning {
	BK_W_HEADER_SIZE = 1 << 0,
	BK_W_HEADER_COUNT = 1 << 1,
	BK_W_LINE_LENGTH = 1 << 2,
	BK_W_MIME_DEPTH = 1 << 3,
	BK_W_MIME_PARTS = 1 << 4,
	BK_W_DECODED_SIZE = 1 << 5,
	BK_W_RECIPIENTS = 1 << 6,
	BK_W_CHARSET = 1 << 7,		/* unknown charset or invalid bytes */
	BK_W_TRUNCATED = 1 << 8,	/* a MIME structure ended early */
};

struct bk_message;		/* a message being decoded, for hooks */

/* A hook called once per decoded message that gives records, as Sisimai's
 * callbacks.  It returns a JSON text (allocated with malloc; the library
 * takes it and frees it) that goes, as is, into the "catch" field of every
 * record of the message; NULL leaves "catch" null.  Text that is not valid
 * JSON is stored as a JSON string. */
typedef char *(*bk_catch_fn)(const struct bk_message *msg, void *arg);

struct bk_options {
	struct bk_limits limits;
	bool delivered;		/* also emit records with a 2.x status */
	bool vacation;		/* also emit auto-reply records */
	bk_catch_fn catch_fn;
	void *catch_arg;
};

/* Fill opt with the defaults. */
BK_API void bk_options_init(struct bk_options *opt);

/* Access to the message inside a hook. */
/* The value of the i-th header field called name (case-insensitive),
 * unfolded and RFC 2047-decoded, NUL-terminated; NULL when absent. */
BK_API const char *bk_message_header(const struct bk_message *msg, const char *name,
			      unsigned i);
/* The message body, as read (line ends LF); not NUL-terminated. */
BK_API const char *bk_message_body(const struct bk_message *msg, size_t *len);
BK_API const char *bk_message_origin(const struct bk_message *msg);

/* One failed recipient.  String fields are NUL-terminated UTF-8, "" when
 * unknown, never NULL.  Field names and meanings follow Sisimai 5.2
 * (see docs/record.md). */
struct bk_record {
	int64_t timestamp;		/* UTC epoch seconds */
	const char *timezoneoffset;	/* "+0900" */
	const char *origin;
	const char *addresser;
	const char *senderdomain;
	const char *recipient;
	const char *destination;
	const char *alias;
	const char *action;
	const char *deliverystatus;
	const char *replycode;
	const char *reason;
	const char *diagnosticcode;
	const char *diagnostictype;
	const char *command;
	const char *lhost;
	const char *rhost;
	const char *messageid;
	const char *listid;
	const char *subject;
	const char *feedbacktype;
	const char *feedbackid;
	bool hardbounce;
	const char *decodedby;
	const char *token;		/* 40 lower-case hex digits */
	const char *catch_json;		/* raw JSON, or NULL for null */
	/* where timestamp came from: "last-attempt-date", "arrival-date",
	 * "report", "original-date", "date", "received",
	 * "original-received", "mbox", "decoded" (docs/record.md) */
	const char *timestampsource;
	/* why the record has its reason, a JSON object (docs/record.md):
	 * NULL unless bk_options.explain */
	const char *explain_json;
};

struct bk_parser;

/* A parser holds per-message memory that is reused.  opt may be NULL for
 * the defaults; it is copied. */
BK_API struct bk_parser *bk_parser_new(const struct bk_options *opt,
				struct bk_err *err);
BK_API void bk_parser_free(struct bk_parser *p);
/* Fill bk_record.explain_json from the next bk_decode() on (docs/record.md);
 * off by default, and nothing is computed for it when off. */
BK_API void bk_parser_set_explain(struct bk_parser *p, bool on);

/* Decode one message of len bytes (any line endings).  origin names where it
 * came from ("<STDIN>", a path).  Returns the number of records (0 for a
 * message that is not a bounce) and sets *recs to them; they stay valid until
 * the next bk_decode() or bk_parser_free() on p.  Returns BK_ELIMIT when the
 * message is over limits.message_size and BK_ENOMEM when memory ran out; no
 * records are lost silently: an error means this message gave none. */
BK_API int bk_decode(struct bk_parser *p, const void *data, size_t len,
	      const char *origin, const struct bk_record **recs,
	      struct bk_err *err);

/* The enum bk_warning bits raised by the last bk_decode(). */
BK_API unsigned bk_parser_warnings(const struct bk_parser *p);
/* A short text for one warning bit, e.g. "MIME depth limit". */
BK_API const char *bk_warning_name(unsigned bit);

/* ---- Reasons ---- */

struct bk_reason_info {
	const char *name;
	const char *meaning;
	bool hard;
	int pseudo;		/* NN of 5.0.9NN, 0 when none */
};
/* The reasons in taxonomy order; returns the count and sets *list. */
BK_API size_t bk_reasons(const struct bk_reason_info **list);

/* Classify a free text (an SMTP reply or a log line) as if it were the
 * Diagnostic-Code of a bounce. */
struct bk_verdict {
	char reason[32];
	char status[16];	/* as found in the text, or the pseudo code */
	char replycode[4];
	char command[8];
	bool hardbounce;
};
BK_API int bk_classify_text(const char *text, size_t len, struct bk_verdict *out);
/* As bk_classify_text, and *explain set to why, a JSON object
 * (docs/record.md) to free(); NULL when memory ran out. */
BK_API int bk_classify_text_explain(const char *text, size_t len,
				    struct bk_verdict *out, char **explain);

/* ---- Decoders ---- */

struct bk_decoder_info {
	const char *name;	/* the "decodedby" value */
	const char *what;	/* what it handles */
};
/* The decoders in the order they are tried, then the local delivery
 * agents (dovecot, mail.local, ...) whose own notice inside a bounce gives
 * a record its decodedby: every decodedby value is listed.  Returns the
 * count and sets *list (valid until the next call in the thread). */
BK_API size_t bk_decoders(const struct bk_decoder_info **list);

/* ---- Input sources ---- */

/* A source yields the messages of a path: a message file, an mbox, a Maildir
 * (cur/ and new/), a directory of files, or "-" for standard input (one
 * message or an mbox). */
struct bk_source;

struct bk_source_opts {
	bool recursive;		/* descend into sub-directories of plain dirs */
	size_t max_message;	/* 0: 64 MiB */
};

struct bk_input {
	const char *data;	/* the message bytes; valid until the next call */
	size_t len;
	const char *origin;	/* the path it came from, or "<STDIN>" */
	unsigned long nth;	/* 1, 2, ... within an mbox; 0 otherwise */
};

BK_API int bk_source_open(struct bk_source **out, const char *path,
		   const struct bk_source_opts *opt, struct bk_err *err);
/* Returns 1 and fills *in with the next message; 0 at the end; a negative
 * code for one item that could not be read (err names it), after which the
 * next call goes on with the next item. */
BK_API int bk_source_next(struct bk_source *s, struct bk_input *in,
		   struct bk_err *err);
BK_API void bk_source_close(struct bk_source *s);

/* ---- Output ---- */

enum bk_format { BK_FMT_JSON, BK_FMT_NDJSON, BK_FMT_YAML, BK_FMT_CSV };

/* Parse "json", "ndjson", "yaml" or "csv"; returns 0 or BK_EINVAL. */
BK_API int bk_format_parse(const char *name, enum bk_format *out);

/* A writer serialises records through a callback that returns 0 on success
 * and a negative value when the output failed. */
typedef int (*bk_write_fn)(void *ctx, const void *buf, size_t n);
struct bk_writer;

BK_API struct bk_writer *bk_writer_new(enum bk_format fmt, bk_write_fn fn, void *ctx);
BK_API int bk_writer_record(struct bk_writer *w, const struct bk_record *r);
/* Ends the document (the closing bracket of a JSON array) and flushes. */
BK_API int bk_writer_finish(struct bk_writer *w);
BK_API void bk_writer_free(struct bk_writer *w);

/* Serialise records into memory: a JSON or NDJSON text of the records,
 * malloc'd, NUL-terminated; the caller frees it. */
BK_API char *bk_records_to_text(enum bk_format fmt, const struct bk_record *recs,
			 size_t n);

/* For callers that decode in several threads: serialise records without
 * the document's framing (no brackets, no CSV header, no separator before
 * the first), malloc'd, *len set; then write the fragments in order
 * through one writer with bk_writer_fragment(), giving exactly the output
 * bk_writer_record() would give. */
BK_API char *bk_records_fragment(enum bk_format fmt, const struct bk_record *recs,
			  size_t n, size_t *len);
BK_API int bk_writer_fragment(struct bk_writer *w, const char *frag, size_t len,
		       size_t nrecords);
/* The same fragment appended to a caller's buffer: *buf (malloc'd or
 * NULL) holds *len bytes in *cap; it is grown with realloc as needed and
 * stays the caller's to free.  Returns 0, or BK_ENOMEM with *len unchanged
 * (*buf and *cap may have grown). */
BK_API int bk_records_fragment_append(enum bk_format fmt, const struct bk_record *recs,
			       size_t n, char **buf, size_t *len, size_t *cap);

#ifdef __cplusplus
}
#endif

#endif
