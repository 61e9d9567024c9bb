// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ParkingPoller} made of {@code poll(2)} alone, for every Unix: one platform daemon thread polls the
 * armed device fds together with a pipe of its own, through which a waiter that arms or a close that removes a
 * watch makes it build its {@code struct pollfd} array again. The thread and its pipe are made with the first
 * watch registered and closed when none is left. One per libc ({@link #of}), so one per process for the real
 * kernel's.
 *
 * <p>A watch is removed only once the thread has rebuilt its array without the fd, so that the owner never
 * closes an fd under a running {@code poll}.
 */
public final class PollParkingPoller extends ParkingPoller {
    // struct pollfd and POLLIN/POLLOUT: the same on Linux, the BSDs, macOS and illumos; see WakeablePoll.
    private static final int POLLFD_SIZE = 8;
    private static final short POLLIN = 0x1;
    private static final short POLLOUT = 0x4;
    private static final int DRAIN = 64;
    // fcntl F_SETFD 2 and FD_CLOEXEC 1, the same in illumos/illumos-gate 019c3c43 usr/src/uts/common/sys/fcntl.h,
    // freebsd/freebsd-src 0069e95e sys/sys/fcntl.h and torvalds/linux include/uapi/asm-generic/fcntl.h.
    static final int F_SETFD = 2;
    static final int FD_CLOEXEC = 1;
    private static final Map<PosixLibC, PollParkingPoller> POLLERS = new WeakHashMap<>();
    private static final System.Logger LOG = System.getLogger("io.tuntap");

    private final PosixLibC libc;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final List<Watch> watches = new ArrayList<>();
    private Thread thread;
    private int pipeRead = -1;
    private int pipeWrite = -1;
    // The poller thread's own.
    private Memory pollFds = new Memory(16L * POLLFD_SIZE);
    private Watch[] polled = new Watch[16];
    private final Memory drain = new Memory(DRAIN);
    // One byte for the signal, written by any thread; its value does not matter.
    private final Memory signal = new Memory(8);
    private volatile boolean signalled;
    private volatile long generation;

    private PollParkingPoller(PosixLibC libc) {
        this.libc = libc;
        signal.clear();
    }

    /** The one poller of {@code libc}. */
    public static PollParkingPoller of(PosixLibC libc) {
        synchronized (POLLERS) {
            return POLLERS.computeIfAbsent(libc, PollParkingPoller::new);
        }
    }

    @Override
    public Parking watch(int fd) {
        return new Watch(fd);
    }

    /** Whether the poller thread runs, for tests: it runs while a watch is registered. */
    public boolean running() {
        lock.lock();
        try {
            return thread != null;
        } finally {
            lock.unlock();
        }
    }

    private int add(Watch w) {
        lock.lock();
        try {
            if (pipeRead < 0) {
                try (Memory fds = new Memory(8)) {
                    if (libc.pipe(Pointer.nativeValue(fds)) < 0) {
                        return w.failed("pipe", libc.errno());
                    }
                    int r = fds.getInt(0);
                    int w2 = fds.getInt(4);
                    // Not inherited by a program the JVM starts, as no other fd of the library is.
                    if (libc.fcntl(r, F_SETFD, FD_CLOEXEC) < 0 || libc.fcntl(w2, F_SETFD, FD_CLOEXEC) < 0) {
                        int errno = libc.errno();
                        libc.close(r);
                        libc.close(w2);
                        return w.failed("fcntl(pipe, F_SETFD, FD_CLOEXEC)", errno);
                    }
                    pipeRead = r;
                    pipeWrite = w2;
                }
            }
            watches.add(w);
            if (thread == null) {
                Thread t = new Thread(this::run, "tuntap-poller");
                t.setDaemon(true);
                t.start();
                thread = t;
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private void unwatch(Watch w) {
        long seen;
        lock.lock();
        try {
            watches.remove(w);
            if (thread == null) {
                return;
            }
            seen = generation;
        } finally {
            lock.unlock();
        }
        wakePoller();
        // The thread rebuilds its array under the lock (or ends), counting a generation each time.
        while (generation == seen) {
            LockSupport.parkNanos(50_000);
        }
    }

    private int wakePoller() {
        if (!signalled) {
            signalled = true;
            if (libc.write(pipeWrite, Pointer.nativeValue(signal), 1) < 0) {
                return libc.errno();
            }
        }
        return 0;
    }

    private void run() {
        while (true) {
            int count = build();
            if (count < 0) {
                return;
            }
            long base = Pointer.nativeValue(pollFds);
            if (libc.poll(base, count, -1) < 0) {
                // EINTR; any other error (ENOMEM) is retried after a pause rather than spun on.
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            if (pollFds.getShort(6) != 0) {
                signalled = false;
                libc.read(pipeRead, Pointer.nativeValue(drain), DRAIN);
            }
            for (int i = 1; i < count; i++) {
                short revents = pollFds.getShort((long) i * POLLFD_SIZE + 6);
                if (revents != 0) {
                    try {
                        polled[i].ready(bits(revents));
                    } catch (RuntimeException e) {
                        LOG.log(Level.ERROR, "tuntap: the poller of parked virtual threads failed to wake one", e);
                    }
                }
                polled[i] = null;
            }
        }
    }

    /** Readiness bits of {@code revents}: POLLERR, POLLHUP or POLLNVAL wake both sides. */
    private static int bits(short revents) {
        int bits = 0;
        if ((revents & POLLIN) != 0) {
            bits |= Parking.READABLE;
        }
        if ((revents & POLLOUT) != 0) {
            bits |= Parking.WRITABLE;
        }
        if ((revents & ~(POLLIN | POLLOUT)) != 0) {
            bits |= Parking.READABLE | Parking.WRITABLE;
        }
        return bits;
    }

    /** Fills the array: the pipe, then each armed fd. Returns the count, or -1 when no watch is left (ends). */
    private int build() {
        lock.lock();
        try {
            if (watches.isEmpty()) {
                // Nothing left to watch: the thread ends and gives its pipe back, before the generation tells
                // the last unwatch that it may return; the next watch makes both again.
                libc.close(pipeRead);
                libc.close(pipeWrite);
                pipeRead = -1;
                pipeWrite = -1;
                signalled = false;
                thread = null;
                generation++;
                return -1;
            }
            generation++;
            int need = watches.size() + 1;
            if (polled.length < need) {
                int capacity = Math.max(need, 2 * polled.length);
                pollFds.close();
                pollFds = new Memory((long) capacity * POLLFD_SIZE);
                polled = new Watch[capacity];
            }
            put(0, pipeRead, POLLIN);
            int count = 1;
            for (Watch w : watches) {
                int interest = w.interest();
                if (interest != 0) {
                    short events = (short) (((interest & Parking.READABLE) != 0 ? POLLIN : 0)
                            | ((interest & Parking.WRITABLE) != 0 ? POLLOUT : 0));
                    put(count, w.fd(), events);
                    polled[count++] = w;
                }
            }
            return count;
        } finally {
            lock.unlock();
        }
    }

    private void put(int i, int fd, short events) {
        long at = (long) i * POLLFD_SIZE;
        pollFds.setInt(at, fd);
        pollFds.setShort(at + 4, events);
        pollFds.setShort(at + 6, (short) 0);
    }

    /** A device fd in the poller's array while armed. */
    private final class Watch extends Parking {
        Watch(int fd) {
            super(fd);
        }

        int fd() {
            return fd;
        }

        @Override
        protected int arm(int interest, boolean first) {
            // The thread reads the interest when it rebuilds its array, which the pipe makes it do now.
            if (first) {
                int errno = add(this);
                if (errno != 0) {
                    return errno;
                }
            }
            int errno = wakePoller();
            return errno == 0 ? 0 : failed("write", errno);
        }

        @Override
        protected void deregister() {
            unwatch(this);
        }
    }
}
