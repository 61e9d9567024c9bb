# SPDX-License-Identifier: Apache-2.0
#
# verifier-loop.ps1 - drives an installed tuntap6 adapter through the paths
# the Linux simulation covers, on a test-signed machine where Driver
# Verifier watches tuntap6.sys (README.md, "Driver Verifier"):
#   open; IOCTLs; set media connected; a pending read; disable and enable
#   the adapter with the handle open (halt with an open handle); a client
#   process killed with reads pending; sleep and resume (pwrtest, if
#   present) with a client connected; close.
# A Verifier finding bugchecks the machine, so reaching the end means none.
# Written without a Windows machine: it has not run yet.
param([int]$Iterations = 10)
$ErrorActionPreference = 'Stop'

Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
public static class Tap {
    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    public static extern SafeFileHandle CreateFile(string name, uint access, uint share,
        IntPtr sa, uint disposition, uint flags, IntPtr template);
    [DllImport("kernel32.dll", SetLastError = true)]
    public static extern bool DeviceIoControl(SafeFileHandle h, uint code, byte[] inBuf,
        int inLen, byte[] outBuf, int outLen, out int returned, IntPtr overlapped);
    public static uint Code(uint function) { return (0x22u << 16) | (function << 2); }
}
'@

function Open-Tap([string]$guid) {
    # GENERIC_READ|GENERIC_WRITE, no sharing, OPEN_EXISTING, FILE_FLAG_OVERLAPPED
    $h = [Tap]::CreateFile("\\.\Global\$guid.tap", 0xC0000000, 0, [IntPtr]::Zero, 3, 0x40000000, [IntPtr]::Zero)
    if ($h.IsInvalid) { throw "CreateFile failed: $([Runtime.InteropServices.Marshal]::GetLastWin32Error())" }
    return $h
}

function Invoke-Ioctl($h, [uint32]$function, [byte[]]$in, [int]$outLen) {
    $out = New-Object byte[] ([Math]::Max($outLen, 1))
    $n = 0
    $inLen = if ($in) { $in.Length } else { 0 }
    if (-not [Tap]::DeviceIoControl($h, [Tap]::Code($function), $in, $inLen, $out, $outLen, [ref]$n, [IntPtr]::Zero)) {
        throw "IOCTL $function failed: $([Runtime.InteropServices.Marshal]::GetLastWin32Error())"
    }
    return $out[0..([Math]::Max($n, 1) - 1)]
}

$adapter = Get-NetAdapter -IncludeHidden | Where-Object { $_.InterfaceDescription -like 'tuntap6*' } | Select-Object -First 1
if (-not $adapter) { throw "no tuntap6 adapter installed" }
$guid = $adapter.InterfaceGuid

for ($i = 1; $i -le $Iterations; $i++) {
    Write-Host "iteration $i"
    $h = Open-Tap $guid
    $mac = Invoke-Ioctl $h 1 $null 6
    $null = Invoke-Ioctl $h 6 ([BitConverter]::GetBytes([uint32]1)) 0   # media connected
    $stream = New-Object IO.FileStream($h, [IO.FileAccess]::ReadWrite, 4096, $true)
    $buffer = New-Object byte[] 2048
    $pending = $stream.ReadAsync($buffer, 0, $buffer.Length)

    # Halt with the handle open and a read pending, then enable again.
    Disable-NetAdapter -Name $adapter.Name -Confirm:$false
    Start-Sleep -Seconds 2
    try { $null = Invoke-Ioctl $h 3 $null 4; throw "IOCTL after halt succeeded" } catch { }
    $stream.Dispose()
    Enable-NetAdapter -Name $adapter.Name -Confirm:$false
    Start-Sleep -Seconds 3

    # A client killed with reads pending.
    $client = Start-Process powershell -PassThru -WindowStyle Hidden -ArgumentList @(
        '-NoProfile', '-Command',
        "`$f = [IO.File]::Open('\\.\Global\$guid.tap', 'Open', 'ReadWrite', 'None'); `$b = New-Object byte[] 2048; `$f.Read(`$b, 0, 2048)")
    Start-Sleep -Seconds 2
    Stop-Process -Id $client.Id -Force
    Start-Sleep -Seconds 1

    # Sleep and resume with a client connected (pwrtest from the WDK tools).
    $pwrtest = Get-Command pwrtest.exe -ErrorAction SilentlyContinue
    if ($pwrtest -and ($i % 5) -eq 0) {
        $h2 = Open-Tap $guid
        & $pwrtest.Source /sleep /c:1 /s:3 /d:30 /p:30
        $null = Invoke-Ioctl $h2 3 $null 4   # the handle survives the sleep
        $h2.Dispose()
    }
}
Write-Host "done: $Iterations iterations without a Verifier bugcheck"
