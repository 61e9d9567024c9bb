#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Can wine's kernel-driver host run the project's driver? Three checks, each printing one line:
#   1. wine's winedevice.exe loads a WDM driver built by mingw-w64 (probe_driver.c), installed as a kernel
#      service, and a Windows program's CreateFileW and DeviceIoControl reach its dispatch routine through
#      wine's I/O manager (probe_client.c);
#   2. which of the NDIS functions glue/ calls wine's ndis.sys exports (our driver imports them from there);
#   3. the I/O manager's structures as glue/ is compiled (sim/wdk) and as Windows and wine lay them out
#      (mingw-w64's ddk/wdm.h).
# Not part of `make check`: it reports on wine, not on the driver. Run: native-driver/tests/wine-host/probe.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/build/out/wine-host"
mkdir -p "$out"
cc=x86_64-w64-mingw32-gcc
warn=(-Wall -Wextra -Werror)

"$cc" "${warn[@]}" -O2 -shared -nostdlib -Wl,--subsystem,native -Wl,-e,DriverEntry \
    -o "$out/ttwineprobe.sys" "$here/probe_driver.c" -lntoskrnl
"$cc" "${warn[@]}" -O2 -o "$out/probe_client.exe" "$here/probe_client.c"
"$cc" "${warn[@]}" -std=c11 -DNDIS_MINIPORT_DRIVER=1 -DNDIS620_MINIPORT=1 -isystem "$root/sim/wdk" \
    -I"$root/sim" -o "$out/layout_sim.exe" "$here/layout_probe.c"
"$cc" "${warn[@]}" -DPROBE_REAL -o "$out/layout_real.exe" "$here/layout_probe.c"

wine="$(command -v wine64 || command -v wine)"
export WINEPREFIX="$out/prefix" WINEDEBUG=-all DISPLAY= WINEDLLOVERRIDES="mscoree,mshtml="
rm -rf "$WINEPREFIX"
mkdir -p "$WINEPREFIX"
wineserver="$(command -v wineserver || echo /usr/lib/wine/wineserver)"
timeout 120 "$wine" wineboot -i >/dev/null 2>&1
timeout 60 "$wineserver" -w || true
cp "$out/ttwineprobe.sys" "$WINEPREFIX/drive_c/windows/system32/drivers/"
timeout 60 "$wine" sc create ttwineprobe type= kernel start= demand \
    binPath= 'C:\windows\system32\drivers\ttwineprobe.sys' >/dev/null
timeout 60 "$wineserver" -w || true
# The service lives only as long as the wine session: start it and run the client in one session.
status=0
cd "$out"
line="$(timeout 120 "$wine" cmd /c 'sc start ttwineprobe >nul & probe_client.exe' 2>&1 | tr -d '\r' |
    grep '^probe:' || true)"
echo "1. wine's kernel-driver host: ${line:-no answer from probe_client.exe}"
case "$line" in *0x54760008) ;; *) status=1 ;; esac

ndis="$WINEPREFIX/drive_c/windows/system32/drivers/ndis.sys"
exports="$(x86_64-w64-mingw32-objdump -p "$ndis" | awk '/\[Ordinal\/Name Pointer\] Table/ {t = 1; next} t && NF {print $NF} t && !NF {t = 0}')"
# NdisMoveMemory, NdisZeroMemory and NdisQueryMdl are macros of ndis.h, not imports (learn.microsoft.com,
# "NdisMoveMemory macro (ndis.h)", "NdisZeroMemory macro (ndis.h)", "NdisQueryMdl macro (ndis.h)").
used="$(grep -ho '\bNdis[A-Z][A-Za-z]*(' "$root"/glue/*.c | tr -d '(' | sort -u |
    grep -vxE 'NdisMoveMemory|NdisZeroMemory|NdisQueryMdl')"
missing=()
for f in $used; do
  grep -qx "$f" <<<"$exports" || missing+=("$f")
done
echo "2. NDIS functions glue/ calls: $(wc -w <<<"$used"); not exported by wine's ndis.sys ($("$wine" --version)): ${#missing[@]}: ${missing[*]}"

echo "3. as glue/ is compiled (sim/wdk):        $(timeout 60 "$wine" "$out/layout_sim.exe" | tr -d '\r')"
echo "   as Windows and wine lay them out (wdm.h): $(timeout 60 "$wine" "$out/layout_real.exe" | tr -d '\r')"
"$wineserver" -k >/dev/null 2>&1 || true
exit $status
