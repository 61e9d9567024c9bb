// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.windows.win32.Kernel32Io;
import io.tuntap.windows.win32.Overlapped;
import io.tuntap.windows.win32.TapIoctl;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulation's I/O manager is as strict as Windows may be: a control request on an overlapped handle may
 * complete later (DeviceIoControl: FALSE with ERROR_IO_PENDING, the output and the OVERLAPPED filled in only
 * at completion; learn.microsoft.com, "DeviceIoControl function": "If the operation cannot be completed
 * immediately", with lpOverlapped, it "returns zero ... GetLastError returns ERROR_IO_PENDING"), and a read
 * the driver pended is reported pending even if it completed before the call returned.
 */
class SimIoManagerTest {
    @BeforeAll
    static void bind() {
        String why = TuntapSim.load();
        assumeTrue(why == null, () -> "the driver simulation is not available: " + why);
    }

    @Test
    void someControlRequestsCompleteLaterAndTheirOutputArrivesOnlyThen() throws Exception {
        TapAdapter adapter = new TapAdapter(UUID.fromString("5d7a3c1e-0b2f-4c6d-9e8a-1f2b3c4d5e6f"), "root\\tuntap6",
                "sim");
        try (TuntapSim.Machine machine = new TuntapSim.Machine(adapter.guidText(), 0, 0);
                Memory mem = new Memory(256)) {
            SimKernel32Io k32 = new SimKernel32Io(machine);
            long h = k32.CreateFile(TapIoctl.devicePath(adapter.guidText()),
                    Kernel32Io.GENERIC_READ | Kernel32Io.GENERIC_WRITE, 0, Kernel32Io.OPEN_EXISTING,
                    Kernel32Io.FILE_FLAG_OVERLAPPED);
            assertTrue(h != Kernel32Io.INVALID_HANDLE_VALUE);
            long event = k32.CreateEvent(true, false);
            long base = Pointer.nativeValue(mem);
            long ovl = base;
            long bytes = base + 64;
            long out = base + 128;
            int pended = 0;
            k32.holdCompletions();
            for (int i = 0; i < 4; i++) {
                mem.clear();
                mem.setLong(Overlapped.HEVENT, event);
                mem.setMemory(128, 12, (byte) 0x5A);
                boolean ok = k32.DeviceIoControl(h, TapIoctl.GET_VERSION, 0, 0, out, 12, bytes, ovl);
                if (!ok) {
                    assertEquals(WinErrors.ERROR_IO_PENDING, k32.GetLastError());
                    pended++;
                    assertEquals(TuntapSim.STATUS_PENDING, mem.getLong(Overlapped.INTERNAL), "Internal is STATUS_PENDING");
                    assertEquals((byte) 0x5A, mem.getByte(128), "no output before completion");
                    assertFalse(k32.GetOverlappedResult(h, ovl, bytes, false));
                    assertEquals(WinErrors.ERROR_IO_INCOMPLETE, k32.GetLastError());
                    assertEquals(Kernel32Io.WAIT_TIMEOUT, k32.WaitForSingleObject(event, 20));
                    k32.releaseCompletions();
                    assertEquals(Kernel32Io.WAIT_OBJECT_0, k32.WaitForSingleObject(event, 5000));
                    k32.holdCompletions();
                }
                assertTrue(k32.GetOverlappedResult(h, ovl, bytes, true));
                assertEquals(12, mem.getInt(64), "bytes returned");
                assertEquals(12, mem.getLong(Overlapped.INTERNAL_HIGH));
                assertTrue(mem.getInt(128) >= 9, "major version written: " + mem.getInt(128));
            }
            assertTrue(pended > 0 && pended < 4, "some, not all, control requests completed later: " + pended);
            assertTrue(k32.CloseHandle(event));
            assertTrue(k32.CloseHandle(h));
            assertEquals(List.of(), k32.violations());
        }
    }

    @Test
    void aReadThatTheDriverPendedIsReportedPending() throws Exception {
        TapAdapter adapter = new TapAdapter(UUID.fromString("5d7a3c1e-0b2f-4c6d-9e8a-1f2b3c4d5e6f"), "root\\tuntap6",
                "sim");
        try (TuntapSim.Machine machine = new TuntapSim.Machine(adapter.guidText(), 0, 0);
                Memory mem = new Memory(2048)) {
            SimKernel32Io k32 = new SimKernel32Io(machine);
            long h = k32.CreateFile(TapIoctl.devicePath(adapter.guidText()),
                    Kernel32Io.GENERIC_READ | Kernel32Io.GENERIC_WRITE, 0, Kernel32Io.OPEN_EXISTING,
                    Kernel32Io.FILE_FLAG_OVERLAPPED);
            long event = k32.CreateEvent(true, false);
            mem.clear();
            mem.setLong(Overlapped.HEVENT, event);
            long base = Pointer.nativeValue(mem);
            assertFalse(k32.ReadFile(h, base + 128, 1600, base + 64, base), "nothing to read yet");
            assertEquals(WinErrors.ERROR_IO_PENDING, k32.GetLastError());
            assertTrue(k32.CancelIoEx(h, base));
            assertFalse(k32.GetOverlappedResult(h, base, base + 64, true));
            assertEquals(WinErrors.ERROR_OPERATION_ABORTED, k32.GetLastError());
            assertTrue(k32.CloseHandle(event));
            assertTrue(k32.CloseHandle(h));
            assertEquals(List.of(), k32.violations());
        }
    }
}
