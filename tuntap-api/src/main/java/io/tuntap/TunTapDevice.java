// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import java.util.List;
import java.util.Set;

/**
 * An open TUN or TAP interface: its first packet queue plus the interface's configuration.
 *
 * <p>The {@link PacketChannel} methods of this object are those of queue 0. With more than one queue
 * ({@link DeviceConfig.Builder#queues(int)}), {@link #queues()} gives every queue; each is read and written
 * independently, typically by its own thread.
 *
 * <p>Configuration methods change the interface in the kernel (through ioctl or rtnetlink, never by running
 * a program) and may be called from any thread. {@link #close()} closes every queue; a non-persistent
 * device then disappears.
 */
public interface TunTapDevice extends PacketChannel {

    /** TUN or TAP. */
    DeviceMode mode();

    /** The interface name, e.g. {@code "tun0"}: the one asked for, or the one the system chose. */
    String name();

    /** The interface index the system gave the device. */
    int index();

    /** Every queue of this device; element 0 is this object. */
    List<? extends PacketChannel> queues();

    /** What this device supports on this system. */
    Set<Capability> capabilities();

    /** The current MTU. */
    int mtu() throws TunTapException;

    /** Sets the MTU, {@value DeviceConfig#MIN_MTU} to {@value DeviceConfig#MAX_MTU}. */
    void setMtu(int mtu) throws TunTapException;

    /** True if the link is administratively up. */
    boolean isUp() throws TunTapException;

    /** Brings the link up or down. Writes to a device whose link is down fail. */
    void setUp(boolean up) throws TunTapException;

    /** The IPv4 and IPv6 addresses on the interface, including ones other programs assigned. */
    List<IpPrefix> addresses() throws TunTapException;

    /**
     * Assigns an address.
     *
     * @throws DeviceBusyException if the interface already has it
     */
    void addAddress(IpPrefix address) throws TunTapException;

    /**
     * Removes an address.
     *
     * @throws DeviceNotFoundException if the interface does not have it
     */
    void removeAddress(IpPrefix address) throws TunTapException;

    /** Whether the device outlives its last handle. */
    boolean isPersistent() throws TunTapException;

    /**
     * Makes the device persistent or not. Making an attached persistent device non-persistent and closing it
     * deletes the interface.
     */
    void setPersistent(boolean persistent) throws TunTapException;
}
