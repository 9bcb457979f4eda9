/* source.c -- byte sources of provider layouts: a file, a directory (members listed
 * to a depth of WI_DIR_DEPTH), a zip archive through minizip (on disk or in memory, so
 * a zip inside a zip works), reading a member (gzip members inflated), and the
 * detection peek at a file's head. Memory: one member at a time; minizip allocates its
 * own small buffers with malloc. */
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
#define WI_DEFLATE_RATIO 1032   /* deflate's largest expansion */


/* ------------------------------------------------------------- sources */

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

int wi_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int wi_is_file(const char *path)
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

/* The growth policy of a gzip stream inside a source: the table policy when the text
 * is a wide table, else only the memory budget (never a stop: provider text is read whole). */
static int wi_member_policy(void *ud, wiot_ctx *ctx, const char *name, const char *kind,
                            const char *b, size_t len)
{
    static const char pre[] = "country,sector,";
    if (len >= sizeof pre - 1 && memcmp(b, pre, sizeof pre - 1) == 0)
        return wi_table_policy(ud, ctx, name, kind, b, len);
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
        if ((rc = wi_read_file(ctx, full, 0, NULL, &buf, &len)))
            return rc;
    } else {
        ZPOS64_T size = s->zsize[i];
        if (size >= SIZE_MAX - 1)
            return wi_fmsg(ctx, WIOT_ETOOLARGE, s->shown, 0, "member too large");
        /* Before allocating or inflating: the declared size must be one deflate can
         * produce from the compressed bytes (at most 1032:1; a stored member is its own
         * size) and fit the memory budget. Reading stops at the declared size. */
        unz_file_info64 fi;
        if (unzGoToFilePos64(s->uf, &s->zpos[i]) != UNZ_OK ||
            unzGetCurrentFileInfo64(s->uf, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
            return wi_fmsg(ctx, WIOT_EFORMAT, s->shown, 0, "corrupt zip archive (local header)");
        if (fi.compression_method == 0 ? size > fi.compressed_size
                                       : size / WI_DEFLATE_RATIO > fi.compressed_size + 1)
            return wi_fmsg(ctx, WIOT_EFORMAT, s->shown, 0, "declares %llu bytes uncompressed from "
                           "%llu compressed, more than %s can produce: a corrupt archive",
                           (unsigned long long)size, (unsigned long long)fi.compressed_size,
                           fi.compression_method == 0 ? "a stored member" : "deflate (1032:1)");
        if ((rc = wi_budget(ctx, (size_t)size + 1, s->shown, "its declared uncompressed size")))
            return rc;
        if (unzOpenCurrentFile(s->uf) != UNZ_OK)
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
    /* a gzip member: inflated under the memory budget, and, when it is a wide table, no
     * longer than a table of its line 1's width can be (table/csv.c) */
    static const wi_limit lim = {wi_member_policy, NULL, 0, 0, NULL};
    if ((rc = wi_inflate_if_gzip(ctx, s->shown, &lim, &buf, &len)))
        return rc;
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

/* The first WI_PEEK bytes of a file (gzip: of its text) in a new block. */
int wi_peek(wiot_ctx *ctx, const char *path, char **out, size_t *len)
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
        wi_limit lim = {NULL, NULL, WI_PEEK, 0, NULL};
        int rc = wi_gunzip(ctx, path, (const unsigned char *)buf, n, &lim, &z, &zl);
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

