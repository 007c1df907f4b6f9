/* parse: the field parsers of SPEC section 1 — timestamps and dates,
 * decimals, booleans — and the byte-level text repairs (UTF-8 check and
 * repair, Latin-1 to UTF-8). Pure functions on (pointer, length); no
 * allocation except where the caller's buffer is grown. Each parser returns
 * 0 on success or -1 with a short reason ("not a date") in *why (static). */
#ifndef CXTOP_PARSE_H
#define CXTOP_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Timestamps are stored as int64 seconds since the Unix epoch, UTC.
 * Accepted: "2026-11-03T14:05:00Z", "2026-11-03 14:05:00", fractional
 * seconds ("14:05:00.402", dropped), "Z" or "+hh:mm"/"-hh:mm"/"+hhmm"
 * offsets (converted to UTC), a plain date "2026-11-03" (00:00 UTC), and
 * Unix epoch seconds (all digits, optionally with a fraction). Calendar
 * dates are checked (2026-02-30 is rejected); years 1970-2199 only, so that
 * a stray "0001-01-01" cannot stretch day arrays over millennia. Leading and
 * trailing spaces are allowed. */
int parse_timestamp(const char *s, size_t n, int64_t *out, const char **why);

/* The same, for a source with a time zone: a time written without a zone
 * is returned as its wall clock (seconds since 1970-01-01 00:00 of that
 * clock) and *flags says so, for the caller to convert (tz). Epoch seconds
 * and times with Z or an offset are UTC already. */
#define PARSE_TS_TIME 1u /* has a time of day */
#define PARSE_TS_ZONE 2u /* is UTC: a zone, an offset or epoch seconds */
int parse_timestamp_ex(const char *s, size_t n, int64_t *out, unsigned *flags, const char **why);

/* The first second past the accepted range, 2200-01-01T00:00:00Z. */
#define PARSE_TS_END INT64_C(7258118400)

/* Decimal with '.' as decimal point, optional sign and exponent; rejects
 * currency symbols, thousands separators, NaN, infinities and values whose
 * magnitude exceeds 1e15 (no real revenue or count is that large, and it
 * keeps sums exact enough). */
int parse_decimal(const char *s, size_t n, double *out, const char **why);

/* A decimal as much of Europe writes it (decimal = comma): ',' as the
 * decimal sign, '.', a space, NBSP or narrow NBSP between groups of three
 * digits, and a currency sign or code before or after ("1.234,56",
 * "1 234,56 €", "EUR -12,5"). Groups are checked ("1.23,4" and "1,234.56"
 * are refused), so a file in the other convention is rejected, not misread. */
int parse_decimal_comma(const char *s, size_t n, double *out, const char **why);

/* Integer score: optional sign, digits, an optional ".0" fraction allowed
 * ("9.0" from spreadsheets), nothing else. */
int parse_int(const char *s, size_t n, long *out, const char **why);

/* yes/no, true/false, 1/0, y/n, t/f (case-insensitive): 1 or 0. */
int parse_bool(const char *s, size_t n, int *out, const char **why);

/* 1 if the n bytes are valid UTF-8 (no overlongs, no surrogates). */
int parse_utf8_valid(const char *s, size_t n);

/* Copy src to dst (capacity cap, always NUL-terminated) replacing each
 * invalid UTF-8 byte by U+FFFD; returns the length written. dst needs
 * 3*n+1 bytes to hold everything. */
size_t parse_utf8_repair(char *dst, size_t cap, const char *src, size_t n);

/* Convert Latin-1 bytes to UTF-8 into dst (capacity cap >= 2*n+1,
 * NUL-terminated); returns the length written. */
size_t parse_latin1_to_utf8(char *dst, size_t cap, const char *src, size_t n);

/* Calendar arithmetic (proleptic Gregorian, any year): leap years, days of
 * month m (1-12) of year y, days from 1970-01-01 to y-m-d, and back. */
int parse_leap(int y);
int parse_month_days(int y, int m);
int64_t parse_days_from_civil(int64_t y, int m, int d);
void parse_civil_from_days(int64_t z, int64_t *y, int *m, int *d);

/* Convert Windows-1252 bytes to UTF-8 into dst (capacity cap >= 3*n+1,
 * NUL-terminated); returns the length written. 0x80-0x9F are the printable
 * characters Windows puts there (the euro sign, curly quotes, dashes); the
 * five it leaves undefined become the C1 controls of the same number, as
 * the WHATWG encoding standard reads them. */
size_t parse_cp1252_to_utf8(char *dst, size_t cap, const char *src, size_t n);

/* Code point cp (at most U+10FFFF) as UTF-8 at d (room for 4 bytes);
 * returns its length. */
size_t parse_put_utf8(char *d, unsigned cp);

/* UTF-16 (le: little-endian) to UTF-8 into dst (capacity cap >= 3*n/2+4,
 * NUL-terminated); unpaired surrogates and an odd last byte become
 * U+FFFD. Returns the length written. */
size_t parse_utf16_to_utf8(char *dst, size_t cap, const unsigned char *src, size_t n, int le);

/* Days since the epoch of a timestamp (floor division). */
int64_t parse_day(int64_t ts);
/* Format ts as "2026-11-03T14:05:00Z" / "2026-11-03" into buf (>= 21). */
void parse_format_ts(int64_t ts, char *buf, size_t cap);
void parse_format_date(int64_t ts, char *buf, size_t cap);

#endif
