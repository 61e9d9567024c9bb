// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.TunTapException;

/**
 * A network stack of its own, apart from the host's: on Linux a network namespace. Devices opened and sockets made
 * inside {@link #run} live in it, so that a test's addresses, routes and traffic never touch the host's. Made by
 * {@link TunTapProvider#openIsolatedNetwork()}; closing it removes it, with the virtual devices left in it.
 */
public interface IsolatedNetwork extends AutoCloseable {
    /**
     * Code run inside an isolated network.
     *
     * @param <T> what it returns
     * @param <X> what it throws
     */
    @FunctionalInterface
    interface Action<T, X extends Exception> {
        /**
         * Runs inside the network.
         *
         * @return the result
         * @throws X the action's own failure
         */
        T run() throws X;
    }

    /**
     * Runs {@code action} on the calling thread inside this network, and returns the thread to where it was.
     *
     * @param <T> what the action returns
     * @param <X> what the action throws
     * @param action the code to run inside
     * @return what {@code action} returned
     * @throws TunTapException if the thread cannot enter the network or return
     * @throws X whatever {@code action} throws
     */
    <T, X extends Exception> T run(Action<T, X> action) throws TunTapException, X;

    /**
     * A path that names this network to other programs while it is open (on Linux for {@code nsenter --net=PATH}),
     * so that tools such as {@code ping} or {@code ip} can run inside as witnesses.
     *
     * @return the path
     */
    String path();

    /** Removes the network; idempotent, never throws. */
    @Override
    void close();
}
