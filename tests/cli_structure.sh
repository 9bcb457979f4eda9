#!/bin/sh
# CLI tests of issue 13's rough edges: the command table (help, man page, completion),
# output files (modes, FIFOs, symbolic links), the run record, round-trip digits, the
# role table and comparisons, warnings of shipped data, rankings without zero-output
# sectors, the TiVA columns. Usage: sh tests/cli_structure.sh ./build/wiot
set -u
W=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*"; fail=$((fail + 1)); fi; }
no() { if "$@"; then echo "FAIL (should not hold): $*"; fail=$((fail + 1)); else pass=$((pass + 1)); fi; }
S301=us301_2020-02-14_list4A_at7.5+cn_ret_2020-02-14_round1_halved
IEEPA=us_ieepa_2025-04-09_reciprocal_annexI_as_announced

# ---- the command table: help, help-check, man page, completion, version
"$W" --help > "$tmp/help"
for c in info leontief multipliers tariff sweep aggregate convert content tiva extract version man completion; do
    ok grep -q "^  $c " "$tmp/help"
    ok sh -c "'$W' $c --help | grep -q '^usage: wiot $c'"
done
ok "$W" help-check                                   # every accepted option is in its --help
ok sh -c "'$W' tariff --help | grep -q -- '--quiet'"
ok sh -c "'$W' tariff --help | grep -q -- '--max-memory SIZE'"
"$W" man > "$tmp/wiot.1"
ok grep -q '^\.TH WIOT 1' "$tmp/wiot.1"
ok test "$(grep -c '^\.SS ' "$tmp/wiot.1")" -eq "$(grep -c '^  [a-z]' "$tmp/help")"
no grep -q '^\.[^A-Za-z\\]' "$tmp/wiot.1"             # no text line taken as a request
if command -v groff >/dev/null 2>&1; then
    ok sh -c "groff -man -Tutf8 -ww '$tmp/wiot.1' 2>'$tmp/groff.err' >/dev/null && ! grep -q warning '$tmp/groff.err'"
fi
"$W" completion > "$tmp/compl.bash"
ok bash -n "$tmp/compl.bash"
ok bash -c ". '$tmp/compl.bash'; COMP_WORDS=(wiot ta); COMP_CWORD=1; _wiot; [ \"\${COMPREPLY[*]}\" = tariff ]"
ok bash -c ". '$tmp/compl.bash'; COMP_WORDS=(wiot tariff --pa); COMP_CWORD=2; _wiot; [ \"\${COMPREPLY[*]}\" = --passthrough ]"
ok bash -c ". '$tmp/compl.bash'; COMP_WORDS=(wiot info --max); COMP_CWORD=2; _wiot; [ \"\${COMPREPLY[*]}\" = --max-memory ]"
ok sh -c "'$W' version --help | grep -q '^usage: wiot version'"
ok sh -c "'$W' version x 2>&1 >/dev/null | grep -q \"^wiot version: takes no arguments, got 'x'\""

# ---- output files: 0666 & ~umask, FIFOs written in place, symbolic links followed
(umask 022 && "$W" tariff -o "$tmp/r22" --quiet)
ok test "$(stat -c %a "$tmp/r22/prices.csv")" = 644
(umask 077 && "$W" multipliers -o "$tmp/m77.csv" > /dev/null)
ok test "$(stat -c %a "$tmp/m77.csv")" = 600
(umask 002 && "$W" multipliers -o "$tmp/m02.csv" > /dev/null)
ok test "$(stat -c %a "$tmp/m02.csv")" = 664
chmod 640 "$tmp/m02.csv"                              # a replaced file keeps its mode
"$W" multipliers -o "$tmp/m02.csv" > /dev/null
ok test "$(stat -c %a "$tmp/m02.csv")" = 640
mkfifo "$tmp/fifo"
cat "$tmp/fifo" > "$tmp/fifo.out" &
reader=$!
ok timeout 60 "$W" multipliers -o "$tmp/fifo" > /dev/null
wait $reader
ok test -p "$tmp/fifo"                                # still a FIFO, not replaced
ok test "$(head -1 "$tmp/fifo.out")" = "country,sector,output_multiplier,backward_linkage,forward_linkage,direct_backward,direct_forward"
ok test "$(wc -l < "$tmp/fifo.out")" -eq 1436
echo old > "$tmp/target.csv"
ln -s target.csv "$tmp/link.csv"
"$W" multipliers -o "$tmp/link.csv" > /dev/null
ok test -L "$tmp/link.csv"                            # the link stays a link
ok test "$(wc -l < "$tmp/target.csv")" -eq 1436       # and its target was written
ln -s nowhere/x.csv "$tmp/dangling.csv"
ok sh -c "'$W' multipliers -o '$tmp/dangling.csv' 2>&1 >/dev/null | grep -q '^wiot: $tmp/dangling.csv: a symbolic link whose target cannot be written'"
ok test -L "$tmp/dangling.csv"
no sh -c "ls -a '$tmp' '$tmp/r22' | grep -q wiot-tmp"   # no temporary left behind

# ---- the run record beside the CSVs of -o OUTDIR
J="$tmp/r22/run.json"
ok grep -q '"command": "tariff"' "$J"
ok grep -q '"argv": \["wiot", "tariff", "-o", ' "$J"
ok grep -q "\"scenarios\": \[\"$S301\"\]" "$J"
ok grep -q '"table": {"name": "wiot_2011.csv.gz", "path": "(embedded WIOD 2013, 2011)", "countries": 41, "sectors": 35, "year": 2011, "crc32": "[0-9a-f]\{8\}"}' "$J"
ok grep -q '"date": "20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-9:]*Z"' "$J"
if command -v python3 >/dev/null 2>&1; then
    ok python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['pass_through'] == 1 and d['method'] == 'both'" "$J"
fi

# ---- numbers round-trip: the shortest digits that read back to the same double
ok grep -q "^$S301,USA,imposer+target,0.00259[0-9]\{10,14\}," "$tmp/r22/countries.csv"
"$W" tiva -t ../data/examples/decompr_leather.csv -o "$tmp/tivad.csv"
ok grep -q "^ARG,64.3," "$tmp/tivad.csv"              # 64.3, not 64.299999999999997

# ---- the role table is sorted and cut at --top; several scenarios side by side
"$W" tariff -n $IEEPA --top 3 > "$tmp/ieepa.out"
ok grep -q '^  \.\.\. and 36 more targets' "$tmp/ieepa.out"
ok test "$(sed -n '/role  *consumer/,/more targets/p' "$tmp/ieepa.out" | grep -c ' target ')" -eq 3
ok sh -c "sed -n '/role  *consumer/,/more targets/p' '$tmp/ieepa.out' | awk '/ target /{print \$3}' | sort -rn -c"
"$W" tariff -n $IEEPA -n $S301 --top 4 > "$tmp/two.out"
ok grep -q '^  Consumer-price change by country and scenario' "$tmp/two.out"
ok grep -q "^  S2 = $S301\$" "$tmp/two.out"
ok grep -q '^  USA  *1\.4424  *0\.2596$' "$tmp/two.out"
"$W" tariff --years 2010:2011 -n $S301 > "$tmp/years.out" 2> "$tmp/years.err"
ok test "$(grep -c " $S301 " "$tmp/years.out")" -eq 2  # names are not cut
ok test ! -s "$tmp/years.err"                          # shipped tables: no warnings

# ---- rankings leave zero-output sectors out; TiVA's columns say what they hold
"$W" multipliers --top 2000 > "$tmp/mult.out"
ok grep -q 'top 1413 of 1413; 22 zero-output sectors left out of the ranking' "$tmp/mult.out"
ok test "$(grep -c '^  [A-Z][A-Za-z]*_c[0-9]' "$tmp/mult.out")" -eq 1413
"$W" tiva -o "$tmp/tiva.csv" > /dev/null
ok grep -q '^country,exports,dva,fva,noorigin,fva_share,forward,forward_share,vax,va,va_in_world_final_demand,va_in_fd_from_AUS,' "$tmp/tiva.csv"
ok sh -c "'$W' tiva --help | grep -q 'va_in_world_final_demand (its value added absorbed by final demand'"

echo "cli structure tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
