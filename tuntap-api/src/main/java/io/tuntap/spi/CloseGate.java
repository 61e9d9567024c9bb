// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.DeviceClosedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * <h2>Cost and protocol</h2>
 *
 * <p>Each side (reads, writes) has a slot of its own, on a cache line of its own: the thread inside, or none,
 * or "closed". The usual case, one thread per side, takes the fast path: entering is one compare-and-set of the
 * slot from none to the current thread and a plain read of the closed flag (a volatile read, which costs a
 * plain load on x86 and a load-acquire on arm64); leaving is a plain read of the slot and a release store of
 * none (a plain store on x86). All the waiting is in {@link #close(Runnable, Runnable)}. A second call on a
 * side whose slot is taken (two readers at once, or a call made inside another) takes the slow path: an
 * atomic counter of the side, incremented before and decremented after.
 *
 * <p>Why one atomic operation on entry and not a plain read alone: a call must make itself known and then read
 * whether the gate is closed, while {@code close} writes "closed" and then reads whether a call is known. With
 * plain stores and loads both may read the old value (a store waits in the store buffer while the later load
 * of another variable goes ahead: the outcome x86 and arm64 both allow, Dekker's), and close would release an
 * fd a call is about to use. Without an asymmetric barrier, which Java does not offer, one side of that
 * handshake needs a store-load ordering point, and the call's is the single compare-and-set that takes the
 * slot; there is none on the way out.
 *
 * <h2>Why it is correct</h2>
 *
 * <ul>
 *   <li><b>Fast path.</b> The call's compare-and-set (none to thread) and close's compare-and-set (none to
 *       closed) act on the same variable, so exactly one of them finds none. If close wins first, the call's
 *       compare-and-set fails and it takes the slow path, which refuses it (below). If the call wins, close's
 *       compare-and-set fails until the call's release store puts none back; close's successful
 *       compare-and-set reads that store, so everything the call did (its system calls on the fd) happens
 *       before close goes on, and after it the slot holds "closed" for good, so no later call gets in
 *       through it.</li>
 *   <li><b>Slow path.</b> The call increments the side's counter and then reads the closed flag; close writes
 *       the flag and later reads the counter. All four are volatile accesses, so they fall in one total
 *       synchronization order: either the call reads the flag before close writes it, and then its increment
 *       came before close's read, which waits for the decrement (a volatile write, ordered after the call's
 *       work); or it reads the flag set, and backs out without touching the handle.</li>
 *   <li><b>Leaving.</b> A thread that finds its own reference in the slot empties it; otherwise it decrements
 *       the counter. Only the thread in the slot or close (from none) change the slot, so whichever of a
 *       thread's calls leaves first empties the slot and the other one decrements: the slot plus the counter
 *       always count the calls inside.</li>
 *   <li>A call that gets in through the slot while close has set the flag but not yet taken the slot reads the
 *       flag and leaves at once with {@link DeviceClosedException}; close waits for it either way.</li>
 * </ul>
 *
 * <p>Thread-safe; virtual threads keep their own identity across carriers, so a call may park inside.
 */
public final class CloseGate {
    private static final VarHandle SLOT;
    private static final VarHandle EXTRA;
    /** In a side's slot once close has taken it: no call enters through the slot again. */
    private static final Object CLOSED = new Object();

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SLOT = lookup.findVarHandle(Side.class, "slot", Object.class);
            EXTRA = lookup.findVarHandle(Side.class, "extra", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String what;
    private final Side reads = new Side();
    private final Side writes = new Side();
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
        enter(reads, "read");
    }

    /** Ends a read registered with {@link #enterRead()}. */
    public void exitRead() {
        exit(reads);
    }

    /**
     * Registers a write; pairs with {@link #exitWrite()} in a finally block.
     *
     * @throws DeviceClosedException if the gate is closed
     */
    public void enterWrite() throws DeviceClosedException {
        enter(writes, "write");
    }

    /** Ends a write registered with {@link #enterWrite()}. */
    public void exitWrite() {
        exit(writes);
    }

    private void enter(Side side, String call) throws DeviceClosedException {
        Thread me = Thread.currentThread();
        if (SLOT.compareAndSet(side, null, me)) {
            if (closed) {
                SLOT.setRelease(side, null);
                throw closedException(call);
            }
            return;
        }
        EXTRA.getAndAdd(side, 1);
        if (closed) {
            EXTRA.getAndAdd(side, -1);
            throw closedException(call);
        }
    }

    private static void exit(Side side) {
        if (side.slot == Thread.currentThread()) {
            SLOT.setRelease(side, null);
        } else {
            EXTRA.getAndAdd(side, -1);
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
        shut(reads);
        shut(writes);
        released = true;
        release.run();
        return true;
    }

    /** Takes the side's slot once no call holds it, then waits until the slow path's calls have left. */
    private static void shut(Side side) {
        while (!SLOT.compareAndSet(side, null, CLOSED) && SLOT.getVolatile(side) != CLOSED) {
            LockSupport.parkNanos(20_000);
        }
        while ((int) EXTRA.getVolatile(side) != 0) {
            LockSupport.parkNanos(20_000);
        }
    }

    /** {@return the number of calls inside right now, for tests and diagnostics} */
    public int activeCalls() {
        return reads.inside() + writes.inside();
    }

    /** Space before a side's fields, so that the two sides never share a cache line (64 bytes, 128 on some arm64). */
    private static class Padding {
        private long p0;
        private long p1;
        private long p2;
        private long p3;
        private long p4;
        private long p5;
        private long p6;
        private long p7;
        private long p8;
        private long p9;
        private long p10;
        private long p11;
        private long p12;
        private long p13;
        private long p14;
        private long p15;
    }

    /**
     * One side's state. Fields of a subclass come after those of its superclass in HotSpot's layout, so the
     * padding above keeps this side's slot away from the other side's object and from the gate's fields.
     */
    private static final class Side extends Padding {
        /** Null, the thread of the call inside (fast path), or {@link #CLOSED}. Accessed through {@link #SLOT}. */
        private volatile Object slot;
        /** Calls inside through the slow path. Accessed through {@link #EXTRA}. */
        private volatile int extra;

        int inside() {
            Object s = slot;
            return (s instanceof Thread ? 1 : 0) + extra;
        }
    }
}
