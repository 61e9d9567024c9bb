// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The amd64 layouts the backend writes by offset, checked three ways: against the sizes golang.org/x/sys
 * generated on illumos ({@code ztypes_solaris_amd64.go}: Strioctl {Cmd, Timout, Len int32; Dp *int8}, Lifreq
 * {Name [32]int8; Lifru1 [4]byte; Type uint32; Lifru [336]byte}, SizeofSockaddrInet6 0x20); against JNA's own
 * layout of the same C declarations on this x86-64 host (the System V AMD64 rules illumos also follows); and
 * byte for byte against fixtures written out by hand from the header declarations.
 */
class LayoutGoldenTest {

    /** A declaration whose field offsets the test reads. */
    public abstract static class Decl extends Structure {
        /** The offset JNA computed for {@code field}. */
        public int offset(String field) {
            return fieldOffset(field);
        }
    }

    /** {@code struct strioctl} as declared in {@code <sys/stropts.h>}. */
    @Structure.FieldOrder({"ic_cmd", "ic_timout", "ic_len", "ic_dp"})
    public static class StrioctlDecl extends Decl {
        public int ic_cmd;
        public int ic_timout;
        public int ic_len;
        public Pointer ic_dp;
    }

    /** {@code struct strbuf} as declared in {@code <sys/stropts.h>}. */
    @Structure.FieldOrder({"maxlen", "len", "buf"})
    public static class StrbufDecl extends Decl {
        public int maxlen;
        public int len;
        public Pointer buf;
    }

    /** {@code struct sockaddr_storage} of {@code <sys/socket_impl.h>}: family, pad to 8, an 8-byte member, pad to 256. */
    @Structure.FieldOrder({"ss_family", "_ss_pad1", "_ss_align", "_ss_pad2"})
    public static class SockaddrStorageDecl extends Decl {
        public short ss_family;
        public byte[] _ss_pad1 = new byte[6];
        public long _ss_align;
        public byte[] _ss_pad2 = new byte[240];
    }

    /** {@code struct lif_nd_req} of {@code <net/if.h>}: the largest member of the lifreq union. */
    @Structure.FieldOrder({"lnr_addr", "lnr_state_create", "lnr_state_same_lla", "lnr_state_diff_lla", "lnr_hdw_len",
            "lnr_flags", "lnr_pad0", "lnr_hdw_addr"})
    public static class LifNdReqDecl extends Decl {
        public SockaddrStorageDecl lnr_addr;
        public byte lnr_state_create;
        public byte lnr_state_same_lla;
        public byte lnr_state_diff_lla;
        public int lnr_hdw_len;
        public int lnr_flags;
        public int lnr_pad0;
        public byte[] lnr_hdw_addr = new byte[64];
    }

    /** {@code struct lifreq} with its union reduced to the largest member. */
    @Structure.FieldOrder({"lifr_name", "lifr_ppa", "lifr_type", "lifr_lifru"})
    public static class LifreqDecl extends Decl {
        public byte[] lifr_name = new byte[32];
        public int lifr_ppa;
        public int lifr_type;
        public LifNdReqDecl lifr_lifru;
    }

    @Test
    void strioctl() {
        assertEquals(4 + 4 + 4 + 4 + 8, Stropts.Strioctl.SIZE); // Go: three int32, padding, a pointer
        StrioctlDecl s = new StrioctlDecl();
        assertEquals(Stropts.Strioctl.SIZE, s.size());
        assertEquals(Stropts.Strioctl.IC_CMD, s.offset("ic_cmd"));
        assertEquals(Stropts.Strioctl.IC_TIMOUT, s.offset("ic_timout"));
        assertEquals(Stropts.Strioctl.IC_LEN, s.offset("ic_len"));
        assertEquals(Stropts.Strioctl.IC_DP, s.offset("ic_dp"));
    }

    @Test
    void strbuf() {
        StrbufDecl s = new StrbufDecl();
        assertEquals(Stropts.Strbuf.SIZE, s.size());
        assertEquals(16, Stropts.Strbuf.SIZE);
        assertEquals(Stropts.Strbuf.MAXLEN, s.offset("maxlen"));
        assertEquals(Stropts.Strbuf.LEN, s.offset("len"));
        assertEquals(Stropts.Strbuf.BUF, s.offset("buf"));
    }

    @Test
    void lifreq() {
        assertEquals(32 + 4 + 4 + 336, Lifreq.SIZE); // Go: Name [32]int8, Lifru1 [4]byte, Type uint32, Lifru [336]byte
        assertEquals(256, new SockaddrStorageDecl().size());
        LifNdReqDecl nd = new LifNdReqDecl();
        assertEquals(336, nd.size());
        assertEquals(272, nd.offset("lnr_hdw_addr"));
        LifreqDecl l = new LifreqDecl();
        assertEquals(Lifreq.SIZE, l.size());
        assertEquals(Lifreq.NAME, l.offset("lifr_name"));
        assertEquals(Lifreq.PPA, l.offset("lifr_ppa"));
        assertEquals(Lifreq.TYPE, l.offset("lifr_type"));
        assertEquals(Lifreq.UNION, l.offset("lifr_lifru"));
        assertEquals(0x20, Lifreq.SOCKADDR_IN6_SIZE); // SizeofSockaddrInet6
        assertEquals(0x10, Lifreq.SOCKADDR_IN_SIZE); // SizeofSockaddrInet4
    }

    @Test
    void lifreqWithAnIpv4AddressByteForByte() throws Exception {
        ByteBuffer b = buffer();
        Lifreq.clear(b, "tun3");
        Lifreq.putSockaddr(b, Lifreq.ADDR, InetAddress.getByName("10.1.2.3"));
        byte[] expected = new byte[Lifreq.SIZE];
        put(expected, 0, "74756e33");                         // "tun3", NUL-padded to 32
        put(expected, 40, "0200" + "0000" + "0a010203");       // AF_INET (LE), port 0, 10.1.2.3
        assertArrayEquals(expected, bytes(b));
        assertEquals("tun3", Lifreq.name(b));
        assertEquals(InetAddress.getByName("10.1.2.3"), Lifreq.getSockaddr(b, Lifreq.ADDR));
    }

    @Test
    void lifreqWithAnIpv6AddressByteForByte() throws Exception {
        ByteBuffer b = buffer();
        Lifreq.clear(b, "tap12");
        Lifreq.putSockaddr(b, Lifreq.ADDR, InetAddress.getByName("fd00::1"));
        byte[] expected = new byte[Lifreq.SIZE];
        put(expected, 0, "7461703132");                       // "tap12"
        put(expected, 40, "1a00" + "0000" + "00000000"         // AF_INET6 = 26 (LE), port, flowinfo
                + "fd000000000000000000000000000001");          // the address at 8 of the sockaddr
        assertArrayEquals(expected, bytes(b));
        assertEquals(InetAddress.getByName("fd00::1"), Lifreq.getSockaddr(b, Lifreq.ADDR));
    }

    @Test
    void lifreqFlagsMuxIdsAndPpaByteForByte() {
        ByteBuffer b = buffer();
        Lifreq.clear(b, "tun0");
        b.putInt(Lifreq.PPA, 7);
        b.putLong(Lifreq.FLAGS, Sys.IFF_UP | Sys.IFF_IPV6);
        byte[] expected = new byte[Lifreq.SIZE];
        put(expected, 0, "74756e30");
        put(expected, 32, "07000000");
        put(expected, 40, "0100000200000000");                 // uint64 0x2000001, little-endian
        assertArrayEquals(expected, bytes(b));

        Lifreq.clear(b, "tun0");
        b.putInt(Lifreq.IP_MUXID, 0x0102);
        b.putInt(Lifreq.ARP_MUXID, 0x0304);
        expected = new byte[Lifreq.SIZE];
        put(expected, 0, "74756e30");
        put(expected, 40, "02010000" + "04030000");
        assertArrayEquals(expected, bytes(b));
    }

    @Test
    void anUnsetAddressReadsAsNull() {
        ByteBuffer b = buffer();
        Lifreq.clear(b, "tun0");
        assertNull(Lifreq.getSockaddr(b, Lifreq.ADDR));
    }

    @Test
    void netmasks() throws Exception {
        assertEquals(InetAddress.getByName("255.255.255.0"), Lifreq.netmask(24, false));
        assertEquals(InetAddress.getByName("255.255.255.255"), Lifreq.netmask(32, false));
        assertEquals(InetAddress.getByName("ffff:ffff:ffff:ffff::"), Lifreq.netmask(64, true));
        assertEquals(24, Lifreq.prefixLength(InetAddress.getByName("255.255.255.0")));
        assertEquals(0, Lifreq.prefixLength(InetAddress.getByName("0.0.0.0")));
        assertEquals(-1, Lifreq.prefixLength(InetAddress.getByName("255.0.255.0")));
        assertEquals(128, Lifreq.prefixLength(Lifreq.netmask(128, true)));
    }

    @Test
    @EnabledIfSystemProperty(named = "os.arch", matches = "amd64|x86_64")
    void strioctlByteForByteInNativeMemory() {
        try (Memory m = new Memory(Stropts.Strioctl.SIZE)) {
            m.clear();
            m.setInt(Stropts.Strioctl.IC_CMD, IfTun.TUNNEWPPA);
            m.setInt(Stropts.Strioctl.IC_LEN, 4);
            m.setLong(Stropts.Strioctl.IC_DP, 0x1122334455667788L);
            byte[] expected = HexFormat.of().parseHex("01005400" + "00000000" + "04000000" + "00000000"
                    + "8877665544332211");
            assertArrayEquals(expected, m.getByteArray(0, Stropts.Strioctl.SIZE));
        }
    }

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(Lifreq.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[Lifreq.SIZE];
        b.get(0, out);
        return out;
    }

    private static void put(byte[] into, int offset, String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        System.arraycopy(b, 0, into, offset, b.length);
    }
}
