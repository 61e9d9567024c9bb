// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every ioctl request of {@link BsdAbi} against two independent sources: the {@code _IOC} formula applied
 * here to the header's definition and the struct size, and a literal written down from elsewhere (the
 * reference table of recomputed values, cross-checked by golang/sys {@code unix/zerrors_*} generated on the
 * real systems, wireguard-go and other projects' hard-coded constants). A wrong struct size or number in
 * {@code BsdAbi} breaks both.
 */
class BsdAbiGoldenTest {

    /** One row: the value in BsdAbi, the definition recomputed here, the literal, and where it comes from. */
    private record Row(String name, long actual, long formula, long literal, String source) {
    }

    private static final int IFREQ = 32;
    private static final int NETBSD_IFREQ = 144;

    private static List<Row> rows() {
        BsdAbi fb = BsdAbi.FREEBSD;
        BsdAbi ob = BsdAbi.OPENBSD;
        BsdAbi nb = BsdAbi.NETBSD;
        BsdAbi mac = BsdAbi.DARWIN;
        return List.of(
                // FreeBSD: sys/net/if_tun.h, sys/sys/sockio.h, sys/netinet6/in6_var.h
                new Row("FreeBSD TUNSIFHEAD", fb.tunsifhead, Ioc.iow('t', 96, 4), 0x80047460L, "wireguard-go tun_freebsd.go"),
                new Row("FreeBSD TUNSIFMODE", fb.tunsifmode, Ioc.iow('t', 94, 4), 0x8004745eL, "wireguard-go"),
                new Row("FreeBSD TUNSIFPID", fb.tunsifpid, Ioc.io('t', 95), 0x2000745fL, "wireguard-go"),
                new Row("FreeBSD TUNGIFHEAD", fb.tungifhead, Ioc.ior('t', 97, 4), 0x40047461L, "by hand, if_tun.h"),
                new Row("FreeBSD TUNGIFNAME", fb.gifname, Ioc.ior('t', 93, IFREQ), 0x4020745dL, "wireguard-go"),
                // Untraced: no copy of FreeBSD 15's sys/net/if_tun.h with its definition was found; the formula
                // is _IOW('t', 98, int) as one other project writes it, the literal that project's constant.
                new Row("FreeBSD TUNSTRANSIENT", fb.tunstransient, Ioc.iow('t', 98, 4), 0x80047462L,
                        "untraced (another project's constant)"),
                new Row("FreeBSD SIOCSIFFLAGS", fb.siocsifflags, Ioc.iow('i', 16, IFREQ), 0x80206910L, "golang/sys"),
                new Row("FreeBSD SIOCGIFFLAGS", fb.siocgifflags, Ioc.iowr('i', 17, IFREQ), 0xc0206911L, "golang/sys"),
                new Row("FreeBSD SIOCSIFMTU", fb.siocsifmtu, Ioc.iow('i', 52, IFREQ), 0x80206934L, "golang/sys"),
                new Row("FreeBSD SIOCGIFMTU", fb.siocgifmtu, Ioc.iowr('i', 51, IFREQ), 0xc0206933L, "golang/sys"),
                new Row("FreeBSD SIOCAIFADDR", fb.siocaifaddr, Ioc.iow('i', 43, 68), 0x8044692bL,
                        "FreeBSD 10+ value (golang/sys keeps the 9.x OSIOCAIFADDR 0x8040691a on purpose)"),
                new Row("FreeBSD SIOCDIFADDR", fb.siocdifaddr, Ioc.iow('i', 25, IFREQ), 0x80206919L, "golang/sys"),
                new Row("FreeBSD SIOCAIFADDR_IN6", fb.siocaifaddrIn6, Ioc.iow('i', 27, 136), 0x8088691bL, "nebula"),
                new Row("FreeBSD SIOCIFCREATE", fb.siocifcreate, Ioc.iowr('i', 122, IFREQ), 0xc020697aL, "golang/sys"),
                new Row("FreeBSD SIOCIFCREATE2", fb.siocifcreate2, Ioc.iowr('i', 124, IFREQ), 0xc020697cL, "golang/sys"),
                new Row("FreeBSD SIOCIFDESTROY", fb.siocifdestroy, Ioc.iow('i', 121, IFREQ), 0x80206979L, "golang/sys"),
                new Row("FreeBSD SIOCSIFNAME", fb.siocsifname, Ioc.iow('i', 40, IFREQ), 0x80206928L, "golang/sys"),
                new Row("FreeBSD SIOCSIFLLADDR", fb.siocsiflladdr, Ioc.iow('i', 60, IFREQ), 0x8020693cL, "golang/sys"),
                // OpenBSD: sys/net/if_tun.h 1.18, sys/sys/sockio.h, sys/netinet6/in6_var.h 1.81
                // By hand from if_tun.h 1.18: IOC_OUT 0x40000000 | 12 << 16 | 't' (0x74) << 8 | 92 (0x5c).
                new Row("OpenBSD TUNGIFINFO", ob.tungifinfo, Ioc.ior('t', 92, BsdAbi.TUNINFO_SIZE), 0x400c745cL,
                        "by hand, if_tun.h 1.18"),
                new Row("OpenBSD TUNSIFMODE", ob.tunsifmode, Ioc.iow('t', 93, 4), 0x8004745dL, "wireguard-go"),
                new Row("OpenBSD SIOCSIFMTU", ob.siocsifmtu, Ioc.iow('i', 127, IFREQ), 0x8020697fL,
                        "golang/sys zerrors_openbsd_amd64.go"),
                new Row("OpenBSD SIOCGIFMTU", ob.siocgifmtu, Ioc.iowr('i', 126, IFREQ), 0xc020697eL, "golang/sys"),
                new Row("OpenBSD SIOCAIFADDR", ob.siocaifaddr, Ioc.iow('i', 26, 64), 0x8040691aL, "golang/sys"),
                new Row("OpenBSD SIOCAIFADDR_IN6", ob.siocaifaddrIn6, Ioc.iow('i', 26, 128), 0x8080691aL, "reference table"),
                new Row("OpenBSD SIOCIFCREATE", ob.siocifcreate, Ioc.iow('i', 122, IFREQ), 0x8020697aL, "golang/sys"),
                new Row("OpenBSD SIOCIFDESTROY", ob.siocifdestroy, Ioc.iow('i', 121, IFREQ), 0x80206979L, "golang/sys"),
                new Row("OpenBSD SIOCSIFLLADDR", ob.siocsiflladdr, Ioc.iow('i', 31, IFREQ), 0x8020691fL,
                        "golang/sys zerrors_openbsd_amd64.go"),
                new Row("OpenBSD SIOCSIFFLAGS", ob.siocsifflags, Ioc.iow('i', 16, IFREQ), 0x80206910L, "golang/sys"),
                // NetBSD: sys/net/if_tun.h 1.22, sys/net/if_tap.h, sys/sys/sockio.h (ifreq = 144)
                new Row("NetBSD TUNSIFHEAD", nb.tunsifhead, Ioc.iow('t', 66, 4), 0x80047442L, "if_tun.h 1.22"),
                // By hand: IOC_OUT 0x40000000 | 4 << 16 | 't' << 8 | 65 (0x41).
                new Row("NetBSD TUNGIFHEAD", nb.tungifhead, Ioc.ior('t', 65, 4), 0x40047441L, "by hand, if_tun.h 1.22"),
                new Row("NetBSD TUNSIFMODE", nb.tunsifmode, Ioc.iow('t', 88, 4), 0x80047458L, "if_tun.h 1.22"),
                new Row("NetBSD TAPGIFNAME", nb.gifname, Ioc.ior('e', 0, NETBSD_IFREQ), 0x40906500L, "tun-rs netbsd"),
                new Row("NetBSD SIOCSIFFLAGS", nb.siocsifflags, Ioc.iow('i', 16, NETBSD_IFREQ), 0x80906910L, "golang/sys"),
                new Row("NetBSD SIOCGIFFLAGS", nb.siocgifflags, Ioc.iowr('i', 17, NETBSD_IFREQ), 0xc0906911L, "golang/sys"),
                new Row("NetBSD SIOCSIFMTU", nb.siocsifmtu, Ioc.iow('i', 127, NETBSD_IFREQ), 0x8090697fL,
                        "golang/sys zerrors_netbsd_amd64.go"),
                new Row("NetBSD SIOCGIFMTU", nb.siocgifmtu, Ioc.iowr('i', 126, NETBSD_IFREQ), 0xc090697eL, "golang/sys"),
                new Row("NetBSD SIOCAIFADDR", nb.siocaifaddr, Ioc.iow('i', 26, 64), 0x8040691aL, "golang/sys"),
                new Row("NetBSD SIOCAIFADDR_IN6", nb.siocaifaddrIn6, Ioc.iow('i', 107, 128), 0x8080696bL, "in6_var.h"),
                new Row("NetBSD SIOCIFCREATE", nb.siocifcreate, Ioc.iow('i', 122, NETBSD_IFREQ), 0x8090697aL, "golang/sys"),
                new Row("NetBSD SIOCIFDESTROY", nb.siocifdestroy, Ioc.iow('i', 121, NETBSD_IFREQ), 0x80906979L, "golang/sys"),
                // macOS: xnu bsd/sys/kern_control.h, bsd/sys/sockio.h, bsd/netinet6/in6_var.h
                new Row("macOS CTLIOCGINFO", mac.ctliocginfo, Ioc.iowr('N', 3, 100), 0xc0644e03L, "golang/sys, wireguard-go"),
                new Row("macOS SIOCSIFMTU", mac.siocsifmtu, Ioc.iow('i', 52, IFREQ), 0x80206934L, "golang/sys"),
                new Row("macOS SIOCGIFMTU", mac.siocgifmtu, Ioc.iowr('i', 51, IFREQ), 0xc0206933L, "golang/sys"),
                new Row("macOS SIOCAIFADDR", mac.siocaifaddr, Ioc.iow('i', 26, 64), 0x8040691aL, "golang/sys"),
                new Row("macOS SIOCAIFADDR_IN6", mac.siocaifaddrIn6, Ioc.iow('i', 26, 128), 0x8080691aL, "reference table"),
                new Row("macOS SIOCIFCREATE", mac.siocifcreate, Ioc.iowr('i', 120, IFREQ), 0xc0206978L, "golang/sys"),
                new Row("macOS SIOCIFCREATE2", mac.siocifcreate2, Ioc.iowr('i', 122, IFREQ), 0xc020697aL, "golang/sys"),
                new Row("macOS SIOCIFDESTROY", mac.siocifdestroy, Ioc.iow('i', 121, IFREQ), 0x80206979L, "golang/sys"),
                new Row("macOS SIOCSIFLLADDR", mac.siocsiflladdr, Ioc.iow('i', 60, IFREQ), 0x8020693cL, "golang/sys"),
                new Row("macOS SIOCSIFFLAGS", mac.siocsifflags, Ioc.iow('i', 16, IFREQ), 0x80206910L, "golang/sys"),
                new Row("macOS SIOCGIFFLAGS", mac.siocgifflags, Ioc.iowr('i', 17, IFREQ), 0xc0206911L, "golang/sys"),
                // all four
                new Row("SIOCDIFADDR_IN6", BsdAbi.SIOCDIFADDR_IN6, Ioc.iow('i', 25, 288), 0x81206919L,
                        "macOS in6_ifreq of 288 bytes, as other projects hard-code it"),
                new Row("FIONBIO", BsdAbi.FIONBIO, Ioc.iow('f', 126, 4), 0x8004667eL, "golang/sys"));
    }

    @Test
    void everyRequestEqualsItsFormulaAndItsLiteral() {
        for (Row r : rows()) {
            assertEquals(r.formula(), r.actual(), r.name() + ": BsdAbi disagrees with _IOC of the header definition");
            assertEquals(r.literal(), r.actual(), r.name() + ": BsdAbi disagrees with " + r.source());
        }
    }

    @Test
    void requestsAbsentFromAnOsAreZero() {
        assertEquals(0, BsdAbi.OPENBSD.tunsifhead, "OpenBSD has no TUNSIFHEAD: its header is always on");
        assertEquals(0, BsdAbi.DARWIN.tunsifhead);
        assertEquals(0, BsdAbi.OPENBSD.gifname, "OpenBSD has no TUNGIFNAME");
        assertEquals(0, BsdAbi.NETBSD.siocifcreate2);
        assertEquals(0, BsdAbi.FREEBSD.ctliocginfo);
        assertEquals(0, BsdAbi.DARWIN.tunsifmode);
    }

    /** The same names with different numbers: sending one OS's request to another silently does something else. */
    @Test
    void sameNameDiffersBetweenSystems() {
        assertNotEquals(BsdAbi.FREEBSD.tunsifmode, BsdAbi.OPENBSD.tunsifmode);
        assertEquals(Ioc.iow('t', 93, 4), BsdAbi.OPENBSD.tunsifmode, "= FreeBSD's TUNSLMODE");
        assertNotEquals(BsdAbi.FREEBSD.siocaifaddrIn6, BsdAbi.NETBSD.siocaifaddrIn6);
        assertNotEquals(BsdAbi.FREEBSD.siocifcreate, BsdAbi.DARWIN.siocifcreate);
        assertNotEquals(BsdAbi.FREEBSD.siocsifmtu, BsdAbi.NETBSD.siocsifmtu);
    }

    @Test
    void perSystemValuesFromTheHeaders() {
        assertEquals(28, BsdAbi.FREEBSD.afInet6);
        assertEquals(24, BsdAbi.OPENBSD.afInet6);
        assertEquals(24, BsdAbi.NETBSD.afInet6);
        assertEquals(30, BsdAbi.DARWIN.afInet6);
        assertEquals(0x100000, BsdAbi.FREEBSD.oCloexec);
        assertEquals(0x10000, BsdAbi.OPENBSD.oCloexec);
        assertEquals(0x400000, BsdAbi.NETBSD.oCloexec);
        assertEquals(0x1000000, BsdAbi.DARWIN.oCloexec);
        assertEquals(144, BsdAbi.NETBSD.ifreqSize);
        assertEquals(68, BsdAbi.FREEBSD.ifaliasreqSize);
        assertEquals(136, BsdAbi.FREEBSD.in6AliasreqSize);
        assertEquals(128, BsdAbi.DARWIN.in6AliasreqSize);
        assertEquals(1500, BsdAbi.NETBSD.maxMtu);
        assertEquals(576, BsdAbi.NETBSD.minMtu);
        assertEquals(16384, BsdAbi.OPENBSD.maxMtu);
    }

    @Test
    void freebsdAndMacosRefuseAnMtuBelowIfMinmtu() {
        // freebsd/freebsd-src sys/net/if_var.h@02b199f1 and apple-oss-distributions/xnu bsd/net/if_var.h
        // (xnu-11417.101.15): "#define IF_MINMTU 72", which ifhwioctl (FreeBSD) and ifioctl (xnu) enforce for
        // SIOCSIFMTU with EINVAL.
        assertEquals(72, BsdAbi.FREEBSD.minMtu);
        assertEquals(72, BsdAbi.DARWIN.minMtu);
        // openbsd/src sys/net/if_tun.c 1.252 tun_ioctl takes ETHERMIN (46) and up; the API's 68 is the bound.
        assertEquals(68, BsdAbi.OPENBSD.minMtu);
    }

    @Test
    void iocFieldsRoundTripAndRejectOverflow() {
        long r = Ioc.iowr('i', 122, 144);
        assertEquals(144, Ioc.parameterLength(r));
        assertEquals('i', Ioc.group(r));
        assertEquals(122, Ioc.number(r));
        assertEquals(Ioc.IOC_INOUT, r & 0xe0000000L);
        assertThrows(IllegalArgumentException.class, () -> Ioc.iow('i', 1, 0x2000));
        assertThrows(IllegalArgumentException.class, () -> Ioc.iow('i', 256, 4));
    }
}
