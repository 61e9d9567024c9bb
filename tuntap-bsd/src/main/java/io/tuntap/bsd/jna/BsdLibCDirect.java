// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import io.tuntap.posix.LibcSymbols;
import java.util.Map;

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

    @Override
    public native int sysctl(long name, int namelen, long oldp, long oldlenp, long newp, long newlen);

    @Override
    public native int bind(int fd, long addr, int len);

    @Override
    public native int listen(int fd, int backlog);

    @Override
    public native int accept(int fd, long addr, long addrlen);

    @Override
    public native long sendmsg(int fd, long msg, int flags);

    @Override
    public native long recvmsg(int fd, long msg, int flags);

    @Override
    public native int getpeereid(int fd, long uid, long gid);

    @Override
    public int fstat(int fd, long stat) {
        return Fstat.fstat(fd, stat);
    }

    /**
     * fstat(2), bound on first use (OpenBSD and NetBSD only call it), under its {@link LibcSymbols} name.
     */
    private static final class Fstat {
        static {
            String symbol = LibcSymbols.of("fstat");
            FunctionMapper mapper = (library, method) -> method.getName().equals("fstat") ? symbol : method.getName();
            Native.register(Fstat.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME,
                    Map.of(Library.OPTION_FUNCTION_MAPPER, mapper)));
        }

        private Fstat() {
        }

        static native int fstat(int fd, long stat);
    }
}
