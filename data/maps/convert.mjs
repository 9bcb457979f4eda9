// convert.mjs -- build data/maps/world_110m.txt (country outlines as compact SVG
// paths in the Equal Earth projection) from Natural Earth 1:110m admin-0 countries as
// packaged by the npm package world-atlas (TopoJSON, ISC licence; the outlines are
// Natural Earth's, public domain). Run once; the output is committed and embedded in
// the wiot CLI (kernel/report/map_data.S). To rebuild:
//
//   mkdir /tmp/wmap && cd /tmp/wmap && npm init -y >/dev/null &&
//     npm install world-atlas@2.0.2 i18n-iso-countries@7.14.0
//   node /path/to/wiot/data/maps/convert.mjs /tmp/wmap > data/maps/world_110m.txt
//
// Output: a comment header, "frame WIDTH HEIGHT TOP" (see below), one line per country, "ISO3 NAME<TAB>PATH": the ISO
// 3166-1 alpha-3 code (from the numeric id through i18n-iso-countries; the three
// Natural Earth shapes without an ISO code get Natural Earth's ADM0_A3: XKX Kosovo,
// CYN N. Cyprus, SOL Somaliland), the Natural Earth short name and an SVG path in a
// 960-unit-wide Equal Earth frame (Savric, Patterson & Jenny 2019), y down, absolute
// first point then relative moves, coordinates rounded to 0.1 unit. Antarctica is
// left out (no input-output table has it). The TopoJSON is decoded here (quantized,
// delta-encoded arcs), so no TopoJSON or projection library is needed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const dir = process.argv[2] || ".";
const require = createRequire(path.join(path.resolve(dir), "x.js"));
const topo = JSON.parse(readFileSync(path.join(dir, "node_modules/world-atlas/countries-110m.json"), "utf8"));
const iso = require("i18n-iso-countries");
const pkg = JSON.parse(readFileSync(path.join(dir, "node_modules/world-atlas/package.json"), "utf8"));

const WIDTH = 960;
const A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796, M = Math.sqrt(3) / 2;
function equalEarth(lon, lat) {
  const l = (lon * Math.PI) / 180, p = (lat * Math.PI) / 180;
  const t = Math.asin(M * Math.sin(p)), t2 = t * t, t6 = t2 * t2 * t2;
  const x = (2 * Math.sqrt(3) * l * Math.cos(t)) / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1));
  const y = A4 * t6 * t2 * t + A3 * t6 * t + A2 * t2 * t + A1 * t;
  return [x, y];
}
const [XMAX] = equalEarth(180, 0);
const [, YMAX] = equalEarth(0, 90);
const S = WIDTH / (2 * XMAX);
const HEIGHT = Math.round(2 * YMAX * S * 10) / 10;
const proj = (lon, lat) => {
  const [x, y] = equalEarth(lon, lat);
  return [Math.round((x + XMAX) * S * 10), Math.round((YMAX - y) * S * 10)];   // tenths
};

const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
const arcs = topo.arcs.map((arc) => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
});
function ring(idx) {
  const pts = [];
  for (const i of idx) {
    const a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
    for (let k = pts.length ? 1 : 0; k < a.length; k++) pts.push(a[k]);
  }
  return pts;
}
// Rings crossing the antimeridian (Fiji, Russia's Chukotka) jump by ~360 degrees of
// longitude between neighbours: unwrap them, then clip the unwrapped ring at
// lon = 180 into a western and an eastern part (Sutherland-Hodgman against one line).
function clip(pts, keepLeft) {
  const inside = (p) => (keepLeft ? p[0] <= 180 : p[0] >= 180);
  const out = [];
  for (let k = 0; k < pts.length; k++) {
    const a = pts[k], b = pts[(k + 1) % pts.length];
    if (inside(a)) out.push(a);
    if (inside(a) !== inside(b)) {
      const t = (180 - a[0]) / (b[0] - a[0]);
      out.push([180, a[1] + t * (b[1] - a[1])]);
    }
  }
  return out;
}
function splitRing(pts) {
  let crosses = false;
  for (let k = 1; k < pts.length; k++) if (Math.abs(pts[k][0] - pts[k - 1][0]) > 180) crosses = true;
  if (!crosses) return [pts];
  const u = [pts[0]];
  for (let k = 1; k < pts.length; k++) {
    let lon = pts[k][0];
    while (lon - u[k - 1][0] > 180) lon -= 360;
    while (lon - u[k - 1][0] < -180) lon += 360;
    u.push([lon, pts[k][1]]);
  }
  // shift so the ring lies on [0, 360): the cut is then at 180
  const shift = Math.min(...u.map((p) => p[0])) < -180 ? 360 : 0;
  const v = u.map(([lon, lat]) => [lon + shift, lat]);
  const west = clip(v, true), east = clip(v, false).map(([lon, lat]) => [lon - 360, lat]);
  // the eastern hemisphere part (lon <= 180) and the part past 180, moved to -180..
  return [west, east].filter((r) => r.length >= 3).map((r) => r.map(([lon, lat]) => [Math.max(-180, Math.min(180, lon)), lat]));
}
const t10 = (v) => { const s = (v / 10).toFixed(1); return s.endsWith(".0") ? s.slice(0, -2) : s; };
function ringPath(pts, top) {
  const q = [];
  for (const [lon, lat] of pts) {
    const p = proj(lon, lat);
    p[1] -= top;
    if (!q.length || p[0] !== q[q.length - 1][0] || p[1] !== q[q.length - 1][1]) q.push(p);
  }
  if (q.length < 3) return "";
  let s = `M${t10(q[0][0])} ${t10(q[0][1])}`;
  for (let k = 1; k < q.length; k++) {
    const dx = t10(q[k][0] - q[k - 1][0]), dy = t10(q[k][1] - q[k - 1][1]);
    s += `l${dx}${dy.startsWith("-") ? "" : " "}${dy}`;
  }
  return s + "z";
}
const extra = { Kosovo: "XKX", "N. Cyprus": "CYN", Somaliland: "SOL" };
const out = [], shapes = [];
let ymin = Infinity, ymax = -Infinity;
for (const g of topo.objects.countries.geometries) {
  const name = g.properties.name;
  const code = g.id !== undefined ? iso.numericToAlpha3(g.id) : extra[name];
  if (!code) throw new Error(`no ISO code for ${g.id} ${name}`);
  const polys = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
  if (code === "ATA") continue;
  const rings = polys.flatMap((poly) => poly.flatMap((r) => splitRing(ring(r))));
  for (const r of rings) for (const [lon, lat] of r) { const y = proj(lon, lat)[1]; ymin = Math.min(ymin, y); ymax = Math.max(ymax, y); }
  shapes.push([code, name, rings]);
}
// the frame: the full width, cropped to the drawn countries' latitudes (no Antarctica)
const top = ymin - 20;   // tenths: 2 units of margin
const HEIGHT_CROP = Math.round((ymax + 20 - top)) / 10;
for (const [code, name, rings] of shapes) {
  const d = rings.map((r) => ringPath(r, top)).join("");
  if (d) out.push(`${code} ${name}\t${d}`);
}
out.sort();
console.log(`# world_110m.txt: Natural Earth 1:110m admin-0 countries (public domain) from the npm`);
console.log(`# package world-atlas ${pkg.version} (ISC), Equal Earth projection (full frame ${WIDTH} x ${HEIGHT},`);
console.log(`# cropped to the countries drawn: ${WIDTH} x ${HEIGHT_CROP}),`);
console.log(`# written by data/maps/convert.mjs; one line per country: ISO3 NAME<TAB>SVG path`);
// frame WIDTH HEIGHT TOP: TOP = where the cropped frame starts in the full one, so a
// point (lon, lat) lies at x = (X + XMAX) S, y = (YMAX - Y) S - TOP (X, Y: Equal Earth)
console.log(`frame ${WIDTH} ${HEIGHT_CROP} ${top / 10}`);
for (const l of out) console.log(l);
