#!/bin/sh
# CLI bad-input tests: every refusal is exit status 1 (2 for usage) with exactly one
# line on stderr saying what is wrong and where, and nothing half-written is left.
# Complements tests/bad/ (library level). usage: sh tests/cli_bad.sh PATH/TO/wiot
set -u
W=${1:-./wiot}
case $W in /*) ;; *) W="$(pwd)/$W" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
LEATHER=../data/examples/decompr_leather.csv
PYMRIO=../data/examples/pymrio_test_mrio.csv

# check_msg NAME EXPECTED_EXIT EXPECTED_STDERR -- CMD...: exact stderr, exact status
check_msg() {
    name=$1 want=$2 msg=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ] || [ "$(cat "$tmp/err")" != "$msg" ]; then
        echo "FAIL $name: exit $got (want $want), stderr:"; sed 's/^/  | /' "$tmp/err" | head -5
        echo "  expected: $msg"
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
# check_grep NAME EXPECTED_EXIT PATTERN -- CMD...: one stderr line matching PATTERN
check_grep() {
    name=$1 want=$2 pat=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ] || [ "$(wc -l < "$tmp/err")" -ne 1 ] || ! grep -q -e "$pat" "$tmp/err"; then
        echo "FAIL $name: exit $got (want $want), stderr:"; sed 's/^/  | /' "$tmp/err" | head -5
        echo "  expected one line matching: $pat"
        fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
ok() { if "$@"; then pass=$((pass + 1)); else echo "FAIL: $*"; fail=$((fail + 1)); fi; }
# run a command with files limited to 8 KiB (16 blocks of 512 bytes in POSIX sh): writes
# beyond fail with EFBIG, as on a full disk (SIGXFSZ ignored so write returns the error)
small_disk() { sh -c 'trap "" XFSZ; ulimit -f 16; exec "$@"' sh "$@"; }

cd "$(dirname "$0")" || exit 1

# ---- files that are not tables
check_msg table_is_dir 1 "wiot: bad: read error: Is a directory" -- "$W" info -t bad
check_msg scenarios_is_dir 1 "wiot: bad: is a directory" -- "$W" tariff -t $LEATHER -s bad -n x
check_msg table_missing 1 "wiot: $tmp/none.csv: cannot open: No such file or directory" -- "$W" info -t "$tmp/none.csv"
check_msg table_under_file 1 "wiot: $LEATHER/x.csv: cannot open: Not a directory" -- "$W" info -t $LEATHER/x.csv
# unreadable: a file the kernel refuses to read (works as root, where chmod 000 does not)
check_msg table_unreadable 1 "wiot: /proc/self/mem: read error: Input/output error" -- "$W" info -t /proc/self/mem
if [ "$(id -u)" != 0 ]; then
    cp $LEATHER "$tmp/noperm.csv" && chmod 000 "$tmp/noperm.csv"
    check_msg table_no_permission 1 "wiot: $tmp/noperm.csv: cannot open: Permission denied" -- "$W" info -t "$tmp/noperm.csv"
else
    echo "note: running as root, chmod 000 does not block reading; /proc/self/mem stands in"
fi
# an endless device: refused after its first megabyte, not read for ever
check_msg table_dev_zero 1 "wiot: /dev/zero:1: bad header: expected 'country,sector,...,GO', got '????????????????????????????????????????...'" -- "$W" info -t /dev/zero
check_msg table_empty 1 "wiot: bad/table_empty.csv: empty file" -- "$W" info -t bad/table_empty.csv

# ---- gzip bombs: 1 GiB of text in 1 MiB of gzip (1024 members of 1 MiB each)
head -c 1048576 /dev/zero | tr '\0' '0' | gzip -9 > "$tmp/z1.gz"
{ printf 'country,sector,'; head -c 1048561 /dev/zero | tr '\0' '0'; } | gzip -9 > "$tmp/h1.gz"
{ printf 'country,sector,R1_s1,GO\n'; head -c 1048552 /dev/zero | tr '\0' '0'; } | gzip -9 > "$tmp/r1.gz"
for f in z h r; do
    cp "$tmp/${f}1.gz" "$tmp/${f}.gz"
    for i in 1 2 3 4 5 6 7 8 9 10; do cat "$tmp/${f}.gz" "$tmp/${f}.gz" > "$tmp/${f}2.gz" && mv "$tmp/${f}2.gz" "$tmp/${f}.gz"; done
done
mv "$tmp/z.gz" "$tmp/bomb_zeros.csv.gz"; mv "$tmp/h.gz" "$tmp/bomb_header.csv.gz"; mv "$tmp/r.gz" "$tmp/bomb_rows.csv.gz"
ok test "$(wc -c < "$tmp/bomb_zeros.csv.gz")" -lt 2000000
check_msg bomb_not_a_table 1 "wiot: $tmp/bomb_zeros.csv.gz:1: bad header: expected 'country,sector,...,GO', got '0000000000000000000000000000000000000000...'" -- "$W" info -t "$tmp/bomb_zeros.csv.gz"
check_msg bomb_endless_header 1 "wiot: $tmp/bomb_header.csv.gz:1: line 1 is longer than 64 MiB without a line end: not a table header" -- "$W" info -t "$tmp/bomb_header.csv.gz"
check_msg bomb_memory_limit 1 "wiot: $tmp/bomb_header.csv.gz: the inflated text needs more than 16 MiB but the memory limit is 32 MiB, 17.1 MiB of it in use" -- "$W" info -t "$tmp/bomb_header.csv.gz" --max-memory 32M
check_msg bomb_after_header 1 "wiot: $tmp/bomb_rows.csv.gz: the inflated text is longer than a table with the 4 columns of line 1 can be (more than 67 KiB)" -- "$W" info -t "$tmp/bomb_rows.csv.gz"

# ---- numbers and data the model cannot take
check_msg huge_number 1 "wiot: bad/table_overflow.csv:2: column 'R1_s2': '1e999' is out of the range of a double" -- "$W" info -t bad/table_overflow.csv
check_msg nan_cell 1 "wiot: bad/table_nan.csv:3: column 'R1_s2': 'nan' is not a finite number" -- "$W" leontief -t bad/table_nan.csv
check_msg empty_cell 1 "wiot: bad/table_empty_cell.csv:2: column 'R1_s2': empty cell" -- "$W" info -t bad/table_empty_cell.csv
check_msg negative_output 1 "wiot: bad/table_negative_output.csv:2: column 'R1_s1': negative output -3" -- "$W" multipliers -t bad/table_negative_output.csv
check_msg colsum_above_one 1 "wiot: bad/table_colsum_a.csv:4: column 'R1_s2': column sum of A is 1.09091 >= 1 (negative value added): the table is not productive" -- "$W" tariff -t bad/table_colsum_a.csv -s /dev/null
check_msg labels_mismatch 1 "wiot: bad/table_label_mismatch.csv:1: column 'R1_s3': expected 'R1_s2', the label of data row 2 (line 3)" -- "$W" info -t bad/table_label_mismatch.csv
check_msg truncated_gzip 1 "wiot: bad/table_truncated.csv.gz: truncated gzip stream (it ends after 122 bytes of text)" -- "$W" info -t bad/table_truncated.csv.gz
check_msg near_singular 1 "wiot: lu_near_singular.csv: I - A is singular to working precision: reciprocal condition number 2.2e-16 < n eps = 4.4e-16; smallest pivot 4.4e-16 in column 'R1_s2' (column sum of A 0.99999999999999978)" -- "$W" leontief -t bad/lu_near_singular.csv
head -c 300 $LEATHER > "$tmp/cut.csv"
check_msg truncated_mid_row 1 "wiot: $tmp/cut.csv:2: the last line must be the TOT,GO row, found 'ARG,Agriculture'" -- "$W" info -t "$tmp/cut.csv"

# ---- scenario files against the leather table (ARG, TUR, DEU)
H='scenario,imposer,target,sector,rate'
printf '%s\nx,XYZ,ARG,*,0.1\n' "$H" > "$tmp/s_unknown.csv"
check_msg scenario_unknown_code 1 "wiot: $tmp/s_unknown.csv:2: field 'imposer': unknown country 'XYZ' (valid: ARG TUR DEU; groups: EU27 EU28 EU15 USMCA NAFTA G7 BRICS ASEAN)" -- "$W" tariff -t $LEATHER -s "$tmp/s_unknown.csv" -n x
printf '%s\nx,DEU,ARG,*,-1\n' "$H" > "$tmp/s_rate.csv"
check_grep scenario_rate_minus_one 1 "^wiot: $tmp/s_rate.csv:2: field 'rate': " -- "$W" tariff -t $LEATHER -s "$tmp/s_rate.csv" -n x
printf '%s\nx,DEU,ARG,*,1e400\n' "$H" > "$tmp/s_huge.csv"
check_grep scenario_rate_overflow 1 "^wiot: $tmp/s_huge.csv:2: field 'rate': " -- "$W" tariff -t $LEATHER -s "$tmp/s_huge.csv" -n x
printf '%s\nx,DEU,ARG,*,1e308\ny,DEU,ARG,*,1e308\n' "$H" > "$tmp/s_big.csv"
check_grep scenario_stack_overflows 1 "^wiot: scenario stack 'x+y': summed rate inf" -- "$W" tariff -t $LEATHER -s "$tmp/s_big.csv" -n x+y
check_grep scenario_result_overflows 1 "^wiot: direct tariff cost of 'DEU_Agriculture' is inf: " -- "$W" tariff -t $LEATHER -s "$tmp/s_big.csv" -n x --method first-order
check_grep scenario_duplicate 1 "^wiot: .*scenario 'x' is already loaded" -- "$W" tariff -t $LEATHER -s "$tmp/s_big.csv" -s "$tmp/s_big.csv" -n x

# ---- memory limits
check_msg max_memory_table 1 "wiot: ../data/wiod2013/wiot_2011.csv.gz: the table needs 18 MiB (n = 1435, C = 41, S = 35, K = 5) but the memory limit is 8 MiB" -- "$W" info --max-memory 8M -t ../data/wiod2013/wiot_2011.csv.gz
check_msg max_memory_usage 2 "wiot leontief: --max-memory takes a size such as 512M, 4G or 1073741824, got '12X' (see 'wiot leontief --help')" -- "$W" leontief --max-memory 12X
check_msg max_memory_ok 0 "" -- "$W" info -t $LEATHER --max-memory 1M

# ---- write failures: a clear message, no partial or temporary file, earlier files kept
D="$tmp/w"
mkdir -p "$D"
check_msg write_leontief 1 "wiot: $D/L.csv: write failed: File too large" -- small_disk "$W" leontief -t $PYMRIO -o "$D/L.csv"
ok test -z "$(ls -A "$D")"
"$W" tariff -t $PYMRIO -s /dev/null -o "$D/run" --quiet 2>/dev/null   # no scenario: fails, no dir
printf '%s\nmine,reg1,*,*,0.1\n' "$H" > "$tmp/s_py.csv"
"$W" tariff -t $PYMRIO -s "$tmp/s_py.csv" -n mine -o "$D/run" --quiet --no-report 2>/dev/null
cp "$D/run/prices.csv" "$tmp/prices.before"
printf '%s\nmine,reg1,*,*,0.1\nother,reg2,*,*,0.2\n' "$H" > "$tmp/s_py2.csv"
check_grep write_tariff 1 "^wiot: .*write failed: File too large" -- small_disk "$W" tariff -t $PYMRIO -s "$tmp/s_py2.csv" -n mine -n other -n mine+other -o "$D/run" --quiet
ok cmp -s "$tmp/prices.before" "$D/run/prices.csv"
ok test "$(ls -A "$D/run" | tr '\n' ' ')" = "countries.csv prices.csv run.json "
if "$W" convert --help >/dev/null 2>&1; then   # the library's atomic save (wiot_table_save)
    check_msg write_convert 1 "wiot: $D/t.csv: write error: File too large" -- small_disk "$W" convert $PYMRIO "$D/t.csv"
    ok test ! -e "$D/t.csv"
fi
ok test "$(ls -A "$D" | tr '\n' ' ')" = "run "
check_grep write_no_dir 1 "^wiot: $tmp/nodir/L.csv: " -- "$W" leontief -t $LEATHER -o "$tmp/nodir/L.csv"

# ---- warnings: once, on stderr, as "wiot: warning: ...", for the user's own tables
# (the same WIOD data given with -t warns; the shipped default and --years tables do not
# -- their known properties are a line of `wiot info`; --quiet silences warnings)
"$W" tariff -t ../data/wiod2013/wiot_2011.csv.gz -n us301_2018-07-06_list1 -n piie_us_on_chn_2018-09-24 >/dev/null 2>"$tmp/err"
ok test "$(grep -c '^wiot: warning: ' "$tmp/err")" -eq 2
ok test "$(wc -l < "$tmp/err")" -eq 2
"$W" tariff -n us301_2018-07-06_list1 -n piie_us_on_chn_2018-09-24 >/dev/null 2>"$tmp/err"
ok test ! -s "$tmp/err"
"$W" tariff --years 2010:2011 -n us301_2018-07-06_list1 >/dev/null 2>"$tmp/err"
ok test ! -s "$tmp/err"
"$W" tariff -t ../data/wiod2013/wiot_2011.csv.gz -n us301_2018-07-06_list1 --quiet >/dev/null 2>"$tmp/err"
ok test ! -s "$tmp/err"
ok sh -c "'$W' info | grep -q '^known        the shipped WIOD table'"

echo "cli bad-input tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
