// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import io.tuntap.posix.PosixCalls;

/**
 * Picks the bindings of the backend's calls as {@link PosixCalls} picks them for every Unix backend: JNA direct
 * mapping on Java 17 to 21 ({@link LinuxLibCDirect}, {@link IoUringSysDirect}), the foreign function API on
 * Java 22 and later ({@link ForeignLinuxLibC}, {@link ForeignIoUringSys}) unless
 * {@code -Dtuntap.ffm=false}.
 */
public final class NativeCalls {
    private NativeCalls() {
    }

    /** The libc calls of the backend. */
    public static LinuxLibC libc() {
        return PosixCalls.foreign() ? ForeignLinuxLibC.INSTANCE : LinuxLibCDirect.INSTANCE;
    }

    /** The io_uring system calls. */
    public static IoUringSys ioUring() {
        return PosixCalls.foreign() ? ForeignIoUringSys.INSTANCE : IoUringSysDirect.INSTANCE;
    }

    /** Which binding {@link #libc()} and {@link #ioUring()} use and why, for diagnostics. */
    public static String binding() {
        return PosixCalls.binding();
    }
}
