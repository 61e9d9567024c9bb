// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.PacketChannel;
import io.tuntap.TunTapException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link TunTapDeviceContract.Peer} that plays the host's network stack on a {@link PacketChannel}, such as
 * the other end of a {@link MemoryDevicePair}: it builds the UDP packets a kernel would send and takes apart the
 * ones it receives, dropping any with a bad checksum as a kernel does. On TAP it sends frames from
 * {@code hostMac} to {@code remoteMac}, having "resolved" the remote side to that address already, and ignores
 * the destination MAC of frames it receives.
 *
 * <p>Thread-safe; datagrams that arrive for a socket other than the one receiving are kept for it.
 */
public final class ChannelPeer implements TunTapDeviceContract.Peer {
    private static final int MAX_FRAME = 65535 + Frames.ETHERNET_HEADER_LENGTH;
    private static final int MAX_KEPT = MemoryDevices.QUEUE_CAPACITY;

    private final PacketChannel channel;
    private final DeviceMode mode;
    private final MacAddress hostMac;
    private final MacAddress remoteMac;
    private final Map<InetSocketAddress, ArrayDeque<byte[]>> kept = new HashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_FRAME);

    /**
     * @param channel the channel whose packets the device under test reads and writes
     * @param mode the device's mode: TUN for bare IP packets, TAP for Ethernet frames
     * @param hostMac TAP only: the source MAC of frames sent (the host interface's address)
     * @param remoteMac TAP only: the destination MAC of frames sent (the far end's address)
     */
    public ChannelPeer(PacketChannel channel, DeviceMode mode, MacAddress hostMac, MacAddress remoteMac) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.mode = Objects.requireNonNull(mode, "mode");
        if (mode == DeviceMode.TAP) {
            Objects.requireNonNull(hostMac, "hostMac");
            Objects.requireNonNull(remoteMac, "remoteMac");
        }
        this.hostMac = hostMac;
        this.remoteMac = remoteMac;
    }

    @Override
    public TunTapDeviceContract.PeerSocket bindUdp(InetSocketAddress local) {
        Objects.requireNonNull(local, "local");
        return new TunTapDeviceContract.PeerSocket() {
            @Override
            public void send(InetSocketAddress to, byte[] payload) throws TunTapException {
                byte[] ip = Packets.udp(local, to, payload);
                channel.write(mode == DeviceMode.TAP ? Frames.ethernet(remoteMac, hostMac, ip) : ip);
            }

            @Override
            public byte[] receive(Duration timeout) throws TunTapException {
                return receiveFor(local, timeout);
            }

            @Override
            public void close() {
                synchronized (ChannelPeer.this) {
                    kept.remove(local);
                }
            }
        };
    }

    private synchronized byte[] receiveFor(InetSocketAddress local, Duration timeout) throws TunTapException {
        ArrayDeque<byte[]> waiting = kept.get(local);
        if (waiting != null && !waiting.isEmpty()) {
            return waiting.pollFirst();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            buffer.clear();
            int n = channel.read(buffer, Duration.ofNanos(left));
            if (n == 0) {
                return null;
            }
            buffer.flip();
            ByteBuffer ip = buffer;
            if (mode == DeviceMode.TAP) {
                int type = Frames.etherType(buffer);
                if (type != Frames.ETHERTYPE_IPV4 && type != Frames.ETHERTYPE_IPV6) {
                    continue;
                }
                ip = Frames.ethernetPayload(buffer);
            }
            if ((Packets.ipVersion(ip) == 4 && !Packets.isIpv4HeaderChecksumValid(ip))
                    || !Packets.isTransportChecksumValid(ip)) {
                continue; // a kernel drops it too
            }
            Packets.Udp udp = Packets.parseUdp(ip).orElse(null);
            if (udp == null) {
                continue;
            }
            if (udp.destination().equals(local)) {
                return udp.payload();
            }
            ArrayDeque<byte[]> other = kept.computeIfAbsent(udp.destination(), k -> new ArrayDeque<>());
            if (other.size() < MAX_KEPT) {
                other.addLast(udp.payload());
            }
        }
    }
}
