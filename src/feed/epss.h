/*
 * FIRST EPSS scores parser (https://www.first.org/epss/data_stats): the
 * daily CSV, fed in chunks as it is decompressed, to one callback per row.
 * Pure parsing: no file, gzip or database access. The file has an optional
 * metadata line, a header and some 300,000 rows:
 *
 *	#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000
 *	cve,epss,percentile
 *	CVE-2025-1234,0.00043,0.12345
 *
 * Errors name the file, the line and the field: "epss.csv: line 7: field
 * 'epss': expected a decimal between 0 and 1, got '1.5'". Memory is fixed:
 * one line at a time, lines up to EPSS_LINE_MAX bytes.
 */
#ifndef HFX_FEED_EPSS_H
#define HFX_FEED_EPSS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* Longest line accepted, in bytes, without its line ending. */
#define EPSS_LINE_MAX 4096

struct epss_row {
	char cve[32];      /* "CVE-2025-1234" */
	double epss;       /* probability of exploitation, 0..1 */
	double percentile; /* 0..1 */
	size_t line;       /* 1-based line number in the file */
};

/*
 * Called once per row, in file order. Returns 0 to go on, or a negative
 * error code (having filled e) to stop: the feed or finish call then
 * returns that code unchanged.
 */
typedef int epss_row_fn(const struct epss_row *row, void *ctx, struct err *e);

struct epss_parser {
	/*
	 * From the metadata line, "" when the file has none (or it lacks the
	 * key). Set once the first line has been fed.
	 */
	char model_version[32];
	char score_date[32]; /* "2025-08-25T00:00:00+0000" */
	size_t rows;         /* rows handed to the callback so far */

	/* Private. */
	const char *filename;
	epss_row_fn *cb;
	void *ctx;
	size_t line;   /* number of the line being assembled */
	int state;
	int failed;    /* the error code that stopped the parser, or 0 */
	size_t len;    /* bytes in buf */
	char buf[EPSS_LINE_MAX + 1]; /* a line split across chunks, and its CR */
};

/*
 * Prepares p. filename only labels messages and must outlive p. The parser
 * owns no memory, so there is nothing to release.
 */
void epss_parser_init(struct epss_parser *p, const char *filename,
		      epss_row_fn *cb, void *ctx);

/*
 * Parses the next data[0..len) of the file; chunks may split lines (and
 * CRLF pairs) anywhere. Calls cb for every row completed. Returns 0, or
 * ERR_INPUT for bad data, or the callback's code. Rows before a bad one
 * have already been handed over, so a caller that wants all or nothing
 * keeps them in a transaction. After an error the parser refuses further
 * input with ERR_STATE.
 */
int epss_parser_feed(struct epss_parser *p, const char *data, size_t len,
		     struct err *e);

/*
 * Ends the input: parses a last line that has no line ending and checks
 * that the file had a header. Same returns as epss_parser_feed().
 */
int epss_parser_finish(struct epss_parser *p, struct err *e);

/*
 * Cheap format sniffing for import: true when the (decompressed) data
 * starts like an EPSS file, a "#model_version:" line or the header. It does
 * not validate.
 */
bool epss_looks_like(const char *data, size_t len);

#endif
