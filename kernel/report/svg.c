/* svg.c -- chart renderers: horizontal bars (one series, coloured by role, by sign or
 * highlighted), grouped bars (several series), lines over x, bands (median with a
 * 5-95 % range) and, in map.c, the world map. Every mark carries its raw value in a
 * data-v attribute and a <title> with the label and the formatted number, so tests
 * (and readers) can check what is drawn against the CSV. Text is real <text>;
 * colours are colour-blind safe: Okabe & Ito's qualitative set for roles and series,
 * ColorBrewer RdBu for signed values. No scripts, no external resources. */
#define _GNU_SOURCE
#include "report.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define W 800.0
#define FONT "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"

/* Okabe & Ito (2008) */
static const char *const SERIES_COL[CH_MAXS] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                "#56B4E9", "#D55E00", "#F0E442", "#000000"};
/* roles: third, imposer, target, imposer+target */
static const char *const ROLE_COL[4] = {"#999999", "#D55E00", "#0072B2", "#CC79A7"};
static const char *const ROLE_NAME[4] = {"third country", "imposer", "target", "imposer and target"};
#define POS_COL "#B2182B"
#define NEG_COL "#2166AC"
#define HI_COL "#D55E00"
#define LO_COL "#8FA9C4"

void fmt_num(char *buf, size_t size, double v, double mult, int dec)
{
    if (isnan(v)) {
        snprintf(buf, size, "-");
        return;
    }
    double x = v * mult;
    snprintf(buf, size, "%.*f", dec, x);
    /* "-0.0000" reads as a sign where there is none */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
}

int chart_alloc(chart *ch, size_t n, size_t ns, int with_band, int with_x)
{
    size_t m = n ? n : 1;
    ch->n = n;
    ch->ns = ns;
    ch->label = calloc(m, sizeof *ch->label);
    ch->cls = calloc(m, sizeof *ch->cls);
    ch->v = calloc(m * (ns ? ns : 1), sizeof *ch->v);
    if (with_band) {
        ch->lo = calloc(m, sizeof *ch->lo);
        ch->hi = calloc(m, sizeof *ch->hi);
    }
    if (with_x)
        ch->x = calloc(m, sizeof *ch->x);
    if (!ch->label || !ch->cls || !ch->v || (with_band && (!ch->lo || !ch->hi)) || (with_x && !ch->x))
        return 1;
    if (ch->mult == 0)
        ch->mult = 1;
    return 0;
}

void chart_free(chart *ch)
{
    if (ch->label)
        for (size_t i = 0; i < ch->n; i++)
            free(ch->label[i]);
    for (size_t s = 0; s < CH_MAXS; s++)
        free(ch->sname[s]);
    free(ch->label);
    free(ch->cls);
    free(ch->v);
    free(ch->lo);
    free(ch->hi);
    free(ch->x);
    memset(ch, 0, sizeof *ch);
}

/* a "nice" tick step for a range split into about k parts (1, 2, 2.5, 5 x 10^e) */
static double nice_step(double range, int k)
{
    if (!(range > 0))
        return 1;
    double raw = range / k, e = pow(10, floor(log10(raw))), f = raw / e;
    double s = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return s * e;
}

/* the decimals a tick step needs (0.25 -> 2, 20 -> 0) */
static int tick_decimals(double step)
{
    int dec = 0;
    while (dec < 8 && fabs(step * pow(10, dec) - round(step * pow(10, dec))) > 1e-6 * step * pow(10, dec))
        dec++;
    return dec;
}

static void text(sbuf *b, double x, double y, const char *anchor, double size, const char *fill, const char *cls,
                 const char *s)
{
    sb_add(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\"", x, y, size);
    if (anchor)
        sb_add(b, " text-anchor=\"%s\"", anchor);
    if (fill)
        sb_add(b, " fill=\"%s\"", fill);
    if (cls)
        sb_add(b, " class=\"%s\"", cls);
    sb_put(b, ">", 1);
    sb_esc(b, s);
    sb_put(b, "</text>\n", 8);
}

static void header(sbuf *b, const chart *ch, double height, int standalone)
{
    if (standalone)
        sb_add(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" ");
    else
        sb_add(b, "<svg ");
    sb_add(b, "id=\"chart-%s\" class=\"chart\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
              "font-family=\"%s\" role=\"img\" aria-labelledby=\"t-%s\">\n",
           ch->id, W, height, W, height, FONT, ch->id);
    sb_add(b, "<title id=\"t-%s\">", ch->id);
    sb_esc(b, ch->title);
    sb_add(b, "</title>\n<rect class=\"bg\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", W,
           height);
    text(b, 12, 22, NULL, 15, "#111111", "title", ch->title);
    if (ch->sub[0])
        text(b, 12, 39, NULL, 11.5, "#111111", "sub", ch->sub);
    text(b, 12, ch->sub[0] ? 55 : 40, NULL, 11.5, "#444444", "guide", ch->guide);
}

static void footer(sbuf *b, const chart *ch, double y)
{
    if (ch->note[0])
        text(b, 12, y, NULL, 10.5, "#555555", "note", ch->note);
    sb_add(b, "</svg>\n");
}

/* value range of a bar chart, always including 0 */
static void range(const chart *ch, double *lo, double *hi)
{
    *lo = 0;
    *hi = 0;
    size_t m = ch->n * (ch->ns ? ch->ns : 1);
    for (size_t i = 0; i < m; i++) {
        double v = ch->v[i];
        if (isnan(v))
            continue;
        if (v < *lo)
            *lo = v;
        if (v > *hi)
            *hi = v;
    }
    for (size_t k = 0; k < ch->nmark; k++) {
        if (ch->mark[k] > *hi)
            *hi = ch->mark[k];
        if (ch->mark[k] < *lo)
            *lo = ch->mark[k];
    }
    if (ch->lo)
        for (size_t i = 0; i < ch->n; i++) {
            if (!isnan(ch->lo[i]) && ch->lo[i] < *lo)
                *lo = ch->lo[i];
            if (!isnan(ch->hi[i]) && ch->hi[i] > *hi)
                *hi = ch->hi[i];
        }
}

/* the value axis: ticks under the plot from px0 to px1 for values [lo, hi] */
static void value_axis(sbuf *b, const chart *ch, double lo, double hi, double px0, double px1, double ytop,
                       double ybot)
{
    double step = nice_step((hi - lo) * ch->mult, 5) / ch->mult;
    double sc = (px1 - px0) / (hi - lo);
    int dec = tick_decimals(step * ch->mult);
    for (double t = ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
        double x = px0 + (t - lo) * sc;
        char s[64];
        fmt_num(s, sizeof s, fabs(t) < step * 1e-9 ? 0.0 : t, ch->mult, dec);
        sb_add(b, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>\n", x,
               ytop, x, ybot);
        text(b, x, ybot + 13, "middle", 10, "#555555", "tick", s);
    }
    char u[128];
    snprintf(u, sizeof u, "%s", ch->unit);
    text(b, px1, ybot + 27, "end", 10.5, "#333333", "unit", u);
}

/* room for the longest label (11 px DejaVu Sans: about 6.6 px a character), 60..330 */
static double label_width(const chart *ch)
{
    size_t m = 0;
    for (size_t i = 0; i < ch->n; i++)
        if (ch->label[i] && strlen(ch->label[i]) > m)
            m = strlen(ch->label[i]);
    double w = 6.6 * (double)m + 16;
    return w < 60 ? 60 : w > 330 ? 330 : w;
}

static const char *bar_colour(const chart *ch, size_t s, size_t i, double v)
{
    switch (ch->colour) {
    case COL_ROLE: return ROLE_COL[ch->cls[i] & 3];
    case COL_SIGN: return v < 0 ? NEG_COL : POS_COL;
    case COL_HIGHLIGHT: return ch->cls[i] ? HI_COL : LO_COL;
    default: return SERIES_COL[s % CH_MAXS];
    }
}

static double legend(sbuf *b, const chart *ch, double y)
{
    double x = 12;
    if (ch->colour == COL_ROLE) {
        int seen[4] = {0};
        for (size_t i = 0; i < ch->n; i++)
            seen[ch->cls[i] & 3] = 1;
        for (int r = 1; r <= 4; r++) {
            int k = r & 3;   /* imposer, target, both, then third */
            if (!seen[k])
                continue;
            sb_add(b, "<rect class=\"key\" x=\"%.1f\" y=\"%.1f\" width=\"11\" height=\"11\" fill=\"%s\"/>\n", x,
                   y - 9, ROLE_COL[k]);
            text(b, x + 15, y, NULL, 11, "#333333", "key", ROLE_NAME[k]);
            x += 24 + 6.5 * (double)strlen(ROLE_NAME[k]);
        }
        return y + 16;
    }
    if (ch->colour == COL_HIGHLIGHT) {
        static const char *const nm[2] = {"at or above the first threshold", "below"};
        static const char *const cl[2] = {HI_COL, LO_COL};
        for (int k = 0; k < 2; k++) {
            sb_add(b, "<rect class=\"key\" x=\"%.1f\" y=\"%.1f\" width=\"11\" height=\"11\" fill=\"%s\"/>\n", x,
                   y - 9, cl[k]);
            text(b, x + 15, y, NULL, 11, "#333333", "key", nm[k]);
            x += 24 + 6.5 * (double)strlen(nm[k]);
        }
        return y + 16;
    }
    if (ch->ns > 1 || ch->kind == CH_LINES) {
        for (size_t s = 0; s < ch->ns; s++) {
            const char *nm = ch->sname[s] ? ch->sname[s] : "";
            double w = 24 + 6.2 * (double)strlen(nm);
            if (x + w > W - 12 && x > 12) {
                x = 12;
                y += 15;
            }
            sb_add(b, "<rect class=\"key\" x=\"%.1f\" y=\"%.1f\" width=\"11\" height=\"11\" fill=\"%s\"/>\n", x,
                   y - 9, SERIES_COL[s % CH_MAXS]);
            text(b, x + 15, y, NULL, 11, "#333333", "key", nm);
            x += w;
        }
        return y + 16;
    }
    return y;
}

/* horizontal bars, one or several series per category, categories in the order given */
static int bars_svg(sbuf *b, const chart *ch, int standalone)
{
    const size_t ns = ch->ns ? ch->ns : 1;
    const double bh = ns == 1 ? 13 : 9, rowh = ns == 1 ? 18 : bh * (double)ns + 7;
    double lo, hi;
    range(ch, &lo, &hi);
    int empty = !(hi > lo);
    if (empty)
        hi = 1;
    const double top0 = ch->sub[0] ? 72 : 56;
    /* legend height first: a dry run into a scratch buffer */
    sbuf lg;
    sb_init(&lg);
    double top = legend(&lg, ch, top0) + 6 + 10 * (double)ch->nmark;
    sb_free(&lg);
    const double px0 = label_width(ch) + (lo < 0 ? 60 : 0), px1 = W - 75;
    const double ytop = top, ybot = top + rowh * (double)ch->n + 4;
    const double height = ybot + 40 + (ch->note[0] ? 16 : 0);
    header(b, ch, height, standalone);
    legend(b, ch, top0);
    if (empty) {
        text(b, W / 2, ytop + 30, "middle", 12, "#555555", "empty", "no non-zero values: nothing to draw");
        footer(b, ch, height - 8);
        return b->oom;
    }
    const double sc = (px1 - px0) / (hi - lo), x0 = px0 - lo * sc;
    value_axis(b, ch, lo, hi, px0, px1, ytop, ybot);
    for (size_t k = 0; k < ch->nmark; k++) {
        double x = x0 + ch->mark[k] * sc;
        char m[64];
        snprintf(m, sizeof m, "%g%s", ch->mark[k] * ch->mult, ch->mult == 100 ? " %" : "");
        sb_add(b, "<line class=\"mark\" data-v=\"%s\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" "
                  "stroke=\"#111111\" stroke-dasharray=\"4 3\"/>\n", RV(ch->mark[k]), x, ytop - 4, x, ybot);
        text(b, x + 3, ytop - 6 - 10 * (double)(ch->nmark - 1 - k), NULL, 9.5, "#111111", "mark", m);
    }
    sb_add(b, "<g class=\"bars\" data-scale=\"%.10g\">\n", sc);
    for (size_t i = 0; i < ch->n; i++) {
        double yr = ytop + rowh * (double)i;
        text(b, px0 - (lo < 0 ? 65 : 5), yr + rowh / 2 + 4, "end", 11, "#222222", "label", ch->label[i]);
        for (size_t s = 0; s < ns; s++) {
            double v = ch->v[s * ch->n + i], y = yr + 2 + bh * (double)s;
            char num[64];
            fmt_num(num, sizeof num, v, ch->mult, ch->dec);
            if (!isnan(v) && v != 0) {
                double xv = x0 + v * sc, xa = v < 0 ? xv : x0, w = fabs(v) * sc;
                sb_add(b, "<rect class=\"bar\" data-v=\"%s\" data-label=\"", RV(v));
                sb_esc(b, ch->label[i]);
                if (ns > 1) {
                    sb_add(b, "\" data-series=\"");
                    sb_esc(b, ch->sname[s] ? ch->sname[s] : "");
                }
                sb_add(b, "\" x=\"%.2f\" y=\"%.1f\" width=\"%.4f\" height=\"%.1f\" fill=\"%s\"><title>", xa, y, w,
                       bh - 1, bar_colour(ch, s, i, v));
                sb_esc(b, ch->label[i]);
                if (ns > 1) {
                    sb_add(b, " (");
                    sb_esc(b, ch->sname[s] ? ch->sname[s] : "");
                    sb_add(b, ")");
                }
                sb_add(b, ": %s ", num);
                sb_esc(b, ch->unit);
                sb_add(b, "</title></rect>\n");
                text(b, v < 0 ? xv - 3 : xv + 3, y + bh - 3, v < 0 ? "end" : NULL, ns > 1 ? 8.5 : 10, "#333333",
                     "val", num);
            } else {
                text(b, x0 + 3, y + bh - 3, NULL, ns > 1 ? 8.5 : 10, "#777777", "val", num);
            }
        }
    }
    sb_add(b, "</g>\n<line class=\"zero\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#333333\"/>\n", x0,
           ytop - 2, x0, ybot);
    footer(b, ch, height - 8);
    return b->oom;
}

/* median dots with 5-95 % bands, one row per category */
static int band_svg(sbuf *b, const chart *ch, int standalone)
{
    double lo, hi;
    range(ch, &lo, &hi);
    int empty = !(hi > lo);
    if (empty)
        hi = 1;
    const double rowh = 18, top0 = ch->sub[0] ? 72 : 56;
    sbuf lg;
    sb_init(&lg);
    double top = legend(&lg, ch, top0) + 6;
    sb_free(&lg);
    const double px0 = label_width(ch) + (lo < 0 ? 60 : 0), px1 = W - 150;
    const double ytop = top, ybot = top + rowh * (double)ch->n + 4;
    const double height = ybot + 40 + (ch->note[0] ? 16 : 0);
    header(b, ch, height, standalone);
    legend(b, ch, top0);
    if (empty) {
        text(b, W / 2, ytop + 30, "middle", 12, "#555555", "empty", "no non-zero values: nothing to draw");
        footer(b, ch, height - 8);
        return b->oom;
    }
    const double sc = (px1 - px0) / (hi - lo), x0 = px0 - lo * sc;
    value_axis(b, ch, lo, hi, px0, px1, ytop, ybot);
    sb_add(b, "<g class=\"bands\" data-scale=\"%.10g\">\n", sc);
    for (size_t i = 0; i < ch->n; i++) {
        double y = ytop + rowh * (double)i + rowh / 2, v = ch->v[i];
        text(b, px0 - (lo < 0 ? 65 : 5), y + 4, "end", 11, "#222222", "label", ch->label[i]);
        if (isnan(v))
            continue;
        char m[64], l[64], h[64], all[200];
        fmt_num(m, sizeof m, v, ch->mult, ch->dec);
        fmt_num(l, sizeof l, ch->lo[i], ch->mult, ch->dec);
        fmt_num(h, sizeof h, ch->hi[i], ch->mult, ch->dec);
        snprintf(all, sizeof all, "%s [%s, %s]", m, l, h);
        const char *col = bar_colour(ch, 0, i, v);
        if (!isnan(ch->lo[i]) && !isnan(ch->hi[i]) && ch->hi[i] > ch->lo[i])
            sb_add(b, "<rect class=\"band\" data-lo=\"%s\" data-hi=\"%s\" x=\"%.2f\" y=\"%.1f\" "
                      "width=\"%.4f\" height=\"8\" fill=\"%s\" fill-opacity=\"0.35\"/>\n",
                   RV(ch->lo[i]), RV(ch->hi[i]), x0 + ch->lo[i] * sc, y - 4, (ch->hi[i] - ch->lo[i]) * sc, col);
        if (v != 0 || ch->hi[i] != 0 || ch->lo[i] != 0) {
            sb_add(b, "<circle class=\"median\" data-v=\"%s\" data-label=\"", RV(v));
            sb_esc(b, ch->label[i]);
            sb_add(b, "\" cx=\"%.2f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>", x0 + v * sc, y, col);
            sb_esc(b, ch->label[i]);
            sb_add(b, ": %s ", all);
            sb_esc(b, ch->unit);
            sb_add(b, "</title></circle>\n");
        }
        text(b, px1 + 8, y + 4, NULL, 10, "#333333", "val", all);
    }
    sb_add(b, "</g>\n<line class=\"zero\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#333333\"/>\n", x0,
           ytop - 2, x0, ybot);
    footer(b, ch, height - 8);
    return b->oom;
}

/* lines: ns series over n increasing x values */
static int lines_svg(sbuf *b, const chart *ch, int standalone)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < ch->n * ch->ns; i++)
        if (!isnan(ch->v[i])) {
            lo = ch->v[i] < lo ? ch->v[i] : lo;
            hi = ch->v[i] > hi ? ch->v[i] : hi;
        }
    if (!(lo <= hi)) {
        lo = 0;
        hi = 1;
    }
    if (lo > 0)
        lo = 0;
    if (hi < 0)
        hi = 0;
    if (!(hi > lo))
        hi = lo + 1;
    const double top0 = ch->sub[0] ? 72 : 56;
    sbuf lg;
    sb_init(&lg);
    double top = legend(&lg, ch, top0) + 10;
    sb_free(&lg);
    const double px0 = 80, px1 = W - 120, ytop = top, ybot = top + 300;
    const double height = ybot + 50 + (ch->note[0] ? 16 : 0);
    header(b, ch, height, standalone);
    legend(b, ch, top0);
    double xlo = ch->n ? ch->x[0] : 0, xhi = ch->n ? ch->x[ch->n - 1] : 1;
    if (!(xhi > xlo))
        xhi = xlo + 1;
    const double sx = (px1 - px0) / (xhi - xlo), sy = (ybot - ytop) / (hi - lo);
    /* y axis */
    double step = nice_step((hi - lo) * ch->mult, 5) / ch->mult;
    int dec = tick_decimals(step * ch->mult);
    for (double t = ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
        double y = ybot - (t - lo) * sy;
        char s[64];
        fmt_num(s, sizeof s, fabs(t) < step * 1e-9 ? 0.0 : t, ch->mult, dec);
        sb_add(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke=\"#e3e3e3\"/>\n", px0,
               y, px1, y);
        text(b, px0 - 5, y + 3.5, "end", 10, "#555555", "tick", s);
    }
    text(b, 12, ytop - 8, NULL, 10.5, "#333333", "unit", ch->unit);
    /* x axis */
    double xstep = nice_step(xhi - xlo, 8);
    if (ch->xint && xstep < 1)
        xstep = 1;
    for (double t = ceil(xlo / xstep - 1e-9) * xstep; t <= xhi + xstep * 1e-9; t += xstep) {
        double x = px0 + (t - xlo) * sx;
        char s[64];
        snprintf(s, sizeof s, ch->xint ? "%.0f" : "%g", fabs(t) < xstep * 1e-9 ? 0.0 : t);
        sb_add(b, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#eeeeee\"/>\n", x,
               ytop, x, ybot);
        text(b, x, ybot + 14, "middle", 10, "#555555", "tick", s);
    }
    text(b, (px0 + px1) / 2, ybot + 30, "middle", 10.5, "#333333", "xlabel", ch->xlabel);
    if (lo < 0 && hi > 0)
        sb_add(b, "<line class=\"zero\" x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke=\"#333333\"/>\n", px0,
               ybot + lo * sy, px1, ybot + lo * sy);
    for (size_t s = 0; s < ch->ns; s++) {
        const double *v = ch->v + s * ch->n;
        sb_add(b, "<polyline class=\"line\" data-series=\"");
        sb_esc(b, ch->sname[s] ? ch->sname[s] : "");
        sb_add(b, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", SERIES_COL[s % CH_MAXS]);
        for (size_t i = 0; i < ch->n; i++)
            if (!isnan(v[i]))
                sb_add(b, "%.2f,%.2f ", px0 + (ch->x[i] - xlo) * sx, ybot - (v[i] - lo) * sy);
        sb_add(b, "\"/>\n");
        for (size_t i = 0; i < ch->n; i++) {
            if (isnan(v[i]))
                continue;
            char num[64], xs[64];
            fmt_num(num, sizeof num, v[i], ch->mult, ch->dec);
            snprintf(xs, sizeof xs, ch->xint ? "%.0f" : "%g", ch->x[i]);
            sb_add(b, "<circle class=\"pt\" data-x=\"%s\" data-v=\"%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"2.5\" "
                      "fill=\"%s\"><title>", RV(ch->x[i]), RV(v[i]), px0 + (ch->x[i] - xlo) * sx,
                   ybot - (v[i] - lo) * sy, SERIES_COL[s % CH_MAXS]);
            sb_esc(b, ch->sname[s] ? ch->sname[s] : "");
            sb_add(b, " at %s: %s ", xs, num);
            sb_esc(b, ch->unit);
            sb_add(b, "</title></circle>\n");
        }
    }
    /* end labels, pushed apart to 11 px so they do not overlap */
    double ly[CH_MAXS];
    size_t ord[CH_MAXS], nl = 0, lastp[CH_MAXS];
    for (size_t s = 0; s < ch->ns && s < CH_MAXS; s++) {
        const double *v = ch->v + s * ch->n;
        size_t last = ch->n;
        while (last > 0 && isnan(v[last - 1]))
            last--;
        if (!last)
            continue;
        lastp[s] = last - 1;
        ly[s] = ybot - (v[last - 1] - lo) * sy + 3.5;
        size_t j = nl++;
        while (j > 0 && ly[ord[j - 1]] > ly[s]) {
            ord[j] = ord[j - 1];
            j--;
        }
        ord[j] = s;
    }
    for (size_t k = 1; k < nl; k++)
        if (ly[ord[k]] < ly[ord[k - 1]] + 11)
            ly[ord[k]] = ly[ord[k - 1]] + 11;
    for (size_t k = 0; k < nl; k++) {
        size_t s = ord[k];
        char num[64], lab[160];
        fmt_num(num, sizeof num, ch->v[s * ch->n + lastp[s]], ch->mult, ch->dec);
        snprintf(lab, sizeof lab, "%s %s", ch->sname[s] ? ch->sname[s] : "", num);
        text(b, px0 + (ch->x[lastp[s]] - xlo) * sx + 6, ly[s], NULL, 9.5, SERIES_COL[s % CH_MAXS], "end", lab);
    }
    footer(b, ch, height - 8);
    return b->oom;
}

static int map_chart_svg(sbuf *b, const chart *ch, int standalone)
{
    /* the map frame (960 wide) scaled to the chart width, legend and note below */
    const double mh = map_frame_height() * (W - 24) / 960.0, top = ch->sub[0] ? 70 : 56;
    const double height = top + mh + 62 + (ch->note[0] ? 16 : 0);
    header(b, ch, height, standalone);
    if (map_svg(b, ch, top))
        return 1;
    footer(b, ch, height - 8);
    return b->oom;
}

int chart_svg(sbuf *b, const chart *ch, int standalone)
{
    switch (ch->kind) {
    case CH_BARS:
    case CH_GROUPED: return bars_svg(b, ch, standalone);
    case CH_BAND: return band_svg(b, ch, standalone);
    case CH_LINES: return lines_svg(b, ch, standalone);
    case CH_MAP: return map_chart_svg(b, ch, standalone);
    }
    return 1;
}
