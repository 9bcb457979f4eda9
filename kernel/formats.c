/* formats.c -- tables as the providers ship them: format detection, byte sources
 * (files, directories, zip archives through minizip, a zip inside a zip), delimited
 * text, numbers, labels, and the common back end of every reader (wi_build_finish:
 * wiot_table_new, then the units, source, primary-input rows and other uses).
 *
 * Readers: read_icio.c (OECD ICIO), read_wiod.c (WIOD 2016), read_exio.c (EXIOBASE 3),
 * read_eora.c (Eora26). Layouts: ../shared/FORMATS.md; what each reader accepts and
 * assumes is at the top of its file.
 *
 * Messages: "<file>:<line>: column '<label>': <problem>" as the wide CSV loader's;
 * members of an archive are named "<archive>:<member>". Data checks that need the
 * whole table (column sums of A, zero output with inputs) come from wiot_table_new
 * and are moved to the line of the output cell of that column.
 *
 * Memory: the text of one file at a time (an archive member is inflated into one
 * block), the reader's arrays, and the table (wiot_table_new copies). minizip
 * allocates its own small buffers with malloc (not through the context). */
#define _GNU_SOURCE
#include "formats.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <minizip/unzip.h>

#define WI_PEEK ((size_t)1 << 20)     /* bytes looked at by detection (the header rows of a
                                         WIOD 2016 sheet saved as CSV take ~300 kB) */
#define WI_DIR_DEPTH 3                /* levels of a directory source listed */
#define WI_WARN_SLOTS 4               /* table.c's room for warnings */
#define WI_SPLIT_MAX 16

/* ------------------------------------------------------------ extras */
/* A table read from a provider layout keeps its extras (struct wi_ext: units, source,
 * primary-input rows, other uses) in the block of its name, after the name's text, so
 * the table's release frees them with the name and table.c needs no change. */
const char *wiot_table_units(const wiot_table *t)
{
    return t && t->ext && t->ext->units ? t->ext->units : "millions of USD";
}

const char *wiot_table_source(const wiot_table *t)
{
    return t && t->ext ? t->ext->source : NULL;
}

size_t wiot_table_inputs(const wiot_table *t) { return t && t->ext ? t->ext->P : 0; }

const char *wiot_table_input_label(const wiot_table *t, size_t r)
{
    return t && t->ext && r < t->ext->P ? t->ext->plabel[r] : NULL;
}

const double *wiot_table_input(const wiot_table *t, size_t r)
{
    return t && t->ext && r < t->ext->P ? t->ext->Pv + r * (t->n + t->C * t->K) : NULL;
}

size_t wiot_table_other_uses(const wiot_table *t) { return t && t->ext ? t->ext->Q : 0; }

const char *wiot_table_other_use_label(const wiot_table *t, size_t q)
{
    return t && t->ext && q < t->ext->Q ? t->ext->qlabel[q] : NULL;
}

const double *wiot_table_other_use(const wiot_table *t, size_t q)
{
    return t && t->ext && q < t->ext->Q ? t->ext->Qv + q * t->n : NULL;
}

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
static const double wi_p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int wi_num_slow(const char *s, size_t n, double *out)
{
    char buf[512];
    if (n >= sizeof buf)
        return WI_NUM_BAD;
    memcpy(buf, s, n);
    buf[n] = '\0';
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old = c ? uselocale(c) : (locale_t)0;
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (old)
        uselocale(old);
    if (c)
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
    const char *p = s, *e = s + n;
    if (n == 0)
        return WI_NUM_EMPTY;
    int neg = 0;
    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    uint64_t m = 0;
    size_t nd = 0, nfrac = 0, sig = 0;
    int lost = 0;
    for (; p < e && (unsigned)(*p - '0') < 10u; p++, nd++) {
        if (sig < 19) {
            m = m * 10 + (unsigned)(*p - '0');
            sig += m != 0;
        } else {
            lost = 1;
        }
    }
    if (p < e && *p == '.') {
        p++;
        for (; p < e && (unsigned)(*p - '0') < 10u; p++, nd++, nfrac++) {
            if (sig < 19) {
                m = m * 10 + (unsigned)(*p - '0');
                sig += m != 0;
            } else {
                lost = 1;
            }
        }
    }
    if (nd == 0) {
        const char *u = s + (s[0] == '-' || s[0] == '+');
        size_t un = (size_t)(e - u);
        if ((un >= 3 && strncasecmp(u, "nan", 3) == 0) || (un >= 3 && strncasecmp(u, "inf", 3) == 0))
            return WI_NUM_NONFINITE;
        return WI_NUM_BAD;
    }
    long ex = 0;
    if (p < e && (*p | 0x20) == 'e') {
        p++;
        int eneg = 0;
        if (p < e && (*p == '-' || *p == '+')) {
            eneg = *p == '-';
            p++;
        }
        const char *x0 = p;
        for (; p < e && (unsigned)(*p - '0') < 10u; p++)
            if (ex < 100000)
                ex = ex * 10 + (*p - '0');
        if (p == x0)
            return WI_NUM_BAD;
        if (eneg)
            ex = -ex;
    }
    if (p != e)
        return WI_NUM_BAD;
    long e10 = ex - (long)nfrac;
    if (!lost && m <= ((uint64_t)1 << 53) && e10 >= -22 && e10 <= 22) {
        double v = (double)m;
        v = e10 >= 0 ? v * wi_p10[e10] : v / wi_p10[-e10];
        *out = neg ? -v : v;
        return WI_NUM_OK;
    }
    return wi_num_slow(s, n, out);
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

/* ------------------------------------------------------------- labels */
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

/* ------------------------------------------------------------- sources */
struct wi_src {
    wiot_ctx *ctx;
    char *path;               /* as given (for messages) */
    int zip;                  /* 0: directory */
    char *dir;                /* directory: its path */
    unzFile uf;               /* zip */
    char *mem;                /* zip in memory (a member of another), owned */
    size_t memlen;
    struct wi_zmem { const unsigned char *base; ZPOS64_T size, pos; } zm;
    size_t count, cap;
    char **names;             /* members */
    unz64_file_pos *zpos;     /* zip: positions of the members */
    ZPOS64_T *zsize;          /* zip: uncompressed sizes */
    char *shown;              /* last member's name for messages */
};

static voidpf ZCALLBACK wi_zm_open(voidpf opaque, const void *filename, int mode)
{
    (void)filename;
    (void)mode;
    struct wi_zmem *m = opaque;
    m->pos = 0;
    return m;
}

static uLong ZCALLBACK wi_zm_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
    (void)opaque;
    struct wi_zmem *m = stream;
    ZPOS64_T left = m->pos < m->size ? m->size - m->pos : 0;
    uLong k = left < size ? (uLong)left : size;
    memcpy(buf, m->base + m->pos, k);
    m->pos += k;
    return k;
}

static uLong ZCALLBACK wi_zm_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    (void)opaque;
    (void)stream;
    (void)buf;
    (void)size;
    return 0;
}

static ZPOS64_T ZCALLBACK wi_zm_tell(voidpf opaque, voidpf stream)
{
    (void)opaque;
    return ((struct wi_zmem *)stream)->pos;
}

static long ZCALLBACK wi_zm_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
    (void)opaque;
    struct wi_zmem *m = stream;
    ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET ? 0 : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos
                                                                                       : m->size;
    if (base + off > m->size)
        return -1;
    m->pos = base + off;
    return 0;
}

static int ZCALLBACK wi_zm_close(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

static int ZCALLBACK wi_zm_error(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

static int wi_src_add(wi_src *s, const char *name)
{
    if (s->count == s->cap) {
        size_t nc = s->cap ? 2 * s->cap : 32;
        char **nn = wi_calloc(s->ctx, nc, sizeof *nn);
        unz64_file_pos *np = s->zip ? wi_calloc(s->ctx, nc, sizeof *np) : NULL;
        ZPOS64_T *nz = s->zip ? wi_calloc(s->ctx, nc, sizeof *nz) : NULL;
        if (!nn || (s->zip && (!np || !nz))) {
            wi_free(s->ctx, nn);
            wi_free(s->ctx, np);
            wi_free(s->ctx, nz);
            return WIOT_ENOMEM;
        }
        if (s->count) {
            memcpy(nn, s->names, s->count * sizeof *nn);
            if (s->zip) {
                memcpy(np, s->zpos, s->count * sizeof *np);
                memcpy(nz, s->zsize, s->count * sizeof *nz);
            }
        }
        wi_free(s->ctx, s->names);
        wi_free(s->ctx, s->zpos);
        wi_free(s->ctx, s->zsize);
        s->names = nn;
        s->zpos = np;
        s->zsize = nz;
        s->cap = nc;
    }
    char *d = wi_strdup(s->ctx, name);
    if (!d)
        return WIOT_ENOMEM;
    s->names[s->count++] = d;
    return WIOT_OK;
}

static int wi_dir_list(wi_src *s, const char *rel, int depth)
{
    char full[4096];
    snprintf(full, sizeof full, "%s%s%s", s->dir, *rel ? "/" : "", rel);
    DIR *d = opendir(full);
    if (!d)
        return depth == 0 ? wi_fmsg(s->ctx, WIOT_EIO, s->path, 0, "cannot open directory: %s",
                                    strerror(errno))
                          : WIOT_OK;
    struct dirent *de;
    int rc = WIOT_OK;
    while (!rc && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char r2[4096], f2[8192];
        snprintf(r2, sizeof r2, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        snprintf(f2, sizeof f2, "%s/%s", s->dir, r2);
        struct stat st;
        if (stat(f2, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth + 1 < WI_DIR_DEPTH)
                rc = wi_dir_list(s, r2, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            rc = wi_src_add(s, r2);
        }
    }
    closedir(d);
    return rc;
}

static int wi_zip_list(wi_src *s)
{
    int zr = unzGoToFirstFile(s->uf);
    while (zr == UNZ_OK) {
        char name[4096];
        unz_file_info64 fi;
        if (unzGetCurrentFileInfo64(s->uf, &fi, name, sizeof name, NULL, 0, NULL, 0) != UNZ_OK)
            return wi_fmsg(s->ctx, WIOT_EFORMAT, s->path, 0, "corrupt zip archive (central directory)");
        size_t l = strlen(name);
        if (l && name[l - 1] != '/') {
            int rc = wi_src_add(s, name);
            if (rc)
                return rc;
            unzGetFilePos64(s->uf, &s->zpos[s->count - 1]);
            s->zsize[s->count - 1] = fi.uncompressed_size;
        }
        zr = unzGoToNextFile(s->uf);
    }
    if (zr != UNZ_END_OF_LIST_OF_FILE)
        return wi_fmsg(s->ctx, WIOT_EFORMAT, s->path, 0, "corrupt zip archive (central directory)");
    return WIOT_OK;
}

void wi_src_close(wi_src *s)
{
    if (!s)
        return;
    wiot_ctx *ctx = s->ctx;
    if (s->uf)
        unzClose(s->uf);
    for (size_t i = 0; i < s->count; i++)
        wi_free(ctx, s->names[i]);
    wi_free(ctx, s->names);
    wi_free(ctx, s->zpos);
    wi_free(ctx, s->zsize);
    wi_free(ctx, s->path);
    wi_free(ctx, s->dir);
    wi_free(ctx, s->mem);
    wi_free(ctx, s->shown);
    wi_free(ctx, s);
}

static int wi_src_new(wiot_ctx *ctx, const char *path, wi_src **out)
{
    wi_src *s = wi_calloc(ctx, 1, sizeof *s);
    if (!s)
        return WIOT_ENOMEM;
    s->ctx = ctx;
    s->path = wi_strdup(ctx, path);
    if (!s->path) {
        wi_free(ctx, s);
        return WIOT_ENOMEM;
    }
    *out = s;
    return WIOT_OK;
}

/* A zip from a file (mem == NULL) or from memory (taken over). */
static int wi_src_zip(wiot_ctx *ctx, const char *path, char *mem, size_t memlen, wi_src **out)
{
    wi_src *s;
    int rc = wi_src_new(ctx, path, &s);
    if (rc) {
        wi_free(ctx, mem);
        return rc;
    }
    s->zip = 1;
    if (mem) {
        s->mem = mem;
        s->memlen = memlen;
        s->zm.base = (const unsigned char *)mem;
        s->zm.size = memlen;
        zlib_filefunc64_def ff = {wi_zm_open, wi_zm_read, wi_zm_write, wi_zm_tell,
                                  wi_zm_seek, wi_zm_close, wi_zm_error, &s->zm};
        s->uf = unzOpen2_64("memory", &ff);
    } else {
        s->uf = unzOpen64(path);
    }
    if (!s->uf) {
        wi_src_close(s);
        return wi_fmsg(ctx, WIOT_EFORMAT, path, 0, "not a readable zip archive");
    }
    if ((rc = wi_zip_list(s))) {
        wi_src_close(s);
        return rc;
    }
    *out = s;
    return WIOT_OK;
}

static int wi_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int wi_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int wi_src_open(wiot_ctx *ctx, const char *path, wi_src **out)
{
    if (wi_is_dir(path)) {
        wi_src *s;
        int rc = wi_src_new(ctx, path, &s);
        if (rc)
            return rc;
        size_t l = strlen(path);
        while (l > 1 && path[l - 1] == '/')
            l--;
        s->dir = wi_alloc(ctx, l + 1);
        if (!s->dir) {
            wi_src_close(s);
            return WIOT_ENOMEM;
        }
        memcpy(s->dir, path, l);
        s->dir[l] = '\0';
        if ((rc = wi_dir_list(s, "", 0))) {
            wi_src_close(s);
            return rc;
        }
        *out = s;
        return WIOT_OK;
    }
    return wi_src_zip(ctx, path, NULL, 0, out);
}

int wi_src_is_zip(const wi_src *s) { return s->zip; }
size_t wi_src_count(const wi_src *s) { return s->count; }
const char *wi_src_member(const wi_src *s, size_t i) { return i < s->count ? s->names[i] : NULL; }

size_t wi_src_find(const wi_src *s, const char *name, int ci)
{
    size_t best = (size_t)-1, bestdepth = SIZE_MAX, nl = strlen(name);
    for (size_t i = 0; i < s->count; i++) {
        const char *m = s->names[i];
        size_t ml = strlen(m);
        if (ml < nl)
            continue;
        const char *tail = m + ml - nl;
        if (tail != m && tail[-1] != '/')
            continue;
        if (ci ? strcasecmp(tail, name) : strcmp(tail, name))
            continue;
        size_t depth = 0;
        for (const char *p = m; *p; p++)
            depth += *p == '/';
        if (depth < bestdepth) {
            best = i;
            bestdepth = depth;
        }
    }
    return best;
}

static int wi_set_shown(wi_src *s, size_t i)
{
    size_t a = strlen(s->path), b = strlen(s->names[i]);
    char *sh = wi_alloc(s->ctx, a + b + 2);
    if (!sh)
        return WIOT_ENOMEM;
    memcpy(sh, s->path, a);
    sh[a] = s->zip ? ':' : '/';
    memcpy(sh + a + 1, s->names[i], b + 1);
    if (!s->zip && a && s->path[a - 1] == '/')
        memmove(sh + a, sh + a + 1, b + 1);
    wi_free(s->ctx, s->shown);
    s->shown = sh;
    return WIOT_OK;
}

static int wi_gunzip_all(wiot_ctx *ctx, const char *name, const char *in, size_t inlen, size_t max,
                         char **out, size_t *outlen)
{
    size_t cap = inlen < 65536 ? 65536 : inlen * 4;
    if (max && cap > max + 1)
        cap = max + 1;
    char *buf = wi_alloc(ctx, cap + 1);
    if (!buf)
        return WIOT_ENOMEM;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) {
        wi_free(ctx, buf);
        return wi_fmsg(ctx, WIOT_ENOMEM, name, 0, "out of memory starting zlib");
    }
    size_t pos = 0, len = 0;
    int rc = WIOT_OK;
    for (;;) {
        if (len == cap) {
            if (max && len >= max)
                break;
            size_t nc = cap * 2;
            char *nb = wi_alloc(ctx, nc + 1);
            if (!nb) {
                rc = WIOT_ENOMEM;
                break;
            }
            memcpy(nb, buf, len);
            wi_free(ctx, buf);
            buf = nb;
            cap = nc;
        }
        size_t ai = inlen - pos < UINT_MAX ? inlen - pos : UINT_MAX;
        size_t ao = cap - len < UINT_MAX ? cap - len : UINT_MAX;
        z.next_in = (Bytef *)(uintptr_t)(in + pos);
        z.avail_in = (uInt)ai;
        z.next_out = (Bytef *)(buf + len);
        z.avail_out = (uInt)ao;
        int zr = inflate(&z, Z_NO_FLUSH);
        pos += ai - z.avail_in;
        len += ao - z.avail_out;
        if (zr == Z_STREAM_END) {
            if (pos + 2 <= inlen && (unsigned char)in[pos] == 0x1f && (unsigned char)in[pos + 1] == 0x8b) {
                inflateReset(&z);
                continue;
            }
            break;
        }
        if (zr == Z_OK || (zr == Z_BUF_ERROR && len == cap))
            continue;
        if (max)
            break;   /* a prefix: whatever came out */
        rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 0, zr == Z_BUF_ERROR ? "truncated gzip stream"
                                                                   : "corrupt gzip stream");
        break;
    }
    inflateEnd(&z);
    if (rc) {
        wi_free(ctx, buf);
        return rc;
    }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return WIOT_OK;
}

int wi_src_read(wiot_ctx *ctx, wi_src *s, size_t i, char **out, size_t *outlen, const char **shown)
{
    int rc;
    if ((rc = wi_set_shown(s, i)))
        return rc;
    if (shown)
        *shown = s->shown;
    char *buf = NULL;
    size_t len = 0;
    if (!s->zip) {
        char full[8192];
        snprintf(full, sizeof full, "%s/%s", s->dir, s->names[i]);
        if ((rc = wi_read_path(ctx, full, 0, &buf, &len)))
            return rc;
    } else {
        ZPOS64_T size = s->zsize[i];
        if (size >= SIZE_MAX - 1)
            return wi_fmsg(ctx, WIOT_ETOOLARGE, s->shown, 0, "member too large");
        if (unzGoToFilePos64(s->uf, &s->zpos[i]) != UNZ_OK || unzOpenCurrentFile(s->uf) != UNZ_OK)
            return wi_fmsg(ctx, WIOT_EFORMAT, s->shown, 0, "cannot open the archive member "
                           "(encrypted or an unsupported compression method?)");
        buf = wi_alloc(ctx, (size_t)size + 1);
        if (!buf) {
            unzCloseCurrentFile(s->uf);
            return WIOT_ENOMEM;
        }
        while (len < size) {
            size_t want = size - len < (1u << 30) ? (size_t)(size - len) : (1u << 30);
            int r = unzReadCurrentFile(s->uf, buf + len, (unsigned)want);
            if (r <= 0) {
                unzCloseCurrentFile(s->uf);
                wi_free(ctx, buf);
                return wi_fmsg(ctx, WIOT_EFORMAT, s->shown, 0, "corrupt or truncated archive member "
                               "(after %zu of %llu bytes)", len, (unsigned long long)size);
            }
            len += (size_t)r;
        }
        if (unzCloseCurrentFile(s->uf) != UNZ_OK) {
            wi_free(ctx, buf);
            return wi_fmsg(ctx, WIOT_EFORMAT, s->shown, 0, "archive member fails its CRC check");
        }
        buf[len] = '\0';
    }
    if (len >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b) {
        char *z;
        size_t zl;
        rc = wi_gunzip_all(ctx, s->shown, buf, len, 0, &z, &zl);
        wi_free(ctx, buf);
        if (rc)
            return rc;
        buf = z;
        len = zl;
    }
    *out = buf;
    *outlen = len;
    return WIOT_OK;
}

int wi_src_open_member(wiot_ctx *ctx, wi_src *s, size_t i, wi_src **out)
{
    char *buf;
    size_t len;
    const char *shown;
    int rc = wi_src_read(ctx, s, i, &buf, &len, &shown);
    if (rc)
        return rc;
    return wi_src_zip(ctx, shown, buf, len, out);
}

int wi_read_path(wiot_ctx *ctx, const char *path, int gz, char **out, size_t *outlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wi_fmsg(ctx, WIOT_EIO, path, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    size_t cap = 1 << 20;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
        (unsigned long long)st.st_size < SIZE_MAX - 2)
        cap = (size_t)st.st_size + 1;
    char *buf = wi_alloc(ctx, cap + 1);
    if (!buf) {
        close(fd);
        return WIOT_ENOMEM;
    }
    size_t len = 0;
    int rc = WIOT_OK;
    for (;;) {
        if (len == cap) {
            char *nb = wi_alloc(ctx, 2 * cap + 1);
            if (!nb) {
                rc = WIOT_ENOMEM;
                break;
            }
            memcpy(nb, buf, len);
            wi_free(ctx, buf);
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = wi_fmsg(ctx, WIOT_EIO, path, 0, "read error: %s", strerror(errno));
            break;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (rc) {
        wi_free(ctx, buf);
        return rc;
    }
    buf[len] = '\0';
    if (gz && len >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b) {
        char *z;
        size_t zl;
        rc = wi_gunzip_all(ctx, path, buf, len, 0, &z, &zl);
        wi_free(ctx, buf);
        if (rc)
            return rc;
        buf = z;
        len = zl;
    }
    *out = buf;
    *outlen = len;
    return WIOT_OK;
}

/* The first WI_PEEK bytes of a file (gzip: of its text) in a new block. */
static int wi_peek(wiot_ctx *ctx, const char *path, char **out, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wi_fmsg(ctx, WIOT_EIO, path, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    size_t cap = WI_PEEK;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 && (unsigned long long)st.st_size < cap)
        cap = (size_t)st.st_size;   /* small files: what they hold (gzip: inflated below) */
    if (cap < 4096)
        cap = 4096;
    char *buf = wi_alloc(ctx, cap + 1);
    if (!buf) {
        close(fd);
        return WIOT_ENOMEM;
    }
    size_t n = 0;
    while (n < cap) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    if (n >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b) {
        char *z;
        size_t zl;
        int rc = wi_gunzip_all(ctx, path, buf, n, WI_PEEK, &z, &zl);
        if (rc == WIOT_ENOMEM) {
            wi_free(ctx, buf);
            return rc;
        }
        wi_clear(ctx);
        if (rc == WIOT_OK) {
            wi_free(ctx, buf);
            if (zl > WI_PEEK)
                zl = WI_PEEK;
            z[zl] = '\0';
            buf = z;
            n = zl;
        }
    }
    *out = buf;
    *len = n;
    return WIOT_OK;
}

/* ----------------------------------------------------------------- builds */
static void wi_free_labels(wiot_ctx *ctx, char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        wi_free(ctx, v[i]);
    wi_free(ctx, v);
}

void wi_build_free(wiot_ctx *ctx, wi_build *b)
{
    if (b->own) {
        wi_free_labels(ctx, b->country, b->C);
        wi_free_labels(ctx, b->sector, b->S);
        wi_free_labels(ctx, b->fd, b->K);
        wi_free_labels(ctx, b->plabel, b->P);
        wi_free_labels(ctx, b->qlabel, b->Q);
        wi_free(ctx, b->Z);
        wi_free(ctx, b->F);
        wi_free(ctx, b->x);
        wi_free(ctx, b->Pv);
        wi_free(ctx, b->Qv);
        wi_free(ctx, b->rline);
        wi_free(ctx, b->xline);
    }
    memset(b, 0, sizeof *b);
}

int wi_build_alloc(wiot_ctx *ctx, wi_build *b, size_t C, size_t S, size_t K, size_t P, size_t Q)
{
    size_t n, CK, nn, nf, np, nq;
    int rc;
    if ((rc = wi_mul(ctx, C, S, &n)) || (rc = wi_mul(ctx, C, K, &CK)) || (rc = wi_mul(ctx, n, n, &nn)) ||
        (rc = wi_mul(ctx, n, CK, &nf)) || (rc = wi_mul(ctx, P, n + CK, &np)) || (rc = wi_mul(ctx, Q, n, &nq)))
        return rc;
    b->own = 1;
    b->C = C;
    b->S = S;
    b->K = K;
    b->P = P;
    b->Q = Q;
    b->country = wi_calloc(ctx, C ? C : 1, sizeof(char *));
    b->sector = wi_calloc(ctx, S ? S : 1, sizeof(char *));
    b->fd = wi_calloc(ctx, K ? K : 1, sizeof(char *));
    b->plabel = wi_calloc(ctx, P ? P : 1, sizeof(char *));
    b->qlabel = wi_calloc(ctx, Q ? Q : 1, sizeof(char *));
    b->Z = wi_calloc(ctx, nn ? nn : 1, sizeof(double));
    b->F = wi_calloc(ctx, nf ? nf : 1, sizeof(double));
    b->x = wi_calloc(ctx, n ? n : 1, sizeof(double));
    b->Pv = wi_calloc(ctx, np ? np : 1, sizeof(double));
    b->Qv = wi_calloc(ctx, nq ? nq : 1, sizeof(double));
    if (!b->country || !b->sector || !b->fd || !b->plabel || !b->qlabel || !b->Z || !b->F || !b->x ||
        !b->Pv || !b->Qv) {
        /* labels are all NULL: wi_build_free frees the arrays only */
        wi_build_free(ctx, b);
        return WIOT_ENOMEM;
    }
    return WIOT_OK;
}

int wi_build_label(wiot_ctx *ctx, char **slot, const char *s, size_t n)
{
    char *d = wi_alloc(ctx, n + 1);
    if (!d)
        return WIOT_ENOMEM;
    memcpy(d, s, n);
    d[n] = '\0';
    wi_free(ctx, *slot);
    *slot = d;
    return WIOT_OK;
}

void wi_build_view(wi_build *b, const wiot_table *t)
{
    memset(b, 0, sizeof *b);
    b->C = t->C;
    b->S = t->S;
    b->K = t->K;
    b->country = t->country;
    b->sector = t->sector;
    b->fd = t->fdcat;
    b->Z = t->Z;
    b->F = t->F;
    b->x = t->x;
    if (t->ext) {
        b->P = t->ext->P;
        b->plabel = t->ext->plabel;
        b->Pv = t->ext->Pv;
        b->Q = t->ext->Q;
        b->qlabel = t->ext->qlabel;
        b->Qv = t->ext->Qv;
        b->units = t->ext->units;
        if (t->ext->source)
            snprintf(b->source, sizeof b->source, "%s", t->ext->source);
        b->format = t->ext->format;
    }
    b->year = t->year;
    b->own = 0;
}

int wi_build_aggregate(wiot_ctx *ctx, const wi_build *in, const size_t *rg, size_t GR,
                       char *const *rcodes, const size_t *sg, size_t GS, char *const *scodes,
                       wi_build *out)
{
    const size_t C = in->C, S = in->S, K = in->K, n = C * S, CK = C * K;
    wi_build b;
    memset(&b, 0, sizeof b);
    int rc = wi_build_alloc(ctx, &b, GR, GS, K, in->P, in->Q);
    if (rc)
        return rc;
    const size_t n2 = GR * GS, CK2 = GR * K, w = n + CK, w2 = n2 + CK2;
    size_t *g = wi_alloc(ctx, (n ? n : 1) * sizeof *g);
    if (!g) {
        wi_build_free(ctx, &b);
        return WIOT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        g[i] = rg[i / S] * GS + sg[i % S];
    for (size_t r = 0; r < GR && !rc; r++)
        rc = wi_build_label(ctx, &b.country[r], rcodes[r], strlen(rcodes[r]));
    for (size_t s = 0; s < GS && !rc; s++)
        rc = wi_build_label(ctx, &b.sector[s], scodes[s], strlen(scodes[s]));
    for (size_t k = 0; k < K && !rc; k++)
        rc = wi_build_label(ctx, &b.fd[k], in->fd[k], strlen(in->fd[k]));
    for (size_t r = 0; r < in->P && !rc; r++)
        rc = wi_build_label(ctx, &b.plabel[r], in->plabel[r], strlen(in->plabel[r]));
    for (size_t q = 0; q < in->Q && !rc; q++)
        rc = wi_build_label(ctx, &b.qlabel[q], in->qlabel[q], strlen(in->qlabel[q]));
    if (rc) {
        wi_free(ctx, g);
        wi_build_free(ctx, &b);
        return rc;
    }
    for (size_t j = 0; j < n; j++) {
        const double *zc = in->Z + j * n;
        double *oc = b.Z + g[j] * n2;
        for (size_t i = 0; i < n; i++)
            oc[g[i]] += zc[i];
    }
    for (size_t q = 0; q < CK; q++) {
        const double *fc = in->F + q * n;
        double *oc = b.F + (rg[q / K] * K + q % K) * n2;
        for (size_t i = 0; i < n; i++)
            oc[g[i]] += fc[i];
    }
    for (size_t i = 0; i < n; i++)
        b.x[g[i]] += in->x[i];
    for (size_t r = 0; r < in->P; r++) {
        const double *pr = in->Pv + r * w;
        double *o = b.Pv + r * w2;
        for (size_t j = 0; j < n; j++)
            o[g[j]] += pr[j];
        for (size_t q = 0; q < CK; q++)
            o[n2 + rg[q / K] * K + q % K] += pr[n + q];
    }
    for (size_t q = 0; q < in->Q; q++) {
        const double *qc = in->Qv + q * n;
        double *o = b.Qv + q * n2;
        for (size_t i = 0; i < n; i++)
            o[g[i]] += qc[i];
    }
    wi_free(ctx, g);
    b.units = in->units;
    memcpy(b.source, in->source, sizeof b.source);
    b.format = in->format;
    b.year = in->year;
    *out = b;
    return WIOT_OK;
}

/* Split countries of the OECD ICIO: "CN" or "MX" and digits. */
static const char *wi_split_parent(const char *code)
{
    if ((strncmp(code, "CN", 2) == 0 || strncmp(code, "MX", 2) == 0) && code[2]) {
        for (const char *p = code + 2; *p; p++)
            if (*p < '0' || *p > '9')
                return NULL;
        return code[0] == 'C' ? "CHN" : "MEX";
    }
    return NULL;
}

int wi_build_merge_splits(wiot_ctx *ctx, wi_build *b, const char *name, size_t line)
{
    size_t nsplit = 0;
    for (size_t c = 0; c < b->C; c++)
        nsplit += wi_split_parent(b->country[c]) != NULL;
    if (!nsplit || ctx->keep_splits)
        return WIOT_OK;
    size_t *rg = wi_alloc(ctx, b->C * sizeof *rg + b->S * sizeof(size_t));
    char **codes = wi_alloc(ctx, b->C * sizeof *codes);
    if (!rg || !codes) {
        wi_free(ctx, rg);
        wi_free(ctx, codes);
        return WIOT_ENOMEM;
    }
    size_t *sg = rg + b->C, G = 0;
    for (size_t c = 0; c < b->C; c++)
        if (!wi_split_parent(b->country[c])) {
            codes[G] = b->country[c];
            rg[c] = G++;
        }
    int rc = WIOT_OK;
    for (size_t c = 0; c < b->C && !rc; c++) {
        const char *par = wi_split_parent(b->country[c]);
        if (!par)
            continue;
        size_t p = wi_table_find(b->country, b->C, par);
        if (p == (size_t)-1)
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, b->rline ? b->rline[c * b->S] : line,
                         "split country '%s' has no parent '%s' in the table (splits are added "
                         "into their parent; keep them with --keep-splits, WIOT_OPT_KEEP_SPLITS)",
                         b->country[c], par);
        else
            rg[c] = rg[p];
    }
    for (size_t s = 0; s < b->S; s++)
        sg[s] = s;
    wi_build out;
    if (!rc)
        rc = wi_build_aggregate(ctx, b, rg, G, codes, sg, b->S, b->sector, &out);
    if (!rc) {
        /* lines of the parents' rows; x stays on its line */
        size_t n = b->C * b->S, S = b->S;
        if (b->rline && (out.rline = wi_calloc(ctx, G * S, sizeof(size_t))))
            for (size_t i = 0; i < n; i++)
                if (!wi_split_parent(b->country[i / S]))
                    out.rline[rg[i / S] * S + i % S] = b->rline[i];
        if (b->xline && (out.xline = wi_calloc(ctx, G * S, sizeof(size_t))))
            for (size_t i = 0; i < n; i++)
                if (!wi_split_parent(b->country[i / S]))
                    out.xline[rg[i / S] * S + i % S] = b->xline[i];
        memcpy(out.rfile, b->rfile, sizeof out.rfile);
        memcpy(out.xfile, b->xfile, sizeof out.xfile);
        wi_build_free(ctx, b);
        *b = out;
    }
    wi_free(ctx, rg);
    wi_free(ctx, codes);
    return rc;
}

/* wiot_table_new's "<name>: column 'X': ... [in row 'Y']" moved to the line of the
 * cell when the build knows it. */
static void wi_relocate(wiot_ctx *ctx, const wi_build *b, const char *name)
{
    size_t nl = strlen(name);
    const char *m = ctx->msg;
    if (strncmp(m, name, nl) != 0 || strncmp(m + nl, ": column '", 10) != 0)
        return;
    const char *l0 = m + nl + 10, *l1 = strchr(l0, '\'');
    if (!l1)
        return;
    const char *rest = l1 + 1;   /* ": problem..." */
    const char *row = strstr(rest, " in row '");
    const char *lab = row ? row + 9 : l0;
    const char *labe = row ? strchr(lab, '\'') : l1;
    if (!labe)
        return;
    size_t ll = (size_t)(labe - lab), S = b->S, n = b->C * S, idx = (size_t)-1;
    char buf[512];
    for (size_t i = 0; i < n && idx == (size_t)-1; i++) {
        int k = snprintf(buf, sizeof buf, "%s_%s", b->country[i / S], b->sector[i % S]);
        if ((size_t)k == ll && memcmp(buf, lab, ll) == 0)
            idx = i;
    }
    if (idx == (size_t)-1)
        return;
    const char *file = row ? b->rfile : b->xfile;
    const size_t *lines = row ? b->rline : b->xline;
    if (!file[0] || !lines || !lines[idx])
        return;
    char out[WI_MSG_MAX];
    if (row)
        snprintf(out, sizeof out, "%s:%zu: column '%.*s'%.*s", file, lines[idx], (int)(l1 - l0), l0,
                 (int)(row - rest), rest);
    else
        snprintf(out, sizeof out, "%s:%zu: column '%.*s'%s", file, lines[idx], (int)(l1 - l0), l0, rest);
    memcpy(ctx->msg, out, sizeof out < sizeof ctx->msg ? sizeof out : sizeof ctx->msg);
    ctx->msg[sizeof ctx->msg - 1] = '\0';
}

/* The row identity again, with the other uses (ICIO 2016 DISC, Eora ROW) as uses. */
static int wi_recheck(wiot_ctx *ctx, wiot_table *t, const char *name)
{
    const size_t n = t->n, CK = t->C * t->K;
    const struct wi_ext *e = t->ext;
    double *rs = wi_calloc(ctx, n ? n : 1, sizeof(double));
    if (!rs)
        return WIOT_ENOMEM;
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            rs[i] += t->Z[i + j * n];
    for (size_t q = 0; q < CK; q++)
        for (size_t i = 0; i < n; i++)
            rs[i] += t->F[i + q * n];
    for (size_t q = 0; q < e->Q; q++)
        for (size_t i = 0; i < n; i++)
            rs[i] += e->Qv[q * n + i];
    size_t off = 0, worst = 0;
    double sum = 0, wd = 0;
    for (size_t i = 0; i < n; i++) {
        double d = rs[i] - t->x[i];
        sum += d;
        if (fabs(d) > fabs(wd)) {
            wd = d;
            worst = i;
        }
        if (fabs(d) > fmax(ctx->row_tol_abs, ctx->row_tol_rel * t->x[i]))
            off++;
    }
    wi_free(ctx, rs);
    wiot_check *ck = &t->check;
    ck->rows_off = off;
    ck->worst_row = worst;
    ck->worst_row_diff = wd;
    ck->mean_row_diff = n ? sum / (double)n : 0;
    /* drop table.c's row warning, add ours */
    for (size_t k = 0; k < ck->warnings; k++)
        if (strstr(t->warn[k], ": row identity off by")) {
            wi_hfree(&t->a, t->warn[k]);
            memmove(t->warn + k, t->warn + k + 1, (ck->warnings - k - 1) * sizeof(char *));
            ck->warnings--;
            break;
        }
    if (!off)
        return WIOT_OK;
    if (!t->warn && !(t->warn = wi_calloc(ctx, WI_WARN_SLOTS, sizeof(char *))))
        return WIOT_ENOMEM;
    if (ck->warnings >= WI_WARN_SLOTS)
        return WIOT_OK;
    char buf[WI_MSG_MAX];
    snprintf(buf, sizeof buf,
             "%s: row identity (with the other uses %s%s) off by more than max(%g, %g*x) in %zu of "
             "%zu rows; worst: row '%s_%s': %.15g (x = %.15g)",
             name, e->qlabel[0], e->Q > 1 ? ", ..." : "", ctx->row_tol_abs, ctx->row_tol_rel, off, n,
             t->country[worst / t->S], t->sector[worst % t->S], wd, t->x[worst]);
    char *w = wi_strdup(ctx, buf);
    if (!w)
        return WIOT_ENOMEM;
    memmove(t->warn + 1, t->warn, ck->warnings * sizeof(char *));
    t->warn[0] = w;
    ck->warnings++;
    return WIOT_OK;
}

/* The table's name: the last component of a path, or of an archive member's name
 * ("x.zip:2020.zip:2020.csv" -> "2020.csv"). */
static const char *wi_last_component(const char *path, char *buf, size_t size)
{
    size_t l = strlen(path);
    while (l > 1 && path[l - 1] == '/')
        l--;
    size_t b = l;
    while (b > 0 && path[b - 1] != '/' && path[b - 1] != ':')
        b--;
    size_t k = l - b < size - 1 ? l - b : size - 1;
    memcpy(buf, path + b, k);
    buf[k] = '\0';
    return buf;
}

int wi_build_finish(wiot_ctx *ctx, wi_build *b, const char *name, wiot_table **out)
{
    char base[512];
    wi_last_component(name, base, sizeof base);
    const size_t n = b->C * b->S;
    /* codes: the table's rules, with the file's name in the message */
    const char *kinds[3] = {"country", "sector", "final-demand"};
    char **lists[3] = {b->country, b->sector, b->fd};
    size_t counts[3] = {b->C, b->S, b->K};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < counts[k]; i++) {
            const char *why = wi_code_problem(lists[k][i], strlen(lists[k][i]));
            if (why) {
                wi_build_free(ctx, b);
                return wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "%s code '%s' %s", kinds[k], lists[k][i], why);
            }
            for (size_t j = 0; j < i; j++)
                if (strcmp(lists[k][j], lists[k][i]) == 0) {
                    int rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "duplicate %s code '%s'", kinds[k],
                                     lists[k][i]);
                    wi_build_free(ctx, b);
                    return rc;
                }
        }
    wiot_table_desc d;
    memset(&d, 0, sizeof d);
    d.countries = b->C;
    d.sectors = b->S;
    d.fd_categories = b->K;
    d.country_codes = (const char *const *)b->country;
    d.sector_codes = (const char *const *)b->sector;
    d.fd_codes = b->K ? (const char *const *)b->fd : NULL;
    d.Z = b->Z;
    d.ldz = n;
    d.F = b->K ? b->F : NULL;
    d.ldf = n;
    d.x = b->x;
    d.name = name;
    wiot_log_fn log = ctx->log;
    ctx->log = NULL;
    wiot_table *t = NULL;
    int rc = wiot_table_new(ctx, &d, &t);
    ctx->log = log;
    if (rc) {
        wi_relocate(ctx, b, name);
        wi_build_free(ctx, b);
        return rc;
    }
    /* the table is named after the last component of the path; its extras follow the
     * name in the same block (released with it) */
    const size_t CK = b->C * b->K, w = n + CK;
    const char *units = b->units ? b->units : "millions of USD";
    size_t bytes = strlen(base) + 1, o_ext, o_ptr, o_txt, o_pv, o_qv;
    bytes = (bytes + 15) & ~(size_t)15;
    o_ext = bytes;
    bytes += (sizeof(struct wi_ext) + 15) & ~(size_t)15;
    o_ptr = bytes;
    bytes += (b->P + b->Q + 2) * sizeof(char *);
    o_txt = bytes;
    bytes += strlen(units) + 1 + strlen(b->source) + 1;
    for (size_t r = 0; r < b->P; r++)
        bytes += strlen(b->plabel[r]) + 1;
    for (size_t q = 0; q < b->Q; q++)
        bytes += strlen(b->qlabel[q]) + 1;
    bytes = (bytes + 15) & ~(size_t)15;
    o_pv = bytes;
    bytes += b->P * w * sizeof(double);
    o_qv = bytes;
    bytes += b->Q * n * sizeof(double);
    char *blk = wi_alloc(ctx, bytes);
    if (!blk) {
        wiot_table_free(t);
        wi_build_free(ctx, b);
        return WIOT_ENOMEM;
    }
    memset(blk, 0, o_pv);
    strcpy(blk, base);
    struct wi_ext *e = (struct wi_ext *)(void *)(blk + o_ext);
    char **ptr = (char **)(void *)(blk + o_ptr), *txt = blk + o_txt;
    e->units = txt;
    txt = stpcpy(txt, units) + 1;
    e->source = b->source[0] ? txt : NULL;
    txt = stpcpy(txt, b->source) + 1;
    e->format = b->format;
    e->P = b->P;
    e->plabel = ptr;
    e->Q = b->Q;
    e->qlabel = ptr + b->P + 1;
    for (size_t r = 0; r < b->P; r++) {
        e->plabel[r] = txt;
        txt = stpcpy(txt, b->plabel[r]) + 1;
    }
    for (size_t q = 0; q < b->Q; q++) {
        e->qlabel[q] = txt;
        txt = stpcpy(txt, b->qlabel[q]) + 1;
    }
    e->Pv = (double *)(void *)(blk + o_pv);
    e->Qv = (double *)(void *)(blk + o_qv);
    if (b->P)
        memcpy(e->Pv, b->Pv, b->P * w * sizeof(double));
    if (b->Q)
        memcpy(e->Qv, b->Qv, b->Q * n * sizeof(double));
    wi_hfree(&t->a, t->name);
    t->name = blk;
    t->ext = e;
    if (b->year)
        t->year = b->year;
    wi_build_free(ctx, b);
    if (e->Q && (rc = wi_recheck(ctx, t, name))) {
        wiot_table_free(t);
        return rc;
    }
    for (size_t i = 0; i < t->check.warnings; i++)
        wi_log(ctx, WIOT_LOG_WARN, "%s", t->warn[i]);
    *out = t;
    return WIOT_OK;
}

/* -------------------------------------------------------------- detection */
static const char *const wi_fmt_names[WIOT_NFORMAT] = {"auto",     "csv",      "wiot",  "icio",
                                                        "wiod2016", "exiobase", "eora26"};

const char *wiot_format_name(int format)
{
    return format >= 0 && format < WIOT_NFORMAT ? wi_fmt_names[format] : NULL;
}

int wiot_format_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int f = 0; f < WIOT_NFORMAT; f++)
        if (strcasecmp(name, wi_fmt_names[f]) == 0)
            return f;
    if (strcasecmp(name, "binary") == 0)
        return WIOT_FORMAT_BINARY;
    if (strcasecmp(name, "wiod") == 0)
        return WIOT_FORMAT_WIOD2016;
    if (strcasecmp(name, "eora") == 0)
        return WIOT_FORMAT_EORA26;
    if (strcasecmp(name, "exio") == 0 || strcasecmp(name, "exiobase3") == 0)
        return WIOT_FORMAT_EXIOBASE;
    if (strcasecmp(name, "oecd") == 0)
        return WIOT_FORMAT_ICIO;
    return -1;
}

static int wi_has_suffix(const char *s, const char *suf, int ci)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && (ci ? strcasecmp(s + a - b, suf) : strcmp(s + a - b, suf)) == 0;
}

static const char *wi_base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Eora26 data file names: Eora26_YYYY_bp_T.txt (or _pp_). */
static int wi_eora_T(const char *member)
{
    const char *b = wi_base(member);
    return strncmp(b, "Eora26_", 7) == 0 && wi_has_suffix(b, "_T.txt", 0);
}

static int wi_src_kind(const wi_src *s)
{
    int eora = 0, exio = 0;
    for (size_t i = 0; i < s->count; i++)
        if (wi_eora_T(s->names[i]))
            eora = 1;
    size_t z = wi_src_find(s, "Z.txt", 0), a = wi_src_find(s, "A.txt", 0), y = wi_src_find(s, "Y.txt", 0);
    exio = (z != (size_t)-1 || a != (size_t)-1) && y != (size_t)-1;
    if (eora)
        return WIOT_FORMAT_EORA26;
    if (exio)
        return WIOT_FORMAT_EXIOBASE;
    return WIOT_FORMAT_AUTO;
}

static int wi_text_kind(const char *s, size_t n, const char *name)
{
    if (n >= 8 && memcmp(s, "WIOT\0BIN", 8) == 0)
        return WIOT_FORMAT_BINARY;
    const char *t = s;
    if (n >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
        t += 3, n -= 3;
    if (n >= 15 && memcmp(t, "country,sector,", 15) == 0)
        return WIOT_FORMAT_WIOT_CSV;
    if (wi_looks_wiod2016(t, n))
        return WIOT_FORMAT_WIOD2016;
    if (wi_looks_icio(t, n))
        return WIOT_FORMAT_ICIO;
    if (n >= 7 && (memcmp(t, "region\t", 7) == 0 || memcmp(t, "sector\t", 7) == 0))
        return WIOT_FORMAT_EXIOBASE;
    if (name) {
        const char *b = wi_base(name);
        if (wi_eora_T(name) || (strncmp(b, "Eora26_", 7) == 0 && wi_has_suffix(b, ".txt", 0)) ||
            (strncmp(b, "labels_", 7) == 0 && wi_has_suffix(b, ".txt", 0)))
            return WIOT_FORMAT_EORA26;
    }
    return WIOT_FORMAT_AUTO;
}

/* A file that belongs to the layout (its directory is then read). */
static int wi_layout_member(const char *path, int kind)
{
    const char *b = wi_base(path);
    if (kind == WIOT_FORMAT_EORA26)
        return (strncmp(b, "Eora26_", 7) == 0 || strncmp(b, "labels_", 7) == 0) && wi_has_suffix(b, ".txt", 0);
    static const char *const exio[] = {"Z.txt", "A.txt", "Y.txt", "x.txt", "unit.txt", "file_parameters.json"};
    for (size_t i = 0; i < sizeof exio / sizeof *exio; i++)
        if (strcmp(b, exio[i]) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------------ loading */
static int wi_finish_reader(wiot_ctx *ctx, int rc, wi_build *b, const char *name, wiot_table **out)
{
    if (rc) {
        wi_build_free(ctx, b);
        return rc;
    }
    return wi_build_finish(ctx, b, name, out);
}

/* A text table (ICIO, WIOD 2016, wide CSV) from bytes in memory (taken over). */
static int wi_load_text(wiot_ctx *ctx, const char *name, char *buf, size_t len, int format,
                        wiot_table **out)
{
    wi_build b;
    memset(&b, 0, sizeof b);
    int rc;
    if (format == WIOT_FORMAT_AUTO) {
        format = wi_text_kind(buf, len < WI_PEEK ? len : WI_PEEK, name);
        if (format == WIOT_FORMAT_AUTO)
            format = WIOT_FORMAT_WIOT_CSV;
    }
    switch (format) {
    case WIOT_FORMAT_ICIO:
        rc = wi_read_icio(ctx, name, buf, len, &b);
        wi_free(ctx, buf);
        return wi_finish_reader(ctx, rc, &b, name, out);
    case WIOT_FORMAT_WIOD2016:
        rc = wi_read_wiod2016(ctx, name, buf, len, &b);
        wi_free(ctx, buf);
        return wi_finish_reader(ctx, rc, &b, name, out);
    case WIOT_FORMAT_WIOT_CSV:
    case WIOT_FORMAT_BINARY:
        if (format == WIOT_FORMAT_BINARY && !(len >= 8 && memcmp(buf, "WIOT\0BIN", 8) == 0)) {
            wi_free(ctx, buf);
            return wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "not a binary .wiot file (no WIOT magic)");
        }
        if (format == WIOT_FORMAT_WIOT_CSV && len >= 8 && memcmp(buf, "WIOT\0BIN", 8) == 0) {
            wi_free(ctx, buf);
            return wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "a binary .wiot file, not the CSV layout");
        }
        rc = wiot_table_load_buffer(ctx, buf, len, name, out);
        wi_free(ctx, buf);
        return rc;
    default:
        wi_free(ctx, buf);
        return wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "the %s layout is a directory or an archive of "
                       "several files, not one text file", wiot_format_name(format));
    }
}

/* Tables in a source (directory or archive). */
static int wi_load_src(wiot_ctx *ctx, wi_src *s, const char *name, int format, int depth,
                       wiot_table **out);

static int wi_list_members(const wi_src *s, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->count && k + 8 < size; i++) {
        int w = snprintf(buf + k, size - k, "%s%s", i ? ", " : "", s->names[i]);
        if (w < 0 || (size_t)w >= size - k) {
            snprintf(buf + k, size - k, ", ...");
            break;
        }
        k += (size_t)w;
    }
    return 0;
}

static int wi_table_member(const char *m)
{
    return wi_has_suffix(m, ".csv", 1) || wi_has_suffix(m, ".csv.gz", 1) || wi_has_suffix(m, ".wiot", 0);
}

static int wi_load_src(wiot_ctx *ctx, wi_src *s, const char *name, int format, int depth,
                       wiot_table **out)
{
    wi_build b;
    memset(&b, 0, sizeof b);
    int kind = wi_src_kind(s), rc;
    if (format == WIOT_FORMAT_EXIOBASE || format == WIOT_FORMAT_EORA26 ||
        (format == WIOT_FORMAT_AUTO && kind != WIOT_FORMAT_AUTO)) {
        int f = format == WIOT_FORMAT_AUTO ? kind : format;
        rc = f == WIOT_FORMAT_EXIOBASE ? wi_read_exiobase(ctx, s, name, &b) : wi_read_eora26(ctx, s, name, &b);
        return wi_finish_reader(ctx, rc, &b, name, out);
    }
    /* one table file, or one nested archive */
    size_t tab = (size_t)-1, zips = (size_t)-1, ntab = 0, nzip = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (wi_table_member(s->names[i])) {
            tab = i;
            ntab++;
        } else if (wi_has_suffix(s->names[i], ".zip", 1)) {
            zips = i;
            nzip++;
        }
    }
    char list[600];
    if (ntab == 1) {
        char *buf;
        size_t len;
        const char *shown;
        if ((rc = wi_src_read(ctx, s, tab, &buf, &len, &shown)))
            return rc;
        char *nm = wi_strdup(ctx, shown);
        if (!nm) {
            wi_free(ctx, buf);
            return WIOT_ENOMEM;
        }
        rc = wi_load_text(ctx, nm, buf, len, format, out);
        wi_free(ctx, nm);
        return rc;
    }
    if (ntab == 0 && nzip == 1 && depth < 3) {
        wi_src *in;
        if ((rc = wi_src_open_member(ctx, s, zips, &in)))
            return rc;
        rc = wi_load_src(ctx, in, in->path, format, depth + 1, out);
        wi_src_close(in);
        return rc;
    }
    wi_list_members(s, list, sizeof list);
    if (ntab + nzip > 1)
        return wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "holds %zu tables (%s); name one as '%s:MEMBER'",
                       ntab + nzip, list, name);
    return wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "holds no table I can read (%s%s)",
                   s->count ? "members: " : "empty", list);
}

/* "ARCHIVE:MEMBER" when path itself does not exist. */
static int wi_split_member(const char *path, char *arch, size_t size, const char **member)
{
    if (wi_is_file(path) || wi_is_dir(path))
        return 0;
    const char *c = strrchr(path, ':');
    while (c) {
        size_t l = (size_t)(c - path);
        if (l < size) {
            memcpy(arch, path, l);
            arch[l] = '\0';
            if (wi_is_file(arch)) {
                *member = c + 1;
                return 1;
            }
        }
        const char *p = c;
        c = NULL;
        for (const char *q = path; q < p; q++)
            if (*q == ':')
                c = q;
    }
    return 0;
}

static int wi_load_path(wiot_ctx *ctx, const char *path, int format, wiot_table **out)
{
    int rc;
    char arch[4096];
    const char *member = NULL;
    if (wi_split_member(path, arch, sizeof arch, &member)) {
        wi_src *s;
        if ((rc = wi_src_open(ctx, arch, &s)))
            return rc;
        size_t i = wi_src_find(s, member, 0);
        if (i == (size_t)-1) {
            char list[600];
            wi_list_members(s, list, sizeof list);
            rc = wi_fmsg(ctx, WIOT_ENOTFOUND, arch, 0, "no member '%s' (members: %s)", member, list);
        } else if (wi_has_suffix(s->names[i], ".zip", 1)) {
            wi_src *in;
            if (!(rc = wi_src_open_member(ctx, s, i, &in))) {
                rc = wi_load_src(ctx, in, in->path, format, 1, out);
                wi_src_close(in);
            }
        } else {
            char *buf;
            size_t len;
            const char *shown;
            if (!(rc = wi_src_read(ctx, s, i, &buf, &len, &shown))) {
                char *nm = wi_strdup(ctx, shown);
                if (!nm) {
                    wi_free(ctx, buf);
                    rc = WIOT_ENOMEM;
                } else {
                    rc = wi_load_text(ctx, nm, buf, len, format, out);
                    wi_free(ctx, nm);
                }
            }
        }
        wi_src_close(s);
        return rc;
    }
    if (wi_is_dir(path)) {
        wi_src *s;
        if ((rc = wi_src_open(ctx, path, &s)))
            return rc;
        if (format == WIOT_FORMAT_AUTO && wi_src_kind(s) == WIOT_FORMAT_AUTO) {
            /* no provider's files: the wide CSV loader says what is wrong */
            wi_src_close(s);
            ctx->in_formats = 1;
            rc = wiot_table_load(ctx, path, out);
            ctx->in_formats = 0;
            return rc;
        }
        rc = wi_load_src(ctx, s, path, format, 0, out);
        wi_src_close(s);
        return rc;
    }
    char *peek;
    size_t pn = 0;
    if ((rc = wi_peek(ctx, path, &peek, &pn)))
        return rc;
    int zip = pn >= 4 && memcmp(peek, "PK\003\004", 4) == 0;
    int kind = format == WIOT_FORMAT_AUTO ? wi_text_kind(peek, pn, path) : format;
    int magic = pn >= 8 && memcmp(peek, "WIOT\0BIN", 8) == 0;
    wi_free(ctx, peek);
    if (zip) {
        wi_src *s;
        if ((rc = wi_src_open(ctx, path, &s)))
            return rc;
        rc = wi_load_src(ctx, s, path, format, 0, out);
        wi_src_close(s);
        return rc;
    }
    if ((kind == WIOT_FORMAT_EXIOBASE || kind == WIOT_FORMAT_EORA26) && !wi_layout_member(path, kind))
        return wi_fmsg(ctx, WIOT_EFORMAT, path, 0, "the %s layout is a directory or an archive of several "
                       "files, not one text file", wiot_format_name(kind));
    if (kind == WIOT_FORMAT_EXIOBASE || kind == WIOT_FORMAT_EORA26) {
        /* a file of the layout: read its directory */
        char dir[4096];
        const char *sl = strrchr(path, '/');
        if (sl)
            snprintf(dir, sizeof dir, "%.*s", (int)(sl - path), path);
        else
            snprintf(dir, sizeof dir, ".");
        wi_src *s;
        if ((rc = wi_src_open(ctx, dir, &s)))
            return rc;
        rc = wi_load_src(ctx, s, dir, kind, 0, out);
        wi_src_close(s);
        return rc;
    }
    if (kind == WIOT_FORMAT_AUTO || kind == WIOT_FORMAT_WIOT_CSV || kind == WIOT_FORMAT_BINARY) {
        if (kind == WIOT_FORMAT_BINARY && !magic)
            return wi_fmsg(ctx, WIOT_EFORMAT, path, 0, "not a binary .wiot file (no WIOT magic)");
        if (kind == WIOT_FORMAT_WIOT_CSV && magic)
            return wi_fmsg(ctx, WIOT_EFORMAT, path, 0, "a binary .wiot file, not the CSV layout");
        ctx->in_formats = 1;
        rc = wiot_table_load(ctx, path, out);
        ctx->in_formats = 0;
        return rc;
    }
    char *buf;
    size_t len;
    if ((rc = wi_read_path(ctx, path, 1, &buf, &len)))
        return rc;
    return wi_load_text(ctx, path, buf, len, kind, out);
}

int wiot_table_load_format(wiot_ctx *ctx, const char *path, int format, wiot_table **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!path || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_load_format: %s is NULL", path ? "out" : "path");
    if (format < 0 || format >= WIOT_NFORMAT)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_load_format: unknown format %d", format);
    return wi_load_path(ctx, path, format, out);
}

int wi_format_hook(wiot_ctx *ctx, const char *path, wiot_table **out, int *handled)
{
    *handled = 0;
    if (ctx->in_formats)
        return WIOT_OK;
    char arch[4096];
    const char *member;
    if (wi_is_dir(path)) {
        /* a directory of a provider's files; any other is the loader's error */
        wi_src *s;
        int rc = wi_src_open(ctx, path, &s);
        if (rc == WIOT_ENOMEM) {
            *handled = 1;
            return rc;
        }
        int kind = rc ? WIOT_FORMAT_AUTO : wi_src_kind(s);
        wi_src_close(rc ? NULL : s);
        wi_clear(ctx);
        if (kind == WIOT_FORMAT_AUTO)
            return WIOT_OK;
        *handled = 1;
        return wi_load_path(ctx, path, kind, out);
    }
    if (wi_split_member(path, arch, sizeof arch, &member)) {
        *handled = 1;
        return wi_load_path(ctx, path, WIOT_FORMAT_AUTO, out);
    }
    /* Only a regular file is sniffed: peeking at a pipe or FIFO would consume bytes
     * the loader then never sees (and could block); the loader reads those whole. */
    struct stat pst;
    if (stat(path, &pst) != 0 || !S_ISREG(pst.st_mode))
        return WIOT_OK;
    char *peek;
    size_t pn = 0;
    int rc = wi_peek(ctx, path, &peek, &pn);
    if (rc == WIOT_ENOMEM) {
        *handled = 1;
        return rc;
    }
    if (rc != WIOT_OK) {
        wi_clear(ctx);
        return WIOT_OK;   /* the loader reports it */
    }
    int zip = pn >= 4 && memcmp(peek, "PK\003\004", 4) == 0;
    int kind = wi_text_kind(peek, pn, path);
    wi_free(ctx, peek);
    if (!zip && (kind == WIOT_FORMAT_AUTO || kind == WIOT_FORMAT_WIOT_CSV || kind == WIOT_FORMAT_BINARY))
        return WIOT_OK;
    *handled = 1;
    return wi_load_path(ctx, path, WIOT_FORMAT_AUTO, out);
}

int wiot_format_detect(wiot_ctx *ctx, const char *path, int *format)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!path || !format)
        return wi_error(ctx, WIOT_EINVAL, "wiot_format_detect: NULL argument");
    char arch[4096];
    const char *member = NULL;
    int rc;
    if (wi_is_dir(path)) {
        wi_src *s;
        if ((rc = wi_src_open(ctx, path, &s)))
            return rc;
        int k = wi_src_kind(s);
        wi_src_close(s);
        if (k == WIOT_FORMAT_AUTO)
            return wi_fmsg(ctx, WIOT_EFORMAT, path, 0, "a directory holding no EXIOBASE or Eora26 table");
        *format = k;
        return WIOT_OK;
    }
    if (!wi_split_member(path, arch, sizeof arch, &member)) {
        char *peek;
        size_t pn = 0;
        if ((rc = wi_peek(ctx, path, &peek, &pn)))
            return rc;
        int zip = pn >= 4 && memcmp(peek, "PK\003\004", 4) == 0, k = wi_text_kind(peek, pn, path);
        wi_free(ctx, peek);
        if (!zip) {
            *format = k == WIOT_FORMAT_AUTO ? WIOT_FORMAT_WIOT_CSV : k;
            return WIOT_OK;
        }
        snprintf(arch, sizeof arch, "%s", path);
        member = NULL;
    }
    /* an archive: its layout, or the layout of its one table (nested zips followed) */
    wi_src *s;
    if ((rc = wi_src_open(ctx, arch, &s)))
        return rc;
    size_t i = member ? wi_src_find(s, member, 0) : (size_t)-1;
    if (member && i == (size_t)-1) {
        wi_src_close(s);
        return wi_fmsg(ctx, WIOT_ENOTFOUND, arch, 0, "no member '%s'", member);
    }
    for (int depth = 0; depth < 4; depth++) {
        if (i == (size_t)-1) {
            int k = wi_src_kind(s);
            if (k != WIOT_FORMAT_AUTO) {
                *format = k;
                wi_src_close(s);
                return WIOT_OK;
            }
            size_t ntab = 0, nzip = 0, tab = 0, zp = 0;
            for (size_t q = 0; q < s->count; q++) {
                if (wi_table_member(s->names[q]))
                    ntab++, tab = q;
                else if (wi_has_suffix(s->names[q], ".zip", 1))
                    nzip++, zp = q;
            }
            if (ntab == 1)
                i = tab;
            else if (ntab == 0 && nzip == 1)
                i = zp;
            else {
                if (ntab + nzip)
                    rc = wi_fmsg(ctx, WIOT_EFORMAT, s->path, 0, "holds %zu tables; name one as "
                                 "'%s:MEMBER'", ntab + nzip, s->path);
                else
                    rc = wi_fmsg(ctx, WIOT_EFORMAT, s->path, 0, "holds no table I can read");
                wi_src_close(s);
                return rc;
            }
        }
        if (wi_has_suffix(s->names[i], ".zip", 1)) {
            wi_src *in;
            rc = wi_src_open_member(ctx, s, i, &in);
            wi_src_close(s);
            if (rc)
                return rc;
            s = in;
            i = (size_t)-1;
            continue;
        }
        char *buf;
        size_t len;
        const char *shown;
        rc = wi_src_read(ctx, s, i, &buf, &len, &shown);
        if (!rc) {
            int k = wi_text_kind(buf, len < WI_PEEK ? len : WI_PEEK, s->names[i]);
            *format = k == WIOT_FORMAT_AUTO ? WIOT_FORMAT_WIOT_CSV : k;
            wi_free(ctx, buf);
        }
        wi_src_close(s);
        return rc;
    }
    wi_src_close(s);
    return wi_fmsg(ctx, WIOT_EFORMAT, path, 0, "archives nested too deeply");
}
