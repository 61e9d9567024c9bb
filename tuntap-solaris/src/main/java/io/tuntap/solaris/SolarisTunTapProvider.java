// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.spi.Availability;
import io.tuntap.spi.ConfigChecks;
import io.tuntap.spi.TunTapProvider;
import java.util.List;
import java.util.Set;

/**
 * The Solaris and illumos provider ("solaris"), found with {@link java.util.ServiceLoader}. It drives the
 * third-party STREAMS tun/tap driver. Its constructor is cheap and loads no native code, so it is harmless on
 * other systems, where it reports itself unavailable and says why.
 */
public final class SolarisTunTapProvider implements TunTapProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public SolarisTunTapProvider() {
    }

    @Override
    public String name() {
        return "solaris";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        String osName = System.getProperty("os.name", "");
        if (!SolarisProbe.isSunOs(osName)) {
            return SolarisProbe.notSunOs(osName);
        }
        return SolarisProbe.RESULT.availability;
    }

    @Override
    public Set<Capability> capabilities(DeviceMode mode) {
        return availability().isAvailable() ? SolarisProbe.RESULT.capabilities(mode) : Set.of();
    }

    /** The plumbed {@code tunN} and {@code tapN} interfaces, from the system's interface list (SIOCGLIFCONF). */
    @Override
    public List<DeviceInfo> devices() throws TunTapException {
        if (!availability().isAvailable()) {
            return List.of();
        }
        return SolarisDevices.list(SolarisProbe.RESULT.kernel, name());
    }

    /** The routing table: the default route from IP's MIB interface, changes over a routing socket. */
    @Override
    public io.tuntap.spi.SystemRouteTable routeTable() throws TunTapException {
        availability().ensureAvailable(name());
        return new SolarisSystemRouteTable(SolarisProbe.RESULT.kernel);
    }

    @Override
    public TunTapDevice open(DeviceConfig config) throws TunTapException {
        availability().ensureAvailable(name());
        ConfigChecks.check(config, name(), capabilities(config.mode()), supportedOptions());
        return new SolarisDeviceOpener(SolarisProbe.RESULT.kernel).open(config);
    }
}
