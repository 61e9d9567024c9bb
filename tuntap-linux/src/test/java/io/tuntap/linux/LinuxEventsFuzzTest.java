// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.mockito.Mockito.mock;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tuntap.DeviceAddress;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.spi.EventDispatcher;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the rtnetlink notifications the event thread reads ({@code RTM_NEWLINK},
 * {@code RTM_DELLINK}, {@code RTM_NEWADDR}, {@code RTM_DELADDR}, and an {@code NLMSG_ERROR} reporting
 * {@code ENOBUFS}): one datagram is handed to {@link LinuxEvents#handle}, as the event thread does after
 * {@code recv}, for the interface the first message names.
 *
 * <p>The datagram is a heap buffer of exactly the received length, so that a read past it throws; anything
 * thrown but the backend's {@link TunTapException} fails the test. Seeds (in
 * {@code LinuxEventsFuzzTestInputs}) are notifications captured from a Linux kernel; see {@code scripts/fuzz-seeds}.
 */
class LinuxEventsFuzzTest {
    /** No socket behind it: a resynchronisation reads nothing more and takes the state below. */
    private static final LinuxLibC LIBC = mock(LinuxLibC.class);
    private static final LinuxEvents.State STATE = new LinuxEvents.State(true, 1500,
            Set.of(DeviceAddress.parse("10.9.0.1/24"), DeviceAddress.parse("fd09::1/64")));
    private static final EventDispatcher DISPATCHER = new EventDispatcher("fuzz0", new EventDispatcher.Source() {
        @Override
        public void start(EventDispatcher target) {
        }

        @Override
        public void stop() {
        }
    });

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void notifications(byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        // ifi_index / ifa_index of the first message: the interface the events are about.
        int index = datagram.length >= 24 ? b.getInt(20) : 0;
        LinuxEvents events = new LinuxEvents(LIBC, -1, index, "fuzz0", () -> STATE);
        events.track(DISPATCHER, STATE);
        try {
            events.handle(b, datagram.length);
        } catch (TunTapException expected) {
            // The typed error of a failed resynchronisation: the event thread logs it and stops.
        }
    }
}
