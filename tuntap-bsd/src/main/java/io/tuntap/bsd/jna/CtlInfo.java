// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * macOS kernel-control structures (xnu {@code bsd/sys/kern_control.h}): {@code struct ctl_info} = u32
 * {@code ctl_id} + {@code char ctl_name[96]} (100 bytes), and {@code struct sockaddr_ctl} = {@code sc_len},
 * {@code sc_family} (u8 each), u16 {@code ss_sysaddr}, u32 {@code sc_id} at 4, u32 {@code sc_unit} at 8 and
 * {@code u32 sc_reserved[5]} (32 bytes). Also the utun constants of {@code bsd/net/if_utun.h} and
 * {@code bsd/sys/sys_domain.h}.
 */
public final class CtlInfo {
    /** {@code sizeof(struct ctl_info)}. */
    public static final int SIZE = 100;
    /** {@code MAX_KCTL_NAME}. */
    public static final int MAX_KCTL_NAME = 96;
    /** {@code sizeof(struct sockaddr_ctl)}. */
    public static final int SOCKADDR_CTL_SIZE = 32;
    /** {@code AF_SYSTEM} = {@code PF_SYSTEM}. */
    public static final int AF_SYSTEM = 32;
    /** {@code AF_SYS_CONTROL}: the {@code ss_sysaddr} of a control socket address. */
    public static final int AF_SYS_CONTROL = 2;
    /** {@code SYSPROTO_CONTROL}: the protocol of a control socket, and the getsockopt level. */
    public static final int SYSPROTO_CONTROL = 2;
    /** {@code UTUN_CONTROL_NAME}. */
    public static final String UTUN_CONTROL_NAME = "com.apple.net.utun_control";
    /** {@code UTUN_OPT_IFNAME}: getsockopt name of the interface. */
    public static final int UTUN_OPT_IFNAME = 2;

    private CtlInfo() {
    }

    /** A {@code ctl_info} asking for the id of {@code name} (ctl_id 0). */
    public static void put(ByteBuffer b, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= MAX_KCTL_NAME) {
            throw new IllegalArgumentException("control name longer than " + (MAX_KCTL_NAME - 1) + " bytes");
        }
        Sockaddrs.zero(b, 0, SIZE);
        b.put(4, bytes);
    }

    /** The {@code ctl_id} the kernel filled in. */
    public static int id(ByteBuffer b) {
        return b.getInt(0);
    }

    /** The {@code ctl_name} of a {@code ctl_info}. */
    public static String name(ByteBuffer b) {
        return Sockaddrs.getName(b, 4, MAX_KCTL_NAME);
    }

    /**
     * A {@code sockaddr_ctl} for connect(2).
     *
     * @param unit {@code sc_unit}: N + 1 for {@code utunN}, or 0 for the next free unit
     */
    public static void putSockaddrCtl(ByteBuffer b, int id, int unit) {
        Sockaddrs.zero(b, 0, SOCKADDR_CTL_SIZE);
        b.put(0, (byte) SOCKADDR_CTL_SIZE);
        b.put(1, (byte) AF_SYSTEM);
        b.putShort(2, (short) AF_SYS_CONTROL);
        b.putInt(4, id);
        b.putInt(8, unit);
    }
}
