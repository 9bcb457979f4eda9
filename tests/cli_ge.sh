#!/bin/sh
# CLI tests of `wiot ge` (general equilibrium): exit codes, exact messages, outputs.
# usage: sh tests/cli_ge.sh PATH/TO/wiot   (run from the repository root)
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
    if [ -n "$pat" ] && ! grep -q -e "$pat" "$tmp/$stream"; then
        echo "FAIL $name: $stream lacks '$pat'"; sed 's/^/  | /' "$tmp/$stream" | head -8
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
check_msg() {
    name=$1 want=$2 msg=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    # the last line: the embedded WIOD table's load warnings come first
    if [ "$got" != "$want" ] || [ "$(tail -n 1 "$tmp/err")" != "$msg" ]; then
        echo "FAIL $name: exit $got (want $want), stderr:"; sed 's/^/  | /' "$tmp/err"
        echo "  expected: $msg"
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
ok() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*"; fail=$((fail + 1)); fi; }

S=us301_2019-09-01_list4A_at15+cn_ret_2019-09-01_list75bn_round1
# the README's commands, exactly as written there
check readme_default 0 out "scenario $S" -- "$W" ge -n "$S"
check readme_diversion 0 out "diversion: USA imports by origin" -- "$W" ge -n "$S"
check readme_out 0 out "wrote $tmp/o/countries.csv" -- "$W" ge -n "$S" -o "$tmp/o"
ok test "$(head -1 "$tmp/o/countries.csv")" = "scenario,country,welfare,real_wage,wage,price_index,income_musd,tariff_revenue_musd,exports_musd,imports_musd,terms_of_trade,volume_of_trade,welfare_decomp,consumer_price_fixed"
ok test "$(head -1 "$tmp/o/sectors.csv")" = "scenario,country,sector,price,cost,output,value_added"
ok test "$(head -1 "$tmp/o/trade.csv")" = "scenario,importer,exporter,sector,base_musd,new_musd"
ok test "$(grep -c "^$S," "$tmp/o/countries.csv")" = 41
ok test "$(grep -c "^$S," "$tmp/o/sectors.csv")" = 1435
(cd "$tmp" && "$W" ge -n "$S" -o out >/dev/null 2>&1) && ok test -s "$tmp/out/trade.csv"
check readme_mc 0 out "Monte Carlo over theta: 6 draws" -- "$W" ge -n "$S" --draws 6 --sd 0.3 --seed 7
# Monte Carlo over theta: reproducible from the seed
check mc 0 out "Monte Carlo over theta: 6 draws (log-sd 0.3, seed 7)" -- "$W" ge -n "$S" --draws 6 --sd 0.3 --seed 7 -o "$tmp/mc"
ok test "$(grep -c "^$S," "$tmp/mc/montecarlo.csv")" = 41
cp "$tmp/mc/montecarlo.csv" "$tmp/mc1.csv"
"$W" ge -n "$S" --draws 6 --sd 0.3 --seed 7 -o "$tmp/mc" >/dev/null 2>&1
ok cmp -s "$tmp/mc/montecarlo.csv" "$tmp/mc1.csv"
# CP2015 Table 2 from the shipped dataset, both deficit treatments (percent, 2 decimals)
check cp_zero 0 out "Mexico  *0.0073  *1.3121  *1.7153" -- "$W" ge -t data/cp2015
check cp_zero_can 0 out "Canada  *-0.1101  *-0.0638  *0.3228" -- "$W" ge -t data/cp2015
check cp_fixed 0 out "USA  *0.0758  *0.0850  *0.1178" -- "$W" ge -t data/cp2015 --deficits fixed
# a batch of scenarios over two threads
check batch 0 out "2 scenarios solved" -- "$W" ge -n "$S" -n us232_2018-08-13_turkey_steel_50 --threads 2
# bad input: one clear line, nothing written
check_msg bad_deficits 2 "wiot ge: --deficits takes zero or fixed, got 'some' (see 'wiot ge --help')" -- "$W" ge --deficits some
check_msg cp_with_n 2 "wiot ge: a CP-style dataset runs its own counterfactual: -n, -s and --baseline need a table (see 'wiot ge --help')" -- "$W" ge -t data/cp2015 -n "$S"
printf 'sector,theta\nc1,4\n' > "$tmp/e1.csv"
check_msg missing_theta 1 "wiot: $tmp/e1.csv: no elasticity for sector 'c2'" -- "$W" ge --elasticities "$tmp/e1.csv"
printf 'sector,theta\nc1,0\n' > "$tmp/e2.csv"
check_msg zero_theta 1 "wiot: $tmp/e2.csv:2: field 'theta': '0' is not a number > 0" -- "$W" ge --elasticities "$tmp/e2.csv"
printf 'sector,theta\nc99,4\n' > "$tmp/e3.csv"
check_msg unknown_sector 1 "wiot: $tmp/e3.csv:2: field 'sector': unknown sector 'c99'" -- "$W" ge --elasticities "$tmp/e3.csv"
check_msg no_file 1 "wiot: $tmp/none.csv: cannot open: No such file or directory" -- "$W" ge --elasticities "$tmp/none.csv"
check unknown_scen 1 err "unknown" -- "$W" ge -n no_such_scenario -o "$tmp/bad"
ok test ! -e "$tmp/bad"
check help 0 out "Caliendo & Parro 2015" -- "$W" ge --help
check main_help 0 out "  ge            general-equilibrium" -- "$W" --help

echo "cli_ge: $pass passed, $fail failed"
[ "$fail" = 0 ]
