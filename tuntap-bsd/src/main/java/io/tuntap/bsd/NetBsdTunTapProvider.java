// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.spi.HostOs;

/**
 * TUN and TAP on NetBSD through /dev/tunN and the /dev/tap clone device. Found with {@link java.util.ServiceLoader}; harmless on other systems, where it reports itself
 * unavailable without loading native code.
 */
public final class NetBsdTunTapProvider extends AbstractBsdProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public NetBsdTunTapProvider() {
        super(HostOs.NETBSD, "NetBSD", new NetBsdSystem());
    }

    @Override
    public String name() {
        return "netbsd";
    }
}
