// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.NativeCalls;
import io.tuntap.linux.jna.Sys;
import io.tuntap.linux.offload.GroCoalescer;
import io.tuntap.linux.offload.GsoSplitter;
import io.tuntap.linux.offload.VirtioNetHdr;
import io.tuntap.linux.uring.UringBatchIo;
import io.tuntap.linux.uring.UringSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One queue of a Linux TUN/TAP device: a non-blocking {@code /dev/net/tun} fd plus an eventfd that
 * {@link #close()} signals to wake a reader blocked in {@code poll}.
 *
 * <p>The packet path makes one {@code read}/{@code readv} or {@code write} per packet when packets are
 * waiting, and a {@code poll} only when none is: no allocation in steady state. Direct buffers are passed to the kernel in
 * place (their address is cached per buffer, so reusing a buffer costs nothing); heap buffers are copied
 * through a native buffer of this queue.
 *
 * <p>A TUN read returns only what it copied, so a short buffer would silently truncate the packet. Reads
 * into a direct buffer with less room than the longest possible packet therefore use {@code readv} with a
 * second, overflow segment behind the caller's buffer: the kernel fills both in one call, and a count
 * beyond the caller's room means the packet did not fit. A buffer with room for any packet gets a plain
 * {@code read}.
 *
 * <p>With kernel offload ({@link VnetMode#SPLIT}) every packet carries a {@code virtio_net_hdr}. A read
 * then takes one packet or TCP/UDP super-packet of up to 64 KB into a native buffer and hands it out as
 * MTU-sized packets, one per {@link #read}, without further system calls; {@link #writePackets}
 * coalesces segments of one flow into super-packets, so that one {@code write} carries many.
 *
 * <p>Where io_uring works ({@link UringSupport}), {@link #readPackets} and {@link #writePackets} of whole
 * packets in direct buffers go through {@link UringBatchIo}: one {@code io_uring_enter} per batch instead of
 * one system call per packet, with the same waits, errors and order as here.
 *
 * <p>Closing never pulls an fd from under a running call: each call registers itself in a counter, and
 * {@code close} first marks the queue closed, wakes waiters, waits for registered calls to leave, and only
 * then closes the fds (so that a recycled fd number can never receive another file's data).
 */
final class LinuxQueue implements PacketChannel {
    /** The largest packet a read can return: a 64 KiB IP packet plus an Ethernet header, rounded up. */
    static final int MAX_PACKET = 65536 + 64;
    /** The largest IP packet: the IPv4 total length and the IPv6 payload length are 16-bit fields. */
    static final int MAX_IP_PACKET = 65535;
    /** An IPv6 packet's fixed header, which its payload length does not count. */
    private static final int IPV6_HEADER = 40;
    /** What one read with a virtio-net header can return: the header and a 64 KiB super-packet. */
    private static final int MAX_VNET_READ = GsoSplitter.MAX_READ_SIZE;
    /** Packets handed to the coalescer at once; bounds its native output buffer. */
    private static final int COALESCE_BATCH = 64;
    /** How long one poll may block before re-checking the thread's interrupt status. */
    private static final int INTERRUPT_CHECK_MILLIS = 100;
    /** Timeouts from about 146 years up are treated as no timeout, so that deadlines cannot overflow. */
    private static final long FOREVER_NANOS = Long.MAX_VALUE / 2;

    private static final int IOVEC_SIZE = 16;
    // Layout of the control memory: [read pollfds 16][write pollfds 16][wake value 8][read iovecs 32]
    // [write iovecs 32][zero virtio-net header 16].
    private static final int WAKE_VALUE = 4 * Sys.POLLFD_SIZE;
    private static final int READ_IOVECS = WAKE_VALUE + 8;
    private static final int WRITE_IOVECS = READ_IOVECS + 2 * IOVEC_SIZE;
    private static final int ZERO_HEADER = WRITE_IOVECS + 2 * IOVEC_SIZE;
    private static final int CONTROL_SIZE = ZERO_HEADER + 16;

    private final LinuxLibC libc;
    private final int fd;
    private final int wakeFd;
    private final String deviceName;
    private final int index;
    private final VnetMode vnet;
    /** The longest packet a read can return here: an IP packet, plus a VLAN-tagged Ethernet header on TAP,
     * plus the virtio-net header if there is one. */
    private final int largestPacket;
    /** The longest buffer a write takes: an IPv6 packet on TUN (a frame on TAP), with its header in RAW mode. */
    private final int largestWrite;
    private final boolean tun;
    /** The length of the header in front of each packet the user writes: 10 in RAW mode, else 0. */
    private final int vnetHeader;

    private final Memory control = new Memory(CONTROL_SIZE);
    private final long base = Pointer.nativeValue(control);
    /** The iovecs, written through buffer views: no JNI call per packet. */
    private final ByteBuffer readIovecs;
    private final ByteBuffer writeIovecs;

    private volatile boolean closed;
    // Separate counters for the reader and the writer side: they run on different threads, so one shared
    // counter would bounce a cache line between them on every packet.
    private final AtomicInteger readers = new AtomicInteger();
    private final AtomicInteger writers = new AtomicInteger();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder superPacketsRead = new LongAdder();
    private final LongAdder segmentsCoalesced = new LongAdder();
    /** The io_uring batch path, or null where batches take the plain path. */
    private final UringBatchIo uring;

    // Reader-side state, touched only by the reading thread.
    private Memory readScratch;
    private ByteBuffer readScratchView;
    private final DirectAddresses readAddresses = new DirectAddresses();
    private final GsoSplitter splitter;
    private boolean splitting;
    /** A read error found while filling a batch, thrown by the next read so that the batch is not lost. */
    private PacketTooLargeException deferred;

    // Writer-side state, touched only by the writing thread.
    private Memory writeScratch;
    private ByteBuffer writeScratchView;
    private final DirectAddresses writeAddresses = new DirectAddresses();
    private final GroCoalescer coalescer;
    private final int[] unitOffsets;
    private final int[] unitLengths;
    private final ByteBuffer[] window;
    private volatile boolean coalescingRefused;
    private GsoSplitter refusedSplitter;
    private ByteBuffer refusedSegment;

    /**
     * Takes ownership of {@code fd} (already set up with TUNSETIFF) and creates the wake-up eventfd.
     * On failure, closes {@code fd}.
     *
     * @param udpSegmentation whether the kernel accepted UDP segmentation offload (coalesce UDP too)
     */
    static LinuxQueue open(LinuxLibC libc, int fd, String deviceName, int index, DeviceMode mode, VnetMode vnet,
            boolean udpSegmentation) throws TunTapException {
        int wakeFd = libc.eventfd(0, Sys.EFD_CLOEXEC | Sys.EFD_NONBLOCK);
        if (wakeFd < 0) {
            int errno = libc.errno();
            libc.close(fd);
            throw LinuxErrors.ofCommon("eventfd", errno, "cannot create the eventfd that lets close() wake a reader");
        }
        return new LinuxQueue(libc, fd, wakeFd, deviceName, index, mode, vnet, udpSegmentation);
    }

    /** A TUN queue without virtio-net header. */
    static LinuxQueue open(LinuxLibC libc, int fd, String deviceName, int index) throws TunTapException {
        return open(libc, fd, deviceName, index, DeviceMode.TUN, VnetMode.NONE, false);
    }

    private LinuxQueue(LinuxLibC libc, int fd, int wakeFd, String deviceName, int index, DeviceMode mode,
            VnetMode vnet, boolean udpSegmentation) {
        this.libc = libc;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.deviceName = deviceName;
        this.index = index;
        this.vnet = vnet;
        this.largestPacket = 65535 + (mode == DeviceMode.TAP ? 18 : 0) + (vnet == VnetMode.NONE ? 0 : VirtioNetHdr.SIZE);
        this.tun = mode == DeviceMode.TUN;
        this.vnetHeader = vnet == VnetMode.RAW ? VirtioNetHdr.SIZE : 0;
        this.largestWrite = (tun ? MAX_IP_PACKET + IPV6_HEADER : MAX_PACKET) + vnetHeader;
        control.clear();
        // struct pollfd { int fd; short events; short revents; }: [device, wake-up] for each side.
        control.setInt(0, fd);
        control.setShort(4, Sys.POLLIN);
        control.setInt(Sys.POLLFD_SIZE, wakeFd);
        control.setShort(Sys.POLLFD_SIZE + 4, Sys.POLLIN);
        control.setInt(2L * Sys.POLLFD_SIZE, fd);
        control.setShort(2L * Sys.POLLFD_SIZE + 4, Sys.POLLOUT);
        control.setInt(3L * Sys.POLLFD_SIZE, wakeFd);
        control.setShort(3L * Sys.POLLFD_SIZE + 4, Sys.POLLIN);
        control.setLong(WAKE_VALUE, 1L);
        readIovecs = control.getByteBuffer(READ_IOVECS, 2L * IOVEC_SIZE).order(ByteOrder.nativeOrder());
        writeIovecs = control.getByteBuffer(WRITE_IOVECS, 2L * IOVEC_SIZE).order(ByteOrder.nativeOrder());
        writeIovecs.putLong(0, base + ZERO_HEADER).putLong(8, VirtioNetHdr.SIZE);
        boolean split = vnet == VnetMode.SPLIT;
        splitter = split ? new GsoSplitter() : null;
        coalescer = split ? new GroCoalescer(COALESCE_BATCH, true, udpSegmentation) : null;
        unitOffsets = split ? new int[COALESCE_BATCH] : null;
        unitLengths = split ? new int[COALESCE_BATCH] : null;
        window = split ? new ByteBuffer[COALESCE_BATCH] : null;
        // Rings only over the real kernel: a test's fake libc keeps the plain path.
        uring = libc == NativeCalls.libc() && UringSupport.get().enabled()
                ? new UringBatchIo(NativeCalls.ioUring(), libc, fd, largestPacket, new BatchHost(),
                        deviceName + " queue " + index)
                : null;
    }

    /** Which path {@link #readPackets} and {@link #writePackets} take here, for diagnostics and tests. */
    String batchPath() {
        if (uring == null) {
            return "plain";
        }
        return vnet == VnetMode.SPLIT ? "io_uring for coalesced writes; plain reads (one read carries many packets)"
                : "io_uring";
    }

    /** The device fd, for the device's own ioctls. */
    int fd() {
        return fd;
    }

    /** Packets read whole from the kernel that were malformed and dropped (offload only). */
    long malformedDropped() {
        return malformed.sum();
    }

    /** Kernel super-packets (GSO) read and split (offload only). */
    long superPacketsRead() {
        return superPacketsRead.sum();
    }

    /** Packets that {@link #writePackets} merged into another one's super-packet (offload only). */
    long segmentsCoalesced() {
        return segmentsCoalesced.sum();
    }

    // ---- reading ----------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws TunTapException {
        return read(dst, -1L);
    }

    @Override
    public int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
        return read(dst, nanos >= FOREVER_NANOS ? -1 : nanos);
    }

    /** Reads one packet, waiting at most {@code timeoutNanos} (negative: for ever). Returns 0 on timeout. */
    private int read(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        enter(readers);
        try {
            checkInterrupted();
            throwDeferred();
            return readOne(dst, timeoutNanos);
        } finally {
            readers.decrementAndGet();
        }
    }

    /**
     * Waits for the first packet, then takes the ones already queued, without a poll or a clock read per
     * packet. A packet too large for its buffer after the first ends the batch; its exception comes with the
     * next call, so that the packets already read are not lost.
     */
    @Override
    public int readPackets(ByteBuffer[] dsts, int count) throws TunTapException {
        if (count < 1 || count > dsts.length) {
            throw new IllegalArgumentException("count " + count + " is not in 1.." + dsts.length);
        }
        enter(readers);
        try {
            checkInterrupted();
            throwDeferred();
            if (uring != null && vnet != VnetMode.SPLIT) {
                int n = uring.readPackets(dsts, count);
                if (n != UringBatchIo.NOT_HANDLED) {
                    return n;
                }
            }
            readOne(dsts[0], -1L);
            int n = 1;
            try {
                while (n < count && readOne(dsts[n], 0L) > 0) {
                    n++;
                }
            } catch (PacketTooLargeException e) {
                deferred = e;
            }
            return n;
        } finally {
            readers.decrementAndGet();
        }
    }

    private void throwDeferred() throws PacketTooLargeException {
        PacketTooLargeException e = deferred;
        if (e != null) {
            deferred = null;
            throw e;
        }
    }

    private int readOne(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        return vnet == VnetMode.SPLIT ? readSplit(dst, timeoutNanos) : readWhole(dst, timeoutNanos);
    }

    /** One packet as the kernel gives it (with its virtio-net header in RAW mode). */
    private int readWhole(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        int position = dst.position();
        int room = dst.limit() - position;
        long n;
        if (dst.isDirect() && room >= largestPacket) {
            // No packet can be longer than the buffer: a plain read, the cheapest call.
            n = receive(true, readAddress(dst) + position, room, timeoutNanos);
        } else if (dst.isDirect()) {
            readIovecs.putLong(0, readAddress(dst) + position).putLong(8, room);
            n = receive(false, base + READ_IOVECS, 2, timeoutNanos);
        } else {
            n = receive(true, readScratchAddress(), readScratch.size(), timeoutNanos);
        }
        if (n == 0) {
            return 0;
        }
        if (n > room) {
            throw tooLarge((int) n, room);
        }
        if (!dst.isDirect()) {
            dst.put(position, readScratchView, 0, (int) n);
        }
        dst.position(position + (int) n);
        return (int) n;
    }

    /** The next packet of the current super-packet, reading the next one from the kernel when it is used up. */
    private int readSplit(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        while (true) {
            if (splitting) {
                int needed = splitter.nextLength();
                if (needed != GsoSplitter.DONE) {
                    int room = dst.limit() - dst.position();
                    if (needed > room) {
                        splitter.skip();
                        throw tooLarge(needed, room);
                    }
                    return splitter.next(dst);
                }
                splitting = false;
            }
            long n = receive(true, readScratchAddress(), readScratch.size(), timeoutNanos);
            if (n == 0) {
                return 0;
            }
            int segments = splitter.start(readScratchView, 0, (int) n);
            if (segments < 0) {
                // The kernel's header and packet disagree: drop it, as the kernel drops a malformed packet.
                malformed.increment();
                continue;
            }
            if (segments > 1) {
                superPacketsRead.increment();
            }
            splitting = true;
        }
    }

    /**
     * Reads until a packet comes: waits in poll while there is none, retries on EINTR. With {@code plain},
     * {@code read(fd, address, length)}; otherwise {@code readv(fd, address, length)} of that many iovecs.
     *
     * @return the byte count, or 0 if {@code timeoutNanos} passed first
     */
    private long receive(boolean plain, long address, long length, long timeoutNanos) throws TunTapException {
        long deadline = 0; // read from the clock only once there is something to wait for
        while (true) {
            long n = plain ? libc.read(fd, address, length) : libc.readv(fd, address, (int) length);
            if (n > 0) {
                return n;
            }
            int errno = n < 0 ? libc.errno() : Errno.EAGAIN;
            if (errno == Errno.EAGAIN) {
                if (timeoutNanos == 0) {
                    return 0;
                }
                if (deadline == 0 && timeoutNanos > 0) {
                    deadline = System.nanoTime() + timeoutNanos;
                }
                if (!await(base, deadline, timeoutNanos < 0)) {
                    return 0;
                }
            } else if (errno != Errno.EINTR) {
                throw ioError("read", errno);
            }
        }
    }

    // ---- writing ----------------------------------------------------------------------------------

    @Override
    public int write(ByteBuffer src) throws TunTapException {
        enter(writers);
        try {
            int position = src.position();
            int length = src.limit() - position;
            checkWriteLength(src, length);
            // In SPLIT mode the user's packet gets an all-zero header in front: "a plain packet".
            int header = vnet == VnetMode.SPLIT ? VirtioNetHdr.SIZE : 0;
            if (src.isDirect() && header == 0) {
                send(true, writeAddress(src) + position, length);
            } else if (src.isDirect()) {
                writeIovecs.putLong(IOVEC_SIZE, writeAddress(src) + position).putLong(IOVEC_SIZE + 8, length);
                send(false, base + WRITE_IOVECS, 2);
            } else {
                long scratch = writeScratchAddress();
                writeScratchView.put(header, src, position, length);
                if (header > 0) {
                    VirtioNetHdr.putPlain(writeScratchView, 0);
                }
                send(true, scratch, header + length);
            }
            src.position(position + length);
            return length;
        } finally {
            writers.decrementAndGet();
        }
    }

    @Override
    public int writePackets(ByteBuffer[] srcs, int count) throws TunTapException {
        if (uring != null && vnet != VnetMode.SPLIT) {
            if (count < 0 || count > srcs.length) {
                throw new IllegalArgumentException("count " + count + " is not in 0.." + srcs.length);
            }
            enter(writers);
            try {
                int n = uring.writePackets(srcs, count);
                if (n != UringBatchIo.NOT_HANDLED) {
                    return n;
                }
            } finally {
                writers.decrementAndGet();
            }
        }
        if (vnet != VnetMode.SPLIT || coalescingRefused) {
            return PacketChannel.super.writePackets(srcs, count);
        }
        if (count < 0 || count > srcs.length) {
            throw new IllegalArgumentException("count " + count + " is not in 0.." + srcs.length);
        }
        enter(writers);
        try {
            for (int i = 0; i < count; i++) {
                checkWriteLength(srcs[i], srcs[i].remaining());
            }
            long scratch = writeScratchAddress();
            int done = 0;
            while (done < count) {
                int chunk = Math.min(COALESCE_BATCH, count - done);
                // The coalescer takes a batch from index 0: a window over the caller's array.
                System.arraycopy(srcs, done, window, 0, chunk);
                int units;
                // Large packets may not all fit the native buffer at once: take fewer (the coalescer checks).
                while ((units = coalescer.coalesce(window, chunk, writeScratchView.clear(), unitOffsets, unitLengths))
                        == GroCoalescer.NO_ROOM) {
                    chunk /= 2;
                }
                writeUnits(scratch, units);
                segmentsCoalesced.add(chunk - units);
                for (int i = 0; i < chunk; i++) {
                    window[i].position(window[i].limit());
                    window[i] = null;
                }
                done += chunk;
            }
            return count;
        } finally {
            writers.decrementAndGet();
        }
    }

    /**
     * Writes the coalesced units: a linked batch through io_uring where there is one; a unit the ring did not
     * get through goes again through {@link #writeUnit}, which waits, retries or splits it as it must (a
     * refused write took nothing, so writing it again is safe).
     */
    private void writeUnits(long scratch, int units) throws TunTapException {
        int u = 0;
        while (u < units) {
            if (uring != null && !coalescingRefused) {
                u += uring.writeUnits(scratch, unitOffsets, unitLengths, u, units);
                if (u == units) {
                    return;
                }
            }
            writeUnit(scratch, unitOffsets[u], unitLengths[u]);
            u++;
        }
    }

    /**
     * Writes one coalesced unit. Kernels have shipped offload regressions that refuse valid super-packets
     * with EINVAL (Linux 6.6.44 did): then coalescing stops for this queue and the unit goes out again as
     * the plain packets it was made of, so that nothing is lost.
     */
    private void writeUnit(long scratch, int offset, int length) throws TunTapException {
        try {
            send(true, scratch + offset, length);
        } catch (TunTapException e) {
            if (e.errorCode() != Errno.EINVAL || VirtioNetHdr.gsoType(writeScratchView, offset) == VirtioNetHdr.GSO_NONE) {
                throw e;
            }
            coalescingRefused = true;
            resendSplit(offset, length);
        }
    }

    private void resendSplit(int offset, int length) throws TunTapException {
        if (refusedSplitter == null) {
            refusedSplitter = new GsoSplitter();
            refusedSegment = ByteBuffer.allocateDirect(MAX_VNET_READ).order(ByteOrder.nativeOrder());
        }
        if (refusedSplitter.start(writeScratchView, offset, length) < 0) {
            throw new TunTapException("write", 0, "the coalescer produced a packet it cannot split "
                    + "again; this is a bug");
        }
        while (true) {
            refusedSegment.clear().position(VirtioNetHdr.SIZE);
            if (refusedSplitter.next(refusedSegment) < 0) {
                return;
            }
            VirtioNetHdr.putPlain(refusedSegment, 0);
            refusedSegment.flip();
            send(true, writeAddress(refusedSegment), refusedSegment.limit());
        }
    }

    /** True once the kernel refused a coalesced packet: from then on this queue writes packets one by one. */
    boolean coalescingRefused() {
        return coalescingRefused;
    }

    private void checkWriteLength(ByteBuffer src, int length) throws TunTapException {
        if (length == 0) {
            throw new TunTapException("write", 0, "write to " + deviceName + " of an empty packet: a packet "
                    + "needs at least an IP header (TUN) or an Ethernet header (TAP)");
        }
        int limit = largestWrite;
        if (tun && length > limit - IPV6_HEADER && (src.get(src.position() + vnetHeader) & 0xf0) != 0x60) {
            limit -= IPV6_HEADER; // only IPv6 counts its fixed header outside the 16-bit length field
        }
        if (length > limit) {
            throw new PacketTooLargeException("write", length, limit, "write to " + deviceName + " of " + length
                    + " bytes: " + (tun ? "a TUN device takes IPv4 packets of at most " + MAX_IP_PACKET + " bytes and "
                    + "IPv6 packets of at most " + (MAX_IP_PACKET + IPV6_HEADER) + " (the IPv4 total length and the IPv6 "
                    + "payload length are 16-bit fields)" + (vnetHeader > 0 ? ", each behind the " + vnetHeader
                    + "-byte virtio_net_hdr" : "") : "a write can have at most " + limit + " bytes")
                    + "; nothing was sent. Split the data into smaller packets");
        }
    }

    /**
     * Writes until the kernel takes the packet: waits in poll if it cannot yet, retries on EINTR. With
     * {@code plain}, {@code write(fd, address, length)}; otherwise {@code writev(fd, address, length)} of that
     * many iovecs.
     */
    private void send(boolean plain, long address, long length) throws TunTapException {
        while (true) {
            long n = plain ? libc.write(fd, address, length) : libc.writev(fd, address, (int) length);
            if (n >= 0) {
                return;
            }
            int errno = libc.errno();
            if (errno == Errno.EAGAIN) {
                await(base + 2L * Sys.POLLFD_SIZE, 0, true);
            } else if (errno != Errno.EINTR) {
                throw ioError("write", errno);
            }
        }
    }

    // ---- closing ----------------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            // The eventfd is never read, so it stays readable: every later poll returns at once too.
            libc.write(wakeFd, base + WAKE_VALUE, 8);
            while (readers.get() != 0 || writers.get() != 0) {
                LockSupport.parkNanos(20_000);
            }
            if (uring != null) {
                uring.close(); // the rings hold the device file too: release them first
            }
            libc.close(fd);
            libc.close(wakeFd);
            control.close();
            readAddresses.clear(); // let the caller's buffers go
            writeAddresses.clear();
            if (readScratch != null) {
                readScratch.close();
            }
            if (writeScratch != null) {
                writeScratch.close();
            }
        }
    }

    /** Registers a call; fails if the queue is closed. Pairs with a decrement in a finally block. */
    private void enter(AtomicInteger side) throws DeviceClosedException {
        side.incrementAndGet();
        // Volatile write (increment) then volatile read (closed), mirrored in close(): either close() sees
        // this call registered and waits for it, or this call sees the queue closed.
        if (closed) {
            side.decrementAndGet();
            throw closedException();
        }
    }

    /**
     * Polls [device, wake-up] until the device is ready, the deadline passes, or the queue closes.
     *
     * @return true if the device may be ready, false on timeout
     */
    private boolean await(long pollFds, long deadline, boolean forever) throws TunTapException {
        while (true) {
            int wait = INTERRUPT_CHECK_MILLIS;
            if (!forever) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait = (int) Math.min(wait, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
            }
            int ready = libc.poll(pollFds, 2, wait);
            if (closed) {
                throw closedException();
            }
            if (ready > 0) {
                return true;
            }
            if (ready < 0) {
                int errno = libc.errno();
                if (errno != Errno.EINTR) {
                    throw ioError("poll", errno);
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted();
            }
        }
    }

    /** A read on a thread that is already interrupted fails at once, before any system call. */
    private void checkInterrupted() throws DeviceInterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted();
        }
    }

    private DeviceInterruptedException interrupted() {
        return new DeviceInterruptedException("poll", 0, "the thread waiting on " + deviceName + " queue " + index
                + " was interrupted; the device is still open");
    }

    /** The queue's waits and errors, lent to the io_uring batch path. */
    private final class BatchHost implements UringBatchIo.Host {
        @Override
        public void awaitReadable() throws TunTapException {
            await(base, 0, true);
        }

        @Override
        public void awaitWritable() throws TunTapException {
            await(base + 2L * Sys.POLLFD_SIZE, 0, true);
        }

        @Override
        public void checkWriteLength(ByteBuffer src, int length) throws TunTapException {
            LinuxQueue.this.checkWriteLength(src, length);
        }

        @Override
        public TunTapException ioError(String call, int errno, String context) {
            return LinuxQueue.this.ioError(call, errno, context);
        }

        @Override
        public PacketTooLargeException tooLarge(int length, int room) {
            return LinuxQueue.this.tooLarge(length, room);
        }

        @Override
        public void defer(PacketTooLargeException e) {
            deferred = e;
        }
    }

    // ---- native buffers ---------------------------------------------------------------------------

    private long readAddress(ByteBuffer dst) {
        readScratchAddress(); // the overflow segment
        return readAddresses.of(dst);
    }

    private long writeAddress(ByteBuffer src) {
        return writeAddresses.of(src);
    }

    /** The reader's native buffer: the whole read for heap buffers and offload, the overflow otherwise. */
    private long readScratchAddress() {
        if (readScratch == null) {
            int size = Math.max(MAX_PACKET, MAX_VNET_READ);
            readScratch = new Memory(size);
            readScratchView = readScratch.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
            readIovecs.putLong(IOVEC_SIZE, Pointer.nativeValue(readScratch)).putLong(IOVEC_SIZE + 8, size);
        }
        return Pointer.nativeValue(readScratch);
    }

    private long writeScratchAddress() {
        if (writeScratch == null) {
            // Room for a coalesced batch of MTU-sized packets, or one packet of any size with its header.
            int size = vnet == VnetMode.SPLIT ? 512 * 1024 : MAX_PACKET + VirtioNetHdr.SIZE;
            writeScratch = new Memory(size);
            writeScratchView = writeScratch.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
        }
        return Pointer.nativeValue(writeScratch);
    }

    // ---- errors -----------------------------------------------------------------------------------

    private PacketTooLargeException tooLarge(int length, int room) {
        return new PacketTooLargeException("read", length, room, "read from " + deviceName + ": the packet has "
                + length + " bytes but the buffer had room for " + room + "; the packet was dropped. Give read() "
                + "a buffer with at least MTU bytes remaining (" + (MAX_PACKET - 64) + " is always enough)");
    }

    private DeviceClosedException closedException() {
        return new DeviceClosedException("read/write", 0, deviceName + " queue " + index + " is closed");
    }

    private TunTapException ioError(String call, int errno) {
        return ioError(call, errno, null);
    }

    /** The exception for a failed packet call; {@code context}, if not null, says where in a batch it failed. */
    private TunTapException ioError(String call, int errno, String context) {
        String explanation = switch (errno) {
            case Errno.EIO -> deviceName + "'s link is down: bring it up with setUp(true) (the kernel refuses "
                    + "packets on a down interface)";
            case Errno.EINVAL -> "the kernel rejected the packet: a TUN device takes whole IPv4 or IPv6 packets, "
                    + "a TAP device whole Ethernet frames, with no extra header"
                    + (vnet == VnetMode.RAW ? " other than a valid virtio_net_hdr" : "");
            case Errno.EBADFD -> "queue " + index + " of " + deviceName + " is detached from its interface: the "
                    + "interface was deleted (by another program, or 'ip link del') while this handle was open; "
                    + "close it and open the device again";
            case Errno.EFAULT -> "the buffer is not valid native memory; this is a bug";
            default -> "unexpected error on " + deviceName + " queue " + index;
        };
        String function = call + "(" + deviceName + ")";
        String full = context == null ? explanation : explanation + "; " + context;
        if (errno == Errno.EBADFD) {
            // As configuration calls report a vanished interface (mtu() and the like).
            return new DeviceNotFoundException(function, errno, function + " failed with " + Errno.name(errno)
                    + " (errno " + errno + "): " + full);
        }
        return LinuxErrors.of(function, errno, full);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return FOREVER_NANOS;
        }
    }
}
