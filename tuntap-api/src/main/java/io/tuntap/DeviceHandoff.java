// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Hands an open device from one process to another over a Unix-domain socket ({@code SCM_RIGHTS}), so that
 * the process that uses it never holds the privilege that creating it needs.
 *
 * <p>The pattern: a small privileged launcher creates and configures the device, sends it, and closes its own
 * handle; the daemon, running as an unprivileged user without {@code CAP_NET_ADMIN}, receives it and reads
 * and writes packets. The receiver listens, on a socket it creates with mode 0600, so that only its own user
 * and root can connect to it.
 *
 * <!-- snippet context
 * DeviceConfig config;
 * -->
 * <pre>{@code
 * // the daemon, unprivileged:
 * try (TunTapDevice tun = DeviceHandoff.receive(Path.of("/run/vpn/tun.sock"), Duration.ofMinutes(1))) {
 *     ...
 * }
 * // the launcher, as root:
 * try (TunDevice tun = TunTap.openTun(config)) {
 *     DeviceHandoff.send(tun, Path.of("/run/vpn/tun.sock"), Duration.ofSeconds(30));
 * }   // the interface lives on: the daemon holds it now
 * }</pre>
 *
 * <p>Every queue of a multi-queue device goes in one message. The JDK's Unix-domain socket channels cannot
 * pass descriptors, so the backend does it with {@code sendmsg}/{@code recvmsg}. Where a descriptor comes from
 * elsewhere (a service manager, Android's {@code VpnService}), {@link TunTap#adopt(int)} takes it directly.
 */
public final class DeviceHandoff {
    private DeviceHandoff() {
    }

    /**
     * Sends the descriptor of every queue of {@code device} to the receiver listening at {@code socket},
     * waiting up to {@code timeout} for it to appear. The device stays open here: closing it afterwards closes
     * this process's descriptors only, and the interface lives on with the receiver's.
     *
     * @param device an open device
     * @param socket the path where the receiver listens
     * @param timeout how long to wait for the receiver to listen
     * @throws DeviceNotFoundException if nothing listens at {@code socket} within the timeout
     * @throws TunTapException if the sending fails
     */
    public static void send(TunTapDevice device, Path socket, Duration timeout) throws TunTapException {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(timeout, "timeout");
        TunTap.providerFor(Capability.ADOPT, "DeviceHandoff.send").send(device, socket, timeout);
    }

    /**
     * Creates a Unix socket at {@code socket} (mode 0600; the path must not exist), waits up to
     * {@code timeout} for one sender, receives its descriptors and adopts them as {@link TunTap#adopt(int)}
     * does; removes the socket again. The device owns the descriptors.
     *
     * @param socket the path of the socket to create
     * @param timeout how long to wait for a sender
     * @return a {@link TunDevice} or a {@link TapDevice}, as sent
     * @throws DeviceBusyException if {@code socket} exists already
     * @throws InvalidDescriptorException if what came is not a TUN/TAP descriptor (it is closed)
     * @throws TunTapException if nothing came in time, or receiving fails
     */
    public static TunTapDevice receive(Path socket, Duration timeout) throws TunTapException {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(timeout, "timeout");
        return TunTap.providerFor(Capability.ADOPT, "DeviceHandoff.receive").receive(socket, timeout);
    }
}
