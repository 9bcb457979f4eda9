#!/bin/sh
# CLI tests: exit codes, messages and outputs of the wiot driver (zstd-style).
# usage: sh tests/cli_tests.sh PATH/TO/wiot
set -u
W=${1:-./wiot}
case $W in /*) ;; *) W="$(pwd)/$W" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# check NAME EXPECTED_EXIT PATTERN_FILE(stdout|stderr) PATTERN -- CMD...
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
# exact one-line stderr
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
# Two CSV files (or two numbers) equal field by field, numbers to 1e-12 relative (+1e-300):
# result files print round-trip digits, and the batch engine and the single-scenario
# engine (or 1 and 2 threads) agree to ~1e-15, not bit for bit.
numeq() { awk -v tol=1e-12 'function num(x) { return x ~ /^[-+]?[0-9.]+([eE][-+]?[0-9]+)?$/ }
  NR == FNR { a[FNR] = $0; n = FNR; next }
  { if (!(FNR in a)) exit 1; na = split(a[FNR], x, ","); nb = split($0, y, ","); if (na != nb) exit 1
    for (i = 1; i <= na; i++) { if (x[i] == y[i]) continue
      if (!num(x[i]) || !num(y[i])) exit 1; d = x[i] - y[i]; d = d < 0 ? -d : d
      m = x[i] < 0 ? -x[i] : x[i]; if (d > tol * m + 1e-300) exit 1 } }
  END { if (FNR != n) exit 1 }' "$1" "$2"; }
numeq2() { printf '%s\n' "$1" > "$tmp/numeq.a"; printf '%s\n' "$2" > "$tmp/numeq.b"; numeq "$tmp/numeq.a" "$tmp/numeq.b"; }

cd "$(dirname "$0")" || exit 1

# help and usage
check help 0 out "commands:" -- "$W" --help
check noargs 2 err "usage: wiot COMMAND" -- "$W"
check_msg unknown_cmd 2 "wiot: unknown command 'frobnicate' (see 'wiot --help')" -- "$W" frobnicate
check_msg unknown_opt 2 "wiot info: unknown option '--bogus' (see 'wiot info --help')" -- "$W" info --bogus
check_msg bad_threads 2 "wiot tariff: --threads takes an integer 1..4096, got '0' (see 'wiot tariff --help')" -- "$W" tariff --threads 0
check_msg bad_pass 2 "wiot tariff: --passthrough takes a number in [0, 1], got '1.5' (see 'wiot tariff --help')" -- "$W" tariff --passthrough 1.5
check_msg bad_method 2 "wiot tariff: --method takes exact, first-order or both, got 'magic' (see 'wiot tariff --help')" -- "$W" tariff --method magic
check_msg wrong_opt 2 "wiot info: option '--ghosh' does not apply to this command (see 'wiot info --help')" -- "$W" info --ghosh
check_msg missing_val 2 "wiot tariff: option '-n' needs a value (see 'wiot tariff --help')" -- "$W" tariff -n
for c in info leontief multipliers tariff; do check "help_$c" 0 out "usage: wiot $c" -- "$W" $c --help; done
check version 0 out "^wiot 0\." -- "$W" version

# info on the embedded default and on files
check info_default 0 out "41 countries x 35 sectors = 1435 country-sectors; 5 final-demand" -- "$W" info
check info_year 0 out "^year         2011" -- "$W" info
check info_zero 0 out "zero output  22 sectors" -- "$W" info
check info_file 0 out "1 countries x 2 sectors" -- "$W" info -t ../data/examples/miller_blair_2009_t2_3.csv
check info_1995 0 out "^year         1995" -- "$W" info -t ../data/wiod2013/wiot_1995.csv.gz
check info_missing 1 err "^wiot: nonexistent.csv: " -- "$W" info -t nonexistent.csv

# leontief and multipliers
check leontief 0 out "residual ||(I - A)L - I||_max = " -- "$W" leontief --threads 2
check leontief_recursive 0 out "recursive block inverse (dgemm)" -- "$W" leontief --threads 2
check leontief_lapack 0 out "LAPACK dgetrf + dgetri" -- "$W" leontief --inverse lapack -t ../data/examples/decompr_leather.csv
check leontief_inverse_bad 2 err "--inverse takes auto, lapack or recursive, got 'x'" -- "$W" leontief --inverse x
check leontief_mb 0 out "n = 2" -- "$W" leontief -t ../data/examples/miller_blair_2009_t2_3.csv -o "$tmp/L.csv"
ok test "$(sed -n 2p "$tmp/L.csv")" = "R1_s1,1.2541254125412542,0.33003300330033003"
check ghosh 0 out "Ghosh inverse" -- "$W" leontief --ghosh -t ../data/examples/decompr_leather.csv
check multipliers 0 out "Output multipliers" -- "$W" multipliers -o "$tmp/m.csv"
ok test "$(wc -l < "$tmp/m.csv")" -eq 1436
ok test "$(head -1 "$tmp/m.csv")" = "country,sector,output_multiplier,backward_linkage,forward_linkage,direct_backward,direct_forward"

# tariff: default run, outputs, atomicity
check tariff_default 0 out "Scenario us301_2020-02-14_list4A_at7.5+cn_ret_2020-02-14_round1_halved" -- "$W" tariff -o "$tmp/run"
ok test "$(head -1 "$tmp/run/prices.csv")" = "scenario,country,sector,direct,cumulative,exact,extra_cost_musd"
ok test "$(head -1 "$tmp/run/countries.csv")" = "scenario,country,role,consumer_price,final_price_all,extra_cost_musd,tariff_revenue_musd"
ok test "$(wc -l < "$tmp/run/prices.csv")" -eq 1436
ok test "$(wc -l < "$tmp/run/countries.csv")" -eq 42
ok grep -q ",USA,imposer+target," "$tmp/run/countries.csv"
ok grep -q ",TWN,third," "$tmp/run/countries.csv"
check tariff_two 0 out "" -- "$W" tariff -n us301_2018-07-06_list1 -n piie_us_on_chn_2018-09-24 --method first-order -o "$tmp/two" --quiet
ok test "$(wc -l < "$tmp/two/prices.csv")" -eq 2871
ok test "$(cut -d, -f6 "$tmp/two/prices.csv" | sort -u | head -1)" = ""
# a failing run leaves the earlier outputs untouched and writes nothing half-done
cp "$tmp/run/prices.csv" "$tmp/before.csv"
check tariff_unknown 1 err "^wiot: unknown scenario 'no_such_scenario'" -- "$W" tariff -n us301_2018-07-06_list1 -n no_such_scenario -o "$tmp/run"
ok cmp -s "$tmp/before.csv" "$tmp/run/prices.csv"
ok test -z "$(ls "$tmp/run" | grep tmp)"
printf 'scenario,imposer,target,sector,rate\nmine,DEU,ARG;TUR,*,0.2\n' > "$tmp/mine.csv"
check tariff_custom 0 out "Scenario mine" -- "$W" tariff -s "$tmp/mine.csv" -n mine -t ../data/examples/decompr_leather.csv --top 3
check tariff_builtin_other 1 err "built-in scenarios use WIOD 2013 sector codes" -- "$W" tariff -t ../data/examples/decompr_leather.csv
check tariff_pass 0 out "pass-through 0.50" -- "$W" tariff --passthrough 0.5 --threads 1

# sweeps and Monte Carlo (batched)
S301=us301_2020-02-14_list4A_at7.5+cn_ret_2020-02-14_round1_halved
check sweep 0 out "scenarios/s" -- "$W" sweep -n $S301 --scale 0:2:5 -o "$tmp/sweep.csv"
ok test "$(head -1 "$tmp/sweep.csv")" = "scenario,scale,country,role,consumer_price,final_price_all,extra_cost_musd,tariff_revenue_musd"
ok test "$(wc -l < "$tmp/sweep.csv")" -eq 206
ok test "$(grep -c "^$S301,0,.*,third,0,0,0,0$" "$tmp/sweep.csv")" -eq 41
# the scale-1 row equals wiot tariff's countries.csv (same columns after the scale)
grep "^$S301,1," "$tmp/sweep.csv" | cut -d, -f3- > "$tmp/s1"
cut -d, -f2- "$tmp/run/countries.csv" | tail -n +2 > "$tmp/t1"
ok numeq "$tmp/s1" "$tmp/t1"
check mc 0 out "seed 7" -- "$W" sweep -n us_ieepa_2025-05-14_geneva_chn10 --draws 40 --seed 7 --sd 0.3 -o "$tmp/mc1.csv" --threads 1
check mc2 0 out "" -- "$W" sweep -n us_ieepa_2025-05-14_geneva_chn10 --draws 40 --seed 7 --sd 0.3 -o "$tmp/mc2.csv" --threads 2 --quiet
ok numeq "$tmp/mc1.csv" "$tmp/mc2.csv"
ok test "$(head -1 "$tmp/mc1.csv")" = "scenario,country,role,draws,mean,sd,q05,q50,q95"
# spread 0 reproduces the deterministic run: mean = q05 = q95 = consumer_price of wiot tariff
"$W" sweep -n us_ieepa_2025-05-14_geneva_chn10 --draws 3 --sd 0 -o "$tmp/mc0.csv" --quiet 2>/dev/null
"$W" tariff -n us_ieepa_2025-05-14_geneva_chn10 -o "$tmp/det" --quiet 2>/dev/null
ok numeq2 "$(grep ',USA,' "$tmp/mc0.csv" | cut -d, -f5)" "$(grep ',USA,' "$tmp/det/countries.csv" | cut -d, -f4)"
ok numeq2 "$(grep ',CHN,' "$tmp/mc0.csv" | cut -d, -f9)" "$(grep ',CHN,' "$tmp/det/countries.csv" | cut -d, -f4)"
check_msg sweep_both 2 "wiot sweep: give either --scale FROM:TO:STEPS or --draws N (see 'wiot sweep --help')" -- "$W" sweep -n x
check_msg sweep_scale 2 "wiot sweep: --scale takes FROM:TO:STEPS (e.g. 0:4:41), got '0:4' (see 'wiot sweep --help')" -- "$W" sweep -n x --scale 0:4
# several years
check years 0 out "^  2003 " -- "$W" tariff --years 2002:2004 -n piie_us_on_chn_2018-09-24 -o "$tmp/years"
ok test "$(head -1 "$tmp/years/countries.csv")" = "year,scenario,country,role,consumer_price,final_price_all,extra_cost_musd,tariff_revenue_musd"
ok test "$(wc -l < "$tmp/years/countries.csv")" -eq 124
check years_files 0 out "" -- "$W" tariff --years ../data/wiod2013/wiot_2011.csv.gz,2010 --quiet -o "$tmp/yf"
ok test "$(grep -c '^2011,' "$tmp/yf/countries.csv")" -eq 41
check years_missing 1 err "no WIOD 2013 table for 1990" -- "$W" tariff --years 1990:1991

# supply-chain exposure: content, tiva, extract
for c in content tiva extract; do check "help_$c" 0 out "usage: wiot $c" -- "$W" $c --help; done
check content_cn 0 out "threshold 0.1 %: 945 of 1435 products cross (share >= 0.001); 912 of them made outside CHN" -- "$W" content --source CHN:c2,c12 --threshold 0.001 -o "$tmp/content.csv"
ok test "$(head -1 "$tmp/content.csv")" = "country,sector,share,crosses_0.001"
ok test "$(wc -l < "$tmp/content.csv")" -eq 1436
ok test "$(grep -c ',1$' "$tmp/content.csv")" -eq 945
check content_us 0 out "threshold 25 %" -- "$W" content --source USA --threshold 0.25,0.10 -o "$tmp/us.csv"
ok test "$(head -1 "$tmp/us.csv")" = "country,sector,share,crosses_0.25,crosses_0.1"
check content_gross 0 out "measure: gross" -- "$W" content --source 'EU27:goods' --measure gross --top 3
check content_small 0 out "Content of TUR (3 country-sectors in TUR)" -- "$W" content -t ../data/examples/decompr_leather.csv --source TUR
check_msg content_nosource 2 "wiot content: --source SPEC is required (e.g. --source CHN:c2,c12) (see 'wiot content --help')" -- "$W" content
check_msg content_measure 2 "wiot content: --measure takes va or gross, got 'net' (see 'wiot content --help')" -- "$W" content --source USA --measure net
check_msg content_thr 2 "wiot content: --threshold takes up to 16 comma-separated fractions >= 0 (0.001 = 0.1 %), got '0.1,x' (see 'wiot content --help')" -- "$W" content --source USA --threshold 0.1,x
check content_unknown 1 err "^wiot: source 'XYZ:c2': field 'country': unknown country 'XYZ'" -- "$W" content --source XYZ:c2
check content_range 1 err "^wiot: source 'CHN:c9..c2': field 'sector': range 'c9..c2' is reversed" -- "$W" content --source CHN:c9..c2
check tiva 0 out "world FVA" -- "$W" tiva -o "$tmp/tiva.csv"
ok test "$(wc -l < "$tmp/tiva.csv")" -eq 42
ok sh -c "head -1 '$tmp/tiva.csv' | grep -q '^country,exports,dva,fva,noorigin,fva_share,forward,forward_share,vax,va,va_in_world_final_demand,va_in_fd_from_AUS,'"
check tiva_sector 0 out "" -- "$W" tiva --by-sector -o "$tmp/tivas.csv"
ok test "$(wc -l < "$tmp/tivas.csv")" -eq 1436
# DVA + FVA + no-origin = exports on every row (exports < 0 where inventories are)
ok awk -F, 'NR > 1 { d = $4 + $5 + $6 - $3; e = $3 < 0 ? -$3 : $3; if (d > 1e-6 * (e + 1) || -d > 1e-6 * (e + 1)) bad++ } END { exit bad > 0 }' "$tmp/tivas.csv"
check tiva_decompr 0 out "" -- "$W" tiva -t ../data/examples/decompr_leather.csv -o "$tmp/tivad.csv"
ok grep -q "^ARG,64.3," "$tmp/tivad.csv"
check extract 0 out "method: Woodbury update of the LU, rank 35" -- "$W" extract --source CHN -o "$tmp/ext.csv"
ok test "$(head -1 "$tmp/ext.csv")" = "country,sector,output,lost,lost_with_final,lost_ghosh"
ok test "$(wc -l < "$tmp/ext.csv")" -eq 1436
check extract_to 0 out "its sales to buyers in USA" -- "$W" extract --source CHN:c14 --to USA --top 3
check extract_dense 0 out "fresh dense LU" -- "$W" extract --source EU27 --top 2
check extract_badto 1 err "countries 'USA:c1': a country list takes no ':SECTORS' part" -- "$W" extract --source CHN --to USA:c1
check_msg exposure_opt 2 "wiot content: option '--by-sector' does not apply to this command (see 'wiot content --help')" -- "$W" content --source USA --by-sector

# binary tables: wiot convert, and every -t reads .wiot files
check help_convert 0 out "usage: wiot convert" -- "$W" convert --help
check convert_wiot 0 out "^wrote  $tmp/wiot_2011.wiot: binary .wiot, 18861272 bytes" -- "$W" convert default "$tmp/wiot_2011.wiot"
check info_wiot 0 out "41 countries x 35 sectors = 1435 country-sectors; 5 final-demand" -- "$W" info -t "$tmp/wiot_2011.wiot"
check info_wiot_year 0 out "^year         2011" -- "$W" info -t "$tmp/wiot_2011.wiot"
"$W" leontief --threads 1 2>/dev/null | grep 'residual ||' > "$tmp/res_csv"
"$W" leontief --threads 1 -t "$tmp/wiot_2011.wiot" 2>/dev/null | grep 'residual ||' > "$tmp/res_wiot"
ok test -s "$tmp/res_csv"
ok cmp -s "$tmp/res_csv" "$tmp/res_wiot"
# .wiot -> gzip CSV gives back the shipped text byte for byte
check convert_back 0 out "gzip CSV" -- "$W" convert "$tmp/wiot_2011.wiot" "$tmp/back.csv.gz"
gzip -dc "$tmp/back.csv.gz" > "$tmp/back.csv"; gzip -dc ../data/wiod2013/wiot_2011.csv.gz > "$tmp/orig.csv"
ok cmp -s "$tmp/back.csv" "$tmp/orig.csv"
check_msg convert_ext 2 "wiot convert: cannot tell the format of 'x.dat' from its extension (.wiot, .csv, .csv.gz); use --format wiot|csv|csv.gz (see 'wiot convert --help')" -- "$W" convert default x.dat
# a corrupted or truncated .wiot: exit 1 and one line naming the file
cp "$tmp/wiot_2011.wiot" "$tmp/bad.wiot"
printf 'X' | dd of="$tmp/bad.wiot" bs=1 seek=5000000 conv=notrunc 2>/dev/null
check corrupt_wiot 1 err "^wiot: $tmp/bad.wiot: checksum mismatch: the data are corrupt (stored [0-9a-f]*, computed [0-9a-f]*)$" -- "$W" info -t "$tmp/bad.wiot"
ok test "$(wc -l < "$tmp/err")" -eq 1
head -c 1000 "$tmp/wiot_2011.wiot" > "$tmp/trunc.wiot"
check_msg truncated_wiot 1 "wiot: $tmp/trunc.wiot: truncated .wiot file: 1000 of 18861272 bytes" -- "$W" tariff -t "$tmp/trunc.wiot"

# provider layouts (tests/formats, written by formats/make.py), aggregation, --map
check fmt_icio 0 out "^source       OECD ICIO (2021 layout)" -- "$W" info -t formats/ICIO2021_2015.csv
ok grep -q "^primary      6 rows kept" "$tmp/out"
check fmt_exio 0 out "^units        millions of EUR" -- "$W" info -t formats/IOT_2019_ixi.zip
check fmt_eora 0 out "^other use    ROW " -- "$W" info -t formats/Eora26_2010_bp
ok grep -q "^units        thousands of USD" "$tmp/out"
check fmt_wiod 0 out "4 countries x 5 sectors = 20 country-sectors; 5 final-demand" -- "$W" info -t formats/WIOT2014_Nov16_ROW.csv
check fmt_nested 0 out "^year         2020" -- "$W" info -t formats/ICIO-2016-2020-extended.zip:2020.zip
check fmt_keep 0 out "9 countries x 4 sectors" -- "$W" info -t formats/ICIO2021_2015.csv --keep-splits
check fmt_forced 0 out "Leontief inverse of ICIO2016_2003.csv: n = 12" -- "$W" leontief -t formats/ICIO2016_2003.zip --format icio
check_msg fmt_bad_name 2 "wiot info: --format takes auto, csv, wiot, icio, wiod2016, exiobase or eora26, got 'xlsb' (see 'wiot info --help')" -- "$W" info --format xlsb
check_msg fmt_wrong_sep 1 "wiot: formats/bad/icio_semicolon.csv:1: the OECD ICIO layout is comma-separated, but this line has no ',' and holds ';' (wrong separator?)" -- "$W" info -t formats/bad/icio_semicolon.csv
check fmt_split 1 err "^wiot: formats/bad/icio_split_no_parent.csv:26: split country 'CN1' has no parent 'CHN'" -- "$W" info -t formats/bad/icio_split_no_parent.csv
check fmt_split_kept 0 out "8 countries x 4 sectors" -- "$W" info -t formats/bad/icio_split_no_parent.csv --keep-splits
check fmt_not_binary 1 err "not a binary .wiot file" -- "$W" info -t formats/2020.csv --format wiot
check agg_world 0 out "regions    world: 5 -> 1" -- "$W" aggregate -t formats/ICIO2021_2015.csv --regions world --sectors total -o "$tmp/w.csv"
ok test "$(sed -n 2p "$tmp/w.csv")" = "WLD,TOTAL,3075.875,5427.5,5524,5437.5,5587.625,-464.875,5546.125,30133.75"
check agg_eu 0 out "relative change 0.0e+00" -- "$W" aggregate --regions eu27 --sectors goods_services -o "$tmp/eu.csv.gz"
check agg_eu_info 0 out "16 countries x 2 sectors = 32 country-sectors" -- "$W" info -t "$tmp/eu.csv.gz"
check agg_exio 0 out "regions    ../data/mappings/g7.csv: 4 -> 3" -- "$W" aggregate -t formats/IOT_2019_ixi --regions ../data/mappings/g7.csv -o "$tmp/g7.wiot"
check agg_exio_info 0 out "countries    AT G7 WA" -- "$W" info -t "$tmp/g7.wiot"
check agg_w16 0 out "sectors    wiod2016_to_wiod2013: 5 -> 5" -- "$W" aggregate -t formats/WIOT2014_October16_ROW.csv --sectors wiod2016_to_wiod2013 -o "$tmp/w16.csv"
check_msg agg_no_out 2 "wiot aggregate: needs -o OUT (.csv, .csv.gz or .wiot) (see 'wiot aggregate --help')" -- "$W" aggregate --regions world
check_msg agg_no_map 2 "wiot aggregate: give --regions MAP, --sectors MAP or both (see 'wiot aggregate --help')" -- "$W" aggregate -o "$tmp/x.csv"
check agg_bad_map 1 err "^wiot: no_such_map: cannot open: No such file or directory" -- "$W" aggregate --regions no_such_map -o "$tmp/x.csv"
check tariff_map 0 out "Scenario us301_2019-09-01_list4A_at15" -- "$W" tariff -s ../data/scenarios/wiod2016/us301_china_2018_2020.csv --map wiod2016_to_wiod2013 -n us301_2019-09-01_list4A_at15 --top 2
check tariff_unmapped 1 err "^wiot: .*field .sector.: unknown sector .*; a scenario written in another sector classification can be translated with --map" -- "$W" tariff -s ../data/scenarios/wiod2016/us301_china_2018_2020.csv -n us301_2019-09-01_list4A_at15
check tariff_w16 1 err "built-in scenarios use WIOD 2013 sector codes (c1..c35) or WIOD 2016 codes" -- "$W" tariff -t formats/WIOT2014_October16_ROW.csv

# the shipped data match their recorded checksums
ok sh -c 'cd ../data && sha256sum --quiet -c SHA256SUMS'

echo "cli tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
