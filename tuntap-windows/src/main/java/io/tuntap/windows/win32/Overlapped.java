// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

/**
 * The layout of {@code OVERLAPPED} ({@code minwinbase.h}) on 64-bit Windows, for the packet path, which keeps
 * its {@code OVERLAPPED}s in long-lived native memory and never goes through a JNA {@code Structure}. Checked
 * against the mingw-w64 probe's output, as is jna-platform's {@code WinBase.OVERLAPPED}.
 */
public final class Overlapped {
    /** {@code sizeof(OVERLAPPED)}. */
    public static final int SIZE = 32;
    /** {@code Internal} ({@code ULONG_PTR}): the operation's NTSTATUS. */
    public static final int INTERNAL = 0;
    /** {@code InternalHigh} ({@code ULONG_PTR}): the bytes transferred. */
    public static final int INTERNAL_HIGH = 8;
    /** {@code Offset} ({@code DWORD}): 0 for devices. */
    public static final int OFFSET = 16;
    /** {@code OffsetHigh} ({@code DWORD}). */
    public static final int OFFSET_HIGH = 20;
    /** {@code hEvent} ({@code HANDLE}): set to signalled when the operation completes. */
    public static final int HEVENT = 24;

    private Overlapped() {
    }
}
