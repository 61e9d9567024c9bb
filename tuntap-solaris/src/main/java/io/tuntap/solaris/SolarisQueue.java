// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.LinkDownException;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.spi.BatchChecks;
import io.tuntap.spi.BatchReads;
import io.tuntap.spi.CloseGate;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.Timeouts;
import io.tuntap.solaris.jna.Errno;
import io.tuntap.solaris.jna.IfTun;
import io.tuntap.solaris.jna.Stropts;
import io.tuntap.solaris.jna.Sys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * The packet queue of a tun/tap unit: its non-blocking control stream, read with {@code getmsg} and written
 * with {@code putmsg}, plus a pipe that {@link #close()} writes to, to wake a reader blocked in {@code poll}.
 *
 * <p>STREAMS keeps message boundaries only for the message calls: {@code read(2)} on a stream in its default
 * byte-stream mode may join two packets, and {@code write(2)} may split one. {@code getmsg} returns one message;
 * one that does not fit the buffer returns {@code MOREDATA} and leaves the rest queued, which this class reads
 * and discards before it reports {@link PacketTooLargeException}. {@code putmsg} sends one {@code M_DATA}
 * message; the driver accepts {@value IfTun#MIN_PACKET} to {@value IfTun#MAX_PACKET} bytes (its packet size
 * range) and the stream head refuses other sizes with ERANGE, which this class checks first.
 *
 * <p>The packet path makes one {@code getmsg} or {@code putmsg} per packet while packets are waiting, and a
 * {@code poll} only when none is. Direct buffers are handed to the kernel in place (the {@code strbuf} points
 * into them); heap buffers go through a native buffer of this queue. Nothing is allocated per packet.
 *
 * <p>Longer than 400 lines on purpose: the STREAMS framing ({@code strbuf} set-up, {@code MOREDATA} draining,
 * the size checks) works on the same native memory and the same close gate as the plain read, write and
 * {@code poll} wait, and the ordering comments that make it correct span all of them.
 */
final class SolarisQueue implements PacketChannel {
    /** How long one poll may block before re-checking the thread's interrupt status. */
    private static final int INTERRUPT_CHECK_MILLIS = 100;
    /** Room for any message IP can send (MTU at most 1500 plus an Ethernet header) with a wide margin. */
    static final int SCRATCH = 65536;

    // Control memory: [read pollfds 16][write pollfds 16][read strbuf 16][write strbuf 16][flags 8][wake byte 8]
    // [drain strbuf 16].
    private static final int READ_POLL = 0;
    private static final int WRITE_POLL = 2 * Sys.POLLFD_SIZE;
    private static final int READ_STRBUF = 4 * Sys.POLLFD_SIZE;
    private static final int WRITE_STRBUF = READ_STRBUF + Stropts.Strbuf.SIZE;
    private static final int FLAGS = WRITE_STRBUF + Stropts.Strbuf.SIZE;
    private static final int WAKE_BYTE = FLAGS + 8;
    private static final int DRAIN_STRBUF = WAKE_BYTE + 8;
    private static final int CONTROL_SIZE = DRAIN_STRBUF + Stropts.Strbuf.SIZE;

    private final SunOs os;
    private final int fd;
    private final int wakeReadFd;
    private final int wakeWriteFd;
    private final String deviceName;
    private final DeviceMode mode;
    private final CloseGate gate;
    private final Runnable release;
    private volatile boolean linkUp = true;

    private final Memory control = new Memory(CONTROL_SIZE);
    private final long base = Pointer.nativeValue(control);
    /** The strbufs, written through a buffer view: no JNI call per packet. */
    private final ByteBuffer view;

    // Reader side, touched only by the reading thread.
    private Memory readScratch;
    private ByteBuffer readScratchView;
    private ByteBuffer lastReadBuffer;
    private long lastReadAddress;
    /** readPackets over readOne, with the too-large packet it met kept for the next read. */
    private final BatchReads batches = new BatchReads(this::readOne);
    // Writer side, touched only by the writing thread.
    private Memory writeScratch;
    private ByteBuffer writeScratchView;
    private ByteBuffer lastWriteBuffer;
    private long lastWriteAddress;

    /**
     * @param fd the non-blocking control stream
     * @param wakeFds the pipe, read end then write end
     * @param release closes the control stream and everything else the device holds, once no call is inside
     */
    SolarisQueue(SunOs os, int fd, int[] wakeFds, String deviceName, DeviceMode mode, Runnable release) {
        this.os = os;
        this.fd = fd;
        this.wakeReadFd = wakeFds[0];
        this.wakeWriteFd = wakeFds[1];
        this.deviceName = deviceName;
        this.mode = mode;
        this.gate = new CloseGate(deviceName);
        this.release = release;
        control.clear();
        // struct pollfd { int fd; short events; short revents; }: [control stream, pipe] for each side.
        control.setInt(READ_POLL, fd);
        control.setShort(READ_POLL + 4, Sys.POLLIN);
        control.setInt(READ_POLL + Sys.POLLFD_SIZE, wakeReadFd);
        control.setShort(READ_POLL + Sys.POLLFD_SIZE + 4, Sys.POLLIN);
        control.setInt(WRITE_POLL, fd);
        control.setShort(WRITE_POLL + 4, Sys.POLLOUT);
        control.setInt(WRITE_POLL + Sys.POLLFD_SIZE, wakeReadFd);
        control.setShort(WRITE_POLL + Sys.POLLFD_SIZE + 4, Sys.POLLIN);
        control.setByte(WAKE_BYTE, (byte) 1);
        view = control.getByteBuffer(0, CONTROL_SIZE).order(ByteOrder.nativeOrder());
    }

    /** Whether writes are let through: false while the link is down (IP would drop them silently). */
    void linkUp(boolean up) {
        linkUp = up;
    }

    // ---- reading ----------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws TunTapException {
        return batches.read(gate, dst, -1L);
    }

    @Override
    public int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        return batches.read(gate, dst, Timeouts.waitNanos(timeout));
    }

    /**
     * Waits for the first packet, then takes the ones already queued. A packet too large for its buffer after
     * the first ends the batch; its exception comes with the next call, so that the packets read are not lost.
     */
    @Override
    public int readPackets(ByteBuffer[] dsts, int count) throws TunTapException {
        return batches.readPackets(gate, dsts, count);
    }

    private int readOne(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        int position = dst.position();
        int room = dst.limit() - position;
        boolean direct = dst.isDirect();
        long address = direct ? readAddress(dst) + position : readScratchAddress();
        int maxlen = direct ? room : SCRATCH;
        long deadline = 0; // read from the clock only once there is something to wait for
        while (true) {
            view.putInt(READ_STRBUF + Stropts.Strbuf.MAXLEN, maxlen);
            view.putInt(READ_STRBUF + Stropts.Strbuf.LEN, 0);
            view.putLong(READ_STRBUF + Stropts.Strbuf.BUF, address);
            view.putInt(FLAGS, 0);
            int r = os.streams().getmsg(fd, 0L, base + READ_STRBUF, base + FLAGS);
            if (r >= 0) {
                int n = view.getInt(READ_STRBUF + Stropts.Strbuf.LEN);
                if ((r & Stropts.MOREDATA) != 0) {
                    throw tooLarge(n + drain(), room);
                }
                if ((r & Stropts.MORECTL) != 0 || n <= 0) {
                    // A message with a control part, or an empty one, is no packet: the driver sends neither
                    // on the control stream; skip it rather than hand out garbage.
                    discardControl(r);
                    continue;
                }
                if (n > room) {
                    throw tooLarge(n, room);
                }
                if (!direct) {
                    dst.put(position, readScratchView, 0, n);
                }
                dst.position(position + n);
                return n;
            }
            int errno = os.libc().errno();
            if (errno == Errno.EAGAIN) {
                if (timeoutNanos == 0) {
                    return 0;
                }
                if (deadline == 0 && timeoutNanos > 0) {
                    deadline = System.nanoTime() + timeoutNanos;
                }
                if (!await(READ_POLL, deadline, timeoutNanos < 0)) {
                    return 0;
                }
            } else if (errno != Errno.EINTR) {
                throw ioError("getmsg", errno);
            }
        }
    }

    /** Reads and discards the rest of a message that did not fit; returns its byte count. */
    private int drain() throws TunTapException {
        long scratch = readScratchAddress();
        int total = 0;
        while (true) {
            view.putInt(DRAIN_STRBUF + Stropts.Strbuf.MAXLEN, SCRATCH);
            view.putInt(DRAIN_STRBUF + Stropts.Strbuf.LEN, 0);
            view.putLong(DRAIN_STRBUF + Stropts.Strbuf.BUF, scratch);
            view.putInt(FLAGS, 0);
            int r = os.streams().getmsg(fd, 0L, base + DRAIN_STRBUF, base + FLAGS);
            if (r < 0) {
                int errno = os.libc().errno();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw ioError("getmsg", errno);
            }
            total += Math.max(0, view.getInt(DRAIN_STRBUF + Stropts.Strbuf.LEN));
            if ((r & Stropts.MOREDATA) == 0) {
                return total;
            }
        }
    }

    /** Reads and drops what is left of a message with a control part. */
    private void discardControl(int r) throws TunTapException {
        if ((r & Stropts.MOREDATA) != 0) {
            drain();
        }
        if ((r & Stropts.MORECTL) != 0) {
            // The control part stays queued with MORECTL: take it with a control buffer and drop it.
            long scratch = readScratchAddress();
            view.putInt(DRAIN_STRBUF + Stropts.Strbuf.MAXLEN, SCRATCH);
            view.putInt(DRAIN_STRBUF + Stropts.Strbuf.LEN, 0);
            view.putLong(DRAIN_STRBUF + Stropts.Strbuf.BUF, scratch);
            view.putInt(FLAGS, 0);
            os.streams().getmsg(fd, base + DRAIN_STRBUF, 0L, base + FLAGS);
        }
    }

    // ---- writing ----------------------------------------------------------------------------------

    @Override
    public int write(ByteBuffer src) throws TunTapException {
        gate.enterWrite();
        try {
            return writeOne(src);
        } finally {
            gate.exitWrite();
        }
    }

    @Override
    public int writePackets(ByteBuffer[] srcs, int count) throws TunTapException {
        BatchChecks.checkWriteBatch(srcs, count);
        gate.enterWrite();
        try {
            for (int i = 0; i < count; i++) {
                writeOne(srcs[i]);
            }
            return count;
        } finally {
            gate.exitWrite();
        }
    }

    private int writeOne(ByteBuffer src) throws TunTapException {
        int position = src.position();
        int length = src.limit() - position;
        checkWrite(src, position, length);
        long address;
        if (src.isDirect()) {
            address = writeAddress(src) + position;
        } else {
            address = writeScratchAddress();
            writeScratchView.put(0, src, position, length);
        }
        view.putInt(WRITE_STRBUF + Stropts.Strbuf.MAXLEN, 0);
        view.putInt(WRITE_STRBUF + Stropts.Strbuf.LEN, length);
        view.putLong(WRITE_STRBUF + Stropts.Strbuf.BUF, address);
        while (true) {
            if (os.streams().putmsg(fd, 0L, base + WRITE_STRBUF, 0) >= 0) {
                src.position(position + length);
                return length;
            }
            int errno = os.libc().errno();
            if (errno == Errno.EAGAIN) {
                await(WRITE_POLL, 0, true);
            } else if (errno != Errno.EINTR) {
                throw ioError("putmsg", errno);
            }
        }
    }

    /** Checks a packet before putmsg: the message strings are built only when a check fails. */
    private void checkWrite(ByteBuffer src, int position, int length) throws TunTapException {
        if (length > IfTun.MAX_PACKET) {
            throw new PacketTooLargeException("write", length, IfTun.MAX_PACKET, refused("the packet has " + length
                    + " bytes and the tun/tap driver takes at most " + IfTun.MAX_PACKET + " per message (its "
                    + "maximum packet size); keep packets within the MTU"));
        }
        if (length < IfTun.MIN_PACKET) {
            throw new InvalidConfigurationException("write", 0, refused("the packet has " + length + " bytes and the "
                    + "tun/tap driver refuses messages under " + IfTun.MIN_PACKET + " bytes (its minimum packet size); "
                    + (mode == DeviceMode.TUN ? "a TUN device takes whole IP packets"
                            : "a TAP device takes whole Ethernet frames")));
        }
        if (mode == DeviceMode.TUN) {
            int version = (src.get(position) & 0xff) >>> 4;
            if (version != 4 && version != 6) {
                throw new InvalidConfigurationException("write", 0, refused("the packet's first nibble is " + version
                        + ", not 4 or 6: a TUN device takes whole IPv4 or IPv6 packets, with no header in front"));
            }
        }
        if (!linkUp) {
            throw new LinkDownException("write", 0, refused(deviceName + "'s link is down: IP would drop the packet "
                    + "without a word, so it is refused; bring the link up with setUp(true)"));
        }
    }

    private String refused(String causeAndFix) {
        return ErrorMessages.failed("write to " + deviceName, causeAndFix);
    }

    // ---- closing ----------------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return gate.isOpen();
    }

    @Override
    public void close() {
        gate.close(() -> os.libc().write(wakeWriteFd, base + WAKE_BYTE, 1), () -> {
            release.run();
            os.libc().close(wakeReadFd);
            os.libc().close(wakeWriteFd);
            control.close();
            if (readScratch != null) {
                readScratch.close();
            }
            if (writeScratch != null) {
                writeScratch.close();
            }
        });
    }

    /**
     * Polls [control stream, pipe] until the stream is ready, the deadline passes, or the queue closes.
     *
     * @return true if the stream may be ready, false on timeout
     */
    private boolean await(int pollFds, long deadline, boolean forever) throws TunTapException {
        while (true) {
            int wait = Timeouts.pollSlice(deadline, forever, INTERRUPT_CHECK_MILLIS);
            if (wait < 0) {
                return false;
            }
            int ready = os.libc().poll(base + pollFds, 2, wait);
            if (!gate.isOpen()) {
                throw gate.closedException(pollFds == READ_POLL ? "read" : "write");
            }
            if (ready > 0) {
                return true;
            }
            if (ready < 0) {
                int errno = os.libc().errno();
                if (errno != Errno.EINTR) {
                    throw ioError("poll", errno);
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new DeviceInterruptedException("poll", 0, ErrorMessages.failed("poll on " + deviceName,
                        "the waiting thread was interrupted; the device is still open"));
            }
        }
    }

    // ---- native buffers ---------------------------------------------------------------------------

    private long readAddress(ByteBuffer dst) {
        if (dst != lastReadBuffer) {
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
            readScratch = new Memory(SCRATCH);
            readScratchView = readScratch.getByteBuffer(0, SCRATCH).order(ByteOrder.nativeOrder());
        }
        return Pointer.nativeValue(readScratch);
    }

    private long writeScratchAddress() {
        if (writeScratch == null) {
            writeScratch = new Memory(IfTun.MAX_PACKET);
            writeScratchView = writeScratch.getByteBuffer(0, IfTun.MAX_PACKET).order(ByteOrder.nativeOrder());
        }
        return Pointer.nativeValue(writeScratch);
    }

    // ---- errors -----------------------------------------------------------------------------------

    private PacketTooLargeException tooLarge(int length, int room) {
        return new PacketTooLargeException("read", length, room, ErrorMessages.failed("read from " + deviceName,
                "the packet has " + length + " bytes but the buffer had room for " + room + "; the packet was "
                        + "dropped. Give read() a buffer with at least MTU bytes remaining (" + IfTun.MAX_PACKET
                        + " is always enough here)"));
    }

    private TunTapException ioError(String call, int errno) {
        String explanation = switch (errno) {
            case Errno.ERANGE -> "the driver refused the message's size: it takes " + IfTun.MIN_PACKET + " to "
                    + IfTun.MAX_PACKET + " bytes";
            case Errno.ENXIO, Errno.EIO -> "the stream of " + deviceName + " hung up: the unit is gone";
            case Errno.EBADMSG -> "a message other than data reached the control stream of " + deviceName;
            case Errno.EFAULT -> "the buffer is not valid native memory; this is a bug";
            default -> "unexpected error on " + deviceName;
        };
        return SolarisErrors.of(call + "(" + deviceName + ")", errno, explanation);
    }

}
