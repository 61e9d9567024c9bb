// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.testkit.VirtualThreadContract;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;

/**
 * Reads on virtual threads against each BSD fake kernel and macOS's: they park with the poll poller (its thread
 * polls the fake's fds and pipe) instead of pinning a carrier in poll. Runs on Java 21 and later (the
 * virtual-threads Surefire execution); skipped before.
 */
class BsdVirtualThreadFakeTest {

    @Nested
    class FreeBsd extends VirtualThreadContract {
        @Override
        protected DeviceUnderTest open(DeviceConfig config) throws Exception {
            return Fakes.underTest(new FakeFreeBsd(15), config);
        }
    }

    @Nested
    class OpenBsd extends VirtualThreadContract {
        @Override
        protected DeviceUnderTest open(DeviceConfig config) throws Exception {
            return Fakes.underTest(new FakeOpenBsd(), config);
        }
    }

    @Nested
    class NetBsd extends VirtualThreadContract {
        @Override
        protected DeviceUnderTest open(DeviceConfig config) throws Exception {
            return Fakes.underTest(new FakeNetBsd(), config);
        }
    }

    @Nested
    class Darwin extends VirtualThreadContract {
        @Override
        protected DeviceUnderTest open(DeviceConfig config) throws Exception {
            return Fakes.underTest(new FakeDarwin(), config);
        }

        @Override
        protected Set<DeviceMode> supportedModes() {
            return EnumSet.of(DeviceMode.TUN, DeviceMode.TAP);
        }
    }
}
