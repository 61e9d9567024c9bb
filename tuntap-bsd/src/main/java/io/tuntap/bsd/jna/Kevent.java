// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import java.nio.ByteBuffer;

/**
 * {@code struct kevent} and the kqueue constants of each system, on LP64 (amd64 and arm64 agree), from each
 * kernel's own {@code sys/event.h}:
 * <ul>
 * <li>FreeBSD 12 and later: {@code { __uintptr_t ident; short filter; unsigned short flags; unsigned int fflags;
 *     __int64_t data; void *udata; __uint64_t ext[4]; }}, 64 bytes (freebsd/freebsd-src sys/sys/event.h, as in
 *     the kenrap/freebsd-src mirror at f30bcb15; the 32-byte layout before 12 is {@code struct freebsd11_kevent}
 *     there, which the backend does not use);
 * <li>OpenBSD: the same fields without {@code ext}, 32 bytes (openbsd/src sys/sys/event.h 1.56, as in the
 *     semarie/openbsd-src mirror at 72019f22);
 * <li>NetBSD 9 and 10: {@code { uintptr_t ident; uint32_t filter; uint32_t flags; uint32_t fflags; int64_t data;
 *     void *udata; }}, 40 bytes, behind the symbol {@code __kevent50} (NetBSD/src 002a0307 sys/sys/event.h 1.45;
 *     {@code io.tuntap.posix.LibcSymbols}); NetBSD 11 keeps that symbol for this layout;
 * <li>macOS: {@code { uintptr_t ident; int16_t filter; uint16_t flags; uint32_t fflags; intptr_t data; void
 *     *udata; }} under {@code #pragma pack(4)}, 32 bytes (apple-oss-distributions/xnu xnu-11417.101.15 e3723e1f
 *     bsd/sys/event.h lines 92-103).
 * </ul>
 * So {@code ident} is at 0, {@code filter} at 8 everywhere; {@code flags} at 10 and {@code data} at 16,
 * {@code udata} at 24, except on NetBSD, where the 32-bit {@code filter} and {@code flags} put {@code flags} at
 * 12, {@code fflags} at 16, {@code data} at 24 and {@code udata} at 32.
 *
 * <p>The flags are the same numbers in all four headers ({@code EV_ADD} 0x0001 ... {@code EV_EOF} 0x8000);
 * {@code EVFILT_READ} and {@code EVFILT_WRITE} are -1 and -2 on FreeBSD, OpenBSD and macOS and 0 and 1 on NetBSD.
 * {@code struct timespec} is {@code { time_t tv_sec; long tv_nsec; }} (xnu bsd/sys/_types/_timespec.h), 16 bytes
 * on LP64; the poller passes none (it waits without a limit), the fake kernels read one.
 */
public final class Kevent {
    /** {@code EV_ADD}: add the event to the kqueue, or modify it if it is there (implies enable). */
    public static final int EV_ADD = 0x0001;
    /** {@code EV_DELETE}: remove the event. */
    public static final int EV_DELETE = 0x0002;
    /** {@code EV_ENABLE}: report the event again after {@link #EV_DISABLE} or {@link #EV_DISPATCH}. */
    public static final int EV_ENABLE = 0x0004;
    /** {@code EV_DISABLE}: keep the event but do not report it. */
    public static final int EV_DISABLE = 0x0008;
    /** {@code EV_ONESHOT}: report the event once, then delete it. */
    public static final int EV_ONESHOT = 0x0010;
    /** {@code EV_CLEAR}: reset the event's state after it is reported. */
    public static final int EV_CLEAR = 0x0020;
    /** {@code EV_DISPATCH}: disable the event after it is reported. */
    public static final int EV_DISPATCH = 0x0080;
    /** {@code EV_ERROR} (returned): a change failed, {@code data} holds its errno. */
    public static final int EV_ERROR = 0x4000;
    /** {@code EV_EOF} (returned): the file reached its end, or the device went away. */
    public static final int EV_EOF = 0x8000;
    /** {@code sizeof(struct timespec)} on LP64. */
    public static final int TIMESPEC_SIZE = 16;
    /** Offset of {@code ident}. */
    public static final int IDENT = 0;
    /** Offset of {@code filter}. */
    public static final int FILTER = 8;

    /** {@code sizeof(struct kevent)}. */
    public final int size;
    /** {@code EVFILT_READ}. */
    public final int evfiltRead;
    /** {@code EVFILT_WRITE}. */
    public final int evfiltWrite;
    /** True if {@code filter} and {@code flags} are 32-bit (NetBSD), else 16-bit. */
    public final boolean wide;
    /** Offset of {@code flags}. */
    public final int flags;
    /** Offset of {@code data}. */
    public final int data;
    /** Offset of {@code udata}. */
    public final int udata;

    private Kevent(int size, int evfiltRead, int evfiltWrite, boolean wide) {
        this.size = size;
        this.evfiltRead = evfiltRead;
        this.evfiltWrite = evfiltWrite;
        this.wide = wide;
        this.flags = wide ? 12 : 10;
        this.data = wide ? 24 : 16;
        this.udata = wide ? 32 : 24;
    }

    /**
     * The layout and filters of {@code os}.
     *
     * @param os the system
     * @return its {@code struct kevent}
     */
    public static Kevent of(BsdAbi.Os os) {
        return switch (os) {
            case FREEBSD -> new Kevent(64, -1, -2, false);
            case OPENBSD, DARWIN -> new Kevent(32, -1, -2, false);
            case NETBSD -> new Kevent(40, 0, 1, true);
        };
    }

    /**
     * Fills the event at {@code at} (zeroed first, {@code ext} included).
     *
     * @param b the native memory's view, in host order
     * @param at the event's offset in it
     * @param ident the fd
     * @param filter {@link #evfiltRead} or {@link #evfiltWrite}
     * @param action the {@code EV_*} flags
     * @param key the watch's key, as {@code udata}
     */
    public void put(ByteBuffer b, int at, int ident, int filter, int action, long key) {
        for (int i = 0; i < size; i += 8) {
            b.putLong(at + i, 0L);
        }
        b.putLong(at + IDENT, ident);
        if (wide) {
            b.putInt(at + FILTER, filter);
            b.putInt(at + flags, action);
        } else {
            b.putShort(at + FILTER, (short) filter);
            b.putShort(at + flags, (short) action);
        }
        b.putLong(at + udata, key);
    }

    /** The {@code filter} of the event at {@code at}. */
    public int filter(ByteBuffer b, int at) {
        return wide ? b.getInt(at + FILTER) : b.getShort(at + FILTER);
    }

    /** The {@code flags} of the event at {@code at}, as an unsigned number. */
    public int flags(ByteBuffer b, int at) {
        return wide ? b.getInt(at + flags) : b.getShort(at + flags) & 0xffff;
    }

    /** The {@code data} of the event at {@code at}. */
    public long data(ByteBuffer b, int at) {
        return b.getLong(at + data);
    }

    /** The {@code udata} of the event at {@code at}. */
    public long udata(ByteBuffer b, int at) {
        return b.getLong(at + udata);
    }
}
