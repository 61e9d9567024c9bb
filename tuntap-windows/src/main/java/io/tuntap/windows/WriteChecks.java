// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.InvalidConfigurationException;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import java.nio.ByteBuffer;

/**
 * The checks a write makes before the driver sees the packet, the same on both Windows channels. A refused
 * packet leaves nothing behind, and its exception carries error code 0: no call failed. The messages are made
 * only on failure: a write that passes allocates nothing.
 */
final class WriteChecks {
    private WriteChecks() {
    }

    /**
     * Checks the packet between {@code src}'s position and limit.
     *
     * @param device the device, for messages
     * @param tun whether the device takes IP packets (so the first nibble must say 4 or 6)
     * @param limit the most bytes one write takes
     * @param carrier what takes at most {@code limit} bytes, e.g. {@code "a Wintun ring"}
     * @return the packet's length
     * @throws TunTapException if the packet is empty, too long, or not IP on a TUN device
     */
    static int check(ByteBuffer src, String device, boolean tun, int limit, String carrier) throws TunTapException {
        int position = src.position();
        int length = src.limit() - position;
        if (length <= 0) {
            throw new InvalidConfigurationException("write", 0, ErrorMessages.failed("write to " + device,
                    "the buffer has no bytes "
                    + "between position and limit; a packet needs at least one"));
        }
        if (length > limit) {
            throw new PacketTooLargeException("write", length, limit, ErrorMessages.failed("write to " + device,
                    length + " bytes "
                    + "is more than " + carrier + " takes (" + limit + "); nothing was sent. Split the data into "
                    + "smaller packets"));
        }
        int version = (src.get(position) & 0xff) >>> 4;
        if (tun && version != 4 && version != 6) {
            throw new InvalidConfigurationException("write", 0, ErrorMessages.failed("write to " + device,
                    "a TUN device takes IPv4 "
                    + "or IPv6 packets, but the first byte says version " + version));
        }
        return length;
    }
}
