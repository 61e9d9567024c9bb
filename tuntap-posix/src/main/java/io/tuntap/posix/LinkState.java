// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import io.tuntap.DeviceEvent;
import io.tuntap.spi.EventDispatcher;

/**
 * The link state and MTU an event watcher last reported, and the events that bring its listeners up to date
 * when a notification, or a re-read of the interface, shows them otherwise. Used by one watcher thread; not
 * thread-safe.
 */
public final class LinkState {
    private boolean up;
    private int mtu;

    /**
     * @param up whether the link was up when watching started
     * @param mtu the MTU then
     */
    public LinkState(boolean up, int mtu) {
        this.up = up;
        this.mtu = mtu;
    }

    /**
     * The MTU last reported.
     *
     * @return the MTU
     */
    public int mtu() {
        return mtu;
    }

    /**
     * Publishes {@link DeviceEvent.MtuChanged} if the MTU differs from the last one, then
     * {@link DeviceEvent.LinkChanged} if the link state does, and keeps both.
     *
     * @param nowUp the link state now
     * @param nowMtu the MTU now
     * @param to where the events go
     */
    public void update(boolean nowUp, int nowMtu, EventDispatcher to) {
        if (nowMtu != mtu) {
            mtu = nowMtu;
            to.publish(new DeviceEvent.MtuChanged(nowMtu));
        }
        if (nowUp != up) {
            up = nowUp;
            to.publish(new DeviceEvent.LinkChanged(nowUp));
        }
    }
}
