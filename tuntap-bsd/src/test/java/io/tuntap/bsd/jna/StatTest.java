// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The {@code struct stat} fields and {@code minor()} that name an adopted OpenBSD or NetBSD unit, against values
 * worked out by hand from the headers (offsets from the member types in order, device numbers from each
 * system's {@code makedev}).
 */
class StatTest {

    @Test
    void openBsdLayoutAndMinor() {
        // mode_t st_mode (u32) 0, dev_t st_dev (i32) 4, ino_t (u64) 8, nlink_t 16, uid 20, gid 24, st_rdev 28;
        // 3 x 16-byte timespec 32..80, off_t 80, blkcnt_t 88, blksize_t 96, flags 100, gen 104, birthtim 112..128.
        assertEquals(128, Stat.OPENBSD.size);
        assertEquals(0, Stat.OPENBSD.modeOffset);
        assertEquals(28, Stat.OPENBSD.rdevOffset);
        assertEquals(4, Stat.OPENBSD.rdevWidth);
        // makedev(40, 2) = 40 << 8 | 2 = 0x2802: /dev/tun2 on amd64.
        assertEquals(2, Stat.OPENBSD.minor(0x2802));
        // makedev(93, 300) = 93 << 8 | 300 & 0xff (0x2c) | (300 & 0xffff00) << 8 (0x10000) = 0x15d2c.
        assertEquals(300, Stat.OPENBSD.minor(0x15d2c));
    }

    @Test
    void netBsdLayoutAndMinor() {
        // dev_t st_dev (u64) 0, mode_t st_mode 8, ino_t (u64, aligned) 16, nlink_t 24, uid 28, gid 32, pad 36,
        // st_rdev 40; 4 x timespec 48..112, off_t 112, blkcnt_t 120, blksize_t 128, flags 132, gen 136,
        // spare[2] 140..148, 152 with the struct's 8-byte alignment.
        assertEquals(152, Stat.NETBSD.size);
        assertEquals(8, Stat.NETBSD.modeOffset);
        assertEquals(40, Stat.NETBSD.rdevOffset);
        assertEquals(8, Stat.NETBSD.rdevWidth);
        // makedev(40, 3) = (40 << 8) & 0xfff00 | (3 << 12) & 0xfff00000 | 3 = 0x2803.
        assertEquals(3, Stat.NETBSD.minor(0x2803));
        // makedev(169, 300) = 0xa900 | (300 << 12 = 0x12c000) & 0xfff00000 (0x100000) | 0x2c = 0x10a92c.
        assertEquals(300, Stat.NETBSD.minor(0x10a92cL));
    }

    @Test
    void noLayoutWhereTheBackendNeverReadsOne() {
        assertNull(Stat.of(BsdAbi.Os.FREEBSD));
        assertNull(Stat.of(BsdAbi.Os.DARWIN));
    }
}
