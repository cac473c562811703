/* SPDX-License-Identifier: BSD-2-Clause */
/* source.c - where messages come from: a file holding one message, an mbox
 * (split on "From " lines; mboxrd ">From " lines unquoted), a Maildir
 * (cur/ then new/; with recursive, then its Maildir++ folders, .Name/,
 * sorted, each a Maildir), a plain directory (sorted; sub-directories with
 * recursive), or standard input ("-"), holding one message or an mbox.
 * The output of Postfix's postcat(1) (queue files framed by "*** ENVELOPE
 * RECORDS" and "*** MESSAGE CONTENTS" lines) gives the message of each
 * queue file, without the envelope records.
 *
 * Files are read through one buffer that holds at most one message plus a
 * read block, so an mbox of any size is read in bounded memory.  A problem
 * with one item (unreadable, over the size limit) is returned as an error
 * for that item; the next call goes on with the next one.
 *
 * System calls cost more than reading a small message (a few microseconds
 * each on a virtual machine), so a file of a directory costs four: openat()
 * relative to the directory held open, fstat(), one read() that the size
 * from fstat() shows was the last, close().  The type of each entry comes
 * from readdir() (d_type); only symbolic links and file systems that do not
 * give it are asked with a stat.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bouncekit/bouncekit.h"
#include "core/core.h"


#define BLOCK (256 * 1024)
/* Directories held open (for openat) at most: deeper ones are listed,
 * closed, and their files opened by path, so that a deep tree cannot use
 * up the descriptors. */
#define DIRS_OPEN 16

struct entry {
	char *name;
	unsigned char type;	/* d_type; DT_UNKNOWN when not given */
};

struct frame {			/* a directory being listed */
	char *path;
	struct entry *ents;
	size_t n, next;
	DIR *dir;		/* held open for openat(), or NULL */
	bool maildir_sub;	/* cur/ or new/ of a Maildir: files only */
	bool folders;		/* a Maildir's .Name/ folders: directories only */
};

struct bk_source {
	struct bk_source_opts opt;
	char *root;
	bool root_done;
	struct frame *stack;
	size_t depth, cap;
	/* the file being read */
	int fd;
	bool is_stdin, mbox, eof, over;
	bool postcat;		/* postcat(1) output: messages between markers */
	char *origin;
	char *buf;		/* bytes [start, end) are unread */
	size_t start, end, size;
	long long fsize;	/* a regular file's size from fstat, or -1 */
	unsigned long long nread;	/* bytes read from the file so far */
	size_t scanned;		/* bytes from start known to hold no "\nFrom " */
	char *unq;		/* unquoted copy of one message */
	size_t unq_cap;
	unsigned long nth;	/* messages of this file so far */
};

static char *
dupstr(const char *s)
{
	size_t n = strlen(s);
	char *p = bk_malloc(n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

static char *
join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = bk_malloc(a + b + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	size_t o = a;
	if (a && dir[a - 1] != '/')
		p[o++] = '/';
	memcpy(p + o, name, b + 1);
	return p;
}

int
bk_source_open(struct bk_source **out, const char *path,
	       const struct bk_source_opts *opt, struct bk_err *err)
{
	struct bk_source *s = bk_calloc(1, sizeof(*s));
	*out = NULL;
	if (!s)
		return bk_err_set(err, BK_ENOMEM, "out of memory");
	if (opt)
		s->opt = *opt;
	if (!s->opt.max_message)
		s->opt.max_message = 64u << 20;
	s->fd = -1;
	s->root = dupstr(path);
	if (!s->root) {
		bk_free(s);
		return bk_err_set(err, BK_ENOMEM, "out of memory");
	}
	*out = s;
	return 0;
}

static void
close_file(struct bk_source *s)
{
	if (s->fd >= 0 && !s->is_stdin)
		close(s->fd);
	s->fd = -1;
	s->is_stdin = false;
	s->eof = s->mbox = s->over = s->postcat = false;
	s->start = s->end = s->scanned = 0;
	s->fsize = -1;
	s->nread = 0;
	s->nth = 0;
	bk_free(s->origin);
	s->origin = NULL;
}

static void
pop_frame(struct bk_source *s)
{
	struct frame *f = &s->stack[--s->depth];
	for (size_t i = 0; i < f->n; i++)
		bk_free(f->ents[i].name);
	bk_free(f->ents);
	bk_free(f->path);
	if (f->dir)
		closedir(f->dir);
}

void
bk_source_close(struct bk_source *s)
{
	if (!s)
		return;
	close_file(s);
	while (s->depth)
		pop_frame(s);
	bk_free(s->stack);
	bk_free(s->buf);
	bk_free(s->unq);
	bk_free(s->root);
	bk_free(s);
}

/* ---- reading ---- */

/* Make room and read one block; false at end of file or on error. */
static int
fill(struct bk_source *s, struct bk_err *err)
{
	if (s->eof)
		return 0;
	if (s->start > 0 && (s->start == s->end || s->size - s->end < BLOCK)) {
		memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->end -= s->start;
		s->start = 0;
	}
	if (s->size - s->end < BLOCK) {
		size_t nsize = s->size ? s->size * 2 : 2 * BLOCK;
		while (nsize - s->end < BLOCK)
			nsize *= 2;
		char *nb = bk_realloc(s->buf, nsize + 1);
		if (!nb)
			return bk_err_set(err, BK_ENOMEM, "%s: out of memory", s->origin);
		s->buf = nb;
		s->size = nsize;
	}
	for (;;) {
		size_t want = s->size - s->end;
		ssize_t r = read(s->fd, s->buf + s->end, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			s->eof = true;
			return bk_err_set(err, BK_EIO, "%s: read error: %s", s->origin,
					  strerror(errno));
		}
		if (r == 0) {
			s->eof = true;
			return 0;
		}
		s->end += (size_t)r;
		s->nread += (unsigned long long)r;
		/* a short read that brings a regular file to the size fstat
		 * gave is its end: no read() just to be told 0 */
		if ((size_t)r < want && s->fsize >= 0 &&
		    s->nread == (unsigned long long)s->fsize)
			s->eof = true;
		return 1;
	}
}

#if defined(__SSE2__)
/* The positions among the sixteen at p that hold a '\n' with an 'F' after
 * it, a bit each. */
static inline unsigned
nl_f16(const char *p)
{
	__m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
	return (unsigned)_mm_movemask_epi8(
		_mm_and_si128(_mm_cmpeq_epi8(a, _mm_set1_epi8('\n')),
			      _mm_cmpeq_epi8(b, _mm_set1_epi8('F'))));
}
#endif

/* The first line end in [p, last] that "From " follows, or NULL; the bytes
 * go on to last + 6 at least.  Thirty-two positions at a time where there
 * is SSE2 (a '\n' with an 'F' after it, then compared in full), else line
 * by line with memchr ("From " is too common a word for a search by its
 * rarest byte). */
static const char *
find_from_sse2(const char *p, const char *last)
{
#if defined(__SSE2__)
	for (; last - p >= 32; p += 32) {
		uint64_t m = nl_f16(p) | (uint64_t)nl_f16(p + 16) << 16;
		for (; m; m &= m - 1) {
			const char *c = p + __builtin_ctzll(m);
			if (memcmp(c + 1, "From ", 5) == 0)
				return c;
		}
	}
#endif
	while (p <= last) {
		const char *nl = memchr(p, '\n', (size_t)(last - p) + 1);
		if (!nl)
			return NULL;
		if (memcmp(nl + 1, "From ", 5) == 0)
			return nl;
		p = nl + 1;
	}
	return NULL;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_AVX2 1
#include <immintrin.h>

/* The same, sixty-four positions at a time, on processors that have AVX2
 * (checked once, as in sv.c). */
__attribute__((target("avx2"))) static unsigned
nl_f32(const char *p)
{
	__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 1));
	return (unsigned)_mm256_movemask_epi8(
		_mm256_and_si256(_mm256_cmpeq_epi8(a, _mm256_set1_epi8('\n')),
				 _mm256_cmpeq_epi8(b, _mm256_set1_epi8('F'))));
}

__attribute__((target("avx2"))) static const char *
find_from_avx2(const char *p, const char *last)
{
	for (; last - p >= 64; p += 64) {
		uint64_t m = nl_f32(p) | (uint64_t)nl_f32(p + 32) << 32;
		for (; m; m &= m - 1) {
			const char *c = p + __builtin_ctzll(m);
			if (memcmp(c + 1, "From ", 5) == 0)
				return c;
		}
	}
	return find_from_sse2(p, last);
}

static bool
have_avx2(void)
{
	/* 0: not looked yet, 1: no, 2: yes; looking twice does no harm */
	static int state;
	int v = __atomic_load_n(&state, __ATOMIC_RELAXED);
	if (!v) {
		v = __builtin_cpu_supports("avx2") ? 2 : 1;
		__atomic_store_n(&state, v, __ATOMIC_RELAXED);
	}
	return v == 2;
}
#endif

static const char *
find_from(const char *p, const char *last)
{
#ifdef HAVE_AVX2
	if (last - p >= 64 && have_avx2())
		return find_from_avx2(p, last);
#endif
	return find_from_sse2(p, last);
}

/* Offset (from start) of the next "\nFrom " after the first line, or -1;
 * from where the last look stopped: a message longer than the buffer is
 * not scanned again at each refill. */
static long
next_from(struct bk_source *s)
{
	const char *base = s->buf + s->start;
	size_t have = s->end - s->start;
	if (have >= s->scanned + 6) {
		const char *nl = find_from(base + s->scanned, base + have - 6);
		if (nl)
			return (long)(nl + 1 - base);
	}
	/* keep the last bytes: a "\nFrom " may end beyond them */
	s->scanned = have > 5 ? have - 5 : 0;
	return -1;
}

/* mboxrd: a line of one or more '>' and "From " loses one '>'.  The
 * message is copied, run by run, only when it has such a line ('>' is rare
 * enough to go from one to the next); p == NULL when out of memory. */
static struct bk_sv
unquote(struct bk_source *s, struct bk_sv m)
{
	const char *p = m.p, *end = m.p + m.n;
	size_t o = 0, from = 0;
	bool copying = false;
	while (p < end) {
		const char *gt = memchr(p, '>', (size_t)(end - p)), *k;
		if (!gt)
			break;
		for (k = gt; k < end && *k == '>'; k++)
			;
		p = k;
		if ((gt > m.p && gt[-1] != '\n') || end - k < 5 ||
		    memcmp(k, "From ", 5) != 0)
			continue;
		if (!copying && s->unq_cap < m.n + 1) {
			char *n = bk_realloc(s->unq, m.n + 1);
			if (!n)
				return BK_SV_NULL;
			s->unq = n;
			s->unq_cap = m.n + 1;
		}
		copying = true;
		size_t at = (size_t)(gt - m.p);
		memcpy(s->unq + o, m.p + from, at - from);
		o += at - from;
		from = at + 1;
	}
	if (!copying)
		return m;
	memcpy(s->unq + o, m.p + from, m.n - from);
	return bk_sv_make(s->unq, o + m.n - from);
}

/* Message number nth of the file, of n bytes or more, is over the limit. */
static int
too_big(struct bk_source *s, struct bk_err *err, unsigned long nth,
	unsigned long long n)
{
	if (s->mbox)
		return bk_err_set(err, BK_ELIMIT,
				  "%s (message %lu): message of %llu bytes or more is over the size limit of %zu bytes; skipped",
				  s->origin, nth, n, s->opt.max_message);
	return bk_err_set(err, BK_ELIMIT,
			  "%s: message of %llu bytes or more is over the size limit of %zu bytes; skipped",
			  s->origin, n, s->opt.max_message);
}

/* No memory to read the message in the buffer: drop what we have of it
 * so that the next call goes on (with the next message of an mbox) instead
 * of failing on it again. */
static void
drop_message(struct bk_source *s)
{
	size_t have = s->end - s->start;
	if (!s->mbox) {
		s->start = s->end;
		s->eof = true;
		return;
	}
	s->start = s->end - (have > 5 ? 5 : have);	/* keep a partial "\nFrom" */
	s->scanned = 0;
	s->over = true;
}

/* postcat(1) prints each queue file as
 *
 *	*** ENVELOPE RECORDS deferred/1A2B3C ***
 *	message_size: ...		(the envelope records)
 *	*** MESSAGE CONTENTS deferred/1A2B3C ***
 *	Received: ...			(the message, headers and body)
 *	*** HEADER EXTRACTED deferred/1A2B3C ***
 *	...
 *	*** MESSAGE FILE END deferred/1A2B3C ***
 *
 * The start of the line at or after from that begins with the marker,
 * or -1. */
static long
marker_line(struct bk_sv text, size_t from, struct bk_sv marker)
{
	if (from == 0 && text.n >= marker.n && !memcmp(text.p, marker.p, marker.n))
		return 0;
	while (from < text.n) {
		long at = bk_sv_find(bk_sv_make(text.p + from, text.n - from), marker);
		if (at < 0)
			return -1;
		size_t pos = from + (size_t)at;
		if (pos > 0 && text.p[pos - 1] == '\n')
			return (long)pos;
		from = pos + 1;
	}
	return -1;
}

/* The next message of postcat output, all of which is in the buffer: 1,
 * or 0 when no "*** MESSAGE CONTENTS" line is left. */
static int
next_postcat(struct bk_source *s, struct bk_input *in, struct bk_err *err)
{
	struct bk_sv text = bk_sv_make(s->buf + s->start, s->end - s->start);
	long at = marker_line(text, 0, BK_SV("*** MESSAGE CONTENTS "));
	const char *nl = at < 0 ? NULL
		       : memchr(text.p + at, '\n', text.n - (size_t)at);
	if (!nl) {
		s->start = s->end;
		return 0;
	}
	size_t from = (size_t)(nl + 1 - text.p), to = text.n;
	static const struct bk_sv ends[] = {
		BK_SVI("*** HEADER EXTRACTED "), BK_SVI("*** MESSAGE FILE END "),
		BK_SVI("*** ENVELOPE RECORDS "),
	};
	for (size_t i = 0; i < BK_NELEM(ends); i++) {
		long e = marker_line(text, from, ends[i]);
		if (e >= 0 && (size_t)e < to)
			to = (size_t)e;
	}
	s->start += to;
	s->nth++;
	if (to - from > s->opt.max_message)
		return too_big(s, err, s->nth, to - from);
	in->data = text.p + from;
	in->len = to - from;
	in->origin = s->origin;
	in->nth = s->nth;
	return 1;
}

/* The next message of the open file: 1, 0 at its end, <0 error. */
static int
next_in_file(struct bk_source *s, struct bk_input *in, struct bk_err *err)
{
	for (;;) {
		size_t have = s->end - s->start;
		if (have == 0 && s->eof)
			return 0;
		if (s->postcat && s->eof)
			return next_postcat(s, in, err);
		long cut = s->mbox ? next_from(s) : -1;
		if (cut > 0 || (s->eof && have > 0)) {
			size_t len = cut > 0 ? (size_t)cut : have;
			struct bk_sv m = bk_sv_make(s->buf + s->start, len);
			s->start += len;
			s->scanned = 0;
			s->nth++;
			if (s->over) {	/* the tail of a message that was too big */
				s->over = false;
				continue;
			}
			if (m.n > s->opt.max_message)
				return too_big(s, err, s->nth, m.n);
			if (s->mbox && !(m = unquote(s, m)).p)
				return bk_err_set(err, BK_ENOMEM,
						  "%s (message %lu): out of memory",
						  s->origin, s->nth);
			in->data = m.p;
			in->len = m.n;
			in->origin = s->origin;
			in->nth = s->mbox ? s->nth : 0;
			return 1;
		}
		if (s->eof)
			return 0;
		if (have > s->opt.max_message) {
			/* drop what we have of it and skip to the next From */
			unsigned long long n = have;
			bool first = !s->over;
			s->start = s->end - (have > 5 ? 5 : have);	/* keep a partial "\nFrom" */
			s->scanned = 0;
			s->over = true;
			if (!s->mbox) {
				s->start = s->end;
				s->eof = true;
				s->over = false;
				return too_big(s, err, s->nth + 1, n);
			}
			if (first)
				return too_big(s, err, s->nth + 1, n);
			continue;
		}
		int r = fill(s, err);
		if (r == BK_ENOMEM) {
			bool told = s->over;	/* this message was reported */
			drop_message(s);
			if (told)
				continue;
		}
		if (r < 0)
			return r;
		if (r == 0 && s->end == s->start)
			return 0;
	}
}

/* Open path (given, freed here or kept as the origin) by rel from the
 * directory dfd (AT_FDCWD and path itself when no directory is held). */
static int
open_file(struct bk_source *s, char *path, int dfd, const char *rel,
	  struct bk_err *err)
{
	close_file(s);
	if (strcmp(path, "-") == 0) {
		bk_free(path);
		path = dupstr("<STDIN>");
		s->fd = STDIN_FILENO;
		s->is_stdin = true;
	}
	s->origin = path;
	if (!s->origin)
		return bk_err_set(err, BK_ENOMEM, "out of memory");
	if (!s->is_stdin) {
		s->fd = openat(dfd, rel, O_RDONLY | O_CLOEXEC);
		if (s->fd < 0)
			return bk_err_set(err, BK_EIO, "%s: cannot open: %s", path,
					  strerror(errno));
	}
	struct stat st;
	if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode))
		s->fsize = (long long)st.st_size;
	int r = fill(s, err);
	if (r < 0)
		return r;
	/* an mbox starts with a "From " line, postcat's output with its
	 * marker; anything else is one message */
	static const char pc[] = "*** ENVELOPE RECORDS ";
	while (s->end - s->start < sizeof(pc) - 1 && !s->eof &&
	       (r = fill(s, err)) > 0)
		;
	if (r < 0)
		return r;
	s->mbox = s->end - s->start >= 5 && memcmp(s->buf + s->start, "From ", 5) == 0;
	s->postcat = s->end - s->start >= sizeof(pc) - 1 &&
		     memcmp(s->buf + s->start, pc, sizeof(pc) - 1) == 0;
	if (s->end == s->start)
		return bk_err_set(err, BK_EEMPTY, "%s: empty file, no message", s->origin);
	return 0;
}

/* ---- directories ---- */

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
		      ((const struct entry *)b)->name);
}

static bool
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void
free_entries(struct entry *ents, size_t n)
{
	for (size_t i = 0; i < n; i++)
		bk_free(ents[i].name);
	bk_free(ents);
}

/* The entries of d but the hidden ones (., .., and Maildir's), with their
 * types; for a Maildir's folders, only the hidden ones (Maildir++'s
 * ".Name", never . and ..).  False when out of memory. */
static bool
list_dir(DIR *d, struct frame *f)
{
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if ((e->d_name[0] == '.') != f->folders)
			continue;
		if (f->folders && (!e->d_name[1] || !strcmp(e->d_name, "..")))
			continue;
		if (f->n == cap) {
			cap = cap ? cap * 2 : 64;
			struct entry *ne = bk_realloc(f->ents, cap * sizeof(*ne));
			if (!ne)
				return false;
			f->ents = ne;
		}
		f->ents[f->n].name = dupstr(e->d_name);
		if (!f->ents[f->n].name)
			return false;
		f->ents[f->n++].type = e->d_type;
	}
	return true;
}

static int
push_dir(struct bk_source *s, const char *path, bool maildir_sub,
	 bool folders, struct bk_err *err)
{
	DIR *d = opendir(path);
	if (!d)
		return bk_err_set(err, BK_EIO, "%s: cannot read directory: %s",
				  path, strerror(errno));
	struct frame f = { dupstr(path), NULL, 0, 0, NULL, maildir_sub, folders };
	bool ok = f.path != NULL && list_dir(d, &f);
	if (ok && s->depth == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 8;
		struct frame *ns = bk_realloc(s->stack, ncap * sizeof(*ns));
		if (ns) {
			s->stack = ns;
			s->cap = ncap;
		} else {
			ok = false;
		}
	}
	if (ok && s->depth < DIRS_OPEN)
		f.dir = d;
	else
		closedir(d);
	if (!ok) {
		free_entries(f.ents, f.n);
		bk_free(f.path);
		return bk_err_set(err, BK_ENOMEM, "%s: out of memory", path);
	}
	if (f.n)
		qsort(f.ents, f.n, sizeof(*f.ents), cmp_name);
	s->stack[s->depth++] = f;
	return 0;
}

static bool
is_maildir(const char *path)
{
	char *cur = join(path, "cur"), *nw = join(path, "new");
	bool yes = (cur && is_dir(cur)) || (nw && is_dir(nw));
	bk_free(cur);
	bk_free(nw);
	return yes;
}

/* Open a directory: a Maildir gets its cur/ and new/ listed (in that
 * order), then, with recursive, its Maildir++ folders (.Name/, each a
 * Maildir); anything else is listed as it is. */
static int
enter_dir(struct bk_source *s, const char *path, struct bk_err *err)
{
	if (!is_maildir(path))
		return push_dir(s, path, false, false, err);
	int rc = 0;
	/* pushed first, read last */
	if (s->opt.recursive)
		rc = push_dir(s, path, false, true, err);
	/* push new/ first so that cur/ is read first */
	static const char *const subs[] = { "new", "cur" };
	for (size_t i = 0; i < 2; i++) {
		char *p = join(path, subs[i]);
		if (!p)
			return bk_err_set(err, BK_ENOMEM, "out of memory");
		if (is_dir(p)) {
			int r = push_dir(s, p, true, false, err);
			if (r < 0)
				rc = r;
		}
		bk_free(p);
	}
	return rc;
}

/* The type of an entry: d_type when readdir gave one, else (unknown, or a
 * symbolic link, which is followed) a stat; -1 with errno when that
 * failed. */
static int
entry_type(int dfd, const char *rel, unsigned char type)
{
	struct stat st;
	if (type != DT_UNKNOWN && type != DT_LNK)
		return type;
	if (fstatat(dfd, rel, &st, 0) != 0)
		return -1;
	return S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG
								  : DT_UNKNOWN;
}

/* The next file to open from the directory stack: its path (to free), and
 * the directory and name to open it by; 0 when done. */
static int
next_path(struct bk_source *s, char **path, int *dfd, const char **rel,
	  struct bk_err *err)
{
	while (s->depth) {
		struct frame *f = &s->stack[s->depth - 1];
		if (f->next == f->n) {
			pop_frame(s);
			continue;
		}
		const struct entry *e = &f->ents[f->next++];
		char *p = join(f->path, e->name);
		if (!p)
			return bk_err_set(err, BK_ENOMEM, "out of memory");
		*dfd = f->dir ? dirfd(f->dir) : AT_FDCWD;
		*rel = f->dir ? e->name : p;
		int type = entry_type(*dfd, *rel, e->type);
		if (type < 0) {
			int r = bk_err_set(err, BK_EIO, "%s: cannot open: %s", p,
					   strerror(errno));
			bk_free(p);
			return r;
		}
		if (type == DT_DIR) {
			int r = 0;
			/* a Maildir's hidden directory that is no Maildir++
			 * folder (an index, a client's state) is not mail */
			if (f->folders && !is_maildir(p))
				;
			else if (!f->maildir_sub && s->opt.recursive)
				r = enter_dir(s, p, err);
			bk_free(p);
			if (r < 0)
				return r;
			continue;
		}
		if (type != DT_REG || f->folders) {
			bk_free(p);
			continue;
		}
		*path = p;
		return 1;
	}
	return 0;
}

int
bk_source_next(struct bk_source *s, struct bk_input *in, struct bk_err *err)
{
	for (;;) {
		if (s->origin) {
			int r = next_in_file(s, in, err);
			if (r != 0) {
				if (r < 0 && s->eof && s->end == s->start)
					close_file(s);
				return r;
			}
			close_file(s);
		}
		char *path = NULL;
		int dfd = AT_FDCWD;
		const char *rel = NULL;
		if (!s->root_done) {
			s->root_done = true;
			if (strcmp(s->root, "-") != 0 && is_dir(s->root)) {
				int r = enter_dir(s, s->root, err);
				if (r < 0)
					return r;
				continue;
			}
			path = dupstr(s->root);
			if (!path)
				return bk_err_set(err, BK_ENOMEM, "out of memory");
			rel = path;
		} else {
			int r = next_path(s, &path, &dfd, &rel, err);
			if (r <= 0)
				return r;
		}
		int r = open_file(s, path, dfd, rel, err);
		if (r < 0) {
			close_file(s);
			return r;
		}
	}
}
