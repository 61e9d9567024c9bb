// SPDX-License-Identifier: Apache-2.0
package io.tuntap.examples;

import io.tuntap.DeviceClosedException;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Forwards packets between a device and a connected UDP socket, VTun style: each packet read from the device
 * goes out as one datagram with no header, and each datagram received is written to the device as one packet.
 * That is the same wire format as {@code socat UDP-DATAGRAM:... TUN:...,iff-no-pi}, so the two interoperate.
 *
 * <p>Two threads do the work, one per direction, each with a batch of direct buffers allocated up front, so
 * the steady state allocates nothing per packet. The device side moves a batch per call
 * ({@code readPackets}/{@code writePackets}), which with kernel offload means one system call per TCP
 * super-packet instead of one per segment; the socket side drains datagrams without blocking and waits in a
 * selector only when none is left. {@link #close()} closes the device and the socket, which wakes both threads
 * (a blocked device read throws {@link DeviceClosedException}, a blocked receive
 * {@link java.nio.channels.AsynchronousCloseException}), and waits for them.
 *
 * <p>The socket should be connected to the peer: the kernel then drops datagrams from anyone else, and reads
 * and writes need no address objects. Thread-safe.
 */
final class UdpTunnel implements AutoCloseable {
    /** Room for any IP packet or UDP payload, and any Ethernet frame of a device with the largest MTU. */
    private static final int BUFFER_SIZE = 65535 + 18;
    /** Packets moved per system-call batch in each direction. */
    private static final int BATCH = 32;

    private final String name;
    private final PacketChannel device;
    private final DatagramChannel socket;
    private final Selector selector;
    private final Selector sendSelector;
    private final Thread deviceToSocket;
    private final Thread socketToDevice;
    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong packetsReceived = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unreachable = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closing;

    private UdpTunnel(String name, PacketChannel device, DatagramChannel socket) throws IOException {
        this.name = name;
        this.device = device;
        this.socket = socket;
        // The receiving side drains datagrams without blocking and waits in a selector when none is left.
        this.selector = Selector.open();
        socket.configureBlocking(false);
        socket.register(selector, SelectionKey.OP_READ);
        this.sendSelector = Selector.open();
        socket.register(sendSelector, SelectionKey.OP_WRITE);
        this.deviceToSocket = new Thread(this::pumpDeviceToSocket, name + "-dev-to-udp");
        this.socketToDevice = new Thread(this::pumpSocketToDevice, name + "-udp-to-dev");
    }

    /**
     * Starts forwarding between {@code device} and {@code socket}, which must be connected to the peer. The
     * tunnel owns both from now on and closes them in {@link #close()}.
     *
     * <p>The threads start on the calling thread's network namespace, so a caller inside
     * {@code LinuxNetworkNamespace.call} gets threads inside that namespace.
     */
    static UdpTunnel start(String name, PacketChannel device, DatagramChannel socket) throws IOException {
        if (!socket.isConnected()) {
            throw new IllegalArgumentException("the socket must be connected to the peer");
        }
        UdpTunnel tunnel = new UdpTunnel(name, device, socket);
        tunnel.deviceToSocket.start();
        tunnel.socketToDevice.start();
        return tunnel;
    }

    private void pumpDeviceToSocket() {
        ByteBuffer[] batch = allocateBatch();
        try {
            while (true) {
                for (ByteBuffer b : batch) {
                    b.clear();
                }
                int count;
                try {
                    // One call may return many packets: with kernel offload, a TCP super-packet read once
                    // comes back as MTU-sized packets, each of which becomes one datagram.
                    count = device.readPackets(batch, batch.length);
                } catch (PacketTooLargeException e) {
                    dropped.incrementAndGet();
                    continue;
                }
                for (int i = 0; i < count; i++) {
                    ByteBuffer packet = batch[i].flip();
                    int length = packet.remaining();
                    try {
                        while (socket.write(packet) == 0) {
                            // The socket's send buffer is full (the channel is non-blocking): wait for room.
                            sendSelector.select();
                            sendSelector.selectedKeys().clear();
                        }
                        packetsSent.incrementAndGet();
                        bytesSent.addAndGet(length);
                    } catch (PortUnreachableException e) {
                        // An earlier datagram drew an ICMP "port unreachable": the peer is not listening yet. UDP
                        // tunnels tolerate that, as a cable tolerates an unplugged far end. This packet is lost.
                        unreachable.incrementAndGet();
                        dropped.incrementAndGet();
                    }
                }
            }
        } catch (DeviceClosedException | ClosedChannelException | ClosedSelectorException e) {
            ended(null);
        } catch (IOException | RuntimeException e) {
            ended(e);
        }
    }

    /**
     * Receives datagrams without blocking while they keep coming, and writes each run of them to the device
     * in one batch (which the device may coalesce into super-packets); waits in the selector when none is
     * left.
     */
    private void pumpSocketToDevice() {
        ByteBuffer[] batch = allocateBatch();
        try {
            while (true) {
                int count = 0;
                while (count < batch.length) {
                    ByteBuffer b = batch[count].clear();
                    int length;
                    try {
                        length = socket.read(b);
                    } catch (PortUnreachableException e) {
                        unreachable.incrementAndGet(); // the report of an earlier datagram; see pumpDeviceToSocket
                        continue;
                    }
                    if (length <= 0) {
                        break; // nothing waiting (a zero-length datagram, which carries no packet, lands here too)
                    }
                    b.flip();
                    count++;
                }
                if (count == 0) {
                    selector.select();
                    selector.selectedKeys().clear();
                    continue;
                }
                writeBatch(batch, count);
            }
        } catch (DeviceClosedException | ClosedChannelException | ClosedSelectorException e) {
            ended(null);
        } catch (IOException | RuntimeException e) {
            ended(e);
        }
    }

    private void writeBatch(ByteBuffer[] batch, int count) throws DeviceClosedException {
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += batch[i].remaining();
        }
        try {
            device.writePackets(batch, count);
            packetsReceived.addAndGet(count);
            bytesReceived.addAndGet(bytes);
        } catch (DeviceClosedException e) {
            throw e;
        } catch (TunTapException e) {
            // The kernel refuses a malformed packet (or any while the link is down); one bad datagram from
            // the network must not stop the tunnel. Write the batch one by one to lose only the bad ones.
            for (int i = 0; i < count; i++) {
                ByteBuffer packet = batch[i];
                if (!packet.hasRemaining()) {
                    continue;
                }
                int length = packet.remaining();
                try {
                    device.write(packet);
                    packetsReceived.incrementAndGet();
                    bytesReceived.addAndGet(length);
                } catch (DeviceClosedException closed) {
                    throw closed;
                } catch (TunTapException bad) {
                    dropped.incrementAndGet();
                }
            }
        }
    }

    private static ByteBuffer[] allocateBatch() {
        ByteBuffer[] batch = new ByteBuffer[BATCH];
        for (int i = 0; i < BATCH; i++) {
            batch[i] = ByteBuffer.allocateDirect(BUFFER_SIZE);
        }
        return batch;
    }

    /** One direction stopped: on its own (a failure) or because of close(). Either way, stop the other. */
    private void ended(Throwable cause) {
        if (cause != null && !closing) {
            failure.compareAndSet(null, cause);
        }
        closeChannels();
    }

    private void closeChannels() {
        device.close();
        try {
            socket.close();
            selector.close(); // wakes the receiving thread
            sendSelector.close(); // and a sender waiting for room
        } catch (IOException e) {
            // Closing a UDP socket or selector has nothing to flush; a failure leaves nothing to do.
        }
    }

    /** The name given at start, used for thread names and reports. */
    String name() {
        return name;
    }

    /** Packets read from the device and sent to the peer. */
    long packetsSent() {
        return packetsSent.get();
    }

    /** Bytes of those packets. */
    long bytesSent() {
        return bytesSent.get();
    }

    /** Datagrams received from the peer and written to the device. */
    long packetsReceived() {
        return packetsReceived.get();
    }

    /** Bytes of those datagrams. */
    long bytesReceived() {
        return bytesReceived.get();
    }

    /** Packets lost here: too large for the buffer, refused by the device, or not sent after a port-unreachable. */
    long dropped() {
        return dropped.get();
    }

    /** ICMP "port unreachable" reports from the peer's host: datagrams sent while the peer was not listening. */
    long unreachable() {
        return unreachable.get();
    }

    /** The error that stopped the tunnel by itself, or null if it is running or was closed. */
    Throwable failure() {
        return failure.get();
    }

    /** True while both directions run. */
    boolean isRunning() {
        return deviceToSocket.isAlive() && socketToDevice.isAlive();
    }

    /** Waits until the tunnel stops, by {@link #close()} or by a failure. */
    void await() throws InterruptedException {
        deviceToSocket.join();
        socketToDevice.join();
    }

    /** A one-line report of the counters. */
    String counters() {
        return String.format("%s: device->udp %d packets (%d bytes), udp->device %d packets (%d bytes), %d dropped, "
                + "%d port-unreachable reports", name, packetsSent(), bytesSent(), packetsReceived(), bytesReceived(),
                dropped(), unreachable());
    }

    /** Stops both directions, closes the device and the socket, and waits for the threads. Idempotent. */
    @Override
    public void close() {
        closing = true;
        closeChannels();
        boolean interrupted = false;
        while (true) {
            try {
                await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish closing first; the caller learns of the interrupt below
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
