// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceOption;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.spi.Availability;
import io.tuntap.spi.IsolatedNetwork;
import io.tuntap.spi.ConfigChecks;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.HostOs;
import io.tuntap.spi.SystemRouteTable;
import io.tuntap.spi.TunTapProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
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

    /** {@link LinuxOptions#IO_URING}. */
    @Override
    public Set<DeviceOption<?>> supportedOptions() {
        return Set.of(LinuxOptions.IO_URING);
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

    /**
     * What the kernel's tun driver offers for this mode. Where this process may not open {@code /dev/net/tun}
     * (the driver exists but its node is not readable and writable), the driver cannot be asked: then both modes
     * are claimed with nothing else, so that this provider is still chosen and {@link #open} reports the
     * permission problem and its fix instead of "no provider".
     */
    @Override
    public Set<Capability> capabilities(DeviceMode mode) {
        if (!availability().isAvailable()) {
            return Set.of();
        }
        LinuxProbe probe = LinuxProbe.RESULT;
        if (probe.accessErrno != 0) {
            // Taking over a descriptor and reading routes need no access to /dev/net/tun.
            return Set.of(mode == DeviceMode.TUN ? Capability.TUN : Capability.TAP, Capability.ADOPT,
                    Capability.BYPASS_ROUTES);
        }
        return forMode(probe.capabilities, mode);
    }

    /** The kernel's capabilities as they apply to devices of one mode; empty if the driver lacks the mode. */
    static Set<Capability> forMode(Set<Capability> kernel, DeviceMode mode) {
        Capability own = mode == DeviceMode.TUN ? Capability.TUN : Capability.TAP;
        if (!kernel.contains(own)) {
            return Set.of();
        }
        Set<Capability> caps = EnumSet.copyOf(kernel);
        caps.remove(mode == DeviceMode.TUN ? Capability.TAP : Capability.TUN);
        if (mode == DeviceMode.TUN) {
            caps.remove(Capability.SET_MAC_ADDRESS);
        }
        return Set.copyOf(caps);
    }

    /** The TUN and TAP devices of the calling thread's network namespace, whoever made them. */
    @Override
    public List<DeviceInfo> devices() throws TunTapException {
        if (!availability().isAvailable()) {
            return List.of();
        }
        return LinuxDevices.list(LinuxProbe.RESULT.libc, name());
    }

    /**
     * Takes over {@code /dev/net/tun} descriptors, learning name and flags with {@code TUNGETIFF}; needs no
     * access to {@code /dev/net/tun} and no privilege.
     */
    @Override
    public TunTapDevice adopt(int[] fds) throws TunTapException {
        availability().ensureAvailable(name());
        return new LinuxAdopter(LinuxProbe.RESULT.libc).adopt(fds);
    }

    /** Passes every queue's descriptor over a Unix socket ({@code SCM_RIGHTS}). */
    @Override
    public void send(TunTapDevice device, Path socket, Duration timeout) throws TunTapException {
        availability().ensureAvailable(name());
        LinuxDevice linux = device.extension(LinuxDevice.class).orElseThrow(() -> new InvalidConfigurationException(
                "DeviceHandoff.send", 0, ErrorMessages.failed("DeviceHandoff.send(" + device.name() + ")",
                        device.name() + " is not a device of the Linux backend (" + device.getClass().getName()
                                + "); send a device that TunTap opened or adopted")));
        LinuxHandoff.send(linux, socket, timeout);
    }

    /** Receives descriptors over a Unix socket ({@code SCM_RIGHTS}) and adopts them. */
    @Override
    public TunTapDevice receive(Path socket, Duration timeout) throws TunTapException {
        availability().ensureAvailable(name());
        return LinuxHandoff.receive(LinuxProbe.RESULT.libc, socket, timeout);
    }

    /** The main routing table of the calling thread's network namespace, over rtnetlink. */
    @Override
    public SystemRouteTable routeTable() throws TunTapException {
        availability().ensureAvailable(name());
        return LinuxRouteTable.open(LinuxProbe.RESULT.libc);
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
        Set<Capability> caps = forMode(probe.capabilities, config.mode());
        ConfigChecks.check(config, name(), caps, supportedOptions());
        return new LinuxDeviceOpener(probe.libc, caps).open(config);
    }

    /** A new network namespace ({@link LinuxNetworkNamespace#create()}). */
    @Override
    public IsolatedNetwork openIsolatedNetwork() throws TunTapException {
        availability().ensureAvailable(name());
        return LinuxNetworkNamespace.create();
    }
}
