// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import io.tuntap.internal.ProviderSelector;
import io.tuntap.spi.TunTapProvider;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
 * tap-windows6), and {@link #open(DeviceConfig)} uses the available provider of highest priority that serves
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

    /** Opens a TUN device as configured; the configuration's mode must be {@link DeviceMode#TUN}. */
    public static TunDevice openTun(DeviceConfig config) throws TunTapException {
        requireMode(config, DeviceMode.TUN);
        return (TunDevice) open(config);
    }

    /** Opens a TAP device as configured; the configuration's mode must be {@link DeviceMode#TAP}. */
    public static TapDevice openTap(DeviceConfig config) throws TunTapException {
        requireMode(config, DeviceMode.TAP);
        return (TapDevice) open(config);
    }

    /**
     * Opens (creating if needed) a TUN device, up, with no address.
     *
     * @param name the interface name, or null to let the system choose
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
     * The provider that {@link #open(DeviceConfig)} uses for devices of this mode.
     *
     * @throws NoProviderException if none can serve; its message is the diagnostics report
     */
    public static TunTapProvider provider(DeviceMode mode) throws NoProviderException {
        return selector().select(Objects.requireNonNull(mode, "mode"));
    }

    /** Every provider found, available or not. */
    public static List<TunTapProvider> providers() {
        return selector().providers();
    }

    /**
     * The TUN and TAP devices that exist on this system, made by this library or by other programs, as listed
     * by every available provider.
     *
     * @throws TunTapException if a provider fails to list its devices
     */
    public static List<DeviceInfo> devices() throws TunTapException {
        return selector().devices();
    }

    /**
     * A report of every provider found, whether it can serve here and why, its capabilities per mode, and
     * which provider serves each mode.
     */
    public static String diagnostics() {
        return selector().report();
    }

    private static ProviderSelector selector() {
        return ProviderSelector.load(TunTap.class.getClassLoader());
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
