// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code IP_ADDRESS_PREFIX} ({@code netioapi.h}): 32 bytes. */
@FieldOrder({"Prefix", "PrefixLength"})
public class IpAddressPrefix extends Structure {
    /** The prefix's address. */
    public SockaddrInet Prefix = new SockaddrInet();
    /** {@code UINT8}: 0 to 32 or 0 to 128. */
    public byte PrefixLength;
}
