// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.DeviceOption;

/**
 * Options of the {@code "tap-windows6"} provider, for {@link io.tuntap.DeviceConfig.Builder#option}. Other
 * providers ignore them, so one configuration serves every OS.
 */
public final class TapWindowsOptions {
    private TapWindowsOptions() {
    }

    /**
     * The component ids of the drivers to use, comma-separated, in order of preference; default
     * {@code "tap0901,tuntap6"} (OpenVPN's driver, then the project's). A {@code root\} prefix is ignored.
     */
    public static final DeviceOption<String> COMPONENT_IDS =
            DeviceOption.of(TapWindowsProvider.NAME, "component-ids", String.class);

    /**
     * Whether to create an adapter when no free one exists (needs Administrator rights; the adapter stays
     * installed after close). Default false.
     */
    public static final DeviceOption<Boolean> CREATE_ADAPTER =
            DeviceOption.of(TapWindowsProvider.NAME, "create-adapter", Boolean.class);
}
