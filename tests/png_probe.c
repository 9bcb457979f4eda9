/* png_probe.c -- read pixels of a PNG screenshot (8-bit RGB or RGBA, not interlaced,
 * as headless Chromium writes them) for tests/browser_test.sh. zlib only.
 *   png_probe FILE stats        -> "WIDTH HEIGHT DISTINCT_COLOURS NONWHITE_PERMILLE"
 *   png_probe FILE pixel X Y    -> "#RRGGBB"
 *   png_probe FILE count RRGGBB -> pixels of exactly that colour
 * Exit 1 with a message on a file it cannot read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static int die(const char *f, const char *m)
{
    fprintf(stderr, "png_probe: %s: %s\n", f, m);
    return 1;
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return die("usage", "png_probe FILE stats | pixel X Y | count RRGGBB");
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return die(argv[1], "cannot open");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (size < 8 || size > (256L << 20)) {
        fclose(f);
        return die(argv[1], "not a PNG of a sensible size");
    }
    unsigned char *buf = malloc((size_t)size), *idat = malloc((size_t)size);
    if (!buf || !idat || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        return die(argv[1], "read failed");
    }
    fclose(f);
    if (memcmp(buf, "\x89PNG\r\n\x1a\n", 8))
        return die(argv[1], "not a PNG");
    uint32_t w = 0, h = 0;
    int ctype = -1;
    size_t ni = 0;
    for (long p = 8; p + 12 <= size;) {
        uint32_t len = be32(buf + p);
        const unsigned char *type = buf + p + 4, *data = buf + p + 8;
        if (p + 12 + (long)len > size)
            return die(argv[1], "truncated chunk");
        if (!memcmp(type, "IHDR", 4)) {
            w = be32(data);
            h = be32(data + 4);
            if (data[8] != 8 || data[12] != 0)
                return die(argv[1], "only 8-bit, non-interlaced PNGs");
            ctype = data[9];
        } else if (!memcmp(type, "IDAT", 4)) {
            memcpy(idat + ni, data, len);
            ni += len;
        } else if (!memcmp(type, "IEND", 4)) {
            break;
        }
        p += 12 + (long)len;
    }
    int bpp = ctype == 6 ? 4 : ctype == 2 ? 3 : 0;
    if (!bpp || !w || !h || w > 20000 || h > 40000)
        return die(argv[1], "only RGB or RGBA PNGs");
    size_t stride = (size_t)w * (size_t)bpp, rawn = (stride + 1) * h;
    unsigned char *raw = malloc(rawn), *img = malloc(stride * h);
    uLongf got = (uLongf)rawn;
    if (!raw || !img || uncompress(raw, &got, idat, (uLong)ni) != Z_OK || got != rawn)
        return die(argv[1], "bad image data");
    for (uint32_t y = 0; y < h; y++) {
        const unsigned char *src = raw + y * (stride + 1) + 1;
        unsigned char *dst = img + y * stride, *up = y ? dst - stride : NULL;
        int ft = raw[y * (stride + 1)];
        for (size_t i = 0; i < stride; i++) {
            int a = i >= (size_t)bpp ? dst[i - (size_t)bpp] : 0, b = up ? up[i] : 0,
                c = up && i >= (size_t)bpp ? up[i - (size_t)bpp] : 0, x = src[i];
            switch (ft) {
            case 0: break;
            case 1: x += a; break;
            case 2: x += b; break;
            case 3: x += (a + b) / 2; break;
            case 4: x += paeth(a, b, c); break;
            default: return die(argv[1], "bad filter");
            }
            dst[i] = (unsigned char)x;
        }
    }
    int rc = 0;
    if (!strcmp(argv[2], "stats")) {
        /* distinct colours, counted in a 2^24-bit set; non-white pixels per mille */
        unsigned char *seen = calloc(1 << 21, 1);
        size_t distinct = 0, nonwhite = 0;
        for (size_t i = 0; i < (size_t)w * h; i++) {
            const unsigned char *px = img + i * (size_t)bpp;
            uint32_t c = (uint32_t)px[0] << 16 | (uint32_t)px[1] << 8 | px[2];
            if (!(seen[c >> 3] & (1 << (c & 7)))) {
                seen[c >> 3] |= (unsigned char)(1 << (c & 7));
                distinct++;
            }
            nonwhite += c != 0xffffff;
        }
        printf("%u %u %zu %zu\n", w, h, distinct, nonwhite * 1000 / ((size_t)w * h));
        free(seen);
    } else if (!strcmp(argv[2], "pixel") && argc == 5) {
        long x = atol(argv[3]), y = atol(argv[4]);
        if (x < 0 || y < 0 || x >= (long)w || y >= (long)h) {
            rc = die(argv[1], "pixel outside the image");
        } else {
            const unsigned char *px = img + (size_t)y * stride + (size_t)x * (size_t)bpp;
            printf("#%02X%02X%02X\n", px[0], px[1], px[2]);
        }
    } else if (!strcmp(argv[2], "count") && argc == 4) {
        unsigned long c = strtoul(argv[3][0] == '#' ? argv[3] + 1 : argv[3], NULL, 16);
        size_t n = 0;
        for (size_t i = 0; i < (size_t)w * h; i++) {
            const unsigned char *px = img + i * (size_t)bpp;
            n += ((unsigned long)px[0] << 16 | (unsigned long)px[1] << 8 | px[2]) == c;
        }
        printf("%zu\n", n);
    } else {
        rc = die("usage", "png_probe FILE stats | pixel X Y | count RRGGBB");
    }
    free(buf);
    free(idat);
    free(raw);
    free(img);
    return rc;
}
