// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.DeviceClosedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The close protocol of a packet queue, so that closing never pulls a handle from under a running call: each
 * read or write registers itself ({@link #enterRead()}/{@link #exitRead()}, {@link #enterWrite()}/
 * {@link #exitWrite()}); {@link #close(Runnable, Runnable)} marks the gate closed, wakes waiters, waits until
 * every registered call has left, and only then releases the handles, so that a recycled handle number can
 * never receive another file's data.
 *
 * <!-- snippet context
 * CloseGate gate;
 * void signalWakeupHandle() { }
 * void closeHandles() { }
 * int readPacket(ByteBuffer dst) throws TunTapException { return 0; }
 * -->
 * <pre>{@code
 * public int read(ByteBuffer dst) throws TunTapException {
 *     gate.enterRead();
 *     try {
 *         return readPacket(dst); // its blocking waits check gate.isOpen() after each wake-up
 *     } finally {
 *         gate.exitRead();
 *     }
 * }
 * public void close() {
 *     gate.close(this::signalWakeupHandle, this::closeHandles);
 * }
 * }</pre>
 *
 * <p>Entering and leaving cost one atomic increment and decrement and a volatile read, with separate counters
 * for the reading and the writing thread so that they do not share a contended cache line. Thread-safe.
 */
public final class CloseGate {
    private final String what;
    private final AtomicInteger readers = new AtomicInteger();
    private final AtomicInteger writers = new AtomicInteger();
    private volatile boolean closed;
    private boolean released;

    /**
     * A gate, open.
     *
     * @param what the queue it guards, for messages, e.g. {@code "tun0 queue 1"}
     */
    public CloseGate(String what) {
        this.what = what;
    }

    /**
     * Registers a read; pairs with {@link #exitRead()} in a finally block.
     *
     * @throws DeviceClosedException if the gate is closed
     */
    public void enterRead() throws DeviceClosedException {
        enter(readers, "read");
    }

    /** Ends a read registered with {@link #enterRead()}. */
    public void exitRead() {
        readers.decrementAndGet();
    }

    /**
     * Registers a write; pairs with {@link #exitWrite()} in a finally block.
     *
     * @throws DeviceClosedException if the gate is closed
     */
    public void enterWrite() throws DeviceClosedException {
        enter(writers, "write");
    }

    /** Ends a write registered with {@link #enterWrite()}. */
    public void exitWrite() {
        writers.decrementAndGet();
    }

    private void enter(AtomicInteger side, String call) throws DeviceClosedException {
        side.incrementAndGet();
        // Volatile write (the increment) then volatile read (closed), mirrored in close(): either close() sees
        // this call registered and waits for it, or this call sees the gate closed.
        if (closed) {
            side.decrementAndGet();
            throw closedException(call);
        }
    }

    /**
     * False once {@link #close(Runnable, Runnable)} has begun.
     *
     * @return whether close has not begun
     */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * The exception a call throws when it finds the gate closed, for instance after a wake-up.
     *
     * @param call the call, e.g. {@code "read"}
     * @return the exception
     */
    public DeviceClosedException closedException(String call) {
        return ErrorMessages.closed(call, what);
    }

    /**
     * Closes the gate; idempotent. The first caller marks it closed, runs {@code wake} (which must make every
     * blocked call return soon, e.g. by signalling an eventfd or a condition), waits until every registered
     * call has left, then runs {@code release}. A concurrent caller returns only once {@code release} has run.
     *
     * @param wake wakes blocked calls; runs once
     * @param release frees the handles; runs once, when no call is inside
     * @return true for the call that closed the gate, false if it was closed already
     */
    public synchronized boolean close(Runnable wake, Runnable release) {
        if (released) {
            return false;
        }
        closed = true;
        wake.run();
        while (readers.get() != 0 || writers.get() != 0) {
            LockSupport.parkNanos(20_000);
        }
        released = true;
        release.run();
        return true;
    }

    /** {@return the number of calls inside right now, for tests and diagnostics} */
    public int activeCalls() {
        return readers.get() + writers.get();
    }
}
