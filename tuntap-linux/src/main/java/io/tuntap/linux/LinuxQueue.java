// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.NativeCalls;
import io.tuntap.linux.jna.Sys;
import io.tuntap.linux.offload.GsoSplitter;
import io.tuntap.linux.offload.VirtioNetHdr;
import io.tuntap.linux.uring.BatchChoice.Mechanism;
import io.tuntap.linux.uring.UringSupport;
import io.tuntap.posix.PosixQueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One queue of a Linux TUN/TAP device: a {@link PosixQueue} over a non-blocking {@code /dev/net/tun} fd, woken
 * through an eventfd. What is Linux's own is the framing, kernel offload and the io_uring batches.
 *
 * <p>A TUN read returns only what it copied, so a short buffer would silently truncate the packet. A read into a
 * direct buffer with less room than the longest possible packet is therefore a {@code readv} with a second,
 * overflow segment behind the caller's buffer (the read scratch buffer): a count beyond the caller's room means
 * the packet did not fit. A buffer with room for any packet gets a plain {@code read}, the cheapest call.
 *
 * <p>With kernel offload ({@link VnetMode#SPLIT}) every packet carries a {@code virtio_net_hdr}: a write sends
 * an all-zero one in front of the user's packet in the same {@code writev}, reads split super-packets
 * ({@link OffloadReader}) and {@link #writePackets} coalesces ({@link OffloadWriter}).
 *
 * <p>Where io_uring works ({@link UringSupport}), {@link #readPackets} and {@link #writePackets} of whole packets
 * in direct buffers may go through the ring, one {@code io_uring_enter} per batch instead of one system call per
 * packet, as each direction's timings choose ({@link LinuxBatches}); offload's coalesced writes always take it.
 * Either way they wait through this queue's poll.
 */
final class LinuxQueue extends PosixQueue {
    /** The read scratch: a whole read for heap buffers and offload (a header and a 64 KiB super-packet). */
    private static final int READ_SCRATCH = Math.max(LinuxPacketSizes.MAX_PACKET, GsoSplitter.MAX_READ_SIZE);

    private static final int IOVEC_SIZE = 16;
    // Layout of the control memory: [read iovecs 32][write iovecs 32][zero virtio-net header 16].
    private static final int READ_IOVECS = 0;
    private static final int WRITE_IOVECS = READ_IOVECS + 2 * IOVEC_SIZE;
    private static final int ZERO_HEADER = WRITE_IOVECS + 2 * IOVEC_SIZE;
    private static final int CONTROL_SIZE = ZERO_HEADER + 16;

    private final String deviceName;
    private final int index;
    private final VnetMode vnet;
    private final LinuxPacketSizes sizes;
    /** The longest packet a read can return here. */
    private final int largestPacket;
    /** True in SPLIT mode: a write puts an all-zero virtio-net header in front of the user's packet. */
    private final boolean zeroHeader;

    private final Memory control = new Memory(CONTROL_SIZE);
    private final long base = Pointer.nativeValue(control);
    /** The iovecs, written through buffer views: no JNI call per packet. */
    private final ByteBuffer readIovecs;
    private final ByteBuffer writeIovecs;

    /** Offload's read and write sides; null unless the mode is {@link VnetMode#SPLIT}. */
    private final OffloadReader offloadReader;
    private final OffloadWriter offloadWriter;
    /** The io_uring batch path, or null where batches take the plain path. */
    private final LinuxBatches uring;

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
        // The eventfd is never read, so once signalled it stays readable: every later poll returns at once too.
        // The write scratch holds a coalesced batch of MTU-sized packets, or one packet of any size.
        super(libc, fd, wakeFd, wakeFd, 8, Errno.TABLE, deviceName + " queue " + index, READ_SCRATCH,
                vnet == VnetMode.SPLIT ? OffloadWriter.SCRATCH_SIZE : LinuxPacketSizes.MAX_PACKET + VirtioNetHdr.SIZE);
        this.deviceName = deviceName;
        this.index = index;
        this.vnet = vnet;
        this.sizes = new LinuxPacketSizes(deviceName, mode, vnet);
        this.largestPacket = sizes.largestRead();
        this.zeroHeader = vnet == VnetMode.SPLIT;
        control.clear();
        readIovecs = control.getByteBuffer(READ_IOVECS, 2L * IOVEC_SIZE).order(ByteOrder.nativeOrder());
        writeIovecs = control.getByteBuffer(WRITE_IOVECS, 2L * IOVEC_SIZE).order(ByteOrder.nativeOrder());
        writeIovecs.putLong(0, base + ZERO_HEADER).putLong(8, VirtioNetHdr.SIZE);
        // Rings only over the real kernel: a test's fake libc keeps the plain path.
        uring = ioUring && libc == NativeCalls.libc() && UringSupport.get().enabled()
                ? new LinuxBatches(libc, fd, batchHost(), sizes, deviceName, index, vnet == VnetMode.RAW)
                : null;
        offloadReader = zeroHeader ? new OffloadReader(this::readScratchView, this::readIntoScratch, this::tooLarge)
                : null;
        offloadWriter = zeroHeader ? new OffloadWriter(this::writeScratchAddress, this::writeScratchView,
                this::sendFramed, uring == null ? null : uring.ring()::writeUnits, udpSegmentation) : null;
    }

    /** Which path {@link #readPackets} and {@link #writePackets} take here, for diagnostics and tests. */
    String batchPath() {
        if (uring == null) {
            return "plain";
        }
        return zeroHeader ? "io_uring for coalesced writes; plain reads (one read carries many packets)" : "io_uring";
    }

    /** Which mechanism each direction's batches take now and the timings that chose it, for diagnostics. */
    String batchMechanism() {
        return uring == null || zeroHeader ? batchPath() : uring.toString();
    }

    /** Fixes the mechanism of both directions' batches (tests of one path), or with null measures them anew. */
    void fixBatchMechanism(Mechanism mechanism) {
        if (uring != null) {
            uring.fix(mechanism);
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

    /** True once the kernel refused a coalesced packet: from then on this queue writes packets one by one. */
    boolean coalescingRefused() {
        return offloadWriter != null && offloadWriter.refused();
    }

    // ---- framing ----------------------------------------------------------------------------------------

    @Override
    protected int receive(long address, int length, int room) throws TunTapException {
        long n;
        if (length >= largestPacket) {
            n = libc.read(fd, address, length); // no packet can be longer than the buffer
        } else {
            readIovecs.putLong(0, address).putLong(8, length)
                    .putLong(IOVEC_SIZE, readScratchAddress()).putLong(IOVEC_SIZE + 8, READ_SCRATCH);
            n = libc.readv(fd, base + READ_IOVECS, 2);
        }
        if (n > 0) {
            return (int) n;
        }
        return n < 0 ? failed("read", libc.errno()) : AGAIN;
    }

    @Override
    protected int readPacket(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        return offloadReader != null ? offloadReader.read(dst, timeoutNanos) : readFromDevice(dst, timeoutNanos);
    }

    @Override
    protected int readBatch(ByteBuffer[] dsts, int count) throws TunTapException {
        // With offload, one plain read already carries many packets.
        return uring != null && !zeroHeader ? uring.read(dsts, count) : BATCH_NOT_HANDLED;
    }

    @Override
    protected void checkWrite(ByteBuffer src, int position, int length) throws TunTapException {
        sizes.checkWrite(src, position, length);
    }

    @Override
    protected int send(ByteBuffer src, int position, long address, int length) throws TunTapException {
        long n;
        if (zeroHeader && src != null) {
            // The user's packet with an all-zero header in front, "a plain packet", in one call.
            writeIovecs.putLong(IOVEC_SIZE, address).putLong(IOVEC_SIZE + 8, length);
            n = libc.writev(fd, base + WRITE_IOVECS, 2);
        } else {
            n = libc.write(fd, address, length);
        }
        if (n >= 0) {
            return 0;
        }
        return failed("write", libc.errno());
    }

    @Override
    protected int writeBatch(ByteBuffer[] srcs, int count) throws TunTapException {
        if (uring != null && !zeroHeader) {
            return uring.write(srcs, count);
        }
        if (offloadWriter == null || offloadWriter.refused()) {
            return BATCH_NOT_HANDLED;
        }
        for (int i = 0; i < count; i++) {
            checkWrite(srcs[i], srcs[i].position(), srcs[i].remaining());
        }
        offloadWriter.writePackets(srcs, count);
        return count;
    }

    @Override
    protected void release() {
        if (uring != null) {
            uring.close(); // the rings hold the device file too: release them first
        }
        libc.close(fd);
        control.close();
    }

    // ---- errors: built by LinuxErrors ------------------------------------------------------------------

    @Override
    protected DeviceInterruptedException interrupted() {
        return LinuxErrors.interrupted(deviceName, index);
    }

    @Override
    protected PacketTooLargeException tooLarge(int length, int room) {
        return LinuxErrors.readTooLarge(deviceName, length, room, LinuxPacketSizes.MAX_PACKET - 64);
    }

    @Override
    protected TunTapException ioError(String call, int errno) {
        return LinuxErrors.packetIo(call, errno, deviceName, index, vnet == VnetMode.RAW);
    }
}
