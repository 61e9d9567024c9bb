// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.NativeCalls;
import io.tuntap.linux.uring.BatchChoice;
import io.tuntap.linux.uring.BatchChoice.Mechanism;
import io.tuntap.linux.uring.UringBatchIo;
import io.tuntap.posix.BatchHost;
import java.nio.ByteBuffer;

/**
 * The batches of one Linux queue where io_uring works: each batch of whole packets goes through the ring
 * ({@link UringBatchIo}) or one call per packet (the queue's own loops, {@link BatchHost}), as the direction's
 * {@link BatchChoice} picks from the batches' own timings; a batch that waited in poll is no timing, nor is one
 * that the ring declined for a heap buffer. The ring waits, defers and reports failures as the queue does: this
 * is its {@link UringBatchIo.Host}. Each direction is used by its own thread only, inside the queue's gate.
 */
final class LinuxBatches implements UringBatchIo.Host {
    private final BatchHost host;
    private final LinuxPacketSizes sizes;
    private final String deviceName;
    private final int index;
    private final boolean rawHeader;
    private final UringBatchIo uring;
    /** Per direction, whether a batch of whole packets takes io_uring or one call per packet. */
    private BatchChoice readChoice;
    private BatchChoice writeChoice;

    /**
     * The ring path of the queue on {@code fd}; its rings are made on first use.
     *
     * @param rawHeader whether each packet carries the user's virtio-net header (RAW mode), for messages
     */
    LinuxBatches(LinuxLibC libc, int fd, BatchHost host, LinuxPacketSizes sizes, String deviceName, int index,
            boolean rawHeader) {
        this.host = host;
        this.sizes = sizes;
        this.deviceName = deviceName;
        this.index = index;
        this.rawHeader = rawHeader;
        this.uring = new UringBatchIo(NativeCalls.ioUring(), libc, fd, sizes.largestRead(), this,
                deviceName + " queue " + index, rawHeader);
        fix(null);
    }

    /** The ring itself: offload's coalesced writes always take it. */
    UringBatchIo ring() {
        return uring;
    }

    /** Fixes the mechanism of both directions' batches (tests of one path), or with null measures them anew. */
    void fix(Mechanism mechanism) {
        String name = deviceName + " queue " + index;
        readChoice = mechanism != null ? BatchChoice.fixed(mechanism)
                : new BatchChoice(name + " reads", "one read per packet");
        writeChoice = mechanism != null ? BatchChoice.fixed(mechanism)
                : new BatchChoice(name + " writes", "one write per packet");
    }

    /** Which mechanism each direction's batches take now and the timings that chose it, for diagnostics. */
    @Override
    public String toString() {
        return readChoice + "; " + writeChoice;
    }

    /** {@code readPackets}, the caller having checked the arguments. */
    int read(ByteBuffer[] dsts, int count) throws TunTapException {
        return chosen(true, dsts, count);
    }

    /** {@code writePackets}, the caller having checked the arguments. */
    int write(ByteBuffer[] srcs, int count) throws TunTapException {
        return chosen(false, srcs, count);
    }

    /** A batch on the mechanism its direction's choice picks, timed when the choice asks. */
    private int chosen(boolean reading, ByteBuffer[] buffers, int count) throws TunTapException {
        BatchChoice choice = reading ? readChoice : writeChoice;
        Mechanism m = choice.next();
        boolean timed = choice.sampling();
        long start = timed ? System.nanoTime() : 0;
        int waits = reading ? host.readWaits() : host.writeWaits();
        int n = m != Mechanism.IO_URING ? UringBatchIo.NOT_HANDLED
                : reading ? uring.readPackets(buffers, count) : uring.writePackets(buffers, count);
        if (n == UringBatchIo.NOT_HANDLED) {
            timed &= m == Mechanism.PLAIN;
            n = reading ? host.readEach(buffers, count) : host.writeEach(buffers, count);
        }
        if (timed && waits == (reading ? host.readWaits() : host.writeWaits())) {
            choice.record(m, System.nanoTime() - start, n);
        }
        return n;
    }

    /** Releases the rings, which hold the device file too. */
    void close() {
        uring.close();
    }

    // ---- UringBatchIo.Host: the queue's waits and errors --------------------------------------------------

    @Override
    public void awaitReadable() throws TunTapException {
        host.awaitReadable();
    }

    @Override
    public void awaitWritable() throws TunTapException {
        host.awaitWritable();
    }

    @Override
    public void checkWrite(ByteBuffer src) throws TunTapException {
        sizes.checkWrite(src, src.position(), src.remaining());
    }

    @Override
    public TunTapException ioError(String call, int errno, String context) {
        return LinuxErrors.packetIo(call, errno, deviceName, index, rawHeader, context);
    }

    @Override
    public PacketTooLargeException tooLarge(int length, int room) {
        return LinuxErrors.readTooLarge(deviceName, length, room, LinuxPacketSizes.MAX_PACKET - 64);
    }

    @Override
    public void defer(PacketTooLargeException e) {
        host.defer(e);
    }
}
