// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import io.tuntap.internal.ProviderSelector;
import io.tuntap.spi.SystemRouteTable;
import io.tuntap.spi.TunTapProvider;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The entry point: opens TUN and TAP devices through the backend for this operating system.
 *
 * <pre>{@code
 * try (TunDevice tun = TunTap.openTun(DeviceConfig.tun().name("tun7").address("10.7.0.1/24").build())) {
 *     ByteBuffer packet = ByteBuffer.allocateDirect(65535);
 *     int length = tun.read(packet);
 *     ...
 * }
 * }</pre>
 *
 * <p>Backends are found with {@link java.util.ServiceLoader}. A provider states what it can do per
 * {@link DeviceMode} (Windows serves TUN with Wintun and TAP with
 * tap-windows6; macOS serves TUN with utun and TAP with a {@code feth} interface pair read and written through
 * BPF, both from the one {@code "macos-utun"} provider), and {@link #open(DeviceConfig)} uses the available provider of highest priority that serves
 * the configuration's mode. {@code -Dtuntap.provider=NAME} forces one, {@code -Dtuntap.disable.NAME=true}
 * skips one, and {@link #diagnostics()} says what was found, which provider serves each mode, and why each
 * can or cannot serve. The choice is also logged through {@link System.Logger} ({@code io.tuntap}).
 */
public final class TunTap {
    private TunTap() {
    }

    /**
     * Opens a device as configured, with the provider chosen for the configuration's mode.
     *
     * @param config what to open: mode, name, addresses, routes, options
     * @return a {@link TunDevice} or a {@link TapDevice}, according to the configuration's mode
     * @throws NoProviderException if no backend can serve this mode on this system
     * @throws InvalidConfigurationException if the configuration sets an option of the chosen provider that
     *     it does not know
     * @throws TunTapException if opening or configuring fails; nothing is left behind
     */
    public static TunTapDevice open(DeviceConfig config) throws TunTapException {
        Objects.requireNonNull(config, "config");
        return provider(config.mode()).open(config);
    }

    /**
     * Opens a TUN device as configured; the configuration's mode must be {@link DeviceMode#TUN}.
     *
     * @param config a TUN configuration
     * @return the open device
     * @throws InvalidConfigurationException if the configuration is for TAP
     * @throws TunTapException as {@link #open(DeviceConfig)} throws
     */
    public static TunDevice openTun(DeviceConfig config) throws TunTapException {
        requireMode(config, DeviceMode.TUN);
        return (TunDevice) open(config);
    }

    /**
     * Opens a TAP device as configured; the configuration's mode must be {@link DeviceMode#TAP}.
     *
     * @param config a TAP configuration
     * @return the open device
     * @throws InvalidConfigurationException if the configuration is for TUN
     * @throws TunTapException as {@link #open(DeviceConfig)} throws
     */
    public static TapDevice openTap(DeviceConfig config) throws TunTapException {
        requireMode(config, DeviceMode.TAP);
        return (TapDevice) open(config);
    }

    /**
     * Opens (creating if needed) a TUN device, up, with no address.
     *
     * @param name the interface name, or null to let the system choose
     * @return the open device
     * @throws TunTapException as {@link #open(DeviceConfig)} throws
     */
    public static TunDevice openTun(String name) throws TunTapException {
        DeviceConfig.Builder b = DeviceConfig.tun();
        if (name != null) {
            b.name(name);
        }
        return openTun(b.build());
    }

    /**
     * Opens (creating if needed) a TAP device, up, with no address.
     *
     * @param name the interface name, or null to let the system choose
     * @return the open device
     * @throws TunTapException as {@link #open(DeviceConfig)} throws
     */
    public static TapDevice openTap(String name) throws TunTapException {
        DeviceConfig.Builder b = DeviceConfig.tap();
        if (name != null) {
            b.name(name);
        }
        return openTap(b.build());
    }

    /**
     * What devices of this mode can do here, with the provider {@link #open(DeviceConfig)} would use: for sizing
     * {@code queues(n)}, say, before opening. A device's own {@link TunTapDevice#capabilities()} may say less
     * (an attached device, for one).
     *
     * @param mode the device mode
     * @return the capabilities; empty if the provider cannot serve the mode
     * @throws NoProviderException if no provider can serve this mode here; its message is the diagnostics report
     */
    public static Set<Capability> capabilities(DeviceMode mode) throws NoProviderException {
        return provider(mode).capabilities(mode);
    }

    /**
     * Takes over an open TUN or TAP descriptor made elsewhere: by a privileged launcher that passed it over a
     * Unix socket (see {@link DeviceHandoff}, which does the passing too), by a service manager, or by
     * Android's {@code VpnService}. The device learns what it can from the descriptor (on Linux: name, TUN or
     * TAP, multi-queue and virtio-net header flags, with {@code TUNGETIFF}) and then behaves as one this
     * library opened: packets, configuration, events, {@code close()}. The Linux backend, the FreeBSD one (tun
     * and tap: the name with {@code TUNGIFNAME}, the mode from whether {@code TUNGIFHEAD} is answered) and the
     * macOS one (a utun control socket: the name with {@code UTUN_OPT_IFNAME}) offer {@link Capability#ADOPT};
     * OpenBSD and NetBSD do not yet.
     *
     * <p><b>Ownership.</b> The device owns the descriptor: its {@link TunTapDevice#close()} closes it, and
     * the caller must not use or close it after this call succeeds. Where other processes hold the same open
     * file (the launcher that made it), the interface lives on until they close theirs too. The descriptor is
     * made non-blocking and close-on-exec. If this call fails, it is left open and unchanged, still the
     * caller's.
     *
     * <p>Configuring the interface (addresses, routes, MTU) still needs the system's privilege; reading and
     * writing packets needs none. An unprivileged program therefore typically leaves the configuration to
     * whoever made the device.
     *
     * @param fd the open descriptor
     * @return a {@link TunDevice} or a {@link TapDevice}, as the descriptor is
     * @throws InvalidDescriptorException if {@code fd} is not open, or not a TUN/TAP descriptor attached to an
     *     interface that this backend can use (a pipe, a socket, {@code /dev/null}); the message says which
     * @throws NoProviderException if no backend here offers {@link Capability#ADOPT}
     * @throws TunTapException if the interface cannot be reached
     */
    public static TunTapDevice adopt(int fd) throws TunTapException {
        return providerFor(Capability.ADOPT, "TunTap.adopt").adopt(new int[] {fd});
    }

    /**
     * The default route of the system's main routing table for one family, as it is now: its gateway,
     * interface and metric. Where there are several (policy routing, a second uplink), the one of lowest
     * metric in the main table, which is the one the system uses for packets without a rule of their own.
     * Read in the calling thread's network namespace where the system has them.
     *
     * <p>A VPN client reads it before routing everything into the tunnel, to keep the route to its server on
     * the original path: {@code tun.addBypassRoute(TunTap.defaultRoute(INET).orElseThrow().to(server))}.
     *
     * @param family {@link StandardProtocolFamily#INET} or {@link StandardProtocolFamily#INET6}
     * @return the route, or empty where that family has no default route
     * @throws NoProviderException if no backend here offers {@link Capability#BYPASS_ROUTES}
     * @throws TunTapException if the routing table cannot be read
     */
    public static Optional<SystemRoute> defaultRoute(StandardProtocolFamily family) throws TunTapException {
        Objects.requireNonNull(family, "family");
        if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new IllegalArgumentException("family " + family + " has no routes: use INET or INET6");
        }
        try (SystemRouteTable table = providerFor(Capability.BYPASS_ROUTES,
                "TunTap.defaultRoute")
                .routeTable()) {
            return table.defaultRoute(family);
        }
    }

    /**
     * The provider that {@link #open(DeviceConfig)} uses for devices of this mode.
     *
     * @param mode TUN or TAP
     * @return the available provider of highest priority for the mode, or the one {@code -Dtuntap.provider} names
     * @throws NoProviderException if none can serve; its message is the diagnostics report
     */
    public static TunTapProvider provider(DeviceMode mode) throws NoProviderException {
        return selector().select(Objects.requireNonNull(mode, "mode"));
    }

    /** {@return every provider found, available or not} */
    public static List<TunTapProvider> providers() {
        return selector().providers();
    }

    /**
     * The TUN and TAP devices that exist on this system, made by this library or by other programs, as listed
     * by every available provider.
     *
     * @return the devices, provider by provider
     * @throws TunTapException if a provider fails to list its devices
     */
    public static List<DeviceInfo> devices() throws TunTapException {
        return selector().devices();
    }

    /**
     * A report of every provider found, whether it can serve here and why, its capabilities per mode, and
     * which provider serves each mode.
     *
     * @return the report, several lines of text
     */
    public static String diagnostics() {
        return selector().report();
    }

    /** The provider for a call that needs a capability in any mode. */
    static TunTapProvider providerFor(Capability capability, String call) throws NoProviderException {
        return selector().selectFor(capability, call);
    }

    private static ProviderSelector selector() {
        return Providers.SELECTOR;
    }

    /**
     * The providers, found once, on first use: finding them again on every call would scan the class path
     * each time and need file descriptors, which a process at its descriptor limit does not have, so that
     * an open at that limit would report "no provider" instead of the open's own EMFILE.
     */
    private static final class Providers {
        static final ProviderSelector SELECTOR = ProviderSelector.load(TunTap.class.getClassLoader());

        private Providers() {
        }
    }

    private static void requireMode(DeviceConfig config, DeviceMode mode) throws InvalidConfigurationException {
        Objects.requireNonNull(config, "config");
        if (config.mode() != mode) {
            throw new InvalidConfigurationException("TunTap.open" + (mode == DeviceMode.TUN ? "Tun" : "Tap"), 0,
                    "the configuration is for a " + config.mode() + " device; build it with DeviceConfig."
                            + mode.name().toLowerCase(Locale.ROOT) + "()");
        }
    }
}
