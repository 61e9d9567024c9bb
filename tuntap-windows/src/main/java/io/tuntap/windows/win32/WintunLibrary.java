// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import java.util.UUID;

/**
 * The exported functions of {@code wintun.dll} ({@code api/wintun.h}, GPL-2.0 OR MIT; mapped from its
 * documented signatures): adapters, sessions with their two rings, and packets in ring memory. Handles and
 * packet pointers are {@code long}. Every function that can fail returns 0 (NULL) or false and leaves the
 * Win32 error in {@link #GetLastError()}: {@code ERROR_NO_MORE_ITEMS} from {@link #WintunReceivePacket}
 * when the ring is empty, {@code ERROR_BUFFER_OVERFLOW} from {@link #WintunAllocateSendPacket} when it is
 * full, {@code ERROR_HANDLE_EOF} from both once the adapter is going away, {@code ERROR_INVALID_DATA} when
 * the ring is corrupt.
 *
 * <p>This is the seam: {@link WintunDirect} binds the real DLL, tests use a fake with real rings.
 */
public interface WintunLibrary {
    /** {@code WINTUN_MIN_RING_CAPACITY}: 128 KiB. */
    int MIN_RING_CAPACITY = 0x20000;
    /** {@code WINTUN_MAX_RING_CAPACITY}: 64 MiB. */
    int MAX_RING_CAPACITY = 0x4000000;
    /** {@code WINTUN_MAX_IP_PACKET_SIZE}: the largest packet a ring carries. */
    int MAX_IP_PACKET_SIZE = 0xFFFF;
    /** {@code MAX_ADAPTER_NAME}: names have at most 127 characters. */
    int MAX_ADAPTER_NAME = 128;

    /**
     * {@code WintunCreateAdapter(Name, TunnelType, RequestedGUID)}: creates an adapter (Administrator).
     *
     * @param requestedGuid the adapter's GUID, or null for a random one
     * @return the adapter handle, or 0; free it with {@link #WintunCloseAdapter}, which also removes it
     */
    long WintunCreateAdapter(String name, String tunnelType, UUID requestedGuid);

    /** {@code WintunOpenAdapter(Name)}: an existing adapter, or 0 ({@code ERROR_FILE_NOT_FOUND} if none). */
    long WintunOpenAdapter(String name);

    /** {@code WintunCloseAdapter}: releases the handle; an adapter created with it is removed. */
    void WintunCloseAdapter(long adapter);

    /** {@code WintunGetAdapterLUID(Adapter, NET_LUID*)}. */
    long WintunGetAdapterLUID(long adapter);

    /** {@code WintunGetRunningDriverVersion}: major in the high 16 bits, minor in the low; 0 if not loaded. */
    int WintunGetRunningDriverVersion();

    /**
     * {@code WintunStartSession(Adapter, Capacity)}: capacity is a power of two from
     * {@link #MIN_RING_CAPACITY} to {@link #MAX_RING_CAPACITY}.
     *
     * @return the session, or 0; end it with {@link #WintunEndSession}
     */
    long WintunStartSession(long adapter, int capacity);

    /** {@code WintunEndSession}. No call on the session may be running or follow. */
    void WintunEndSession(long session);

    /** {@code WintunGetReadWaitEvent}: signalled when the receive ring may have packets. Never close it. */
    long WintunGetReadWaitEvent(long session);

    /**
     * {@code WintunReceivePacket(Session, DWORD* PacketSize)}: the next packet in ring memory, its size stored
     * as a DWORD at {@code packetSizeAddress}; 0 if none.
     */
    long WintunReceivePacket(long session, long packetSizeAddress);

    /** {@code WintunReleaseReceivePacket}: gives the packet's ring space back. */
    void WintunReleaseReceivePacket(long session, long packet);

    /** {@code WintunAllocateSendPacket(Session, PacketSize)}: ring space to write a packet into; 0 if none. */
    long WintunAllocateSendPacket(long session, int packetSize);

    /** {@code WintunSendPacket}: sends an allocated packet (in allocation order). */
    void WintunSendPacket(long session, long packet);

    /** The last error of a call of this interface on this thread. */
    int GetLastError();
}
