// SPDX-License-Identifier: Apache-2.0
/**
 * Internal: mirrors Windows SDK headers (kernel32, SetupAPI, newdev, IP Helper), the tap-windows6 ABI and
 * Wintun's {@code wintun.h}; not API.
 *
 * <p>Each native library the backend calls is reached through a narrow interface ({@link Kernel32Io},
 * {@link NetAdapterRegistry}, {@link IpHelper}, {@link WintunLibrary}) so that the backend runs unchanged against
 * the real DLLs, against behavioural fakes in tests, and against the user-mode simulation of the project's
 * own driver. Types follow LLP64: {@code int} for DWORD, ULONG, UINT and BOOL; {@code long} for ULONG64,
 * NET_LUID and, on the packet path, for pointers and handles (the backend runs only where pointers are 64
 * bits: Windows x64 and ARM64); W (UTF-16) functions only.
 */
package io.tuntap.windows.win32;
