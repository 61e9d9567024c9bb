// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * {@code struct kevent} and the kqueue constants of each system against its own {@code sys/event.h}, on LP64. The
 * numbers below are transcribed from the headers, not from the code under test:
 * <ul>
 * <li>FreeBSD: freebsd/freebsd-src sys/sys/event.h as in the kenrap/freebsd-src mirror at f30bcb15 (FreeBSD 12 and
 *     later): {@code __uintptr_t ident; short filter; unsigned short flags; unsigned int fflags; __int64_t data;
 *     void *udata; __uint64_t ext[4];}, EVFILT_READ (-1), EVFILT_WRITE (-2);</li>
 * <li>OpenBSD: openbsd/src sys/sys/event.h 1.56, as in the semarie/openbsd-src mirror at 72019f22: the same
 *     fields without {@code ext}, EVFILT_READ (-1), EVFILT_WRITE (-2);</li>
 * <li>NetBSD: NetBSD/src 002a0307 sys/sys/event.h 1.45: {@code uintptr_t ident; uint32_t filter; uint32_t flags;
 *     uint32_t fflags; int64_t data; void *udata;}, EVFILT_READ 0U, EVFILT_WRITE 1U;</li>
 * <li>macOS: apple-oss-distributions/xnu xnu-11417.101.15 (e3723e1f) bsd/sys/event.h lines 70-101 and 144-175:
 *     {@code uintptr_t ident; int16_t filter; uint16_t flags; uint32_t fflags; intptr_t data; void *udata;} under
 *     {@code #pragma pack(4)}, EVFILT_READ (-1), EVFILT_WRITE (-2).</li>
 * </ul>
 * The EV_ flags are the same numbers in all four: EV_ADD 0x0001, EV_DELETE 0x0002, EV_ENABLE 0x0004, EV_DISABLE
 * 0x0008, EV_ONESHOT 0x0010, EV_CLEAR 0x0020, EV_DISPATCH 0x0080 (OpenBSD 1.56, NetBSD 1.45, FreeBSD, xnu),
 * EV_ERROR 0x4000, EV_EOF 0x8000.
 */
class KeventGoldenTest {

    @Test
    void flagsMatchTheHeaders() {
        assertEquals(0x0001, Kevent.EV_ADD);
        assertEquals(0x0002, Kevent.EV_DELETE);
        assertEquals(0x0004, Kevent.EV_ENABLE);
        assertEquals(0x0008, Kevent.EV_DISABLE);
        assertEquals(0x0010, Kevent.EV_ONESHOT);
        assertEquals(0x0020, Kevent.EV_CLEAR);
        assertEquals(0x0080, Kevent.EV_DISPATCH);
        assertEquals(0x4000, Kevent.EV_ERROR);
        assertEquals(0x8000, Kevent.EV_EOF);
        // struct timespec { time_t tv_sec; long tv_nsec; } (xnu bsd/sys/_types/_timespec.h): two 8-byte fields.
        assertEquals(16, Kevent.TIMESPEC_SIZE);
    }

    @Test
    void filtersMatchTheHeaders() {
        for (BsdAbi.Os os : new BsdAbi.Os[] {BsdAbi.Os.FREEBSD, BsdAbi.Os.OPENBSD, BsdAbi.Os.DARWIN}) {
            assertEquals(-1, Kevent.of(os).evfiltRead, os.toString());
            assertEquals(-2, Kevent.of(os).evfiltWrite, os.toString());
        }
        assertEquals(0, Kevent.of(BsdAbi.Os.NETBSD).evfiltRead);
        assertEquals(1, Kevent.of(BsdAbi.Os.NETBSD).evfiltWrite);
    }

    @Test
    void sizesMatchTheHeaders() {
        // 8 + 2 + 2 + 4 + 8 + 8, and 4 x 8 of ext on FreeBSD; NetBSD's 32-bit filter and flags: 8 + 4 + 4 + 4
        // (+ 4 padding to data's 8) + 8 + 8.
        assertEquals(64, Kevent.of(BsdAbi.Os.FREEBSD).size);
        assertEquals(32, Kevent.of(BsdAbi.Os.OPENBSD).size);
        assertEquals(40, Kevent.of(BsdAbi.Os.NETBSD).size);
        assertEquals(32, Kevent.of(BsdAbi.Os.DARWIN).size);
    }

    /** Every field at its offset: written through the layout, read back byte for byte at the header's offsets. */
    @Test
    void fieldsLieAtTheHeadersOffsets() {
        for (BsdAbi.Os os : BsdAbi.Os.values()) {
            Kevent k = Kevent.of(os);
            boolean netBsd = os == BsdAbi.Os.NETBSD;
            ByteBuffer b = ByteBuffer.allocate(2 * k.size).order(ByteOrder.nativeOrder());
            for (int i = 0; i < b.capacity(); i++) {
                b.put(i, (byte) 0x5a);
            }
            k.put(b, k.size, 7, k.evfiltWrite, 0x0011, 0x0102030405060708L);
            assertEquals(0x5a5a5a5a5a5a5a5aL, b.getLong(k.size - 8), os + ": nothing before the event is touched");
            int at = k.size;
            assertEquals(7L, b.getLong(at), os + " ident at 0");
            assertEquals(k.evfiltWrite, netBsd ? b.getInt(at + 8) : b.getShort(at + 8), os + " filter at 8");
            assertEquals(0x0011, netBsd ? b.getInt(at + 12) : b.getShort(at + 10), os + " flags");
            assertEquals(0, netBsd ? b.getInt(at + 16) : b.getInt(at + 12), os + " fflags zeroed");
            assertEquals(0L, b.getLong(netBsd ? at + 24 : at + 16), os + " data zeroed");
            assertEquals(0x0102030405060708L, b.getLong(netBsd ? at + 32 : at + 24), os + " udata");
            if (os == BsdAbi.Os.FREEBSD) {
                for (int e = 32; e < 64; e += 8) {
                    assertEquals(0L, b.getLong(at + e), "FreeBSD ext zeroed at " + e);
                }
            }
            assertEquals(k.evfiltWrite, k.filter(b, at), os.toString());
            assertEquals(0x0011, k.flags(b, at), os.toString());
            assertEquals(0x0102030405060708L, k.udata(b, at), os.toString());
        }
    }

    @Test
    void returnedFlagsReadUnsigned() {
        // EV_EOF is the sign bit of the 16-bit flags: read back as 0x8000, not as a negative number.
        Kevent k = Kevent.of(BsdAbi.Os.DARWIN);
        ByteBuffer b = ByteBuffer.allocate(k.size).order(ByteOrder.nativeOrder());
        b.putShort(10, (short) 0x8010);
        assertEquals(0x8010, k.flags(b, 0));
    }
}
