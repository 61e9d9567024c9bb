// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

/**
 * STREAMS ioctls, flags and structures of illumos {@code <sys/stropts.h>}. The ioctls are {@code STR | n}
 * with {@code STR = 'S' << 8}; {@code n} is written in octal in the header, as here.
 */
public final class Stropts {
    /** {@code ('S' << 8)}. */
    public static final int STR = 'S' << 8;
    /** {@code STR|02}: push the module named by the C string at arg. */
    public static final int I_PUSH = STR | 02;
    /** {@code STR|03}: pop the top module. */
    public static final int I_POP = STR | 03;
    /** {@code STR|05}: flush. */
    public static final int I_FLUSH = STR | 05;
    /** {@code STR|06}: set the read mode. */
    public static final int I_SRDOPT = STR | 06;
    /** {@code STR|010}: send the ioctl described by the {@code struct strioctl} at arg downstream. */
    public static final int I_STR = STR | 010;
    /** {@code STR|014}: link the stream of fd arg under this multiplexor (until either is closed). */
    public static final int I_LINK = STR | 014;
    /** {@code STR|015}: undo {@link #I_LINK}. */
    public static final int I_UNLINK = STR | 015;
    /** {@code STR|026}: link persistently: the link outlives both file descriptors. Returns the mux id. */
    public static final int I_PLINK = STR | 026;
    /** {@code STR|027}: remove the persistent link with mux id arg. */
    public static final int I_PUNLINK = STR | 027;

    /** getmsg/putmsg: a high-priority message. */
    public static final int RS_HIPRI = 0x01;
    /** getmsg result bit: control information is left in the message. */
    public static final int MORECTL = 1;
    /** getmsg result bit: data is left in the message; the next getmsg returns the rest. */
    public static final int MOREDATA = 2;
    /** Flush the read queue. */
    public static final int FLUSHR = 0x01;

    /**
     * {@code struct strioctl { int ic_cmd; int ic_timout; int ic_len; char *ic_dp; }}: 24 bytes on amd64, the
     * pointer aligned to 8.
     */
    public static final class Strioctl {
        /** sizeof. */
        public static final int SIZE = 24;
        /** {@code int ic_cmd}: the downstream command. */
        public static final int IC_CMD = 0;
        /** {@code int ic_timout}: seconds, 0 for the default (15 s), -1 for none. */
        public static final int IC_TIMOUT = 4;
        /** {@code int ic_len}: bytes of data at {@code ic_dp}; on return, the bytes sent back. */
        public static final int IC_LEN = 8;
        /** {@code char *ic_dp}: the data. */
        public static final int IC_DP = 16;

        private Strioctl() {
        }
    }

    /** {@code struct strbuf { int maxlen; int len; caddr_t buf; }}: 16 bytes on amd64. */
    public static final class Strbuf {
        /** sizeof. */
        public static final int SIZE = 16;
        /** {@code int maxlen}: room at {@code buf} (getmsg). */
        public static final int MAXLEN = 0;
        /** {@code int len}: bytes to send (putmsg), bytes received (getmsg); -1 means no such part. */
        public static final int LEN = 4;
        /** {@code caddr_t buf}. */
        public static final int BUF = 8;

        private Strbuf() {
        }
    }

    private Stropts() {
    }
}
