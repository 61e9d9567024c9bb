// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.spi.VirtualThreads;
import io.tuntap.windows.win32.Kernel32Io;
import java.lang.System.Logger.Level;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Waits on the data events of Windows devices for the virtual threads that read them, so that such a thread parks
 * instead of pinning its carrier in {@code WaitForMultipleObjects}: one per process (per {@link Kernel32Io}), made
 * of groups, each a platform daemon thread in {@code WaitForMultipleObjects} on an event of its own (the group's
 * wake event, index 0) and the events of up to {@value #GROUP_SIZE} watches armed by waiting readers. A reader
 * arms its watch and parks; the group's thread unparks it when the event is signalled (the overlapped read
 * completed, or Wintun's ring has a packet). A group is made when every other is full and ends, with its
 * thread and event, when its last watch is removed.
 *
 * <p>Why this and not {@code RegisterWaitForSingleObject}: that call runs its callback on a thread of the
 * system's thread pool, which JNA would have to attach to the JVM, and each wait would register and unregister a
 * wait object. Here a wait costs one {@code SetEvent} (the group rebuilds its array) and no native memory, and a
 * watch is removed synchronously, so that no handle is ever closed under a running wait.
 *
 * <p>The calls, as Microsoft documents them (learn.microsoft.com, "WaitForMultipleObjects function
 * (synchapi.h)"): at most {@code MAXIMUM_WAIT_OBJECTS} handles, never the same handle twice; with
 * {@code bWaitAll} FALSE it returns {@code WAIT_OBJECT_0} plus the lowest index of the signalled objects, and only
 * that object's state changes (an auto-reset event such as Wintun's becomes unsignalled); the behaviour is
 * undefined if a handle is closed while the wait is pending. Wine checks the count the same way (wine-mirror/wine
 * 79834c06 {@code dlls/kernelbase/sync.c}, {@code WaitForMultipleObjectsEx}: more than
 * {@code MAXIMUM_WAIT_OBJECTS} is {@code ERROR_INVALID_PARAMETER}). Since the lowest index wins, a watch that
 * fired leaves the array and is put back at its end when its reader arms it again, so that a busy device
 * cannot starve the others of its group.
 *
 * <p>Locking: one {@link ReentrantLock}, never a monitor, so that a virtual thread that meets it taken parks; the
 * native calls made while holding it ({@code SetEvent}, {@code ResetEvent}, {@code CloseHandle} of the group's own
 * event) never block, and the only wait under it is {@link Watch#remove()}'s, on a {@link Condition} of the lock.
 */
final class EventParking {
    /** Watches per group: {@code MAXIMUM_WAIT_OBJECTS} less the group's own wake event. */
    static final int GROUP_SIZE = Kernel32Io.MAXIMUM_WAIT_OBJECTS - 1;
    private static final System.Logger LOG = System.getLogger("io.tuntap");
    /**
     * Each kernel32's parking, held weakly both ways: the channels that use one (through their watches) and its
     * running group threads keep it, and nothing here keeps a kernel32 (a test's fake) alive.
     */
    private static final Map<Kernel32Io, WeakReference<EventParking>> BY_KERNEL = new WeakHashMap<>();
    private static final Set<Kernel32Io> TURNED_OFF = Collections.newSetFromMap(new WeakHashMap<>());

    private final Kernel32Io k32;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled after every rebuild of a group's array and when a group's thread ends. */
    private final Condition rebuilt = lock.newCondition();
    // Guarded by lock.
    private final List<Group> groups = new ArrayList<>();
    private int threads;

    private EventParking(Kernel32Io k32) {
        this.k32 = k32;
    }

    /**
     * The parking of {@code k32}'s events, one per {@link Kernel32Io} and so one per process for the real
     * kernel32; null on a JDK without virtual threads, where every reader blocks in its own wait.
     */
    static EventParking of(Kernel32Io k32) {
        if (!VirtualThreads.exist()) {
            return null;
        }
        synchronized (BY_KERNEL) {
            if (TURNED_OFF.contains(k32)) {
                return null;
            }
            WeakReference<EventParking> ref = BY_KERNEL.get(k32);
            EventParking parking = ref == null ? null : ref.get();
            if (parking == null) {
                parking = new EventParking(k32);
                BY_KERNEL.put(k32, new WeakReference<>(parking));
            }
            return parking;
        }
    }

    /**
     * For tests: channels opened on {@code k32} from now on wait in {@code WaitForMultipleObjects} on virtual
     * threads too, as before this class existed, so that a test can show what parking changes.
     */
    static void turnOffFor(Kernel32Io k32) {
        synchronized (BY_KERNEL) {
            TURNED_OFF.add(k32);
        }
    }

    /** A watch of {@code event} (a channel's data event), not yet in any group: the first wait puts it in one. */
    Watch watch(long event) {
        return new Watch(event);
    }

    /** The number of group threads running, for tests. */
    int threads() {
        lock.lock();
        try {
            return threads;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One channel's data event, watched for the one virtual thread that reads the channel at a time. Arming is
     * one-shot: the event's signal disarms the watch and unparks the reader, which arms again for its next wait.
     */
    final class Watch {
        final long event;
        // Guarded by lock.
        private Group group;
        private boolean armed;
        /** In the array of the group's current wait: the event must not be closed before the next rebuild. */
        private boolean inWait;
        private boolean removed;
        private volatile Thread waiter;
        private volatile boolean fired;
        private String failedCall = "";

        Watch(long event) {
            this.event = event;
        }

        /** Sets the thread to unpark; the reader does, before it arms. */
        void waiter(Thread thread) {
            waiter = thread;
        }

        /**
         * Arms the watch for the current waiter: joins a group at the first call (making one if all are full),
         * clears the last signal and wakes the group's thread so that it waits on the event too. Once the watch
         * is removed it does nothing; the reader then finds its channel closed.
         *
         * @return 0, or the error of the failed call ({@link #failedCall()})
         */
        int arm() {
            lock.lock();
            try {
                fired = false;
                if (removed || armed) {
                    return 0;
                }
                if (group == null) {
                    int error = join(this);
                    if (error != 0) {
                        return error;
                    }
                }
                armed = true;
                group.armed.add(this);
                int error = group.wake();
                if (error != 0) {
                    group.armed.remove(this);
                    armed = false;
                    failedCall = "SetEvent";
                }
                return error;
            } finally {
                lock.unlock();
            }
        }

        /** The call whose error {@link #arm()} returned. */
        String failedCall() {
            return failedCall;
        }

        /** True if the event was signalled since the last {@link #arm()}; clears it. */
        boolean takeFired() {
            if (fired) {
                fired = false;
                return true;
            }
            return false;
        }

        /**
         * The reader leaves its wait (a packet, a deadline, an interrupt or close): the watch is no longer armed.
         * The group's thread may still wait on the event until it next rebuilds its array; a signal then finds
         * the watch disarmed and only makes it rebuild.
         */
        void disarm() {
            waiter = null;
            lock.lock();
            try {
                if (armed) {
                    armed = false;
                    group.armed.remove(this);
                }
            } finally {
                lock.unlock();
            }
        }

        /** The close gate's wake-up step: unparks the reader, which then finds the channel closed. */
        void wakeWaiter() {
            Thread t = waiter;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        /**
         * Takes the watch out of its group before the owner closes the event: returns only once no group thread
         * waits on the event (the group rebuilt its array without it, or ended). Idempotent.
         */
        void remove() {
            lock.lock();
            try {
                if (removed) {
                    return;
                }
                removed = true;
                Group g = group;
                if (g == null) {
                    return;
                }
                if (armed) {
                    armed = false;
                    g.armed.remove(this);
                }
                group = null;
                g.members--;
                if (g.members == 0) {
                    g.retired = true;
                    groups.remove(g);
                }
                if (inWait || g.retired) {
                    long seen = g.generation;
                    g.wake();
                    while (g.generation == seen) {
                        rebuilt.awaitUninterruptibly();
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** The group's thread saw the event signalled. */
        private void fire() {
            armed = false;
            fired = true;
            Thread t = waiter;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Puts {@code w} into a group with room, making one if none has; holds the lock. Returns 0 or an error. */
    private int join(Watch w) {
        Group g = null;
        for (Group candidate : groups) {
            if (candidate.members < GROUP_SIZE) {
                g = candidate;
                break;
            }
        }
        if (g == null) {
            long wake = k32.CreateEvent(true, false);
            if (wake == 0) {
                w.failedCall = "CreateEvent";
                return k32.GetLastError();
            }
            g = new Group(wake);
            groups.add(g);
            Thread t = new Thread(g::run, "tuntap-event-waiter");
            t.setDaemon(true);
            threads++;
            t.start();
        }
        g.members++;
        w.group = g;
        return 0;
    }

    /** One platform thread in WaitForMultipleObjects on [its wake event, the armed watches' events]. */
    private final class Group {
        private final long wakeEvent;
        /** HANDLE[MAXIMUM_WAIT_OBJECTS]: the wake event, then the armed events; the thread's own. */
        private final Memory handles = new Memory(8L * Kernel32Io.MAXIMUM_WAIT_OBJECTS);
        /** The watch of each index of the last array; the thread's own. */
        private final Watch[] slots = new Watch[Kernel32Io.MAXIMUM_WAIT_OBJECTS];
        // Guarded by lock.
        private final List<Watch> armed = new ArrayList<>(GROUP_SIZE);
        private int members;
        private boolean retired;
        private boolean wakeSet;
        private long generation;

        Group(long wakeEvent) {
            this.wakeEvent = wakeEvent;
            handles.setLong(0, wakeEvent);
        }

        /** Makes the thread rebuild its array; holds the lock. Returns 0 or the error of SetEvent. */
        int wake() {
            if (wakeSet) {
                return 0;
            }
            if (!k32.SetEvent(wakeEvent)) {
                return k32.GetLastError();
            }
            wakeSet = true;
            return 0;
        }

        void run() {
            long base = Pointer.nativeValue(handles);
            int count = 1;
            while (true) {
                count = rebuild(count);
                if (count < 0) {
                    return;
                }
                try {
                    int r = k32.WaitForMultipleObjects(count, base, false, Kernel32Io.INFINITE);
                    if (r == Kernel32Io.WAIT_OBJECT_0) {
                        continue; // the wake event: rebuild
                    }
                    if (r > Kernel32Io.WAIT_OBJECT_0 && r < Kernel32Io.WAIT_OBJECT_0 + count) {
                        signalled(slots[r - Kernel32Io.WAIT_OBJECT_0]);
                        continue;
                    }
                    LOG.log(Level.ERROR, "tuntap: WaitForMultipleObjects for parked virtual threads returned {0} "
                            + "(error {1}); waking its readers", Integer.toUnsignedString(r), k32.GetLastError());
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "tuntap: the wait for parked virtual threads failed; waking its readers", e);
                }
                // WAIT_FAILED (or a value no event gives): every armed reader looks for itself, with a wait of its
                // own that reports the error; paused so that a lasting failure is not spun on. The thread goes on,
                // so that close still finds it to take its watches out.
                failAll();
                LockSupport.parkNanos(1_000_000);
            }
        }

        /** Fills the array with the armed watches; -1 once the group is retired (its event closed). */
        private int rebuild(int previous) {
            lock.lock();
            try {
                for (int i = 1; i < previous; i++) {
                    slots[i].inWait = false;
                    slots[i] = null;
                }
                if (retired) {
                    k32.CloseHandle(wakeEvent);
                    handles.close();
                    threads--;
                    generation++;
                    rebuilt.signalAll();
                    return -1;
                }
                // Reset before reading the armed list: an arm from now on sets the event again.
                wakeSet = false;
                k32.ResetEvent(wakeEvent);
                int count = 1;
                for (Watch w : armed) {
                    handles.setLong(8L * count, w.event);
                    slots[count++] = w;
                    w.inWait = true;
                }
                generation++;
                rebuilt.signalAll();
                return count;
            } finally {
                lock.unlock();
            }
        }

        private void signalled(Watch w) {
            lock.lock();
            try {
                if (w.armed && w.group == this) {
                    armed.remove(w);
                    w.fire();
                }
            } finally {
                lock.unlock();
            }
        }

        private void failAll() {
            lock.lock();
            try {
                for (Watch w : armed) {
                    w.fire();
                }
                armed.clear();
            } finally {
                lock.unlock();
            }
        }
    }
}
