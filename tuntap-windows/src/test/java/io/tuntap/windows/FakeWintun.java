// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.PacketChannel;
import io.tuntap.TunTapException;
import io.tuntap.windows.win32.WintunLibrary;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code wintun.dll} in memory, with real rings: each session has a receive ring and a send ring of the
 * requested capacity in native memory, holding packets as Wintun lays them out ({@code ULONG Size} then the
 * data, 4-byte aligned, wrapping around). Behaviour as {@code wintun.h} documents it: an empty receive ring
 * gives {@code ERROR_NO_MORE_ITEMS}, a full send ring {@code ERROR_BUFFER_OVERFLOW}, a removed adapter
 * {@code ERROR_HANDLE_EOF}; the session's read event (an auto-reset event of the given kernel32 fake, as
 * Wintun's is) is set when a packet arrives; one session per adapter; creating needs {@link #admin}. The host's
 * side reads what the device sent and sends it packets; {@link #hostStalled} stops the host from draining the
 * send ring.
 *
 * <p>It checks its caller: a call on a session while {@code WintunEndSession} runs or after it, a packet
 * released twice or not in the ring, or an adapter closed with a session open, is recorded in
 * {@link #violations}.
 */
final class FakeWintun implements WintunLibrary {
    final FakeTapDriver k32;
    final FakeIpHelper ip;
    volatile boolean admin = true;
    volatile boolean hostStalled;
    final List<String> violations = new ArrayList<>();
    private final ThreadLocal<int[]> lastError = ThreadLocal.withInitial(() -> new int[1]);
    private final Object lock = new Object();
    private final Map<Long, Adapter> adapters = new HashMap<>();
    private final Map<Long, Session> sessions = new HashMap<>();
    private long next = 0x7000;
    private long nextLuid = 0x0035_0000_0000_0001L;
    int version = 0x000E0000; // 0.14

    final class Adapter {
        final String name;
        final UUID guid;
        final long luid;
        int handles;
        boolean created;
        boolean removed;
        Session session;

        Adapter(String name, UUID guid, long luid) {
            this.name = name;
            this.guid = guid;
            this.luid = luid;
        }
    }

    /** A ring of packets: Size (4 bytes) then data, each entry aligned to 4, wrapping at the end. */
    static final class Ring {
        final Memory memory;
        final int capacity;
        int head;
        int tail;
        int used;
        final ArrayDeque<int[]> entries = new ArrayDeque<>(); // {offset of the entry, total length, committed}

        Ring(int capacity) {
            this.capacity = capacity;
            this.memory = new Memory(capacity);
            memory.clear();
        }

        /** Reserves an entry for {@code size} data bytes; -1 if it does not fit. */
        int reserve(int size) {
            int total = (4 + size + 3) & ~3;
            int offset = tail;
            int waste = 0;
            if (offset + total > capacity) {
                waste = capacity - offset;
                offset = 0;
            }
            if (used + waste + total > capacity) {
                return -1;
            }
            used += waste + total;
            tail = (offset + total) % capacity;
            memory.setInt(offset, size);
            entries.addLast(new int[] {offset, total + waste, 0, waste});
            return offset;
        }

        long data(int offset) {
            return Pointer.nativeValue(memory) + offset + 4;
        }

        /** Frees the oldest entry. */
        void release() {
            int[] e = entries.pollFirst();
            used -= e[1];
        }

        void close() {
            memory.close();
        }
    }

    final class Session {
        final Adapter adapter;
        long owner;
        final Ring receive;
        final Ring send;
        final long readEvent;
        final AtomicInteger inCalls = new AtomicInteger();
        volatile boolean ending;
        boolean ended;
        final ArrayDeque<Long> handedOut = new ArrayDeque<>();

        Session(Adapter adapter, int capacity) {
            this.adapter = adapter;
            this.receive = new Ring(capacity);
            this.send = new Ring(capacity);
            // An auto-reset event, as WintunStartSession makes it (WireGuard/wintun 005af4a9 api/session.c:
            // CreateEventW(&SecurityAttributes, FALSE, FALSE, NULL)); a wait it satisfies resets it.
            this.readEvent = k32.createAutoResetEvent();
        }
    }

    FakeWintun(FakeTapDriver k32, FakeIpHelper ip) {
        this.k32 = k32;
        this.ip = ip;
    }

    private long fail(int error) {
        lastError.get()[0] = error;
        return 0;
    }

    @Override
    public int GetLastError() {
        return lastError.get()[0];
    }

    /** An adapter that exists already, as left by another program. */
    Adapter existing(String name) {
        synchronized (lock) {
            Adapter a = new Adapter(name, UUID.randomUUID(), nextLuid++);
            adapters.put(next++, a);
            ip.add(a.guid, a.luid, (int) (a.luid & 0xff) + 40, name);
            return a;
        }
    }

    private Adapter byName(String name) {
        for (Adapter a : adapters.values()) {
            if (a.name.equalsIgnoreCase(name) && !a.removed) {
                return a;
            }
        }
        return null;
    }

    private final Map<Long, Adapter> handles = new HashMap<>();

    @Override
    public long WintunCreateAdapter(String name, String tunnelType, UUID requestedGuid) {
        synchronized (lock) {
            if (!admin) {
                return fail(WinErrors.ERROR_ACCESS_DENIED);
            }
            Adapter a = new Adapter(name, requestedGuid != null ? requestedGuid : UUID.randomUUID(), nextLuid++);
            a.created = true;
            a.handles = 1;
            adapters.put(next++, a);
            ip.add(a.guid, a.luid, (int) (a.luid & 0xff) + 40, name);
            long h = next++;
            handles.put(h, a);
            return h;
        }
    }

    @Override
    public long WintunOpenAdapter(String name) {
        synchronized (lock) {
            Adapter a = byName(name);
            if (a == null) {
                return fail(WinErrors.ERROR_FILE_NOT_FOUND);
            }
            a.handles++;
            long h = next++;
            handles.put(h, a);
            return h;
        }
    }

    @Override
    public void WintunCloseAdapter(long adapter) {
        synchronized (lock) {
            Adapter a = handles.remove(adapter);
            if (a == null) {
                violations.add("WintunCloseAdapter of an unknown handle");
                return;
            }
            if (a.session != null && a.session.owner == adapter) {
                violations.add("WintunCloseAdapter with its session still open");
            }
            if (--a.handles == 0 && a.created) {
                a.removed = true; // Wintun removes the adapter it created once its handle closes
                synchronized (ip) {
                    ip.interfaces.remove(a.luid);
                }
            }
        }
    }

    @Override
    public long WintunGetAdapterLUID(long adapter) {
        synchronized (lock) {
            return handles.get(adapter).luid;
        }
    }

    @Override
    public int WintunGetRunningDriverVersion() {
        return version;
    }

    @Override
    public long WintunStartSession(long adapter, int capacity) {
        synchronized (lock) {
            Adapter a = handles.get(adapter);
            if (capacity < MIN_RING_CAPACITY || capacity > MAX_RING_CAPACITY || Integer.bitCount(capacity) != 1) {
                return fail(WinErrors.ERROR_INVALID_PARAMETER);
            }
            if (a.session != null) {
                return fail(WinErrors.ERROR_ALREADY_EXISTS);
            }
            Session s = new Session(a, capacity);
            s.owner = adapter;
            a.session = s;
            long h = next++;
            sessions.put(h, s);
            return h;
        }
    }

    private Session enter(long session) {
        Session s;
        synchronized (lock) {
            s = sessions.get(session);
        }
        if (s == null) {
            violations.add("a call on an ended or unknown session");
            return null;
        }
        s.inCalls.incrementAndGet();
        if (s.ending) {
            violations.add("a call on a session while WintunEndSession runs");
        }
        return s;
    }

    @Override
    public void WintunEndSession(long session) {
        Session s;
        synchronized (lock) {
            s = sessions.remove(session);
        }
        if (s == null) {
            violations.add("WintunEndSession of an unknown session");
            return;
        }
        s.ending = true;
        if (s.inCalls.get() != 0) {
            violations.add("WintunEndSession while a call on the session is running");
        }
        synchronized (lock) {
            s.adapter.session = null;
            s.ended = true;
            s.receive.close();
            s.send.close();
            k32.CloseHandle(s.readEvent);
            lock.notifyAll();
        }
    }

    @Override
    public long WintunGetReadWaitEvent(long session) {
        synchronized (lock) {
            return sessions.get(session).readEvent;
        }
    }

    @Override
    public long WintunReceivePacket(long session, long packetSizeAddress) {
        Session s = enter(session);
        if (s == null) {
            return fail(WinErrors.ERROR_INVALID_HANDLE);
        }
        try {
            synchronized (lock) {
                if (s.adapter.removed) {
                    return fail(WinErrors.ERROR_HANDLE_EOF);
                }
                for (int[] e : s.receive.entries) {
                    if (e[2] == 1) { // committed and not handed out yet
                        e[2] = 2;
                        int offset = e[0];
                        new Pointer(packetSizeAddress).setInt(0, s.receive.memory.getInt(offset));
                        long data = s.receive.data(offset);
                        s.handedOut.addLast(data);
                        return data;
                    }
                }
                return fail(WinErrors.ERROR_NO_MORE_ITEMS);
            }
        } finally {
            s.inCalls.decrementAndGet();
        }
    }

    @Override
    public void WintunReleaseReceivePacket(long session, long packet) {
        Session s = enter(session);
        if (s == null) {
            return;
        }
        try {
            synchronized (lock) {
                Long first = s.handedOut.peekFirst();
                if (first == null || first != packet) {
                    violations.add("WintunReleaseReceivePacket of a packet not handed out (or out of order)");
                    return;
                }
                s.handedOut.pollFirst();
                s.receive.release();
            }
        } finally {
            s.inCalls.decrementAndGet();
        }
    }

    @Override
    public long WintunAllocateSendPacket(long session, int packetSize) {
        Session s = enter(session);
        if (s == null) {
            return fail(WinErrors.ERROR_INVALID_HANDLE);
        }
        try {
            synchronized (lock) {
                if (s.adapter.removed) {
                    return fail(WinErrors.ERROR_HANDLE_EOF);
                }
                if (packetSize <= 0 || packetSize > MAX_IP_PACKET_SIZE) {
                    return fail(WinErrors.ERROR_INVALID_PARAMETER);
                }
                int offset = s.send.reserve(packetSize);
                if (offset < 0) {
                    return fail(WinErrors.ERROR_BUFFER_OVERFLOW);
                }
                return s.send.data(offset);
            }
        } finally {
            s.inCalls.decrementAndGet();
        }
    }

    @Override
    public void WintunSendPacket(long session, long packet) {
        Session s = enter(session);
        if (s == null) {
            return;
        }
        try {
            synchronized (lock) {
                for (int[] e : s.send.entries) {
                    if (s.send.data(e[0]) == packet) {
                        e[2] = 1;
                        lock.notifyAll();
                        return;
                    }
                }
                violations.add("WintunSendPacket of a packet not allocated");
            }
        } finally {
            s.inCalls.decrementAndGet();
        }
    }

    // ---- test hooks and the host's side ----------------------------------------------------------

    private Session current() {
        for (Session s : sessions.values()) {
            return s;
        }
        return null;
    }

    /** The adapter goes away (disabled or uninstalled): session calls now fail with ERROR_HANDLE_EOF. */
    void removeAdapter() {
        synchronized (lock) {
            Session s = current();
            if (s != null) {
                s.adapter.removed = true;
                k32.SetEvent(s.readEvent);
            }
        }
    }

    /** Free bytes of the current session's send ring. */
    int sendRingFree() {
        synchronized (lock) {
            Session s = current();
            return s == null ? -1 : s.send.capacity - s.send.used;
        }
    }

    int openHandles() {
        synchronized (lock) {
            return handles.size();
        }
    }

    int openSessions() {
        synchronized (lock) {
            return sessions.size();
        }
    }

    boolean exists(String name) {
        synchronized (lock) {
            return byName(name) != null;
        }
    }

    /** The host stack sends an IP packet to the adapter; false if the receive ring is full (dropped). */
    boolean hostSend(byte[] packet) {
        synchronized (lock) {
            Session s = current();
            if (s == null) {
                return false;
            }
            int offset = s.receive.reserve(packet.length);
            if (offset < 0) {
                return false;
            }
            s.receive.memory.write(offset + 4, packet, 0, packet.length);
            s.receive.entries.peekLast()[2] = 1;
            k32.SetEvent(s.readEvent);
            return true;
        }
    }

    /** The next packet the device sent, waiting at most {@code millis}; null if none. */
    byte[] hostReceive(long millis) {
        synchronized (lock) {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (true) {
                Session s = current();
                if (s != null && !hostStalled) {
                    int[] e = s.send.entries.peekFirst();
                    if (e != null && e[2] == 1) {
                        byte[] p = s.send.memory.getByteArray(e[0] + 4, s.send.memory.getInt(e[0]));
                        s.send.release();
                        return p;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    /** The host side as a channel of IP packets, for {@link io.tuntap.testkit.ChannelPeer}. */
    PacketChannel host() {
        return new PacketChannel() {
            @Override
            public int read(ByteBuffer dst) {
                return read(dst, Duration.ofDays(1));
            }

            @Override
            public int read(ByteBuffer dst, Duration timeout) {
                byte[] p = hostReceive(Math.max(0, timeout.toMillis()));
                if (p == null) {
                    return 0;
                }
                dst.put(p);
                return p.length;
            }

            @Override
            public int write(ByteBuffer src) throws TunTapException {
                byte[] p = new byte[src.remaining()];
                src.get(p);
                hostSend(p);
                return p.length;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
