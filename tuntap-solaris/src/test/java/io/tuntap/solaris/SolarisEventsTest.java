// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceEvent;
import io.tuntap.EventSubscription;
import io.tuntap.TunTapDevice;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Events that the contract does not cover, against the fake kernel. */
class SolarisEventsTest {

    @Test
    void anInterfaceUnplumbedByAnotherProgramIsReportedRemovedAndCloseStillCleansUp() throws Exception {
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        TunTapDevice d = new SolarisDeviceOpener(new SunOs(kernel, kernel))
                .open(DeviceConfig.tun().address("10.7.0.1/24").build());
        BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
        try (EventSubscription s = d.subscribe(Runnable::run, events::add)) {
            kernel.unplumbByAnotherProgram(d.name());
            DeviceEvent e;
            do {
                e = events.poll(5, TimeUnit.SECONDS);
                assertNotNull(e, "Removed arrives within a few seconds");
            } while (!(e instanceof DeviceEvent.Removed));
            assertTrue(s.isOpen());
        }
        d.close();
        String failure = ((SolarisDeviceImpl) d).unplumbFailure();
        assertNotNull(failure, "the unplumbing found nothing to unlink");
        assertTrue(failure.contains("SIOCGLIFMUXID tun0"), failure);
        assertEquals(List.of(), kernel.leftovers(), "the streams are closed and the unit freed all the same");
    }
}
