// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.DeviceOption;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Options of the {@code "wintun"} provider, for {@link io.tuntap.DeviceConfig.Builder#option}. Other
 * providers ignore them.
 */
public final class WintunOptions {
    private WintunOptions() {
    }

    /**
     * The {@code wintun.dll} to use, by its absolute path (as downloaded from wintun.net; this project ships
     * none); a relative path is refused, since Windows would resolve it against the working directory. It is
     * honoured whether or not a default DLL exists. Without it the provider uses {@code -Dtuntap.wintun.library}
     * (also absolute), else a {@code wintun.dll} next to {@code java.exe} or in System32; never one found
     * through the working directory or {@code PATH}. One DLL per process: once a DLL is bound, naming another
     * fails with {@link io.tuntap.InvalidConfigurationException}, which names both; naming the same one, or none,
     * uses it.
     */
    public static final DeviceOption<Path> LIBRARY = DeviceOption.of(WintunProvider.NAME, "library", Path.class);

    /**
     * Bytes per ring of the session: a power of two from 128 KiB (0x20000) to 64 MiB (0x4000000); default
     * 4 MiB.
     */
    public static final DeviceOption<Integer> RING_CAPACITY =
            DeviceOption.of(WintunProvider.NAME, "ring-capacity", Integer.class);

    /** The tunnel type shown for the adapter (Wintun's {@code TunnelType}); default {@code "tuntap"}. */
    public static final DeviceOption<String> TUNNEL_TYPE =
            DeviceOption.of(WintunProvider.NAME, "tunnel-type", String.class);

    /**
     * The GUID a created adapter gets: a stable one keeps Windows' network profile (firewall category) across
     * runs. Default: Wintun picks one.
     */
    public static final DeviceOption<UUID> ADAPTER_GUID = DeviceOption.of(WintunProvider.NAME, "adapter-guid", UUID.class);
}
