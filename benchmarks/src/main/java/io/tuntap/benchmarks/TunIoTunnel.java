// SPDX-License-Identifier: Apache-2.0
package io.tuntap.benchmarks;

import io.github.isotes.net.tun.io.Packet;
import io.github.isotes.net.tun.io.TunDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The example tunnel's design (two threads, one packet per datagram, connected UDP socket) on the tun-io
 * peer library, so that the tunnel row has a Java peer. Prints {@code READY} and runs until killed.
 */
final class TunIoTunnel {
    private TunIoTunnel() {
    }

    static void main(String[] args) throws Exception {
        Main.usage(args.length == 5);
        TunDevice tun = TunDevice.open(args[0]);
        DatagramChannel socket = DatagramChannel.open();
        socket.bind(new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2])));
        socket.connect(new InetSocketAddress(InetAddress.getByName(args[3]), Integer.parseInt(args[4])));
        Thread out = new Thread(() -> {
            while (true) {
                try {
                    Packet p = tun.read();
                    socket.write(p.packet);
                } catch (IOException e) {
                    // a packet lost, as on a wire
                }
            }
        });
        Thread in = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            while (true) {
                try {
                    buffer.clear();
                    socket.read(buffer);
                    buffer.flip();
                    tun.write(buffer);
                } catch (IOException e) {
                    // as above
                }
            }
        });
        out.start();
        in.start();
        System.out.println("READY");
        System.out.flush();
        out.join();
    }
}
