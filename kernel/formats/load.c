/* load.c -- wiot_table_load and wiot_table_load_format: the one dispatcher of the
 * library's loaders. It looks at a path once -- a directory, "ARCHIVE.zip:MEMBER", a zip,
 * or the head of a regular file -- decides the layout, and hands the path or the bytes to
 * the right reader: the native CSV/.wiot loader of the table layer (table/csv.c) or a
 * provider reader (read_*.c). Nothing calls back into it.
 *
 * (Formerly formats.c: format detection, byte sources
 * (files, directories, zip archives through minizip, a zip inside a zip), delimited
 * text, numbers, labels, and the common back end of every reader (wi_build_finish:
 * wiot_table_new, then the units, source, primary-input rows and other uses).
 *
 * Readers: read_icio.c (OECD ICIO), read_wiod.c (WIOD 2016), read_exio.c (EXIOBASE 3),
 * read_eora.c (Eora26). Layouts: kernel/formats/LAYOUTS.md; what each reader accepts and
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
#include "formats/formats.h"

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

#define WI_DIR_DEPTH 3                /* levels of a directory source listed */
#define WI_WARN_SLOTS 4               /* table.c's room for warnings */
#define WI_SPLIT_MAX 16

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
            rc = wi_table_load_native(ctx, path, out);
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
        rc = wi_table_load_native(ctx, path, out);
        return rc;
    }
    char *buf;
    size_t len;
    if ((rc = wi_read_file(ctx, path, 1, NULL, &buf, &len)))
        return rc;
    return wi_load_text(ctx, path, buf, len, kind, out);
}

static int wi_body_table_load_format(wiot_ctx *ctx, const char *path, int format, wiot_table **out)
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

/* wiot_table_load_format: the body above, with the input named for memory refusals (ctx->input) */
int wiot_table_load_format(wiot_ctx *ctx, const char *path, int format, wiot_table **out)
{
    if (!ctx)
        return wi_body_table_load_format(ctx, path, format, out);
    const char *prev = ctx->input;
    ctx->input = path;
    int rc = wi_body_table_load_format(ctx, path, format, out);
    ctx->input = prev;
    return rc;
}

/* Which loader a path goes to: a provider layout, a directory or an archive is
 * loaded here (*handled = 1); anything else is left to the native loader. */
static int wi_dispatch(wiot_ctx *ctx, const char *path, wiot_table **out, int *handled)
{
    *handled = 0;
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

static int wi_body_table_load(wiot_ctx *ctx, const char *path, wiot_table **out)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!path || !out)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_load: %s is NULL", path ? "out" : "path");
    int handled, rc = wi_dispatch(ctx, path, out, &handled);
    if (handled)
        return rc;   /* a provider layout, a directory or an archive */
    return wi_table_load_native(ctx, path, out);
}

/* wiot_table_load: the body above, with the input named for memory refusals (ctx->input) */
int wiot_table_load(wiot_ctx *ctx, const char *path, wiot_table **out)
{
    if (!ctx)
        return wi_body_table_load(ctx, path, out);
    const char *prev = ctx->input;
    ctx->input = path;
    int rc = wi_body_table_load(ctx, path, out);
    ctx->input = prev;
    return rc;
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
