// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

/**
 * The DLPI primitives of illumos {@code <sys/dlpi.h>} the backend sends to the tap driver's control stream to
 * read its Ethernet address. Every field is a {@code t_uscalar_t} (32 bits).
 */
public final class Dlpi {
    /** Request the physical address: {@code dl_phys_addr_req_t {dl_primitive; dl_addr_type}}, 8 bytes. */
    public static final int DL_PHYS_ADDR_REQ = 0x31;
    /**
     * The answer: {@code dl_phys_addr_ack_t {dl_primitive; dl_addr_length @4; dl_addr_offset @8}}, 12 bytes,
     * then the address.
     */
    public static final int DL_PHYS_ADDR_ACK = 0x32;
    /** A negative answer: {@code dl_error_ack_t}. */
    public static final int DL_ERROR_ACK = 0x05;
    /** dl_addr_type: the current address. */
    public static final int DL_CURR_PHYS_ADDR = 2;
    /** sizeof (dl_phys_addr_req_t). */
    public static final int PHYS_ADDR_REQ_SIZE = 8;
    /** sizeof (dl_phys_addr_ack_t). */
    public static final int PHYS_ADDR_ACK_SIZE = 12;

    private Dlpi() {
    }
}
