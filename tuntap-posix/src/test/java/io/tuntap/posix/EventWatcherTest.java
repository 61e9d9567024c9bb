// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.TunTapException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The event thread's life on this host's real pipes: one pipe stands for the notification socket, another is the
 * wake-up handle. Each case waits with a margin of seconds, so that a loaded machine does not fail it. Linux's
 * EINTR (4) is from torvalds/linux include/uapi/asm-generic/errno-base.h.
 */
@EnabledOnOs(OS.LINUX)
class EventWatcherTest {
    private static final int EINTR = 4;
    private static final long WAIT_SECONDS = 10;

    /** The calls of the real binding, with the writes and closes each fd got counted. */
    private static final class CountingLibC extends DelegatingPosixLibC {
        final List<Integer> writes = new CopyOnWriteArrayList<>();
        final List<Integer> closes = new CopyOnWriteArrayList<>();
        final AtomicInteger polls = new AtomicInteger();

        CountingLibC() {
            super(PosixCalls.libc());
        }

        @Override
        public long write(int fd, long buf, long count) {
            writes.add(fd);
            return super.write(fd, buf, count);
        }

        @Override
        public int close(int fd) {
            closes.add(fd);
            return super.close(fd);
        }

        @Override
        public int poll(long fds, long nfds, int timeoutMillis) {
            polls.incrementAndGet();
            return super.poll(fds, nfds, timeoutMillis);
        }
    }

    private final CountingLibC libc = new CountingLibC();
    private final Memory one = new Memory(8);
    private int[] socket;
    private int[] wake;

    private int[] pipe() {
        try (Memory fds = new Memory(8)) {
            assertEquals(0, libc.pipe(Pointer.nativeValue(fds)));
            return new int[] {fds.getInt(0), fds.getInt(4)};
        }
    }

    private EventWatcher start(int idleMillis, EventWatcher.Handler handler) {
        socket = pipe();
        wake = pipe();
        return EventWatcher.start(libc, socket[0], wake[0], wake[1], 1, EINTR, "ev0", idleMillis, 64, handler,
                errno -> new TunTapException("poll", errno, "poll failed with errno " + errno));
    }

    private void send(byte b) {
        one.setByte(0, b);
        assertEquals(1, libc.write(socket[1], Pointer.nativeValue(one), 1));
    }

    @AfterEach
    void closeSocket() {
        if (socket != null) {
            PosixCalls.libc().close(socket[0]);
            PosixCalls.libc().close(socket[1]);
        }
        one.close();
    }

    /** Reads one byte per call and hands it on. */
    private abstract static class Reader implements EventWatcher.Handler {
        final CountDownLatch ended = new CountDownLatch(1);
        final AtomicInteger endings = new AtomicInteger();
        private final int fd;

        Reader(int[] socket) {
            this.fd = socket[0];
        }

        abstract boolean got(byte b) throws TunTapException;

        @Override
        public boolean readable(long buffer, ByteBuffer view) throws TunTapException {
            long n = PosixCalls.libc().read(fd, buffer, 1);
            return n != 1 || got(view.get(0));
        }

        @Override
        public void ended() {
            endings.incrementAndGet();
            ended.countDown();
        }
    }

    @Test
    void anIdleWatcherSleepsInOnePollUntilStopped() throws Exception {
        socket = pipe();
        Reader reader = new Reader(socket) {
            @Override
            boolean got(byte b) {
                return true;
            }
        };
        wake = pipe();
        EventWatcher w = EventWatcher.start(libc, socket[0], wake[0], wake[1], 1, EINTR, "ev0", -1, 64, reader,
                errno -> new TunTapException("poll", errno, "poll failed with errno " + errno));
        Thread.sleep(1_000);
        // Sliced waits would have polled ten times by now; a loaded machine can add one, not nine.
        int polls = libc.polls.get();
        w.stop();
        assertTrue(polls <= 2, polls + " polls in a second of nothing to do");
        assertEquals(1, reader.endings.get());
    }

    @Test
    void messagesReachTheHandlerAndStopEndsTheThreadAndClosesTheWakeHandleOnce() throws Exception {
        List<Byte> got = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        socket = pipe();
        Reader reader = new Reader(socket) {
            @Override
            boolean got(byte b) {
                got.add(b);
                two.countDown();
                return true;
            }
        };
        wake = pipe();
        EventWatcher w = EventWatcher.start(libc, socket[0], wake[0], wake[1], 1, EINTR, "ev0", -1, 64, reader,
                errno -> new TunTapException("poll", errno, "poll failed with errno " + errno));
        send((byte) 7);
        send((byte) 8);
        assertTrue(two.await(WAIT_SECONDS, TimeUnit.SECONDS), "both messages were handled");
        assertEquals(List.of((byte) 7, (byte) 8), got);
        w.stop();
        assertEquals(1, reader.endings.get(), "the handler's end ran once, before stop returned");
        assertEquals(List.of(wake[1]), libc.writes.stream().filter(fd -> fd == wake[1] || fd == wake[0]).toList(),
                "one wake-up");
        assertEquals(1, libc.closes.stream().filter(fd -> fd == wake[0]).count());
        assertEquals(1, libc.closes.stream().filter(fd -> fd == wake[1]).count());
        w.stop();
        assertEquals(1, libc.writes.stream().filter(fd -> fd == wake[1]).count(), "a second stop writes nothing");
        assertFalse(libc.closes.contains(socket[0]), "the socket stays the owner's");
    }

    @Test
    void aFailedRunEndsAloneAndALaterStopTouchesNoneOfItsFds() throws Exception {
        socket = pipe();
        Reader reader = new Reader(socket) {
            @Override
            boolean got(byte b) throws TunTapException {
                throw new TunTapException("recv", 5, "the socket failed");
            }
        };
        wake = pipe();
        EventWatcher w = EventWatcher.start(libc, socket[0], wake[0], wake[1], 1, EINTR, "ev0", -1, 64, reader,
                errno -> new TunTapException("poll", errno, "poll failed with errno " + errno));
        send((byte) 1);
        assertTrue(reader.ended.await(WAIT_SECONDS, TimeUnit.SECONDS), "the failure ended the run");
        w.stop();
        assertFalse(libc.writes.contains(wake[1]), "no wake-up written to a handle the thread closed");
        assertEquals(1, libc.closes.stream().filter(fd -> fd == wake[0]).count());
        assertEquals(1, reader.endings.get());
    }

    @Test
    void aHandlerThatCanTellNoMoreWaitsForStopWithItsFdsOpen() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        socket = pipe();
        Reader reader = new Reader(socket) {
            @Override
            boolean got(byte b) {
                calls.incrementAndGet();
                return false;
            }
        };
        wake = pipe();
        EventWatcher w = EventWatcher.start(libc, socket[0], wake[0], wake[1], 1, EINTR, "ev0", -1, 64, reader,
                errno -> new TunTapException("poll", errno, "poll failed with errno " + errno));
        send((byte) 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (calls.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        send((byte) 2); // no longer read
        Thread.sleep(300);
        assertEquals(1, calls.get(), "the socket is not read again");
        assertEquals(1, reader.ended.getCount(), "the run waits for stop");
        assertFalse(libc.closes.contains(wake[0]));
        w.stop();
        assertEquals(0, reader.ended.getCount());
        assertEquals(1, libc.closes.stream().filter(fd -> fd == wake[0]).count());
    }

    @Test
    void idleRunsWhenNothingCameForTheIdlePeriod() throws Exception {
        CountDownLatch idles = new CountDownLatch(2);
        EventWatcher w = start(50, new EventWatcher.Handler() {
            @Override
            public boolean readable(long buffer, ByteBuffer view) {
                return true;
            }

            @Override
            public boolean idle() {
                idles.countDown();
                return true;
            }

            @Override
            public void ended() {
            }
        });
        assertTrue(idles.await(WAIT_SECONDS, TimeUnit.SECONDS), "idle ran twice");
        w.stop();
    }

    @Test
    void aHandlerOnTheEventThreadMayStopItsOwnWatcher() throws Exception {
        AtomicReference<EventWatcher> self = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        socket = pipe();
        Reader reader = new Reader(socket) {
            @Override
            boolean got(byte b) throws TunTapException {
                try {
                    started.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                EventWatcher.stop(self); // on the event thread: must not wait for itself
                return true;
            }
        };
        wake = pipe();
        EventWatcher w = EventWatcher.start(libc, socket[0], wake[0], wake[1], 1, EINTR, "ev0", -1, 64, reader,
                errno -> new TunTapException("poll", errno, "poll failed with errno " + errno));
        self.set(w);
        started.countDown();
        send((byte) 1);
        assertTrue(reader.ended.await(WAIT_SECONDS, TimeUnit.SECONDS), "the run ended after its own stop");
        assertEquals(null, self.get());
        w.stop(); // from another thread, once it ended: writes nothing, waits for the thread to finish
        assertEquals(1, libc.writes.stream().filter(fd -> fd == wake[1]).count());
        assertEquals(1, libc.closes.stream().filter(fd -> fd == wake[1]).count());
    }
}
