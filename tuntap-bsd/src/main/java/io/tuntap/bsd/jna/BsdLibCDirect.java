// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * {@link BsdLibC} through JNA direct mapping. None of these functions is variadic, so the fixed-arity binding
 * is right on every ABI, Apple arm64 included. Loading this class loads JNA's native library: reach it only
 * after the OS check.
 */
public final class BsdLibCDirect implements BsdLibC {
    /** The one instance. */
    public static final BsdLibCDirect INSTANCE = new BsdLibCDirect();

    static {
        Native.register(BsdLibCDirect.class, Platform.C_LIBRARY_NAME);
    }

    private BsdLibCDirect() {
    }

    @Override
    public native int connect(int fd, long addr, int len);

    @Override
    public native int getsockopt(int fd, int level, int name, long value, long len);

    @Override
    public native int getifaddrs(long result);

    @Override
    public native void freeifaddrs(long ifaddrs);
}
