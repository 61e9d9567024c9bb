// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.DeviceConfig;
import io.tuntap.TapDevice;
import io.tuntap.TunTapDevice;

/**
 * The behaviour every {@link TunTapDevice} implementation shares, as an abstract JUnit 5 test class. A backend's
 * test extends it and implements {@link #open(DeviceConfig)}, returning the device and a {@link Peer}: the other
 * side of the device, which for a real device is the operating system's network stack.
 *
 * <h2>Traffic: UDP between fixed addresses</h2>
 *
 * The peer of a real TUN device is the kernel, which a test can drive only through sockets. So the traffic tests
 * speak UDP: the contract assigns {@link #HOST_V4} and {@link #HOST_V6} to the device (in the configuration it
 * passes to {@code open}); the peer binds its sockets to those addresses ({@link Peer#bindUdp}); and the test code
 * on the device plays the far end, {@link #REMOTE_V4} and {@link #REMOTE_V6}, on the same subnets. A datagram the
 * peer sends to the remote address is routed through the device, and the test reads it there; a datagram the test
 * writes to the device, from the remote address to the host address, the peer receives on its socket.
 *
 * <p>For a real device, {@link DatagramSocketPeer} is such a peer; for the in-memory pair, {@link ChannelPeer}
 * plays the kernel on the other end.
 *
 * <h2>TAP: ARP and neighbour discovery</h2>
 *
 * On a TAP device the kernel must resolve the remote address before it sends to it: it writes an ARP request
 * (IPv4) or a neighbour solicitation (IPv6) to the device. Whenever the contract reads from a TAP device it
 * answers those with {@link EchoResponder} logic, giving {@link #REMOTE_MAC}, and then reads on; the kernel then
 * sends its queued datagram to that MAC address. Frames the contract writes go from {@link #REMOTE_MAC} to the
 * device's own MAC address ({@link TapDevice#macAddress()}), which is what the host stack accepts.
 *
 * <p>Packets the contract does not expect (a kernel's router solicitations or MLD reports, say) are skipped.
 * Tests of optional features check {@link TunTapDevice#capabilities()} and are skipped, with the reason, where the
 * device lacks them; {@link #supportedModes()} limits the modes tried.
 *
 * <h2>The cases, by theme</h2>
 *
 * The cases are in themed classes, each extending the one before, so that a backend's test extends this one class
 * and runs them all: {@link LifecycleContract} (open, close, identity, blocked readers), {@link PacketContract}
 * (single packets), {@link BatchContract} ({@code readPackets}, {@code writePackets}), {@link LinkContract} (MTU,
 * link state, MAC), {@link AddressRouteContract} (addresses, peers, routes) and {@link EventContract}. The harness
 * they share, with what a backend supplies, is {@link ContractHarness}; the packet plumbing is in
 * {@code ContractTraffic}. A new case goes into the class of its theme.
 */
public abstract class TunTapDeviceContract extends EventContract {
    /** For subclasses: one per backend (or per backend setting). */
    protected TunTapDeviceContract() {
    }
}
