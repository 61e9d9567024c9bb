// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

import static java.lang.invoke.MethodType.methodType;

import io.tuntap.posix.ForeignPosixLibC;
import io.tuntap.posix.PosixCalls;
import java.lang.invoke.MethodHandle;

/**
 * {@link SolarisLibC} through the foreign function API (Java 22 and later), bound with {@link PosixCalls#bind}
 * so that errno is captured where {@code PosixCalls.libc().errno()} reads it: getmsg's EAGAIN on the packet
 * path included. Loaded only when {@link PosixCalls#foreign()} is true.
 */
public final class ForeignSolarisLibC implements SolarisLibC {
    // int getmsg(int, struct strbuf *, struct strbuf *, int *): getmsg(2)
    private static final MethodHandle GETMSG = PosixCalls.bind("getmsg", methodType(int.class, int.class,
            long.class, long.class, long.class));
    // int putmsg(int, const struct strbuf *, const struct strbuf *, int): putmsg(2)
    private static final MethodHandle PUTMSG = PosixCalls.bind("putmsg", methodType(int.class, int.class,
            long.class, long.class, int.class));

    /** The one instance; loading the class binds both calls. */
    public static final ForeignSolarisLibC INSTANCE = new ForeignSolarisLibC();

    private ForeignSolarisLibC() {
    }

    @Override
    public int getmsg(int fd, long ctlptr, long dataptr, long flagsp) {
        try {
            return (int) GETMSG.invokeExact(fd, ctlptr, dataptr, flagsp);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }

    @Override
    public int putmsg(int fd, long ctlptr, long dataptr, int flags) {
        try {
            return (int) PUTMSG.invokeExact(fd, ctlptr, dataptr, flags);
        } catch (Throwable t) {
            throw ForeignPosixLibC.rethrow(t);
        }
    }
}
