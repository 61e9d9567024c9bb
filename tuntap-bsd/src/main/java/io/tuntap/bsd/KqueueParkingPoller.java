// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.BsdKqueue;
import io.tuntap.bsd.jna.Kevent;
import io.tuntap.posix.Parking;
import io.tuntap.posix.ParkingKeys;
import io.tuntap.posix.ParkingPoller;
import io.tuntap.posix.PollParkingPoller;
import io.tuntap.posix.PosixLibC;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link ParkingPoller} of FreeBSD, OpenBSD, NetBSD and macOS: one kqueue and one platform daemon thread
 * ({@value #THREAD}) in {@code kevent}, both made at the first virtual-thread wait and kept for the life of the
 * process (of the fake kernel, in tests). Each wait arms its filter ({@code EVFILT_READ}, or {@code EVFILT_WRITE}
 * for a write that waits) with one {@code kevent} call of {@code EV_ADD | EV_ONESHOT}: the kernel runs the filter
 * when it attaches the knote, so an fd that is ready already is reported at once, and drops the knote when it
 * delivers it, so the next wait adds it again. {@code EV_EOF} and {@code EV_ERROR} wake both sides. The event's
 * {@code udata} is the watch's key in a table, never an address; deregistration deletes what may be left
 * ({@code ENOENT}: delivered already) and frees the key and the watch's change list.
 *
 * <p>The kqueue is close-on-exec: made by {@code kqueue1(O_CLOEXEC)} on NetBSD (declared in NetBSD/src 002a0307
 * sys/sys/event.h 1.45; kern_event.c 01298e0d kqueue1 sets close-on-exec for {@code O_CLOEXEC}); by
 * {@code kqueue()} then {@code fcntl(F_SETFD, FD_CLOEXEC)} on FreeBSD (its current sys/sys/event.h declares
 * {@code kqueue1} and {@code kqueuex}, an older one read for this has neither, and which release brought them was
 * not traced, so the backend does not rely on them), OpenBSD (event.h 1.56 declares none) and macOS (xnu
 * bsd/sys/event.h declares none).
 */
final class KqueueParkingPoller extends ParkingPoller {
    /** The poller thread's name. */
    static final String THREAD = "tuntap-kqueue-poller";
    private static final int MAX_EVENTS = 256;
    private static final Map<BsdKqueue, KqueueParkingPoller> POLLERS = new WeakHashMap<>();
    private static final System.Logger LOG = System.getLogger("io.tuntap");

    private final BsdKqueue kq;
    private final PosixLibC libc;
    private final BsdAbi abi;
    private final Kevent layout;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile int kqfd = -1; // written once, under lock
    private final ParkingKeys keys = new ParkingKeys();

    private KqueueParkingPoller(BsdKqueue kq, PosixLibC libc, BsdAbi abi) {
        this.kq = kq;
        this.libc = libc;
        this.abi = abi;
        this.layout = Kevent.of(abi.os);
    }

    /**
     * The poller of the kqueue calls {@code kq}: one per binding, so one per process for the real kernel's.
     *
     * @param libc the POSIX calls of the same kernel (fcntl, close)
     * @param kq the kqueue calls
     * @param abi the system
     * @return its poller
     */
    static KqueueParkingPoller of(PosixLibC libc, BsdKqueue kq, BsdAbi abi) {
        synchronized (POLLERS) {
            return POLLERS.computeIfAbsent(kq, k -> new KqueueParkingPoller(k, libc, abi));
        }
    }

    /**
     * The poller for {@code libc}: the kqueue one, or the {@code poll} one if the kqueue calls cannot be bound
     * ({@code binding} throws), which is logged.
     *
     * @param libc the POSIX calls
     * @param binding makes the kqueue binding
     * @param abi the system
     * @return the poller
     */
    static ParkingPoller choose(PosixLibC libc, java.util.function.Supplier<BsdKqueue> binding, BsdAbi abi) {
        BsdKqueue kq;
        try {
            kq = binding.get();
        } catch (LinkageError | RuntimeException e) {
            LOG.log(Level.WARNING, "tuntap: kqueue cannot be bound ({0}); virtual threads park with the poll "
                    + "poller", e.toString());
            return PollParkingPoller.of(libc);
        }
        return of(libc, kq, abi);
    }

    /** What a diagnostics report says of {@code poller}. */
    static String describe(ParkingPoller poller) {
        return poller instanceof KqueueParkingPoller ? "kqueue (thread " + THREAD + ")"
                : "poll (thread tuntap-poller; kqueue could not be bound)";
    }

    @Override
    public Parking watch(int fd) {
        return new Watch(fd);
    }

    /** Whether the kqueue and its thread exist, for tests: from the first wait on. */
    boolean started() {
        return kqfd >= 0;
    }

    /** Makes the kqueue and starts the thread, once; returns 0 or the errno of the failed call. */
    private int start(Watch w) {
        if (kqfd >= 0) {
            return 0;
        }
        lock.lock();
        try {
            if (kqfd >= 0) {
                return 0;
            }
            boolean kqueue1 = kq.hasKqueue1();
            int fd = kqueue1 ? kq.kqueue1(abi.oCloexec) : kq.kqueue();
            if (fd < 0) {
                return w.fail(kqueue1 ? "kqueue1(O_CLOEXEC)" : "kqueue", kq.errno());
            }
            // Not inherited by a program the JVM starts, as no other fd of the library is.
            if (!kqueue1 && libc.fcntl(fd, BsdAbi.F_SETFD, BsdAbi.FD_CLOEXEC) < 0) {
                int errno = libc.errno();
                libc.close(fd);
                return w.fail("fcntl(kqueue, F_SETFD, FD_CLOEXEC)", errno);
            }
            Thread t = new Thread(() -> run(fd), THREAD);
            t.setDaemon(true);
            t.start();
            kqfd = fd;
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private void run(int fd) {
        try (Memory events = new Memory((long) MAX_EVENTS * layout.size)) {
            long base = Pointer.nativeValue(events);
            ByteBuffer view = events.getByteBuffer(0, (long) MAX_EVENTS * layout.size).order(ByteOrder.nativeOrder());
            while (true) {
                int n = kq.kevent(fd, 0, 0, base, MAX_EVENTS, 0);
                if (n < 0) {
                    int errno = kq.errno();
                    if (errno != BsdErrno.EINTR) {
                        LOG.log(Level.ERROR, "tuntap: kevent failed with errno {0}; retrying", errno);
                        LockSupport.parkNanos(1_000_000);
                    }
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    int at = i * layout.size;
                    keys.ready(layout.udata(view, at), bits(layout, layout.filter(view, at), layout.flags(view, at)));
                }
            }
        }
    }

    /** Readiness bits of an event: its filter's side, and both sides on EV_EOF or EV_ERROR. */
    static int bits(Kevent layout, int filter, int flags) {
        if ((flags & (Kevent.EV_EOF | Kevent.EV_ERROR)) != 0) {
            return Parking.READABLE | Parking.WRITABLE;
        }
        if (filter == layout.evfiltRead) {
            return Parking.READABLE;
        }
        return filter == layout.evfiltWrite ? Parking.WRITABLE : 0;
    }

    /**
     * A device fd with its change list (two {@code struct kevent}, used under the watch's lock), made at the first
     * wait and freed at deregistration.
     */
    private final class Watch extends Parking {
        private Memory changes;
        private ByteBuffer view;
        private int key = -1;
        /** The filters added and perhaps not yet delivered: what deregistration deletes. */
        private int added;

        Watch(int fd) {
            super(fd);
        }

        int fail(String call, int errno) {
            return failed(call, errno);
        }

        @Override
        protected int arm(int interest, boolean first) {
            if (first) {
                int errno = start(this);
                if (errno != 0) {
                    return errno;
                }
                key = keys.add(this);
                changes = new Memory(2L * layout.size);
                view = changes.getByteBuffer(0, 2L * layout.size).order(ByteOrder.nativeOrder());
            }
            int n = 0;
            if ((interest & READABLE) != 0) {
                layout.put(view, 0, fd, layout.evfiltRead, Kevent.EV_ADD | Kevent.EV_ONESHOT, key);
                n++;
            }
            if ((interest & WRITABLE) != 0) {
                layout.put(view, n * layout.size, fd, layout.evfiltWrite, Kevent.EV_ADD | Kevent.EV_ONESHOT, key);
                n++;
            }
            // No event list: a change that fails makes the call fail with its errno, and nothing waits.
            if (kq.kevent(kqfd, Pointer.nativeValue(changes), n, 0, 0, 0) < 0) {
                int errno = kq.errno();
                if (first) {
                    release();
                }
                return failed("kevent(EV_ADD)", errno);
            }
            added |= interest;
            return 0;
        }

        @Override
        protected void deregister() {
            delete(READABLE, layout.evfiltRead);
            delete(WRITABLE, layout.evfiltWrite);
            release();
        }

        /** Deletes the knote of {@code filter} if it was added; ENOENT means it was delivered and dropped. */
        private void delete(int bit, int filter) {
            if ((added & bit) == 0) {
                return;
            }
            layout.put(view, 0, fd, filter, Kevent.EV_DELETE, key);
            if (kq.kevent(kqfd, Pointer.nativeValue(changes), 1, 0, 0, 0) < 0) {
                int errno = kq.errno();
                if (errno != BsdErrno.ENOENT) {
                    LOG.log(Level.WARNING, "tuntap: kevent(EV_DELETE) of fd {0} failed with errno {1}", fd, errno);
                }
            }
        }

        private void release() {
            keys.remove(key);
            key = -1;
            added = 0;
            changes.close();
            changes = null;
            view = null;
        }
    }
}
