#!/bin/sh
# The report in a real browser (make test-browser): headless Chromium renders the
# default run's report.html and two of its charts to PNG; the test checks that the
# page makes no request (Chromium's net log), that the screenshot is not blank, and
# pixels: the colour under the largest bar and inside the USA on the map.
# usage: sh tests/browser_test.sh PATH/TO/wiot PATH/TO/png_probe [OUTDIR]
# OUTDIR (default build/browser) keeps the screenshots; report.png is the README's.
set -u
W=$1 P=$2 OUT=${3:-build/browser}
case $W in /*) ;; *) W="$(pwd)/$W" ;; esac
case $P in /*) ;; *) P="$(pwd)/$P" ;; esac
B=$(command -v chromium || command -v chromium-browser) || { echo "browser test: chromium missing (sh .ci/install-deps browser)"; exit 1; }
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*"; fail=$((fail + 1)); fi; }
is() { if [ "$2" = "$3" ]; then pass=$((pass + 1)); else echo "FAIL $1: got '$2', expected '$3'"; fail=$((fail + 1)); fi; }
# shot URL PNG WIDTH HEIGHT [NETLOG]: a fresh profile each time, nothing from the network
shot() {
    prof=$(mktemp -d "$tmp/prof.XXXXXX")
    timeout 120 "$B" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$prof" --hide-scrollbars --force-device-scale-factor=1 \
        --window-size="$3,$4" ${5:+--log-net-log="$5"} --screenshot="$2" "$1" >"$tmp/chromium.log" 2>&1
    [ -s "$2" ] || { echo "chromium wrote no screenshot:"; tail -5 "$tmp/chromium.log"; return 1; }
}
# requests the page itself started (not Chromium's own background traffic, whose
# initiator is "not an origin"): their URLs, one a line
page_requests() { grep '"initiator"' "$1" | grep -v '"initiator":"not an origin"' | grep -o '"url":"[^"]*"' | grep -v '"url":"file:'; }
attr() { xmllint --xpath "string($2)" "$1"; }

"$W" tariff -o "$tmp/t" --quiet 2>/dev/null
ok test -s "$tmp/t/report.html"

# 1. the detector works: a page that loads an image from the network is caught
printf '<html><body><img src="http://127.0.0.1:9/canary.png"/></body></html>\n' > "$tmp/canary.html"
shot "file://$tmp/canary.html" "$tmp/canary.png" 400 300 "$tmp/canary.json"
ok grep -q canary.png "$tmp/canary.json"
is canary_detected "$(page_requests "$tmp/canary.json" | grep -c canary)" 1

# 2. the report: loads with no request leaving the file, and is not blank
shot "file://$tmp/t/report.html" "$OUT/report.png" 840 3600 "$tmp/net.json"
ok test -s "$tmp/net.json"
is no_page_requests "$(page_requests "$tmp/net.json" | wc -l)" 0
set -- $("$P" "$OUT/report.png" stats)
is size "$1x$2" 840x3600
ok test "$3" -gt 200    # distinct colours (text anti-aliasing, the palette): a blank page has 1
ok test "$4" -gt 30     # non-white pixels per mille
# the inline charts rendered: the imposer-and-target colour of the USA and CHN bars
# (bars of about 550 and 440 x 12 px) and the map's darkest red (the USA) are there
ok test "$("$P" "$OUT/report.png" count CC79A7)" -gt 5000
ok test "$("$P" "$OUT/report.png" count 67001F)" -gt 2000

# the HTML parser kept every inline chart: as many <svg> elements in the DOM Chromium
# built as figures in the file (5 for the default run)
prof=$(mktemp -d "$tmp/prof.XXXXXX")
timeout 120 "$B" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$prof" --dump-dom "file://$tmp/t/report.html" > "$tmp/dom.html" 2>"$tmp/chromium.log"
is dom_svgs "$(grep -o '<svg ' "$tmp/dom.html" | wc -l)" "$(grep -o '<figure>' "$tmp/t/report.html" | wc -l)"
is dom_figures "$(grep -o '<figure>' "$tmp/dom.html" | wc -l)" 5
ok grep -q '<text x="[0-9.]*" y="[0-9.]*" font-size="10.0" fill="#333333" class="val">0.2596</text>' "$tmp/dom.html"

# 3. the colour under the largest bar (the first bar: sorted) of the consumer-price chart
S="$tmp/t/countries_consumer_prices.svg"
h=$(attr "$S" '/*/@height')
shot "file://$S" "$OUT/consumer_prices.png" 800 "$h"
bar='(//*[local-name()="rect"][@class="bar"])[1]'
x=$(attr "$S" "$bar/@x") y=$(attr "$S" "$bar/@y") w=$(attr "$S" "$bar/@width") bh=$(attr "$S" "$bar/@height")
fill=$(attr "$S" "$bar/@fill")
is largest_bar_label "$(attr "$S" "$bar/@data-label")" USA
is largest_bar_colour "$("$P" "$OUT/consumer_prices.png" pixel "$(awk "BEGIN{print int($x + $w / 2)}")" \
    "$(awk "BEGIN{print int($y + $bh / 2)}")")" "$fill"
is imposer_target_colour "$fill" "#CC79A7"
# just past the bar's end: no longer the bar's colour
ok test "$("$P" "$OUT/consumer_prices.png" pixel "$(awk "BEGIN{print int($x + $w + 60)}")" \
    "$(awk "BEGIN{print int($y + $bh / 2)}")")" != "$fill"

# 4. the USA on the map: (98 W, 39 N), Kansas, in the Equal Earth projection of
# data/maps/convert.mjs, through the map's transform, is the USA's fill
M="$tmp/t/countries_map.svg"
h=$(attr "$M" '/*/@height')
shot "file://$M" "$OUT/map.png" 800 "$h"
tr=$(attr "$M" '//*[local-name()="g"][@class="map"]/@transform')
top=$(awk '/^frame / { print $4; exit }' "$(dirname "$0")/../data/maps/world_110m.txt")
xy=$(echo "$tr" | awk -v top="$top" '{
    gsub(/[a-z()]/, " "); split($0, t, " "); tx = t[1]; ty = t[2]; s = t[3]
    pi = atan2(0, -1); A1 = 1.340264; A2 = -0.081106; A3 = 0.000893; A4 = 0.003796; M = sqrt(3) / 2
    # x, y of Equal Earth (Savric et al. 2019) for lon, lat in radians
    lat = 39 * pi / 180; lon = -98 * pi / 180
    th = atan2(M * sin(lat), sqrt(1 - (M * sin(lat)) ^ 2))
    X = 2 * sqrt(3) * lon * cos(th) / (3 * (9 * A4 * th ^ 8 + 7 * A3 * th ^ 6 + 3 * A2 * th ^ 2 + A1))
    Y = A4 * th ^ 9 + A3 * th ^ 7 + A2 * th ^ 3 + A1 * th
    XM = 2 * sqrt(3) * pi / (3 * A1); t9 = pi / 3
    YM = A4 * t9 ^ 9 + A3 * t9 ^ 7 + A2 * t9 ^ 3 + A1 * t9; S = 960 / (2 * XM)
    printf "%d %d", tx + s * (X + XM) * S, ty + s * ((YM - Y) * S - top) }')
usa=$(attr "$M" '//*[@data-iso="USA"]/@fill')
is usa_fill "$usa" "#67001F"   # in the top fifth of the changes: the darkest class
is usa_pixel "$("$P" "$OUT/map.png" pixel $xy)" "$usa"
# and the sea south of it (the Gulf of Mexico, 90 W 25 N) is not the USA's colour
ok test "$("$P" "$OUT/map.png" pixel $(echo "$xy" | awk '{ print $1 + 40, $2 + 55 }'))" != "$usa"

# 5. wiot ge's report: no request, and the colours under the largest gain (first bar,
# red) and the largest loss (last bar, CHN, blue) of the welfare chart
"$W" ge -o "$tmp/ge" --quiet
shot "file://$tmp/ge/report.html" "$OUT/ge_report.png" 840 2400 "$tmp/ge_net.json"
is ge_no_page_requests "$(page_requests "$tmp/ge_net.json" | wc -l)" 0
S="$tmp/ge/countries_welfare.svg"
h=$(attr "$S" '/*/@height')
shot "file://$S" "$OUT/ge_welfare.png" 800 "$h"
for k in 1 'last()'; do
    bar="(//*[local-name()='rect'][@class='bar'])[$k]"
    x=$(attr "$S" "$bar/@x") y=$(attr "$S" "$bar/@y") w=$(attr "$S" "$bar/@width") bh=$(attr "$S" "$bar/@height")
    is "ge_bar_${k}_colour" "$("$P" "$OUT/ge_welfare.png" pixel "$(awk "BEGIN{print int($x + $w / 2)}")" \
        "$(awk "BEGIN{print int($y + $bh / 2)}")")" "$(attr "$S" "$bar/@fill")"
done
is ge_last_bar "$(attr "$S" '(//*[local-name()="rect"][@class="bar"])[last()]/@data-label')" CHN

echo "browser tests: $pass passed, $fail failed (screenshots in $OUT)"
[ "$fail" -eq 0 ]
