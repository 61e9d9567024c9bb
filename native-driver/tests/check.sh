#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs every Linux-verifiable stage of native-driver and tallies individual
# test cases. Called by `make check`; the last line printed is exactly
#   native-driver: N passed, N failed
# and the exit status is non-zero if anything failed.
#
# Stages (each a count of test cases):
#   core     core/ unit tests, gcc, ASan + UBSan          (one per test)
#   glue     glue/ logic against tests/stubs, ASan+UBSan  (one per test)
#   sim      all of glue/ + core/ under sim/'s NDIS and I/O manager,
#            ASan+UBSan and TSan (one per scenario), libtuntapsim.so smoke
#            test and export list (one each)
#   fuzz     libFuzzer target per parser, time-bounded    (one per target)
#   wine     core tests built by mingw-w64, run by wine   (one per test)
#   free     core/ freestanding for x64 Windows, no CRT   (one)
#   abi      dump vs golden; CTL_CODE vs the SDK macro    (two)
#   stubs    stub constants vs mingw-w64's Windows headers (one)
#   types    glue/ + core/ against sim/wdk: mingw x64, clang x64 with
#            -Wthread-safety, clang ARM64, _KERNEL_MODE types, the C4267 lint,
#            cppcheck (one each)
#   inf      INF lint and its mutation self-test (one each)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/build/out"
MAKE=${MAKE:-make}
MK=("$MAKE" --no-print-directory -C "$ROOT")
FUZZ_SECONDS=${FUZZ_SECONDS:-8}
FUZZ_TARGETS=(arp ipv4 ipv6_nd dhcp ioctl frame engine)

passed=0
failed=0
mkdir -p "$OUT/logs"

note() { printf '== %s\n' "$*"; }
pass() { passed=$((passed + 1)); printf '  PASS %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf '  FAIL %s\n' "$1"; }

# Adds the counts of a harness "RESULT <suite> passed=N failed=M" line found
# in log $1; a missing line, or a non-zero exit status $2 with no failures
# reported, counts as one failure.
tally_suite() {
    local log=$1 rc=$2 label=$3 line p f
    line=$(grep -a '^RESULT ' "$log" | tail -n 1 | tr -d '\r')
    if [[ -z $line ]]; then
        fail "$label: no RESULT line (exit status $rc); see $log"
        tail -n 20 "$log"
        return
    fi
    p=$(sed -n 's/.*passed=\([0-9]*\).*/\1/p' <<<"$line")
    f=$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' <<<"$line")
    passed=$((passed + p))
    failed=$((failed + f))
    printf '  %s\n' "$line"
    grep -a -A1 'FAIL ' "$log" | head -n 40
    if [[ $rc -ne 0 && $f -eq 0 ]]; then
        fail "$label: exit status $rc although no test failed"
    fi
}

run_suite() { # label, make target, command...
    local label=$1 target=$2
    shift 2
    local log="$OUT/logs/$label.log"
    if ! "${MK[@]}" "$target" >"$log.build" 2>&1; then
        fail "$label: build failed; see $log.build"
        tail -n 30 "$log.build"
        return
    fi
    "$@" >"$log" 2>&1 </dev/null
    tally_suite "$log" $? "$label"
}

note "core unit tests (gcc, ASan+UBSan)"
run_suite core core-tests "$OUT/core_tests"

note "glue logic tests against tests/stubs (gcc, ASan+UBSan)"
run_suite glue glue-tests "$OUT/glue_tests"

note "glue/ and core/ under the user-mode NDIS and I/O manager (sim/), ASan+UBSan and TSan"
if "${MK[@]}" -j2 sim-tests >"$OUT/logs/sim.build" 2>&1; then
    for kind in asan tsan; do
        "$OUT/sim_tests_$kind" >"$OUT/logs/sim-$kind.log" 2>&1 </dev/null
        rc=$?
        tally_suite "$OUT/logs/sim-$kind.log" $rc "sim-$kind"
        if [[ $rc -ne 0 ]]; then
            grep -a -E 'RULE BROKEN|SUMMARY|sim_tests.c:[0-9]+: ' "$OUT/logs/sim-$kind.log" | head -n 20
        fi
    done
    "$OUT/sim_so_smoke" >"$OUT/logs/sim-so.log" 2>&1 </dev/null
    tally_suite "$OUT/logs/sim-so.log" $? "sim-so"
    declared=$(grep '^TTS_EXPORT ' "$ROOT/sim/tuntapsim.h" | grep -o 'tts_[a-z_]*(' | tr -d '(' | sort)
    exported=$(nm -D --defined-only "$OUT/libtuntapsim.so" | awk '{print $3}' | sort)
    if [[ "$declared" == "$exported" ]]; then
        pass "libtuntapsim.so exports exactly the $(wc -w <<<"$declared") functions of sim/tuntapsim.h"
    else
        fail "libtuntapsim.so exports differ from sim/tuntapsim.h"
        diff <(echo "$declared") <(echo "$exported") | head -n 20
    fi
else
    fail "sim: build failed; see $OUT/logs/sim.build"
    tail -n 30 "$OUT/logs/sim.build"
fi

note "all of glue/ and core/ against the WDK stand-in headers (sim/wdk), warnings as errors"
typecheck() { # stage, description
    if "$ROOT/tests/typecheck.sh" "$1" >"$OUT/logs/typecheck-$1.log" 2>&1; then
        pass "$2"
    else
        fail "$2; see $OUT/logs/typecheck-$1.log"
        grep -a -E 'error|warning|C4267' "$OUT/logs/typecheck-$1.log" | head -n 20
    fi
}
typecheck mingw-x64 "x86_64-w64-mingw32-gcc (LLP64) -Wall -Wextra -Wconversion -Werror, x64 defines"
typecheck clang-x64 "clang x86_64-windows -Wshorten-64-to-32 -Wconversion -Wthread-safety -Werror, x64 defines"
typecheck clang-arm64 "clang aarch64-windows -Werror with the vcxproj's ARM64 defines (NDIS version check)"
typecheck km-types "core/ and abi/ with _KERNEL_MODE take their types from ntdef.h (mingw-w64), not stdint.h/stdbool.h"
typecheck c4267 "no MSVC C4267 (non-constant size_t narrowed to 32 bits) in the clang AST; the lint flags exactly its probe's 3 cases"
typecheck tsa-selftest "-Wthread-safety with the stand-in's annotations reports the 5 lock/IRQL mistakes of tsa_probe.c, and nothing else"
typecheck cppcheck "cppcheck (warning, performance, portability; WDK allocation pairs)"

note "INF lint"
if "$ROOT/tests/lint/inf_lint.sh" >"$OUT/logs/inf-lint.log" 2>&1; then
    pass "tuntap6.inf: mandatory sections and keywords, values the code reports, own ids only"
else
    fail "tuntap6.inf"
    cat "$OUT/logs/inf-lint.log"
fi
if "$ROOT/tests/lint/inf_lint_selftest.sh" >"$OUT/logs/inf-selftest.log" 2>&1; then
    pass "the INF lint rejects 11 mutations of the INF"
else
    fail "the INF lint missed mutations"
    cat "$OUT/logs/inf-selftest.log"
fi

note "fuzzing, ${FUZZ_SECONDS}s per target (clang libFuzzer, ASan+UBSan)"
if "${MK[@]}" fuzzers >"$OUT/logs/fuzz.build" 2>&1; then
    for t in "${FUZZ_TARGETS[@]}"; do
        work="$OUT/fuzz/scratch/$t"
        rm -rf "$work" && mkdir -p "$work"
        # New inputs go to $work; the committed seeds are only read.
        if "$OUT/fuzz/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=5 -rss_limit_mb=1024 \
            -print_final_stats=1 -artifact_prefix="$OUT/fuzz/crash-$t-" \
            "$work" "$ROOT/tests/fuzz/corpus/$t" >"$OUT/logs/fuzz-$t.log" 2>&1 </dev/null; then
            runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/logs/fuzz-$t.log")
            pass "fuzz_$t (${runs:-?} executions)"
        else
            fail "fuzz_$t; see $OUT/logs/fuzz-$t.log"
            grep -a -m 5 -E 'ERROR|SUMMARY|runtime error|Assertion' "$OUT/logs/fuzz-$t.log"
        fi
    done
else
    fail "fuzzers: build failed; see $OUT/logs/fuzz.build"
    tail -n 30 "$OUT/logs/fuzz.build"
fi

note "core tests under the Windows x64 ABI (mingw-w64 + wine)"
WINE=$(command -v wine64 || command -v wine || true)
if [[ -z $WINE ]]; then
    fail "wine: neither wine64 nor wine is installed"
else
    # A throwaway prefix, no display, no debug chatter: the first run creates
    # the prefix (about 10 s); wineboot's syswow64 warning on a 64-bit-only
    # wine is harmless.
    export WINEPREFIX="$OUT/wineprefix" WINEDEBUG=-all DISPLAY=
    mkdir -p "$WINEPREFIX"
    run_suite wine wine-tests timeout 300 "$WINE" "$OUT/core_tests.exe"
    wineserver_bin=$(command -v wineserver || echo /usr/lib/wine/wineserver)
    "$wineserver_bin" -k >/dev/null 2>&1 || true
fi

note "core/ freestanding for x86_64 Windows (no CRT, no OS headers)"
if "${MK[@]}" freestanding >"$OUT/logs/free.build" 2>&1; then
    undefined=$(x86_64-w64-mingw32-nm -u "$OUT/freestanding/core.o")
    if [[ -z $undefined ]]; then
        pass "core/ compiles with -ffreestanding -nostdinc and links with no external symbol"
    else
        fail "core/ needs external symbols: $(echo $undefined)"
    fi
else
    fail "freestanding build; see $OUT/logs/free.build"
    tail -n 30 "$OUT/logs/free.build"
fi

note "ABI listing"
if "${MK[@]}" abi >"$OUT/logs/abi.build" 2>&1; then
    if diff -u "$ROOT/abi/abi-golden.txt" "$ROOT/build/abi.txt" >"$OUT/logs/abi.diff"; then
        pass "build/abi.txt matches abi/abi-golden.txt"
    else
        fail "build/abi.txt differs from abi/abi-golden.txt"
        cat "$OUT/logs/abi.diff"
    fi
else
    fail "abi_dump build; see $OUT/logs/abi.build"
fi
if "${MK[@]}" abi-windows >"$OUT/logs/abi-windows.log" 2>&1; then
    pass "IOCTL codes equal the Windows SDK CTL_CODE (mingw-w64 winioctl.h)"
else
    fail "IOCTL codes vs winioctl.h"
    tail -n 20 "$OUT/logs/abi-windows.log"
fi

note "WDK stub constants vs mingw-w64's Windows headers"
if "${MK[@]}" stub-fidelity >"$OUT/logs/stubs.log" 2>&1; then
    pass "tests/stubs OID, status and structure values match ntddndis.h/ntstatus.h"
else
    fail "tests/stubs disagree with the Windows headers"
    tail -n 20 "$OUT/logs/stubs.log"
fi

echo "native-driver: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
