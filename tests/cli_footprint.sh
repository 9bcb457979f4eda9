#!/bin/sh
# CLI tests of the satellite accounts: wiot footprint and wiot multipliers --extension
# (exit codes, exact messages, CSV layouts and values; style of tests/cli_tests.sh).
# usage: sh tests/cli_footprint.sh PATH/TO/wiot
set -u
W=${1:-./wiot}
case $W in /*) ;; *) W="$(pwd)/$W" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

check() {
    name=$1 want=$2 stream=$3 pat=$4
    shift 5
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: exit $got, expected $want"; sed 's/^/  | /' "$tmp/err" | head -5
        fail=$((fail + 1)); return
    fi
    if [ -n "$pat" ] && ! grep -q -F -e "$pat" "$tmp/$stream"; then
        echo "FAIL $name: $stream lacks '$pat'"; sed 's/^/  | /' "$tmp/$stream" | head -12
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
check_msg() {
    name=$1 want=$2 msg=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ] || [ "$(cat "$tmp/err")" != "$msg" ]; then
        echo "FAIL $name: exit $got (want $want), stderr:"; sed 's/^/  | /' "$tmp/err"
        echo "  expected: $msg"
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
ok() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*"; fail=$((fail + 1)); fi; }

cd "$(dirname "$0")" || exit 1
T=../data/examples/pymrio_test_mrio.csv
E=../data/examples/pymrio_test_mrio_emissions.csv
EY=../data/examples/pymrio_test_mrio_emissions_final_demand.csv

check help_footprint 0 out "usage: wiot footprint" -- "$W" footprint --help
check help_main 0 out "  footprint     satellite accounts" -- "$W" --help
check help_mult 0 out "With --extension NAME" -- "$W" multipliers --help

# the README's worked example, from the repository root, exactly as written there
check readme_example 0 out "  reg6         8.24408e+08     8.54409e+08     1.01903e+08     1.31904e+08" -- \
    sh -c "cd .. && '$W' footprint -t data/examples/pymrio_test_mrio.csv \
    --extensions data/examples/pymrio_test_mrio_emissions.csv \
    --extensions-fd data/examples/pymrio_test_mrio_emissions_final_demand.csv \
    --extension 'emission_type1 (air)' --top 3 -o $tmp/footprint.csv"
ok grep -q -F "  world        2.35597e+09     2.35597e+09     5.09616e+08     5.09616e+08" "$tmp/out"
ok test "$(head -1 "$tmp/footprint.csv")" = "stressor,unit,country,account,value"
ok test "$(wc -l < "$tmp/footprint.csv")" -eq 25
# D_cba of reg1 and D_exp of reg6, pymrio's D_cba_reg (+ F_Y) and D_exp_reg by numpy:
# 207752104.43162817 and 131904473.09105945 (tests/satellite/expected.csv)
ok grep -q -x -F "emission_type1 (air),kg,reg1,D_cba,207752104.4" "$tmp/footprint.csv"
ok grep -q -x -F "emission_type1 (air),kg,reg6,D_exp,131904473.1" "$tmp/footprint.csv"

# both stressors, by sector and by category
check all_stressors 0 out "emission_type2 (water) [kg]: top 6 of 6 countries" -- \
    "$W" footprint -t $T --extensions $E --extensions-fd $EY -o "$tmp/all.csv"
ok test "$(wc -l < "$tmp/all.csv")" -eq 49
check by_sector 0 out "wrote $tmp/sec.csv" -- "$W" footprint -t $T --extensions $E --by-sector -o "$tmp/sec.csv"
ok test "$(head -1 "$tmp/sec.csv")" = "stressor,unit,country,sector,account,value"
ok test "$(wc -l < "$tmp/sec.csv")" -eq 385
check by_category 0 out "" -- "$W" footprint -t $T --extensions $E --extensions-fd $EY --by-category -o "$tmp/cat.csv" --quiet
ok test "$(head -1 "$tmp/cat.csv")" = "stressor,unit,country,category,value"
ok test "$(wc -l < "$tmp/cat.csv")" -eq 85
ok test ! -s "$tmp/out"
# tidy layout: the same CSV as the wide layout
check tidy 0 out "" -- "$W" footprint -t $T --extensions satellite/emissions_tidy.csv \
    --extensions-fd satellite/emissions_fd_tidy.csv -o "$tmp/tidy.csv" --quiet
ok sh -c "sed 1d '$tmp/all.csv' | cut -d, -f3- > '$tmp/a' && sed 1d '$tmp/tidy.csv' | cut -d, -f3- > '$tmp/b' && cmp -s '$tmp/a' '$tmp/b'"

# gzip text reads as the plain file
gzip -c $E > "$tmp/e.csv.gz"
check gzip 0 out "" -- "$W" footprint -t $T --extensions "$tmp/e.csv.gz" -o "$tmp/gz.csv" --quiet
check plain 0 out "" -- "$W" footprint -t $T --extensions $E -o "$tmp/plain.csv" --quiet
ok cmp -s "$tmp/gz.csv" "$tmp/plain.csv"

# providers: the table's own rows (value added of the wide layout; ICIO TAXSUB/VALU),
# EXIOBASE satellite/ found automatically, an impacts block, quoting of names with ','
check default_va 0 out "VA [millions of USD]: top 3 of 41 countries by D_cba" -- "$W" footprint --top 3
check icio 0 out "AUS_TAXSUB [millions of USD]" -- "$W" footprint -t formats/ICIO2021_2015.csv --top 1
check wiod2016 0 out "IntTTM [millions of USD]: top 1 of 4 countries by D_cba" -- "$W" footprint -t formats/WIOT2014_Nov16_ROW.csv --top 1
ok grep -q -F "TXSP [millions of USD]" "$tmp/out"
check exio 0 out "Footprints of formats/IOT_2019_ixi/satellite (EXIOBASE 3) on IOT_2019_ixi (6 stressors)" -- \
    "$W" footprint -t formats/IOT_2019_ixi --top 1
check exio_impacts 0 out "GWP100 (IPCC, 2010) [kg CO2 eq.]" -- \
    "$W" footprint -t formats/IOT_2019_ixi --extensions satellite/exio/impacts -o "$tmp/imp.csv" --top 1
ok grep -q '^"GWP100 (IPCC, 2010)",kg CO2 eq.,AT,D_cba,' "$tmp/imp.csv"

check eora 0 out "I-GHG-CO2 emissions | PRIMAPHIST [Gg]: top 1 of 3 countries by D_cba" -- \
    "$W" footprint -t formats/Eora26_2010_bp --extensions satellite/eora26_q --top 1
check eora_own 0 out "Footprints of Eora26_2010_bp: primary inputs on Eora26_2010_bp (7 stressors)" -- \
    "$W" footprint -t formats/Eora26_2010_bp --top 1

# multipliers of an extension
check mult_ext 0 out "Multipliers of emission_type1 (air) [kg; output in millions of USD] on pymrio_test_mrio.csv (top 2 of 48)" -- \
    "$W" multipliers -t $T --extensions $E --extension 'emission_type1 (air)' --top 2 -o "$tmp/m.csv"
ok test "$(head -1 "$tmp/m.csv")" = "stressor,unit,country,sector,intensity,multiplier,downstream"
ok test "$(wc -l < "$tmp/m.csv")" -eq 49
# pymrio's published factor-input multiplier of reg1_food: 0.53905275 (the 6th field)
check mult_va 0 out "" -- "$W" multipliers -t $T --extensions ../data/examples/pymrio_test_mrio_factor_input.csv \
    --extension '*' -o "$tmp/va.csv"
ok grep -q -F "Value Added (pymrio extension),Mill USD,reg1,food,0.466187895,0.5390527501," "$tmp/va.csv"
check mult_exio 0 out "CO2 - combustion - air [kg; output in millions of EUR]" -- \
    "$W" multipliers -t formats/IOT_2019_ixi --extension 'CO2 - combustion - air' --top 1

# tariff and extract: the stressor embodied in the taxed imports / lost with the output.
# Value added embodied in the taxed imports equals their value (V's columns sum to 1).
check tariff_va 0 out "  VA [millions of USD]: 506649 in all; where it occurs (% of the country's own total):" -- \
    "$W" tariff --extension VA --top 3
ok grep -q -F "Embodied in the imports scenario us301_2020-02-14_list4A_at7.5+cn_ret_2020-02-14_round1_halved taxes (506649 millions of USD, intermediate and final, at baseline values):" "$tmp/out"
ok grep -q -F "    CHN               277199  (  3.752 %)" "$tmp/out"
check tariff_quiet 0 out "" -- "$W" tariff --extension VA --quiet
ok test ! -s "$tmp/out"
check extract_va 0 out "    CHN          1.61347e+06  ( 21.838 %)" -- "$W" extract --source CHN --extension VA --top 2
check extract_exio 0 out "  Employment: Low-skilled male [1000 p.]: 14.9737 in all" -- \
    "$W" extract -t formats/IOT_2019_ixi --source US --extension 'Employment: Low-skilled male' --top 2
# content: the source's value added per unit of final demand is wiot content's va share
# (0.9998401766 for reg3_food, the content CSV's value)
check content_va 0 out "    reg3_food                       0.99984" -- \
    "$W" content -t $T --source reg3 --extension VA --top 2 -o "$tmp/c.csv"
ok awk -F, '$1 == "reg3" && $2 == "food" && NF == 3 { d = $3 - 0.9998401766; f = (d < 0 ? -d : d) < 5e-11 } END { exit !f }' "$tmp/c.csv"   # 10 digits shown; the file has round-trip digits
check content_co2 0 out "  emission_type1 (air) of reg3 origin embodied per unit of final demand [kg per millions of USD], highest:" -- \
    "$W" content -t $T --source reg3 --extensions $E --extension 'emission_type1 (air)' --top 3
check tariff_nostressor 1 err "wiot: no stressor 'jobs' in wiot_2011.csv.gz: primary inputs (stressors: VA)" -- \
    "$W" tariff --extension jobs
# errors: exact messages, nothing written
check_msg fd_alone 2 "wiot footprint: --extensions-fd needs --extensions FILE (see 'wiot footprint --help')" -- \
    "$W" footprint -t $T --extensions-fd $EY
check_msg both_modes 2 "wiot footprint: --by-sector and --by-category exclude each other (see 'wiot footprint --help')" -- \
    "$W" footprint --by-sector --by-category -o "$tmp/x.csv"
check_msg mode_no_out 2 "wiot footprint: --by-sector changes what -o FILE writes; give -o FILE (see 'wiot footprint --help')" -- \
    "$W" footprint --by-sector
check_msg no_stressor 1 "wiot: no stressor 'CO2' in ../data/examples/pymrio_test_mrio_emissions.csv (stressors: emission_type1 (air), emission_type2 (water))" -- \
    "$W" footprint -t $T --extensions $E --extension CO2 -o "$tmp/none.csv"
ok test ! -e "$tmp/none.csv"
check_msg bad_country 1 "wiot: satellite/bad/tidy_country.csv:6: field 'country': unknown country 'reg9'" -- \
    "$W" footprint -t $T --extensions satellite/bad/tidy_country.csv
check_msg bad_number 1 "wiot: satellite/bad/number.csv:3: column 'reg1_food': '13x9250.47' is not a number" -- \
    "$W" multipliers -t $T --extensions satellite/bad/number.csv --extension x
check wrong_table 1 err "wiot: satellite/bad/../emissions_tidy.csv:2: field 'country': unknown country 'reg1'" -- \
    "$W" footprint --extensions satellite/bad/../emissions_tidy.csv
check_msg exio_region 1 "wiot: satellite/bad/exio_region/F.txt:1: column 3: region 'XX' differs from the table's 'AT'" -- \
    "$W" footprint -t formats/IOT_2019_ixi --extensions satellite/bad/exio_region
check_msg opt_elsewhere 2 "wiot info: option '--by-category' does not apply to this command (see 'wiot info --help')" -- \
    "$W" info --by-category
# a failing run leaves an earlier output untouched
cp "$tmp/all.csv" "$tmp/keep.csv"
check fail_keeps 1 err "unknown country" -- "$W" footprint -t $T --extensions satellite/bad/tidy_country.csv -o "$tmp/all.csv"
ok cmp -s "$tmp/all.csv" "$tmp/keep.csv"

echo "cli footprint tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
