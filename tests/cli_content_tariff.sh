#!/bin/sh
# CLI tests of content-based tariffs, non-tariff barriers and `wiot scenarios`
# (README "Content-based tariffs and non-tariff barriers"): exit codes, exact messages,
# outputs. usage: sh tests/cli_content_tariff.sh PATH/TO/wiot
set -u
W=${1:-./wiot}
case $W in /*) ;; *) W="$(pwd)/$W" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# check NAME EXPECTED_EXIT STREAM PATTERN -- CMD...
check() {
    name=$1 want=$2 stream=$3 pat=$4
    shift 5
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: exit $got, expected $want"; sed 's/^/  | /' "$tmp/err" | head -5
        fail=$((fail + 1)); return
    fi
    if [ -n "$pat" ] && ! grep -q -e "$pat" "$tmp/$stream"; then
        echo "FAIL $name: $stream lacks '$pat'"; sed 's/^/  | /' "$tmp/$stream" | head -8
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
# exact stderr (the table's own two warnings filtered out)
check_msg() {
    name=$1 want=$2 msg=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err0"
    got=$?
    grep -v "^wiot: warning: wiot_20[0-9]*.csv.gz: " "$tmp/err0" > "$tmp/err"
    if [ "$got" != "$want" ] || [ "$(cat "$tmp/err")" != "$msg" ]; then
        echo "FAIL $name: exit $got (want $want), stderr:"; sed 's/^/  | /' "$tmp/err"
        echo "  expected: $msg"
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
ok() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*"; fail=$((fail + 1)); fi; }
# a result (printed with round-trip digits) equal to a 10-digit expectation to 5e-10 relative
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; d = d < 0 ? -d : d; m = b < 0 ? -b : b; exit !(d <= 5e-10 * m) }'; }
# field F of the countries.csv row of scenario S, country C in file
field() { grep "^$2,$3," "$1" | cut -d, -f"$4"; }

cd "$(dirname "$0")" || exit 1
FLAT=us232_autos_2025-05-03_vehicles_and_parts
CONT=us232_autos_2025-05-03_usmca_content
CHIP=us_chip_content_2025_illustrative

# ---- wiot scenarios: the list and one scenario (README commands, as written)
check help_scen 0 out "usage: wiot scenarios" -- "$W" scenarios --help
check help_main 0 out "scenarios     the built-in" -- "$W" --help
check scen_list 0 out "^$CONT  *2025-05-03 USA -> 40 countries  *240  *1004046  tariff;except_content_of  us_content_2025.csv" -- "$W" scenarios
ok grep -q "^44 scenarios on wiot_2011.csv.gz (built in)" "$tmp/out"
ok grep -q "^cn2025_02-10_coal_lng_oil_cars_agmach  *2025-02-10 CHN -> USA " "$tmp/out"
ok grep -q "^$CHIP  *- *USA -> 40 countries  *1  *2050649  on_content_of  us_content_2025.csv" "$tmp/out"
check scen_list_csv 0 out "" -- "$W" scenarios -o "$tmp/list.csv" --quiet
ok test "$(head -1 "$tmp/list.csv")" = "scenario,date,imposers,targets,lines,trade_covered_musd,measures,file"
ok test "$(wc -l < "$tmp/list.csv")" -eq 45
check scen_one 0 out "^  CAN      c15        0.164016   0.122988$" -- "$W" scenarios $CONT
ok grep -q "^  MEX      c15        0.144313   0.159044$" "$tmp/out"
ok grep -q "^  242    USA            CAN            c15               0.147118  except_content_of=USA$" "$tmp/out"
ok grep -q "^$CONT: 240 lines, from us_content_2025.csv; date 2025-05-03$" "$tmp/out"
check scen_gross 0 out "^  CAN      c15        0.410070   0.086789$" -- "$W" scenarios $CONT --content-measure gross
check scen_roo 0 out "^  CAN      c15        0.841148   0.000000$" -- "$W" scenarios us232_autos_usmca_roo75_illustrative
check scen_csv 0 out "" -- "$W" scenarios $CONT -o "$tmp/one.csv" --quiet
ok test "$(head -1 "$tmp/one.csv")" = "scenario,line,imposer,target,sector,measure,rate,share,effective_rate,in_force"
ok test "$(wc -l < "$tmp/one.csv")" -eq 241
ok grep -q "^$CONT,242,USA,CAN,c15,except_content_of,0.147118,0.16401629083542418,0.12298825132487408,1$" "$tmp/one.csv"
check scen_chip_csv 0 out "" -- "$W" scenarios $CHIP -o "$tmp/chip.csv" --quiet
ok test "$(wc -l < "$tmp/chip.csv")" -eq 641
check_msg scen_unknown 1 "wiot: unknown scenario 'us232_autos_content' (closest: us232_autos_2025-05-03_usmca_content, us232_2025-03-12_all_25, us232_autos_2025-04-03_vehicles, us232_2023-2024_trq_regime, us232_autos_usmca_roo75_illustrative; 44 scenarios available)" -- "$W" scenarios us232_autos_content
check_msg scen_stack 2 "wiot scenarios: '$FLAT+$CHIP' is a stack; give one name (see 'wiot scenarios --help')" -- "$W" scenarios "$FLAT+$CHIP"
check_msg bad_cm 2 "wiot tariff: --content-measure takes va or gross, got 'value' (see 'wiot tariff --help')" -- "$W" tariff --content-measure value

# ---- the 2025 autos, flat against non-US content (README figures)
check autos 0 out "^Scenario $CONT" -- "$W" tariff -n $FLAT -n $CONT -o autos
ok near "$(field autos/countries.csv $FLAT USA 4)" "0.001595969931"
ok near "$(field autos/countries.csv $CONT USA 4)" "0.001714943242"
ok near "$(field autos/countries.csv $FLAT CAN 4)" "0.0003401554346"
ok near "$(field autos/countries.csv $CONT CAN 4)" "0.000364091903"
ok near "$(field autos/countries.csv $FLAT MEX 4)" "0.0002854236576"
ok near "$(field autos/countries.csv $CONT MEX 4)" "0.0003053868074"
ok near "$(field autos/countries.csv $FLAT USA 7)" "44154.80512"
ok near "$(field autos/countries.csv $CONT USA 7)" "47656.57772"
rm -rf autos
check autos_gross 0 out "tariff revenue 43430.4 (USA 43430.4)" -- "$W" tariff -n $CONT --content-measure gross
check chip 0 out "^  USA   imposer             0.0438       0.0438     0.0823         9491.6      14175.5$" -- "$W" tariff -n $CHIP
# batches: the sweep at scale 1 equals the single run, content lines resolved once
check sweep_cont 0 out "" -- "$W" sweep -n $CONT --scale 0:1:2 -o "$tmp/sw.csv" --quiet
ok near "$(grep "^$CONT,1,USA," "$tmp/sw.csv" | cut -d, -f5)" "0.001714943242"

# ---- NTBs and the README's own scenario example (trailing comments allowed)
cd "$tmp" || exit 1
cat > my_measures.csv <<'CSV'
scenario,imposer,target,sector,rate,measure
eu_retaliation,EU27,USA,goods,0.25
eu_retaliation,EU27,USA,c3,0.10          # later line wins for food
jp_kr_2019_export_control,JPN,KOR,c9,0.30,ntb                     # licensing of chemicals as a 30 % cost
jp_kr_2019_as_tariff,JPN,KOR,c9,0.30
chip_roo,USA,CHN,c14,0.25,unless_content_of=USA;JPN;KOR;TWN>=0.10   # duty unless 10 % allied content
CSV
check readme_example 0 out "^Scenario eu_retaliation" -- "$W" tariff -s my_measures.csv -n eu_retaliation -n jp_kr_2019_export_control -n jp_kr_2019_as_tariff -n chip_roo -o ntb
ok test "$(field ntb/countries.csv jp_kr_2019_export_control KOR 4)" = "$(field ntb/countries.csv jp_kr_2019_as_tariff KOR 4)"
ok test "$(field ntb/countries.csv jp_kr_2019_export_control JPN 5)" = "$(field ntb/countries.csv jp_kr_2019_as_tariff JPN 5)"
ok near "$(field ntb/countries.csv jp_kr_2019_export_control KOR 7)" "0"
ok near "$(field ntb/countries.csv jp_kr_2019_as_tariff KOR 7)" "0"
ok near "$(field ntb/countries.csv jp_kr_2019_export_control JPN 7)" "0"
ok test "$(field ntb/countries.csv jp_kr_2019_as_tariff JPN 7)" != "0"
grep "^jp_kr_2019_export_control," ntb/prices.csv | cut -d, -f2- > p_ntb
grep "^jp_kr_2019_as_tariff," ntb/prices.csv | cut -d, -f2- > p_tar
ok cmp -s p_ntb p_tar
check scen_ntb 0 out "^jp_kr_2019_export_control  *- *JPN -> KOR  *1 .* ntb  my_measures.csv$" -- "$W" scenarios -s my_measures.csv
check sweep_ntb 0 out "" -- "$W" sweep -s my_measures.csv -n jp_kr_2019_export_control --scale 0:2:3 -o sw_ntb.csv --quiet
ok test "$(cut -d, -f8 sw_ntb.csv | sort -u | tr '\n' ' ')" = "0 tariff_revenue_musd "
# the example of README "Scenario file format" (5 columns, a trailing comment)
cat > fmt.csv <<'CSV'
scenario,imposer,target,sector,rate
eu_retaliation,EU27,USA,goods,0.25
eu_retaliation,EU27,USA,c3,0.10          # later line wins for food
everyone_vs_us,*;!USA,USA,c1..c16;!c2,0.10
CSV
check readme_format 0 out "^everyone_vs_us  *- *40 countries -> USA  *1 " -- "$W" scenarios -s fmt.csv
check readme_format_run 0 out "^Scenario eu_retaliation" -- "$W" tariff -s fmt.csv -n eu_retaliation -n everyone_vs_us
# a rate meant as a percentage warns once, naming file and line, also over several years
printf 'scenario,imposer,target,sector,rate\npct,USA,CHN,c1,25\n' > pct.csv
check pct_warn 0 err "^wiot: warning: pct.csv:2: field 'rate': rate 25 is above 2 (200 %); rates are fractions (0.25 = 25 %)$" -- "$W" tariff -s pct.csv -n pct --years 2010,2011
ok test "$(grep -c "pct.csv:2" "$tmp/err")" -eq 1

# ---- bad input: file, line and field named; nothing written
printf 'scenario,imposer,target,sector,rate,measure\na,USA,CHN,c1,0.1,quota\n' > m1.csv
check_msg bad_measure 1 "wiot: m1.csv:2: field 'measure': unknown measure 'quota' (valid: tariff, ntb, on_content_of=SPEC, except_content_of=SPEC, unless_content_of=SPEC>=X)" -- "$W" tariff -s m1.csv -n a -o out1
ok test ! -e out1
printf 'scenario,imposer,target,sector,rate,measure\na,USA,CHN,c1,0.1,on_content_of=CHN:c99\n' > m2.csv
check bad_spec 1 err "^wiot: m2.csv:2: field 'measure': unknown sector 'c99' (valid: c1 c2 " -- "$W" tariff -s m2.csv -n a
printf 'scenario,imposer,target,sector,rate,measure\na,USA,CHN,c1,0.1,unless_content_of=USA>=2\n' > m3.csv
check_msg bad_thr 1 "wiot: m3.csv:2: field 'measure': threshold 2 is outside [0, 1] (a content share as a fraction, 0.75 = 75 %)" -- "$W" scenarios -s m3.csv
printf 'scenario,imposer,target,sector,rate,measure\na,USA,ZZZ,c1,0.1,on_content_of=CHN\n' > m4.csv
check bad_target 1 err "^wiot: m4.csv:2: field 'target': unknown country 'ZZZ'" -- "$W" tariff -s m4.csv -n a

echo "cli_content_tariff: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
