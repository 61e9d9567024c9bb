// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.bsd.jna.Kevent;
import io.tuntap.posix.PollParkingPoller;
import io.tuntap.testkit.VirtualThreadContract;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads on virtual threads against each BSD fake kernel and macOS's: they park with the kqueue poller (its thread
 * waits in the fake's kevent) instead of pinning a carrier in poll. Runs on Java 21 and later (the virtual-threads
 * Surefire execution); skipped before.
 */
class BsdVirtualThreadFakeTest {

    @Nested
    class FreeBsd extends VirtualThreadContract {
        @Override
        protected DeviceUnderTest open(DeviceConfig config) throws Exception {
            return Fakes.underTest(new FakeFreeBsd(15), config);
        }
    }

    @Nested
    class OpenBsd extends VirtualThreadContract {
        @Override
        protected DeviceUnderTest open(DeviceConfig config) throws Exception {
            return Fakes.underTest(new FakeOpenBsd(), config);
        }
    }

    @Nested
    class NetBsd extends VirtualThreadContract {
        @Override
        protected DeviceUnderTest open(DeviceConfig config) throws Exception {
            return Fakes.underTest(new FakeNetBsd(), config);
        }
    }

    @Nested
    class Darwin extends VirtualThreadContract {
        @Override
        protected DeviceUnderTest open(DeviceConfig config) throws Exception {
            return Fakes.underTest(new FakeDarwin(), config);
        }

        @Override
        protected Set<DeviceMode> supportedModes() {
            return EnumSet.of(DeviceMode.TUN, DeviceMode.TAP);
        }
    }

    /**
     * The poller they park with is the kqueue one of each fake: while a read is parked the fake has one kqueue,
     * close-on-exec, with the device fd's read filter in it, and the poller thread waits in kevent; each packet
     * wakes its reader, each new wait arms the filter again (one-shot), and closing the device leaves no knote.
     */
    @Nested
    class KqueuePoller {
        private static final long WAIT_MILLIS = 30_000;

        static FakeKernel[] kernels() {
            return Fakes.all();
        }

        private static int keventCalls(FakeKernel k) {
            synchronized (k) {
                return k.calls.getOrDefault("kevent", 0);
            }
        }

        /** The fd number through which the device's packets go (the tun/tap node, or utun's socket). */
        private static int packetFd(FakeKernel k, String name) {
            synchronized (k) {
                for (Map.Entry<Integer, FakeKernel.Fd> e : k.fds.entrySet()) {
                    FakeKernel.Fd f = e.getValue();
                    if (f instanceof FakeKernel.DeviceFd d && d.iface.name.equals(name)
                            || f instanceof FakeKernel.SocketFd s && s.utun != null && s.utun.name.equals(name)) {
                        return e.getKey();
                    }
                }
            }
            throw new AssertionError("no packet fd for " + name);
        }

        @ParameterizedTest
        @MethodSource("kernels")
        void aVirtualThreadsReadParksInTheKqueuePoller(FakeKernel k) throws Exception {
            ThreadFactory virtual = VirtualThreadContract.virtualThreads();
            Assumptions.assumeTrue(virtual != null, "no virtual threads before Java 21");
            assertInstanceOf(KqueueParkingPoller.class, k.parkingPoller());
            assertTrue(BsdProbe.poller(k).startsWith("kqueue"), BsdProbe.poller(k));
            Kevent layout = Kevent.of(k.abi.os);
            // With an address: a NetBSD tun without one answers EHOSTDOWN, which waits without the poller.
            BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().address("10.9.0.1/24").build());
            int fd = packetFd(k, d.name());
            AtomicInteger got = new AtomicInteger();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Runnable read = () -> {
                try {
                    got.set(d.read(ByteBuffer.allocateDirect(2048)));
                } catch (Throwable t) {
                    thrown.set(t);
                }
            };
            try {
                Thread reader = virtual.newThread(read);
                reader.start();
                VirtualThreadContract.awaitParked(reader);
                List<Integer> kqueues = k.kqueues();
                assertEquals(1, kqueues.size(), "one kqueue");
                int kq = kqueues.get(0);
                assertEquals(List.of(fd + "/" + layout.evfiltRead), k.knotes(kq), "the device's read filter, armed");
                synchronized (k) {
                    assertTrue(k.fds.get(kq).closeOnExec, "the kqueue is close-on-exec");
                }
                assertFalse(PollParkingPoller.of(k).running(), "no poll poller thread");
                // Armed by the reader's kevent; the poller thread, started with the kqueue, calls it too, maybe later.
            long until = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
            while (keventCalls(k) < 2 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertTrue(keventCalls(k) >= 2, "armed, and the poller waits in kevent");

                byte[] packet = new byte[28];
                packet[0] = 0x45;
                packet[3] = 28;
                packet[8] = 64;
                packet[9] = 17;
                k.host(d.name()).write(ByteBuffer.wrap(packet));
                reader.join(WAIT_MILLIS);
                assertFalse(reader.isAlive(), "the packet woke the reader");
                assertEquals(null, thrown.get());
                assertEquals(28, got.get());
                assertEquals(List.of(), k.knotes(kq), "the one-shot knote went with its event");

                // The next wait on the same device arms the filter again, and the next packet wakes it.
                got.set(0);
                Thread second = virtual.newThread(read);
                second.start();
                VirtualThreadContract.awaitParked(second);
                assertEquals(List.of(fd + "/" + layout.evfiltRead), k.knotes(kq), "re-armed by the next wait");
                k.host(d.name()).write(ByteBuffer.wrap(packet));
                second.join(WAIT_MILLIS);
                assertFalse(second.isAlive(), "the second packet woke the second reader");
                assertEquals(28, got.get());

                // Parked again, then closed: the wait ends with DeviceClosedException and nothing stays armed.
                Thread third = virtual.newThread(read);
                third.start();
                VirtualThreadContract.awaitParked(third);
                d.close();
                third.join(WAIT_MILLIS);
                assertFalse(third.isAlive(), "close woke the reader");
                assertInstanceOf(DeviceClosedException.class, thrown.get());
                assertEquals(List.of(), k.knotes(kq), "deregistered before the fd was closed");
                assertEquals(List.of(kq), k.kqueues(), "the kqueue stays for the next device");
            } finally {
                d.close();
            }
        }

        /** A kqueue that cannot be made fails the wait with an exception naming the call, and the device stays. */
        @ParameterizedTest
        @MethodSource("kernels")
        void aKqueueThatCannotBeMadeFailsTheWaitNamingIt(FakeKernel k) throws Exception {
            ThreadFactory virtual = VirtualThreadContract.virtualThreads();
            Assumptions.assumeTrue(virtual != null, "no virtual threads before Java 21");
            k.kqueueErrno = io.tuntap.bsd.jna.BsdErrno.EMFILE;
            try (BsdTunTapDevice d = Fakes.open(k, DeviceConfig.tun().address("10.9.0.1/24").build())) {
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread reader = virtual.newThread(() -> {
                    try {
                        d.read(ByteBuffer.allocateDirect(2048));
                    } catch (Throwable t) {
                        thrown.set(t);
                    }
                });
                reader.start();
                reader.join(WAIT_MILLIS);
                assertFalse(reader.isAlive());
                io.tuntap.TunTapException e = assertInstanceOf(io.tuntap.TunTapException.class, thrown.get());
                String call = k.hasKqueue1() ? "kqueue1(O_CLOEXEC)" : "kqueue";
                assertTrue(e.getMessage().contains(call), e.getMessage());
                assertEquals(io.tuntap.bsd.jna.BsdErrno.EMFILE, e.errorCode());
                assertTrue(d.isOpen(), "the device stays open");
                assertEquals(List.of(), k.kqueues(), "nothing made");
            }
        }
    }
}
