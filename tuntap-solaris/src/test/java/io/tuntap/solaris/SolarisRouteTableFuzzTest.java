// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tuntap.Route;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the route tables IP's MIB interface sends ({@code mib2_ipRouteEntry_t} and
 * {@code mib2_ipv6RouteEntry_t} rows, {@link SolarisRouteTable#parseIpv4} and {@link SolarisRouteTable#parseIpv6}).
 * An input is one byte picking the table (even: IPv4, odd: IPv6), a little-endian u16 entry size (the size the
 * same answer's {@code mib2_ip_t} reports, which the parser trusts as the kernel's), then the table, in a
 * little-endian (amd64) heap buffer of exactly its length, so that a read past it throws. The parsers declare
 * no exception, so anything thrown fails the test. Seeds (in {@code SolarisRouteTableFuzzTestInputs}) are tables
 * built to illumos's {@code <inet/mib2.h>}; see {@code scripts/fuzz-seeds}.
 */
class SolarisRouteTableFuzzTest {

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void tables(byte[] input) {
        if (input.length < 3) {
            return;
        }
        int entrySize = (input[1] & 0xff) | (input[2] & 0xff) << 8;
        ByteBuffer table = ByteBuffer.wrap(input, 3, input.length - 3).slice().order(ByteOrder.LITTLE_ENDIAN);
        List<Route> routes = new ArrayList<>();
        if ((input[0] & 1) == 0) {
            SolarisRouteTable.parseIpv4(table, table.capacity(), entrySize, "tun0", routes);
        } else {
            SolarisRouteTable.parseIpv6(table, table.capacity(), entrySize, "tun0", routes);
        }
    }
}
