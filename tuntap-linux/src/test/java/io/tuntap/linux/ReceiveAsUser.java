// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.DeviceHandoff;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.testkit.EchoResponder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run by {@link AdoptIT} in a JVM of its own, as an unprivileged user without capabilities: receives a device
 * over the Unix socket {@code args[0]}, reports what it learned from the descriptor, shows that it cannot
 * configure the interface, answers {@code args[1]} pings through it, and exits, closing the device. Prints one
 * line per step: {@code RECEIVED ...}, {@code SETMTU ...}, {@code ANSWERED n}, or {@code FAILED ...}.
 */
public final class ReceiveAsUser {
    private ReceiveAsUser() {
    }

    public static void main(String[] args) {
        int pings = Integer.parseInt(args[1]);
        try (TunTapDevice tun = DeviceHandoff.receive(Path.of(args[0]), Duration.ofSeconds(60))) {
            System.out.println("RECEIVED user=" + System.getProperty("user.name") + " name=" + tun.name() + " mode=" + tun.mode() + " index=" + tun.index()
                    + " queues=" + tun.queues().size() + " mtu=" + tun.mtu());
            try {
                tun.setMtu(1280);
                System.out.println("SETMTU changed");
            } catch (TunTapException e) {
                System.out.println("SETMTU " + e.getClass().getSimpleName() + " errorCode=" + e.errorCode());
            }
            System.out.flush();
            EchoResponder responder = EchoResponder.forTun();
            ByteBuffer request = ByteBuffer.allocateDirect(65536);
            ByteBuffer reply = ByteBuffer.allocateDirect(65536 + 64);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (responder.echoRepliesSent() < pings && System.nanoTime() < deadline) {
                request.clear();
                if (tun.read(request, Duration.ofMillis(200)) == 0) {
                    continue;
                }
                request.flip();
                reply.clear();
                if (responder.respond(request, reply) > 0) {
                    reply.flip();
                    tun.write(reply);
                }
            }
            System.out.println("ANSWERED " + responder.echoRepliesSent());
        } catch (TunTapException e) {
            System.out.println("FAILED " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
