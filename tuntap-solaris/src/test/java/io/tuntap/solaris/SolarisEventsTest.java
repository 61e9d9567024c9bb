// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceAddress;
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

    @Test
    void addressEventsArriveThoughTheKernelPutsRtaIfpBeforeRtaIfa() throws Exception {
        // illumos/illumos-gate usr/src/uts/common/inet/ip/ip_rts.c rts_new_rtsmsg: every RTM_NEWADDR and
        // RTM_DELADDR carries RTA_IFA | RTA_NETMASK | RTA_BRD | RTA_IFP, written in bit order, so the 252-byte
        // sockaddr_dl of RTA_IFP (0x10) comes before the address (RTA_IFA, 0x20).
        FakeSunOsKernel kernel = new FakeSunOsKernel();
        try (TunTapDevice d = new SolarisDeviceOpener(new SunOs(kernel, kernel))
                .open(DeviceConfig.tun().address("10.7.0.1/24").build())) {
            BlockingQueue<DeviceEvent> events = new LinkedBlockingQueue<>();
            try (EventSubscription s = d.subscribe(Runnable::run, events::add)) {
                DeviceAddress added = DeviceAddress.parse("10.7.1.1/24");
                d.addAddress(added);
                assertEquals(new DeviceEvent.AddressAdded(added), next(events, DeviceEvent.AddressAdded.class));
                d.removeAddress(added.local());
                assertEquals(new DeviceEvent.AddressRemoved(added),
                        next(events, DeviceEvent.AddressRemoved.class));
                assertTrue(s.isOpen());
            }
        }
    }

    private static DeviceEvent next(BlockingQueue<DeviceEvent> events, Class<?> type) throws InterruptedException {
        while (true) {
            DeviceEvent e = events.poll(5, TimeUnit.SECONDS);
            assertNotNull(e, type.getSimpleName() + " arrives within a few seconds");
            if (type.isInstance(e)) {
                return e;
            }
        }
    }
}
