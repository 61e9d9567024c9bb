// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.spi.Availability;
import io.tuntap.spi.HostOs;
import io.tuntap.spi.TunTapProvider;
import java.util.Set;

/**
 * The Linux provider, found with {@link java.util.ServiceLoader}. Its constructor is cheap and loads no
 * native code, so it is harmless on other systems, where it reports itself unavailable.
 */
public final class LinuxTunTapProvider implements TunTapProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public LinuxTunTapProvider() {
    }

    @Override
    public String name() {
        return "linux";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        if (HostOs.current() != HostOs.LINUX) {
            return Availability.unavailable("not Linux: os.name=" + System.getProperty("os.name"));
        }
        return LinuxProbe.RESULT.availability;
    }

    @Override
    public Set<Capability> capabilities() {
        return availability().isAvailable() ? LinuxProbe.RESULT.capabilities : Set.of();
    }

    @Override
    public TunTapDevice open(DeviceConfig config) throws TunTapException {
        availability().ensureAvailable(name());
        LinuxProbe probe = LinuxProbe.RESULT;
        if (probe.accessErrno != 0) {
            // Access may have been granted since this process first looked.
            probe = LinuxProbe.probe(probe.libc);
            if (probe.accessErrno != 0) {
                throw LinuxProbe.cloneDeviceDenied(probe.libc, probe.accessErrno);
            }
        }
        return new LinuxDeviceOpener(probe.libc, probe.capabilities).open(config);
    }
}
