/* io.c -- the library's one way to read and write files: bounded whole-file reading
 * (regular files, pipes, devices), gzip inflation (several members allowed), and the
 * atomic writer ("temporary file beside the target, then rename") used by every
 * output of the library and the CLI.
 *
 * Bounds. Every reader grows its buffer by doubling; before each growth the caller's
 * policy (wi_limit.check) may stop the read or refuse the input, and the context's
 * memory cap (WIOT_OPT_MAX_MEMORY, else the memory available) always applies, so an
 * endless device or a gzip bomb costs at most the cap (in practice far less: the
 * table reader's policy stops at the size a table of the header's width can have).
 *
 * Outputs. The rule for an existing target (README "Guarantees"):
 *  - a regular file, or no file: written to "<path>.wiot-tmp-XXXXXX" in the same
 *    directory, flushed, fsync'ed and renamed over the target, so readers see the old
 *    file or the new one, never a part; on failure the temporary is removed;
 *  - a symbolic link is followed: the file it points to is replaced the same way and
 *    the link is kept (a dangling link is refused);
 *  - a FIFO or a character device (/dev/stdout, a terminal) is written in place;
 *  - a block device or a socket is refused, and a directory is never replaced (the
 *    rename fails).
 * New files get mode 0666 & ~umask (the kernel applies the umask at open); a replaced
 * file keeps its mode. A temporary left by a killed process is recognisable by its
 * name ("*.wiot-tmp-*") and safe to delete. */
#define _GNU_SOURCE
#include "common/common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define WI_IO_CHUNK ((size_t)1 << 20)  /* read granularity */

/* ------------------------------------------------------------------ growth */
int wi_bound_check(wiot_ctx *ctx, const char *name, const char *kind, const wi_limit *lim,
                   size_t len)
{
    char b1[32];
    if (!lim || !lim->bound || len <= lim->bound)
        return WIOT_OK;
    return wi_fmsg(ctx, WIOT_ETOOLARGE, name, 0, "%s is longer than %s, the most %s may have",
                   kind, wi_bytes_str(b1, sizeof b1, (double)lim->bound),
                   lim->bound_what ? lim->bound_what : "this input");
}

int wi_grow(wiot_ctx *ctx, const char *name, const char *kind, const wi_limit *lim, char **buf,
            size_t len, size_t *cap)
{
    char b1[64], b2[32];
    int brc = wi_bound_check(ctx, name, kind, lim, len);
    if (brc)
        return brc;
    if (lim && lim->check) {
        int rc = lim->check(lim->ud, ctx, name, kind, *buf, len);
        if (rc)
            return rc;
    }
    if (lim && lim->max && len >= lim->max)
        return WI_STOP;
    /* the new block is allocated while the old one is live: room counts both */
    size_t room = wi_mem_room(ctx), limit = wi_mem_cap(ctx);
    if (room <= *cap + 2) {
        char b3[32];
        wi_bytes_str(b1, sizeof b1, (double)*cap);
        wi_bytes_str(b2, sizeof b2, (double)limit);
        wi_bytes_str(b3, sizeof b3, (double)wi_mem_live(ctx));
        if (ctx->max_memory && ctx->max_memory <= ctx->mem_avail)
            return wi_fmsg(ctx, WIOT_ENOMEM, name, 0, "%s needs more than %s but the memory "
                           "limit is %s, %s of it in use", kind, b1, b2, b3);
        return wi_fmsg(ctx, WIOT_ENOMEM, name, 0, "%s needs more than %s but only %s of memory "
                       "is available, %s of it in use", kind, b1, b2, b3);
    }
    if (*cap > SIZE_MAX / 2)
        return wi_error(ctx, WIOT_ETOOLARGE, "input larger than %zu bytes", *cap);
    size_t nc = *cap * 2 < room - 1 ? *cap * 2 : room - 1;
    if (lim && lim->max && nc > lim->max + 1)
        nc = lim->max + 1;
    if (lim && lim->bound && nc >= lim->bound)
        nc = lim->bound + 1;   /* straight to one past the bound, not a last 1-byte growth */
    char *nb = wi_alloc(ctx, nc + 1);   /* + 1: room for the terminating NUL */
    if (!nb)
        return WIOT_ENOMEM;
    memcpy(nb, *buf, len);
    wi_free(ctx, *buf);
    *buf = nb;
    *cap = nc;
    return WIOT_OK;
}

/* ------------------------------------------------------------------- gzip */
static voidpf wi_zalloc(voidpf opaque, uInt items, uInt size)
{
    size_t total;
    if (wi_mul(opaque, items, size, &total))
        return Z_NULL;
    return wi_alloc(opaque, total);
}

static void wi_zfree(voidpf opaque, voidpf p) { wi_free(opaque, p); }

int wi_is_gzip(const void *p, size_t n)
{
    const unsigned char *b = p;
    return n >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

int wi_gunzip(wiot_ctx *ctx, const char *name, const unsigned char *in, size_t inlen,
              const wi_limit *lim, char **out, size_t *outlen)
{
    /* The trailer's ISIZE (size mod 2^32) is only a hint; deflate expands <= 1032:1. */
    size_t cap = inlen < ((size_t)1 << 16) ? ((size_t)1 << 16) : inlen * 4;
    if (inlen >= 18) {
        const unsigned char *e = in + inlen - 4;
        size_t hint = (size_t)e[0] | (size_t)e[1] << 8 | (size_t)e[2] << 16 | (size_t)e[3] << 24;
        if (hint > 0 && hint / 1032 <= inlen)
            cap = hint + 1;
    }
    if (cap > WI_FIRST_MAX)
        cap = WI_FIRST_MAX;      /* a bomb's ISIZE is honest too: grow through wi_grow's checks */
    if (lim && lim->max && cap > lim->max + 1)
        cap = lim->max + 1;
    if (lim && lim->bound && cap > lim->bound + 1)
        cap = lim->bound + 1;   /* one byte more than the bound shows it is exceeded */
    if (cap + 1 > wi_mem_room(ctx))
        cap = wi_mem_room(ctx) > 2 ? wi_mem_room(ctx) - 2 : 1;   /* wi_grow reports the limit */
    char *buf = wi_alloc(ctx, cap + 1);
    if (!buf)
        return WIOT_ENOMEM;
    z_stream z;
    memset(&z, 0, sizeof z);
    z.zalloc = wi_zalloc;
    z.zfree = wi_zfree;
    z.opaque = ctx;
    int zr = inflateInit2(&z, 15 + 32);
    if (zr != Z_OK) {
        wi_free(ctx, buf);
        if (zr == Z_MEM_ERROR)
            return wi_fmsg(ctx, WIOT_ENOMEM, name, 0, "out of memory starting zlib");
        return wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "zlib error %d", zr);
    }
    size_t pos = 0, len = 0;
    int rc = WIOT_OK;
    for (;;) {
        if (len == cap && (rc = wi_grow(ctx, name, "the inflated text", lim, &buf, len, &cap)))
            break;
        size_t ai = inlen - pos < UINT_MAX ? inlen - pos : UINT_MAX;
        size_t ao = cap - len < UINT_MAX ? cap - len : UINT_MAX;
        z.next_in = (Bytef *)(uintptr_t)(in + pos);
        z.avail_in = (uInt)ai;
        z.next_out = (Bytef *)(buf + len);
        z.avail_out = (uInt)ao;
        zr = inflate(&z, Z_NO_FLUSH);
        pos += ai - z.avail_in;
        len += ao - z.avail_out;
        if (zr == Z_STREAM_END) {
            if (pos == inlen)
                break;
            if (inlen - pos >= 2 && in[pos] == 0x1f && in[pos + 1] == 0x8b) {
                inflateReset(&z);   /* the next member of a concatenation */
                continue;
            }
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "%zu bytes of trailing garbage after the "
                         "gzip stream", inlen - pos);
            break;
        }
        if (zr == Z_OK)
            continue;
        if (zr == Z_BUF_ERROR && pos < inlen && len == cap)
            continue;
        if (lim && lim->max && zr != Z_MEM_ERROR)
            break;   /* a prefix was asked for: what came out is it */
        if (zr == Z_BUF_ERROR)
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 0,
                         "truncated gzip stream (it ends after %zu bytes of text)", len);
        else if (zr == Z_MEM_ERROR)
            rc = wi_fmsg(ctx, WIOT_ENOMEM, name, 0, "out of memory in zlib");
        else
            rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 0, "corrupt gzip stream: %s",
                         z.msg ? z.msg : "invalid data");
        break;
    }
    inflateEnd(&z);
    if (rc == WI_STOP)
        rc = WIOT_OK;   /* the policy stopped: what was inflated is the text */
    if (!rc)
        rc = wi_bound_check(ctx, name, "the inflated text", lim, len);
    if (rc) {
        wi_free(ctx, buf);
        return rc;
    }
    if (lim && lim->max && len > lim->max)
        len = lim->max;
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return WIOT_OK;
}

/* ---------------------------------------------------------------- reading */
int wi_read_fd(wiot_ctx *ctx, const char *path, int fd, const struct stat *st, const wi_limit *lim,
               char **out, size_t *outlen)
{
    char eb[128];
    size_t cap = WI_IO_CHUNK;
    if (st && S_ISREG(st->st_mode) && st->st_size >= 0 &&
        (unsigned long long)st->st_size < SIZE_MAX - 2)
        cap = (size_t)st->st_size + 1;   /* + 1: EOF is seen without growing */
    if (lim && lim->max && cap > lim->max)
        cap = lim->max;
    if (lim && lim->bound && st && S_ISREG(st->st_mode) && st->st_size >= 0 &&
        (unsigned long long)st->st_size > lim->bound) {
        close(fd);   /* a regular file's size is known: refused before reading */
        return wi_bound_check(ctx, path, "the file", lim, (size_t)st->st_size);
    }
    if (lim && lim->bound && cap > lim->bound + 1)
        cap = lim->bound + 1;
    if (cap < 4096)
        cap = 4096;
    if (cap + 1 > wi_mem_room(ctx)) {
        /* a regular file larger than the budget is refused before reading, naming it;
         * a device or pipe starts smaller and wi_grow reports the limit */
        char b1[32], b2[32];
        if (!(st && S_ISREG(st->st_mode)) && wi_mem_room(ctx) > 2)
            cap = wi_mem_room(ctx) - 2;
        else {
            close(fd);
            wi_bytes_str(b1, sizeof b1, (double)cap);
            wi_bytes_str(b2, sizeof b2, (double)wi_mem_cap(ctx));
            if (ctx->max_memory && ctx->max_memory <= ctx->mem_avail)
                return wi_fmsg(ctx, WIOT_ENOMEM, path, 0, "the file needs %s but the memory "
                               "limit is %s", b1, b2);
            return wi_fmsg(ctx, WIOT_ENOMEM, path, 0, "the file needs %s but only %s of memory "
                           "is available", b1, b2);
        }
    }
    char *buf = wi_alloc(ctx, cap + 1);
    if (!buf) {
        close(fd);
        return WIOT_ENOMEM;
    }
    size_t len = 0;
    int rc = WIOT_OK;
    for (;;) {
        if (len == cap && (rc = wi_grow(ctx, path, "the file", lim, &buf, len, &cap)))
            break;
        if (lim && lim->max && len >= lim->max)
            break;
        size_t want = cap - len < WI_IO_CHUNK * 64 ? cap - len : WI_IO_CHUNK * 64;
        ssize_t r = read(fd, buf + len, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = wi_fmsg(ctx, WIOT_EIO, path, 0, "read error: %s", strerror_r(errno, eb, sizeof eb));
            break;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (rc == WI_STOP)
        rc = WIOT_OK;   /* the policy stopped: what was read shows what it is */
    if (!rc)
        rc = wi_bound_check(ctx, path, "the file", lim, len);
    if (rc) {
        wi_free(ctx, buf);
        return rc;
    }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return WIOT_OK;
}

int wi_read_file(wiot_ctx *ctx, const char *path, int gz, const wi_limit *lim, char **out,
                 size_t *outlen)
{
    char eb[128];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wi_fmsg(ctx, WIOT_EIO, path, 0, "cannot open: %s", strerror_r(errno, eb, sizeof eb));
    struct stat st;
    int have_st = fstat(fd, &st) == 0;
    if (have_st && S_ISDIR(st.st_mode)) {
        close(fd);
        return wi_fmsg(ctx, WIOT_EIO, path, 0, "is a directory");
    }
    char *buf = NULL;
    size_t len = 0;
    int rc = wi_read_fd(ctx, path, fd, have_st ? &st : NULL, lim, &buf, &len);
    if (rc)
        return rc;
    if (gz && (rc = wi_inflate_if_gzip(ctx, path, lim, &buf, &len)))
        return rc;
    *out = buf;
    *outlen = len;
    return WIOT_OK;
}

int wi_inflate_if_gzip(wiot_ctx *ctx, const char *name, const wi_limit *lim, char **buf, size_t *len)
{
    if (!wi_is_gzip(*buf, *len))
        return WIOT_OK;
    char *z;
    size_t zl;
    int rc = wi_gunzip(ctx, name, (const unsigned char *)*buf, *len, lim, &z, &zl);
    wi_free(ctx, *buf);
    *buf = NULL;
    if (rc)
        return rc;
    *buf = z;
    *len = zl;
    return WIOT_OK;
}

/* --------------------------------------------------------------- writing */
int wi_out_open(wiot_ctx *ctx, const char *path, wi_out *o)
{
    char eb[128];
    memset(o, 0, sizeof *o);
    o->fd = -1;
    if (!path || !*path)
        return wi_error(ctx, WIOT_EINVAL, "empty output path");
    size_t plen = strlen(path);
    if (plen + sizeof ".wiot-tmp-XXXXXX" > sizeof o->path)
        return wi_fmsg(ctx, WIOT_EINVAL, path, 0, "path too long");
    memcpy(o->path, path, plen + 1);
    struct stat lst, st;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        /* follow the link: the file it names is replaced, the link stays */
        char *real = realpath(path, NULL);
        if (!real)
            return wi_fmsg(ctx, WIOT_EIO, path, 0, "a symbolic link whose target cannot be "
                           "written: %s", strerror_r(errno, eb, sizeof eb));
        size_t rl = strlen(real);
        if (rl + sizeof ".wiot-tmp-XXXXXX" > sizeof o->path) {
            free(real);
            return wi_fmsg(ctx, WIOT_EINVAL, path, 0, "path too long");
        }
        memcpy(o->path, real, rl + 1);
        free(real);
    }
    mode_t keep = 0;
    int exists = stat(o->path, &st) == 0;
    if (exists && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
        /* a pipe or a terminal-like device: written in place, nothing to rename */
        o->fd = open(o->path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (o->fd < 0)
            return wi_fmsg(ctx, WIOT_EIO, path, 0, "cannot open for writing: %s",
                           strerror_r(errno, eb, sizeof eb));
        o->direct = 1;
        return WIOT_OK;
    }
    if (exists && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return wi_fmsg(ctx, WIOT_EIO, path, 0, "exists and is not a regular file (%s); refusing "
                       "to replace it", S_ISBLK(st.st_mode) ? "a block device" : "a socket or "
                       "other special file");
    /* a directory: the rename below fails (EISDIR) and nothing is replaced */
    if (exists && S_ISREG(st.st_mode))
        keep = st.st_mode & 07777;
    /* a unique name beside the target; O_EXCL, mode 0666 & ~umask */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
                    ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)o;
    static const char al[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    size_t base = strlen(o->path);
    for (int attempt = 0; attempt < 100; attempt++) {
        memcpy(o->tmp, o->path, base);
        memcpy(o->tmp + base, ".wiot-tmp-", 10);
        for (int k = 0; k < 6; k++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            o->tmp[base + 10 + k] = al[(seed >> 33) % (sizeof al - 1)];
        }
        o->tmp[base + 16] = '\0';
        o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (o->fd >= 0 || errno != EEXIST)
            break;
    }
    if (o->fd < 0) {
        o->tmp[0] = '\0';
        return wi_fmsg(ctx, WIOT_EIO, path, 0, "cannot create a temporary file: %s",
                       strerror_r(errno, eb, sizeof eb));
    }
    if (exists)
        (void)fchmod(o->fd, keep);
    return WIOT_OK;
}

int wi_out_write(wi_out *o, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t r = write(o->fd, p, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? errno : EIO;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

void wi_out_abort(wi_out *o)
{
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    if (!o->direct && o->tmp[0])
        unlink(o->tmp);
    o->tmp[0] = '\0';
}

int wi_out_commit(wiot_ctx *ctx, wi_out *o, int err)
{
    char eb[128];
    const char *what = "write error";
    if (!err && !o->direct && fsync(o->fd) != 0)
        err = errno;
    if (o->fd >= 0 && close(o->fd) != 0 && !err)
        err = errno;
    o->fd = -1;
    if (!err && !o->direct && rename(o->tmp, o->path) != 0) {
        err = errno;
        what = "cannot rename the temporary file into place";
    }
    if (err) {
        if (!o->direct)
            unlink(o->tmp);
        o->tmp[0] = '\0';
        return wi_fmsg(ctx, WIOT_EIO, o->path, 0, "%s: %s", what,
                       err > 0 ? strerror_r(err, eb, sizeof eb) : "zlib error");
    }
    o->tmp[0] = '\0';
    return WIOT_OK;
}
