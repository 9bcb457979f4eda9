#!/bin/sh
# CLI tests of `wiot gvc` (value chains, issue 15): exit codes, exact messages, exact
# CSV lines on decompr's leather example, and every command shown in README.md's
# "Value chains" section (run from the repository root, outputs sent to a temporary
# folder). usage: sh tests/cli_gvc.sh PATH/TO/wiot
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
# exact stderr (one line)
check_msg() {
    name=$1 want=$2 msg=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ] || [ "$(grep -v 'wiot: warning:' "$tmp/err")" != "$msg" ]; then
        echo "FAIL $name: exit $got (want $want), stderr:"; sed 's/^/  | /' "$tmp/err"
        echo "  expected: $msg"
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
# has_line NAME FILE LINE: FILE holds exactly LINE
has_line() {
    if grep -qxF -e "$3" "$2"; then pass=$((pass + 1)); else echo "FAIL $1: $2 lacks line '$3'"; fail=$((fail + 1)); fi
}
lines() {   # lines NAME FILE N
    got=$(wc -l <"$2")
    if [ "$got" -eq "$3" ]; then pass=$((pass + 1)); else echo "FAIL $1: $2 has $got lines, expected $3"; fail=$((fail + 1)); fi
}

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
L=data/examples/decompr_leather.csv

# usage and errors
check help 0 out "usage: wiot gvc kww|wwz|bm|position|trade" -- "$W" gvc --help
check help_sub 0 out "Koopman, Wang & Wei" -- "$W" gvc kww --help
check main_help 0 out "gvc           value chains" -- "$W" --help
check_msg no_sub 2 "wiot gvc: give a decomposition: kww, wwz, bm, position or trade (see 'wiot gvc --help')" -- "$W" gvc
check_msg bad_sub 2 "wiot gvc: unknown decomposition 'foo' (kww, wwz, bm, position or trade) (see 'wiot gvc --help')" -- "$W" gvc foo
check_msg by_sector 2 "wiot gvc: --by-sector applies to 'kww' only (wwz, bm and trade are by sector) (see 'wiot gvc --help')" -- "$W" gvc wwz --by-sector
check_msg t_and_years 2 "wiot gvc: give either -t or --years (see 'wiot gvc --help')" -- "$W" gvc kww -t $L --years 2011
check_msg bad_years 2 "wiot gvc: --years takes FROM:TO, a comma list of years or of table files, got '2011:1995' (see 'wiot gvc --help')" -- "$W" gvc kww --years 2011:1995
check_msg no_year 1 "wiot gvc: no WIOD 2013 table for 1990 (the release covers 1995-2011)" -- "$W" gvc kww --years 1990
check_msg wrong_opt 2 "wiot gvc: option '--ghosh' does not apply to this command (see 'wiot gvc --help')" -- "$W" gvc kww --ghosh
check_msg no_file 1 "wiot: /nonexistent.csv: cannot open: No such file or directory" -- "$W" gvc kww -t /nonexistent.csv
check_msg memory 1 "wiot: the value-chain workspace needs 35.5 MiB (n = 1435, C = 41) but the memory limit is 20 MiB" -- "$W" gvc kww --max-memory 20M
check_msg no_dir 1 "wiot: /nonexistent_dir/x.csv: cannot create a temporary file: No such file or directory" -- "$W" gvc kww -t $L -o /nonexistent_dir/x.csv
ok_nofile() { if [ ! -e "$1" ]; then pass=$((pass + 1)); else echo "FAIL: $1 left behind"; fail=$((fail + 1)); fi; }
ok_nofile /nonexistent_dir/x.csv

# leather: exact values (decompr 6.8.0 prints the same to 7 digits)
check kww 0 out "^ARG  *64  *30.09  *29.50" -- "$W" gvc kww -t $L -o "$tmp/k.csv"
has_line kww_head "$tmp/k.csv" "exporter,term,name,value_musd"
has_line kww_arg1 "$tmp/k.csv" "ARG,1,DVA_FIN,19.34940465"
has_line kww_arg9 "$tmp/k.csv" "ARG,9,FDC,3.770831571"
has_line kww_deu7 "$tmp/k.csv" "DEU,7,FVA_FIN,26.66899168"
lines kww_n "$tmp/k.csv" 28
has_line kww_run "$tmp/k.csv.run" "gross output used: x = Z 1 + F 1 (accounting-consistent, the default)"
check kww_sec 0 out "" -- "$W" gvc kww -t $L --by-sector -o "$tmp/ks.csv" --quiet
has_line kww_sec_head "$tmp/ks.csv" "exporter,exp_sector,term,name,value_musd"
has_line kww_sec_line "$tmp/ks.csv" "ARG,Agriculture,1,DVA_FIN,13.01300217"
lines kww_sec_n "$tmp/ks.csv" 82
check wwz 0 out "T01 DVA_FIN" -- "$W" gvc wwz -t $L -o "$tmp/w.csv"
has_line wwz_head "$tmp/w.csv" "exporter,exp_sector,importer,term,name,value_musd"
has_line wwz_t1 "$tmp/w.csv" "ARG,Agriculture,TUR,1,DVA_FIN,5.474435395"
has_line wwz_t6 "$tmp/w.csv" "ARG,Agriculture,TUR,6,RDV_FIN,0.705683723"
has_line wwz_t8 "$tmp/w.csv" "ARG,Agriculture,TUR,8,RDV_INT,0.1686147297"
lines wwz_n "$tmp/w.csv" 289
check bm 0 out "GVCB" -- "$W" gvc bm -t $L -o "$tmp/b.csv"
has_line bm_head "$tmp/b.csv" "exporter,exp_sector,importer,item,value_musd"
has_line bm_gvc "$tmp/b.csv" "ARG,Agriculture,TUR,GVC,5.999852096"
lines bm_n "$tmp/b.csv" 271
check pos 0 out "gvc_fwd" -- "$W" gvc position -t $L -o "$tmp/p.csv"
has_line pos_line "$tmp/p.csv" "ARG,Agriculture,2.098403735,1.565400837,21.12196232,13.1584948,8.200036363,9.819506517,19.0999654,12.88137201,1.809610771,2.209051821,0.3445419289,0.1116295164,3.408133069,3.474444378"
check trade 0 out "interm" -- "$W" gvc trade -t $L -o "$tmp/t.csv"
has_line trade_head "$tmp/t.csv" "exporter,exp_sector,importer,intermediate_musd,final_musd,gross_musd,va_ARG_musd,va_TUR_musd,va_DEU_musd"
has_line trade_line "$tmp/t.csv" "ARG,Agriculture,TUR,7.9,6.1,14,12.56427796,0.4918384645,0.9438835795"
check reported 0 out "gross output as reported" -- "$W" gvc kww -t $L --reported-go -o "$tmp/kr.csv"
has_line reported_run "$tmp/kr.csv.run" "gross output used: the table's reported GO (--reported-go)"

# the commands of README.md "Value chains", as written (outputs into $tmp)
check readme_kww 0 out "^CHN  *2084965  *35.69" -- "$W" gvc kww --top 5
check readme_wwz 0 out "wrote $tmp/wwz_2011.csv" -- "$W" gvc wwz -o "$tmp/wwz_2011.csv"
lines readme_wwz_n "$tmp/wwz_2011.csv" 918401
has_line readme_wwz_run "$tmp/wwz_2011.csv.run" "gross output used: x = Z 1 + F 1 (accounting-consistent, the default)"
check readme_years 0 out "" -- "$W" gvc kww --years 1995:2011 -o "$tmp/kww_years.csv" --quiet
lines readme_years_n "$tmp/kww_years.csv" 6274
has_line readme_years_head "$tmp/kww_years.csv" "year,exporter,term,name,value_musd"
check readme_bm 0 out "^DEU  *148" -- "$W" gvc bm -t data/examples/decompr_leather.csv
check readme_pos 0 out "" -- "$W" gvc position -o "$tmp/positions_2011.csv" --quiet
lines readme_pos_n "$tmp/positions_2011.csv" 1436
check readme_trade 0 out "" -- "$W" gvc trade -o "$tmp/trade_2011.csv" --quiet
lines readme_trade_n "$tmp/trade_2011.csv" 57401

echo "cli_gvc: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
