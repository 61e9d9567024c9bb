// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.Capability;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.MacAddress;
import io.tuntap.PacketChannel;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One end of a {@link MemoryDevicePair}. Its {@link PacketChannel} methods are those of queue 0. Configuration
 * is guarded by this object's monitor; packet I/O by each queue's own lock, so configuration never blocks I/O.
 */
abstract class MemoryDevice implements TunTapDevice {
    private final DeviceMode mode;
    private final String name;
    private final int index;
    private final MemoryQueue queue0;
    private final List<PacketChannel> queues;
    private final Set<Capability> capabilities;
    private final List<IpPrefix> addresses = new ArrayList<>();
    private volatile int mtu;
    private volatile boolean up;
    private volatile boolean closed;
    private final Runnable onClose;

    final AtomicLong txPackets = new AtomicLong();
    final AtomicLong rxPackets = new AtomicLong();
    final AtomicLong droppedQueueFull = new AtomicLong();
    final AtomicLong droppedLinkDown = new AtomicLong();
    final AtomicLong droppedTooLarge = new AtomicLong();

    MemoryDevice(DeviceConfig config, String name, int index, Runnable onClose) {
        this.mode = config.mode();
        this.name = name;
        this.index = index;
        this.onClose = onClose;
        this.mtu = config.mtu().orElse(1500);
        this.up = config.up();
        this.addresses.addAll(config.addresses());
        List<PacketChannel> all = new ArrayList<>();
        this.queue0 = new MemoryQueue(this, 0);
        all.add(this);
        for (int i = 1; i < config.queues(); i++) {
            all.add(new MemoryQueue(this, i));
        }
        this.queues = Collections.unmodifiableList(all);
        EnumSet<Capability> caps = EnumSet.of(mode == DeviceMode.TUN ? Capability.TUN : Capability.TAP,
                Capability.CHOOSE_NAME, Capability.MULTI_QUEUE, Capability.MTU, Capability.LINK_STATE,
                Capability.IPV4_ADDRESSES, Capability.IPV6_ADDRESSES);
        if (mode == DeviceMode.TAP) {
            caps.add(Capability.SET_MAC_ADDRESS);
        }
        this.capabilities = Collections.unmodifiableSet(caps);
    }

    static MemoryDevice create(DeviceConfig config, String name, int index, Runnable onClose) {
        return config.mode() == DeviceMode.TUN
                ? new Tun(config, name, index, onClose)
                : new Tap(config, name, index, onClose, config.macAddress().orElseGet(MacAddress::randomLocal));
    }

    /** The queue with this index, for connecting the two ends. */
    MemoryQueue queue(int i) {
        return i == 0 ? queue0 : (MemoryQueue) queues.get(i);
    }

    MemoryDeviceCounters counters() {
        return new MemoryDeviceCounters(txPackets.get(), rxPackets.get(), droppedQueueFull.get(),
                droppedLinkDown.get(), droppedTooLarge.get());
    }

    int maxPacketLength() {
        return mtu + (mode == DeviceMode.TAP ? Packets.ETHERNET_HEADER_LENGTH : 0);
    }

    int mtuUnchecked() {
        return mtu;
    }

    boolean isUpUnchecked() {
        return up && !closed;
    }

    void ensureOpen(String function) throws DeviceClosedException {
        if (closed) {
            throw new DeviceClosedException(function, 0, function + " on " + name
                    + " failed: the device is closed; open a new one");
        }
    }

    // ---------------------------------------------------------------- PacketChannel: queue 0

    @Override
    public int read(ByteBuffer dst) throws TunTapException {
        return queue0.read(dst);
    }

    @Override
    public int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        return queue0.read(dst, timeout);
    }

    @Override
    public int write(ByteBuffer src) throws TunTapException {
        return queue0.write(src);
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue0.close();
        for (int i = 1; i < queues.size(); i++) {
            queues.get(i).close();
        }
        onClose.run();
    }

    // ---------------------------------------------------------------- TunTapDevice

    @Override
    public DeviceMode mode() {
        return mode;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public List<? extends PacketChannel> queues() {
        return queues;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public int mtu() throws TunTapException {
        ensureOpen("mtu");
        return mtu;
    }

    @Override
    public void setMtu(int mtu) throws TunTapException {
        ensureOpen("setMtu");
        if (mtu < DeviceConfig.MIN_MTU || mtu > DeviceConfig.MAX_MTU) {
            throw new InvalidConfigurationException("setMtu", 0, "setMtu(" + mtu + ") on " + name
                    + ": the MTU is out of range; use " + DeviceConfig.MIN_MTU + " to " + DeviceConfig.MAX_MTU);
        }
        this.mtu = mtu;
    }

    @Override
    public boolean isUp() throws TunTapException {
        ensureOpen("isUp");
        return up;
    }

    @Override
    public void setUp(boolean up) throws TunTapException {
        ensureOpen("setUp");
        this.up = up;
    }

    @Override
    public synchronized List<IpPrefix> addresses() throws TunTapException {
        ensureOpen("addresses");
        return List.copyOf(addresses);
    }

    @Override
    public synchronized void addAddress(IpPrefix address) throws TunTapException {
        ensureOpen("addAddress");
        if (addresses.contains(address)) {
            throw new DeviceBusyException("addAddress", 0, "addAddress(" + address + ") on " + name
                    + " failed: the interface already has this address; remove it first or leave it");
        }
        addresses.add(address);
    }

    @Override
    public synchronized void removeAddress(IpPrefix address) throws TunTapException {
        ensureOpen("removeAddress");
        if (!addresses.remove(address)) {
            throw new DeviceNotFoundException("removeAddress", 0, "removeAddress(" + address + ") on "
                    + name + " failed: the interface does not have this address; it has " + addresses);
        }
    }

    @Override
    public boolean isPersistent() throws TunTapException {
        ensureOpen("isPersistent");
        return false;
    }

    @Override
    public void setPersistent(boolean persistent) throws TunTapException {
        ensureOpen("setPersistent");
        if (persistent) {
            throw new UnsupportedFeatureException("setPersistent", 0, "setPersistent(true) on " + name
                    + ": a memory device lives only as long as its pair; it cannot be persistent");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", index " + index + (closed ? ", closed]" : "]");
    }

    /** A TUN end: bare IP packets. */
    static final class Tun extends MemoryDevice implements TunDevice {
        Tun(DeviceConfig config, String name, int index, Runnable onClose) {
            super(config, name, index, onClose);
        }
    }

    /** A TAP end: Ethernet frames, and a MAC address. */
    static final class Tap extends MemoryDevice implements TapDevice {
        private volatile MacAddress mac;

        Tap(DeviceConfig config, String name, int index, Runnable onClose, MacAddress mac) {
            super(config, name, index, onClose);
            this.mac = mac;
        }

        @Override
        public MacAddress macAddress() throws TunTapException {
            ensureOpen("macAddress");
            return mac;
        }

        @Override
        public void setMacAddress(MacAddress address) throws TunTapException {
            ensureOpen("setMacAddress");
            if (address.isMulticast() || java.util.Arrays.equals(address.toByteArray(), new byte[MacAddress.LENGTH])) {
                throw new InvalidConfigurationException("setMacAddress", 0, "setMacAddress(" + address
                        + ") on " + name() + ": " + (address.isMulticast() ? "a multicast (or broadcast) address"
                        : "the all-zero address") + " cannot name an interface; use a unicast, non-zero one "
                        + "(the lowest bit of the first byte clear), e.g. MacAddress.randomLocal()");
            }
            this.mac = address;
        }
    }
}
