// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The watches of a {@link ParkingPoller} that registers fds with the kernel (epoll, kqueue), by a small key that
 * the kernel hands back with each event ({@code epoll_event.data}, {@code kevent.udata}): never an address, so that
 * an event that comes after its watch was removed finds nothing, or a newer watch that then re-arms. Keys of
 * removed watches are used again. The poller thread reads the table without a lock; adding and removing take one
 * ({@link ReentrantLock}, never a monitor, as in {@link Parking}).
 */
public final class ParkingKeys {
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Parking[] table = new Parking[64]; // replaced under lock
    private int[] freeKeys = new int[64]; // guarded by lock
    private int freeCount; // guarded by lock
    private int nextKey; // guarded by lock

    /**
     * Gives {@code watch} a key.
     *
     * @param watch the watch, at its first wait
     * @return its key, until {@link #remove}
     */
    public int add(Parking watch) {
        lock.lock();
        try {
            int key = freeCount > 0 ? freeKeys[--freeCount] : nextKey++;
            Parking[] t = table;
            if (key >= t.length) {
                t = Arrays.copyOf(t, 2 * t.length);
            }
            t[key] = watch;
            table = t;
            return key;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Frees {@code key}, at the watch's deregistration.
     *
     * @param key a key from {@link #add}
     */
    public void remove(int key) {
        lock.lock();
        try {
            table[key] = null;
            if (freeCount == freeKeys.length) {
                freeKeys = Arrays.copyOf(freeKeys, 2 * freeKeys.length);
            }
            freeKeys[freeCount++] = key;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The poller thread's report of an event: the watch of {@code key}, if there is one, is ready for
     * {@code bits} ({@link Parking#ready}).
     *
     * @param key the key the kernel gave back
     * @param bits {@link Parking#READABLE} and {@link Parking#WRITABLE}
     */
    public void ready(long key, int bits) {
        Parking[] t = table;
        Parking w = key >= 0 && key < t.length ? t[(int) key] : null;
        if (w != null) {
            w.ready(bits);
        }
    }
}
