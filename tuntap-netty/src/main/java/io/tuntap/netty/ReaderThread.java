// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import io.tuntap.DeviceClosedException;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * The reader of a channel whose event loop cannot watch the queue: a thread that waits in {@code readPackets}
 * whenever the channel wants packets, and hands each batch to the event loop, which copies it out and fires it.
 * One batch at a time: the thread reads the next only after the loop delivered the last, so the staging buffers
 * are never touched by both. Closing the queue wakes a blocked read, and the thread ends.
 */
final class ReaderThread implements Runnable {
    private final TunTapChannel channel;
    private final PacketChannel queue;
    private final ByteBuffer[] stage;
    private final Thread thread;
    private final Runnable deliver = this::deliver;
    private int count;
    // Guarded by this.
    private boolean wanted;
    private boolean busy;
    private boolean stopped;

    ReaderThread(TunTapChannel channel, PacketChannel queue, ByteBuffer[] stage, ThreadFactory threads) {
        this.channel = channel;
        this.queue = queue;
        this.stage = stage;
        this.thread = threads.newThread(this);
        thread.start();
    }

    /** The channel wants packets (a read, or auto-read). */
    synchronized void request() {
        wanted = true;
        notifyAll();
    }

    /** The channel closes: the thread ends (a blocked read is woken by the queue's close). */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    @Override
    public void run() {
        while (true) {
            synchronized (this) {
                while (!stopped && (!wanted || busy)) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
                busy = true;
            }
            try {
                for (ByteBuffer b : stage) {
                    b.clear();
                }
                count = queue.readPackets(stage, stage.length);
            } catch (DeviceClosedException e) {
                return;
            } catch (PacketTooLargeException e) {
                fail(e, false); // that one packet was dropped; reading goes on
                continue;
            } catch (TunTapException e) {
                fail(e, true);
                return;
            }
            if (!hand(deliver)) {
                return;
            }
        }
    }

    /** Runs {@code task} on the event loop; false if the loop has terminated, and then the queue is closed. */
    private boolean hand(Runnable task) {
        try {
            channel.eventLoop().execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            queue.close(); // no loop to close the channel on: its queue at least does not stay open
            return false;
        }
    }

    private void fail(TunTapException e, boolean fatal) {
        synchronized (this) {
            busy = false;
        }
        hand(() -> channel.readFailed(e, fatal));
    }

    /** On the event loop: the batch goes down the pipeline, then the thread may read again if wanted. */
    private void deliver() {
        synchronized (this) {
            wanted = false;
        }
        channel.deliverFromReader(count);
        synchronized (this) {
            busy = false;
            wanted |= channel.wantsRead();
            notifyAll();
        }
    }
}
