// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.PacketTooLargeException;
import io.tuntap.Route;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.BsdAbi;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenBSD rules, through the backend against the OpenBSD fake kernel. */
class OpenBsdBackendTest {

    @Test
    void unitsInUseAreSkippedAndAMissingNodeIsExplained() throws Exception {
        FakeOpenBsd k = new FakeOpenBsd();
        int other = k.open("/dev/tun0", BsdAbi.O_RDWR); // another program
        assertTrue(other >= 0);
        assertEquals(-1, k.open("/dev/tun0", BsdAbi.O_RDWR));
        assertEquals(io.tuntap.bsd.jna.BsdErrno.EBUSY, k.errno(), "a unit open elsewhere is EBUSY");
        List<BsdTunTapDevice> open = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                open.add(Fakes.open(k, DeviceConfig.tun().build()));
                assertEquals("tun" + i, open.get(i - 1).name());
            }
            DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class,
                    () -> Fakes.open(k, DeviceConfig.tun().build()));
            assertTrue(e.getMessage().contains("MAKEDEV tun4"), e.getMessage());
            k.nodes.add("tun4");
            open.add(Fakes.open(k, DeviceConfig.tun().build()));
            assertEquals("tun4", open.get(3).name());
        } finally {
            for (BsdTunTapDevice d : open) {
                d.close();
            }
        }
        assertNull(k.get("tun1"), "a unit made by open goes away on close");
        assertNotNull(k.get("tun0"), "the other program's unit stays");
    }

    @Test
    void persistentUnitsAreMadeWithSiocifcreateAndStay() throws Exception {
        FakeOpenBsd k = new FakeOpenBsd();
        BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().persistent(true).build());
        assertTrue(d.isPersistent());
        assertThrows(UnsupportedFeatureException.class, () -> d.setPersistent(false),
                "fixed at creation on OpenBSD");
        d.close();
        assertNotNull(k.get("tap0"));
    }

    @Test
    void aPointToPointAddressWithoutPeerUsesTheLocalAddressAsDestination() throws Exception {
        FakeOpenBsd k = new FakeOpenBsd();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().address("10.5.0.1/24").build())) {
            FakeKernel.Addr a = k.get(d.name()).addresses.get(0);
            assertEquals(a.local(), a.destination());
            assertEquals(24, a.prefix());
            assertTrue(d.addresses().contains(io.tuntap.DeviceAddress.of(IpPrefix.parse("10.5.0.1/24"))),
                    "the local address as destination reads back as no peer: " + d.addresses());
        }
    }

    @Test
    void mtuRangeIsCheckedBeforeTheKernel() throws Exception {
        FakeOpenBsd k = new FakeOpenBsd();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().build())) {
            d.setMtu(16384);
            assertEquals(16384, d.mtu());
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> d.setMtu(16385));
            assertTrue(e.getMessage().contains("68 to 16384"), e.getMessage());
        }
    }

    @Test
    void anOnLinkRouteCarriesAFullSockaddrDl() throws Exception {
        // openbsd/src sys/net/rtsock.c 1.388 rtm_xaddrs: an AF_LINK RTA_GATEWAY shorter than sizeof(struct
        // sockaddr_dl) is EINVAL; sys/net/if_dl.h: 8 bytes of fields and sdl_data[24], 32 bytes.
        FakeOpenBsd k = new FakeOpenBsd();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().address("10.5.0.1/24").build())) {
            Route r = Route.onLink(IpPrefix.parse("10.55.0.0/16"));
            d.addRoute(r);
            assertTrue(d.routes().contains(r), d.routes().toString());
            d.removeRoute(r);
            assertTrue(k.routes.stream().noneMatch(e -> e.prefix() == 16), k.routes.toString());
        }
    }

    @Test
    void aTapFrameAboveTheHeaderAndMaxmclbytesIsTooLarge() throws Exception {
        // openbsd/src sys/net/if_tun.c 1.252 tun_dev_write: EMSGSIZE above if_hdrlen + MAXMCLBYTES; a tap's
        // if_hdrlen is ETHER_HDR_LEN 14 (ether_ifattach), MAXMCLBYTES (64 * 1024) (sys/sys/param.h).
        FakeOpenBsd k = new FakeOpenBsd();
        try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tap().build())) {
            byte[] frame = new byte[14 + 65536 + 1];
            PacketTooLargeException e = assertThrows(PacketTooLargeException.class,
                    () -> d.write(frame));
            assertTrue(e.getMessage().contains("65550"), e.getMessage());
            assertEquals(14 + 65536, d.write(new byte[14 + 65536]), "the largest frame passes");
        }
    }
}
