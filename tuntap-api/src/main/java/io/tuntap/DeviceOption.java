// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import java.util.Objects;

/**
 * A setting that belongs to one backend, such as a Windows driver's ring size: the
 * {@link java.net.SocketOption} pattern. Each backend declares its options as constants in its own package;
 * a {@link DeviceConfig} may carry options of several backends, so that one configuration serves every
 * operating system:
 *
 * <pre>{@code
 * DeviceConfig config = DeviceConfig.tun()
 *         .option(WintunOptions.RING_CAPACITY, 1 << 22)   // read only by the "wintun" provider
 *         .option(LinuxOptions.IO_URING, false)           // read only by the "linux" provider
 *         .build();
 * }</pre>
 *
 * <p>Only the provider that opens the device reads options; it ignores those of other providers. An option
 * that names the opening provider but that the provider does not know (see
 * {@link io.tuntap.spi.TunTapProvider#supportedOptions()}) fails {@link TunTap#open(DeviceConfig)} with
 * {@link InvalidConfigurationException}.
 *
 * <p>Two options are equal when provider, name and type are equal.
 *
 * @param <T> the type of the option's value
 */
public final class DeviceOption<T> {
    private final String provider;
    private final String name;
    private final Class<T> type;

    private DeviceOption(String provider, String name, Class<T> type) {
        this.provider = provider;
        this.name = name;
        this.type = type;
    }

    /**
     * Declares an option.
     *
     * @param <T> the type of the option's value
     * @param provider the name of the provider that reads it ({@link io.tuntap.spi.TunTapProvider#name()})
     * @param name the option's name, unique within the provider, e.g. {@code "ring-capacity"}
     * @param type the type of its value, e.g. {@code Integer.class}
     * @return the option
     */
    public static <T> DeviceOption<T> of(String provider, String name, Class<T> type) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (provider.isBlank() || name.isBlank()) {
            throw new IllegalArgumentException("an option needs a provider name and an option name");
        }
        if (type.isPrimitive()) {
            throw new IllegalArgumentException("option " + provider + "/" + name + ": use the wrapper type, not "
                    + type);
        }
        return new DeviceOption<>(provider, name, type);
    }

    /** {@return the name of the provider that reads this option} */
    public String provider() {
        return provider;
    }

    /** {@return the option's name within its provider} */
    public String name() {
        return name;
    }

    /** {@return the type of the option's value} */
    public Class<T> type() {
        return type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceOption<?> other && provider.equals(other.provider) && name.equals(other.name)
                && type.equals(other.type);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, name, type);
    }

    /** {@code "provider/name"}. */
    @Override
    public String toString() {
        return provider + "/" + name;
    }
}
