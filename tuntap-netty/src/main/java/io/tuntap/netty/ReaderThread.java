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
 * whenever the channel wants packets, and hands each batch to the event loop, which fires its buffers and puts
 * new ones in their slots ({@link ReadBuffers}). One batch at a time: the thread reads the next only after the
 * loop delivered the last (or reported its failure), so the batch is never touched by both. Closing the queue
 * wakes a blocked read, and the thread ends; the batch's buffers are then released on the event loop, after
 * whatever it still runs for the channel (on this thread only if the loop has terminated).
 */
final class ReaderThread implements Runnable {
    private final TunTapChannel channel;
    private final PacketChannel queue;
    private final ReadBuffers batch;
    private final Thread thread;
    private final Runnable deliver = this::deliver;
    private int count;
    // Guarded by this.
    private boolean wanted;
    private boolean busy;
    private boolean stopped;

    ReaderThread(TunTapChannel channel, PacketChannel queue, ReadBuffers batch, ThreadFactory threads) {
        this.channel = channel;
        this.queue = queue;
        this.batch = batch;
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
        try {
            read();
        } finally {
            if (!hand(batch::release)) {
                batch.release();
            }
        }
    }

    private void read() {
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
                // The loop prepared the batch (positions at the buffers' starts) before it let this read run.
                ByteBuffer[] views = batch.views();
                count = queue.readPackets(views, views.length);
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

    /** Reports a failure on the event loop, which prepares the batch again before the next read. */
    private void fail(TunTapException e, boolean fatal) {
        hand(() -> {
            channel.readFailed(e, fatal);
            done();
        });
    }

    /** On the event loop: the batch goes down the pipeline, then the thread may read again if wanted. */
    private void deliver() {
        synchronized (this) {
            wanted = false;
        }
        channel.deliverFromReader(count);
        done();
    }

    /** On the event loop, once it is done with the batch: the thread may read again if wanted. */
    private void done() {
        synchronized (this) {
            busy = false;
            wanted |= channel.wantsRead();
            notifyAll();
        }
    }
}
