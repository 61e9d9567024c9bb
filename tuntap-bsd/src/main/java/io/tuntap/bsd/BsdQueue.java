// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.LinkDownException;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.posix.PosixLibC;
import io.tuntap.spi.BatchReads;
import io.tuntap.spi.CloseGate;
import io.tuntap.spi.Timeouts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The packet queue of a BSD or macOS device: a non-blocking tun, tap or utun fd plus a pipe that
 * {@link #close()} writes to, to wake a reader blocked in {@code poll} (there is no eventfd on OpenBSD and
 * macOS, and a pipe works on all four).
 *
 * <p>TUN packets carry the 4-byte address-family header ({@link AfHeader}) in the kernel and none for the
 * user. A read is one {@code readv} of [header][caller's buffer][overflow]: the header lands in this queue's
 * own 4 bytes, the packet in place in a direct buffer, and anything beyond the caller's room in the overflow
 * segment, so that a count larger than the room reports a packet too large instead of cutting it (the BSD
 * tun drivers copy what fits and drop the rest silently). A write is one {@code writev} of
 * [header][caller's bytes]: both go to the kernel in one call, as utun requires, and nothing is copied.
 * Heap buffers take one copy through a native buffer of the queue. TAP frames have no header.
 *
 * <p>No allocation per packet: the iovecs and headers live in native memory made once, written through
 * buffer views; the addresses of the last 16 direct buffers of each side are kept ({@link DirectAddresses}).
 *
 * <p>Closing never pulls an fd from under a running call: calls pass a {@link CloseGate}, which marks the
 * queue closed, wakes waiters through the pipe, waits for calls inside to leave, and only then closes the fds.
 *
 * <p>Longer than 400 lines on purpose: the read and write paths share the iovec memory, the direct-buffer
 * address cache and the close gate, and the TUN header handling appears in both; splitting them would pass
 * that native memory between classes on every packet.
 */
final class BsdQueue implements PacketChannel {
    /** The largest packet a read can return: a 64 KiB IP packet plus an Ethernet header, rounded up. */
    static final int MAX_PACKET = 65536 + 64;
    /** How long one poll may block before re-checking the thread's interrupt status. */
    private static final int INTERRUPT_CHECK_MILLIS = 100;
    /** How long to wait before reading again after NetBSD's EHOSTDOWN ("no address yet", not a packet). */
    private static final int NOT_READY_RETRY_MILLIS = 10;

    private static final int IOVEC_SIZE = 16;
    // Control memory: [read pollfds 16][write pollfds 16][read header 4][write header 4][wake byte 8]
    // [read iovecs 48][write iovecs 32].
    private static final int WRITE_POLLFDS = 2 * BsdAbi.POLLFD_SIZE;
    private static final int READ_HEADER = 4 * BsdAbi.POLLFD_SIZE;
    private static final int WRITE_HEADER = READ_HEADER + 4;
    private static final int WAKE_BYTE = WRITE_HEADER + 4;
    private static final int READ_IOVECS = WAKE_BYTE + 8;
    private static final int WRITE_IOVECS = READ_IOVECS + 3 * IOVEC_SIZE;
    private static final int CONTROL_SIZE = WRITE_IOVECS + 2 * IOVEC_SIZE;

    private final PosixLibC libc;
    private final BsdAbi abi;
    private final int fd;
    private final int wakeRead;
    private final int wakeWrite;
    private final String deviceName;
    /** True for TUN: every packet carries the address-family header in the kernel. */
    private final boolean framed;
    private final int largestPacket;
    private final int maxWrite;

    private final Memory control = new Memory(CONTROL_SIZE);
    private final long base = Pointer.nativeValue(control);
    private final ByteBuffer view;

    private final CloseGate gate;
    private final Runnable wake = this::wake;
    private final Runnable release = this::release;
    /** Set by the device while it has brought the link down: some kernels drop writes silently then. */
    private volatile boolean linkDown;
    private final LongAdder dropped = new LongAdder();

    // Reader-side state, touched only by the reading thread.
    private Memory readScratch;
    private ByteBuffer readScratchView;
    private final DirectAddresses readAddresses = new DirectAddresses();
    /** readPackets over readOne, with the too-large packet it met kept for the next read. */
    private final BatchReads batches = new BatchReads(this::readOne);

    // Writer-side state, touched only by the writing thread.
    private Memory writeScratch;
    private ByteBuffer writeScratchView;
    private final DirectAddresses writeAddresses = new DirectAddresses();

    /**
     * Takes ownership of the non-blocking {@code fd} and creates the wake-up pipe. On failure closes {@code fd}.
     *
     * @param framed true for TUN (address-family header), false for TAP
     * @param maxWrite the longest packet the driver takes in one write (TUNMRU, TUNMTU ...)
     */
    static BsdQueue open(PosixLibC libc, BsdAbi abi, int fd, String deviceName, boolean framed, int maxWrite)
            throws TunTapException {
        try (Memory fds = new Memory(8)) {
            if (libc.pipe(Pointer.nativeValue(fds)) < 0) {
                int errno = libc.errno();
                libc.close(fd);
                throw BsdErrors.ofCommon("pipe", errno, "cannot create the pipe that lets close() wake a reader");
            }
            int r = fds.getInt(0);
            int w = fds.getInt(4);
            for (int end : new int[] {r, w}) {
                int flags = libc.fcntl(end, BsdAbi.F_GETFL, 0);
                if (flags < 0 || libc.fcntl(end, BsdAbi.F_SETFL, flags | BsdAbi.O_NONBLOCK) < 0
                        || libc.fcntl(end, BsdAbi.F_SETFD, BsdAbi.FD_CLOEXEC) < 0) {
                    int errno = libc.errno();
                    libc.close(r);
                    libc.close(w);
                    libc.close(fd);
                    throw BsdErrors.ofCommon("fcntl(pipe)", errno, "cannot make the wake-up pipe non-blocking");
                }
            }
            return new BsdQueue(libc, abi, fd, r, w, deviceName, framed, maxWrite);
        }
    }

    private BsdQueue(PosixLibC libc, BsdAbi abi, int fd, int wakeRead, int wakeWrite, String deviceName,
            boolean framed, int maxWrite) {
        this.libc = libc;
        this.abi = abi;
        this.fd = fd;
        this.wakeRead = wakeRead;
        this.wakeWrite = wakeWrite;
        this.deviceName = deviceName;
        this.framed = framed;
        this.maxWrite = maxWrite;
        this.largestPacket = framed ? 65535 : 65535 + 18;
        this.gate = new CloseGate(deviceName);
        control.clear();
        view = control.getByteBuffer(0, CONTROL_SIZE).order(ByteOrder.nativeOrder());
        // struct pollfd { int fd; short events; short revents; }: [device, wake-up] for each side.
        view.putInt(0, fd).putShort(4, BsdAbi.POLLIN);
        view.putInt(BsdAbi.POLLFD_SIZE, wakeRead).putShort(BsdAbi.POLLFD_SIZE + 4, BsdAbi.POLLIN);
        view.putInt(WRITE_POLLFDS, fd).putShort(WRITE_POLLFDS + 4, BsdAbi.POLLOUT);
        view.putInt(WRITE_POLLFDS + BsdAbi.POLLFD_SIZE, wakeRead).putShort(WRITE_POLLFDS + BsdAbi.POLLFD_SIZE + 4,
                BsdAbi.POLLIN);
        view.put(WAKE_BYTE, (byte) 1);
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

    /** Makes writes fail (or work again): the device says its link is down (or up). */
    void setLinkDown(boolean down) {
        linkDown = down;
    }

    // ---- reading ----------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws TunTapException {
        return batches.read(gate, dst, -1L);
    }

    @Override
    public int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        return batches.read(gate, dst, Timeouts.waitNanos(timeout));
    }

    /**
     * Waits for the first packet, then takes the ones already queued. A packet too large for its buffer after
     * the first ends the batch; its exception comes with the next call, so that the packets read are not lost.
     */
    @Override
    public int readPackets(ByteBuffer[] dsts, int count) throws TunTapException {
        return batches.readPackets(gate, dsts, count);
    }

    private int readOne(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        int position = dst.position();
        int room = dst.limit() - position;
        boolean direct = dst.isDirect();
        long start = direct ? readAddress(dst) + position : readScratchAddress();
        long length = direct ? room : readScratch.size();
        // The overflow segment is needed only where a packet could be longer than the buffer.
        boolean overflow = direct && room < largestPacket;
        if (overflow) {
            readScratchAddress();
        }
        int header = framed ? AfHeader.SIZE : 0;
        long deadline = 0;
        while (true) {
            long n;
            if (framed) {
                view.putLong(READ_IOVECS + IOVEC_SIZE, start).putLong(READ_IOVECS + IOVEC_SIZE + 8, length);
                n = libc.readv(fd, base + READ_IOVECS, overflow ? 3 : 2);
            } else if (overflow) {
                view.putLong(READ_IOVECS + IOVEC_SIZE, start).putLong(READ_IOVECS + IOVEC_SIZE + 8, length);
                n = libc.readv(fd, base + READ_IOVECS + IOVEC_SIZE, 2);
            } else {
                n = libc.read(fd, start, length);
            }
            if (n > 0) {
                if (framed && (n <= header || !AfHeader.isIp(AfHeader.get(view, READ_HEADER), abi))) {
                    dropped.increment(); // not an IP packet for the user: take the next one
                    continue;
                }
                int packet = (int) n - header;
                if (packet > room) {
                    throw tooLarge(packet, room);
                }
                if (!direct) {
                    dst.put(position, readScratchView, 0, packet);
                }
                dst.position(position + packet);
                return packet;
            }
            int errno = n < 0 ? libc.errno() : BsdErrno.EAGAIN;
            if (errno == BsdErrno.EINTR) {
                continue;
            }
            if (errno != BsdErrno.EAGAIN && errno != BsdErrno.EHOSTDOWN) {
                throw ioError("read", errno);
            }
            if (timeoutNanos == 0) {
                return 0;
            }
            if (deadline == 0 && timeoutNanos > 0) {
                deadline = System.nanoTime() + timeoutNanos;
            }
            // NetBSD answers EHOSTDOWN until the interface has an address (tun) or is up (tap); poll may
            // report it readable meanwhile, so wait a short while on the wake-up pipe alone.
            boolean ready = errno == BsdErrno.EHOSTDOWN
                    ? awaitWake(deadline, timeoutNanos < 0)
                    : await(base, deadline, timeoutNanos < 0);
            if (!ready) {
                return 0;
            }
        }
    }

    // ---- writing ----------------------------------------------------------------------------------

    @Override
    public int write(ByteBuffer src) throws TunTapException {
        gate.enterWrite();
        try {
            int position = src.position();
            int length = src.limit() - position;
            checkWriteLength(length);
            if (linkDown) {
                throw linkDownException();
            }
            long address;
            if (src.isDirect()) {
                address = writeAddress(src) + position;
            } else {
                address = writeScratchAddress();
                writeScratchView.put(0, src, position, length);
            }
            if (framed) {
                int family = AfHeader.familyOf(src.get(position), abi);
                if (family < 0) {
                    throw new InvalidConfigurationException("write", 0, "write to " + deviceName + ": the packet "
                            + "starts with IP version " + ((src.get(position) & 0xf0) >>> 4) + "; a TUN device takes "
                            + "IPv4 or IPv6 packets only (the version nibble picks the address family header)");
                }
                AfHeader.put(view, WRITE_HEADER, family);
                view.putLong(WRITE_IOVECS + IOVEC_SIZE, address).putLong(WRITE_IOVECS + IOVEC_SIZE + 8, length);
            }
            send(address, length);
            src.position(position + length);
            return length;
        } finally {
            gate.exitWrite();
        }
    }

    private void checkWriteLength(int length) throws TunTapException {
        if (length == 0) {
            throw new TunTapException("write", 0, "write to " + deviceName + " of an empty packet: a packet "
                    + "needs at least an IP header (TUN) or an Ethernet header (TAP)");
        }
        if (length > maxWrite) {
            throw new PacketTooLargeException("write", length, maxWrite, "write to " + deviceName + " of " + length
                    + " bytes: the " + abi + " driver takes at most " + maxWrite + " bytes in one packet");
        }
    }

    /** Writes until the kernel takes the packet; waits in poll if it cannot yet, retries on EINTR. */
    private void send(long address, int length) throws TunTapException {
        while (true) {
            long n = framed ? libc.writev(fd, base + WRITE_IOVECS, 2) : libc.write(fd, address, length);
            if (n > 0) {
                return;
            }
            if (n == 0) {
                // FreeBSD's tunwrite returns 0 for a packet it drops because the interface is down.
                throw linkDownException();
            }
            int errno = libc.errno();
            if (errno == BsdErrno.EAGAIN || errno == BsdErrno.ENOBUFS) {
                await(base + WRITE_POLLFDS, 0, true);
            } else if (errno != BsdErrno.EINTR) {
                throw ioError("write", errno);
            }
        }
    }

    private TunTapException linkDownException() {
        return new LinkDownException("write", BsdErrno.ENETDOWN, "write to " + deviceName + " failed: the link is "
                + "down, and the packet would be dropped; bring it up with setUp(true)");
    }

    // ---- closing ----------------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return gate.isOpen();
    }

    @Override
    public void close() {
        // The pipe is never drained, so every later poll returns at once too.
        gate.close(wake, release);
    }

    /** Wakes pollers: one byte into the pipe. Made at construction, so that the first close is as quick. */
    private void wake() {
        libc.write(wakeWrite, base + WAKE_BYTE, 1);
    }

    /** Frees the fds and native memory once no call is inside. */
    private void release() {
        libc.close(fd);
        libc.close(wakeRead);
        libc.close(wakeWrite);
        control.close();
        if (readScratch != null) {
            readScratch.close();
        }
        if (writeScratch != null) {
            writeScratch.close();
        }
        readAddresses.clear();
        writeAddresses.clear();
    }

    /** Polls [device, wake-up] until the device is ready, the deadline passes, or the queue closes. */
    private boolean await(long pollFds, long deadline, boolean forever) throws TunTapException {
        while (true) {
            int wait = Timeouts.pollSlice(deadline, forever, INTERRUPT_CHECK_MILLIS);
            if (wait < 0) {
                return false;
            }
            int ready = libc.poll(pollFds, 2, wait);
            if (!gate.isOpen()) {
                throw gate.closedException("read/write");
            }
            if (ready > 0) {
                return true;
            }
            if (ready < 0 && libc.errno() != BsdErrno.EINTR) {
                throw ioError("poll", libc.errno());
            }
            checkInterrupt();
        }
    }

    /** Waits on the wake-up pipe alone for a short while: false if the deadline passed. */
    private boolean awaitWake(long deadline, boolean forever) throws TunTapException {
        int wait = Timeouts.pollSlice(deadline, forever, NOT_READY_RETRY_MILLIS);
        if (wait < 0) {
            return false;
        }
        libc.poll(base + BsdAbi.POLLFD_SIZE, 1, wait);
        if (!gate.isOpen()) {
            throw gate.closedException("read");
        }
        checkInterrupt();
        return true;
    }

    private void checkInterrupt() throws DeviceInterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new DeviceInterruptedException("poll", 0, "the thread waiting on " + deviceName
                    + " was interrupted; the device is still open");
        }
    }

    // ---- native buffers ---------------------------------------------------------------------------

    private long readAddress(ByteBuffer dst) {
        return readAddresses.of(dst);
    }

    private long writeAddress(ByteBuffer src) {
        return writeAddresses.of(src);
    }

    /** The reader's native buffer: the whole read for heap buffers, the overflow segment otherwise. */
    private long readScratchAddress() {
        if (readScratch == null) {
            readScratch = new Memory(MAX_PACKET);
            readScratchView = readScratch.getByteBuffer(0, MAX_PACKET).order(ByteOrder.nativeOrder());
            view.putLong(READ_IOVECS + 2 * IOVEC_SIZE, Pointer.nativeValue(readScratch))
                    .putLong(READ_IOVECS + 2 * IOVEC_SIZE + 8, MAX_PACKET);
        }
        return Pointer.nativeValue(readScratch);
    }

    private long writeScratchAddress() {
        if (writeScratch == null) {
            writeScratch = new Memory(MAX_PACKET);
            writeScratchView = writeScratch.getByteBuffer(0, MAX_PACKET).order(ByteOrder.nativeOrder());
        }
        return Pointer.nativeValue(writeScratch);
    }

    // ---- errors -----------------------------------------------------------------------------------

    private PacketTooLargeException tooLarge(int length, int room) {
        return new PacketTooLargeException("read", length, room, "read from " + deviceName + ": the packet has "
                + length + " bytes but the buffer had room for " + room + "; the packet was dropped. Give read() "
                + "a buffer with at least MTU bytes remaining (" + (MAX_PACKET - 64) + " is always enough)");
    }

    private TunTapException ioError(String call, int errno) {
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
