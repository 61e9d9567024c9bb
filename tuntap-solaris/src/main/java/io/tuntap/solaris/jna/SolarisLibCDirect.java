// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * {@link SolarisLibC} through JNA direct mapping, bound to the C library. Loading this class loads JNA's native
 * library and looks up {@code getmsg} and {@code putmsg}: reach it only on Solaris or illumos (elsewhere the
 * symbols are missing and class initialisation fails with {@link UnsatisfiedLinkError}).
 */
public final class SolarisLibCDirect implements SolarisLibC {
    /** The one instance. */
    public static final SolarisLibCDirect INSTANCE = new SolarisLibCDirect();

    static {
        Native.register(SolarisLibCDirect.class, Platform.C_LIBRARY_NAME);
    }

    private SolarisLibCDirect() {
    }

    @Override
    public native int getmsg(int fd, long ctlptr, long dataptr, long flagsp);

    @Override
    public native int putmsg(int fd, long ctlptr, long dataptr, int flags);
}
