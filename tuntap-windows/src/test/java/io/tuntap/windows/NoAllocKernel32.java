// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.windows.win32.Kernel32Io;
import io.tuntap.windows.win32.Overlapped;
import io.tuntap.windows.win32.TapIoctl;
import io.tuntap.windows.win32.WintunLibrary;
import java.lang.reflect.Field;
import java.util.UUID;
import sun.misc.Unsafe;

/**
 * kernel32 and Wintun stand-ins that allocate nothing per call, so that an allocation measurement of the
 * backend's packet path counts only the backend: every read completes at once with the same frame, every
 * write at once; events are flags in an array; memory is moved with {@code Unsafe}. Enough of the open
 * sequence is answered to open a tap-windows6 device and a Wintun session.
 */
final class NoAllocKernel32 implements Kernel32Io, WintunLibrary {
    private static final Unsafe U;

    static {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final boolean[] signalled = new boolean[64];
    private int nextEvent = 1;
    private final long frame;
    private final int frameLength;
    private final long sendSlot = U.allocateMemory(70000);
    long reads;
    long writes;

    NoAllocKernel32(byte[] frameBytes) {
        frameLength = frameBytes.length;
        frame = U.allocateMemory(frameLength);
        for (int i = 0; i < frameLength; i++) {
            U.putByte(frame + i, frameBytes[i]);
        }
    }

    void free() {
        U.freeMemory(frame);
        U.freeMemory(sendSlot);
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
