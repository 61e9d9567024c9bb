// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One device fd as a {@link ParkingPoller} watches it for the virtual threads that wait on it: at most one reader
 * and one writer, each parked ({@link LockSupport}) until the poller reports the fd ready, the wait times out,
 * the thread is interrupted, or {@link #remove()} (close) unparks it.
 *
 * <p>Arming is one-shot: a waiter arms its interest ({@link #READABLE} or {@link #WRITABLE}) before it parks, and
 * the first event the poller reports for the fd disarms it and unparks both waiters, which re-arm if their own
 * bit did not fire. Interest and registration change under a {@link ReentrantLock}, never a monitor, so that a
 * virtual thread that meets the lock taken parks instead of pinning its carrier; nothing parks while holding it.
 */
public abstract class Parking {
    /** Interest in, and readiness of, reading. */
    public static final int READABLE = 1;
    /** Interest in, and readiness of, writing. */
    public static final int WRITABLE = 2;

    /** The device fd. */
    protected final int fd;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile int interest; // written under lock
    private boolean registered; // guarded by lock
    private boolean removed; // guarded by lock
    private volatile Thread reader;
    private volatile Thread writer;
    private final AtomicInteger fired = new AtomicInteger();
    private String failedCall = "";

    /**
     * Watches {@code fd}; nothing is registered until the first wait.
     *
     * @param fd the device fd, which the owner keeps open until {@link #remove()} has returned
     */
    protected Parking(int fd) {
        this.fd = fd;
    }

    /**
     * Arms the fd for {@code interest} (a combination of {@link #READABLE} and {@link #WRITABLE}), one-shot. Called
     * under the lock, with {@link #interest()} already {@code interest}.
     *
     * @param first true the first time: the fd is not registered with the poller yet
     * @return 0, or the errno of the failed call, named with {@link #failed}
     */
    protected abstract int arm(int interest, boolean first);

    /** Stops watching the fd; called once, after the last {@link #arm}, before the owner closes the fd. */
    protected abstract void deregister();

    /** Records the call that failed, for the owner's message; returns {@code errno}. */
    protected final int failed(String call, int errno) {
        failedCall = call;
        return errno;
    }

    /** The call that made the last {@link #arm} fail. */
    final String failedCall() {
        return failedCall;
    }

    /** The current interest, 0 once an event has disarmed the fd: what a level-triggered poller watches. */
    protected final int interest() {
        return interest;
    }

    /**
     * The poller's report: the fd is ready for {@code bits}. Disarms the fd and unparks both waiters; each finds
     * whether its own bit fired and re-arms if not.
     */
    protected final void ready(int bits) {
        lock.lock();
        try {
            interest = 0;
        } finally {
            lock.unlock();
        }
        int f;
        do {
            f = fired.get();
        } while (!fired.compareAndSet(f, f | bits));
        unpark(reader);
        unpark(writer);
    }

    private static void unpark(Thread t) {
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Sets or clears ({@code null}) the thread waiting for {@code bit}. */
    final void waiter(int bit, Thread thread) {
        if (bit == READABLE) {
            reader = thread;
        } else {
            writer = thread;
        }
    }

    /**
     * Arms the fd for {@code bit}, after the caller has set itself as its waiter: clears that bit's last event,
     * registers the fd at the first call, and adds the bit to the interest. Once {@link #remove()} has run it
     * does nothing: the waiter then finds the gate closed.
     *
     * @return 0, or the errno of the failed call ({@link #failedCall()})
     */
    final int arm(int bit) {
        int f;
        do {
            f = fired.get();
        } while ((f & bit) != 0 && !fired.compareAndSet(f, f & ~bit));
        lock.lock();
        try {
            if (removed) {
                return 0;
            }
            int previous = interest;
            int next = previous | bit;
            interest = next; // before arm: a level-triggered poller reads it when arm wakes it
            int errno = arm(next, !registered);
            if (errno != 0) {
                interest = previous;
                return errno;
            }
            registered = true;
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** True if {@code bit} fired since the last {@link #arm(int)} for it; clears it. */
    final boolean takeFired(int bit) {
        int f;
        do {
            f = fired.get();
            if ((f & bit) == 0) {
                return false;
            }
        } while (!fired.compareAndSet(f, f & ~bit));
        return true;
    }

    /**
     * The close gate's wake-up step: stops watching the fd and unparks both waiters, which then find the gate
     * closed. Idempotent.
     */
    final void remove() {
        boolean deregister;
        lock.lock();
        try {
            deregister = registered && !removed;
            removed = true;
            interest = 0;
        } finally {
            lock.unlock();
        }
        if (deregister) {
            deregister();
        }
        unpark(reader);
        unpark(writer);
    }
}
