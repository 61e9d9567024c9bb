// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.spi.HostOs;

/**
 * TUN and TAP on OpenBSD through /dev/tunN and /dev/tapN. Found with {@link java.util.ServiceLoader}; harmless on other systems, where it reports itself
 * unavailable without loading native code.
 */
public final class OpenBsdTunTapProvider extends AbstractBsdProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public OpenBsdTunTapProvider() {
        super(HostOs.OPENBSD, "OpenBSD", new OpenBsdSystem());
    }

    @Override
    public String name() {
        return "openbsd";
    }
}
