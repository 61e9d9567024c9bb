// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

/**
 * The part of {@code struct stat} that tells what a descriptor is, on the systems whose tun driver has no ioctl
 * that names the interface (OpenBSD, NetBSD): the file type in {@code st_mode} and the device number
 * {@code st_rdev}, whose minor number is the unit (OpenBSD sys/net/if_tun.c 1.252 tun_dev_open names the
 * interface {@code "%s%u", ifc_name, minor(dev)}; NetBSD sys/net/if_tun.c 1.173 tunopen creates unit
 * {@code minor(dev)}). LP64 layouts, amd64 and arm64 alike.
 */
public final class Stat {
    /** {@code sizeof(struct stat)}. */
    public final int size;
    /** Offset of {@code st_mode}, a {@code mode_t} (u32 on both systems). */
    public final int modeOffset;
    /** Offset of {@code st_rdev}. */
    public final int rdevOffset;
    /** Width of {@code dev_t}: 4 on OpenBSD, 8 on NetBSD. */
    public final int rdevWidth;
    private final BsdAbi.Os os;

    private Stat(BsdAbi.Os os, int size, int modeOffset, int rdevOffset, int rdevWidth) {
        this.os = os;
        this.size = size;
        this.modeOffset = modeOffset;
        this.rdevOffset = rdevOffset;
        this.rdevWidth = rdevWidth;
    }

    /**
     * OpenBSD (sys/sys/stat.h 1.26; types from sys/sys/_types.h: {@code mode_t} u32, {@code dev_t} i32,
     * {@code ino_t} u64, {@code nlink_t} u32): {@code st_mode} at 0, {@code st_dev} at 4, {@code st_ino} at 8,
     * {@code st_nlink} at 16, {@code st_uid} 20, {@code st_gid} 24, {@code st_rdev} at 28, three timespecs from
     * 32, {@code st_size} 80, {@code st_blocks} 88, {@code st_blksize} (i32) 96, {@code st_flags} 100,
     * {@code st_gen} 104, {@code __st_birthtim} 112: 128 bytes.
     */
    public static final Stat OPENBSD = new Stat(BsdAbi.Os.OPENBSD, 128, 0, 28, 4);

    /**
     * NetBSD (sys/sys/stat.h; {@code dev_t} u64 in sys/sys/types.h): {@code st_dev} at 0, {@code st_mode} at 8,
     * {@code st_ino} 16, {@code st_nlink} 24, {@code st_uid} 28, {@code st_gid} 32, {@code st_rdev} at 40 (after
     * 4 bytes of padding), four timespecs from 48, {@code st_size} 112, {@code st_blocks} 120,
     * {@code st_blksize} (i32) 128, {@code st_flags} 132, {@code st_gen} 136, {@code st_spare[2]} 140, padded to
     * 152. libc exports it as {@code __fstat50} ({@code fstat} is {@code __RENAME(__fstat50)}).
     */
    public static final Stat NETBSD = new Stat(BsdAbi.Os.NETBSD, 152, 8, 40, 8);

    /** The layout of {@code os}, or null where the backend does not read {@code struct stat}. */
    public static Stat of(BsdAbi.Os os) {
        return switch (os) {
            case OPENBSD -> OPENBSD;
            case NETBSD -> NETBSD;
            default -> null;
        };
    }

    /**
     * {@code minor(x)}: OpenBSD sys/sys/types.h 1.49 {@code ((unsigned)((x) & 0xff) | (((x) & 0xffff0000) >> 8))};
     * NetBSD sys/sys/types.h {@code ((((uint32_t)(x) & 0xfff00000) >> 12) | ((uint32_t)(x) & 0x000000ff))}.
     */
    public int minor(long rdev) {
        long x = rdev & 0xffffffffL;
        return os == BsdAbi.Os.OPENBSD
                ? (int) ((x & 0xff) | ((x & 0xffff0000L) >>> 8))
                : (int) (((x & 0xfff00000L) >>> 12) | (x & 0xff));
    }
}
