// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * A {@link TunTapDeviceContract.Peer} for a real device, whose peer is the operating system's network stack:
 * each socket is a {@link DatagramSocket} bound to an address of the device. What it sends, the kernel routes
 * through the device (to the contract's remote address, on the device's subnet), so the device reads it; what
 * the device writes to that address and port, the kernel delivers to the socket.
 *
 * <p>The addresses must be usable before the contract binds: on Linux an IPv6 address is "tentative" until
 * duplicate address detection ends (about a second) and cannot be bound before; assign it without DAD
 * ({@code IFA_F_NODAD}) or wait. Run such tests in a throwaway network namespace.
 */
public final class DatagramSocketPeer implements TunTapDeviceContract.Peer {

    /** A peer with no state of its own; each {@link #bindUdp} opens a socket. */
    public DatagramSocketPeer() {
    }

    @Override
    public TunTapDeviceContract.PeerSocket bindUdp(InetSocketAddress local) throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        try {
            socket.setReuseAddress(true);
            socket.bind(local);
        } catch (IOException e) {
            socket.close();
            throw new IOException("bind(" + local + ") failed: " + e.getMessage()
                    + "; is the address assigned to the device and no longer tentative?", e);
        }
        return new TunTapDeviceContract.PeerSocket() {
            private final byte[] buffer = new byte[65535];

            @Override
            public void send(InetSocketAddress to, byte[] payload) throws IOException {
                socket.send(new DatagramPacket(payload, payload.length, to));
            }

            @Override
            public byte[] receive(Duration timeout) throws IOException {
                // SO_TIMEOUT 0 would mean forever: wait at least a millisecond instead.
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                return Arrays.copyOf(p.getData(), p.getLength());
            }

            @Override
            public void close() {
                socket.close();
            }
        };
    }
}
