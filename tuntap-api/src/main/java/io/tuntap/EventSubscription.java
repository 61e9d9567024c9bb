// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/**
 * A registration made with
 * {@link TunTapDevice#subscribe(java.util.concurrent.Executor, java.util.function.Consumer)}. Closing it stops
 * delivery: once {@link #close()} returns, the listener is not called again, except by a delivery already
 * running on another thread. Closing the device closes every subscription.
 */
public interface EventSubscription extends AutoCloseable {

    /** {@return true until {@link #close()} is called or the device closes} */
    boolean isOpen();

    /** Stops delivery; idempotent, never throws. */
    @Override
    void close();
}
