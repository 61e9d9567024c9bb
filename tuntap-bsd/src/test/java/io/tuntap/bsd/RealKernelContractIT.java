// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.spi.HostOs;
import io.tuntap.testkit.DatagramSocketPeer;
import io.tuntap.testkit.TunTapDeviceContract;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The device contract on the real kernel of FreeBSD, OpenBSD, NetBSD or macOS, through {@link TunTap#open}
 * (provider selection by mode): the host's network stack is the peer, over UDP sockets bound to the device's
 * addresses. Only where {@link RealKernelCondition} allows (root, {@code -Dtuntap.realKernel=true}); the CI
 * workflows {@code bsd.yml} and {@code macos.yml} run it.
 */
@Tag("real-kernel")
@ExtendWith(RealKernelCondition.class)
class RealKernelContractIT extends TunTapDeviceContract {

    @Override
    protected DeviceUnderTest open(DeviceConfig config) throws Exception {
        TunTapDevice device = TunTap.open(config);
        return new DeviceUnderTest(device, new DatagramSocketPeer(), null);
    }

    @Override
    protected Set<DeviceMode> supportedModes() {
        // Both modes everywhere; macOS TAP is a feth pair read and written through BPF.
        return EnumSet.allOf(DeviceMode.class);
    }

    /** The provider the selector picks on this system is this backend's, and it is available. */
    @Test
    void theBackendServesThisSystem() throws Exception {
        String expected = switch (HostOs.current()) {
            case FREEBSD -> "freebsd";
            case OPENBSD -> "openbsd";
            case NETBSD -> "netbsd";
            default -> "macos-utun";
        };
        assertEquals(expected, TunTap.provider(DeviceMode.TUN).name(), TunTap.diagnostics());
        assertTrue(TunTap.provider(DeviceMode.TUN).availability().isAvailable(), TunTap.diagnostics());
        assertEquals(expected, TunTap.provider(DeviceMode.TAP).name(), TunTap.diagnostics());
    }
}
