// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

/**
 * The ioctl request encoding of {@code <sys/ioccom.h>}, identical on FreeBSD, OpenBSD, NetBSD and xnu: bits
 * 29–31 the direction, bits 16–28 the parameter length, bits 8–15 the group letter, bits 0–7 the number.
 * (Linux puts the direction bits the other way round: none of this applies there.)
 */
public final class Ioc {
    /** No parameters. */
    public static final long IOC_VOID = 0x20000000L;
    /** Copy parameters out of the kernel. */
    public static final long IOC_OUT = 0x40000000L;
    /** Copy parameters into the kernel. */
    public static final long IOC_IN = 0x80000000L;
    /** Both directions. */
    public static final long IOC_INOUT = IOC_IN | IOC_OUT;
    /** The parameter length field: 13 bits. */
    public static final int IOCPARM_MASK = 0x1fff;

    private Ioc() {
    }

    /** {@code _IOC(inout, group, num, len)}. */
    public static long ioc(long direction, char group, int num, int len) {
        if (len < 0 || len > IOCPARM_MASK) {
            throw new IllegalArgumentException("ioctl parameter length " + len + " does not fit 13 bits");
        }
        if (num < 0 || num > 0xff) {
            throw new IllegalArgumentException("ioctl number " + num + " does not fit 8 bits");
        }
        return direction | ((long) (len & IOCPARM_MASK) << 16) | ((long) group << 8) | num;
    }

    /** {@code _IO(g, n)}: no data. */
    public static long io(char group, int num) {
        return ioc(IOC_VOID, group, num, 0);
    }

    /** {@code _IOR(g, n, t)}: the kernel writes {@code len} bytes. */
    public static long ior(char group, int num, int len) {
        return ioc(IOC_OUT, group, num, len);
    }

    /** {@code _IOW(g, n, t)}: the kernel reads {@code len} bytes. */
    public static long iow(char group, int num, int len) {
        return ioc(IOC_IN, group, num, len);
    }

    /** {@code _IOWR(g, n, t)}: both. */
    public static long iowr(char group, int num, int len) {
        return ioc(IOC_INOUT, group, num, len);
    }

    /** The parameter length encoded in {@code request}. */
    public static int parameterLength(long request) {
        return (int) ((request >>> 16) & IOCPARM_MASK);
    }

    /** The group letter encoded in {@code request}. */
    public static char group(long request) {
        return (char) ((request >>> 8) & 0xff);
    }

    /** The number encoded in {@code request}. */
    public static int number(long request) {
        return (int) (request & 0xff);
    }
}
