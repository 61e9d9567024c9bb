// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Sys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One queue of a Linux TUN/TAP device: a non-blocking {@code /dev/net/tun} fd plus an eventfd that
 * {@link #close()} signals to wake a reader blocked in {@code poll}.
 *
 * <p>The packet path makes one {@code readv} or {@code write} per packet when packets are waiting, and a
 * {@code poll} only when none is: no allocation in steady state. Direct buffers are passed to the kernel in
 * place (their address is cached per buffer, so reusing a buffer costs nothing); heap buffers are copied
 * through a native buffer of this queue.
 *
 * <p>A TUN read returns only what it copied, so a short buffer would silently truncate the packet. Reads
 * into a direct buffer therefore use {@code readv} with a second, overflow segment behind the caller's
 * buffer: the kernel fills both in one call, and a count beyond the caller's room means the packet did not
 * fit.
 *
 * <p>Closing never pulls an fd from under a running call: each call registers itself in a counter, and
 * {@code close} first marks the queue closed, wakes waiters, waits for registered calls to leave, and only
 * then closes the fds (so that a recycled fd number can never receive another file's data).
 */
final class LinuxQueue implements PacketChannel {
    /** The largest packet a read can return: a 64 KiB IP packet plus an Ethernet header, rounded up. */
    static final int MAX_PACKET = 65536 + 64;
    /** How long one poll may block before re-checking the thread's interrupt status. */
    private static final int INTERRUPT_CHECK_MILLIS = 100;
    /** Timeouts from about 146 years up are treated as no timeout, so that deadlines cannot overflow. */
    private static final long FOREVER_NANOS = Long.MAX_VALUE / 2;

    private final LinuxLibC libc;
    private final int fd;
    private final int wakeFd;
    private final String deviceName;
    private final int index;

    private static final int IOVEC_SIZE = 16;
    private final Memory control = new Memory(Sys.POLLFD_SIZE * 4L + 8 + 2L * IOVEC_SIZE);
    /** The reader's two iovecs, written through a buffer view: no JNI call per packet. */
    private final ByteBuffer readIovecs;
    private final long readPollFds;
    private final long writePollFds;
    private final long wakeValue;
    private final long readIovecsAddress;

    private volatile boolean closed;
    // Separate counters for the reader and the writer side: they run on different threads, so one shared
    // counter would bounce a cache line between them on every packet.
    private final AtomicInteger readers = new AtomicInteger();
    private final AtomicInteger writers = new AtomicInteger();

    // Reader-side state, touched only by the reading thread.
    private Memory readScratch;
    private ByteBuffer readScratchView;
    private ByteBuffer lastReadBuffer;
    private long lastReadAddress;

    // Writer-side state, touched only by the writing thread.
    private Memory writeScratch;
    private ByteBuffer writeScratchView;
    private ByteBuffer lastWriteBuffer;
    private long lastWriteAddress;

    /**
     * Takes ownership of {@code fd} (already set up with TUNSETIFF) and creates the wake-up eventfd.
     * On failure, closes {@code fd}.
     */
    static LinuxQueue open(LinuxLibC libc, int fd, String deviceName, int index) throws TunTapException {
        int wakeFd = libc.eventfd(0, Sys.EFD_CLOEXEC | Sys.EFD_NONBLOCK);
        if (wakeFd < 0) {
            int errno = libc.errno();
            libc.close(fd);
            throw LinuxErrors.ofCommon("eventfd", errno, "cannot create the eventfd that lets close() wake a reader");
        }
        return new LinuxQueue(libc, fd, wakeFd, deviceName, index);
    }

    private LinuxQueue(LinuxLibC libc, int fd, int wakeFd, String deviceName, int index) {
        this.libc = libc;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.deviceName = deviceName;
        this.index = index;
        long base = Pointer.nativeValue(control);
        readPollFds = base;
        writePollFds = base + 2L * Sys.POLLFD_SIZE;
        wakeValue = base + 4L * Sys.POLLFD_SIZE;
        readIovecsAddress = wakeValue + 8;
        readIovecs = control.getByteBuffer(readIovecsAddress - base, 2L * IOVEC_SIZE).order(ByteOrder.nativeOrder());
        // struct pollfd { int fd; short events; short revents; }: [device, wake-up] for each side.
        control.setInt(0, fd);
        control.setShort(4, Sys.POLLIN);
        control.setInt(Sys.POLLFD_SIZE, wakeFd);
        control.setShort(Sys.POLLFD_SIZE + 4, Sys.POLLIN);
        control.setInt(2L * Sys.POLLFD_SIZE, fd);
        control.setShort(2L * Sys.POLLFD_SIZE + 4, Sys.POLLOUT);
        control.setInt(3L * Sys.POLLFD_SIZE, wakeFd);
        control.setShort(3L * Sys.POLLFD_SIZE + 4, Sys.POLLIN);
        control.setLong(4L * Sys.POLLFD_SIZE, 1L);
    }

    /** The device fd, for the device's own ioctls. */
    int fd() {
        return fd;
    }

    @Override
    public int read(ByteBuffer dst) throws TunTapException {
        return read(dst, -1L);
    }

    @Override
    public int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
        return read(dst, nanos >= FOREVER_NANOS ? -1 : nanos);
    }

    /** Reads one packet, waiting at most {@code timeoutNanos} (negative: for ever). Returns 0 on timeout. */
    private int read(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        enter(readers);
        try {
            if (dst.isReadOnly()) {
                throw new java.nio.ReadOnlyBufferException();
            }
            int position = dst.position();
            int room = dst.limit() - position;
            boolean direct = dst.isDirect();
            long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
            while (true) {
                long n;
                if (direct) {
                    readIovecs.putLong(0, readAddress(dst) + position).putLong(8, room);
                    n = libc.readv(fd, readIovecsAddress, 2);
                } else {
                    n = libc.read(fd, readScratchAddress(), MAX_PACKET);
                }
                if (n > 0) {
                    if (n > room) {
                        throw tooLarge((int) n, room);
                    }
                    if (!direct) {
                        readScratchView.limit((int) n).position(0);
                        dst.put(readScratchView);
                    } else {
                        dst.position(position + (int) n);
                    }
                    return (int) n;
                }
                int errno = n < 0 ? libc.errno() : Errno.EAGAIN;
                if (errno == Errno.EAGAIN) {
                    if (!await(readPollFds, deadline, timeoutNanos < 0)) {
                        return 0;
                    }
                } else if (errno != Errno.EINTR) {
                    throw ioError("read", errno);
                }
            }
        } finally {
            readers.decrementAndGet();
        }
    }

    @Override
    public int write(ByteBuffer src) throws TunTapException {
        enter(writers);
        try {
            int position = src.position();
            int length = src.limit() - position;
            if (length == 0) {
                throw new TunTapException("write", 0, "write to " + deviceName + " of an empty packet: a packet "
                        + "needs at least an IP header (TUN) or an Ethernet header (TAP)");
            }
            if (length > MAX_PACKET) {
                throw new PacketTooLargeException("write", length, MAX_PACKET, "write to " + deviceName + " of "
                        + length + " bytes: a packet can have at most " + MAX_PACKET + " bytes");
            }
            long address;
            if (src.isDirect()) {
                address = writeAddress(src) + position;
            } else {
                address = writeScratchAddress();
                writeScratchView.clear();
                writeScratchView.put(0, src, position, length);
            }
            while (true) {
                long n = libc.write(fd, address, length);
                if (n >= 0) {
                    src.position(position + length);
                    return length;
                }
                int errno = libc.errno();
                if (errno == Errno.EAGAIN) {
                    await(writePollFds, 0, true);
                } else if (errno != Errno.EINTR) {
                    throw ioError("write", errno);
                }
            }
        } finally {
            writers.decrementAndGet();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            // The eventfd is never read, so it stays readable: every later poll returns at once too.
            libc.write(wakeFd, wakeValue, 8);
            while (readers.get() != 0 || writers.get() != 0) {
                LockSupport.parkNanos(20_000);
            }
            libc.close(fd);
            libc.close(wakeFd);
            control.close();
            if (readScratch != null) {
                readScratch.close();
            }
            if (writeScratch != null) {
                writeScratch.close();
            }
        }
    }

    /** Registers a call; fails if the queue is closed. Pairs with a decrement in a finally block. */
    private void enter(AtomicInteger side) throws DeviceClosedException {
        side.incrementAndGet();
        // Volatile write (increment) then volatile read (closed), mirrored in close(): either close() sees
        // this call registered and waits for it, or this call sees the queue closed.
        if (closed) {
            side.decrementAndGet();
            throw closedException();
        }
    }

    /**
     * Polls [device, wake-up] until the device is ready, the deadline passes, or the queue closes.
     *
     * @return true if the device may be ready, false on timeout
     */
    private boolean await(long pollFds, long deadline, boolean forever) throws TunTapException {
        while (true) {
            int wait = INTERRUPT_CHECK_MILLIS;
            if (!forever) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait = (int) Math.min(wait, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
            }
            int ready = libc.poll(pollFds, 2, wait);
            if (closed) {
                throw closedException();
            }
            if (ready > 0) {
                return true;
            }
            if (ready < 0) {
                int errno = libc.errno();
                if (errno != Errno.EINTR) {
                    throw ioError("poll", errno);
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new DeviceInterruptedException("poll", 0, "the thread waiting on " + deviceName
                        + " queue " + index + " was interrupted; the device is still open");
            }
        }
    }

    private long readAddress(ByteBuffer dst) {
        if (dst != lastReadBuffer) {
            readScratchAddress(); // the overflow segment
            lastReadAddress = Pointer.nativeValue(Native.getDirectBufferPointer(dst));
            lastReadBuffer = dst;
        }
        return lastReadAddress;
    }

    private long writeAddress(ByteBuffer src) {
        if (src != lastWriteBuffer) {
            lastWriteAddress = Pointer.nativeValue(Native.getDirectBufferPointer(src));
            lastWriteBuffer = src;
        }
        return lastWriteAddress;
    }

    private long readScratchAddress() {
        if (readScratch == null) {
            readScratch = new Memory(MAX_PACKET);
            readScratchView = readScratch.getByteBuffer(0, MAX_PACKET);
            readIovecs.putLong(IOVEC_SIZE, Pointer.nativeValue(readScratch)).putLong(IOVEC_SIZE + 8, MAX_PACKET);
        }
        return Pointer.nativeValue(readScratch);
    }

    private long writeScratchAddress() {
        if (writeScratch == null) {
            writeScratch = new Memory(MAX_PACKET);
            writeScratchView = writeScratch.getByteBuffer(0, MAX_PACKET);
        }
        return Pointer.nativeValue(writeScratch);
    }

    private PacketTooLargeException tooLarge(int length, int room) {
        return new PacketTooLargeException("read", length, room, "read from " + deviceName + ": the packet has "
                + length + " bytes but the buffer had room for " + room + "; the packet was dropped. Give read() "
                + "a buffer with at least MTU bytes remaining (" + (MAX_PACKET - 64) + " is always enough)");
    }

    private DeviceClosedException closedException() {
        return new DeviceClosedException("read/write", 0, deviceName + " queue " + index + " is closed");
    }

    private TunTapException ioError(String call, int errno) {
        String explanation = switch (errno) {
            case Errno.EIO -> deviceName + "'s link is down: bring it up with setUp(true) (the kernel refuses "
                    + "packets on a down interface)";
            case Errno.EINVAL -> "the kernel rejected the packet: a TUN device takes whole IPv4 or IPv6 packets, "
                    + "a TAP device whole Ethernet frames, with no extra header";
            case Errno.EBADFD -> "queue " + index + " of " + deviceName + " is detached from its interface";
            case Errno.EFAULT -> "the buffer is not valid native memory; this is a bug";
            default -> "unexpected error on " + deviceName + " queue " + index;
        };
        return LinuxErrors.of(call + "(" + deviceName + ")", errno, explanation);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return FOREVER_NANOS;
        }
    }
}
