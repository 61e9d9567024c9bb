#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Compiles every glue/ file (the WDK-only ones included) and core/ against
# the WDK stand-in headers in sim/wdk/, as the Windows build would, with
# warnings as errors:
#   typecheck.sh defines PLATFORM     the vcxproj's preprocessor definitions
#   typecheck.sh mingw-x64            x86_64-w64-mingw32-gcc (LLP64), -Wconversion
#   typecheck.sh clang-x64            clang x86_64-windows, -Wshorten-64-to-32,
#                                     -Wconversion, -Wthread-safety
#   typecheck.sh clang-arm64          clang aarch64-windows with the ARM64 defines
#   typecheck.sh km-types             core/ and abi/ with _KERNEL_MODE: types from
#                                     ntdef.h, no stdint.h/stdbool.h
#   typecheck.sh c4267                MSVC C4267 (size_t narrowing) over the AST
#   typecheck.sh tsa-selftest         the lock/IRQL annotations catch tests/lint/tsa_probe.c
#   typecheck.sh cppcheck             cppcheck over glue/ and core/
# Exit status 0 when clean; diagnostics on stdout.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VCXPROJ="$ROOT/build/windows/tuntap6.vcxproj"
GLUE=("$ROOT"/glue/*.c)
CORE=("$ROOT"/core/*.c)
WARN=(-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes)

# The ClCompile PreprocessorDefinitions that apply to platform $1: the
# unconditional ones plus those of ItemDefinitionGroups whose Condition
# names that platform.
defines() {
    awk -v plat="$1" '
        /<ItemDefinitionGroup/ {
            cond = ""
            if (match($0, /Condition="[^"]*"/)) cond = substr($0, RSTART, RLENGTH)
            applies = (cond == "" || index(cond, "|" plat "'"'"'") > 0 || index(cond, "=='"'"'" plat "'"'"'") > 0)
        }
        /<\/ItemDefinitionGroup>/ { applies = 0 }
        applies && /<PreprocessorDefinitions/ {
            s = $0
            sub(/.*<PreprocessorDefinitions[^>]*>/, "", s)
            sub(/<\/PreprocessorDefinitions>.*/, "", s)
            n = split(s, d, ";")
            for (i = 1; i <= n; i++) if (d[i] != "" && d[i] !~ /^%\(/) print "-D" d[i]
        }' "$VCXPROJ"
}

freestanding_clang() { # target
    local res
    res=$(clang -print-resource-dir)/include
    echo --target="$1" -ffreestanding -nostdinc -isystem "$res" -isystem "$ROOT/sim/wdk"
}

case ${1:-} in
defines)
    defines "$2"
    ;;
mingw-x64)
    mapfile -t D < <(defines x64)
    rc=0
    for f in "${GLUE[@]}" "${CORE[@]}"; do
        x86_64-w64-mingw32-gcc "${WARN[@]}" -Wconversion -fsyntax-only "${D[@]}" \
            -isystem "$ROOT/sim/wdk" "$f" || rc=1
    done
    exit $rc
    ;;
km-types)
    # core/ and abi/ as a kernel-mode build sees them (_KERNEL_MODE): the
    # types come from ntdef.h (mingw-w64's here) through core/tt_types.h,
    # and neither <stdint.h> nor <stdbool.h> may be reached.
    rc=0
    for f in "${CORE[@]}" "$ROOT/abi/abi_check_windows.c"; do
        out=$(x86_64-w64-mingw32-gcc "${WARN[@]}" -Wconversion -fsyntax-only -H -D_KERNEL_MODE \
            -I"$ROOT/abi" "$f" 2>&1) || { echo "$out"; rc=1; }
        if grep -E '/std(int|bool)\.h$' <<<"$out"; then
            echo "error: $f reaches stdint.h/stdbool.h with _KERNEL_MODE"; rc=1
        fi
    done
    exit $rc
    ;;
clang-x64 | clang-arm64)
    if [[ $1 == clang-x64 ]]; then plat=x64 target=x86_64-w64-windows-gnu
    else plat=ARM64 target=aarch64-w64-windows-gnu; fi
    mapfile -t D < <(defines $plat)
    read -r -a F < <(freestanding_clang $target)
    rc=0
    for f in "${GLUE[@]}" "${CORE[@]}"; do
        clang "${WARN[@]}" -Wshorten-64-to-32 -Wconversion -Wthread-safety -fsyntax-only \
            "${F[@]}" "${D[@]}" "$f" || rc=1
    done
    exit $rc
    ;;
c4267)
    mapfile -t D < <(defines x64)
    read -r -a F < <(freestanding_clang x86_64-w64-windows-gnu)
    rc=0
    for f in "${GLUE[@]}" "${CORE[@]}"; do
        clang -std=c11 -fsyntax-only -fno-color-diagnostics -Xclang -ast-dump "${F[@]}" "${D[@]}" \
            "$f" 2>/dev/null | awk -v main="$(basename "$f")" -f "$ROOT/tests/lint/c4267.awk" || rc=1
    done
    # The lint itself: exactly the probe's marked lines.
    probe="$ROOT/tests/lint/c4267_probe.c"
    got=$(clang -std=c11 -fsyntax-only -Xclang -ast-dump "${F[@]}" "${D[@]}" "$probe" 2>/dev/null |
          awk -v main=c4267_probe.c -f "$ROOT/tests/lint/c4267.awk" | sed -n 's/.*c4267_probe\.c:\([0-9]*\):.*/\1/p' | sort -n)
    want=$(grep -n 'C4267 \*/' "$probe" | cut -d: -f1 | sort -n)
    if [[ -z $want || "$got" != "$want" ]]; then
        echo "c4267 lint self-test: flagged lines $(echo $got), expected $(echo $want)"
        rc=1
    fi
    exit $rc
    ;;
tsa-selftest)
    # Each function of tsa_probe.c preceded by an EXPECT comment must get a
    # -Wthread-safety diagnostic, and no other function may.
    probe="$ROOT/tests/lint/tsa_probe.c"
    read -r -a F < <(freestanding_clang x86_64-w64-windows-gnu)
    mapfile -t D < <(defines x64)
    lines=$(clang -std=c11 -fsyntax-only -Wthread-safety "${F[@]}" "${D[@]}" "$probe" 2>&1 |
            sed -n 's/.*tsa_probe\.c:\([0-9]*\):[0-9]*: warning:.*/\1/p' | sort -un)
    # function name of each line: the last "void probe_x(" at or before it
    got=$(for l in $lines; do
              awk -v l="$l" 'NR <= l && /^void probe_[a-z_]*\(/ { f = $2; sub(/\(.*/, "", f) } END { print f }' "$probe"
          done | sort -u)
    want=$(awk '/EXPECT:/ { e = 1; next } e && /^void probe_/ { f = $2; sub(/\(.*/, "", f); print f; e = 0 }' "$probe" | sort -u)
    echo "expected diagnostics in: $(echo $want)"
    echo "got diagnostics in:      $(echo $got)"
    [[ -n $want && "$got" == "$want" ]]
    ;;
cppcheck)
    mapfile -t D < <(defines x64)
    cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
        --std=c11 --platform=win64 --inline-suppr --suppress=missingIncludeSystem \
        --library="$ROOT/tests/lint/wdk.cfg" "${D[@]}" -I "$ROOT/sim/wdk" \
        "${GLUE[@]}" "${CORE[@]}"
    ;;
*)
    echo "usage: $0 defines PLATFORM | mingw-x64 | clang-x64 | clang-arm64 | c4267 | tsa-selftest | cppcheck" >&2
    exit 2
    ;;
esac
