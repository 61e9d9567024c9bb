// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.windows.win32.Kernel32Io;
import io.tuntap.windows.win32.Overlapped;
import io.tuntap.windows.win32.TapIoctl;
import io.tuntap.windows.win32.WintunLibrary;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.UUID;

/**
 * kernel32 and Wintun stand-ins that allocate nothing per call, so that an allocation measurement of the
 * backend's packet path counts only the backend: every read completes at once with the same frame, every
 * write at once; events are flags in an array; memory is moved with {@code Unsafe}. Enough of the open
 * sequence is answered to open a tap-windows6 device and a Wintun session.
 */
final class NoAllocKernel32 implements Kernel32Io, WintunLibrary {
    /** Memory access through one Pointer moved to each address: JNA's accessors allocate nothing. */
    private static final class Mem {
        private final Pointer at = new Pointer(0);
        private final Pointer to = new Pointer(0);
        private final byte[] bounce = new byte[70000];

        void putLong(long address, long value) {
            Pointer.nativeValue(at, address);
            at.setLong(0, value);
        }

        long getLong(long address) {
            Pointer.nativeValue(at, address);
            return at.getLong(0);
        }

        void putInt(long address, int value) {
            Pointer.nativeValue(at, address);
            at.setInt(0, value);
        }

        void putByte(long address, byte value) {
            Pointer.nativeValue(at, address);
            at.setByte(0, value);
        }

        long allocateMemory(long size) {
            Memory m = new Memory(size);
            kept.add(m);
            return Pointer.nativeValue(m);
        }

        void freeMemory(long address) {
        }

        void copyMemory(long source, long destination, long length) {
            Pointer.nativeValue(at, source);
            Pointer.nativeValue(to, destination);
            at.read(0, bounce, 0, (int) length);
            to.write(0, bounce, 0, (int) length);
        }

        final java.util.List<Memory> kept = new java.util.ArrayList<>();
    }

    private final Mem U = new Mem();

    private final boolean[] signalled = new boolean[64];
    private int nextEvent = 1;
    private final long frame;
    private final int frameLength;
    private final long sendSlot;
    long reads;
    long writes;

    NoAllocKernel32(byte[] frameBytes) {
        sendSlot = U.allocateMemory(70000);
        frameLength = frameBytes.length;
        frame = U.allocateMemory(frameLength);
        for (int i = 0; i < frameLength; i++) {
            U.putByte(frame + i, frameBytes[i]);
        }
    }

    void free() {
        U.kept.forEach(Memory::close);
    }

    private void complete(long overlapped, int bytes) {
        U.putLong(overlapped + Overlapped.INTERNAL, 0);
        U.putLong(overlapped + Overlapped.INTERNAL_HIGH, bytes);
        signalled[(int) U.getLong(overlapped + Overlapped.HEVENT)] = true;
    }

    @Override
    public long CreateFile(String path, int access, int share, int disposition, int flags) {
        return 0x100;
    }

    @Override
    public boolean CloseHandle(long handle) {
        return true;
    }

    @Override
    public long CreateEvent(boolean manualReset, boolean initialState) {
        int e = nextEvent++;
        signalled[e] = initialState;
        return e;
    }

    @Override
    public boolean SetEvent(long event) {
        signalled[(int) event] = true;
        return true;
    }

    @Override
    public boolean ResetEvent(long event) {
        signalled[(int) event] = false;
        return true;
    }

    @Override
    public boolean DeviceIoControl(long device, int code, long in, int inSize, long out, int outSize, long bytesReturned,
            long overlapped) {
        if (code == TapIoctl.GET_VERSION) {
            U.putInt(out, 9);
            U.putInt(out + 4, 27);
            U.putInt(out + 8, 0);
        } else if (code == TapIoctl.GET_MTU) {
            U.putInt(out, 1500);
        } else if (code == TapIoctl.GET_MAC) {
            for (int i = 0; i < 6; i++) {
                U.putByte(out + i, (byte) (i + 2));
            }
        }
        U.putInt(bytesReturned, outSize);
        complete(overlapped, outSize);
        return true;
    }

    @Override
    public boolean ReadFile(long file, long buffer, int size, long bytesRead, long overlapped) {
        U.copyMemory(frame, buffer, frameLength);
        reads++;
        complete(overlapped, frameLength);
        return true;
    }

    @Override
    public boolean WriteFile(long file, long buffer, int size, long bytesWritten, long overlapped) {
        writes++;
        complete(overlapped, size);
        return true;
    }

    @Override
    public boolean GetOverlappedResult(long file, long overlapped, long bytesTransferred, boolean wait) {
        U.putInt(bytesTransferred, (int) U.getLong(overlapped + Overlapped.INTERNAL_HIGH));
        return true;
    }

    @Override
    public boolean CancelIoEx(long file, long overlapped) {
        return false;
    }

    @Override
    public int WaitForSingleObject(long handle, int millis) {
        return signalled[(int) handle] ? WAIT_OBJECT_0 : WAIT_TIMEOUT;
    }

    @Override
    public int WaitForMultipleObjects(int count, long handles, boolean waitAll, int millis) {
        for (int i = 0; i < count; i++) {
            if (signalled[(int) U.getLong(handles + 8L * i)]) {
                return WAIT_OBJECT_0 + i;
            }
        }
        return WAIT_TIMEOUT;
    }

    @Override
    public void RtlMoveMemory(long destination, long source, long length) {
        U.copyMemory(source, destination, length);
    }

    @Override
    public int GetLastError() {
        return 0;
    }

    // ---- Wintun: one adapter, one session; a packet is always waiting and the send ring never fills ----

    @Override
    public long WintunCreateAdapter(String name, String tunnelType, UUID requestedGuid) {
        return 0x200;
    }

    @Override
    public long WintunOpenAdapter(String name) {
        return 0x200;
    }

    @Override
    public void WintunCloseAdapter(long adapter) {
    }

    @Override
    public long WintunGetAdapterLUID(long adapter) {
        return 0x55;
    }

    @Override
    public int WintunGetRunningDriverVersion() {
        return 0x000E0000;
    }

    @Override
    public long WintunStartSession(long adapter, int capacity) {
        return 0x300;
    }

    @Override
    public void WintunEndSession(long session) {
    }

    @Override
    public long WintunGetReadWaitEvent(long session) {
        return CreateEvent(true, false);
    }

    @Override
    public long WintunReceivePacket(long session, long packetSizeAddress) {
        U.putInt(packetSizeAddress, frameLength);
        reads++;
        return frame;
    }

    @Override
    public void WintunReleaseReceivePacket(long session, long packet) {
    }

    @Override
    public long WintunAllocateSendPacket(long session, int packetSize) {
        return sendSlot;
    }

    @Override
    public void WintunSendPacket(long session, long packet) {
        writes++;
    }
}
