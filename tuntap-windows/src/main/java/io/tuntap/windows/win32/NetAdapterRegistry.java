// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import java.util.List;

/**
 * The network adapters of the system as SetupAPI and the registry describe them, and adapter creation and
 * removal: the seam between the backend's discovery logic and SetupAPI, {@code newdev.dll} and the
 * registry. {@link SetupApiNetAdapters} is the real one; tests use a fake.
 */
public interface NetAdapterRegistry {

    /**
     * A present adapter of the network setup class: values of its driver key.
     *
     * @param componentId {@code ComponentId}, e.g. {@code "tap0901"} or {@code "root\tap0901"}
     * @param netCfgInstanceId {@code NetCfgInstanceId}, {@code "{XXXXXXXX-...}"}, or null if not yet set
     * @param description the device description (for reports)
     */
    record Entry(String componentId, String netCfgInstanceId, String description) {
    }

    /** A Win32 failure: the call and its error code. */
    final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final String call;
        private final int code;

        /** @param call the call that failed @param code its Win32 error code */
        public Failure(String call, int code) {
            super(call + " failed with Win32 error " + code);
            this.call = call;
            this.code = code;
        }

        /** The call. */
        public String call() {
            return call;
        }

        /** The Win32 error code. */
        public int code() {
            return code;
        }
    }

    /** Every present adapter of the network class ({@code SetupDiGetClassDevs(GUID_DEVCLASS_NET, DIGCF_PRESENT)}). */
    List<Entry> adapters() throws Failure;

    /**
     * The connection name users see ({@code ...\Control\Network\{4D36E972-...}\{GUID}\Connection}, value
     * {@code Name}), or null if there is none.
     */
    String connectionName(String netCfgInstanceId) throws Failure;

    /**
     * Creates a root-enumerated adapter of {@code hardwareId} and installs its driver (administrators only),
     * waiting up to {@code timeoutMillis} for it to get its {@code NetCfgInstanceId}.
     *
     * @return the new adapter's {@code NetCfgInstanceId}
     */
    String createAdapter(String hardwareId, String description, long timeoutMillis) throws Failure;

    /** Removes the adapter whose {@code NetCfgInstanceId} is given ({@code DIF_REMOVE}, administrators only). */
    void removeAdapter(String netCfgInstanceId) throws Failure;
}
