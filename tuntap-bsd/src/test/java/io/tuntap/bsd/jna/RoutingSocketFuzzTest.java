// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the routing-socket messages ({@code PF_ROUTE}) of FreeBSD, OpenBSD, NetBSD and
 * macOS: the interface messages the event thread reads ({@link RouteEvents#parse}) and a route dump
 * ({@code NET_RT_DUMP}, {@link RtMsghdr#readDump}). The first byte of an input picks the system (0 FreeBSD,
 * 1 OpenBSD, 2 NetBSD, 3 macOS, modulo 4); the rest is the message, in a little-endian (amd64, arm64) heap
 * buffer of exactly its length, so that a read past it throws. Both parsers take every input; they declare no
 * exception, so anything thrown fails the test, as does a loop (the per-input timeout). Seeds (in
 * {@code RoutingSocketFuzzTestInputs}) are messages built to each system's headers; see {@code scripts/fuzz-seeds}.
 */
class RoutingSocketFuzzTest {
    private static final BsdAbi[] SYSTEMS = {BsdAbi.FREEBSD, BsdAbi.OPENBSD, BsdAbi.NETBSD, BsdAbi.DARWIN};

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void messages(byte[] input) {
        if (input.length == 0) {
            return;
        }
        BsdAbi abi = SYSTEMS[(input[0] & 0xff) % SYSTEMS.length];
        ByteBuffer message = ByteBuffer.wrap(input, 1, input.length - 1).slice().order(ByteOrder.LITTLE_ENDIAN);
        RouteEvents.parse(message, message.capacity(), abi);
        RtMsghdr.readDump(message, message.capacity(), abi);
    }
}
