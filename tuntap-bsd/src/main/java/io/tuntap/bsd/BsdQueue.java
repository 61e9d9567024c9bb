// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.posix.PosixLibC;
import io.tuntap.posix.PosixQueue;
import io.tuntap.spi.ErrorMessages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The packet queue of a BSD or macOS device: a {@link PosixQueue} over a non-blocking tun, tap or utun fd, woken
 * through a pipe (there is no eventfd on OpenBSD and macOS, and a pipe works on all four). What is BSD's own is
 * the framing.
 *
 * <p>TUN packets carry the 4-byte address-family header ({@link AfHeader}) in the kernel and none for the
 * user. A read is one {@code readv} of [header][caller's buffer][overflow]: the header lands in this queue's
 * own 4 bytes, the packet in place in a direct buffer, and anything beyond the caller's room in the overflow
 * segment (the read scratch buffer), so that a count larger than the room reports a packet too large instead
 * of cutting it (the BSD tun drivers copy what fits and drop the rest silently). A write is one {@code writev}
 * of [header][caller's bytes]: both go to the kernel in one call, as utun requires, and nothing is copied.
 * TAP frames have no header. The iovecs and headers live in native memory made once, written through a buffer
 * view: nothing is allocated per packet.
 *
 * <p>NetBSD answers EHOSTDOWN until the interface has an address (tun) or is up (tap), while poll may call it
 * readable: such a read pauses on the wake-up pipe alone ({@link #NOT_READY}).
 */
final class BsdQueue extends PosixQueue implements DeviceQueue {
    /** The largest packet a read can return: a 64 KiB IP packet plus an Ethernet header, rounded up. */
    static final int MAX_PACKET = 65536 + 64;

    private static final int IOVEC_SIZE = 16;
    // Control memory: [read header 4][write header 4][read iovecs 48][write iovecs 32].
    private static final int READ_HEADER = 0;
    private static final int WRITE_HEADER = 4;
    private static final int READ_IOVECS = 8;
    private static final int WRITE_IOVECS = READ_IOVECS + 3 * IOVEC_SIZE;
    private static final int CONTROL_SIZE = WRITE_IOVECS + 2 * IOVEC_SIZE;

    private final BsdAbi abi;
    private final String deviceName;
    /** True for TUN: every packet carries the address-family header in the kernel. */
    private final boolean framed;
    private final int largestPacket;
    private final int maxWrite;

    private final Memory control = new Memory(CONTROL_SIZE);
    private final long base = Pointer.nativeValue(control);
    private final ByteBuffer view;

    /** Set by the device while it has brought the link down: some kernels drop writes silently then. */
    private volatile boolean linkDown;
    private final LongAdder dropped = new LongAdder();

    /**
     * Takes ownership of the non-blocking {@code fd} and creates the wake-up pipe. On failure closes {@code fd}.
     *
     * @param framed true for TUN (address-family header), false for TAP
     * @param maxWrite the longest packet the driver takes in one write (TUNMRU, TUNMTU ...)
     */
    static BsdQueue open(PosixLibC libc, BsdAbi abi, int fd, String deviceName, boolean framed, int maxWrite)
            throws TunTapException {
        WakePipe pipe = WakePipe.open(libc, fd);
        return new BsdQueue(libc, abi, fd, pipe.read(), pipe.write(), deviceName, framed, maxWrite);
    }

    private BsdQueue(PosixLibC libc, BsdAbi abi, int fd, int wakeRead, int wakeWrite, String deviceName,
            boolean framed, int maxWrite) {
        super(libc, fd, wakeRead, wakeWrite, 1, BsdErrno.TABLE, deviceName, MAX_PACKET, MAX_PACKET);
        this.abi = abi;
        this.deviceName = deviceName;
        this.framed = framed;
        this.maxWrite = maxWrite;
        this.largestPacket = framed ? 65535 : 65535 + 18;
        control.clear();
        view = control.getByteBuffer(0, CONTROL_SIZE).order(ByteOrder.nativeOrder());
        // The header iovecs never change.
        view.putLong(READ_IOVECS, base + READ_HEADER).putLong(READ_IOVECS + 8, AfHeader.SIZE);
        view.putLong(WRITE_IOVECS, base + WRITE_HEADER).putLong(WRITE_IOVECS + 8, AfHeader.SIZE);
    }

    /** The device fd, for the device's own ioctls. */
    int fd() {
        return fd;
    }

    /** Packets the kernel handed over that were not IP (unknown family) or shorter than the header; dropped. */
    long droppedPackets() {
        return dropped.sum();
    }

    @Override
    public void setLinkDown(boolean down) {
        linkDown = down;
    }

    // ---- framing ----------------------------------------------------------------------------------------

    @Override
    protected int receive(long address, int length, int room) throws TunTapException {
        // The overflow segment is needed only where a packet could be longer than the buffer.
        boolean overflow = length < largestPacket;
        if (overflow) {
            view.putLong(READ_IOVECS + 2 * IOVEC_SIZE, readScratchAddress())
                    .putLong(READ_IOVECS + 2 * IOVEC_SIZE + 8, MAX_PACKET);
        }
        long n;
        if (framed) {
            view.putLong(READ_IOVECS + IOVEC_SIZE, address).putLong(READ_IOVECS + IOVEC_SIZE + 8, length);
            n = libc.readv(fd, base + READ_IOVECS, overflow ? 3 : 2);
        } else if (overflow) {
            view.putLong(READ_IOVECS + IOVEC_SIZE, address).putLong(READ_IOVECS + IOVEC_SIZE + 8, length);
            n = libc.readv(fd, base + READ_IOVECS + IOVEC_SIZE, 2);
        } else {
            n = libc.read(fd, address, length);
        }
        if (n > 0) {
            int header = framed ? AfHeader.SIZE : 0;
            if (framed && (n <= header || !AfHeader.isIp(AfHeader.get(view, READ_HEADER), abi))) {
                dropped.increment(); // not an IP packet for the user: take the next one
                return RETRY;
            }
            return (int) n - header;
        }
        if (n == 0) {
            return AGAIN;
        }
        int errno = libc.errno();
        return errno == BsdErrno.EHOSTDOWN ? NOT_READY : failed("read", errno);
    }

    @Override
    protected void checkWrite(ByteBuffer src, int position, int length) throws TunTapException {
        if (length == 0) {
            throw new TunTapException("write", 0, ErrorMessages.failed("write to " + deviceName, "the packet is "
                    + "empty: a packet needs at least an IP header (TUN) or an Ethernet header (TAP)"));
        }
        if (length > maxWrite) {
            throw new PacketTooLargeException("write", length, maxWrite, ErrorMessages.failed("write to "
                    + deviceName, "the packet has " + length + " bytes and the " + abi + " driver takes at most "
                    + maxWrite + " bytes in one packet"));
        }
        if (linkDown) {
            throw BsdErrors.linkDown(deviceName, "packet");
        }
        if (framed && AfHeader.familyOf(src.get(position), abi) < 0) {
            throw new InvalidConfigurationException("write", 0, ErrorMessages.failed("write to " + deviceName,
                    "the packet starts with IP version " + ((src.get(position) & 0xf0) >>> 4) + "; a TUN device "
                            + "takes IPv4 or IPv6 packets only (the version nibble picks the address family header)"));
        }
    }

    @Override
    protected int send(ByteBuffer src, int position, long address, int length) throws TunTapException {
        long n;
        if (framed) {
            AfHeader.put(view, WRITE_HEADER, AfHeader.familyOf(src.get(position), abi));
            view.putLong(WRITE_IOVECS + IOVEC_SIZE, address).putLong(WRITE_IOVECS + IOVEC_SIZE + 8, length);
            n = libc.writev(fd, base + WRITE_IOVECS, 2);
        } else {
            n = libc.write(fd, address, length);
        }
        if (n > 0) {
            return 0;
        }
        if (n == 0) {
            // FreeBSD's tunwrite returns 0 for a packet it drops because the interface is down.
            throw BsdErrors.linkDown(deviceName, "packet");
        }
        int errno = libc.errno();
        return errno == BsdErrno.ENOBUFS ? AGAIN : failed("write", errno);
    }

    @Override
    protected void release() {
        libc.close(fd);
        control.close();
    }

    // ---- errors -----------------------------------------------------------------------------------------

    @Override
    protected PacketTooLargeException tooLarge(int length, int room) {
        return ErrorMessages.readTooLarge(deviceName, length, room, 0, MAX_PACKET - 64);
    }

    @Override
    protected TunTapException ioError(String call, int errno) {
        String explanation = switch (errno) {
            case BsdErrno.EIO -> "the driver refused the packet: too long for " + deviceName + "'s limit, or the "
                    + "interface is not configured";
            case BsdErrno.EAFNOSUPPORT -> "the driver does not take this address family: IPv6 on a FreeBSD or "
                    + "NetBSD tun needs TUNSIFHEAD, which this library sets on open";
            case BsdErrno.EINVAL -> "the kernel rejected the packet: a TUN device takes whole IPv4 or IPv6 packets, "
                    + "a TAP device whole Ethernet frames";
            case BsdErrno.EMSGSIZE -> "the packet is shorter than a header or longer than the driver takes";
            case BsdErrno.ENETDOWN -> deviceName + "'s link is down: bring it up with setUp(true)";
            case BsdErrno.EFAULT -> "the buffer is not valid native memory; this is a bug";
            default -> "unexpected error on " + deviceName;
        };
        return BsdErrors.of(call + "(" + deviceName + ")", errno, explanation);
    }
}
