// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceEvent;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.MacAddress;
import io.tuntap.Route;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTapException;
import io.tuntap.spi.AbstractTunTapDevice;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.EventDispatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One end of a {@link MemoryDevicePair}. Its packet methods are those of queue 0. Configuration is guarded by
 * this object's monitor; packet I/O by each queue's own lock, so configuration never blocks I/O. Changes made
 * through the configuration methods are reported as {@link DeviceEvent}s. No operating system is involved, so
 * every exception has error code 0.
 */
abstract class MemoryDevice extends AbstractTunTapDevice {
    private final MemoryQueue queue0;
    private final List<MemoryQueue> memoryQueues;
    private final List<DeviceAddress> addresses = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private volatile int mtu;
    private volatile boolean up;
    private final Runnable onClose;
    /** Where events go while someone subscribes; null otherwise. */
    private volatile EventDispatcher events;

    final AtomicLong txPackets = new AtomicLong();
    final AtomicLong rxPackets = new AtomicLong();
    final AtomicLong droppedQueueFull = new AtomicLong();
    final AtomicLong droppedLinkDown = new AtomicLong();
    final AtomicLong droppedTooLarge = new AtomicLong();

    MemoryDevice(DeviceConfig config, String name, int index, Runnable onClose) {
        super(config.mode(), name, index, capabilities(config.mode()));
        fixPersistence(false, "a memory device lives only as long as its pair; it cannot be persistent");
        this.onClose = onClose;
        this.mtu = config.mtu().orElse(1500);
        this.up = config.up();
        this.addresses.addAll(config.addresses());
        this.routes.addAll(config.routes());
        List<MemoryQueue> all = new ArrayList<>();
        for (int i = 0; i < config.queues(); i++) {
            all.add(new MemoryQueue(this, i));
        }
        this.memoryQueues = List.copyOf(all);
        this.queue0 = all.get(0);
        attachQueues(all);
    }

    private static Set<Capability> capabilities(DeviceMode mode) {
        EnumSet<Capability> caps = EnumSet.of(mode == DeviceMode.TUN ? Capability.TUN : Capability.TAP,
                Capability.CHOOSE_NAME, Capability.MULTI_QUEUE, Capability.MTU, Capability.LINK_STATE,
                Capability.IPV4_ADDRESSES, Capability.IPV6_ADDRESSES, Capability.PEER_ADDRESSES, Capability.ROUTES, Capability.ROUTE_METRICS,
                Capability.EVENTS);
        if (mode == DeviceMode.TAP) {
            caps.add(Capability.SET_MAC_ADDRESS);
        }
        return caps;
    }

    static MemoryDevice create(DeviceConfig config, String name, int index, Runnable onClose) {
        return config.mode() == DeviceMode.TUN
                ? new Tun(config, name, index, onClose)
                : new Tap(config, name, index, onClose, config.macAddress().orElseGet(MacAddress::randomLocal));
    }

    /** The queue with this index, for connecting the two ends. */
    MemoryQueue queue(int i) {
        return i == 0 ? queue0 : memoryQueues.get(i);
    }

    MemoryDeviceCounters counters() {
        return new MemoryDeviceCounters(txPackets.get(), rxPackets.get(), droppedQueueFull.get(),
                droppedLinkDown.get(), droppedTooLarge.get());
    }

    int maxPacketLength() {
        return mtu + (mode() == DeviceMode.TAP ? Frames.ETHERNET_HEADER_LENGTH : 0);
    }

    int mtuUnchecked() {
        return mtu;
    }

    boolean isUpUnchecked() {
        return up && isOpen();
    }

    @Override
    protected void closeDevice() {
        onClose.run();
    }

    @Override
    protected EventDispatcher.Source eventSource() {
        return new EventDispatcher.Source() {
            @Override
            public void start(EventDispatcher dispatcher) {
                events = dispatcher;
            }

            @Override
            public void stop() {
                events = null;
            }
        };
    }

    private void publish(DeviceEvent event) {
        EventDispatcher d = events;
        if (d != null) {
            d.publish(event);
        }
    }

    private TunTapException failure(String call, String causeAndFix) {
        return new TunTapException(call, 0, ErrorMessages.failed(call + " on " + name(), causeAndFix));
    }

    // ---------------------------------------------------------------- configuration

    @Override
    protected int fetchMtu() {
        return mtu;
    }

    @Override
    protected synchronized void storeMtu(int mtu) throws TunTapException {
        if (mtu < DeviceConfig.MIN_MTU || mtu > DeviceConfig.MAX_MTU) {
            throw new InvalidConfigurationException("setMtu", 0, ErrorMessages.failed("setMtu(" + mtu + ") on "
                    + name(), "the MTU is out of range; use " + DeviceConfig.MIN_MTU + " to " + DeviceConfig.MAX_MTU));
        }
        if (this.mtu != mtu) {
            this.mtu = mtu;
            publish(new DeviceEvent.MtuChanged(mtu));
        }
    }

    @Override
    protected boolean fetchUp() {
        return up;
    }

    @Override
    protected synchronized void storeUp(boolean up) {
        if (this.up != up) {
            this.up = up;
            publish(new DeviceEvent.LinkChanged(up));
        }
    }

    @Override
    protected synchronized List<DeviceAddress> fetchAddresses() {
        return List.copyOf(addresses);
    }

    @Override
    protected synchronized void insertAddress(DeviceAddress address) throws TunTapException {
        for (DeviceAddress a : addresses) {
            if (a.local().equals(address.local())) {
                throw new DeviceBusyException("addAddress", 0, ErrorMessages.failed("addAddress(" + address + ") on "
                        + name(), "the interface already has " + a.local() + "; remove it first or leave it"));
            }
        }
        addresses.add(address);
        publish(new DeviceEvent.AddressAdded(address));
    }

    @Override
    protected synchronized void deleteAddress(IpPrefix local) throws TunTapException {
        for (DeviceAddress a : addresses) {
            if (a.local().equals(local)) {
                addresses.remove(a);
                publish(new DeviceEvent.AddressRemoved(a));
                return;
            }
        }
        throw new DeviceNotFoundException("removeAddress", 0, ErrorMessages.failed("removeAddress(" + local + ") on "
                + name(), "the interface does not have this address; it has " + addresses));
    }

    @Override
    protected synchronized List<Route> fetchRoutes() {
        return List.copyOf(routes);
    }

    @Override
    protected synchronized void insertRoute(Route route) throws TunTapException {
        if (!up) {
            throw failure("addRoute(" + route + ")", "the link is down; bring it up with setUp(true) first");
        }
        if (routes.contains(route)) {
            throw new DeviceBusyException("addRoute", 0, ErrorMessages.failed("addRoute(" + route + ") on " + name(),
                    "the route exists; remove it first or leave it"));
        }
        routes.add(route);
    }

    @Override
    protected synchronized void deleteRoute(Route route) throws TunTapException {
        if (!routes.remove(route)) {
            throw new DeviceNotFoundException("removeRoute", 0, ErrorMessages.failed("removeRoute(" + route + ") on "
                    + name(), "there is no such route; it has " + routes));
        }
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
            return query("macAddress", () -> mac);
        }

        @Override
        public void setMacAddress(MacAddress address) throws TunTapException {
            ensureOpen("setMacAddress");
            boolean zero = Arrays.equals(address.toByteArray(), new byte[MacAddress.LENGTH]);
            if (address.isMulticast() || zero) {
                throw new InvalidConfigurationException("setMacAddress", 0, ErrorMessages.failed("setMacAddress("
                        + address + ") on " + name(), (zero ? "the all-zero address" : "a multicast (or broadcast) "
                        + "address") + " cannot name an interface; use a unicast, non-zero one, e.g. "
                        + "MacAddress.randomLocal()"));
            }
            this.mac = address;
        }
    }
}
