// SPDX-License-Identifier: Apache-2.0
package io.tuntap.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * Literals read and written as RFC 4291 (section 2.2, text forms) and RFC 5952 (section 4, canonical text) say;
 * the expected forms are the RFCs' own examples where they give one.
 */
class IpLiteralsTest {
    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void readsIpv4DottedQuads() {
        assertArrayEquals(bytes(10, 0, 0, 1), IpLiterals.parse("10.0.0.1").getAddress());
        assertArrayEquals(bytes(255, 255, 255, 255), IpLiterals.parse("255.255.255.255").getAddress());
    }

    @Test
    void readsIpv6TextForms() throws Exception {
        // RFC 4291 2.2: the same address written in full, without leading zeros, and compressed.
        InetAddress full = IpLiterals.parse("2001:DB8:0:0:8:800:200C:417A");
        assertEquals(full, IpLiterals.parse("2001:db8::8:800:200c:417a"));
        assertEquals(InetAddress.getByAddress(bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41,
                0x7a)), full);
        assertArrayEquals(new byte[16], IpLiterals.parse("::").getAddress());
        assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), IpLiterals.parse("::1").getAddress());
        // RFC 4291 2.2 (3): a dotted-quad tail.
        assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 13, 1, 68, 3),
                IpLiterals.parse("0:0:0:0:0:0:13.1.68.3").getAddress());
        // IPv4-mapped: InetAddress gives the IPv4 address.
        assertArrayEquals(bytes(129, 144, 52, 38), IpLiterals.parse("::FFFF:129.144.52.38").getAddress());
    }

    @Test
    void refusesWhatIsNotALiteral() {
        for (String bad : new String[] {"", "10.0.0", "10.0.0.256", "10.0.0.01", "1.2.3.4.5", "a.b.c.d", ":::",
                "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", ":1::", "1::2:", "::g", "example.org",
                "::1.2.3", "fe80::1%eth0"}) {
            assertThrows(IllegalArgumentException.class, () -> IpLiterals.parse(bad), bad);
        }
    }

    @Test
    void writesIpv6Canonically() {
        // RFC 5952 4.1 (no leading zeros), 4.2.1 (shorten as much as possible), 4.2.2 (not one group),
        // 4.2.3 (the longest run; the first of equal ones), 4.3 (lower case): its examples.
        assertEquals("2001:db8::1", IpLiterals.format(IpLiterals.parse("2001:0db8::0001")));
        assertEquals("2001:db8::2:1", IpLiterals.format(IpLiterals.parse("2001:db8:0:0:0:0:2:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", IpLiterals.format(IpLiterals.parse("2001:db8:0:1:1:1:1:1")));
        assertEquals("2001:0:0:1::1", IpLiterals.format(IpLiterals.parse("2001:0:0:1:0:0:0:1")));
        assertEquals("2001:db8::1:0:0:1", IpLiterals.format(IpLiterals.parse("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8::aaaa", IpLiterals.format(IpLiterals.parse("2001:DB8::AAAA")));
        assertEquals("::", IpLiterals.format(IpLiterals.parse("0:0:0:0:0:0:0:0")));
        assertEquals("::1", IpLiterals.format(IpLiterals.parse("::1")));
        assertEquals("fd99::", IpLiterals.format(IpLiterals.parse("fd99:0:0:0:0:0:0:0")));
        assertEquals("10.99.0.1", IpLiterals.format(IpLiterals.parse("10.99.0.1")));
    }
}
