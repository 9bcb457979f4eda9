#!/bin/sh
# Install into a staging root, then build and run a program against the installed
# copy through pkg-config, linked shared and static.
set -eu
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
make -s install DESTDIR="$root" PREFIX=/usr/local >/dev/null
export PKG_CONFIG_PATH="$root/usr/local/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
cc -std=c11 -Wall -Wextra -Werror tests/install/example.c -o "$root/ex_shared" $(pkg-config --cflags --libs wiot)
cc -std=c11 -Wall -Wextra -Werror tests/install/example.c -o "$root/ex_static" \
   $(pkg-config --cflags wiot) "$root/usr/local/lib/libwiot.a" $(pkg-config --libs-only-l --static wiot | sed 's/-lwiot//') -fopenmp
args="data/wiod2013/wiot_2011.csv.gz data/scenarios/wiod2013/us301_china_2018_2020.csv us301_2019-05-10_list3at25"
out=$(LD_LIBRARY_PATH="$root/usr/local/lib" "$root/ex_shared" $args)
echo "$out" | grep -q "^USA +0\.[0-9]* %$" || { echo "install test: unexpected output: $out"; exit 1; }
test "$(echo "$out" | wc -l)" -eq 41 || { echo "install test: expected 41 countries"; exit 1; }
out2=$("$root/ex_static" $args)
test "$out" = "$out2" || { echo "install test: static and shared builds differ"; exit 1; }
readelf -d "$root/usr/local/lib/libwiot.so" | grep -q "SONAME.*libwiot.so.0" || { echo "install test: no soname"; exit 1; }
"$root/usr/local/bin/wiot" version >/dev/null
test -f "$root/usr/local/share/wiot/wiod2013/wiot_2011.csv.gz"
grep -q '^\.TH WIOT 1' "$root/usr/local/share/man/man1/wiot.1"
grep -q '^complete -F _wiot wiot$' "$root/usr/local/share/bash-completion/completions/wiot"
make -s uninstall DESTDIR="$root" PREFIX=/usr/local
test ! -e "$root/usr/local/lib/libwiot.a"
test ! -e "$root/usr/local/share/man/man1/wiot.1"
echo "install test: 1 passed, 0 failed"
