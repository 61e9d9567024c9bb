// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.Offload;
import io.tuntap.OpenPolicy;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory TUN and TAP devices that need no privileges and no kernel: two ends connected back to back, for
 * unit tests of code that reads and writes packets.
 *
 * <pre>{@code
 * try (MemoryDevicePair<TunDevice> pair = MemoryDevices.tunPair(
 *         DeviceConfig.tun().address("10.0.0.1/24").build(), DeviceConfig.tun().build())) {
 *     TunDevice vpnSide = pair.first();    // give this to the code under test
 *     TunDevice network = pair.second();   // play the network with Packets and EchoResponder
 * }
 * }</pre>
 *
 * <p>The ends behave as the real devices are documented to: whole packets; {@link io.tuntap.PacketTooLargeException}
 * for a read buffer that is too small (the packet is dropped) and for a write longer than the MTU (plus 14 on
 * TAP); {@code read(dst, timeout)} returns 0 on timeout; {@code close()} wakes a blocked reader with
 * {@link io.tuntap.DeviceClosedException}; an interrupt makes it throw {@link io.tuntap.DeviceInterruptedException}
 * and leaves the device open; a write while the link is down fails; a packet for an end whose
 * link is down, or that is closed, is dropped; each direction of each queue holds at most
 * {@value #QUEUE_CAPACITY} packets and drops the rest. Drops are counted in {@link MemoryDeviceCounters}.
 *
 * <p>Unlike a real device, each packet written is copied into a new array, so the write path allocates.
 */
public final class MemoryDevices {
    /** The most packets waiting in one direction of one queue: Linux's default {@code txqueuelen}. */
    public static final int QUEUE_CAPACITY = 500;

    /** Interface indexes start high so that they are not mistaken for a real system's first interfaces. */
    private static final AtomicInteger NEXT_INDEX = new AtomicInteger(1000);
    private static final Set<String> NAMES_IN_USE = ConcurrentHashMap.newKeySet();

    private MemoryDevices() {
    }

    /**
     * Makes two connected devices: {@code a} configures {@link MemoryDevicePair#first()}, {@code b}
     * {@link MemoryDevicePair#second()}. Unnamed ends get names like {@code memtun0} or {@code memtap3}.
     *
     * @throws InvalidConfigurationException if the two modes or queue counts differ
     * @throws DeviceBusyException if a name is in use by another open memory device, or both ends ask for the same
     * @throws UnsupportedFeatureException for settings a memory device cannot have: persistence, owner or group,
     *     {@link OpenPolicy#ATTACH_EXISTING}, {@link Offload#VIRTIO_NET_HDR}
     * @param a configures the first end
     * @param b configures the second end, of the same mode and queue count
     * @return the pair, its ends typed {@link TunTapDevice} (see {@link #tunPair()} and {@link #tapPair()}); close it
     *     when done
     * @throws TunTapException for another reason a device cannot be made
     */
    public static MemoryDevicePair<TunTapDevice> pair(DeviceConfig a, DeviceConfig b) throws TunTapException {
        return pair(a, b, TunTapDevice.class);
    }

    /**
     * Two connected TUN devices with the default configuration ({@code DeviceConfig.tun().build()}), typed so.
     *
     * @return the pair; close it when done
     * @throws TunTapException as {@link #pair}
     */
    public static MemoryDevicePair<TunDevice> tunPair() throws TunTapException {
        return tunPair(DeviceConfig.tun().build(), DeviceConfig.tun().build());
    }

    /**
     * Two connected TUN devices configured by {@code a} and {@code b}, typed so.
     *
     * @param a configures the first end; a TUN configuration
     * @param b configures the second end; a TUN configuration
     * @return the pair; close it when done
     * @throws InvalidConfigurationException if a configuration is not for TUN
     * @throws TunTapException as {@link #pair}
     */
    public static MemoryDevicePair<TunDevice> tunPair(DeviceConfig a, DeviceConfig b) throws TunTapException {
        requireMode(DeviceMode.TUN, a, b);
        return pair(a, b, TunDevice.class);
    }

    /**
     * Two connected TAP devices with the default configuration ({@code DeviceConfig.tap().build()}), typed so.
     *
     * @return the pair; close it when done
     * @throws TunTapException as {@link #pair}
     */
    public static MemoryDevicePair<TapDevice> tapPair() throws TunTapException {
        return tapPair(DeviceConfig.tap().build(), DeviceConfig.tap().build());
    }

    /**
     * Two connected TAP devices configured by {@code a} and {@code b}, typed so.
     *
     * @param a configures the first end; a TAP configuration
     * @param b configures the second end; a TAP configuration
     * @return the pair; close it when done
     * @throws InvalidConfigurationException if a configuration is not for TAP
     * @throws TunTapException as {@link #pair}
     */
    public static MemoryDevicePair<TapDevice> tapPair(DeviceConfig a, DeviceConfig b) throws TunTapException {
        requireMode(DeviceMode.TAP, a, b);
        return pair(a, b, TapDevice.class);
    }

    private static void requireMode(DeviceMode mode, DeviceConfig a, DeviceConfig b) throws TunTapException {
        for (DeviceConfig c : new DeviceConfig[] {a, b}) {
            if (Objects.requireNonNull(c, "config").mode() != mode) {
                String call = "MemoryDevices." + mode.name().toLowerCase(Locale.ROOT) + "Pair";
                throw new InvalidConfigurationException(call, 0, call + ": a configuration is for " + c.mode()
                        + "; build both with DeviceConfig." + mode.name().toLowerCase(Locale.ROOT) + "()");
            }
        }
    }

    private static <D extends TunTapDevice> MemoryDevicePair<D> pair(DeviceConfig a, DeviceConfig b, Class<D> type)
            throws TunTapException {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.mode() != b.mode()) {
            throw new InvalidConfigurationException("MemoryDevices.pair", 0, "MemoryDevices.pair: the first end is "
                    + a.mode() + " but the second is " + b.mode() + "; build both with DeviceConfig.tun() or both with "
                    + "DeviceConfig.tap()");
        }
        if (a.queues() != b.queues()) {
            throw new InvalidConfigurationException("MemoryDevices.pair", 0, "MemoryDevices.pair: the first end has "
                    + a.queues() + " queues but the second has " + b.queues() + "; queue i of one end is connected to "
                    + "queue i of the other, so give both the same count");
        }
        checkSupported(a);
        checkSupported(b);
        String nameA = reserveName(a);
        String nameB;
        try {
            nameB = reserveName(b);
        } catch (TunTapException e) {
            NAMES_IN_USE.remove(nameA);
            throw e;
        }
        MemoryDevice first = MemoryDevice.create(a, nameA, NEXT_INDEX.getAndIncrement(), () -> NAMES_IN_USE.remove(nameA));
        MemoryDevice second = MemoryDevice.create(b, nameB, NEXT_INDEX.getAndIncrement(), () -> NAMES_IN_USE.remove(nameB));
        for (int i = 0; i < a.queues(); i++) {
            first.queue(i).connect(second.queue(i));
            second.queue(i).connect(first.queue(i));
        }
        return new MemoryDevicePair<>(first, second, type);
    }

    private static void checkSupported(DeviceConfig c) throws UnsupportedFeatureException {
        String problem = null;
        if (c.persistent()) {
            problem = "cannot be persistent: it lives only as long as its pair";
        } else if (c.owner().isPresent() || c.group().isPresent()) {
            problem = "has no owner or group: any code holding the pair may use it";
        } else if (c.openPolicy() == OpenPolicy.ATTACH_EXISTING) {
            problem = "cannot be attached to: memory devices exist only as pairs made by MemoryDevices.pair";
        } else if (c.offload() == Offload.VIRTIO_NET_HDR) {
            problem = "has no kernel offload and no virtio_net_hdr; use Offload.AUTO or Offload.OFF";
        }
        if (problem != null) {
            throw new UnsupportedFeatureException("MemoryDevices.pair", 0, "MemoryDevices.pair(" + c
                    + "): a memory device " + problem);
        }
    }

    private static String reserveName(DeviceConfig c) throws DeviceBusyException {
        if (c.name().isPresent()) {
            String name = c.name().get();
            if (!NAMES_IN_USE.add(name)) {
                throw new DeviceBusyException("MemoryDevices.pair", 0, "MemoryDevices.pair: the name '"
                        + name + "' is in use by another open memory device; close it or choose another name");
            }
            return name;
        }
        String prefix = "mem" + c.mode().name().toLowerCase(Locale.ROOT);
        for (int i = 0;; i++) {
            if (NAMES_IN_USE.add(prefix + i)) {
                return prefix + i;
            }
        }
    }
}
