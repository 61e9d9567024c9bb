// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.MacAddress;
import io.tuntap.LinkDownException;
import io.tuntap.TapDevice;
import io.tuntap.TunTapDevice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The device contract's cases for the link: MTU, link state and a TAP device's MAC address. One of the themed classes
 * that {@link TunTapDeviceContract} is made of; a backend's test extends {@link TunTapDeviceContract} and so runs
 * these with all the others. The harness (opening the device, the peer, the addresses) is {@link ContractHarness}.
 */
public abstract class LinkContract extends BatchContract {
    /** For the next class in the contract. */
    protected LinkContract() {
    }

    /** The MTU can be set and read back; values outside 68..65535 are refused. */
    @EachMode
    public void mtuCanBeSetAndRead(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TunTapDevice d = dut.device();
            assumeCapability(d, Capability.MTU);
            assertEquals(1500, d.mtu(), "the configured MTU");
            d.setMtu(1400);
            assertEquals(1400, d.mtu());
            assertThrows(InvalidConfigurationException.class, () -> d.setMtu(DeviceConfig.MIN_MTU - 1));
            assertThrows(InvalidConfigurationException.class, () -> d.setMtu(DeviceConfig.MAX_MTU + 1));
            assertEquals(1400, d.mtu(), "a refused MTU changes nothing");
        }
    }

    /**
     * Writes fail with LinkDownException while the link is down, single or in a batch (whose buffers then keep
     * their positions), and work again once it is up.
     */
    @EachMode
    public void writeFailsWhileLinkIsDown(DeviceMode mode) throws Exception {
        InetSocketAddress host = new InetSocketAddress(HOST_V4.address(), HOST_PORT);
        try (DeviceUnderTest dut = openUnderTest(mode); PeerSocket socket = dut.peer().bindUdp(host)) {
            TunTapDevice d = dut.device();
            assumeCapability(d, Capability.LINK_STATE);
            assertTrue(d.isUp(), "configured up");
            byte[] payload = payload(50, 12);
            byte[] p = packet(d, REMOTE_V4, host.getAddress(), payload);
            d.setUp(false);
            assertFalse(d.isUp());
            ByteBuffer single = ByteBuffer.wrap(p);
            assertThrows(LinkDownException.class, () -> d.write(single));
            assertEquals(0, single.position(), "a refused packet keeps its position");
            ByteBuffer[] batch = {ByteBuffer.wrap(p), ByteBuffer.wrap(p)};
            assertThrows(LinkDownException.class, () -> d.writePackets(batch, 2));
            assertEquals(0, batch[0].position(), "the batch's first packet was refused: its position is kept");
            assertEquals(0, batch[1].position(), "the batch ended at the refused packet: the next one is kept");
            d.setUp(true);
            assertTrue(d.isUp());
            d.write(p);
            assertArrayEquals(payload, socket.receive(packetTimeout()), "writes work again once the link is up");
        }
    }

    /** A TAP device's MAC address can be set and read; a multicast one is refused. */
    @EachMode(DeviceMode.TAP)
    public void tapMacAddressCanBeSetAndRead(DeviceMode mode) throws Exception {
        try (DeviceUnderTest dut = openUnderTest(mode)) {
            TapDevice d = (TapDevice) dut.device();
            assumeCapability(d, Capability.SET_MAC_ADDRESS);
            assertFalse(d.macAddress().isMulticast(), "a device has a unicast address");
            MacAddress mac = MacAddress.parse("02:00:00:99:00:10");
            d.setMacAddress(mac);
            assertEquals(mac, d.macAddress());
            assertThrows(InvalidConfigurationException.class,
                    () -> d.setMacAddress(MacAddress.parse("01:00:5e:00:00:01")));
            assertEquals(mac, d.macAddress(), "a refused address changes nothing");
        }
    }
}
