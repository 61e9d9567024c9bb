// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tuntap.TunTapException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of what a tap-windows6 driver answers to the control codes read at open
 * ({@code GET_VERSION}, {@code GET_MTU}, {@code GET_MAC}; {@link TapReplies}). An input is one reply, in a
 * little-endian heap buffer of exactly the length the driver said it wrote, so that a read past it throws; every
 * parser takes it. Anything thrown but the backend's {@link TunTapException} fails the test. Seeds (in
 * {@code TapRepliesFuzzTestInputs}) are replies built to tap-windows6's {@code tap-windows.h}; see
 * {@code scripts/fuzz-seeds}.
 */
class TapRepliesFuzzTest {

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void replies(byte[] reply) {
        ByteBuffer b = ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN);
        try {
            TapReplies.version(b, "GET_VERSION");
        } catch (TunTapException expected) {
            // Too short: reported.
        }
        try {
            TapReplies.mtu(b, "GET_MTU");
        } catch (TunTapException expected) {
            // Too short: reported.
        }
        try {
            TapReplies.mac(b, "GET_MAC");
        } catch (TunTapException expected) {
            // Too short: reported.
        }
    }
}
