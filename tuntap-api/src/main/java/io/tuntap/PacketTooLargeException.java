// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/**
 * A packet did not fit in the buffer given to a read, or exceeds what a write can send. A packet is never
 * silently truncated: on a read it is dropped and this exception says how large it was.
 */
public class PacketTooLargeException extends TunTapException {
    private static final long serialVersionUID = 1L;

    /** The length of the packet that did not fit, in bytes. */
    private final int packetLength;
    /** The room the buffer had, in bytes. */
    private final int bufferCapacity;

    /**
     * @param function the call that failed, e.g. {@code "read"}
     * @param packetLength the length of the packet, in bytes
     * @param bufferCapacity the room the buffer had, in bytes
     * @param message the whole message: call, cause and fix
     */
    public PacketTooLargeException(String function, int packetLength, int bufferCapacity, String message) {
        super(function, 0, message);
        this.packetLength = packetLength;
        this.bufferCapacity = bufferCapacity;
    }

    /** {@return the length of the packet that did not fit, in bytes} */
    public int packetLength() {
        return packetLength;
    }

    /** {@return the room the buffer had, in bytes} */
    public int bufferCapacity() {
        return bufferCapacity;
    }
}
