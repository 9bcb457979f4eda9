/* binary.c -- the binary .wiot layout: checksummed, mapped in place, loaded in
 * milliseconds (layout below); reading and writing. */
#define _GNU_SOURCE
#include "table/table.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* ------------------------------------------------------- binary (.wiot) */
/* The .wiot layout (version 1). Integers are unsigned, in the writer's byte order
 * (marked by the byte-order field; this library reads only its own order, i.e.
 * little-endian on every machine it is built for), doubles are IEEE 754 binary64 in
 * the same order.
 *
 *   offset  bytes  field
 *        0      8  magic "WIOT\0BIN"
 *        8      4  format version (1)
 *       12      4  byte-order mark 0x01020304
 *       16      8  header size H (4096: the first section starts on a page)
 *       24      8  file size in bytes
 *       32     32  C, S, K, n = C*S
 *       64      8  flags (0; other values are refused)
 *       72     80  five sections, each (offset, length) in bytes from the file's start:
 *                  labels, Z (n x n), F (n x C*K), x (n), v (n)
 *      152      8  data checksum: XXH64, seed 0, of bytes [168, file size)
 *      160      8  header checksum: XXH64, seed 0, of bytes [0, 160)
 *      168         zeros up to H
 *
 * labels: C country codes, S sector codes, K final-demand codes and the table's name
 * when it was written, each NUL-terminated. Z, F (absent when K = 0), x and v: column-
 * major doubles, each section starting at a multiple of 4096 bytes (the writer) or at
 * least 64 (what the reader requires), so a mapping of the file holds the matrices
 * in place; the gaps are zeros. v is written for other readers; on load it is
 * recomputed and checked against the file.
 *
 * Reading validates the header against the file size before touching any section,
 * checks both checksums, then the labels, then runs the CSV loader's data checks
 * (wi_validate), which also recompute the check report. A file is mapped read-only
 * (MAP_PRIVATE) and the table keeps the mapping: Z, F and x point into it, so loading
 * costs no allocation or page zeroing for the matrices. The file must therefore not
 * be modified in place while such a table lives (the writer replaces files by
 * rename, which is safe). Bytes from memory (wiot_table_load_buffer) are copied. */
#define WI_BIN_MAGIC "WIOT\0BIN"
#define WI_BIN_VERSION 1u
#define WI_BIN_BOM 0x01020304u
#define WI_BIN_FIELDS 168              /* bytes of the header that hold fields */
#define WI_BIN_HEADER 4096             /* header size written */
#define WI_BIN_PAGE 4096               /* section alignment written */
#define WI_BIN_MINALIGN 64             /* section alignment required of doubles */
#define WI_BIN_HCHECK 160              /* offset of the header checksum */
#define WI_BIN_DCHECK 152              /* offset of the data checksum */
#define WI_BIN_NSEC 5

static const char *const wi_sec_name[WI_BIN_NSEC] = {"labels", "Z", "F", "x", "v"};

/* XXH64 (Collet's xxHash, 64-bit, seed 0), streaming: about 19 GB/s here, five times
 * zlib's crc32. The standard algorithm, so `tail -c +169 f.wiot | xxhsum -H1` prints
 * the data checksum. */
#define WI_XP1 0x9E3779B185EBCA87ULL
#define WI_XP2 0xC2B2AE3D27D4EB4FULL
#define WI_XP3 0x165667B19E3779F9ULL
#define WI_XP4 0x85EBCA77C2B2AE63ULL
#define WI_XP5 0x27D4EB2F165667C5ULL

typedef struct wi_xxh {
    uint64_t v[4], total;
    unsigned char mem[32];
    size_t used;
} wi_xxh;

static inline uint64_t wi_rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t wi_le64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline uint32_t wi_le32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

static inline uint64_t wi_xxh_round(uint64_t acc, uint64_t in)
{
    acc += in * WI_XP2;
    return wi_rotl64(acc, 31) * WI_XP1;
}

static inline uint64_t wi_xxh_merge(uint64_t h, uint64_t v)
{
    h ^= wi_xxh_round(0, v);
    return h * WI_XP1 + WI_XP4;
}

static void wi_xxh_init(wi_xxh *s)
{
    memset(s, 0, sizeof *s);
    s->v[0] = WI_XP1 + WI_XP2;
    s->v[1] = WI_XP2;
    s->v[2] = 0;
    s->v[3] = 0 - WI_XP1;
}

/* 32-byte stripes of [p, end), at least one; returns the end of the last. */
static const unsigned char *wi_xxh_stripes(uint64_t *v, const unsigned char *p,
                                           const unsigned char *end)
{
    uint64_t v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3];
    do {
        v0 = wi_xxh_round(v0, wi_le64(p));
        v1 = wi_xxh_round(v1, wi_le64(p + 8));
        v2 = wi_xxh_round(v2, wi_le64(p + 16));
        v3 = wi_xxh_round(v3, wi_le64(p + 24));
        p += 32;
    } while (end - p >= 32);
    v[0] = v0;
    v[1] = v1;
    v[2] = v2;
    v[3] = v3;
    return p;
}

static void wi_xxh_update(wi_xxh *s, const void *data, size_t len)
{
    if (len == 0)
        return;
    const unsigned char *p = data, *end = p + len;
    s->total += len;
    if (s->used + len < 32) {
        memcpy(s->mem + s->used, p, len);
        s->used += len;
        return;
    }
    if (s->used) {
        size_t k = 32 - s->used;
        memcpy(s->mem + s->used, p, k);
        p += k;
        wi_xxh_stripes(s->v, s->mem, s->mem + 32);
        s->used = 0;
    }
    if (end - p >= 32)
        p = wi_xxh_stripes(s->v, p, end);
    if (p < end) {
        memcpy(s->mem, p, (size_t)(end - p));
        s->used = (size_t)(end - p);
    }
}

static uint64_t wi_xxh_digest(const wi_xxh *s)
{
    uint64_t h;
    if (s->total >= 32) {
        h = wi_rotl64(s->v[0], 1) + wi_rotl64(s->v[1], 7) + wi_rotl64(s->v[2], 12) +
            wi_rotl64(s->v[3], 18);
        for (int i = 0; i < 4; i++)
            h = wi_xxh_merge(h, s->v[i]);
    } else {
        h = WI_XP5;   /* seed 0 */
    }
    h += s->total;
    const unsigned char *p = s->mem, *e = s->mem + s->used;
    for (; e - p >= 8; p += 8) {
        h ^= wi_xxh_round(0, wi_le64(p));
        h = wi_rotl64(h, 27) * WI_XP1 + WI_XP4;
    }
    if (e - p >= 4) {
        h ^= (uint64_t)wi_le32(p) * WI_XP1;
        h = wi_rotl64(h, 23) * WI_XP2 + WI_XP3;
        p += 4;
    }
    for (; p < e; p++) {
        h ^= (uint64_t)*p * WI_XP5;
        h = wi_rotl64(h, 11) * WI_XP1;
    }
    h ^= h >> 33;
    h *= WI_XP2;
    h ^= h >> 29;
    h *= WI_XP3;
    h ^= h >> 32;
    return h;
}

static uint64_t wi_xxh64(const void *data, size_t len)
{
    wi_xxh s;
    wi_xxh_init(&s);
    wi_xxh_update(&s, data, len);
    return wi_xxh_digest(&s);
}

/* Header fields in the machine's byte order. */
static inline uint64_t wi_get64(const unsigned char *h, size_t off)
{
    uint64_t v;
    memcpy(&v, h + off, 8);
    return v;
}

static inline uint32_t wi_get32(const unsigned char *h, size_t off)
{
    uint32_t v;
    memcpy(&v, h + off, 4);
    return v;
}

/* The bytes are meant as a .wiot file: they start with "WIOT" (no CSV can), so a
 * truncated file or one with damaged magic bytes gets the binary loader's message. */
int wi_bin_magic(const char *p, size_t len)
{
    return len >= 4 && memcmp(p, WI_BIN_MAGIC, 4) == 0;
}

/* Load .wiot bytes p[size]. map: p is a private mapping that the table adopts (Z, F
 * and x point into it), consumed on every path (unmapped on failure); NULL: p is the
 * caller's memory and the data are copied, or, with borrow (p 8-byte aligned, the
 * caller vouches that it outlives the table), used in place. Warnings are not logged
 * here. */
int wi_bin_load(wiot_ctx *ctx, const char *name, const unsigned char *p, size_t size,
                       void *map, int borrow, wiot_table **out)
{
    wiot_table *t = NULL;
    const char **src = NULL;
    size_t *slen = NULL;
    int rc = WIOT_OK;
#define WI_BAD(...) do { rc = wi_fmsg(ctx, WIOT_EFORMAT, name, 0, __VA_ARGS__); goto fail; } while (0)

    /* fixed fields: magic, version, byte order, header checksum */
    if (size < WI_BIN_FIELDS)
        WI_BAD("truncated .wiot file: %zu bytes, shorter than the %d-byte header", size,
               WI_BIN_FIELDS);
    if (memcmp(p, WI_BIN_MAGIC, 8) != 0)
        WI_BAD("not a .wiot file (bad magic bytes)");
    uint32_t version = wi_get32(p, 8), bom = wi_get32(p, 12);
    if (version != WI_BIN_VERSION)
        WI_BAD("unsupported .wiot format version %" PRIu32 " (this library reads version %u)",
               version, WI_BIN_VERSION);
    if (bom == __builtin_bswap32(WI_BIN_BOM))
        WI_BAD("the .wiot file was written on a machine of the other byte order");
    if (bom != WI_BIN_BOM)
        WI_BAD("corrupt header: bad byte-order mark 0x%08" PRIx32, bom);
    uint64_t hsum = wi_xxh64(p, WI_BIN_HCHECK), hstored = wi_get64(p, WI_BIN_HCHECK);
    if (hsum != hstored)
        WI_BAD("corrupt header: checksum mismatch (stored %016" PRIx64 ", computed %016" PRIx64
               ")", hstored, hsum);

    /* sizes, dimensions and sections against the file's size, before any section is read */
    uint64_t hsize = wi_get64(p, 16), fsize = wi_get64(p, 24), C = wi_get64(p, 32),
             S = wi_get64(p, 40), K = wi_get64(p, 48), n = wi_get64(p, 56), flags = wi_get64(p, 64);
    if (fsize > size)
        WI_BAD("truncated .wiot file: %zu of %" PRIu64 " bytes", size, fsize);
    if (fsize < size)
        WI_BAD("%zu bytes of trailing garbage after the %" PRIu64 " bytes of the .wiot file",
               size - (size_t)fsize, fsize);
    if (hsize < WI_BIN_FIELDS || hsize > fsize)
        WI_BAD("corrupt header: header size %" PRIu64, hsize);
    if (flags != 0)
        WI_BAD("unsupported .wiot flags 0x%" PRIx64, flags);
    if (C == 0 || S == 0)
        WI_BAD("corrupt header: %" PRIu64 " countries x %" PRIu64 " sectors", C, S);
    /* each product is formed only once its factors are known to keep it within the
     * file's size, so none can overflow (n >= 1 once n == C*S) */
    uint64_t want[WI_BIN_NSEC];
    if (C > fsize || S > fsize / C || n != C * S || n > fsize / 8 / n || K > fsize / C ||
        C * K > fsize / 8 / n)
        WI_BAD("corrupt header: dimensions %" PRIu64 " countries x %" PRIu64 " sectors (n = %"
               PRIu64 ") x %" PRIu64 " final-demand categories do not fit in %" PRIu64 " bytes",
               C, S, n, K, fsize);
    want[1] = n * n * 8;
    want[2] = n * C * K * 8;
    want[3] = want[4] = n * 8;
    uint64_t off[WI_BIN_NSEC], len[WI_BIN_NSEC], end = hsize;
    for (int k = 0; k < WI_BIN_NSEC; k++) {
        off[k] = wi_get64(p, 72 + 16 * (size_t)k);
        len[k] = wi_get64(p, 80 + 16 * (size_t)k);
        if (off[k] > fsize || len[k] > fsize - off[k])
            WI_BAD("corrupt header: section '%s' (%" PRIu64 " bytes at offset %" PRIu64
                   ") extends past the end of the file (%" PRIu64 " bytes)", wi_sec_name[k],
                   len[k], off[k], fsize);
        if (k > 0 && off[k] < end && off[k] >= hsize) {
            /* before the end of the previous section: name what it truly overlaps, or
             * say the order is wrong when it overlaps nothing */
            int hit = -1;
            for (int j = 0; j < k && hit < 0; j++)
                if (len[j] && len[k] && off[k] < off[j] + len[j] && off[j] < off[k] + len[k])
                    hit = j;
            if (hit < 0)
                WI_BAD("corrupt header: section '%s' at offset %" PRIu64 " lies before section "
                       "'%s' (at %" PRIu64 "): the layout stores labels, Z, F, x and v in that "
                       "order", wi_sec_name[k], off[k], wi_sec_name[k - 1], off[k - 1]);
            WI_BAD("corrupt header: section '%s' at offset %" PRIu64 " overlaps section '%s'",
                   wi_sec_name[k], off[k], wi_sec_name[hit]);
        }
        if (off[k] < end)
            WI_BAD("corrupt header: section '%s' at offset %" PRIu64 " overlaps %s%s%s",
                   wi_sec_name[k], off[k], k ? "section '" : "the header",
                   k ? wi_sec_name[k - 1] : "", k ? "'" : "");
        if (k > 0 && len[k] != want[k])
            WI_BAD("corrupt header: section '%s' has %" PRIu64 " bytes, expected %" PRIu64,
                   wi_sec_name[k], len[k], want[k]);
        if (k > 0 && off[k] % WI_BIN_MINALIGN)
            WI_BAD("corrupt header: section '%s' at offset %" PRIu64 " is not aligned to %d "
                   "bytes", wi_sec_name[k], off[k], WI_BIN_MINALIGN);
        end = off[k] + len[k];
    }

    /* the data checksum covers everything after the header's fields */
    uint64_t dsum = wi_xxh64(p + WI_BIN_FIELDS, size - WI_BIN_FIELDS),
             dstored = wi_get64(p, WI_BIN_DCHECK);
    if (dsum != dstored)
        WI_BAD("checksum mismatch: the data are corrupt (stored %016" PRIx64 ", computed %016"
               PRIx64 ")", dstored, dsum);

    /* labels: C + S + K codes and the name, each NUL-terminated, filling the section */
    const char *lab = (const char *)p + off[0];
    size_t llen = (size_t)len[0], cnt = (size_t)(C + S + K), nul = 0;
    for (size_t i = 0; i < llen; i++)
        nul += lab[i] == '\0';
    if (nul != cnt + 1 || llen == 0 || lab[llen - 1] != '\0')
        WI_BAD("corrupt labels: expected %zu NUL-terminated codes and a name, found %zu strings%s",
               cnt, nul, llen && lab[llen - 1] != '\0' ? " and unterminated bytes" : "");
    src = wi_alloc(ctx, cnt * sizeof(char *));
    slen = wi_alloc(ctx, cnt * sizeof(size_t));
    if (!src || !slen) {
        rc = WIOT_ENOMEM;
        goto fail;
    }
    const char *q = lab;
    for (size_t i = 0; i < cnt; i++) {
        src[i] = q;
        slen[i] = strlen(q);
        q += slen[i] + 1;
    }
    for (const unsigned char *u = (const unsigned char *)q; *u; u++)   /* q: the name */
        if (*u < 0x20 || *u == 0x7f)
            WI_BAD("corrupt labels: the table name contains the control character 0x%02x",
                   (unsigned)*u);
    static const char *const kind[3] = {"country", "sector", "final-demand"};
    size_t first[4] = {0, (size_t)C, (size_t)(C + S), cnt};
    for (int k = 0; k < 3; k++) {
        for (size_t i = first[k]; i < first[k + 1]; i++) {
            const char *why = wi_code_problem(src[i], slen[i]);
            if (why)
                WI_BAD("corrupt labels: %s code %zu %s", kind[k], i - first[k], why);
            for (size_t j = first[k]; j < i; j++)
                if (strcmp(src[i], src[j]) == 0)
                    WI_BAD("corrupt labels: duplicate %s code '%s'", kind[k], src[i]);
        }
    }

    /* what the layout says are zeros: the header after its fields, the gaps before and
     * between sections and after the last one */
    for (int k = -1; k <= WI_BIN_NSEC; k++) {
        /* k = -1: header padding [168, H); k: the gap before section k; NSEC: after v */
        uint64_t from = k < 0 ? WI_BIN_FIELDS : k == 0 ? hsize : off[k - 1] + len[k - 1];
        uint64_t to = k < 0 ? hsize : k < WI_BIN_NSEC ? off[k] : fsize;
        for (uint64_t i = from; i < to; i++)
            if (p[i] != 0)
                WI_BAD("corrupt file: byte %" PRIu64 " (%s%s%s) is 0x%02x where the layout has "
                       "zeros", i, k < 0 ? "header padding" : k < WI_BIN_NSEC ? "the gap before "
                       "section '" : "after the last section", k >= 0 && k < WI_BIN_NSEC ?
                       wi_sec_name[k] : "", k >= 0 && k < WI_BIN_NSEC ? "'" : "", (unsigned)p[i]);
    }

    /* the table: labels copied; data in place (mapped) or copied */
    if ((rc = wi_table_alloc(ctx, (size_t)C, (size_t)S, (size_t)K, name, map == NULL && !borrow,
                             &t)) ||
        (rc = wi_labels_alloc(ctx, t, src, slen)))
        goto fail;
    if (map) {
        t->map = map;   /* from here on the table owns the mapping */
        t->map_len = size;
        map = NULL;
        t->Z = (double *)(uintptr_t)(p + off[1]);
        t->F = K ? (double *)(uintptr_t)(p + off[2]) : NULL;
        t->x = (double *)(uintptr_t)(p + off[3]);
    } else if (borrow) {
        t->borrowed = 1;
        t->Z = (double *)(uintptr_t)(p + off[1]);
        t->F = K ? (double *)(uintptr_t)(p + off[2]) : NULL;
        t->x = (double *)(uintptr_t)(p + off[3]);
    } else {
        memcpy(t->Z, p + off[1], (size_t)len[1]);
        if (K)
            memcpy(t->F, p + off[2], (size_t)len[2]);
        memcpy(t->x, p + off[3], (size_t)len[3]);
    }
    if ((rc = wi_validate(ctx, t, name, 0, NULL, NULL)))
        goto fail;
    /* the file's v against the recomputed one (as the CSV's TOT,VA row) */
    for (size_t j = 0; j < (size_t)n; j++) {
        double vf;
        memcpy(&vf, p + off[4] + 8 * j, 8);
        double x = t->x[j], vj = t->v[j];
        if (!(fabs(vf - vj) <= WI_TOL * fmax(fmax(x, x - vj), 1.0))) {
            char lb[WI_LABEL_MAX];
            rc = wi_fmsg(ctx, WIOT_EDATA, name, 0,
                        "column '%s': value added %.15g in the file differs from output minus "
                        "intermediate inputs %.15g", wi_col_label(t, j, lb), vf, vj);
            goto fail;
        }
    }
    wi_free(ctx, src);
    wi_free(ctx, slen);
    *out = t;
    return WIOT_OK;
fail:
#undef WI_BAD
    wi_free(ctx, src);
    wi_free(ctx, slen);
    wi_table_release(t);
    if (map)
        munmap(map, size);
    return rc;
}

/* ------------------------------------------------------------ save .wiot */
static const unsigned char wi_zeros[WI_BIN_PAGE];   /* padding (read-only) */

static uint64_t wi_round_page(uint64_t v) { return (v + WI_BIN_PAGE - 1) / WI_BIN_PAGE * WI_BIN_PAGE; }

static inline void wi_put64(unsigned char *h, size_t off, uint64_t v) { memcpy(h + off, &v, 8); }
static inline void wi_put32(unsigned char *h, size_t off, uint32_t v) { memcpy(h + off, &v, 4); }

int wi_save_binary(wiot_ctx *ctx, const wiot_table *t, const char *path)
{
    const size_t n = t->n, cnt = t->C + t->S + t->K;
    const char *tname = t->name ? t->name : "";
    /* the labels section */
    size_t llen = strlen(tname) + 1;
    for (size_t i = 0; i < cnt; i++)
        llen += strlen(t->country[i]) + 1;   /* country | sector | fdcat are one array */
    char *lab = wi_alloc(ctx, llen);
    if (!lab)
        return WIOT_ENOMEM;
    char *q = lab;
    for (size_t i = 0; i <= cnt; i++) {
        const char *s = i < cnt ? t->country[i] : tname;
        size_t l = strlen(s) + 1;
        memcpy(q, s, l);
        q += l;
    }

    /* layout: the header page, then each section on a page boundary */
    const void *data[WI_BIN_NSEC] = {lab, t->Z, t->F, t->x, t->v};
    uint64_t off[WI_BIN_NSEC], len[WI_BIN_NSEC] = {llen, (uint64_t)n * n * 8,
                                                 (uint64_t)n * t->C * t->K * 8, n * 8, n * 8};
    uint64_t pos = WI_BIN_HEADER;
    for (int k = 0; k < WI_BIN_NSEC; k++) {
        pos = wi_round_page(pos);
        off[k] = pos;
        pos += len[k];
    }
    /* The file as pieces: header fields | zeros to the header's end | then each
     * section preceded by the zeros that align it. The data checksum is over
     * everything after the fields; the same pieces are then written. */
    struct { const void *p; size_t len; } piece[2 + 2 * WI_BIN_NSEC];
    unsigned char hdr[WI_BIN_FIELDS];
    size_t np = 0;
    piece[np].p = hdr;
    piece[np++].len = WI_BIN_FIELDS;
    piece[np].p = wi_zeros;
    piece[np++].len = WI_BIN_HEADER - WI_BIN_FIELDS;
    uint64_t at = WI_BIN_HEADER;
    for (int k = 0; k < WI_BIN_NSEC; k++) {
        piece[np].p = wi_zeros;
        piece[np++].len = (size_t)(off[k] - at);
        piece[np].p = data[k];
        piece[np++].len = (size_t)len[k];
        at = off[k] + len[k];
    }
    wi_xxh hs;
    wi_xxh_init(&hs);
    for (size_t i = 1; i < np; i++)
        wi_xxh_update(&hs, piece[i].p, piece[i].len);

    memset(hdr, 0, sizeof hdr);
    memcpy(hdr, WI_BIN_MAGIC, 8);
    wi_put32(hdr, 8, WI_BIN_VERSION);
    wi_put32(hdr, 12, WI_BIN_BOM);
    wi_put64(hdr, 16, WI_BIN_HEADER);
    wi_put64(hdr, 24, pos);
    wi_put64(hdr, 32, t->C);
    wi_put64(hdr, 40, t->S);
    wi_put64(hdr, 48, t->K);
    wi_put64(hdr, 56, n);
    wi_put64(hdr, 64, 0);
    for (int k = 0; k < WI_BIN_NSEC; k++) {
        wi_put64(hdr, 72 + 16 * (size_t)k, off[k]);
        wi_put64(hdr, 80 + 16 * (size_t)k, len[k]);
    }
    wi_put64(hdr, WI_BIN_DCHECK, wi_xxh_digest(&hs));
    wi_put64(hdr, WI_BIN_HCHECK, wi_xxh64(hdr, WI_BIN_HCHECK));

    wi_out out;
    int rc = wi_out_open(ctx, path, &out);
    if (!rc) {
        int err = 0;
        for (size_t i = 0; i < np && !err; i++)
            err = wi_out_write(&out, piece[i].p, piece[i].len);
        rc = wi_out_commit(ctx, &out, err);
    }
    wi_free(ctx, lab);
    return rc;
}

int wiot_table_save_binary(wiot_ctx *ctx, const wiot_table *t, const char *path)
{
    if (!ctx)
        return WIOT_EINVAL;
    wi_clear(ctx);
    if (!t || !path || !*path)
        return wi_error(ctx, WIOT_EINVAL, "wiot_table_save_binary: %s",
                        t ? "empty or NULL path" : "table is NULL");
    return wi_save_binary(ctx, t, path);
}

