// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Passing descriptors over a Unix-domain stream socket ({@code SCM_RIGHTS}) on FreeBSD, OpenBSD, NetBSD and
 * macOS (LP64): the numbers of each {@code sys/socket.h} and {@code sys/un.h}, and the encoding of
 * {@code struct msghdr}, its {@code struct iovec} and the control message, and of {@code struct sockaddr_un}.
 *
 * <p>What the four share: {@code struct msghdr} of 48 bytes, {@code void *msg_name} at 0, {@code socklen_t
 * msg_namelen} at 8, {@code struct iovec *msg_iov} at 16, {@code int msg_iovlen} at 24 ({@code unsigned int} on
 * OpenBSD), {@code void *msg_control} at 32, {@code socklen_t msg_controllen} at 40, {@code int msg_flags} at 44;
 * {@code struct cmsghdr} of 12 bytes ({@code socklen_t cmsg_len}, {@code int cmsg_level}, {@code int cmsg_type});
 * {@code SOL_SOCKET} 0xffff, {@code SCM_RIGHTS} 1, {@code MSG_CTRUNC} 0x20, {@code AF_UNIX} 1,
 * {@code SOCK_STREAM} 1; {@code struct sockaddr_un} of {@code u_char sun_len}, {@code sa_family_t sun_family}
 * (one byte), {@code char sun_path[104]}. Sources: freebsd-src (mirror fel1x-developer/freebsd-src@2d614aa)
 * {@code sys/sys/socket.h}; openbsd/src {@code sys/sys/socket.h} 1.108; NetBSD/src {@code sys/sys/socket.h}
 * 1.131.4.1; xnu-11417.101.15 {@code bsd/sys/socket.h} lines 113, 380, 387, 603-611, 618, 637, 652-657,
 * 687-726 and {@code bsd/sys/un.h} lines 77-79.
 *
 * <p>Where they differ: the alignment of control data. The BSDs round with {@code _ALIGN}, to
 * {@code sizeof(long)} on LP64 (8), so the descriptors start at {@code CMSG_DATA} = 16; macOS rounds with
 * {@code __DARWIN_ALIGN32}, to 4 ({@code bsd/i386/_param.h} and {@code bsd/arm/_param.h}:
 * {@code __DARWIN_ALIGNBYTES32 (sizeof(__uint32_t) - 1)}), so they start at 12, and its kernel wants
 * {@code cmsg_len} equal to {@code msg_controllen} ({@code bsd/kern/uipc_usrreq.c} unp_internalize). And the
 * flags: {@code MSG_NOSIGNAL} 0x20000 FreeBSD, 0x400 OpenBSD and NetBSD, 0x80000 macOS;
 * {@code MSG_CMSG_CLOEXEC} 0x40000 FreeBSD, 0x800 OpenBSD and NetBSD, none on macOS.
 */
public final class UnixRights {
    /** {@code sizeof(struct msghdr)}. */
    public static final int MSGHDR_SIZE = 48;
    /** Offset of {@code msg_iov}. */
    public static final int MSG_IOV = 16;
    /** Offset of {@code msg_iovlen} (an int). */
    public static final int MSG_IOVLEN = 24;
    /** Offset of {@code msg_control}. */
    public static final int MSG_CONTROL = 32;
    /** Offset of {@code msg_controllen} (a socklen_t, u32). */
    public static final int MSG_CONTROLLEN = 40;
    /** Offset of {@code msg_flags}. */
    public static final int MSG_FLAGS = 44;
    /** {@code sizeof(struct iovec)}: base and length. */
    public static final int IOVEC_SIZE = 16;
    /** {@code sizeof(struct cmsghdr)}. */
    public static final int CMSGHDR_SIZE = 12;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 0xffff;
    /** {@code SCM_RIGHTS}. */
    public static final int SCM_RIGHTS = 1;
    /** {@code MSG_CTRUNC}: the control data did not fit. */
    public static final int MSG_CTRUNC = 0x20;
    /** {@code AF_UNIX}. */
    public static final int AF_UNIX = 1;
    /** {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = 1;
    /** {@code sizeof(struct sockaddr_un)}: 2 + 104. */
    public static final int SOCKADDR_UN_SIZE = 106;
    /** Offset of {@code sun_path}. */
    public static final int SUN_PATH = 2;
    /** The longest path, leaving room for its NUL in {@code sun_path[104]}. */
    public static final int MAX_PATH_BYTES = 103;

    /** FreeBSD. */
    public static final UnixRights FREEBSD = new UnixRights(8, 0x20000, 0x40000);
    /** OpenBSD. */
    public static final UnixRights OPENBSD = new UnixRights(8, 0x400, 0x800);
    /** NetBSD. */
    public static final UnixRights NETBSD = new UnixRights(8, 0x400, 0x800);
    /** macOS. */
    public static final UnixRights DARWIN = new UnixRights(4, 0x80000, 0);

    /** What {@code CMSG_ALIGN} rounds to. */
    public final int align;
    /** {@code MSG_NOSIGNAL}: EPIPE instead of SIGPIPE. */
    public final int msgNoSignal;
    /** {@code MSG_CMSG_CLOEXEC}, or 0 where there is none. */
    public final int msgCmsgCloexec;

    private UnixRights(int align, int msgNoSignal, int msgCmsgCloexec) {
        this.align = align;
        this.msgNoSignal = msgNoSignal;
        this.msgCmsgCloexec = msgCmsgCloexec;
    }

    /** The numbers of {@code os}. */
    public static UnixRights of(BsdAbi.Os os) {
        return switch (os) {
            case FREEBSD -> FREEBSD;
            case OPENBSD -> OPENBSD;
            case NETBSD -> NETBSD;
            case DARWIN -> DARWIN;
        };
    }

    private int alignUp(int n) {
        return (n + align - 1) & -align;
    }

    /** {@code CMSG_DATA} as an offset: where the descriptors start after the header. */
    public int dataOffset() {
        return alignUp(CMSGHDR_SIZE);
    }

    /** {@code CMSG_LEN(n)}: the {@code cmsg_len} of a message with {@code n} bytes of data. */
    public int cmsgLen(int dataBytes) {
        return dataOffset() + dataBytes;
    }

    /** {@code CMSG_SPACE(n)}: the room a message with {@code n} bytes of data takes. */
    public int cmsgSpace(int dataBytes) {
        return dataOffset() + alignUp(dataBytes);
    }

    /** The room {@link #putMessage} needs for {@code fds} descriptors (0: none) and one byte of data. */
    public int messageSize(int fds) {
        return MSGHDR_SIZE + IOVEC_SIZE + 8 + (fds == 0 ? 0 : cmsgSpace(4 * fds));
    }

    /**
     * Writes at {@code buffer} (whose native address is {@code base}) a {@code struct msghdr} for one byte of
     * data, {@code data}, and an {@code SCM_RIGHTS} message carrying {@code fds} (none if empty), with its
     * iovec, data byte and control buffer after it: msghdr at 0, iovec at 48, the byte at 64, the control
     * message at 72 (8-aligned). {@code msg_controllen} is {@code CMSG_SPACE}, which on macOS equals
     * {@code CMSG_LEN}. With {@code room} > 0 and no fds, it prepares a receive of up to {@code room}
     * descriptors instead.
     */
    public void putMessage(ByteBuffer buffer, long base, byte data, int[] fds, int room) {
        ByteBuffer b = buffer.order(ByteOrder.nativeOrder());
        int size = messageSize(Math.max(fds.length, room));
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) 0);
        }
        int iov = MSGHDR_SIZE;
        int byteAt = iov + IOVEC_SIZE;
        int control = byteAt + 8;
        b.putLong(MSG_IOV, base + iov);
        b.putInt(MSG_IOVLEN, 1);
        b.putLong(iov, base + byteAt);
        b.putLong(iov + 8, 1);
        b.put(byteAt, data);
        if (fds.length > 0) {
            b.putLong(MSG_CONTROL, base + control);
            b.putInt(MSG_CONTROLLEN, cmsgSpace(4 * fds.length));
            b.putInt(control, cmsgLen(4 * fds.length));
            b.putInt(control + 4, SOL_SOCKET);
            b.putInt(control + 8, SCM_RIGHTS);
            for (int i = 0; i < fds.length; i++) {
                b.putInt(control + dataOffset() + 4 * i, fds[i]);
            }
        } else if (room > 0) {
            b.putLong(MSG_CONTROL, base + control);
            b.putInt(MSG_CONTROLLEN, cmsgSpace(4 * room));
        }
    }

    /** The data byte of a message laid out by {@link #putMessage}. */
    public static byte dataByte(ByteBuffer buffer) {
        return buffer.get(MSGHDR_SIZE + IOVEC_SIZE);
    }

    /**
     * Every descriptor of every {@code SCM_RIGHTS} message in the control buffer of a received message laid
     * out by {@link #putMessage}, walking the messages as {@code CMSG_NXTHDR} does.
     */
    public int[] receivedFds(ByteBuffer buffer) {
        ByteBuffer b = buffer.order(ByteOrder.nativeOrder());
        int control = MSGHDR_SIZE + IOVEC_SIZE + 8;
        long length = b.getInt(MSG_CONTROLLEN) & 0xffffffffL;
        int[] fds = new int[0];
        int at = 0;
        while (at + CMSGHDR_SIZE <= length) {
            int cmsgLen = b.getInt(control + at);
            if (cmsgLen < CMSGHDR_SIZE || at + (long) cmsgLen > length) {
                break;
            }
            if (b.getInt(control + at + 4) == SOL_SOCKET && b.getInt(control + at + 8) == SCM_RIGHTS) {
                int n = (cmsgLen - dataOffset()) / 4;
                int[] more = java.util.Arrays.copyOf(fds, fds.length + n);
                for (int i = 0; i < n; i++) {
                    more[fds.length + i] = b.getInt(control + at + dataOffset() + 4 * i);
                }
                fds = more;
            }
            at += alignUp(cmsgLen);
        }
        return fds;
    }

    /**
     * Writes {@code struct sockaddr_un} for {@code path} at {@code buffer} and returns its length as bind and
     * connect take it ({@code SUN_LEN}: the fixed part and the path without its NUL, which the zeroed buffer
     * still holds). The caller has checked the length against {@link #MAX_PATH_BYTES}.
     */
    public static int putSockaddr(ByteBuffer buffer, String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < SOCKADDR_UN_SIZE; i++) {
            buffer.put(i, (byte) 0);
        }
        int length = SUN_PATH + p.length;
        buffer.put(0, (byte) length);
        buffer.put(1, (byte) AF_UNIX);
        buffer.put(SUN_PATH, p);
        return length;
    }
}
