// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.windows.win32.NetAdapterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SetupAPI's view of network adapters, in memory; creation fails with {@code ERROR_ACCESS_DENIED} unless {@link #admin}. */
final class FakeNetAdapterRegistry implements NetAdapterRegistry {
    final List<Entry> entries = new ArrayList<>();
    final Map<String, String> names = new HashMap<>();
    final List<String> created = new ArrayList<>();
    volatile boolean admin;

    FakeNetAdapterRegistry add(String componentId, UUID guid, String name) {
        String g = new TapAdapter(guid, componentId, name).guidText();
        entries.add(new Entry(componentId, g, componentId + " adapter"));
        if (name != null) {
            names.put(g, name);
        }
        return this;
    }

    @Override
    public synchronized List<Entry> adapters() {
        return List.copyOf(entries);
    }

    @Override
    public synchronized String connectionName(String netCfgInstanceId) {
        return names.get(netCfgInstanceId);
    }

    @Override
    public synchronized String createAdapter(String hardwareId, String description, long timeoutMillis)
            throws Failure {
        if (!admin) {
            throw new Failure("SetupDiCallClassInstaller(DIF_REGISTERDEVICE)", WinErrors.ERROR_ACCESS_DENIED);
        }
        UUID guid = UUID.randomUUID();
        add(hardwareId, guid, "Local Area Connection " + (entries.size() + 1));
        created.add(hardwareId);
        return new TapAdapter(guid, hardwareId, null).guidText();
    }

    @Override
    public synchronized void removeAdapter(String netCfgInstanceId) throws Failure {
        if (!admin) {
            throw new Failure("SetupDiCallClassInstaller(DIF_REMOVE)", WinErrors.ERROR_ACCESS_DENIED);
        }
        if (!entries.removeIf(e -> netCfgInstanceId.equalsIgnoreCase(e.netCfgInstanceId()))) {
            throw new Failure("SetupDiEnumDeviceInfo", WinErrors.ERROR_NOT_FOUND);
        }
    }
}
