#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Checks build/windows/tuntap6.inf against the documented requirements for a
# network adapter INF and against what the driver code registers:
#   - [Version]: Signature, Class=Net and its ClassGuid, Provider,
#     CatalogFile, DriverVer, PnpLockdown=1;
#   - [ControlFlags] ExcludeFromSelect (required for network adapters);
#   - every [Manufacturer] decoration has a models section; with DIRID 13
#     (run from the driver store, Windows 10 1709) every decoration carries
#     the 10.0...16299 target; an ARM64 decoration requires the vcxproj's
#     ARM64 build to define NDIS630_MINIPORT;
#   - the install section: NCF_VIRTUAL, *IfType/*MediaType/*PhysicalMediaType
#     equal to what tt_miniport.c reports, none of the NetAdapterCx-only
#     keywords (*IfConnectorPresent, ...), Ndi service and interfaces, the
#     service section, and an Ndi\params entry for every registry value
#     tt_config.c reads;
#   - the hardware ids are the project's (abi/tuntap_tap_ioctl.h) and no id
#     of another driver (tap0901, Wintun, ...) appears anywhere.
# Prints one line per problem; exit status 1 if any.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
INF=${1:-$ROOT/build/windows/tuntap6.inf}
MINIPORT=$ROOT/glue/tt_miniport.c
CONFIG=$ROOT/glue/tt_config.c
NDIS_H=$ROOT/sim/wdk/ndis.h
ABI=$ROOT/abi/tuntap_tap_ioctl.h
problems=0
problem() { echo "inf-lint: $*"; problems=$((problems + 1)); }

# The INF without comments, CRs and surrounding blanks.
clean=$(sed -e 's/\r$//' -e 's/[[:space:]]*;.*$//' -e 's/^[[:space:]]*//' -e '/^$/d' "$INF")

# section NAME: its lines (case-insensitive section names, as Windows reads them)
section() {
    awk -v want="$(tr 'A-Z' 'a-z' <<<"$1")" '
        /^\[/ { name = tolower($0); gsub(/^\[|\]$/, "", name); inside = (name == want); next }
        inside { print }' <<<"$clean"
}
has_section() { grep -qi "^\[$1\]$" <<<"$clean"; }
# value SECTION KEY: the value of KEY = value in SECTION
value() {
    section "$1" | awk -F= -v key="$(tr 'A-Z' 'a-z' <<<"$2")" '
        { k = tolower($1); gsub(/[[:space:]]/, "", k) }
        k == key { v = substr($0, index($0, "=") + 1); gsub(/^[[:space:]]+|[[:space:]]+$/, "", v); print v; exit }'
}
expect() { # section key expected-regex description
    local v
    v=$(value "$1" "$2")
    if [[ -z $v ]]; then problem "[$1] has no $2 ($4)"
    elif ! grep -qiE "^($3)$" <<<"$v"; then problem "[$1] $2 = $v, expected $4"; fi
}

expect Version Signature '"\$(WINDOWS NT|Windows NT|Chicago)\$"' '"$WINDOWS NT$"'
expect Version Class 'Net' 'Net'
expect Version ClassGuid '\{4d36e972-e325-11ce-bfc1-08002be10318\}' 'the Net class GUID'
expect Version Provider '%[A-Za-z]+%|"[^"]+"' 'a provider'
expect Version CatalogFile '[A-Za-z0-9_]+\.cat' 'a catalog file'
expect Version DriverVer '[0-9]{2}/[0-9]{2}/[0-9]{4},[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+' 'mm/dd/yyyy,w.x.y.z'
expect Version PnpLockdown '1' '1'

if ! has_section ControlFlags; then
    problem "no [ControlFlags] section (ExcludeFromSelect is required for network adapters)"
else
    expect ControlFlags ExcludeFromSelect '\*|.+' 'ExcludeFromSelect = *'
fi

# [Manufacturer]: %Name% = Models, Decoration, ...
manufacturer=$(section Manufacturer | head -n 1)
models=$(sed -e 's/^[^=]*=[[:space:]]*//' <<<"$manufacturer" | cut -d, -f1 | tr -d ' ')
mapfile -t decorations < <(sed -e 's/^[^=]*=[[:space:]]*//' <<<"$manufacturer" | cut -d, -f2- | tr ',' '\n' | tr -d ' ' | sed '/^$/d')
[[ -n $models ]] || problem "[Manufacturer] names no models section"
[[ ${#decorations[@]} -gt 0 ]] || problem "[Manufacturer] has no architecture decorations"
uses_dirid13=0
section DestinationDirs | grep -qE '=[[:space:]]*13([[:space:]]*,|$)' && uses_dirid13=1
arm64=0
for d in "${decorations[@]}"; do
    has_section "$models.$d" || problem "[Manufacturer] decoration $d has no [$models.$d] section"
    if [[ $uses_dirid13 -eq 1 ]] && ! grep -qE '\.10\.0\.\.\.1[6-9][0-9]{3}$|\.10\.0\.\.\.[2-9][0-9]{4}$' <<<"$d"; then
        problem "DIRID 13 needs Windows 10 1709: decoration $d lacks .10.0...16299"
    fi
    grep -qi '^NTarm64' <<<"$d" && arm64=1
done
if [[ $arm64 -eq 1 ]] && ! "$ROOT/tests/typecheck.sh" defines ARM64 | grep -q '^-DNDIS630_MINIPORT'; then
    problem "ARM64 models, but the vcxproj's ARM64 build does not define NDIS630_MINIPORT"
fi

# Hardware ids: the project's own, and nobody else's.
component=$(sed -n 's/^#define TUNTAP_TAP_COMPONENT_ID *"\(.*\)"/\1/p' "$ABI")
install=""
for d in "${decorations[@]}"; do
    while IFS= read -r line; do
        ids=$(cut -d, -f2- <<<"$line" | tr ',' '\n' | tr -d ' ')
        install=$(cut -d, -f1 <<<"$line" | sed 's/^[^=]*=[[:space:]]*//' | tr -d ' ')
        while IFS= read -r id; do
            [[ -z $id ]] && continue
            case $(tr 'A-Z' 'a-z' <<<"$id") in
            "$component" | "root\\$component") ;;
            *) problem "hardware id $id is not the project's ($component, root\\$component)" ;;
            esac
        done <<<"$ids"
    done < <(section "$models.$d")
done
if grep -qiE 'tap0901|tap0801|tapoas|wintun|ovpn-dco|tap-windows|root\\tap[^a-z]' <<<"$clean"; then
    problem "an id of another driver (tap0901, Wintun, ...) appears: $(grep -oiE 'tap0901|tap0801|tapoas|wintun|ovpn-dco|tap-windows' <<<"$clean" | sort -u | tr '\n' ' ')"
fi

# The install section and what the code reports.
if [[ -z $install ]] || ! has_section "$install.NT" && ! has_section "$install"; then
    problem "install section $install not found"
fi
inst="$install.NT"
has_section "$inst" || inst=$install
chars=$(value "$inst" Characteristics)
(( (chars & 0x1) != 0 )) 2>/dev/null || problem "[$inst] Characteristics $chars lacks NCF_VIRTUAL (0x1)"
# symbol value from the WDK stand-in: "#define S n" or "S = n" in an enum
symbol_value() {
    local v
    v=$(sed -n "s/^#define $1 \([0-9]*\)\$/\1/p" "$NDIS_H" | head -n 1)
    [[ -z $v ]] && v=$(grep -oE "\b$1 = [0-9]+" "$NDIS_H" | head -n 1 | grep -oE '[0-9]+$')
    echo "$v"
}
for pair in "*IfType:IfType" "*MediaType:MediaType" "*PhysicalMediaType:PhysicalMediumType"; do
    key=${pair%%:*} member=${pair##*:}
    sym=$(sed -n "s/^ *gen\.$member = \([A-Za-z0-9_]*\);.*/\1/p" "$MINIPORT" | head -n 1)
    want=$(symbol_value "$sym")
    got=$(value "$inst" "$key")
    if [[ -z $got ]]; then problem "[$inst] lacks $key (mandatory; NDIS never initializes the adapter without it)"
    elif [[ -z $want ]]; then problem "cannot find what tt_miniport.c reports for $member"
    elif [[ $got != "$want" ]]; then problem "[$inst] $key = $got, but tt_miniport.c reports $member = $sym ($want)"; fi
done
# Keywords only NetAdapterCx reads; an NDIS 6 miniport reports these in its
# general attributes, so in this INF they would only be a second, unread copy.
for key in IfConnectorPresent ConnectionType DirectionType AccessType HardwareLoopback; do
    if [[ -n $(value "$inst" "*$key") ]]; then
        problem "[$inst] sets *$key, a NetAdapterCx keyword that an NDIS 6 miniport does not read (tt_miniport.c reports the value itself)"
    fi
done
addreg=$(value "$inst" AddReg | tr ',' '\n' | tr -d ' ')
ndi=$(for s in $addreg; do section "$s"; done)
grep -qiE '^HKR,[[:space:]]*Ndi,[[:space:]]*Service,[[:space:]]*0,[[:space:]]*"?tuntap6"?' <<<"$ndi" || problem "no HKR,Ndi,Service,0,\"tuntap6\""
grep -qiE 'Ndi\\Interfaces,[[:space:]]*UpperRange,[[:space:]]*0,[[:space:]]*"ndis5"' <<<"$ndi" || problem "UpperRange is not ndis5"
grep -qiE 'Ndi\\Interfaces,[[:space:]]*LowerRange,[[:space:]]*0,[[:space:]]*"ethernet"' <<<"$ndi" || problem "LowerRange is not ethernet"
for key in $(grep -oE 'ReadInteger\(config, L"[A-Za-z*]+"' "$CONFIG" | sed 's/.*L"\(.*\)"/\1/') \
           $(grep -q NdisReadNetworkAddress "$CONFIG" && echo NetworkAddress); do
    grep -qiE "Ndi\\\\params\\\\$key," <<<"$ndi" || problem "tt_config.c reads $key but the INF has no Ndi\\params\\$key"
done

# Service.
service_line=$(section "$inst.Services" | grep -i '^AddService' | head -n 1)
svc_name=$(sed 's/^[^=]*=[[:space:]]*//' <<<"$service_line" | cut -d, -f1 | tr -d ' ')
svc_flags=$(cut -d, -f2 <<<"$service_line" | tr -d ' ')
svc_section=$(cut -d, -f3 <<<"$service_line" | tr -d ' ')
[[ $svc_name == tuntap6 ]] || problem "AddService name is '$svc_name', expected tuntap6"
[[ $((svc_flags & 0x2)) -ne 0 ]] 2>/dev/null || problem "AddService lacks SPSVCINST_ASSOCSERVICE (0x2)"
expect "$svc_section" ServiceType '1' '1 (SERVICE_KERNEL_DRIVER)'
expect "$svc_section" StartType '3' '3 (SERVICE_DEMAND_START)'
expect "$svc_section" ServiceBinary '%1[23]%\\tuntap6\.sys' '%13%\tuntap6.sys'
expect "$svc_section" LoadOrderGroup 'NDIS' 'NDIS'
section SourceDisksFiles | grep -qi '^tuntap6\.sys' || problem "[SourceDisksFiles] lacks tuntap6.sys"

[[ $problems -eq 0 ]]
