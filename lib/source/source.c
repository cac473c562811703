/* source.c - where messages come from: a file holding one message, an mbox
 * (split on "From " lines; mboxrd ">From " lines unquoted), a Maildir
 * (cur/ then new/), a plain directory (sorted; sub-directories with
 * recursive), or standard input ("-"), holding one message or an mbox.
 *
 * Files are read through one buffer that holds at most one message plus a
 * read block, so an mbox of any size is read in bounded memory.  A problem
 * with one item (unreadable, over the size limit) is returned as an error
 * for that item; the next call goes on with the next one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bouncekit/bouncekit.h"
#include "core/core.h"


#define BLOCK (256 * 1024)

struct frame {			/* a directory being listed */
	char *path;
	char **names;
	size_t n, next;
	bool maildir_sub;	/* cur/ or new/ of a Maildir: files only */
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
	char *origin;
	char *buf;		/* bytes [start, end) are unread */
	size_t start, end, size;
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
	s->eof = s->mbox = s->over = false;
	s->start = s->end = s->scanned = 0;
	s->nth = 0;
	bk_free(s->origin);
	s->origin = NULL;
}

static void
pop_frame(struct bk_source *s)
{
	struct frame *f = &s->stack[--s->depth];
	for (size_t i = 0; i < f->n; i++)
		bk_free(f->names[i]);
	bk_free(f->names);
	bk_free(f->path);
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
		ssize_t r = read(s->fd, s->buf + s->end, s->size - s->end);
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
		return 1;
	}
}

/* Offset (from start) of the next "\nFrom " after the first line, or -1.
 * Line by line with memchr ("From " is too common a word for a search by
 * its rarest byte), from where the last look stopped: a message longer
 * than the buffer is not scanned again at each refill. */
static long
next_from(struct bk_source *s)
{
	const char *p = s->buf + s->start + s->scanned, *end = s->buf + s->end;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || end - nl < 6)
			break;
		if (memcmp(nl + 1, "From ", 5) == 0)
			return (long)(nl + 1 - (s->buf + s->start));
		p = nl + 1;
	}
	/* keep the last bytes: a "\nFrom " may end beyond them */
	size_t have = s->end - s->start;
	s->scanned = have > 5 ? have - 5 : 0;
	return -1;
}

/* mboxrd: ">From " (any number of '>') loses one '>'.  p == NULL when out
 * of memory. */
/* Is there a line that starts ">From " or ">>"?  Only a '>' after a line
 * end matters, and '>' is rare enough to go from one to the next. */
static bool
has_quoted_from(struct bk_sv m)
{
	const char *p = m.p + 1, *end = m.p + m.n;
	while (p < end) {
		const char *gt = memchr(p, '>', (size_t)(end - p));
		if (!gt)
			return false;
		if (gt[-1] == '\n' && end - gt > 1 &&
		    (gt[1] == '>' || (end - gt > 5 && memcmp(gt + 1, "From ", 5) == 0)))
			return true;
		p = gt + 1;
	}
	return false;
}

static struct bk_sv
unquote(struct bk_source *s, struct bk_sv m)
{
	if (m.n < 2 || !has_quoted_from(m))
		return m;
	if (s->unq_cap < m.n + 1) {
		char *n = bk_realloc(s->unq, m.n + 1);
		if (!n)
			return BK_SV_NULL;
		s->unq = n;
		s->unq_cap = m.n + 1;
	}
	size_t o = 0;
	bool bol = true;
	for (size_t i = 0; i < m.n; i++) {
		if (bol && m.p[i] == '>') {
			size_t k = i;
			while (k < m.n && m.p[k] == '>')
				k++;
			if (m.n - k >= 5 && memcmp(m.p + k, "From ", 5) == 0) {
				bol = false;
				continue;
			}
		}
		s->unq[o++] = m.p[i];
		bol = m.p[i] == '\n';
	}
	return bk_sv_make(s->unq, o);
}

static int
too_big(struct bk_source *s, struct bk_err *err, unsigned long long n)
{
	if (s->mbox)
		return bk_err_set(err, BK_ELIMIT,
				  "%s (message %lu): message of %llu bytes or more is over the size limit of %zu bytes; skipped",
				  s->origin, s->nth + 1, n, s->opt.max_message);
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

/* The next message of the open file: 1, 0 at its end, <0 error. */
static int
next_in_file(struct bk_source *s, struct bk_input *in, struct bk_err *err)
{
	for (;;) {
		size_t have = s->end - s->start;
		if (have == 0 && s->eof)
			return 0;
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
				return too_big(s, err, m.n);
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
				return too_big(s, err, n);
			}
			if (first)
				return too_big(s, err, n);
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

static int
open_file(struct bk_source *s, const char *path, struct bk_err *err)
{
	close_file(s);
	s->origin = dupstr(strcmp(path, "-") == 0 ? "<STDIN>" : path);
	if (!s->origin)
		return bk_err_set(err, BK_ENOMEM, "out of memory");
	if (strcmp(path, "-") == 0) {
		s->fd = STDIN_FILENO;
		s->is_stdin = true;
	} else {
		s->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (s->fd < 0)
			return bk_err_set(err, BK_EIO, "%s: cannot open: %s", path,
					  strerror(errno));
	}
	int r = fill(s, err);
	if (r < 0)
		return r;
	/* an mbox starts with a "From " line; anything else is one message */
	while (s->end - s->start < 5 && !s->eof && (r = fill(s, err)) > 0)
		;
	if (r < 0)
		return r;
	s->mbox = s->end - s->start >= 5 && memcmp(s->buf + s->start, "From ", 5) == 0;
	if (s->end == s->start)
		return bk_err_set(err, BK_EEMPTY, "%s: empty file, no message", s->origin);
	return 0;
}

/* ---- directories ---- */

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
push_dir(struct bk_source *s, const char *path, bool maildir_sub,
	 struct bk_err *err)
{
	DIR *d = opendir(path);
	if (!d)
		return bk_err_set(err, BK_EIO, "%s: cannot read directory: %s",
				  path, strerror(errno));
	struct frame f = { dupstr(path), NULL, 0, 0, maildir_sub };
	size_t cap = 0;
	struct dirent *e;
	bool ok = f.path != NULL;
	while (ok && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;	/* ., .., and Maildir's hidden files */
		if (f.n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = bk_realloc(f.names, cap * sizeof(*nn));
			if (!nn) {
				ok = false;
				break;
			}
			f.names = nn;
		}
		if (!(f.names[f.n] = dupstr(e->d_name)))
			ok = false;
		else
			f.n++;
	}
	closedir(d);
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
	if (!ok) {
		for (size_t i = 0; i < f.n; i++)
			bk_free(f.names[i]);
		bk_free(f.names);
		bk_free(f.path);
		return bk_err_set(err, BK_ENOMEM, "%s: out of memory", path);
	}
	if (f.n)
		qsort(f.names, f.n, sizeof(*f.names), cmp_name);
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
 * order), anything else is listed as it is. */
static int
enter_dir(struct bk_source *s, const char *path, struct bk_err *err)
{
	if (!is_maildir(path))
		return push_dir(s, path, false, err);
	/* push new/ first so that cur/ is read first */
	static const char *const subs[] = { "new", "cur" };
	int rc = 0;
	for (size_t i = 0; i < 2; i++) {
		char *p = join(path, subs[i]);
		if (!p)
			return bk_err_set(err, BK_ENOMEM, "out of memory");
		if (is_dir(p)) {
			int r = push_dir(s, p, true, err);
			if (r < 0)
				rc = r;
		}
		bk_free(p);
	}
	return rc;
}

/* The next path to open from the directory stack; NULL when done. */
static int
next_path(struct bk_source *s, char **path, struct bk_err *err)
{
	while (s->depth) {
		struct frame *f = &s->stack[s->depth - 1];
		if (f->next == f->n) {
			pop_frame(s);
			continue;
		}
		char *p = join(f->path, f->names[f->next++]);
		if (!p)
			return bk_err_set(err, BK_ENOMEM, "out of memory");
		struct stat st;
		if (stat(p, &st) != 0) {
			int e = errno;
			int r = bk_err_set(err, BK_EIO, "%s: cannot open: %s", p,
					   strerror(e));
			bk_free(p);
			return r;
		}
		if (S_ISDIR(st.st_mode)) {
			int r = 0;
			if (!f->maildir_sub && s->opt.recursive)
				r = enter_dir(s, p, err);
			bk_free(p);
			if (r < 0)
				return r;
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
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
		} else {
			int r = next_path(s, &path, err);
			if (r <= 0)
				return r;
		}
		int r = open_file(s, path, err);
		bk_free(path);
		if (r < 0) {
			close_file(s);
			return r;
		}
	}
}
