// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.LinkDownException;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.spi.BatchReads;
import io.tuntap.spi.CloseGate;
import io.tuntap.spi.ErrorMessages;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One queue of a {@link MemoryDevice}: an inbox that the peer's queue of the same index delivers into, bounded at
 * {@link MemoryDevices#QUEUE_CAPACITY} packets. One lock guards the inbox; a reader waits on its condition, and
 * {@link #close()} signals it through the shared {@link CloseGate}, so a blocked reader wakes at once. No
 * operating system is involved, so every exception has error code 0.
 */
final class MemoryQueue implements PacketChannel {
    private final MemoryDevice device;
    private final int index;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private final CloseGate gate;
    private volatile MemoryQueue peer;
    /** readPackets over the single read; used on the read side only. */
    private final BatchReads batches = new BatchReads((dst, nanos) -> take(dst, nanos, "read"));

    MemoryQueue(MemoryDevice device, int index) {
        this.device = device;
        this.index = index;
        this.gate = new CloseGate(where());
    }

    void connect(MemoryQueue peer) {
        this.peer = peer;
    }

    @Override
    public int read(ByteBuffer dst) throws TunTapException {
        batches.throwDeferred();
        return take(dst, -1, "read");
    }

    /** The packets waiting, with a failure after the first kept for the next read, as on every backend. */
    @Override
    public int readPackets(ByteBuffer[] dsts, int count) throws TunTapException {
        return batches.readPackets(dsts, count);
    }

    @Override
    public int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("read timeout " + timeout + " is negative");
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE; // ~292 years: as good as forever
        }
        batches.throwDeferred();
        return take(dst, nanos, "read");
    }

    /** Takes the next packet, waiting forever if {@code nanos} is negative, else at most {@code nanos}. */
    private int take(ByteBuffer dst, long nanos, String function) throws TunTapException {
        long left = nanos;
        gate.enterRead();
        lock.lock();
        try {
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(function, null);
            }
            while (true) {
                if (!gate.isOpen()) {
                    throw gate.closedException(function);
                }
                byte[] packet = inbox.pollFirst();
                if (packet != null) {
                    if (packet.length > dst.remaining()) {
                        device.droppedTooLarge.incrementAndGet();
                        throw new PacketTooLargeException(function, packet.length, dst.remaining(), function + " on "
                                + where() + " failed: the packet of " + packet.length + " bytes does not fit in the buffer's "
                                + dst.remaining() + " remaining bytes and was dropped; read into a buffer of at least "
                                + device.maxPacketLength() + " bytes (the MTU"
                                + (device.mode() == DeviceMode.TAP ? " plus the 14-byte Ethernet header)" : ")"));
                    }
                    dst.put(packet);
                    device.rxPackets.incrementAndGet();
                    return packet.length;
                }
                if (left == 0) {
                    return 0;
                }
                try {
                    if (left < 0) {
                        arrived.await();
                    } else {
                        left = Math.max(0, arrived.awaitNanos(left));
                    }
                } catch (InterruptedException e) {
                    // The PacketChannel contract: the interrupt status stays set, and the queue stays open.
                    Thread.currentThread().interrupt();
                    throw interrupted(function, e);
                }
            }
        } finally {
            lock.unlock();
            gate.exitRead();
        }
    }

    private DeviceInterruptedException interrupted(String function, InterruptedException cause) {
        return new DeviceInterruptedException(function, 0, ErrorMessages.failed(function + " on " + where(),
                "the thread was interrupted while waiting for a packet; the device is still open"), cause);
    }

    @Override
    public int write(ByteBuffer src) throws TunTapException {
        gate.enterWrite();
        try {
            return send(src);
        } finally {
            gate.exitWrite();
        }
    }

    private int send(ByteBuffer src) throws TunTapException {
        int length = src.remaining();
        if (!device.isUpUnchecked()) {
            if (!device.isOpen()) {
                throw gate.closedException("write"); // closing: the device is down because it is closed
            }
            throw new LinkDownException("write", 0, ErrorMessages.failed("write on " + where(), "the link is down; "
                    + "bring it up with setUp(true)"));
        }
        int max = device.maxPacketLength();
        if (length > max) {
            throw new PacketTooLargeException("write", length, max, "write on " + where() + " failed: the packet of "
                    + length
                    + " bytes exceeds the largest the device takes, " + max + " bytes (the MTU "
                    + device.mtuUnchecked() + (device.mode() == DeviceMode.TAP ? " plus the 14-byte Ethernet header" : "")
                    + "); send smaller packets or raise the MTU with setMtu");
        }
        if (device.mode() == DeviceMode.TAP) {
            if (length < Frames.ETHERNET_HEADER_LENGTH) {
                throw invalid("a TAP device takes whole Ethernet frames of at least 14 bytes, not " + length);
            }
        } else {
            int version = length == 0 ? -1 : (src.get(src.position()) & 0xf0) >>> 4;
            if (version != 4 && version != 6) {
                throw invalid("a TUN device takes bare IPv4 or IPv6 packets, but this "
                        + (length == 0 ? "packet is empty" : length + "-byte packet has IP version " + version));
            }
        }
        byte[] packet = new byte[length];
        src.get(packet);
        device.txPackets.incrementAndGet();
        MemoryQueue to = peer;
        if (to != null) {
            to.deliver(packet);
        }
        return length;
    }

    private TunTapException invalid(String why) {
        return new TunTapException("write", 0, ErrorMessages.failed("write on " + where(), why));
    }

    /** Queues a packet the peer wrote, or drops and counts it. Never blocks, like a real device's queue. */
    void deliver(byte[] packet) {
        if (!gate.isOpen() || !device.isUpUnchecked()) {
            device.droppedLinkDown.incrementAndGet();
            return;
        }
        lock.lock();
        try {
            if (inbox.size() >= MemoryDevices.QUEUE_CAPACITY) {
                device.droppedQueueFull.incrementAndGet();
                return;
            }
            inbox.addLast(packet);
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isOpen() {
        return gate.isOpen();
    }

    @Override
    public void close() {
        gate.close(this::wakeReaders, this::clearInbox);
    }

    private void wakeReaders() {
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void clearInbox() {
        lock.lock();
        try {
            inbox.clear();
        } finally {
            lock.unlock();
        }
    }

    private String where() {
        return device.name() + (index == 0 ? "" : " queue " + index);
    }

    @Override
    public String toString() {
        return "MemoryQueue[" + where() + (gate.isOpen() ? "]" : ", closed]");
    }
}
