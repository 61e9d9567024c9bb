// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.Bpf;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.posix.PosixLibC;
import io.tuntap.posix.PosixQueue;
import io.tuntap.spi.ErrorMessages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The packet queue of a macOS TAP device: a {@link PosixQueue} over a non-blocking BPF descriptor bound to the
 * far end of a {@code feth} pair ({@link FethPair}), woken through a pipe.
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
 * <p>A read of BPF must ask for exactly the descriptor's buffer size (bpfread: EINVAL otherwise) and returns
 * every packet captured so far, so this queue keeps that buffer and hands out one frame per call
 * ({@link BpfRecords}): the frame goes through a staging array made once into the caller's memory, with one
 * reused {@link Pointer}; nothing is allocated per packet.
 */
final class FethQueue extends PosixQueue implements DeviceQueue {
    /** xnu if_fake.c feth_ifnet_set_attrs: a new feth has {@code ETHERMTU} 1500. */
    static final int INITIAL_MTU = 1500;
    /** The shortest frame written: an Ethernet header (feth_output_common strips {@code ETHER_HDR_LEN}). */
    private static final int ETHER_HDR_LEN = 14;

    private final String deviceName;
    private volatile boolean linkDown;
    private volatile int maxWrite = INITIAL_MTU + Bpf.WRITE_LEEWAY;
    private final LongAdder dropped = new LongAdder();

    // Reader-side state, touched only by the reading thread.
    private final Memory bpfBuffer;
    private final long bpfAddress;
    private final int bpfSize;
    private final ByteBuffer bpfView;
    private final BpfRecords records = new BpfRecords();
    private final byte[] stage;
    private final Pointer target = new Pointer(0);

    /**
     * Takes ownership of the non-blocking BPF descriptor {@code fd}, whose buffer is {@code bufferSize} bytes
     * (what BIOCSBLEN answered), and creates the wake-up pipe. On failure closes {@code fd}.
     */
    static FethQueue open(PosixLibC libc, int fd, int bufferSize, String deviceName) throws TunTapException {
        WakePipe pipe = WakePipe.open(libc, fd);
        return new FethQueue(libc, fd, pipe.read(), pipe.write(), bufferSize, deviceName);
    }

    private FethQueue(PosixLibC libc, int fd, int wakeRead, int wakeWrite, int bufferSize, String deviceName) {
        super(libc, fd, wakeRead, wakeWrite, 1, BsdErrno.TABLE, deviceName, BsdQueue.MAX_PACKET, BsdQueue.MAX_PACKET);
        this.deviceName = deviceName;
        this.bpfSize = bufferSize;
        this.bpfBuffer = new Memory(bufferSize);
        this.bpfAddress = Pointer.nativeValue(bpfBuffer);
        this.bpfView = bpfBuffer.getByteBuffer(0, bufferSize).order(ByteOrder.nativeOrder());
        this.stage = new byte[Math.min(bufferSize, BsdQueue.MAX_PACKET)];
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

    // ---- framing ----------------------------------------------------------------------------------------

    /** The next frame of the BPF buffer into {@code address}; a new BPF read when the buffer is used up. */
    @Override
    protected int receive(long address, int length, int room) throws TunTapException {
        while (true) {
            int n = records.next();
            if (n >= 0) {
                if (records.truncated() || n > stage.length) {
                    dropped.increment(); // cut by the kernel: not a whole frame
                    continue;
                }
                if (n > room) {
                    throw tooLarge(n, room); // consumed: the next read takes the next frame
                }
                bpfView.get(records.frameOffset(), stage, 0, n);
                Pointer.nativeValue(target, address);
                target.write(0, stage, 0, n);
                return n;
            }
            long r = libc.read(fd, bpfAddress, bpfSize);
            if (r > 0) {
                records.load(bpfView, (int) r);
                continue;
            }
            return r < 0 ? failed("read", libc.errno()) : AGAIN;
        }
    }

    @Override
    protected void checkWrite(ByteBuffer src, int position, int length) throws TunTapException {
        if (length < ETHER_HDR_LEN) {
            throw new TunTapException("write", 0, ErrorMessages.failed("write to " + deviceName, "the frame has "
                    + length + " bytes: a TAP frame needs at least an Ethernet header (14 bytes)"));
        }
        int limit = maxWrite;
        if (length > limit) {
            throw new PacketTooLargeException("write", length, limit, ErrorMessages.failed("write to " + deviceName,
                    "the frame has " + length + " bytes and BPF takes at most the MTU + 18 (" + limit + "); raise "
                            + "the MTU with setMtu"));
        }
        if (linkDown) {
            throw BsdErrors.linkDown(deviceName, "frame");
        }
    }

    @Override
    protected int send(ByteBuffer src, int position, long address, int length) throws TunTapException {
        long n = libc.write(fd, address, length);
        if (n >= 0) {
            return 0;
        }
        int errno = libc.errno();
        return switch (errno) {
            case BsdErrno.ENOBUFS -> AGAIN;
            case BsdErrno.EMSGSIZE -> throw new PacketTooLargeException("write", length, maxWrite,
                    ErrorMessages.failed("write(" + deviceName + " BPF)", "EMSGSIZE: the frame of " + length
                            + " bytes is longer than the far end's MTU + 18 that BPF takes"));
            case BsdErrno.ENETDOWN -> throw BsdErrors.linkDown(deviceName, "frame");
            default -> failed("write", errno);
        };
    }

    @Override
    protected void release() {
        libc.close(fd);
        bpfBuffer.close();
    }

    // ---- errors -----------------------------------------------------------------------------------------

    @Override
    protected PacketTooLargeException tooLarge(int length, int room) {
        return ErrorMessages.readTooLarge(deviceName, length, room, 18, 0);
    }

    @Override
    protected TunTapException ioError(String call, int errno) {
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
