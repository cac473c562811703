/* SPDX-License-Identifier: BSD-2-Clause */
/* date.c - RFC 5322 3.3 dates, with the obsolete forms of 4.3 (two-digit
 * years, zone names, military zones read as -0000) and the broken forms
 * seen in bounces: asctime(3) order, ISO 8601 "2013-10-16 14:15:35",
 * "16-Oct-2013", missing seconds, missing zone (read as UTC), trailing
 * comments. */
#include "mail.h"

static const char months[12][4] = { "jan", "feb", "mar", "apr", "may", "jun",
				    "jul", "aug", "sep", "oct", "nov", "dec" };

static const struct {
	const char *name;
	int min;
} zones[] = {
	{ "ut", 0 },	   { "utc", 0 },     { "gmt", 0 },	{ "z", 0 },
	{ "est", -300 },   { "edt", -240 },  { "cst", -360 },	{ "cdt", -300 },
	{ "mst", -420 },   { "mdt", -360 },  { "pst", -480 },	{ "pdt", -420 },
	{ "jst", 540 },	   { "kst", 540 },   { "hkt", 480 },	{ "sgt", 480 },
	{ "cet", 60 },	   { "cest", 120 },  { "met", 60 },	{ "mest", 120 },
	{ "bst", 60 },	   { "eet", 120 },   { "eest", 180 },	{ "wet", 0 },
	{ "west", 60 },	   { "msk", 180 },   { "aest", 600 },	{ "aedt", 660 },
	{ "nzst", 720 },   { "nzdt", 780 },  { "hst", -600 },	{ "akst", -540 },
	{ "akdt", -480 },
};

struct dt {
	int year, mon, day, hour, min, sec, off;
	bool has_year, has_mon, has_day, has_time, has_off;
};

static int
month_of(struct bk_sv w)
{
	if (w.n < 3)
		return -1;
	for (int i = 0; i < 12; i++)
		if (bk_lower((unsigned char)w.p[0]) == months[i][0] &&
		    bk_lower((unsigned char)w.p[1]) == months[i][1] &&
		    bk_lower((unsigned char)w.p[2]) == months[i][2])
			return i + 1;
	return -1;
}

static bool
zone_of(struct bk_sv w, int *off)
{
	if (w.n == 1 && bk_is_alpha((unsigned char)w.p[0])) {
		*off = 0;	/* RFC 5322 4.3: military zones as -0000 */
		return true;
	}
	for (size_t i = 0; i < BK_NELEM(zones); i++)
		if (bk_sv_ieq(w, bk_sv_c(zones[i].name))) {
			*off = zones[i].min;
			return true;
		}
	return false;
}

static bool
all_digits(struct bk_sv w)
{
	if (w.n == 0)
		return false;
	for (size_t i = 0; i < w.n; i++)
		if (!bk_is_digit((unsigned char)w.p[i]))
			return false;
	return true;
}

/* The leading digits of w (at most 9, so no overflow), 0 when none. */
static int
num(struct bk_sv w)
{
	int v = 0;
	for (size_t i = 0; i < w.n && i < 9; i++) {
		if (!bk_is_digit((unsigned char)w.p[i]))
			break;
		v = v * 10 + (w.p[i] - '0');
	}
	return v;
}

/* "14:15:35" or "14:15" (also "14.15.35" is not accepted) */
static bool
parse_time(struct bk_sv w, struct dt *d)
{
	int part[3] = { 0, 0, 0 }, np = 0;
	size_t i = 0;
	while (i < w.n && np < 3) {
		size_t s = i;
		while (i < w.n && bk_is_digit((unsigned char)w.p[i]))
			i++;
		if (i == s || i - s > 2)
			return false;
		part[np++] = num(bk_sv_slice(w, s, i));
		if (i < w.n && w.p[i] == ':')
			i++;
		else
			break;
	}
	if (np < 2 || part[0] > 23 || part[1] > 59 || part[2] > 60)
		return false;
	d->hour = part[0];
	d->min = part[1];
	d->sec = part[2] == 60 ? 59 : part[2];
	d->has_time = true;
	/* "14:15:35+09:00" or "14:15:35Z" glued to the time */
	if (i < w.n && (w.p[i] == '+' || w.p[i] == '-')) {
		struct bk_sv z = bk_sv_from(w, i + 1);
		int h = 0, m = 0;
		if (z.n >= 4 && all_digits(bk_sv_slice(z, 0, 2))) {
			h = num(bk_sv_slice(z, 0, 2));
			m = num(bk_sv_slice(z, z.n - 2, z.n));
			d->off = (w.p[i] == '-' ? -1 : 1) * (h * 60 + m);
			d->has_off = true;
		}
	}
	return true;
}

static bool
parse_offset(struct bk_sv w, struct dt *d)
{
	if (w.n < 5 || (w.p[0] != '+' && w.p[0] != '-'))
		return false;
	struct bk_sv z = bk_sv_from(w, 1);
	if (z.n == 5 && z.p[2] == ':')	/* +09:00 */
		z = bk_sv_make(z.p, 5);
	int h, m;
	if (z.n >= 4 && all_digits(bk_sv_slice(z, 0, 4))) {
		h = num(bk_sv_slice(z, 0, 2));
		m = num(bk_sv_slice(z, 2, 4));
	} else if (z.n == 5 && z.p[2] == ':') {
		h = num(bk_sv_slice(z, 0, 2));
		m = num(bk_sv_slice(z, 3, 5));
	} else {
		return false;
	}
	if (h > 23 || m > 59)
		return false;
	d->off = (w.p[0] == '-' ? -1 : 1) * (h * 60 + m);
	d->has_off = true;
	return true;
}

/* "2013-10-16", "2013/10/16", "16-Oct-2013", "10/16/2013" */
static bool
parse_compound(struct bk_sv w, struct dt *d)
{
	struct bk_sv part[3];
	int np = 0;
	size_t s = 0;
	for (size_t i = 0; i <= w.n && np < 3; i++) {
		if (i == w.n || w.p[i] == '-' || w.p[i] == '/' || w.p[i] == '.') {
			part[np++] = bk_sv_slice(w, s, i);
			s = i + 1;
		}
	}
	if (np != 3)
		return false;
	int mon = month_of(part[1]);
	if (all_digits(part[0]) && part[0].n == 4 && all_digits(part[2])) {
		d->year = num(part[0]);
		d->mon = mon > 0 ? mon : num(part[1]);
		d->day = num(part[2]);
	} else if (mon > 0 && all_digits(part[0]) && all_digits(part[2])) {
		d->day = num(part[0]);
		d->mon = mon;
		d->year = num(part[2]);
	} else if (all_digits(part[0]) && all_digits(part[1]) &&
		   all_digits(part[2]) && part[2].n == 4) {
		d->mon = num(part[0]);
		d->day = num(part[1]);
		d->year = num(part[2]);
	} else {
		return false;
	}
	d->has_year = d->has_mon = d->has_day = true;
	return true;
}

static void
take_word(struct bk_sv w, struct dt *d)
{
	int m, off;
	if (w.n == 0)
		return;
	if (bk_sv_findc(w, ':') > 0 && !d->has_time && parse_time(w, d))
		return;
	if ((w.p[0] == '+' || w.p[0] == '-') && !d->has_off &&
	    parse_offset(w, d))
		return;
	if ((bk_sv_findc(w, '-') > 0 || bk_sv_findc(w, '/') > 0) &&
	    !d->has_year && parse_compound(w, d))
		return;
	if (bk_sv_findc(w, 'T') == 10 && !d->has_year &&
	    parse_compound(bk_sv_slice(w, 0, 10), d)) {
		parse_time(bk_sv_from(w, 11), d);	/* ISO 8601 */
		return;
	}
	if (all_digits(w)) {
		if (w.n == 4 && !d->has_year) {
			d->year = num(w);
			d->has_year = true;
		} else if (w.n <= 2 && !d->has_day) {
			d->day = num(w);
			d->has_day = true;
		} else if (w.n <= 2 && !d->has_year && d->has_mon) {
			d->year = num(w);
			d->year += d->year < 50 ? 2000 : 1900;
			d->has_year = true;
		} else if (w.n == 3 && !d->has_year && d->has_mon) {
			/* "2 Apr 101": years since 1900, as some mailers of
			 * 2000 wrote them (RFC 5322 4.3 adds 1900) */
			d->year = num(w) + 1900;
			d->has_year = true;
		}
		return;
	}
	if (!d->has_mon && (m = month_of(w)) > 0) {
		d->mon = m;
		d->has_mon = true;
		return;
	}
	if (!d->has_off && d->has_time && zone_of(w, &off)) {
		d->off = off;
		d->has_off = true;
	}
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Two digits at p, or -1. */
static int
two(const char *p)
{
	if (!bk_is_digit((unsigned char)p[0]) || !bk_is_digit((unsigned char)p[1]))
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* The form nearly every date has, "Thu, 29 Apr 2010 23:34:45 +0900" and
 * nothing after it but a comment, read in one go; false for anything
 * else, which the general reader below takes (and reads the same). */
static bool
canonical(struct bk_sv s, struct dt *d)
{
	size_t i = 0;
	if (s.n >= 5 && bk_is_alpha((unsigned char)s.p[0]) && s.p[3] == ',' &&
	    s.p[4] == ' ') {
		/* the day of the week, which says nothing, unless it is a
		 * month's name (the general reader takes that as the month) */
		if (month_of(bk_sv_make(s.p, 3)) > 0)
			return false;
		i = 5;
	}
	if (i + 25 > s.n)
		return false;
	const char *p = s.p + i;
	size_t dl = p[1] == ' ' ? 1 : 2;	/* "9 Apr" or "29 Apr" */
	int day = dl == 1 ? (bk_is_digit((unsigned char)p[0]) ? p[0] - '0' : -1)
			  : two(p);
	p += dl;
	if (day < 1 || *p++ != ' ')
		return false;
	int mon = month_of(bk_sv_make(p, 3));
	if (mon < 0 || p[3] != ' ')
		return false;
	p += 4;
	int y1 = two(p), y2 = two(p + 2);
	if (y1 < 0 || y2 < 0 || p[4] != ' ')
		return false;
	p += 5;
	int hh = two(p), mm = two(p + 3), ss = two(p + 6);
	if (hh < 0 || mm < 0 || ss < 0 || p[2] != ':' || p[5] != ':' ||
	    p[8] != ' ' || hh > 23 || mm > 59 || ss > 60)
		return false;
	p += 9;
	if ((size_t)(p - s.p) + 5 > s.n || (p[0] != '+' && p[0] != '-'))
		return false;
	int zh = two(p + 1), zm = two(p + 3);
	if (zh < 0 || zm < 0 || zh > 23 || zm > 59)
		return false;
	p += 5;
	/* the rest: nothing, or white space and a comment */
	struct bk_sv rest = bk_sv_trim(bk_sv_make(p, (size_t)(s.p + s.n - p)));
	if (rest.n && (rest.p[0] != '(' || rest.p[rest.n - 1] != ')' ||
		       memchr(rest.p + 1, ')', rest.n - 1) != rest.p + rest.n - 1 ||
		       memchr(rest.p + 1, '(', rest.n - 1)))
		return false;
	d->day = day;
	d->mon = mon;
	d->year = y1 * 100 + y2;
	d->hour = hh;
	d->min = mm;
	d->sec = ss == 60 ? 59 : ss;
	d->off = (p[-5] == '-' ? -1 : 1) * (zh * 60 + zm);
	d->has_year = d->has_mon = d->has_day = d->has_time = d->has_off = true;
	return true;
}

bool
bk_date_parse(struct bk_sv s, int64_t *epoch, int *offset_min)
{
	struct dt d;
	memset(&d, 0, sizeof(d));
	size_t i = 0;
	if (s.n > 256)
		s.n = 256;
	if (canonical(s, &d))
		s.n = 0;	/* read already */
	while (i < s.n) {
		while (i < s.n && (bk_is_space((unsigned char)s.p[i]) || s.p[i] == ','))
			i++;
		if (i < s.n && s.p[i] == '(') {	/* a comment */
			while (i < s.n && s.p[i] != ')')
				i++;
			i++;
			continue;
		}
		size_t w0 = i;
		while (i < s.n && !bk_is_space((unsigned char)s.p[i]) &&
		       s.p[i] != ',' && s.p[i] != '(')
			i++;
		take_word(bk_sv_slice(s, w0, i), &d);
	}
	if (!d.has_year || !d.has_mon || !d.has_day || !d.has_time)
		return false;
	if (d.year < 100)
		d.year += d.year < 50 ? 2000 : 1900;
	if (d.year < 1970 || d.year > 2200 || d.mon < 1 || d.mon > 12 ||
	    d.day < 1 || d.day > 31)
		return false;
	int64_t t = days_from_civil(d.year, d.mon, d.day) * 86400 +
		    d.hour * 3600 + d.min * 60 + d.sec;
	*epoch = t - (int64_t)d.off * 60;
	*offset_min = d.off;
	return true;
}

void
bk_date_offset_str(int off, char out[6])
{
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	int h = (off / 60) % 100, m = off % 60;
	out[0] = sign;
	out[1] = (char)('0' + h / 10);
	out[2] = (char)('0' + h % 10);
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
}
