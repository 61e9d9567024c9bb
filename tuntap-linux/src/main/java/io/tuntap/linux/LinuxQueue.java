// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.NativeCalls;
import io.tuntap.linux.jna.Sys;
import io.tuntap.linux.offload.GsoSplitter;
import io.tuntap.linux.offload.VirtioNetHdr;
import io.tuntap.linux.uring.BatchChoice;
import io.tuntap.linux.uring.BatchChoice.Mechanism;
import io.tuntap.linux.uring.UringBatchIo;
import io.tuntap.linux.uring.UringSupport;
import io.tuntap.posix.WakeablePoll;
import io.tuntap.spi.BatchChecks;
import io.tuntap.spi.BatchReads;
import io.tuntap.spi.CloseGate;
import io.tuntap.spi.Timeouts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;

/**
 * One queue of a Linux TUN/TAP device: a non-blocking {@code /dev/net/tun} fd, waited on with a
 * {@link WakeablePoll} whose wake-up handle is an eventfd that {@link #close()} signals.
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
 * <p>With kernel offload ({@link VnetMode#SPLIT}) every packet carries a {@code virtio_net_hdr}: reads split
 * super-packets ({@link OffloadReader}) and {@link #writePackets} coalesces ({@link OffloadWriter}). The native
 * memory lives in {@link NativeBuffers}.
 *
 * <p>Where io_uring works ({@link UringSupport}), {@link #readPackets} and {@link #writePackets} of whole
 * packets in direct buffers may go through {@link UringBatchIo}: one {@code io_uring_enter} per batch instead
 * of one system call per packet, with the same waits, errors and order as here. Which of the two a batch takes
 * is chosen per direction by {@link BatchChoice} from the batches' own timings (a batch that waited in poll is
 * no timing). Offload's coalesced writes always take the ring.
 *
 * <p>Closing never pulls an fd from under a running call: each call passes the queue's {@link CloseGate}, and
 * {@code close} first marks the queue closed, wakes waiters through the eventfd, waits for calls inside to
 * leave, and only then closes the fds (so that a recycled fd number can never receive another file's data).
 *
 * <p>Longer than 400 lines on purpose: the plain read and write paths, {@code poll} and close share the fd, the
 * control memory and the gate, and keeping them together keeps the hot path free of extra calls.
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

    private static final int IOVEC_SIZE = 16;
    // Layout of the control memory: [read iovecs 32][write iovecs 32][zero virtio-net header 16].
    private static final int READ_IOVECS = 0;
    private static final int WRITE_IOVECS = READ_IOVECS + 2 * IOVEC_SIZE;
    private static final int ZERO_HEADER = WRITE_IOVECS + 2 * IOVEC_SIZE;
    private static final int CONTROL_SIZE = ZERO_HEADER + 16;

    private final LinuxLibC libc;
    private final int fd;
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

    private final CloseGate gate;
    private final WakeablePoll poll;
    private final NativeBuffers buffers;
    /** Offload's read and write sides; null unless the mode is {@link VnetMode#SPLIT}. */
    private final OffloadReader offloadReader;
    private final OffloadWriter offloadWriter;
    /** readPackets over readOne, with the too-large packet it met kept for the next read. */
    private final BatchReads batches = new BatchReads(this::readOne);
    /** The io_uring batch path, or null where batches take the plain path. */
    private final UringBatchIo uring;
    /** Per direction, whether a batch of whole packets takes io_uring or one call per packet; null without a ring. */
    private BatchChoice readChoice;
    private BatchChoice writeChoice;
    /** Waits in poll so far: a batch during which this moved waited for the device, so its time is no timing. */
    private int readWaits;
    private int writeWaits;

    /**
     * Takes ownership of {@code fd} (already set up with TUNSETIFF) and creates the wake-up eventfd.
     * On failure, closes {@code fd}.
     *
     * @param udpSegmentation whether the kernel accepted UDP segmentation offload (coalesce UDP too)
     */
    static LinuxQueue open(LinuxLibC libc, int fd, String deviceName, int index, DeviceMode mode, VnetMode vnet,
            boolean udpSegmentation) throws TunTapException {
        return open(libc, fd, deviceName, index, mode, vnet, udpSegmentation, true);
    }

    /**
     * As above; with {@code ioUring} false, batches take the plain path even where io_uring works
     * ({@link LinuxOptions#IO_URING}).
     */
    static LinuxQueue open(LinuxLibC libc, int fd, String deviceName, int index, DeviceMode mode, VnetMode vnet,
            boolean udpSegmentation, boolean ioUring) throws TunTapException {
        int wakeFd = libc.eventfd(0, Sys.EFD_CLOEXEC | Sys.EFD_NONBLOCK);
        if (wakeFd < 0) {
            int errno = libc.errno();
            libc.close(fd);
            throw LinuxErrors.ofCommon("eventfd", errno, "cannot create the eventfd that lets close() wake a reader");
        }
        return new LinuxQueue(libc, fd, wakeFd, deviceName, index, mode, vnet, udpSegmentation, ioUring);
    }

    /** A TUN queue without virtio-net header. */
    static LinuxQueue open(LinuxLibC libc, int fd, String deviceName, int index) throws TunTapException {
        return open(libc, fd, deviceName, index, DeviceMode.TUN, VnetMode.NONE, false);
    }

    private LinuxQueue(LinuxLibC libc, int fd, int wakeFd, String deviceName, int index, DeviceMode mode,
            VnetMode vnet, boolean udpSegmentation, boolean ioUring) {
        this.libc = libc;
        this.fd = fd;
        this.deviceName = deviceName;
        this.index = index;
        this.vnet = vnet;
        this.largestPacket = 65535 + (mode == DeviceMode.TAP ? 18 : 0) + (vnet == VnetMode.NONE ? 0 : VirtioNetHdr.SIZE);
        this.tun = mode == DeviceMode.TUN;
        this.vnetHeader = vnet == VnetMode.RAW ? VirtioNetHdr.SIZE : 0;
        this.largestWrite = (tun ? MAX_IP_PACKET + IPV6_HEADER : MAX_PACKET) + vnetHeader;
        control.clear();
        readIovecs = control.getByteBuffer(READ_IOVECS, 2L * IOVEC_SIZE).order(ByteOrder.nativeOrder());
        writeIovecs = control.getByteBuffer(WRITE_IOVECS, 2L * IOVEC_SIZE).order(ByteOrder.nativeOrder());
        writeIovecs.putLong(0, base + ZERO_HEADER).putLong(8, VirtioNetHdr.SIZE);
        gate = new CloseGate(deviceName + " queue " + index);
        // The eventfd is never read, so once signalled it stays readable: every later poll returns at once too.
        poll = new WakeablePoll(libc, fd, wakeFd, wakeFd, 8, Errno.EINTR, gate, new Failures());
        boolean split = vnet == VnetMode.SPLIT;
        // Room for a coalesced batch of MTU-sized packets, or one packet of any size with its header.
        buffers = new NativeBuffers(Math.max(MAX_PACKET, MAX_VNET_READ),
                split ? OffloadWriter.SCRATCH_SIZE : MAX_PACKET + VirtioNetHdr.SIZE, readIovecs, IOVEC_SIZE);
        // Rings only over the real kernel: a test's fake libc keeps the plain path.
        uring = ioUring && libc == NativeCalls.libc() && UringSupport.get().enabled()
                ? new UringBatchIo(NativeCalls.ioUring(), libc, fd, largestPacket, new BatchHost(),
                        deviceName + " queue " + index)
                : null;
        fixBatchMechanism(null);
        offloadReader = split ? new OffloadReader(buffers, this::receiveIntoScratch, this::tooLarge) : null;
        offloadWriter = split ? new OffloadWriter(buffers, this::sendPlain, uring == null ? null : uring::writeUnits,
                udpSegmentation) : null;
    }

    /** Which path {@link #readPackets} and {@link #writePackets} take here, for diagnostics and tests. */
    String batchPath() {
        if (uring == null) {
            return "plain";
        }
        return vnet == VnetMode.SPLIT ? "io_uring for coalesced writes; plain reads (one read carries many packets)"
                : "io_uring";
    }

    /** Which mechanism each direction's batches take now and the timings that chose it, for diagnostics. */
    String batchMechanism() {
        if (uring == null || vnet == VnetMode.SPLIT) {
            return batchPath();
        }
        return readChoice + "; " + writeChoice;
    }

    /** Fixes the mechanism of both directions' batches (tests of one path), or with null measures them anew. */
    void fixBatchMechanism(Mechanism mechanism) {
        if (uring != null) {
            String name = deviceName + " queue " + index;
            readChoice = mechanism != null ? BatchChoice.fixed(mechanism)
                    : new BatchChoice(name + " reads", "one read per packet");
            writeChoice = mechanism != null ? BatchChoice.fixed(mechanism)
                    : new BatchChoice(name + " writes", "one write per packet");
        }
    }

    /** The device fd, for the device's own ioctls. */
    int fd() {
        return fd;
    }

    /** How this queue handles the virtio-net header. */
    VnetMode vnetMode() {
        return vnet;
    }

    /** Packets read whole from the kernel that were malformed and dropped (offload only). */
    long malformedDropped() {
        return offloadReader == null ? 0 : offloadReader.malformedDropped();
    }

    /** Kernel super-packets (GSO) read and split (offload only). */
    long superPacketsRead() {
        return offloadReader == null ? 0 : offloadReader.superPacketsRead();
    }

    /** Packets that {@link #writePackets} merged into another one's super-packet (offload only). */
    long segmentsCoalesced() {
        return offloadWriter == null ? 0 : offloadWriter.segmentsCoalesced();
    }

    // ---- reading ----------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws TunTapException {
        return read(dst, -1L);
    }

    @Override
    public int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        return read(dst, Timeouts.waitNanos(timeout));
    }

    /** Reads one packet, waiting at most {@code timeoutNanos} (negative: for ever). Returns 0 on timeout. */
    private int read(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        gate.enterRead();
        try {
            poll.checkInterrupted();
            batches.throwDeferred();
            return readOne(dst, timeoutNanos);
        } finally {
            gate.exitRead();
        }
    }

    /**
     * Waits for the first packet, then takes the ones already queued, without a poll or a clock read per
     * packet. A packet too large for its buffer after the first ends the batch; its exception comes with the
     * next call, so that the packets already read are not lost.
     */
    @Override
    public int readPackets(ByteBuffer[] dsts, int count) throws TunTapException {
        BatchChecks.checkReadBatch(dsts, count);
        gate.enterRead();
        try {
            poll.checkInterrupted();
            batches.throwDeferred();
            if (uring == null || vnet == VnetMode.SPLIT) {
                return batches.fill(dsts, count);
            }
            return chosenBatch(true, dsts, count);
        } finally {
            gate.exitRead();
        }
    }


    private int readOne(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        return offloadReader != null ? offloadReader.read(dst, timeoutNanos) : readWhole(dst, timeoutNanos);
    }

    /** One packet as the kernel gives it (with its virtio-net header in RAW mode). */
    private int readWhole(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        int position = dst.position();
        int room = dst.limit() - position;
        long n;
        if (dst.isDirect() && room >= largestPacket) {
            // No packet can be longer than the buffer: a plain read, the cheapest call.
            n = receive(true, buffers.readAddress(dst) + position, room, timeoutNanos);
        } else if (dst.isDirect()) {
            readIovecs.putLong(0, buffers.readAddress(dst) + position).putLong(8, room);
            n = receive(false, base + READ_IOVECS, 2, timeoutNanos);
        } else {
            n = receiveIntoScratch(timeoutNanos);
        }
        if (n == 0) {
            return 0;
        }
        if (n > room) {
            throw tooLarge((int) n, room);
        }
        if (!dst.isDirect()) {
            dst.put(position, buffers.readScratchView(), 0, (int) n);
        }
        dst.position(position + (int) n);
        return (int) n;
    }

    /** Reads one packet whole into the scratch buffer. */
    private long receiveIntoScratch(long timeoutNanos) throws TunTapException {
        return receive(true, buffers.readScratchAddress(), buffers.readScratchSize(), timeoutNanos);
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
                readWaits++;
                if (!poll.awaitReadable(deadline, timeoutNanos < 0)) {
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
        gate.enterWrite();
        try {
            return writeOne(src);
        } finally {
            gate.exitWrite();
        }
    }

    private int writeOne(ByteBuffer src) throws TunTapException {
        int position = src.position();
        int length = src.limit() - position;
        checkWriteLength(src, length);
        // In SPLIT mode the user's packet gets an all-zero header in front: "a plain packet".
        int header = vnet == VnetMode.SPLIT ? VirtioNetHdr.SIZE : 0;
        if (src.isDirect() && header == 0) {
            send(true, buffers.writeAddress(src) + position, length);
        } else if (src.isDirect()) {
            writeIovecs.putLong(IOVEC_SIZE, buffers.writeAddress(src) + position).putLong(IOVEC_SIZE + 8, length);
            send(false, base + WRITE_IOVECS, 2);
        } else {
            long scratch = buffers.writeScratchAddress();
            ByteBuffer view = buffers.writeScratchView();
            view.put(header, src, position, length);
            if (header > 0) {
                VirtioNetHdr.putPlain(view, 0);
            }
            send(true, scratch, header + length);
        }
        src.position(position + length);
        return length;
    }

    @Override
    public int writePackets(ByteBuffer[] srcs, int count) throws TunTapException {
        if (uring != null && vnet != VnetMode.SPLIT) {
            BatchChecks.checkWriteBatch(srcs, count);
            gate.enterWrite();
            try {
                return chosenBatch(false, srcs, count);
            } finally {
                gate.exitWrite();
            }
        }
        BatchChecks.checkWriteBatch(srcs, count);
        gate.enterWrite();
        try {
            if (offloadWriter == null || offloadWriter.refused()) {
                return writeEach(srcs, count);
            }
            for (int i = 0; i < count; i++) {
                checkWriteLength(srcs[i], srcs[i].remaining());
            }
            offloadWriter.writePackets(srcs, count);
            return count;
        } finally {
            gate.exitWrite();
        }
    }

    /**
     * A batch of whole packets on the mechanism its direction's {@link BatchChoice} picks, timed when the choice
     * asks (unless it waited in poll, or io_uring declined it for a heap buffer). Inside the gate.
     */
    private int chosenBatch(boolean reading, ByteBuffer[] buffers, int count) throws TunTapException {
        BatchChoice choice = reading ? readChoice : writeChoice;
        Mechanism m = choice.next();
        boolean timed = choice.sampling();
        long start = timed ? System.nanoTime() : 0;
        int waits = reading ? readWaits : writeWaits;
        int n = m != Mechanism.IO_URING ? UringBatchIo.NOT_HANDLED
                : reading ? uring.readPackets(buffers, count) : uring.writePackets(buffers, count);
        if (n == UringBatchIo.NOT_HANDLED) {
            timed &= m == Mechanism.PLAIN;
            n = reading ? batches.fill(buffers, count) : writeEach(buffers, count);
        }
        if (timed && waits == (reading ? readWaits : writeWaits)) {
            choice.record(m, System.nanoTime() - start, n);
        }
        return n;
    }

    /** Writes the packets one by one, inside the caller's pass of the gate. */
    private int writeEach(ByteBuffer[] srcs, int count) throws TunTapException {
        for (int i = 0; i < count; i++) {
            writeOne(srcs[i]);
        }
        return count;
    }

    /** True once the kernel refused a coalesced packet: from then on this queue writes packets one by one. */
    boolean coalescingRefused() {
        return offloadWriter != null && offloadWriter.refused();
    }

    private void checkWriteLength(ByteBuffer src, int length) throws TunTapException {
        if (length == 0) {
            throw LinuxErrors.emptyWrite(deviceName);
        }
        int limit = largestWrite;
        if (tun && length > limit - IPV6_HEADER && (src.get(src.position() + vnetHeader) & 0xf0) != 0x60) {
            limit -= IPV6_HEADER; // only IPv6 counts its fixed header outside the 16-bit length field
        }
        if (length > limit) {
            throw LinuxErrors.writeTooLarge(deviceName, tun, length, limit, MAX_IP_PACKET, vnetHeader);
        }
    }

    /**
     * Writes until the kernel takes the packet: waits in poll if it cannot yet, retries on EINTR. With
     * {@code plain}, {@code write(fd, address, length)}; otherwise {@code writev(fd, address, length)} of that
     * many iovecs.
     */
    private void sendPlain(long address, long length) throws TunTapException {
        send(true, address, length);
    }

    private void send(boolean plain, long address, long length) throws TunTapException {
        while (true) {
            long n = plain ? libc.write(fd, address, length) : libc.writev(fd, address, (int) length);
            if (n >= 0) {
                return;
            }
            int errno = libc.errno();
            if (errno == Errno.EAGAIN) {
                writeWaits++;
                poll.awaitWritable();
            } else if (errno != Errno.EINTR) {
                throw ioError("write", errno);
            }
        }
    }

    // ---- closing ----------------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return gate.isOpen();
    }

    @Override
    public void close() {
        gate.close(poll::wake, () -> {
            if (uring != null) {
                uring.close(); // the rings hold the device file too: release them first
            }
            libc.close(fd);
            poll.close();
            control.close();
            buffers.close();
        });
    }

    /** The waits' exceptions: a failed poll, an interrupted thread. */
    private final class Failures implements WakeablePoll.Failures {
        @Override
        public TunTapException ioError(String call, int errno) {
            return LinuxQueue.this.ioError(call, errno);
        }

        @Override
        public DeviceInterruptedException interrupted() {
            return LinuxErrors.interrupted(deviceName, index);
        }
    }

    /** The queue's waits and errors, lent to the io_uring batch path. */
    private final class BatchHost implements UringBatchIo.Host {
        @Override
        public void awaitReadable() throws TunTapException {
            readWaits++;
            poll.awaitReadable(0, true);
        }

        @Override
        public void awaitWritable() throws TunTapException {
            writeWaits++;
            poll.awaitWritable();
        }

        @Override
        public void checkWriteLength(ByteBuffer src, int length) throws TunTapException {
            LinuxQueue.this.checkWriteLength(src, length);
        }

        @Override
        public TunTapException ioError(String call, int errno, String context) {
            return LinuxErrors.packetIo(call, errno, deviceName, index, vnet == VnetMode.RAW, context);
        }

        @Override
        public PacketTooLargeException tooLarge(int length, int room) {
            return LinuxQueue.this.tooLarge(length, room);
        }

        @Override
        public void defer(PacketTooLargeException e) {
            batches.defer(e);
        }
    }

    // ---- errors: built by LinuxErrors ------------------------------------------------------------------

    private PacketTooLargeException tooLarge(int length, int room) {
        return LinuxErrors.readTooLarge(deviceName, length, room, MAX_PACKET - 64);
    }

    private TunTapException ioError(String call, int errno) {
        return LinuxErrors.packetIo(call, errno, deviceName, index, vnet == VnetMode.RAW);
    }

}
