// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.Kevent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fake kernels' kqueue and kevent, on pipes, against what each system's kern_event.c does (see the comment
 * over kqueue in {@link FakeKernel}: NetBSD/src 01298e0d sys/kern/kern_event.c kevent1, kqueue_register,
 * kqueue_scan, knote_fdclose; xnu's kevent_internal where it differs).
 */
class KqueueFakeTest {

    static FakeKernel[] kernels() {
        return Fakes.all();
    }

    /** A pipe and a kqueue on a fake, with room for two events and two changes. */
    private static final class Bench implements AutoCloseable {
        final FakeKernel k;
        final Kevent layout;
        final int kq;
        final int readEnd;
        final int writeEnd;
        final Memory changes;
        final Memory events;
        final ByteBuffer c;
        final ByteBuffer e;
        final Memory one = new Memory(8);

        Bench(FakeKernel k) {
            this.k = k;
            layout = Kevent.of(k.abi.os);
            kq = k.kqueue();
            try (Memory fds = new Memory(8)) {
                k.pipe(Pointer.nativeValue(fds));
                readEnd = fds.getInt(0);
                writeEnd = fds.getInt(4);
            }
            changes = new Memory(2L * layout.size);
            events = new Memory(2L * layout.size);
            c = changes.getByteBuffer(0, 2L * layout.size).order(ByteOrder.nativeOrder());
            e = events.getByteBuffer(0, 2L * layout.size).order(ByteOrder.nativeOrder());
            one.setByte(0, (byte) 1);
        }

        void change(int i, int fd, int filter, int flags, long udata) {
            layout.put(c, i * layout.size, fd, filter, flags, udata);
        }

        int kevent(int nchanges, int nevents, long timeoutNanos) {
            if (timeoutNanos < 0) {
                return k.kevent(kq, Pointer.nativeValue(changes), nchanges, Pointer.nativeValue(events), nevents, 0);
            }
            try (Memory ts = new Memory(Kevent.TIMESPEC_SIZE)) {
                ts.setLong(0, timeoutNanos / 1_000_000_000L);
                ts.setLong(8, timeoutNanos % 1_000_000_000L);
                return k.kevent(kq, Pointer.nativeValue(changes), nchanges, Pointer.nativeValue(events), nevents,
                        Pointer.nativeValue(ts));
            }
        }

        void writeByte() {
            assertEquals(1, k.write(writeEnd, Pointer.nativeValue(one), 1));
        }

        @Override
        public void close() {
            changes.close();
            events.close();
            one.close();
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void changesApplyBeforeTheEventListFillsAndOneShotKnotesGoAfterDelivery(FakeKernel k) {
        try (Bench b = new Bench(k)) {
            b.writeByte();
            b.change(0, b.readEnd, b.layout.evfiltRead, Kevent.EV_ADD | Kevent.EV_ONESHOT, 42);
            // One call: the knote is added, its filter finds the byte, and the same call reports it.
            assertEquals(1, b.kevent(1, 2, 0));
            assertEquals(b.readEnd, (int) b.e.getLong(0));
            assertEquals(b.layout.evfiltRead, b.layout.filter(b.e, 0));
            assertEquals(42, b.layout.udata(b.e, 0));
            assertEquals(List.of(), k.knotes(b.kq), "kqueue_scan: delete ONESHOT events after retrieval");
            assertEquals(0, b.kevent(0, 2, 0), "nothing is reported again");
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void addOnAnExistingKnoteChangesItsUdataNotItsFlags(FakeKernel k) {
        try (Bench b = new Bench(k)) {
            b.change(0, b.readEnd, b.layout.evfiltRead, Kevent.EV_ADD, 1);
            assertEquals(0, b.kevent(1, 0, -1));
            b.change(0, b.readEnd, b.layout.evfiltRead, Kevent.EV_ADD | Kevent.EV_ONESHOT, 2);
            assertEquals(0, b.kevent(1, 0, -1));
            assertEquals(1, k.knotes(b.kq).size(), "one knote per fd and filter");
            b.writeByte();
            assertEquals(1, b.kevent(0, 2, 0));
            assertEquals(2, b.layout.udata(b.e, 0), "the new udata");
            assertEquals(0, b.layout.flags(b.e, 0) & Kevent.EV_ONESHOT, "the flags of the first EV_ADD");
            assertEquals(1, k.knotes(b.kq).size(), "not one-shot: still there");
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aBadFdIsAnErrorEventWhenThereIsRoomElseTheCallFails(FakeKernel k) {
        try (Bench b = new Bench(k)) {
            b.writeByte();
            b.change(0, 9999, b.layout.evfiltRead, Kevent.EV_ADD, 7);
            b.change(1, b.readEnd, b.layout.evfiltRead, Kevent.EV_ADD | Kevent.EV_ONESHOT, 8);
            // Room: the error comes back as an event, and the call returns the errors only, without scanning.
            assertEquals(1, b.kevent(2, 2, -1));
            assertEquals(Kevent.EV_ERROR, b.layout.flags(b.e, 0));
            assertEquals(BsdErrno.EBADF, b.layout.data(b.e, 0));
            assertEquals(7, b.layout.udata(b.e, 0));
            assertEquals(1, k.knotes(b.kq).size(), "the good change was applied");
            b.change(0, b.readEnd, b.layout.evfiltRead, Kevent.EV_DELETE, 0);
            assertEquals(0, b.kevent(1, 0, -1));
            // No room: the call fails with EBADF.
            b.change(0, 9999, b.layout.evfiltRead, Kevent.EV_ADD, 7);
            b.change(1, b.readEnd, b.layout.evfiltRead, Kevent.EV_ADD, 8);
            assertEquals(-1, b.kevent(2, 0, -1));
            assertEquals(BsdErrno.EBADF, k.errno());
            // FreeBSD, OpenBSD and NetBSD stop at the failed change; xnu applies the rest.
            assertEquals(k.abi.os == io.tuntap.bsd.jna.BsdAbi.Os.DARWIN ? 1 : 0, k.knotes(b.kq).size());
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void deletingAMissingKnoteIsEnoent(FakeKernel k) {
        try (Bench b = new Bench(k)) {
            b.change(0, b.readEnd, b.layout.evfiltRead, Kevent.EV_DELETE, 0);
            assertEquals(-1, b.kevent(1, 0, -1));
            assertEquals(BsdErrno.ENOENT, k.errno());
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void closingAnFdRemovesItsKnotes(FakeKernel k) {
        try (Bench b = new Bench(k)) {
            b.change(0, b.readEnd, b.layout.evfiltRead, Kevent.EV_ADD, 1);
            b.change(1, b.writeEnd, b.layout.evfiltWrite, Kevent.EV_ADD, 2);
            assertEquals(0, b.kevent(2, 0, -1));
            assertEquals(2, k.knotes(b.kq).size());
            k.close(b.readEnd);
            assertEquals(List.of(b.writeEnd + "/" + b.layout.evfiltWrite), k.knotes(b.kq));
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aTimeoutEndsTheWaitWithNoEventsAndAZeroOnePolls(FakeKernel k) {
        try (Bench b = new Bench(k)) {
            b.change(0, b.readEnd, b.layout.evfiltRead, Kevent.EV_ADD, 1);
            assertEquals(0, b.kevent(1, 2, 0), "zero: a poll");
            long start = System.nanoTime();
            assertEquals(0, b.kevent(0, 2, 200_000_000L));
            assertTrue(System.nanoTime() - start >= 150_000_000L, "waited about the timeout");
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void aWaitWithoutTimeoutEndsWithTheEventOrEintr(FakeKernel k) throws Exception {
        try (Bench b = new Bench(k)) {
            b.change(0, b.readEnd, b.layout.evfiltRead, Kevent.EV_ADD | Kevent.EV_ONESHOT, 5);
            assertEquals(0, b.kevent(1, 0, -1));
            AtomicInteger got = new AtomicInteger(-2);
            Thread waiter = new Thread(() -> got.set(b.kevent(0, 2, -1)));
            waiter.start();
            Thread.sleep(100);
            b.writeByte();
            waiter.join(30_000);
            assertEquals(1, got.get(), "the byte woke the wait");
            AtomicInteger errno = new AtomicInteger();
            Thread interrupted = new Thread(() -> {
                got.set(b.kevent(0, 2, -1));
                errno.set(k.errno());
            });
            interrupted.start();
            Thread.sleep(100);
            interrupted.interrupt();
            interrupted.join(30_000);
            assertFalse(interrupted.isAlive());
            assertEquals(-1, got.get());
            assertEquals(BsdErrno.EINTR, errno.get(), "kqueue_scan: don't restart after signals");
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void onlyNetBsdHasKqueue1AndItsCloexecSticks(FakeKernel k) {
        assertEquals(k.abi.os == io.tuntap.bsd.jna.BsdAbi.Os.NETBSD, k.hasKqueue1());
        if (k.hasKqueue1()) {
            int kq = k.kqueue1(k.abi.oCloexec);
            assertTrue(k.fds.get(kq).closeOnExec);
        }
    }
}
