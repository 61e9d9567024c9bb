// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.NoProviderException;
import io.tuntap.TunTapDevice;
import io.tuntap.spi.Availability;
import io.tuntap.spi.TunTapProvider;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The real-device gate's decision, with each answer a backend gives: a process that may create devices runs the
 * test; one that may not (on Windows, a process that is not elevated; on Linux, one without CAP_NET_ADMIN) is
 * skipped with the backend's own reason and the library's diagnostics.
 */
class RealDeviceDecisionTest {
    private static final String NOT_ELEVATED = "this process is not elevated (its token's TokenElevation is 0): "
            + "creating adapters and setting their addresses and routes needs Administrator";

    /** A backend that answers as told. */
    private record Backend(Availability availability) implements TunTapProvider {
        @Override
        public String name() {
            return "tap-windows6";
        }

        @Override
        public int priority() {
            return 100;
        }

        @Override
        public Set<Capability> capabilities(DeviceMode mode) {
            return Set.of(Capability.TAP, Capability.TUN);
        }

        @Override
        public List<DeviceInfo> devices() {
            return List.of();
        }

        @Override
        public TunTapDevice open(DeviceConfig config) {
            throw new UnsupportedOperationException("the decision never opens a device");
        }
    }

    private static Optional<String> decide(Availability availability) {
        return RealDevices.whyUnavailable(List.of(DeviceMode.TAP), List.of(), List.of(),
                mode -> new Backend(availability), () -> "tuntap diagnostics: (the report)");
    }

    @Test
    void anElevatedProcessRunsTheTest() {
        assertEquals(Optional.empty(), decide(Availability.available("TAP and TUN on 1 adapter(s)")));
    }

    @Test
    void aProcessThatIsNotElevatedIsSkippedWithTheBackendsReasonAndTheDiagnostics() {
        String why = decide(Availability.attachOnly(NOT_ELEVATED)).orElseThrow();
        assertTrue(why.startsWith("the tap-windows6 backend cannot create TAP devices for this process: attach only: "
                + NOT_ELEVATED), why);
        assertTrue(why.endsWith("\ntuntap diagnostics: (the report)"), why);
    }

    @Test
    void noBackendIsSkippedWithTheLibrarysMessage() {
        Optional<String> why = RealDevices.whyUnavailable(List.of(DeviceMode.TUN), List.of(), List.of(), mode -> {
            throw new NoProviderException("open", 0, "no provider for TUN: wintun: no wintun.dll");
        }, () -> "");
        assertTrue(why.orElseThrow().startsWith("no tuntap backend can open TUN devices here: ")
                && why.orElseThrow().contains("no wintun.dll"), why.toString());
    }

    @Test
    void aMissingCapabilityIsSkippedWithWhatTheBackendHas() {
        Optional<String> why = RealDevices.whyUnavailable(List.of(DeviceMode.TAP), List.of(Capability.MULTI_QUEUE),
                List.of(), mode -> new Backend(Availability.available("ok")), () -> "");
        assertTrue(why.orElseThrow().contains("lack [MULTI_QUEUE]"), why.toString());
    }
}
