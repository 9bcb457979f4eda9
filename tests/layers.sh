#!/bin/sh
# The layering of kernel/ (kernel/LAYERS.md), checked on the sources and the built
# objects: (1) every #include "LAYER/..." of a file points to its own layer or one
# below; (2) every symbol a library object uses from another library object is defined
# in the same layer or below; (3) no two library files call each other in a loop (the
# file-level call graph from nm is acyclic); (4) no kernel source is over 900 lines.
# Usage: sh tests/layers.sh BUILD_DIR   (run from the repository root)
set -u
B=${1:-build}
fail=0
rank() {
    case $1 in
    common) echo 0 ;; table) echo 1 ;; formats) echo 2 ;; model) echo 3 ;;
    exposure) echo 4 ;; tariff) echo 5 ;; gvc|satellite) echo 6 ;; ge) echo 7 ;;
    report) echo 8 ;; cli|tools) echo 9 ;; mpi) echo 10 ;; *) echo 99 ;;
    esac
}

# (1) includes
for f in kernel/*/*.c kernel/*/*.h; do
    layer=$(echo "$f" | cut -d/ -f2)
    r=$(rank "$layer")
    for inc in $(sed -n 's/^#include "\([a-z]*\)\/[^"]*".*/\1/p' "$f"); do
        ri=$(rank "$inc")
        if [ "$ri" -gt "$r" ]; then
            echo "layers: $f (layer $layer) includes $inc/, a layer above it"
            fail=1
        fi
    done
    if grep -q '^#include "\.\./' "$f"; then
        echo "layers: $f includes a header by a relative path (use LAYER/header.h)"
        fail=1
    fi
done

# (2) and (3): symbols defined and used by the library's objects
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
objs=$(ls "$B"/common/*.o "$B"/table/*.o "$B"/formats/*.o "$B"/model/*.o "$B"/exposure/*.o \
    "$B"/tariff/*.o "$B"/gvc/*.o "$B"/satellite/*.o "$B"/ge/*.o 2>/dev/null)
[ -n "$objs" ] || { echo "layers: no objects under $B (build first)"; exit 1; }
for o in $objs; do
    nm -g --defined-only "$o" | awk -v o="$o" '$2 ~ /^[TDRB]$/ { print $3, o }'
done | sort > "$tmp/defs"
for o in $objs; do
    nm -u "$o" | awk -v o="$o" '{ print $2, o }'
done | sort > "$tmp/uses"
join "$tmp/uses" "$tmp/defs" | awk '$2 != $3 { print $2, $3 }' | sort -u > "$tmp/edges"
while read -r user def; do
    lu=$(echo "$user" | awk -F/ '{ print $(NF-1) }')
    ld=$(echo "$def" | awk -F/ '{ print $(NF-1) }')
    if [ "$(rank "$ld")" -gt "$(rank "$lu")" ]; then
        echo "layers: $user (layer $lu) calls into $def (layer $ld), a layer above it"
        fail=1
    fi
done < "$tmp/edges"
# peel off files that call no remaining file, and files no remaining file calls; what
# is left lies on a cycle
cp "$tmp/edges" "$tmp/left"
while :; do
    awk '{ print $2 }' "$tmp/left" | sort -u > "$tmp/callees"
    awk '{ print $1 }' "$tmp/left" | sort -u > "$tmp/callers"
    comm -23 "$tmp/callees" "$tmp/callers" > "$tmp/sinks"     # called, call nothing left
    comm -13 "$tmp/callees" "$tmp/callers" > "$tmp/sources"   # call, called by nothing left
    [ -s "$tmp/sinks" ] || [ -s "$tmp/sources" ] || break
    awk 'NR == FNR { s[$1] = 1; next } FILENAME == ARGV[2] { q[$1] = 1; next }
         !($2 in s) && !($1 in q)' "$tmp/sinks" "$tmp/sources" "$tmp/left" > "$tmp/next"
    mv "$tmp/next" "$tmp/left"
done
if [ -s "$tmp/left" ]; then
    echo "layers: files that call each other in a loop:"
    sed 's/^/  /' "$tmp/left"
    fail=1
fi

# (4) file sizes
for f in kernel/*/*.c kernel/*/*.h; do
    n=$(wc -l < "$f")
    if [ "$n" -gt 900 ]; then
        echo "layers: $f has $n lines (at most 900: split it by concern)"
        fail=1
    fi
done

edges=$(wc -l < "$tmp/edges")
if [ "$fail" -eq 0 ]; then
    echo "layers: $(echo "$objs" | wc -w) library files, $edges file-to-file call edges, all pointing down or within a layer, no loops"
fi
exit $fail
