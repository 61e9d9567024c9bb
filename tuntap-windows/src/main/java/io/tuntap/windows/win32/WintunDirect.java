// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Guid;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@link WintunLibrary} on a {@code wintun.dll} loaded from a path, by JNA direct mapping (no allocation on
 * the packet path; the last error saved by JNA after each call). The DLL is the user's, as downloaded from
 * wintun.net: the project does not ship it. One DLL per process (direct mapping binds a class once), loaded by
 * its absolute path.
 */
public final class WintunDirect implements WintunLibrary {
    private static WintunDirect instance;
    private static String boundPath;

    private WintunDirect() {
    }

    /**
     * Binds the DLL at the absolute {@code path}: Windows loads that file and no other ("If the string
     * specifies a fully qualified path, the function searches only that path for the module",
     * learn.microsoft.com, "LoadLibraryExW function"). Never a bare name, which Windows would look for in the
     * working directory and on {@code PATH} too.
     *
     * @throws IllegalArgumentException if {@code path} is not absolute
     * @throws UnsatisfiedLinkError if it cannot be loaded, for example because it is for another CPU
     * @throws IllegalStateException if another DLL is bound already
     */
    public static synchronized WintunDirect load(String path) {
        if (!java.nio.file.Path.of(path).isAbsolute()) {
            throw new IllegalArgumentException("wintun.dll is loaded by its absolute path only, not " + path);
        }
        if (instance != null) {
            if (!path.equals(boundPath)) {
                throw new IllegalStateException("wintun.dll is already bound from " + boundPath + "; one per process");
            }
            return instance;
        }
        NativeLibrary lib = NativeLibrary.getInstance(path, Map.of(Library.OPTION_FUNCTION_MAPPER, NativeNames.STRIP_ZERO));
        Native.register(WintunDirect.class, lib);
        instance = new WintunDirect();
        boundPath = path;
        return instance;
    }

    private static native long WintunCreateAdapter0(WString name, WString tunnelType, Pointer guid);

    private static native long WintunOpenAdapter0(WString name);

    private static native void WintunCloseAdapter0(long adapter);

    private static native void WintunGetAdapterLUID0(long adapter, Pointer luid);

    private static native int WintunGetRunningDriverVersion0();

    private static native long WintunStartSession0(long adapter, int capacity);

    private static native void WintunEndSession0(long session);

    private static native long WintunGetReadWaitEvent0(long session);

    private static native long WintunReceivePacket0(long session, long packetSize);

    private static native void WintunReleaseReceivePacket0(long session, long packet);

    private static native long WintunAllocateSendPacket0(long session, int size);

    private static native void WintunSendPacket0(long session, long packet);

    @Override
    public long WintunCreateAdapter(String name, String tunnelType, UUID requestedGuid) {
        if (requestedGuid == null) {
            return WintunCreateAdapter0(new WString(name), new WString(tunnelType), null);
        }
        Guid.GUID g = Guid.GUID.fromString("{" + requestedGuid.toString().toUpperCase(Locale.ROOT) + "}");
        g.write();
        return WintunCreateAdapter0(new WString(name), new WString(tunnelType), g.getPointer());
    }

    @Override
    public long WintunOpenAdapter(String name) {
        return WintunOpenAdapter0(new WString(name));
    }

    @Override
    public void WintunCloseAdapter(long adapter) {
        WintunCloseAdapter0(adapter);
    }

    @Override
    public long WintunGetAdapterLUID(long adapter) {
        try (Memory luid = new Memory(8)) {
            WintunGetAdapterLUID0(adapter, luid);
            return luid.getLong(0);
        }
    }

    @Override
    public int WintunGetRunningDriverVersion() {
        return WintunGetRunningDriverVersion0();
    }

    @Override
    public long WintunStartSession(long adapter, int capacity) {
        return WintunStartSession0(adapter, capacity);
    }

    @Override
    public void WintunEndSession(long session) {
        WintunEndSession0(session);
    }

    @Override
    public long WintunGetReadWaitEvent(long session) {
        return WintunGetReadWaitEvent0(session);
    }

    @Override
    public long WintunReceivePacket(long session, long packetSizeAddress) {
        return WintunReceivePacket0(session, packetSizeAddress);
    }

    @Override
    public void WintunReleaseReceivePacket(long session, long packet) {
        WintunReleaseReceivePacket0(session, packet);
    }

    @Override
    public long WintunAllocateSendPacket(long session, int packetSize) {
        return WintunAllocateSendPacket0(session, packetSize);
    }

    @Override
    public void WintunSendPacket(long session, long packet) {
        WintunSendPacket0(session, packet);
    }

    @Override
    public int GetLastError() {
        return Native.getLastError();
    }
}
