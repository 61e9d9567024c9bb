// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static io.tuntap.bsd.jna.Ioc.io;
import static io.tuntap.bsd.jna.Ioc.ior;
import static io.tuntap.bsd.jna.Ioc.iow;
import static io.tuntap.bsd.jna.Ioc.iowr;

/**
 * The numbers that differ between FreeBSD, OpenBSD, NetBSD and macOS (xnu) on LP64 (amd64 and arm64 agree):
 * structure sizes, address families, open flags and every ioctl request, each computed with {@link Ioc} from
 * the definition in the named header. A request the OS does not have is 0.
 *
 * <p>Sources: freebsd/freebsd-src {@code sys/sys/sockio.h}, {@code sys/net/if.h}, {@code sys/net/if_tun.h},
 * {@code sys/netinet6/in6_var.h}; openbsd/src {@code sys/sys/sockio.h}, {@code sys/net/if_tun.h} 1.18,
 * {@code sys/netinet6/in6_var.h} 1.81; NetBSD/src {@code sys/sys/sockio.h}, {@code sys/net/if.h} (ifreq holds a
 * sockaddr_storage: 144 bytes), {@code sys/net/if_tun.h} 1.22, {@code sys/net/if_tap.h},
 * {@code sys/netinet6/in6_var.h}; apple-oss-distributions/xnu {@code bsd/sys/sockio.h},
 * {@code bsd/sys/kern_control.h}, {@code bsd/netinet6/in6_var.h}.
 */
public final class BsdAbi {

    /** The four systems this backend knows. */
    public enum Os {
        /** FreeBSD 13 and later. */
        FREEBSD,
        /** OpenBSD 7. */
        OPENBSD,
        /** NetBSD 9 and 10. */
        NETBSD,
        /** macOS (xnu). */
        DARWIN
    }

    /** FreeBSD. */
    public static final BsdAbi FREEBSD = new BsdAbi(Os.FREEBSD);
    /** OpenBSD. */
    public static final BsdAbi OPENBSD = new BsdAbi(Os.OPENBSD);
    /** NetBSD. */
    public static final BsdAbi NETBSD = new BsdAbi(Os.NETBSD);
    /** macOS. */
    public static final BsdAbi DARWIN = new BsdAbi(Os.DARWIN);

    // ---- the same everywhere ------------------------------------------------------------------
    /** AF_INET. */
    public static final int AF_INET = 2;
    /** AF_ROUTE (= PF_ROUTE). */
    public static final int AF_ROUTE = 17;
    /** AF_LINK: the family of {@code sockaddr_dl}. */
    public static final int AF_LINK = 18;
    /** {@code IFNAMSIZ}. */
    public static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int SOCKADDR_IN_SIZE = 16;
    /** {@code sizeof(struct sockaddr_in6)}. */
    public static final int SOCKADDR_IN6_SIZE = 28;
    /** O_RDWR. */
    public static final int O_RDWR = 2;
    /** O_NONBLOCK. */
    public static final int O_NONBLOCK = 4;
    /** F_SETFD. */
    public static final int F_SETFD = 2;
    /** F_GETFL. */
    public static final int F_GETFL = 3;
    /** F_SETFL. */
    public static final int F_SETFL = 4;
    /** FD_CLOEXEC. */
    public static final int FD_CLOEXEC = 1;
    /** SOCK_DGRAM. */
    public static final int SOCK_DGRAM = 2;
    /** SOCK_RAW. */
    public static final int SOCK_RAW = 3;
    /** POLLIN. */
    public static final short POLLIN = 0x0001;
    /** POLLOUT. */
    public static final short POLLOUT = 0x0004;
    /** {@code sizeof(struct pollfd)}. */
    public static final int POLLFD_SIZE = 8;
    /** IFF_UP. */
    public static final int IFF_UP = 0x1;
    /** IFF_BROADCAST. */
    public static final int IFF_BROADCAST = 0x2;
    /** IFF_POINTOPOINT. */
    public static final int IFF_POINTOPOINT = 0x10;
    /** IFF_RUNNING. */
    public static final int IFF_RUNNING = 0x40;
    /** IFF_MULTICAST. */
    public static final int IFF_MULTICAST = 0x8000;
    /** {@code ND6_INFINITE_LIFETIME}: an address that never expires. */
    public static final int ND6_INFINITE_LIFETIME = 0xffffffff;
    /** {@code IN6_IFF_NODAD}: skip duplicate address detection (not defined on OpenBSD). */
    public static final int IN6_IFF_NODAD = 0x20;
    /** {@code FIONBIO _IOW('f', 126, int)}. */
    public static final long FIONBIO = iow('f', 126, 4);
    /** {@code sizeof(struct in6_ifreq)}: a name and a union led by the KAME {@code icmp6_ifstat} (34 u64). */
    public static final int IN6_IFREQ_SIZE = 288;
    /** {@code SIOCDIFADDR_IN6 _IOW('i', 25, struct in6_ifreq)}. */
    public static final long SIOCDIFADDR_IN6 = iow('i', 25, IN6_IFREQ_SIZE);

    /** OpenBSD {@code sizeof(struct tuninfo)}: u_int, two u_short, u_int (sys/net/if_tun.h 1.18). */
    public static final int TUNINFO_SIZE = 12;
    /** Offset of {@code tuninfo.type}: the interface type, {@link #IFT_TUNNEL} for tun, {@link #IFT_ETHER} for tap. */
    public static final int TUNINFO_TYPE = 4;
    /**
     * {@code IFT_ETHER}: 0x6 (openbsd/src sys/net/if_types.h); the type of a tap (tun_create with TUN_LAYER2
     * calls ether_ifattach, which sets it).
     */
    public static final int IFT_ETHER = 0x6;
    /** {@code IFT_TUNNEL}: 0x83 (openbsd/src sys/net/if_types.h); the type tun_create gives a tun. */
    public static final int IFT_TUNNEL = 0x83;
    /** {@code S_IFMT}: 0170000 (sys/sys/stat.h of every BSD). */
    public static final int S_IFMT = 0170000;
    /** {@code S_IFCHR}: 0020000, a character device. */
    public static final int S_IFCHR = 0020000;
    /** {@code S_IFIFO}: 0010000, a pipe or FIFO. */
    public static final int S_IFIFO = 0010000;
    /** {@code S_IFSOCK}: 0140000, a socket. */
    public static final int S_IFSOCK = 0140000;
    /** {@code S_IFREG}: 0100000, a regular file. */
    public static final int S_IFREG = 0100000;

    // ---- per system -----------------------------------------------------------------------------
    /** Which system. */
    public final Os os;
    /** AF_INET6: 28 FreeBSD, 24 OpenBSD and NetBSD, 30 macOS. */
    public final int afInet6;
    /** O_CLOEXEC. */
    public final int oCloexec;
    /** {@code sizeof(struct ifreq)}: 144 on NetBSD, 32 elsewhere. */
    public final int ifreqSize;
    /** {@code sizeof(struct ifaliasreq)}: 68 on FreeBSD (with {@code ifra_vhid}), 64 elsewhere. */
    public final int ifaliasreqSize;
    /** {@code sizeof(struct in6_aliasreq)}: 136 on FreeBSD (with {@code ifra_vhid}), 128 elsewhere. */
    public final int in6AliasreqSize;
    /** Whether {@link #IN6_IFF_NODAD} exists. */
    public final boolean hasNoDad;

    /** {@code SIOCSIFFLAGS _IOW('i', 16, struct ifreq)}. */
    public final long siocsifflags;
    /** {@code SIOCGIFFLAGS _IOWR('i', 17, struct ifreq)}. */
    public final long siocgifflags;
    /** {@code SIOCSIFMTU}: number 52 on FreeBSD and macOS, 127 on OpenBSD and NetBSD. */
    public final long siocsifmtu;
    /** {@code SIOCGIFMTU}: number 51 on FreeBSD and macOS, 126 on OpenBSD and NetBSD. */
    public final long siocgifmtu;
    /** {@code SIOCAIFADDR}: {@code _IOW('i', 43, ifaliasreq)} on FreeBSD 10+, {@code _IOW('i', 26, ...)} elsewhere. */
    public final long siocaifaddr;
    /** {@code SIOCDIFADDR _IOW('i', 25, struct ifreq)}. */
    public final long siocdifaddr;
    /** {@code SIOCAIFADDR_IN6}: number 27 FreeBSD, 26 OpenBSD and macOS, 107 NetBSD. */
    public final long siocaifaddrIn6;
    /** {@code SIOCIFCREATE}: {@code _IOWR} 122 FreeBSD, {@code _IOW} 122 Open/NetBSD, {@code _IOWR} 120 macOS. */
    public final long siocifcreate;
    /** {@code SIOCIFCREATE2}: {@code _IOWR} 124 FreeBSD, 122 macOS; none on Open/NetBSD. */
    public final long siocifcreate2;
    /** {@code SIOCIFDESTROY _IOW('i', 121, struct ifreq)}. */
    public final long siocifdestroy;
    /** {@code SIOCSIFNAME _IOW('i', 40, struct ifreq)}, the new name by pointer in {@code ifr_data}: FreeBSD. */
    public final long siocsifname;
    /** {@code SIOCSIFLLADDR}: number 60 FreeBSD and macOS, 31 OpenBSD; none on NetBSD. */
    public final long siocsiflladdr;
    /** {@code TUNSIFHEAD}: {@code _IOW('t', 96, int)} FreeBSD, {@code _IOW('t', 66, int)} NetBSD; none elsewhere. */
    public final long tunsifhead;
    /**
     * {@code TUNGIFHEAD}: {@code _IOR('t', 97, int)} FreeBSD (sys/net/if_tun.h, commit 039ea811636f),
     * {@code _IOR('t', 65, int)} NetBSD (sys/net/if_tun.h 1.22); none elsewhere.
     */
    public final long tungifhead;
    /**
     * OpenBSD {@code TUNGIFINFO _IOR('t', 92, struct tuninfo)}, a 12-byte {@code struct tuninfo} of
     * {@code u_int mtu}, {@code u_short type} at 4, {@code u_short flags} at 6, {@code u_int baudrate} at 8
     * (openbsd/src sys/net/if_tun.h 1.18); answered by tun and tap alike (sys/net/if_tun.c 1.252
     * tun_dev_ioctl). None elsewhere.
     */
    public final long tungifinfo;
    /** {@code TUNSIFMODE}: number 94 FreeBSD, 93 OpenBSD, 88 NetBSD; none on macOS. */
    public final long tunsifmode;
    /** {@code TUNSIFPID _IO('t', 95)}: FreeBSD only. */
    public final long tunsifpid;
    /** {@code TUNSTRANSIENT _IOW('t', 98, int)}: FreeBSD 15 (older kernels answer ENOTTY); the number is untraced. */
    public final long tunstransient;
    /** FreeBSD {@code TUNGIFNAME = TAPGIFNAME _IOR('t', 93, struct ifreq)}, NetBSD {@code TAPGIFNAME _IOR('e', 0, ...)}. */
    public final long gifname;
    /** macOS {@code CTLIOCGINFO _IOWR('N', 3, struct ctl_info)}. */
    public final long ctliocginfo;
    /** The smallest MTU the tun driver takes (never below the API's 68). */
    public final int minMtu;
    /** The largest MTU the tun driver takes. */
    public final int maxMtu;

    private BsdAbi(Os os) {
        this.os = os;
        boolean fb = os == Os.FREEBSD;
        boolean ob = os == Os.OPENBSD;
        boolean nb = os == Os.NETBSD;
        boolean mac = os == Os.DARWIN;
        afInet6 = fb ? 28 : mac ? 30 : 24;
        oCloexec = fb ? 0x100000 : ob ? 0x10000 : nb ? 0x400000 : 0x1000000;
        ifreqSize = nb ? 144 : 32;
        ifaliasreqSize = fb ? 68 : 64;
        in6AliasreqSize = fb ? 136 : 128;
        hasNoDad = !ob;

        siocsifflags = iow('i', 16, ifreqSize);
        siocgifflags = iowr('i', 17, ifreqSize);
        siocsifmtu = iow('i', fb || mac ? 52 : 127, ifreqSize);
        siocgifmtu = iowr('i', fb || mac ? 51 : 126, ifreqSize);
        siocaifaddr = iow('i', fb ? 43 : 26, ifaliasreqSize);
        siocdifaddr = iow('i', 25, ifreqSize);
        siocaifaddrIn6 = iow('i', fb ? 27 : nb ? 107 : 26, in6AliasreqSize);
        siocifcreate = fb ? iowr('i', 122, ifreqSize) : mac ? iowr('i', 120, ifreqSize) : iow('i', 122, ifreqSize);
        siocifcreate2 = fb ? iowr('i', 124, ifreqSize) : mac ? iowr('i', 122, ifreqSize) : 0;
        siocifdestroy = iow('i', 121, ifreqSize);
        siocsifname = fb ? iow('i', 40, ifreqSize) : 0;
        siocsiflladdr = fb || mac ? iow('i', 60, ifreqSize) : ob ? iow('i', 31, ifreqSize) : 0;
        tunsifhead = fb ? iow('t', 96, 4) : nb ? iow('t', 66, 4) : 0;
        tungifhead = fb ? ior('t', 97, 4) : nb ? ior('t', 65, 4) : 0;
        tungifinfo = ob ? ior('t', 92, TUNINFO_SIZE) : 0;
        tunsifmode = fb ? iow('t', 94, 4) : ob ? iow('t', 93, 4) : nb ? iow('t', 88, 4) : 0;
        tunsifpid = fb ? io('t', 95) : 0;
        tunstransient = fb ? iow('t', 98, 4) : 0;
        gifname = fb ? ior('t', 93, ifreqSize) : nb ? ior('e', 0, ifreqSize) : 0;
        ctliocginfo = mac ? iowr('N', 3, CtlInfo.SIZE) : 0;
        // if_tuntap.c: TUNMRU 65535; OpenBSD if_tun.c: ETHERMIN..TUNMRU 16384; NetBSD if_tun.c: 576..TUNMTU 1500.
        // FreeBSD ifhwioctl and xnu ifioctl refuse an MTU below IF_MINMTU (72, net/if_var.h) with EINVAL.
        minMtu = nb ? 576 : ob ? 68 : 72;
        maxMtu = ob ? 16384 : nb ? 1500 : 65535;
    }

    /** The ABI of {@code os}. */
    public static BsdAbi of(Os os) {
        return switch (os) {
            case FREEBSD -> FREEBSD;
            case OPENBSD -> OPENBSD;
            case NETBSD -> NETBSD;
            case DARWIN -> DARWIN;
        };
    }

    @Override
    public String toString() {
        return os.name();
    }
}
