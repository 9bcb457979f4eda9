/* map.c -- the world map (choropleth) of a CH_MAP chart: Natural Earth 1:110m admin-0
 * outlines in the Equal Earth projection (data/maps/world_110m.txt, made by
 * data/maps/convert.mjs, embedded by map_data.S), coloured with ColorBrewer's RdBu
 * diverging scheme around zero (colour-blind safe). A table's country codes map to
 * ISO 3166-1 alpha-3 (map_iso3); shapes of countries the table lumps into a
 * rest-of-world region take that region's value and say so in their title. */
#define _GNU_SOURCE
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

extern const char wiot_report_map[], wiot_report_map_end[];

/* EXIOBASE 3 two-letter codes (ISO 3166-1 alpha-2) */
static const char *const ISO2[][2] = {
    {"AT", "AUT"}, {"AU", "AUS"}, {"BE", "BEL"}, {"BG", "BGR"}, {"BR", "BRA"}, {"CA", "CAN"}, {"CH", "CHE"},
    {"CN", "CHN"}, {"CY", "CYP"}, {"CZ", "CZE"}, {"DE", "DEU"}, {"DK", "DNK"}, {"EE", "EST"}, {"ES", "ESP"},
    {"FI", "FIN"}, {"FR", "FRA"}, {"GB", "GBR"}, {"GR", "GRC"}, {"HR", "HRV"}, {"HU", "HUN"}, {"ID", "IDN"},
    {"IE", "IRL"}, {"IN", "IND"}, {"IT", "ITA"}, {"JP", "JPN"}, {"KR", "KOR"}, {"LT", "LTU"}, {"LU", "LUX"},
    {"LV", "LVA"}, {"MT", "MLT"}, {"MX", "MEX"}, {"NL", "NLD"}, {"NO", "NOR"}, {"PL", "POL"}, {"PT", "PRT"},
    {"RO", "ROU"}, {"RU", "RUS"}, {"SE", "SWE"}, {"SI", "SVN"}, {"SK", "SVK"}, {"TR", "TUR"}, {"TW", "TWN"},
    {"US", "USA"}, {"ZA", "ZAF"}, {"UK", "GBR"}, {"EL", "GRC"},
};

const char *map_iso3(const char *code)
{
    size_t l = strlen(code);
    if (!strcasecmp(code, "ROW") || !strcasecmp(code, "RoW"))
        return "ROW";
    /* EXIOBASE rest-of-world regions WA, WE, WF, WL, WM */
    if (l == 2 && code[0] == 'W' && strchr("AEFLM", code[1]))
        return "ROW";
    if (l == 2) {
        for (size_t k = 0; k < sizeof ISO2 / sizeof *ISO2; k++)
            if (!strcmp(code, ISO2[k][0]))
                return ISO2[k][1];
        return NULL;
    }
    /* OECD ICIO split countries (kept with --keep-splits) */
    if (!strcmp(code, "CN1") || !strcmp(code, "CN2"))
        return "CHN";
    if (!strcmp(code, "MX1") || !strcmp(code, "MX2"))
        return "MEX";
    if (l == 3) {
        for (size_t k = 0; k < 3; k++)
            if (code[k] < 'A' || code[k] > 'Z')
                return NULL;
        return code;   /* WIOD, ICIO and Eora use ISO 3166-1 alpha-3 */
    }
    return NULL;
}

/* RdBu, 11 classes, blue for negative (ColorBrewer, Brewer 2002) */
static const char *const NEG[5] = {"#D1E5F0", "#92C5DE", "#4393C3", "#2166AC", "#053061"};
static const char *const POS[5] = {"#FDDBC7", "#F4A582", "#D6604D", "#B2182B", "#67001F"};
#define ZERO_COL "#F7F7F7"
#define NONE_COL "#D9D9D9"
#define SOURCE_COL "#636363"

/* Colour classes: on each side of zero, quintiles of the countries' values (each
 * class about a fifth of them: skewed values, one or two countries far ahead, still
 * shade the rest apart). edge[k] = the largest |v| of class k + 1. */
typedef struct classes {
    double pos[5], neg[5];
    int npos, nneg;
} classes;

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int make_classes(const chart *ch, classes *k)
{
    memset(k, 0, sizeof *k);
    double *a = malloc((ch->n ? ch->n : 1) * sizeof *a);
    if (!a)
        return 1;
    for (int side = 0; side < 2; side++) {
        size_t m = 0;
        for (size_t i = 0; i < ch->n; i++) {
            double v = ch->v[i];
            if (!isnan(v) && !ch->cls[i] && (side ? v < 0 : v > 0))
                a[m++] = fabs(v);
        }
        qsort(a, m, sizeof *a, cmp_dbl);
        double *e = side ? k->neg : k->pos;
        for (size_t j = 0; j < 5 && m; j++)   /* nearest rank: the ceil((j+1) m / 5)-th value */
            e[j] = a[((j + 1) * m + 4) / 5 - 1];
        *(side ? &k->nneg : &k->npos) = (int)m;
    }
    free(a);
    return 0;
}

static const char *shade(double v, const classes *k)
{
    if (isnan(v))
        return NONE_COL;
    if (v == 0)
        return ZERO_COL;
    const double *e = v < 0 ? k->neg : k->pos;
    int j = 0;
    while (j < 4 && fabs(v) > e[j])
        j++;
    return v < 0 ? NEG[j] : POS[j];
}

/* the table country drawn for shape iso (-1: none) */
static long find(const chart *ch, const char *iso)
{
    for (size_t i = 0; i < ch->n; i++) {
        const char *c = map_iso3(ch->label[i]);
        if (c && !strcmp(c, iso))
            return (long)i;
    }
    return -1;
}

double map_frame_height(void)
{
    const char *p = wiot_report_map, *end = wiot_report_map_end;
    while (p < end && *p) {
        if (!strncmp(p, "frame ", 6)) {
            char *e;
            strtod(p + 6, &e);
            double h = strtod(e, NULL);
            return h > 0 && h < 2000 ? h : 467.2;
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        p = nl + 1;
    }
    return 467.2;
}

size_t map_known(const chart *ch)
{
    size_t k = 0;
    for (size_t i = 0; i < ch->n; i++)
        k += map_iso3(ch->label[i]) != NULL;
    return k;
}

int map_svg(sbuf *b, const chart *ch, double y0)
{
    const double s = (800.0 - 24) / 960.0, fh = map_frame_height();
    int src = 0;
    for (size_t i = 0; i < ch->n; i++)
        src |= ch->cls[i] != 0;   /* cls = 1: the source, off the colour scale */
    classes cl;
    if (make_classes(ch, &cl))
        return 1;
    const int neg = cl.nneg > 0;
    long row = find(ch, "ROW");
    char *drawn = calloc(ch->n ? ch->n : 1, 1);
    if (!drawn)
        return 1;
    sb_add(b, "<g class=\"map\" transform=\"translate(12 %.1f) scale(%.6f)\" stroke=\"#ffffff\" "
              "stroke-width=\"0.5\" stroke-linejoin=\"round\">\n", y0, s);
    sb_add(b, "<rect class=\"sea\" x=\"0\" y=\"0\" width=\"960\" height=\"%.1f\" fill=\"#ffffff\"/>\n", fh);
    const char *p = wiot_report_map, *end = wiot_report_map_end;
    while (p < end && *p) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        const char *tab = memchr(p, '\t', (size_t)(nl - p));
        if (*p != '#' && tab && tab - p > 4 && p[3] == ' ') {
            char iso[4], name[96];
            memcpy(iso, p, 3);
            iso[3] = 0;
            size_t nlen = (size_t)(tab - p - 4) < sizeof name - 1 ? (size_t)(tab - p - 4) : sizeof name - 1;
            memcpy(name, p + 4, nlen);
            name[nlen] = 0;
            long i = find(ch, iso);
            int as_row = i < 0 && row >= 0;
            if (as_row)
                i = row;
            double v = i >= 0 ? ch->v[i] : NAN;
            if (i >= 0 && !as_row)
                drawn[i] = 1;
            char num[64];
            fmt_num(num, sizeof num, v, ch->mult, ch->dec);
            int is_src = i >= 0 && ch->cls[i];
            sb_add(b, "<path class=\"c%s\" data-iso=\"%s\"", i < 0 ? " none" : as_row ? " row" : is_src ? " source" : "",
                   iso);
            if (i >= 0) {
                sb_add(b, " data-code=\"");
                sb_esc(b, ch->label[i]);
                sb_add(b, "\" data-v=\"%s\"", RV(v));
            }
            /* the rest of the world's countries in its colour, faded: one value over much
             * of the land would otherwise outweigh the countries the table has */
            sb_add(b, " fill=\"%s\"%s d=\"", is_src ? SOURCE_COL : i >= 0 ? shade(v, &cl) : NONE_COL,
                   as_row ? " fill-opacity=\"0.45\"" : "");
            sb_put(b, tab + 1, (size_t)(nl - tab - 1));
            sb_add(b, "\"><title>");
            sb_esc(b, name);
            if (i < 0)
                sb_add(b, ": not in the table");
            else if (as_row) {
                sb_add(b, ", in the table's rest of the world (");
                sb_esc(b, ch->label[i]);
                sb_add(b, "): %s ", num);
                sb_esc(b, ch->unit);
            } else {
                sb_add(b, " (");
                sb_esc(b, ch->label[i]);
                sb_add(b, "): %s ", num);
                sb_esc(b, ch->unit);
                if (is_src)
                    sb_add(b, ", the source");
            }
            sb_add(b, "</title></path>\n");
        }
        p = nl + 1;
    }
    sb_add(b, "</g>\n");
    /* legend: 5 classes each side of zero (only the positive side when nothing is
     * negative), each labelled with its upper end (the lower end on the negative side) */
    const double ly = y0 + fh * s + 14;
    double x = 12;
    sb_add(b, "<g class=\"legend\">\n");
    for (int k = neg ? -5 : 0; k <= 5; k++) {
        const char *col = k < 0 ? NEG[-k - 1] : k == 0 ? ZERO_COL : POS[k - 1];
        sb_add(b, "<rect class=\"key\" x=\"%.1f\" y=\"%.1f\" width=\"44\" height=\"10\" fill=\"%s\" "
                  "stroke=\"#bbbbbb\" stroke-width=\"0.5\"/>\n", x, ly, col);
        char lab[64];
        if (k == 0)
            snprintf(lab, sizeof lab, "0");
        else
            fmt_num(lab, sizeof lab, k < 0 ? -cl.neg[-k - 1] : cl.pos[k - 1], ch->mult, ch->dec);
        if (k != 0 && (k < 0 ? cl.nneg : cl.npos) == 0)
            lab[0] = 0;
        if (lab[0]) {
            sb_add(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9.5\" text-anchor=\"%s\" fill=\"#333333\">",
                   k == 0 ? x + 22 : k < 0 ? x : x + 44, ly + 22, k == 0 ? "middle" : k < 0 ? "start" : "end");
            sb_esc(b, lab);
            sb_add(b, "</text>\n");
        }
        x += 46;
    }
    sb_add(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10.5\" fill=\"#333333\">", x + 4, ly + 9);
    sb_esc(b, ch->unit);
    sb_add(b, "</text>\n<rect class=\"key\" x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"10\" fill=\"%s\"/>\n",
           x + 60, ly, NONE_COL);
    sb_add(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#333333\">not in the table</text>\n", x + 80,
           ly + 9);
    if (row >= 0) {
        char num[64];
        fmt_num(num, sizeof num, ch->v[row], ch->mult, ch->dec);
        sb_add(b, "<rect class=\"key\" x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"10\" fill=\"%s\" "
                  "fill-opacity=\"0.45\"/>\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#333333\">"
                  "faded: the table's rest of the world (", x + 180, ly, shade(ch->v[row], &cl), x + 200, ly + 9);
        sb_esc(b, ch->label[row]);
        sb_add(b, ", %s)</text>\n", num);
    }
    if (src)
        sb_add(b, "<rect class=\"key\" x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"10\" fill=\"%s\"/>\n"
                  "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#333333\">the source</text>\n",
               x + 60, ly + 16, SOURCE_COL, x + 80, ly + 25);
    /* table countries without a shape at 1:110m, and codes that name no country */
    sbuf miss;
    sb_init(&miss);
    for (int unknown = 0; unknown < 2; unknown++) {
        size_t n0 = miss.len;
        for (size_t i = 0; i < ch->n; i++) {
            const char *c = map_iso3(ch->label[i]);
            if (!drawn[i] && (unknown ? !c : c && strcmp(c, "ROW"))) {
                char num[64];
                fmt_num(num, sizeof num, ch->v[i], ch->mult, ch->dec);
                if (miss.len == n0)
                    sb_add(&miss, "%s%s", n0 ? "; " : "", unknown ? "codes that name no country: "
                                                                 : "too small to draw at 1:110m: ");
                else
                    sb_add(&miss, ", ");
                sb_add(&miss, "%s %s", ch->label[i], num);
            }
        }
    }
    if (miss.len) {
        sb_add(b, "<text class=\"missing\" x=\"12\" y=\"%.1f\" font-size=\"10\" fill=\"#555555\">", ly + 38);
        sb_esc(b, miss.p);
        sb_add(b, "</text>\n");
    }
    if (miss.oom)
        b->oom = 1;
    sb_free(&miss);
    sb_add(b, "</g>\n");
    free(drawn);
    return b->oom;
}
