// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tuntap.DeviceMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the illumos routing-socket messages the event thread takes addresses from
 * ({@code ifa_msghdr} of {@code RTM_NEWADDR} and {@code RTM_DELADDR}, {@link SolarisEvents#address}). The first
 * byte of an input picks the device's mode (even: TUN, odd: TAP); the rest is the message, in a little-endian
 * (amd64) heap buffer of exactly its length, so that a read past it throws. The parser declares no exception,
 * so anything thrown fails the test, as does a loop (the per-input timeout). Seeds (in
 * {@code SolarisRoutingFuzzTestInputs}) are messages built to illumos's headers; see {@code scripts/fuzz-seeds}.
 */
class SolarisRoutingFuzzTest {
    private static final SolarisEvents TUN = new SolarisEvents(null, null, "tun0", 2, DeviceMode.TUN);
    private static final SolarisEvents TAP = new SolarisEvents(null, null, "tap0", 2, DeviceMode.TAP);

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void addressMessages(byte[] input) {
        if (input.length == 0) {
            return;
        }
        ByteBuffer message = ByteBuffer.wrap(input, 1, input.length - 1).slice().order(ByteOrder.LITTLE_ENDIAN);
        if (message.capacity() < 14) {
            return; // the event thread reads a message only if it holds the header up to ifam_index
        }
        ((input[0] & 1) == 0 ? TUN : TAP).address(message, message.capacity());
    }
}
