// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Memory;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.LongByReference;
import io.tuntap.Capability;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.OpenPolicy;
import io.tuntap.TunDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.windows.win32.IpHelper;
import io.tuntap.windows.win32.Kernel32Io;
import io.tuntap.windows.win32.WintunLibrary;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A TUN device on a Wintun adapter: a session's rings ({@link WintunChannel}) and the adapter's IP
 * interface. An adapter this object created is removed when it closes (Wintun removes what
 * {@code WintunCreateAdapter} made once its handle closes); one it opened stays.
 */
final class WintunDevice extends WindowsDeviceBase implements TunDevice {
    /** The default ring capacity: 4 MiB. */
    static final int DEFAULT_RING_CAPACITY = 0x400000;
    static final String DEFAULT_NAME = "tuntap";
    static final String DEFAULT_TUNNEL_TYPE = "tuntap";
    /** How long to wait for a new adapter's IP interface. */
    private static final long INTERFACE_WAIT_NANOS = 10_000_000_000L;

    static final Set<Capability> CAPABILITIES = Set.of(Capability.TUN, Capability.CHOOSE_NAME, Capability.ATTACH,
            Capability.MTU, Capability.IPV4_ADDRESSES, Capability.IPV6_ADDRESSES, Capability.PEER_ADDRESSES,
            Capability.ROUTES, Capability.ROUTE_METRICS, Capability.EVENTS, Capability.BYPASS_ROUTES);

    private final WintunChannel channel;
    private final boolean created;

    private WintunDevice(String name, IpInterface ipi, UUID guid, String version, WintunChannel channel,
            boolean created) {
        super(DeviceMode.TUN, name, ipi, CAPABILITIES, guid, "wintun", version);
        // An adapter this object created goes away on close; one it opened stays.
        fixPersistence(!created, "whether a Wintun adapter persists is fixed when it is opened: one created by this "
                + "library is removed when its device closes; open an existing adapter for one that stays");
        this.channel = channel;
        this.created = created;
        attachQueues(List.of(channel));
    }

    /** Checks the ring capacity: a power of two within Wintun's bounds. */
    static int ringCapacity(DeviceConfig config) throws InvalidConfigurationException {
        int capacity = config.option(WintunOptions.RING_CAPACITY).orElse(DEFAULT_RING_CAPACITY);
        if (capacity < WintunLibrary.MIN_RING_CAPACITY || capacity > WintunLibrary.MAX_RING_CAPACITY
                || Integer.bitCount(capacity) != 1) {
            throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open", "Wintun ring capacity "
                    + capacity + " is not a power of two from " + WintunLibrary.MIN_RING_CAPACITY + " (128 KiB) to "
                    + WintunLibrary.MAX_RING_CAPACITY + " (64 MiB); set WintunOptions.RING_CAPACITY to one"));
        }
        return capacity;
    }

    /**
     * Opens or creates the adapter, starts a session and configures the interface. On failure nothing is
     * left: the session ended, the handle closed, a created adapter removed.
     */
    static WintunDevice open(WintunLibrary wintun, Kernel32Io k32, IpHelper ip, DeviceConfig config)
            throws TunTapException {
        if (config.mode() != DeviceMode.TUN) {
            throw new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open(TAP)", "Wintun carries IP "
                    + "packets only (TUN); use the tap-windows6 provider for a TAP device"));
        }
        int capacity = ringCapacity(config);
        String name = config.name().orElse(DEFAULT_NAME);
        if (name.length() >= WintunLibrary.MAX_ADAPTER_NAME) {
            throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open(" + name + ")", "Wintun "
                    + "adapter names have at most " + (WintunLibrary.MAX_ADAPTER_NAME - 1) + " characters; '" + name
                    + "' has " + name.length() + ": choose a shorter one"));
        }
        String tunnelType = config.option(WintunOptions.TUNNEL_TYPE).orElse(DEFAULT_TUNNEL_TYPE);
        UUID requested = config.option(WintunOptions.ADAPTER_GUID).orElse(null);
        long adapter = 0;
        boolean created = false;
        OpenPolicy policy = config.openPolicy();
        if (policy != OpenPolicy.CREATE_NEW) {
            adapter = wintun.WintunOpenAdapter(name);
            if (adapter == 0 && policy == OpenPolicy.ATTACH_EXISTING) {
                int error = wintun.GetLastError();
                String call = "WintunOpenAdapter(" + name + ")";
                throw new DeviceNotFoundException(call, error, WinErrors.message(call, error, "there is no Wintun "
                        + "adapter named '" + name + "'; create one with openPolicy CREATE_OR_ATTACH (as "
                        + "Administrator)"));
            }
        } else if (aliasExists(ip, name)) {
            throw new DeviceBusyException("open", 0, ErrorMessages.failed("open(" + name + ")", "an interface named '"
                    + name + "' exists already and CREATE_NEW was asked for (Wintun would rename the other one); pick "
                    + "another name or use CREATE_OR_ATTACH"));
        }
        if (adapter == 0) {
            adapter = wintun.WintunCreateAdapter(name, tunnelType, requested);
            if (adapter == 0) {
                int error = wintun.GetLastError();
                throw WinErrors.of("WintunCreateAdapter(" + name + ")", error, error == WinErrors.ERROR_ACCESS_DENIED
                        ? "creating a Wintun adapter needs Administrator rights: " + WinErrors.ADMIN_FIX
                        : "cannot create the adapter (an old adapter of the same GUID may be left: remove it in "
                                + "Device Manager)");
            }
            created = true;
        }
        long luid;
        try {
            luid = wintun.WintunGetAdapterLUID(adapter);
        } catch (RuntimeException | Error e) {
            wintun.WintunCloseAdapter(adapter);
            throw e;
        }
        java.util.concurrent.atomic.AtomicReference<WintunDevice> self = new java.util.concurrent.atomic.AtomicReference<>();
        WintunChannel channel = WintunChannel.open(wintun, k32, adapter, capacity, name, () -> {
            WintunDevice d = self.get();
            if (d != null) {
                d.events.removed();
            }
        });
        boolean madeHere = created;
        return openConfigured(channel, config, () -> {
            IpInterface ipi = waitForInterface(ip, luid, name);
            UUID guid = guidOf(ip, luid);
            int v = wintun.WintunGetRunningDriverVersion();
            String version = ((v >>> 16) & 0xffff) + "." + (v & 0xffff);
            WintunDevice device = new WintunDevice(name, ipi, guid, version, channel, madeHere);
            self.set(device);
            return device;
        });
    }

    private static boolean aliasExists(IpHelper ip, String name) {
        try (Memory alias = IpInterface.utf16(name)) {
            return ip.ConvertInterfaceAliasToLuid(alias, new LongByReference()) == 0;
        }
    }

    /** A new adapter's IP interface appears a moment after creation: wait for it. */
    private static IpInterface waitForInterface(IpHelper ip, long luid, String name) throws TunTapException {
        long deadline = System.nanoTime() + INTERFACE_WAIT_NANOS;
        while (true) {
            try {
                return IpInterface.ofLuid(ip, luid);
            } catch (DeviceNotFoundException e) {
                if (System.nanoTime() - deadline > 0) {
                    String causeAndFix = "the IP interface of Wintun adapter '" + name + "' did not appear within "
                            + "10 s: TCP/IP may be unbound from it; bind it in the adapter's properties";
                    throw new DeviceNotFoundException("ConvertInterfaceLuidToIndex", e.errorCode(), e.errorCode() == 0
                            ? ErrorMessages.failed("ConvertInterfaceLuidToIndex", causeAndFix)
                            : WinErrors.message("ConvertInterfaceLuidToIndex", e.errorCode(), causeAndFix), e);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static UUID guidOf(IpHelper ip, long luid) throws TunTapException {
        Guid.GUID g = new Guid.GUID();
        int error = ip.ConvertInterfaceLuidToGuid(new LongByReference(luid), g);
        if (error != 0) {
            throw WinErrors.of("ConvertInterfaceLuidToGuid", error, "cannot read the adapter's GUID");
        }
        return TapAdapter.parseGuid(g.toGuidString());
    }

    @Override
    int maxMtu() {
        return WintunLibrary.MAX_IP_PACKET_SIZE;
    }

    @Override
    public long droppedWrites() {
        return channel.droppedWrites();
    }

    /** A Wintun adapter is connected exactly while a session is open: true until closed. */
    @Override
    protected boolean fetchUp() {
        return true;
    }

    @Override
    protected void storeUp(boolean up) throws TunTapException {
        if (!up) {
            throw new UnsupportedFeatureException("setUp", 0, ErrorMessages.failed("setUp(false) on " + name(), "a "
                    + "Wintun adapter is connected exactly while a session is open; close the device to take the link "
                    + "down"));
        }
    }

    @Override
    public String toString() {
        return "WintunDevice[" + name() + ", " + guid() + (isOpen() ? "" : ", closed") + "]";
    }
}
