/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe_client.c - a Windows program that opens \\.\TtWineProbe and sends it
 * the tap-windows6 GET_VERSION control code (CTL_CODE(FILE_DEVICE_UNKNOWN, 2,
 * METHOD_BUFFERED, FILE_ANY_ACCESS) = 0x00220008). Prints one line.
 */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HANDLE h = INVALID_HANDLE_VALUE;
    ULONG out = 0;
    DWORD returned = 0;
    /* The device appears when DriverEntry has run, which may be after "sc start" returned: wait up to 10 s. */
    for (int i = 0; i < 100 && h == INVALID_HANDLE_VALUE; i++) {
        h = CreateFileW(L"\\\\.\\TtWineProbe", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (h == INVALID_HANDLE_VALUE) {
            Sleep(100);
        }
    }
    if (h == INVALID_HANDLE_VALUE) {
        printf("probe: CreateFileW failed with %lu\n", GetLastError());
        return 1;
    }
    if (!DeviceIoControl(h, 0x00220008, NULL, 0, &out, sizeof out, &returned, NULL)) {
        printf("probe: DeviceIoControl failed with %lu\n", GetLastError());
        CloseHandle(h);
        return 1;
    }
    CloseHandle(h);
    printf("probe: DeviceIoControl returned %lu bytes: 0x%08lx\n", returned, out);
    return out == (0x54540000u ^ 0x00220008u) && returned == sizeof out ? 0 : 1;
}
