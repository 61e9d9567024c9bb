// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static io.tuntap.bsd.jna.Ioc.iow;

import java.nio.ByteBuffer;

/**
 * Peering two {@code feth} interfaces: {@code SIOCSDRVSPEC} with a {@code struct ifdrv} whose {@code ifd_data}
 * points to a {@code struct if_fake_request} carrying {@code IF_FAKE_S_CMD_SET_PEER}. Sources:
 * apple-oss-distributions/xnu, tag xnu-11417.101.15 (commit e3723e1f): {@code bsd/net/if.h} ({@code struct ifdrv},
 * {@code #pragma pack(4)}), {@code bsd/sys/sockio.h} ({@code SIOCSDRVSPEC}), {@code bsd/net/if_fake_var.h}
 * ({@code struct if_fake_request}, the command numbers), {@code bsd/net/if_fake.c} (feth_set_drvspec,
 * if_fake_request_copyin, feth_config).
 */
public final class FethRequest {
    /** {@code sizeof(struct ifdrv)} on LP64: name[16], {@code unsigned long ifd_cmd}, {@code size_t ifd_len}, a pointer. */
    public static final int IFDRV_SIZE = 40;
    /** {@code SIOCSDRVSPEC _IOW('i', 123, struct ifdrv)} (the kernel's {@code SIOCSDRVSPEC64}). */
    public static final long SIOCSDRVSPEC = iow('i', 123, IFDRV_SIZE);
    /** Offset of {@code ifd_cmd}. */
    public static final int IFD_CMD = 16;
    /** Offset of {@code ifd_len}. */
    public static final int IFD_LEN = 24;
    /** Offset of {@code ifd_data}. */
    public static final int IFD_DATA = 32;
    /** {@code IF_FAKE_S_CMD_SET_PEER}. */
    public static final int SET_PEER = 1;
    /**
     * {@code sizeof(struct if_fake_request)}: four {@code uint64_t} reserved (which must be 0), then a union of
     * 128 bytes ({@code iffru_buf[128]}, "stable size"). if_fake_request_copyin refuses a shorter {@code ifd_len}.
     */
    public static final int SIZE = 32 + 128;
    /** Offset of {@code iffr_peer_name} (the union). */
    public static final int PEER_NAME = 32;

    private FethRequest() {
    }

    /**
     * Writes the {@code ifdrv} for {@code name} at 0 of {@code ifdrv} and the {@code if_fake_request} naming
     * {@code peer} at 0 of {@code request}, whose native address is {@code requestAddress}.
     */
    public static void putSetPeer(ByteBuffer ifdrv, ByteBuffer request, long requestAddress, String name,
            String peer) {
        Sockaddrs.zero(ifdrv, 0, IFDRV_SIZE);
        Sockaddrs.putName(ifdrv, 0, name);
        ifdrv.putLong(IFD_CMD, SET_PEER);
        ifdrv.putLong(IFD_LEN, SIZE);
        ifdrv.putLong(IFD_DATA, requestAddress);
        Sockaddrs.zero(request, 0, SIZE);
        Sockaddrs.putName(request, PEER_NAME, peer);
    }
}
