/* sbuf.c -- the report's text buffer and its bounded CSV reader. */
#define _GNU_SOURCE
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void sb_init(sbuf *b) { memset(b, 0, sizeof *b); }

void sb_free(sbuf *b)
{
    free(b->p);
    sb_init(b);
}

static int sb_grow(sbuf *b, size_t extra)
{
    if (b->oom)
        return 1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            b->oom = 1;
            return 1;
        }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return 1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void sb_put(sbuf *b, const char *s, size_t n)
{
    if (sb_grow(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void sb_add(sbuf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)k < sizeof tmp) {
        sb_put(b, tmp, (size_t)k);
        return;
    }
    if (sb_grow(b, (size_t)k))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)k;
}

/* length of the valid UTF-8 sequence at p (1-4), 0 if it is not one */
static size_t utf8_len(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    size_t n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : 0;
    if (n == 0 || (p[0] >= 0xf0 && n != 4))
        return 0;
    for (size_t k = 1; k < n; k++)
        if ((p[k] & 0xc0) != 0x80)
            return 0;
    if ((n == 3 && p[0] == 0xe0 && p[1] < 0xa0) || (n == 3 && p[0] == 0xed && p[1] >= 0xa0) ||
        (n == 4 && p[0] == 0xf0 && p[1] < 0x90) || (n == 4 && p[0] == 0xf4 && p[1] >= 0x90))
        return 0;   /* overlong, surrogates, beyond U+10FFFF */
    return n;
}

void sb_esc(sbuf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p >= 0x80) {   /* valid UTF-8 kept, other bytes become '?' */
            size_t n = utf8_len((const unsigned char *)p);
            if (n) {
                sb_put(b, p, n);
                p += n - 1;
            } else {
                sb_put(b, "?", 1);
            }
            continue;
        }
        switch (*p) {
        case '&': sb_put(b, "&amp;", 5); break;
        case '<': sb_put(b, "&lt;", 4); break;
        case '>': sb_put(b, "&gt;", 4); break;
        case '"': sb_put(b, "&quot;", 6); break;
        case '\'': sb_put(b, "&#39;", 5); break;
        default:
            /* control characters are not allowed in XML 1.0: dropped */
            if ((unsigned char)*p >= 0x20 || *p == '\t')
                sb_put(b, p, 1);
        }
    }
}

/* ------------------------------------------------------------------- CSV */
void rcsv_free(rcsv *c)
{
    free(c->buf);
    free(c->cell);
    free(c->head);
    free(c->lineno);
    memset(c, 0, sizeof *c);
}

/* one field starting at *pp (quoted or not), NUL-terminated in place; *pp moves past
 * its separator. Returns the separator seen: ',', '\n' or 0 (end). -1 on a bad quote. */
static int field(char **pp, char **out)
{
    char *p = *pp;
    if (*p == '"') {
        char *w = ++p;
        *out = w;
        for (;;) {
            if (!*p)
                return -1;
            if (*p == '"') {
                if (p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            *w++ = *p++;
        }
        *w = 0;
        if (*p == '\r')
            p++;
        int sep = *p;
        if (sep && sep != ',' && sep != '\n')
            return -1;
        *pp = sep ? p + 1 : p;
        return sep;
    }
    *out = p;
    while (*p && *p != ',' && *p != '\n')
        p++;
    int sep = *p;
    char *e = p;
    if (e > *out && e[-1] == '\r')
        e--;
    *e = 0;
    *pp = sep ? p + 1 : p;
    return sep;
}

int rcsv_load(const char *path, rcsv *c, char *err, size_t errsz)
{
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
        return 1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errsz, "%s: not a regular file", path);
        fclose(f);
        return 1;
    }
    if ((unsigned long long)st.st_size > REPORT_MAX_CSV_BYTES) {
        snprintf(err, errsz, "%s: %lld bytes, more than the report reads (%zu MB)", path, (long long)st.st_size,
                 REPORT_MAX_CSV_BYTES >> 20);
        fclose(f);
        return 1;
    }
    size_t size = (size_t)st.st_size;
    c->buf = malloc(size + 1);
    if (!c->buf) {
        snprintf(err, errsz, "%s: out of memory", path);
        fclose(f);
        return 1;
    }
    size_t got = fread(c->buf, 1, size, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || got != size) {
        snprintf(err, errsz, "%s: read failed", path);
        rcsv_free(c);
        return 1;
    }
    c->buf[size] = 0;
    if (memchr(c->buf, 0, size)) {
        snprintf(err, errsz, "%s: binary data (a NUL byte), not a CSV file", path);
        rcsv_free(c);
        return 1;
    }
    /* lines and fields: count first, then point */
    size_t lines = 0;
    for (size_t i = 0; i < size; i++)
        lines += c->buf[i] == '\n';
    if (size && c->buf[size - 1] != '\n')
        lines++;
    if (lines == 0) {
        snprintf(err, errsz, "%s: empty file", path);
        rcsv_free(c);
        return 1;
    }
    char *p = c->buf;
    size_t ncol = 1;
    for (char *q = p; *q && *q != '\n'; q++)   /* an upper bound for a quoted header */
        ncol += *q == ',';
    if (!(c->head = malloc(ncol * sizeof *c->head))) {
        snprintf(err, errsz, "%s: out of memory", path);
        rcsv_free(c);
        return 1;
    }
    size_t k = 0;
    for (;;) {
        int sep = field(&p, &c->head[k]);
        if (sep < 0) {
            snprintf(err, errsz, "%s:1: bad quoting in the header", path);
            rcsv_free(c);
            return 1;
        }
        k++;
        if (sep != ',')
            break;
    }
    c->ncol = k;
    if (lines - 1 > SIZE_MAX / sizeof(char *) / c->ncol ||
        !(c->cell = malloc((lines > 1 ? lines - 1 : 1) * c->ncol * sizeof *c->cell)) ||
        !(c->lineno = malloc((lines > 1 ? lines - 1 : 1) * sizeof *c->lineno))) {
        snprintf(err, errsz, "%s: out of memory", path);
        rcsv_free(c);
        return 1;
    }
    size_t line = 1;
    while (*p) {
        line++;
        if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {   /* blank line: skipped */
            p += *p == '\r' ? 2 : 1;
            continue;
        }
        size_t col = 0;
        for (;;) {
            char *cellp;
            int sep = field(&p, &cellp);
            if (sep < 0) {
                snprintf(err, errsz, "%s:%zu: bad quoting", path, line);
                rcsv_free(c);
                return 1;
            }
            if (col < c->ncol)
                c->cell[c->nrow * c->ncol + col] = cellp;
            col++;
            if (sep != ',')
                break;
        }
        if (col != c->ncol) {
            snprintf(err, errsz, "%s:%zu: %zu fields, the header has %zu", path, line, col, c->ncol);
            rcsv_free(c);
            return 1;
        }
        c->lineno[c->nrow++] = line;
    }
    return 0;
}

int rcsv_col(const rcsv *c, const char *name)
{
    for (size_t k = 0; k < c->ncol; k++)
        if (!strcmp(c->head[k], name))
            return (int)k;
    return -1;
}

int rcsv_num(const rcsv *c, size_t row, int col, double *v, char *err, size_t errsz)
{
    const char *s = rcsv_get(c, row, col);
    if (!*s) {
        *v = NAN;
        return 0;
    }
    char *e;
    errno = 0;
    double x = strtod(s, &e);
    if (e == s || *e || errno == ERANGE || !isfinite(x)) {
        snprintf(err, errsz, "%s:%zu: column '%s': '%.40s' is not a number", c->path, c->lineno[row], c->head[col],
                 s);
        return 1;
    }
    *v = x;
    return 0;
}
