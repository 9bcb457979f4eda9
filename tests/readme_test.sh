#!/bin/sh
# tests/readme_test.sh WIOT -- run every example of README.md as written (make cli-test).
#
# The convention (README.md, "Examples in this README"):
#  - ```sh blocks: every line starting with "$ " is a command (a line ending in "\"
#    continues on the next); other non-blank lines must be "# ..." comments. Commands
#    run one after the other, in README order, each block in its own `sh -e` (a command
#    that exits non-zero, && lists included, fails the test) in a fresh temporary
#    directory holding a copy of data/, with `wiot` (the WIOT given) on PATH, HOME a
#    temporary directory and the library installed there by
#    `make install PREFIX=$HOME/.local` (the step the README tells a user to run).
#  - A block whose fence line is directly preceded by "<!-- not run: REASON -->" is
#    skipped (make targets, commands that take minutes, MPI); the reason is printed.
#  - A block (```c, ```csv, ```text, ...) directly preceded by "<!-- file: NAME -->" is
#    written to NAME in the working directory before the commands after it run, so
#    ```c programs are compiled by the README's own cc/pkg-config lines.
#  - ```python blocks run with python3 when pandas imports, ```r blocks with Rscript
#    when it exists (else they are reported as skipped); ```text and other blocks are
#    output or formats and are not run.
# Every output a command prints goes to a log, shown when a command fails.
set -eu
[ $# -eq 1 ] || { echo "usage: tests/readme_test.sh path/to/wiot" >&2; exit 2; }
root=$(pwd)
[ -f "$root/README.md" ] || { echo "readme test: run from the repository root" >&2; exit 2; }
wiot=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$wiot" ] || { echo "readme test: $1 is not executable" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/bin" "$tmp/work" "$tmp/blocks"
cp -R "$root/data" "$tmp/work/data"
ln -s "$wiot" "$tmp/bin/wiot"

# The README's `make install PREFIX=$HOME/.local`, into the temporary HOME.
make -s -C "$root" install PREFIX="$tmp/home/.local" > "$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "readme test: make install PREFIX=... failed"; exit 1; }
got=$(PKG_CONFIG_PATH="$tmp/home/.local/lib/pkgconfig" pkg-config --variable=prefix wiot)
[ "$got" = "$tmp/home/.local" ] ||
    { echo "readme test: the installed wiot.pc says prefix=$got, not $tmp/home/.local"; exit 1; }

# Every README section that a --help text, the header or LAYOUTS.md points to exists
# (a heading that starts with the quoted title).
for c in "" $("$wiot" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'); do
    "$wiot" $c --help 2>&1
done > "$tmp/help.txt"
cat "$tmp/help.txt" "$root/include/wiot.h" "$root/kernel/formats/LAYOUTS.md" |
    tr '\n' ' ' | grep -o 'README\.md[,]* *\\*"[^"\\]*' | sed 's/.*"//' | sort -u > "$tmp/refs.txt"
[ -s "$tmp/refs.txt" ] || { echo "readme test: found no README section references"; exit 1; }
while IFS= read -r ref; do
    grep -q "^#* $ref" "$root/README.md" ||
        { echo "readme test: README.md has no section \"$ref\" (cited by --help, wiot.h or LAYOUTS.md)"; exit 1; }
done < "$tmp/refs.txt"
nref=$(wc -l < "$tmp/refs.txt")

# Split README.md into numbered blocks: $tmp/blocks/N.{kind,text,line,mark}.
awk -v dir="$tmp/blocks" '
    /^```/ {
        if (!inb) {
            inb = 1; n++; kind = substr($0, 4); sub(/[ \t].*/, "", kind)
            printf "%s\n", kind > (dir "/" n ".kind"); close(dir "/" n ".kind")
            printf "%d\n", NR > (dir "/" n ".line"); close(dir "/" n ".line")
            printf "%s\n", prev > (dir "/" n ".mark"); close(dir "/" n ".mark")
            printf "" > (dir "/" n ".text")
            next
        }
        inb = 0; close(dir "/" n ".text"); prev = $0; next
    }
    inb { print > (dir "/" n ".text"); next }
    { prev = $0 }
    END { if (inb) { print "README.md: unterminated code block at the end" > "/dev/stderr"; exit 1 } }
' "$root/README.md"

nblk=$(ls "$tmp/blocks" | sed -n 's/\.kind$//p' | sort -n | tail -1)
ncmd=0 nrun=0 nskip=0 nfile=0 fail=0
export HOME="$tmp/home"
export PATH="$tmp/bin:$HOME/.local/bin:$PATH"
unset LD_LIBRARY_PATH WIOT_DATA PKG_CONFIG_PATH 2>/dev/null || true
cd "$tmp/work"
i=0
while [ "$i" -lt "${nblk:-0}" ]; do
    i=$((i + 1))
    kind=$(cat "$tmp/blocks/$i.kind"); line=$(cat "$tmp/blocks/$i.line")
    mark=$(cat "$tmp/blocks/$i.mark"); text="$tmp/blocks/$i.text"
    case "$mark" in
    "<!-- not run: "*)
        nskip=$((nskip + 1))
        echo "readme test: line $line ($kind): not run: $(echo "$mark" | sed 's/^<!-- not run: //; s/ *-->$//')"
        continue ;;
    "<!-- file: "*)
        name=$(echo "$mark" | sed 's/^<!-- file: //; s/ *-->$//')
        case "$name" in */*|.*|"") echo "README.md:$line: bad file name '$name'"; exit 1 ;; esac
        cp "$text" "$tmp/work/$name"
        nfile=$((nfile + 1))
        continue ;;
    esac
    case "$kind" in
    sh)
        # commands: "$ " lines with their "\" continuations; anything else but
        # comments and blank lines is an error (an example that would not be run)
        awk -v file=README.md -v base="$line" '
            function q(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
            function done() { if (!cont) print "st=$?; [ \"$st\" -eq 0 ] || { echo \"exit status $st\" >&2; exit \"$st\"; }" }
            cont { print; cont = /\\$/; done(); next }
            /^\$ / { sub(/^\$ /, ""); print "printf \047%s\\n\047 " q(file ":" (base + NR) ": $ " $0) " >&2"
                     print; n++; cont = /\\$/; done(); next }
            /^[ \t]*$/ || /^[ \t]*#/ { next }
            { printf "%s:%d: a line in a sh block that is neither \"$ command\" nor a comment: %s\n",
                     file, base + NR, $0 > "/dev/stderr"; bad = 1 }
            END { if (!n && !bad) { printf "%s:%d: a sh block without a \"$ \" command (mark it <!-- not run: REASON -->)\n",
                                    file, base > "/dev/stderr"; bad = 1 }
                  print "# " n + 0 " commands"; exit bad }
        ' "$text" > "$tmp/cmds.sh" || exit 1
        c=$(sed -n 's/^# \([0-9]*\) commands$/\1/p' "$tmp/cmds.sh")
        ncmd=$((ncmd + c)); nrun=$((nrun + 1))
        if ! sh -e "$tmp/cmds.sh" > "$tmp/out.log" 2>&1; then
            tail -n 25 "$tmp/out.log"
            echo "readme test: FAILED: the block at README.md:$line (last command above)"
            fail=1
            break
        fi ;;
    python)
        if command -v python3 >/dev/null 2>&1 && python3 -c 'import pandas' 2>/dev/null; then
            python3 "$text" > "$tmp/out.log" 2>&1 ||
                { cat "$tmp/out.log"; echo "readme test: FAILED: python block at README.md:$line"; fail=1; break; }
            nrun=$((nrun + 1))
        else
            nskip=$((nskip + 1))
            echo "readme test: line $line (python): skipped, no python3 with pandas here"
        fi ;;
    r)
        if command -v Rscript >/dev/null 2>&1; then
            Rscript "$text" > "$tmp/out.log" 2>&1 ||
                { cat "$tmp/out.log"; echo "readme test: FAILED: R block at README.md:$line"; fail=1; break; }
            nrun=$((nrun + 1))
        else
            nskip=$((nskip + 1))
            echo "readme test: line $line (r): skipped, no Rscript here"
        fi ;;
    *) ;;   # text, csv, c without a file mark: shown, not run
    esac
done
cd "$root"
[ "$fail" -eq 0 ] || exit 1
echo "readme test: $ncmd commands in $nrun blocks passed, $nfile files written, $nskip blocks not run; $nref section references found"
