// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import java.util.Set;

/**
 * A backend that opens TUN/TAP devices on some operating system. Found with {@link java.util.ServiceLoader};
 * register an implementation both in {@code module-info} ({@code provides io.tuntap.spi.TunTapProvider with
 * ...}) and in {@code META-INF/services/io.tuntap.spi.TunTapProvider}.
 *
 * <p>The public no-argument constructor must be cheap and must not load native code: a provider for another
 * OS is instantiated on every system. Native libraries are loaded only by {@link #availability()} once the
 * OS matches.
 */
public interface TunTapProvider {

    /** A short unique name, such as {@code "linux"}, used by {@code -Dtuntap.provider=NAME}. */
    String name();

    /** Among available providers, the highest priority wins. Built-in providers use 100. */
    int priority();

    /** Whether this provider can open devices here. Computed once and cached by the implementation. */
    Availability availability();

    /** What devices from this provider can do here; empty if unavailable. */
    Set<Capability> capabilities();

    /**
     * Opens a device as configured. The returned object implements {@link io.tuntap.TunDevice} or
     * {@link io.tuntap.TapDevice} according to {@link DeviceConfig#mode()}.
     *
     * <p>On failure nothing is left behind: no open handle, and no interface that this call created.
     */
    TunTapDevice open(DeviceConfig config) throws TunTapException;
}
