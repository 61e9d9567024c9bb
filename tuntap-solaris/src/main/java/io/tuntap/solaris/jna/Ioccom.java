// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

/**
 * The ioctl number encoding of illumos and Solaris, {@code <sys/ioccom.h>}. It looks like the BSD one, with one
 * difference that changes every number made from a large structure: {@code IOCPARM_MASK} is {@code 0xff}, so
 * only the low eight bits of the argument's size are kept ({@code struct lifreq}, 376 bytes, is encoded as 0x78).
 */
public final class Ioccom {
    /** Keeps the low 8 bits of the argument size ("parameters must be &lt; 256 bytes"). */
    public static final int IOCPARM_MASK = 0xff;
    /** No parameters. */
    public static final int IOC_VOID = 0x20000000;
    /** Copy out parameters. */
    public static final int IOC_OUT = 0x40000000;
    /** Copy in parameters. */
    public static final int IOC_IN = 0x80000000;
    /** Both. */
    public static final int IOC_INOUT = IOC_IN | IOC_OUT;

    private Ioccom() {
    }

    /** {@code _IO(x, y)}. */
    public static int io(char group, int number) {
        return IOC_VOID | group << 8 | number;
    }

    /** {@code _IOR(x, y, t)} with {@code size = sizeof (t)}. */
    public static int ior(char group, int number, int size) {
        return IOC_OUT | (size & IOCPARM_MASK) << 16 | group << 8 | number;
    }

    /** {@code _IOW(x, y, t)} with {@code size = sizeof (t)}. */
    public static int iow(char group, int number, int size) {
        return IOC_IN | (size & IOCPARM_MASK) << 16 | group << 8 | number;
    }

    /** {@code _IOWR(x, y, t)} with {@code size = sizeof (t)}. */
    public static int iowr(char group, int number, int size) {
        return IOC_INOUT | (size & IOCPARM_MASK) << 16 | group << 8 | number;
    }
}
