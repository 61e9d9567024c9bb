// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import com.sun.jna.Memory;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.tuntap.posix.Parking;
import io.tuntap.posix.ParkingKeys;
import io.tuntap.posix.ParkingPoller;
import java.lang.System.Logger.Level;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Linux {@link ParkingPoller}: one epoll instance per process and one platform daemon thread in
 * {@code epoll_wait}, both made at the first virtual-thread wait and kept for the life of the process. Each
 * watched device fd is registered once ({@code EPOLL_CTL_ADD}) with {@code EPOLLONESHOT}, and re-armed by each
 * wait with one {@code EPOLL_CTL_MOD}, which reports an fd that is ready already at once (the kernel polls the
 * file when it re-arms it). The event's data is the watch's key in a table, never an address.
 */
public final class EpollParkingPoller extends ParkingPoller {
    // struct epoll_event { __poll_t events; __u64 data; } EPOLL_PACKED, where EPOLL_PACKED is
    // __attribute__((packed)) on x86-64 only: 12 bytes with data at offset 4 there, 16 bytes with data at 8 on
    // arm64 and the other 64-bit ABIs (torvalds/linux 0604aa87b098 include/uapi/linux/eventpoll.h).
    private static final boolean PACKED = "x86-64".equals(Platform.ARCH);
    static final int EVENT_SIZE = PACKED ? 12 : 16;
    static final int DATA_OFFSET = PACKED ? 4 : 8;
    private static final int MAX_EVENTS = 256;
    private static final System.Logger LOG = System.getLogger("io.tuntap");

    private static final class Holder {
        static final EpollParkingPoller INSTANCE = new EpollParkingPoller(LinuxEpollDirect.INSTANCE);
    }

    private final LinuxEpoll epoll;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile int epfd = -1; // written once, under lock
    private final ParkingKeys keys = new ParkingKeys();

    EpollParkingPoller(LinuxEpoll epoll) {
        this.epoll = epoll;
    }

    /** The process's poller. */
    public static EpollParkingPoller shared() {
        return Holder.INSTANCE;
    }

    @Override
    public Parking watch(int fd) {
        return new Watch(fd);
    }

    /** Makes the epoll fd and starts the thread, once; returns 0 or the errno of epoll_create1. */
    private int start() {
        if (epfd >= 0) {
            return 0;
        }
        lock.lock();
        try {
            if (epfd >= 0) {
                return 0;
            }
            int fd = epoll.epoll_create1(LinuxEpoll.EPOLL_CLOEXEC);
            if (fd < 0) {
                return epoll.errno();
            }
            Thread t = new Thread(() -> run(fd), "tuntap-epoll-poller");
            t.setDaemon(true);
            t.start();
            epfd = fd;
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private void run(int fd) {
        try (Memory events = new Memory((long) MAX_EVENTS * EVENT_SIZE)) {
            long base = Pointer.nativeValue(events);
            while (true) {
                int n = epoll.epoll_wait(fd, base, MAX_EVENTS, -1);
                if (n < 0) {
                    int errno = epoll.errno();
                    if (errno != Errno.EINTR) {
                        LOG.log(Level.ERROR, "tuntap: epoll_wait failed with errno {0}; retrying", errno);
                        LockSupport.parkNanos(1_000_000);
                    }
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    long at = (long) i * EVENT_SIZE;
                    keys.ready(events.getLong(at + DATA_OFFSET), bits(events.getInt(at)));
                }
            }
        }
    }

    /** Readiness bits of an event mask: EPOLLERR and EPOLLHUP wake both sides. */
    static int bits(int events) {
        int bits = 0;
        if ((events & (LinuxEpoll.EPOLLIN | LinuxEpoll.EPOLLERR | LinuxEpoll.EPOLLHUP)) != 0) {
            bits |= Parking.READABLE;
        }
        if ((events & (LinuxEpoll.EPOLLOUT | LinuxEpoll.EPOLLERR | LinuxEpoll.EPOLLHUP)) != 0) {
            bits |= Parking.WRITABLE;
        }
        return bits;
    }

    /**
     * A registered device fd, with its own struct epoll_event for epoll_ctl (used under the watch's lock). The
     * struct is made at the first wait and freed when the fd is deregistered, so that a queue no virtual thread
     * ever waited on holds no native memory for it, and a closed one none at all.
     */
    private final class Watch extends Parking {
        private Memory event;
        private int key = -1;

        Watch(int fd) {
            super(fd);
        }

        @Override
        protected int arm(int interest, boolean first) {
            if (first) {
                int errno = start();
                if (errno != 0) {
                    return failed("epoll_create1", errno);
                }
                key = keys.add(this);
                event = new Memory(EVENT_SIZE);
            }
            int events = LinuxEpoll.EPOLLONESHOT
                    | ((interest & READABLE) != 0 ? LinuxEpoll.EPOLLIN : 0)
                    | ((interest & WRITABLE) != 0 ? LinuxEpoll.EPOLLOUT : 0);
            event.setInt(0, events);
            event.setLong(DATA_OFFSET, key);
            int op = first ? LinuxEpoll.EPOLL_CTL_ADD : LinuxEpoll.EPOLL_CTL_MOD;
            if (epoll.epoll_ctl(epfd, op, fd, Pointer.nativeValue(event)) < 0) {
                int errno = epoll.errno();
                if (first) {
                    keys.remove(key);
                    key = -1;
                    event.close();
                    event = null;
                }
                return failed("epoll_ctl", errno);
            }
            return 0;
        }

        @Override
        protected void deregister() {
            if (epoll.epoll_ctl(epfd, LinuxEpoll.EPOLL_CTL_DEL, fd, Pointer.nativeValue(event)) < 0) {
                LOG.log(Level.WARNING, "tuntap: epoll_ctl(EPOLL_CTL_DEL) of fd {0} failed with errno {1}", fd,
                        epoll.errno());
            }
            keys.remove(key);
            event.close();
            event = null;
        }
    }
}
