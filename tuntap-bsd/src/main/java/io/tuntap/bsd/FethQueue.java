// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.Bpf;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.posix.PosixLibC;
import io.tuntap.spi.BatchReads;
import io.tuntap.spi.CloseGate;
import io.tuntap.spi.Timeouts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The packet queue of a macOS TAP device: a non-blocking BPF descriptor bound to the far end of a {@code feth}
 * pair, plus a pipe that {@link #close()} writes to, to wake a reader blocked in {@code poll}.
 *
 * <p>Reading and writing both go through BPF (apple-oss-distributions/xnu xnu-11417.101.15): an
 * {@code AF_NDRV} socket receives only the frames of the protocols it registered with {@code NDRV_SETDMXSPEC}
 * ({@code bsd/net/ndrv.c} ndrv_setspec attaches a protocol with those demux descriptors; ndrv_input delivers
 * what the demux gave it), so it cannot see every frame the system sends, while a BPF descriptor in
 * {@code BPF_D_IN} direction sees them all. bpfwrite with {@code BIOCSHDRCMPLT} hands the frame unchanged to
 * the interface's output ({@code dlil_output} raw), which {@code bsd/net/if_fake.c} feth_output passes to the
 * peer's input; it takes up to the interface's MTU + {@code BPF_WRITE_LEEWAY} bytes (bpf_movein, else
 * EMSGSIZE) and refuses a down interface (ENETDOWN). One descriptor then serves both directions, and one poll
 * set wakes both.
 *
 * <p>A read of BPF must ask for exactly the buffer size the descriptor has (bpfread: EINVAL otherwise) and
 * returns every packet captured so far, so this queue keeps that buffer and hands out one frame per call
 * ({@link BpfRecords}), copying it into the caller's buffer: no allocation per packet.
 */
final class FethQueue implements DeviceQueue {
    /** How long one poll may block before re-checking the thread's interrupt status. */
    private static final int INTERRUPT_CHECK_MILLIS = 100;
    /** xnu if_fake.c feth_ifnet_set_attrs: a new feth has {@code ETHERMTU} 1500. */
    static final int INITIAL_MTU = 1500;

    // Control memory: [read pollfds 16][write pollfds 16][wake byte 8].
    private static final int WRITE_POLLFDS = 2 * BsdAbi.POLLFD_SIZE;
    private static final int WAKE_BYTE = 4 * BsdAbi.POLLFD_SIZE;
    private static final int CONTROL_SIZE = WAKE_BYTE + 8;

    private final PosixLibC libc;
    private final int fd;
    private final int wakeRead;
    private final int wakeWrite;
    private final String deviceName;
    private final Memory control = new Memory(CONTROL_SIZE);
    private final long base = Pointer.nativeValue(control);
    private final CloseGate gate;
    private final Runnable wake = this::wake;
    private final Runnable release = this::release;
    private volatile boolean linkDown;
    private volatile int maxWrite = INITIAL_MTU + Bpf.WRITE_LEEWAY;
    private final LongAdder dropped = new LongAdder();

    // Reader-side state, touched only by the reading thread.
    private final Memory readBuffer;
    private final long readAddress;
    private final int readSize;
    private final ByteBuffer readView;
    private final BpfRecords records = new BpfRecords();
    private final BatchReads batches = new BatchReads(this::readOne);

    // Writer-side state, touched only by the writing thread.
    private Memory writeScratch;
    private ByteBuffer writeScratchView;
    private final DirectAddresses writeAddresses = new DirectAddresses();

    /**
     * Takes ownership of the non-blocking BPF descriptor {@code fd}, whose buffer is {@code bufferSize} bytes
     * (what BIOCSBLEN answered), and creates the wake-up pipe. On failure closes {@code fd}.
     */
    static FethQueue open(PosixLibC libc, int fd, int bufferSize, String deviceName) throws TunTapException {
        try (Memory fds = new Memory(8)) {
            if (libc.pipe(Pointer.nativeValue(fds)) < 0) {
                int errno = libc.errno();
                libc.close(fd);
                throw BsdErrors.ofCommon("pipe", errno, "cannot create the pipe that lets close() wake a reader");
            }
            int r = fds.getInt(0);
            int w = fds.getInt(4);
            for (int end : new int[] {r, w}) {
                int flags = libc.fcntl(end, BsdAbi.F_GETFL, 0);
                if (flags < 0 || libc.fcntl(end, BsdAbi.F_SETFL, flags | BsdAbi.O_NONBLOCK) < 0
                        || libc.fcntl(end, BsdAbi.F_SETFD, BsdAbi.FD_CLOEXEC) < 0) {
                    int errno = libc.errno();
                    libc.close(r);
                    libc.close(w);
                    libc.close(fd);
                    throw BsdErrors.ofCommon("fcntl(pipe)", errno, "cannot make the wake-up pipe non-blocking");
                }
            }
            return new FethQueue(libc, fd, r, w, bufferSize, deviceName);
        }
    }

    private FethQueue(PosixLibC libc, int fd, int wakeRead, int wakeWrite, int bufferSize, String deviceName) {
        this.libc = libc;
        this.fd = fd;
        this.wakeRead = wakeRead;
        this.wakeWrite = wakeWrite;
        this.deviceName = deviceName;
        this.gate = new CloseGate(deviceName);
        this.readSize = bufferSize;
        this.readBuffer = new Memory(bufferSize);
        this.readAddress = Pointer.nativeValue(readBuffer);
        this.readView = readBuffer.getByteBuffer(0, bufferSize).order(ByteOrder.nativeOrder());
        control.clear();
        ByteBuffer view = control.getByteBuffer(0, CONTROL_SIZE).order(ByteOrder.nativeOrder());
        // struct pollfd { int fd; short events; short revents; }: [BPF, wake-up] for each side.
        view.putInt(0, fd).putShort(4, BsdAbi.POLLIN);
        view.putInt(BsdAbi.POLLFD_SIZE, wakeRead).putShort(BsdAbi.POLLFD_SIZE + 4, BsdAbi.POLLIN);
        view.putInt(WRITE_POLLFDS, fd).putShort(WRITE_POLLFDS + 4, BsdAbi.POLLOUT);
        view.putInt(WRITE_POLLFDS + BsdAbi.POLLFD_SIZE, wakeRead).putShort(WRITE_POLLFDS + BsdAbi.POLLFD_SIZE + 4,
                BsdAbi.POLLIN);
        view.put(WAKE_BYTE, (byte) 1);
    }

    /** Frames the kernel cut (longer than the BPF buffer) or records that did not parse; dropped. */
    long droppedPackets() {
        return dropped.sum() + records.malformed();
    }

    @Override
    public void setLinkDown(boolean down) {
        linkDown = down;
    }

    @Override
    public void mtuChanged(int mtu) {
        maxWrite = mtu + Bpf.WRITE_LEEWAY;
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
        long deadline = 0;
        while (true) {
            int n = records.next();
            if (n >= 0) {
                if (records.truncated()) {
                    dropped.increment(); // cut by the kernel: not a whole frame
                    continue;
                }
                if (n > room) {
                    throw tooLarge(n, room);
                }
                dst.put(position, readView, records.frameOffset(), n);
                dst.position(position + n);
                return n;
            }
            long r = libc.read(fd, readAddress, readSize);
            if (r > 0) {
                records.load(readView, (int) r);
                continue;
            }
            int errno = r < 0 ? libc.errno() : BsdErrno.EAGAIN;
            if (errno == BsdErrno.EINTR) {
                continue;
            }
            if (errno != BsdErrno.EAGAIN) {
                throw ioError("read", errno);
            }
            if (timeoutNanos == 0) {
                return 0;
            }
            if (deadline == 0 && timeoutNanos > 0) {
                deadline = System.nanoTime() + timeoutNanos;
            }
            if (!await(base, deadline, timeoutNanos < 0)) {
                return 0;
            }
        }
    }

    // ---- writing ----------------------------------------------------------------------------------

    @Override
    public int write(ByteBuffer src) throws TunTapException {
        gate.enterWrite();
        try {
            int position = src.position();
            int length = src.limit() - position;
            if (length < 14) {
                throw new TunTapException("write", 0, "write to " + deviceName + " of " + length + " bytes: a TAP "
                        + "frame needs at least an Ethernet header (14 bytes)");
            }
            int limit = maxWrite;
            if (length > limit) {
                throw new PacketTooLargeException("write", length, limit, "write to " + deviceName + " of " + length
                        + " bytes: BPF takes at most the MTU + 18 (" + limit + ") bytes; raise the MTU with setMtu");
            }
            if (linkDown) {
                throw linkDownException();
            }
            long address;
            if (src.isDirect()) {
                address = writeAddresses.of(src) + position;
            } else {
                address = writeScratchAddress();
                writeScratchView.put(0, src, position, length);
            }
            send(address, length, limit);
            src.position(position + length);
            return length;
        } finally {
            gate.exitWrite();
        }
    }

    private void send(long address, int length, int limit) throws TunTapException {
        while (true) {
            long n = libc.write(fd, address, length);
            if (n >= 0) {
                return;
            }
            int errno = libc.errno();
            if (errno == BsdErrno.EAGAIN || errno == BsdErrno.ENOBUFS) {
                await(base + WRITE_POLLFDS, 0, true);
            } else if (errno == BsdErrno.EMSGSIZE) {
                throw new PacketTooLargeException("write", length, limit, "write(" + deviceName + ") failed with "
                        + "EMSGSIZE: the frame of " + length + " bytes is longer than the MTU + 18 BPF takes");
            } else if (errno == BsdErrno.ENETDOWN) {
                throw linkDownException();
            } else if (errno != BsdErrno.EINTR) {
                throw ioError("write", errno);
            }
        }
    }

    private TunTapException linkDownException() {
        return new TunTapException("write", BsdErrno.ENETDOWN, "write to " + deviceName + " failed: the link is "
                + "down, and the frame would be dropped; bring it up with setUp(true)");
    }

    // ---- closing ----------------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return gate.isOpen();
    }

    @Override
    public void close() {
        gate.close(wake, release);
    }

    private void wake() {
        libc.write(wakeWrite, base + WAKE_BYTE, 1);
    }

    private void release() {
        libc.close(fd);
        libc.close(wakeRead);
        libc.close(wakeWrite);
        control.close();
        readBuffer.close();
        if (writeScratch != null) {
            writeScratch.close();
        }
        writeAddresses.clear();
    }

    /** Polls [BPF, wake-up] until the descriptor is ready, the deadline passes, or the queue closes. */
    private boolean await(long pollFds, long deadline, boolean forever) throws TunTapException {
        while (true) {
            int wait = Timeouts.pollSlice(deadline, forever, INTERRUPT_CHECK_MILLIS);
            if (wait < 0) {
                return false;
            }
            int ready = libc.poll(pollFds, 2, wait);
            if (!gate.isOpen()) {
                throw gate.closedException("read/write");
            }
            if (ready > 0) {
                return true;
            }
            if (ready < 0 && libc.errno() != BsdErrno.EINTR) {
                throw ioError("poll", libc.errno());
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new DeviceInterruptedException("poll", 0, "the thread waiting on " + deviceName
                        + " was interrupted; the device is still open");
            }
        }
    }

    private long writeScratchAddress() {
        if (writeScratch == null) {
            writeScratch = new Memory(BsdQueue.MAX_PACKET);
            writeScratchView = writeScratch.getByteBuffer(0, BsdQueue.MAX_PACKET).order(ByteOrder.nativeOrder());
        }
        return Pointer.nativeValue(writeScratch);
    }

    // ---- errors -----------------------------------------------------------------------------------

    private PacketTooLargeException tooLarge(int length, int room) {
        return new PacketTooLargeException("read", length, room, "read from " + deviceName + ": the frame has "
                + length + " bytes but the buffer had room for " + room + "; the frame was dropped. Give read() "
                + "a buffer with at least MTU + 18 bytes remaining");
    }

    private TunTapException ioError(String call, int errno) {
        String explanation = switch (errno) {
            case BsdErrno.ENXIO -> "the BPF descriptor lost its interface: the feth pair behind " + deviceName
                    + " was destroyed";
            case BsdErrno.EINVAL -> "BPF refused the request (a read must ask for exactly the descriptor's buffer)";
            case BsdErrno.EFAULT -> "the buffer is not valid native memory; this is a bug";
            default -> "unexpected error on " + deviceName;
        };
        return BsdErrors.of(call + "(" + deviceName + " BPF)", errno, explanation);
    }
}
