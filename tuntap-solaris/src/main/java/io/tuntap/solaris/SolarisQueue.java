// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.LinkDownException;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.posix.PosixQueue;
import io.tuntap.solaris.jna.Errno;
import io.tuntap.solaris.jna.IfTun;
import io.tuntap.solaris.jna.Stropts;
import io.tuntap.spi.ErrorMessages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The packet queue of a tun/tap unit: a {@link PosixQueue} over its non-blocking control stream, woken through
 * a pipe. What is illumos's own is the STREAMS framing: packets are read with {@code getmsg} and written with
 * {@code putmsg}.
 *
 * <p>STREAMS keeps message boundaries only for the message calls: {@code read(2)} on a stream in its default
 * byte-stream mode may join two packets, and {@code write(2)} may split one. {@code getmsg} returns one message;
 * one that does not fit the buffer returns {@code MOREDATA} and leaves the rest queued, which this class reads
 * and discards before it reports {@link PacketTooLargeException}. {@code putmsg} sends one {@code M_DATA}
 * message; the driver accepts {@value IfTun#MIN_PACKET} to {@value IfTun#MAX_PACKET} bytes (its packet size
 * range) and the stream head refuses other sizes with ERANGE, which this class checks first. The
 * {@code strbuf}s live in native memory made once, written through a buffer view: no allocation per packet.
 */
final class SolarisQueue extends PosixQueue {
    /** Room for any message IP can send (MTU at most 1500 plus an Ethernet header) with a wide margin. */
    static final int SCRATCH = 65536;

    // Control memory: [read strbuf 16][write strbuf 16][flags 8][drain strbuf 16].
    private static final int READ_STRBUF = 0;
    private static final int WRITE_STRBUF = READ_STRBUF + Stropts.Strbuf.SIZE;
    private static final int FLAGS = WRITE_STRBUF + Stropts.Strbuf.SIZE;
    private static final int DRAIN_STRBUF = FLAGS + 8;
    private static final int CONTROL_SIZE = DRAIN_STRBUF + Stropts.Strbuf.SIZE;

    private final SunOs os;
    private final String deviceName;
    private final DeviceMode mode;
    private final Runnable release;
    private volatile boolean linkUp = true;

    private final Memory control = new Memory(CONTROL_SIZE);
    private final long base = Pointer.nativeValue(control);
    /** The strbufs, written through a buffer view: no JNI call per packet. */
    private final ByteBuffer view;

    /**
     * @param fd the non-blocking control stream
     * @param wakeFds the pipe, read end then write end
     * @param release closes the control stream and everything else the device holds, once no call is inside
     */
    SolarisQueue(SunOs os, int fd, int[] wakeFds, String deviceName, DeviceMode mode, Runnable release) {
        super(os.libc(), fd, wakeFds[0], wakeFds[1], 1, Errno.TABLE, deviceName, SCRATCH, IfTun.MAX_PACKET);
        this.os = os;
        this.deviceName = deviceName;
        this.mode = mode;
        this.release = release;
        control.clear();
        view = control.getByteBuffer(0, CONTROL_SIZE).order(ByteOrder.nativeOrder());
    }

    /** Whether writes are let through: false while the link is down (IP would drop them silently). */
    void linkUp(boolean up) {
        linkUp = up;
    }

    // ---- reading ----------------------------------------------------------------------------------------

    @Override
    protected int receive(long address, int length, int room) throws TunTapException {
        view.putInt(READ_STRBUF + Stropts.Strbuf.MAXLEN, length);
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
                // A message with a control part, or an empty one, is no packet: the driver sends neither on the
                // control stream; skip it rather than hand out garbage.
                discardControl(r);
                return RETRY;
            }
            return n;
        }
        return failed("getmsg", libc.errno());
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
                int errno = libc.errno();
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

    // ---- writing ----------------------------------------------------------------------------------------

    @Override
    protected int send(ByteBuffer src, int position, long address, int length) throws TunTapException {
        view.putInt(WRITE_STRBUF + Stropts.Strbuf.MAXLEN, 0);
        view.putInt(WRITE_STRBUF + Stropts.Strbuf.LEN, length);
        view.putLong(WRITE_STRBUF + Stropts.Strbuf.BUF, address);
        if (os.streams().putmsg(fd, 0L, base + WRITE_STRBUF, 0) >= 0) {
            return 0;
        }
        return failed("putmsg", libc.errno());
    }

    /** Checks a packet before putmsg: the message strings are built only when a check fails. */
    @Override
    protected void checkWrite(ByteBuffer src, int position, int length) throws TunTapException {
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

    @Override
    protected void release() {
        release.run();
        control.close();
    }

    // ---- errors -----------------------------------------------------------------------------------------

    @Override
    protected PacketTooLargeException tooLarge(int length, int room) {
        return ErrorMessages.readTooLarge(deviceName, length, room, 0, IfTun.MAX_PACKET);
    }

    @Override
    protected TunTapException ioError(String call, int errno) {
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
