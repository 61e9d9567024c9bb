// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.OpenPolicy;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.windows.win32.NetAdapterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Finding the tap-windows6-compatible adapters of the system, choosing one for a configuration, and
 * creating one when asked.
 */
final class TapAdapters {
    static final String DEFAULT_COMPONENT_IDS = "tap0901,tuntap6";
    static final String HOW_TO_GET = "install OpenVPN's TAP-Windows6 driver (the 'TAP Virtual Ethernet Adapter' "
            + "of the OpenVPN installer, or tap-windows6's own installer), which creates an adapter; more adapters: "
            + "OpenVPN's 'tapctl create --hwid root\\tap0901' as Administrator, or TapWindowsOptions.CREATE_ADAPTER";

    private TapAdapters() {
    }

    /** The component ids to accept, lower case, without {@code root\}. */
    static List<String> componentIds(String option) {
        List<String> ids = new ArrayList<>();
        for (String id : option.split(",")) {
            String t = id.trim().toLowerCase(Locale.ROOT);
            if (t.startsWith("root\\")) {
                t = t.substring(5);
            }
            if (!t.isEmpty()) {
                ids.add(t);
            }
        }
        return ids;
    }

    /** The adapters of these drivers, in the order of {@code ids}, each with its connection name. */
    static List<TapAdapter> find(NetAdapterRegistry registry, List<String> ids) throws TunTapException {
        List<TapAdapter> found = new ArrayList<>();
        try {
            List<NetAdapterRegistry.Entry> entries = registry.adapters();
            for (String id : ids) {
                for (NetAdapterRegistry.Entry e : entries) {
                    String c = e.componentId().toLowerCase(Locale.ROOT);
                    if ((c.equals(id) || c.equals("root\\" + id)) && e.netCfgInstanceId() != null) {
                        found.add(new TapAdapter(TapAdapter.parseGuid(e.netCfgInstanceId()), e.componentId(),
                                registry.connectionName(e.netCfgInstanceId())));
                    }
                }
            }
            return found;
        } catch (NetAdapterRegistry.Failure f) {
            throw WinErrors.of(f.call(), f.code(), "cannot list the network adapters");
        }
    }

    /** What opens one adapter. */
    @FunctionalInterface
    interface Opener {
        TunTapDevice open(TapAdapter adapter) throws TunTapException;
    }

    /**
     * Opens the adapter the configuration names (its connection name or {@code {GUID}}), or else the first
     * free one, creating one if allowed and none is free.
     */
    static TunTapDevice open(NetAdapterRegistry registry, DeviceConfig config, Opener opener) throws TunTapException {
        String option = config.option(TapWindowsOptions.COMPONENT_IDS).orElse(DEFAULT_COMPONENT_IDS);
        List<String> ids = componentIds(option);
        List<TapAdapter> adapters = find(registry, ids);
        if (config.name().isPresent()) {
            String wanted = config.name().get();
            for (TapAdapter a : adapters) {
                if (wanted.equalsIgnoreCase(a.name()) || wanted.equalsIgnoreCase(a.guidText())) {
                    if (config.openPolicy() == OpenPolicy.CREATE_NEW) {
                        throw new DeviceBusyException("open", 0, ErrorMessages.failed("open(" + wanted + ")",
                                "adapter '" + wanted + "' exists already and CREATE_NEW was asked for; use "
                                + "CREATE_OR_ATTACH to open it"));
                    }
                    return opener.open(a);
                }
            }
            throw new DeviceNotFoundException("open", 0, ErrorMessages.failed("open(" + wanted + ")", "no "
                    + String.join("/", ids) + " adapter is named '" + wanted + "'; there are: " + describe(adapters)
                    + ". Name an existing adapter (its connection name or {GUID}), leave the name unset to take a "
                    + "free one, or " + HOW_TO_GET));
        }
        DeviceBusyException busy = null;
        for (TapAdapter a : adapters) {
            try {
                return opener.open(a);
            } catch (DeviceBusyException e) {
                busy = e; // in use by another program: try the next one
            } catch (DeviceNotFoundException e) {
                // disabled, or removed since it was listed: try the next one
            }
        }
        if (config.option(TapWindowsOptions.CREATE_ADAPTER).orElse(false)) {
            return opener.open(create(registry, ids.get(0)));
        }
        String message = ErrorMessages.failed("open",
                (adapters.isEmpty() ? "no " + String.join("/", ids) + " adapter is installed"
                : "every " + String.join("/", ids) + " adapter is in use (" + describe(adapters) + ")")
                + "; " + HOW_TO_GET);
        throw busy != null ? new DeviceBusyException("open", 0, message, busy)
                : new DeviceNotFoundException("open", 0, message);
    }

    /** Creates an adapter of {@code componentId} (Administrator). */
    static TapAdapter create(NetAdapterRegistry registry, String componentId) throws TunTapException {
        String hardwareId = "root\\" + componentId;
        try {
            String guid = registry.createAdapter(hardwareId, "tuntap " + componentId + " adapter", 30_000);
            return new TapAdapter(TapAdapter.parseGuid(guid), hardwareId, registry.connectionName(guid));
        } catch (NetAdapterRegistry.Failure f) {
            throw WinErrors.of(f.call(), f.code(), switch (f.code()) {
                case WinErrors.ERROR_ACCESS_DENIED -> "creating an adapter needs Administrator rights: run the JVM "
                        + "elevated, or create the adapter once as Administrator and open it later without";
                case 0xE000020B -> "no driver package for " + hardwareId + " is installed (ERROR_NO_SUCH_DEVINST / "
                        + "no matching INF): " + HOW_TO_GET;
                default -> "cannot create a " + hardwareId + " adapter";
            });
        }
    }

    static String describe(List<TapAdapter> adapters) {
        if (adapters.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (TapAdapter a : adapters) {
            parts.add("'" + a.name() + "' " + a.guidText() + " (" + a.componentId() + ")");
        }
        return String.join(", ", parts);
    }

    static List<String> split(String s) {
        return Arrays.asList(s.split(","));
    }
}
