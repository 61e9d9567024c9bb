#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Proves that inf_lint.sh fails on INFs broken in the ways it checks: each
# mutation of the real INF must be reported. Prints the mutations it missed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
INF=$ROOT/build/windows/tuntap6.inf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
missed=0
mutation() { # description, sed expression
    sed -e "$2" "$INF" >"$work/m.inf"
    if cmp -s "$INF" "$work/m.inf"; then
        echo "selftest: mutation '$1' changed nothing"; missed=$((missed + 1)); return
    fi
    if "$ROOT/tests/lint/inf_lint.sh" "$work/m.inf" >/dev/null; then
        echo "selftest: inf_lint.sh accepted: $1"; missed=$((missed + 1))
    fi
}
mutation "*IfType differs from the code" 's/^\*IfType *= *6/*IfType = 71/'
mutation "*MediaType missing" '/^\*MediaType/d'
mutation "another driver's hardware id" 's/TunTap.Install, tuntap6$/TunTap.Install, tap0901/'
mutation "ExcludeFromSelect missing" '/^ExcludeFromSelect/d'
mutation "no 16299 decoration with DIRID 13" 's/NTamd64\.10\.0\.\.\.16299/NTamd64/g'
mutation "registry value the code reads without Ndi\\params" '/Ndi\\params\\MediaStatus/d'
mutation "LowerRange not ethernet" 's/"ethernet"/"wan"/'
mutation "not NCF_VIRTUAL" 's/^Characteristics *= *0x81/Characteristics = 0x80/'
mutation "service binary renamed" 's/%13%\\tuntap6.sys/%13%\\other.sys/'
mutation "NetAdapterCx keyword" 's/^\*PhysicalMediaType.*/&\n*AccessType = 2/'
mutation "PnpLockdown off" 's/^PnpLockdown *= *1/PnpLockdown = 0/'
[[ $missed -eq 0 ]]
