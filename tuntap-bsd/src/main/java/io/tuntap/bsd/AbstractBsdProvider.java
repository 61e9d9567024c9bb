// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.spi.Availability;
import io.tuntap.spi.HostOs;
import io.tuntap.spi.TunTapProvider;
import java.util.List;
import java.util.Set;

/**
 * The shared part of the per-OS providers. The constructor is cheap and loads no native code; the probe runs
 * once, on the first {@link #availability()} call on the matching system.
 */
abstract class AbstractBsdProvider implements TunTapProvider {
    private final HostOs hostOs;
    private final String osName;
    private final BsdSystem system;
    private volatile BsdProbe probe;

    AbstractBsdProvider(HostOs hostOs, String osName, BsdSystem system) {
        this.hostOs = hostOs;
        this.osName = osName;
        this.system = system;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        return availability(HostOs.current());
    }

    /** The availability as it would be on {@code current}; visible for tests. */
    Availability availability(HostOs current) {
        if (current != hostOs) {
            return Availability.unavailable("not " + osName + ": os.name=" + System.getProperty("os.name")
                    + "; the '" + name() + "' provider serves " + osName + " only"
                    + (current.backendArtifact() == null ? "" : " (on this system: " + current.backendArtifact() + ")"));
        }
        return probe().availability;
    }

    private BsdProbe probe() {
        BsdProbe p = probe;
        if (p == null) {
            synchronized (this) {
                p = probe;
                if (p == null) {
                    p = BsdProbe.probe(system.abi);
                    probe = p;
                }
            }
        }
        return p;
    }

    @Override
    public Set<Capability> capabilities(DeviceMode mode) {
        return availability().isAvailable() ? system.capabilities(mode) : Set.of();
    }

    @Override
    public List<DeviceInfo> devices() throws TunTapException {
        if (!availability().isAvailable()) {
            return List.of();
        }
        return BsdTunTapDevice.list(probe().context, name());
    }

    @Override
    public TunTapDevice open(DeviceConfig config) throws TunTapException {
        availability().ensureAvailable(name());
        return BsdTunTapDevice.open(probe().context, system, name(), config);
    }

    /**
     * Takes over a tun or tap descriptor (a utun control socket on macOS), learning name and mode from it; see
     * {@link BsdAdopter} for what each system answers.
     */
    @Override
    public TunTapDevice adopt(int[] fds) throws TunTapException {
        availability().ensureAvailable(name());
        return BsdAdopter.adopt(probe().context, system, fds);
    }

    /**
     * Sends the device's descriptor over a Unix socket ({@code SCM_RIGHTS}, {@link BsdHandoff}). A macOS TAP
     * (a feth pair read through BPF) has no descriptor another process could adopt, and is refused.
     */
    @Override
    public void send(TunTapDevice device, java.nio.file.Path socket, java.time.Duration timeout)
            throws TunTapException {
        availability().ensureAvailable(name());
        if (!(device instanceof BsdTunTapDevice bsd) || bsd.context().abi != system.abi) {
            throw new io.tuntap.InvalidConfigurationException("DeviceHandoff.send", 0, io.tuntap.spi.ErrorMessages
                    .failed("DeviceHandoff.send(" + device.name() + ")", device.name() + " is not a device of the "
                            + osName + " backend (" + device.getClass().getName() + "); send a device that TunTap "
                            + "opened or adopted"));
        }
        if (!system.capabilities(device.mode()).contains(Capability.ADOPT)) {
            throw io.tuntap.spi.ErrorMessages.unsupported("DeviceHandoff.send", device.name(), Capability.ADOPT,
                    "a " + osName + " " + device.mode() + " device cannot be handed to another process: its "
                            + "descriptor is not one another process could adopt");
        }
        BsdHandoff.send(probe().context, bsd, socket, timeout);
    }

    /** Receives a descriptor over a Unix socket ({@code SCM_RIGHTS}) and adopts it ({@link BsdHandoff}). */
    @Override
    public TunTapDevice receive(java.nio.file.Path socket, java.time.Duration timeout) throws TunTapException {
        availability().ensureAvailable(name());
        return BsdHandoff.receive(probe().context, system, socket, timeout);
    }

    /** The routing table over {@code PF_ROUTE} ({@code NET_RT_DUMP}, {@code RTM_ADD}, {@code RTM_DELETE}). */
    @Override
    public io.tuntap.spi.SystemRouteTable routeTable() throws TunTapException {
        availability().ensureAvailable(name());
        return new BsdRouteTable(probe().context);
    }

    /** The per-OS rules; visible for tests. */
    BsdSystem system() {
        return system;
    }

    /** The ABI of this provider's system. */
    BsdAbi abi() {
        return system.abi;
    }
}
