/* text.c -- text every reader shares: file:line messages and quoting of input text
 * in them, the strict number parser's slow path and whole-token form, cells of
 * delimited text, code checks and codes made from providers' labels, and the
 * delimited-text tokenizer (comma or tab separated, RFC 4180 quotes, BOM, CRLF). */
#define _GNU_SOURCE
#include "common/common.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ messages */
int wi_fmsg(wiot_ctx *ctx, int rc, const char *name, size_t line, const char *fmt, ...)
{
    char buf[WI_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (line)
        return wi_error(ctx, rc, "%s:%zu: %s", name, line, buf);
    return wi_error(ctx, rc, "%s: %s", name, buf);
}

const char *wi_show(char *buf, const char *s, size_t n)
{
    size_t k = n < 40 ? n : 40;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[i] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
    }
    if (k < n)
        memcpy(buf + k, "...", 4);
    else
        buf[k] = '\0';
    return buf;
}

/* ------------------------------------------------------------- numbers */
int wi_num_slow(const char *s, size_t n, void **cache, double *out)
{
    char buf[1024];
    if (n >= sizeof buf)
        return WI_NUM_LONG;
    memcpy(buf, s, n);
    buf[n] = '\0';
    locale_t c = cache ? (locale_t)*cache : (locale_t)0;
    if (!c) {
        c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
        if (cache)
            *cache = (void *)c;
    }
    locale_t old = c ? uselocale(c) : (locale_t)0;
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (old)
        uselocale(old);
    if (c && !cache)
        freelocale(c);
    if (end != buf + n)
        return WI_NUM_BAD;
    if (!isfinite(v))
        return WI_NUM_RANGE;
    *out = v;
    return WI_NUM_OK;
}

int wi_num(const char *s, size_t n, double *out)
{
    if (n == 0)
        return WI_NUM_EMPTY;
    const char *p = s;
    int r = wi_num_scan(&p, s + n, 0, NULL, out);
    if (r == WI_NUM_BAD) {
        const char *u = s + (s[0] == '-' || s[0] == '+');
        size_t un = (size_t)(s + n - u);
        if (un >= 3 && (strncasecmp(u, "nan", 3) == 0 || strncasecmp(u, "inf", 3) == 0))
            return WI_NUM_NONFINITE;
    }
    return r == WI_NUM_LONG ? WI_NUM_BAD : r;
}

int wi_cell(wiot_ctx *ctx, const char *name, size_t line, const char *col, const wi_field *f,
            int empty_ok, double *out)
{
    char q[WI_SHOW];
    int r = wi_num(f->p, f->n, out);
    if (r == WI_NUM_OK)
        return WI_NUM_OK;
    if (empty_ok && (f->n == 0 || (f->n == 2 && memcmp(f->p, "NA", 2) == 0))) {
        *out = 0;
        return WI_NUM_OK;
    }
    if (r == WI_NUM_EMPTY)
        return wi_fmsg(ctx, WIOT_EFORMAT, name, line, "column '%s': empty cell", col);
    if (r == WI_NUM_NONFINITE)
        return wi_fmsg(ctx, WIOT_EDATA, name, line, "column '%s': '%s' is not a finite number", col,
                       wi_show(q, f->p, f->n));
    if (r == WI_NUM_RANGE)
        return wi_fmsg(ctx, WIOT_EDATA, name, line, "column '%s': '%s' is out of the range of a double",
                       col, wi_show(q, f->p, f->n));
    return wi_fmsg(ctx, WIOT_EFORMAT, name, line, "column '%s': '%s' is not a number", col,
                   wi_show(q, f->p, f->n));
}

/* ------------------------------------------------------------------ codes */
/* A code may not be empty nor hold ',', '"' or control characters. */
const char *wi_code_problem(const char *s, size_t len)
{
    if (len == 0)
        return "is empty";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',')
            return "contains ','";
        if (c == '"')
            return "contains '\"'";
        if (c < 0x20 || c == 0x7f)
            return "contains a control character";
    }
    return NULL;
}

static int wi_code_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '&' || c == '+' || c == '-' || c == '_';
}

size_t wi_code_from_label(char *out, const char *s, size_t n)
{
    /* trim blanks */
    while (n && (s[0] == ' ' || s[0] == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    int plain = n > 0;
    for (size_t i = 0; i < n && plain; i++)
        plain = wi_code_char((unsigned char)s[i]);
    if (plain && !memmem(s, n, "..", 2)) {
        memcpy(out, s, n);
        out[n] = '\0';
        return n;
    }
    size_t k = 0;
    int gap = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (wi_code_char(c) && c != '_') {
            if (gap && k)
                out[k++] = '_';
            gap = 0;
            if (c == '.' && k && out[k - 1] == '.')
                out[k++] = '_';
            out[k++] = (char)c;
        } else {
            gap = 1;
        }
    }
    out[k] = '\0';
    return k;
}

/* -------------------------------------------------------------- text */
void wi_text_init(wi_text *t, wiot_ctx *ctx, const char *name, char *buf, size_t len, char sep)
{
    memset(t, 0, sizeof *t);
    t->ctx = ctx;
    t->name = name;
    t->buf = buf;
    t->len = len;
    t->sep = sep;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        t->pos = 3;
}

void wi_text_free(wi_text *t)
{
    wi_free(t->ctx, t->f);
    t->f = NULL;
    t->cap = t->nf = 0;
}

int wi_text_line(wi_text *t, char **b, char **e)
{
    if (t->pos >= t->len)
        return 0;
    char *p = t->buf + t->pos, *end = t->buf + t->len;
    char *nl = memchr(p, '\n', (size_t)(end - p));
    char *le = nl ? nl : end;
    t->pos = nl ? (size_t)(nl + 1 - t->buf) : t->len;
    if (le > p && le[-1] == '\r')
        le--;
    t->line++;
    *b = p;
    *e = le;
    return 1;
}

static int wi_text_push(wi_text *t, char *p, size_t n, int quoted)
{
    if (t->nf == t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 64;
        wi_field *nf = wi_alloc(t->ctx, nc * sizeof *nf);
        if (!nf)
            return WIOT_ENOMEM;
        if (t->nf)
            memcpy(nf, t->f, t->nf * sizeof *nf);
        wi_free(t->ctx, t->f);
        t->f = nf;
        t->cap = nc;
    }
    t->f[t->nf].p = p;
    t->f[t->nf].n = n;
    t->f[t->nf].quoted = quoted;
    t->nf++;
    return WIOT_OK;
}

int wi_text_fields(wi_text *t)
{
    char *b, *e;
    if (!wi_text_line(t, &b, &e))
        return 0;
    t->nf = 0;
    char *p = b;
    for (;;) {
        if (t->sep == ',' && p < e && *p == '"') {
            /* quoted: "" inside stands for ", unescaped in place */
            char *r = p + 1, *w = p + 1;
            for (;;) {
                if (r >= e)
                    return -wi_fmsg(t->ctx, WIOT_EFORMAT, t->name, t->line,
                                    "field %zu: unterminated quote", t->nf + 1);
                if (*r == '"') {
                    if (r + 1 < e && r[1] == '"') {
                        *w++ = '"';
                        r += 2;
                        continue;
                    }
                    break;
                }
                *w++ = *r++;
            }
            r++;   /* closing quote */
            if (r < e && *r != t->sep)
                return -wi_fmsg(t->ctx, WIOT_EFORMAT, t->name, t->line,
                                "field %zu: text after a closing quote", t->nf + 1);
            if (wi_text_push(t, p + 1, (size_t)(w - p - 1), 1))
                return -WIOT_ENOMEM;
            if (r >= e)
                break;
            p = r + 1;
            continue;
        }
        char *s = memchr(p, t->sep, (size_t)(e - p));
        char *fe = s ? s : e;
        if (wi_text_push(t, p, (size_t)(fe - p), 0))
            return -WIOT_ENOMEM;
        if (!s)
            break;
        p = s + 1;
    }
    return 1;
}

int wi_text_next(wi_text *t)
{
    for (;;) {
        int r = wi_text_fields(t);
        if (r <= 0)
            return r;
        if (!(t->nf == 1 && t->f[0].n == 0 && !t->f[0].quoted))
            return 1;
    }
}


/* ------------------------------------------------------------------ years */
int wi_year_in(const char *path, int last)
{
    int y = 0;
    const char *p = strrchr(path, '/');
    p = p ? p + 1 : path;
    while (*p) {
        if (*p >= '0' && *p <= '9') {
            const char *q = p;
            while (*q >= '0' && *q <= '9')
                q++;
            if (q - p == 4 && ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0'))) {
                y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
                if (!last)
                    return y;
            }
            p = q;
        } else {
            p++;
        }
    }
    return y;
}
