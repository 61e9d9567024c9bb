// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.PacketChannel;
import io.tuntap.TunTapException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The host stack's side of the simulated adapter as a channel of Ethernet frames: a write is
 * {@code tts_host_send} (NDIS hands the frame to the miniport), a read takes the next frame the miniport
 * indicated ({@code tts_host_receive}), polling every millisecond until the timeout.
 */
final class SimHost implements PacketChannel {
    private static final int MAX = 65536 + 64;
    private final TuntapSim.Machine machine;
    private final Memory buffer = new Memory(MAX);
    private volatile boolean open = true;

    SimHost(TuntapSim.Machine machine) {
        this.machine = machine;
    }

    @Override
    public int read(ByteBuffer dst) throws TunTapException {
        return read(dst, Duration.ofDays(1));
    }

    @Override
    public synchronized int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            int n = TuntapSim.tts_host_receive(machine.handle, Pointer.nativeValue(buffer), MAX);
            if (n >= 0) {
                int copy = Math.min(n, dst.remaining());
                dst.put(buffer.getByteArray(0, copy));
                return copy;
            }
            if (System.nanoTime() - deadline >= 0) {
                return 0;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    @Override
    public synchronized int write(ByteBuffer src) throws TunTapException {
        int n = src.remaining();
        try (Memory frame = new Memory(Math.max(1, n))) {
            byte[] b = new byte[n];
            src.get(b);
            frame.write(0, b, 0, n);
            int status = TuntapSim.tts_host_send(machine.handle, Pointer.nativeValue(frame), n);
            if (status != 0) {
                throw new TunTapException("tts_host_send", status, "the simulated NDIS refused the frame: NDIS_STATUS 0x"
                        + Integer.toHexString(status));
            }
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        buffer.close();
    }
}
