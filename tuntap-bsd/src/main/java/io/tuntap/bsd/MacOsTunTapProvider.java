// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.spi.HostOs;

/**
 * TUN on macOS through utun kernel-control sockets; TAP is not offered. Found with {@link java.util.ServiceLoader}; harmless on other systems, where it reports itself
 * unavailable without loading native code.
 */
public final class MacOsTunTapProvider extends AbstractBsdProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public MacOsTunTapProvider() {
        super(HostOs.MACOS, "macOS", new DarwinSystem());
    }

    @Override
    public String name() {
        return "macos-utun";
    }
}
