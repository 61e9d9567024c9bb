// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceOption;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.spi.Availability;
import io.tuntap.spi.ConfigChecks;
import io.tuntap.spi.TunTapProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code "tap-windows6"} provider: TAP devices, and TUN devices through the driver's {@code CONFIG_TUN},
 * on adapters of OpenVPN's {@code tap0901}, the project's {@code tuntap6}, or any driver with the same ABI
 * ({@link TapWindowsOptions#COMPONENT_IDS}). Found with {@link java.util.ServiceLoader}; its constructor is
 * cheap and loads no native code, so it is harmless on other systems, where it reports why it cannot serve.
 */
public final class TapWindowsProvider implements TunTapProvider {
    /** The provider's name, for {@code -Dtuntap.provider} and {@link io.tuntap.DeviceOption}s. */
    public static final String NAME = "tap-windows6";

    private final WindowsPlatform testPlatform;
    private volatile Availability availability;

    /** Called by {@link java.util.ServiceLoader}. */
    public TapWindowsProvider() {
        this.testPlatform = null;
    }

    /** A provider over given bindings, for tests. */
    TapWindowsProvider(WindowsPlatform platform) {
        this.testPlatform = platform;
    }

    private WindowsPlatform platform() {
        return testPlatform != null ? testPlatform : WindowsPlatform.Real.INSTANCE;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            a = probe();
            availability = a;
        }
        return a;
    }

    private Availability probe() {
        String unsupported = testPlatform == null ? WindowsPlatform.unsupportedReason() : null;
        if (unsupported != null) {
            return Availability.unavailable(unsupported);
        }
        WindowsPlatform p = platform();
        if (p.problem() != null) {
            return Availability.unavailable(p.problem());
        }
        try {
            List<TapAdapter> adapters = TapAdapters.find(p.adapters(),
                    TapAdapters.componentIds(TapAdapters.DEFAULT_COMPONENT_IDS));
            if (adapters.isEmpty()) {
                return Availability.unavailable("no tap0901 or tuntap6 adapter is installed: " + TapAdapters.HOW_TO_GET
                        + ". The project's own driver (tuntap6) is test-signed only: it loads only on machines in test "
                        + "mode (bcdedit /set testsigning on, Secure Boot off)");
            }
            String found = "TAP and TUN (CONFIG_TUN) on " + adapters.size() + " adapter(s): "
                    + TapAdapters.describe(adapters);
            String notElevated = Elevation.notElevatedReason(p.elevation(), found);
            return notElevated != null ? Availability.attachOnly(notElevated) : Availability.available(found);
        } catch (TunTapException e) {
            return Availability.unavailable("cannot list the network adapters: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<Capability> capabilities(DeviceMode mode) {
        return availability().isAvailable() ? TapWindowsDevice.capabilities(mode) : Set.of();
    }

    @Override
    public Set<DeviceOption<?>> supportedOptions() {
        return Set.of(TapWindowsOptions.COMPONENT_IDS, TapWindowsOptions.CREATE_ADAPTER);
    }

    @Override
    public List<DeviceInfo> devices() throws TunTapException {
        if (!availability().isAvailable()) {
            return List.of();
        }
        WindowsPlatform p = platform();
        List<DeviceInfo> result = new ArrayList<>();
        for (TapAdapter a : TapAdapters.find(p.adapters(), TapAdapters.componentIds(TapAdapters.DEFAULT_COMPONENT_IDS))) {
            LongByReference luid = new LongByReference();
            IntByReference index = new IntByReference();
            int i = p.ip().ConvertInterfaceGuidToLuid(IpInterface.guid(a.guid()), luid) == 0
                    && p.ip().ConvertInterfaceLuidToIndex(luid, index) == 0 ? index.getValue() : 0;
            result.add(new DeviceInfo(a.name() != null ? a.name() : a.guidText(), i, DeviceMode.TAP, NAME));
        }
        return result;
    }

    /**
     * Creates a root-enumerated adapter of an installed tap-windows6-compatible driver, as OpenVPN's
     * {@code tapctl create} does (SetupAPI and {@code newdev.dll}; Administrator). It stays installed.
     *
     * @param componentId e.g. {@code "tap0901"} or {@code "tuntap6"}
     * @return the new adapter's {@code NetCfgInstanceId}
     * @throws io.tuntap.DevicePermissionException without Administrator rights
     */
    public java.util.UUID createAdapter(String componentId) throws TunTapException {
        availabilityForManagement();
        return TapAdapters.create(platform().adapters(), TapAdapters.componentIds(componentId).get(0)).guid();
    }

    /**
     * Removes an adapter ({@code DIF_REMOVE}; Administrator).
     *
     * @throws io.tuntap.DeviceNotFoundException if there is no such adapter
     */
    public void removeAdapter(java.util.UUID guid) throws TunTapException {
        availabilityForManagement();
        String g = new TapAdapter(guid, "", null).guidText();
        try {
            platform().adapters().removeAdapter(g);
        } catch (io.tuntap.windows.win32.NetAdapterRegistry.Failure f) {
            throw WinErrors.of(f.call(), f.code(), f.code() == WinErrors.ERROR_ACCESS_DENIED
                    ? "removing an adapter needs Administrator rights: " + WinErrors.ADMIN_FIX
                    : "cannot remove adapter " + g);
        }
    }

    /** Adapters can be managed wherever the bindings load, even with none installed yet. */
    private void availabilityForManagement() throws TunTapException {
        String unsupported = testPlatform == null ? WindowsPlatform.unsupportedReason() : null;
        String problem = unsupported != null ? unsupported : platform().problem();
        if (problem != null) {
            throw new io.tuntap.UnsupportedFeatureException("createAdapter", 0, problem);
        }
    }

    @Override
    public TunTapDevice open(DeviceConfig config) throws TunTapException {
        availability().ensureAvailable(name());
        ConfigChecks.check(config, name(), capabilities(config.mode()), supportedOptions());
        WindowsPlatform p = platform();
        return TapAdapters.open(p.adapters(), config, adapter -> TapWindowsDevice.open(p.k32(), p.ip(), adapter, config));
    }

    /** The system's routing table through IP Helper ({@code GetIpForwardTable2}, {@code CreateIpForwardEntry2}). */
    @Override
    public io.tuntap.spi.SystemRouteTable routeTable() throws TunTapException {
        availability().ensureAvailable(name());
        return new WindowsRouteTable(platform().ip());
    }
}
