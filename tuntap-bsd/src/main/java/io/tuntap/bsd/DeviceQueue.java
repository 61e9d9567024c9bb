// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.PacketChannel;

/** What a BSD or macOS device asks of its packet queue beyond {@link PacketChannel}. */
interface DeviceQueue extends PacketChannel {

    /** Makes writes fail (or work again): the device says its link is down (or up). */
    void setLinkDown(boolean down);

    /** The interface's MTU changed to {@code mtu}; a queue whose write limit follows it adjusts. */
    default void mtuChanged(int mtu) {
    }
}
