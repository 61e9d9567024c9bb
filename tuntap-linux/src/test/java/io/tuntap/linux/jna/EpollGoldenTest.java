// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Platform;
import io.tuntap.posix.Parking;
import org.junit.jupiter.api.Test;

/**
 * The epoll constants and {@code struct epoll_event} layout as include/uapi/linux/eventpoll.h (torvalds/linux
 * 0604aa87b098) defines them: the struct is {@code __attribute__((packed))} on x86-64 only.
 */
class EpollGoldenTest {

    @Test
    void constantsMatchTheHeader() {
        assertEquals(1, LinuxEpoll.EPOLL_CTL_ADD);
        assertEquals(2, LinuxEpoll.EPOLL_CTL_DEL);
        assertEquals(3, LinuxEpoll.EPOLL_CTL_MOD);
        assertEquals(0x00000001, LinuxEpoll.EPOLLIN);
        assertEquals(0x00000004, LinuxEpoll.EPOLLOUT);
        assertEquals(0x00000008, LinuxEpoll.EPOLLERR);
        assertEquals(0x00000010, LinuxEpoll.EPOLLHUP);
        assertEquals(0x40000000, LinuxEpoll.EPOLLONESHOT);
        // O_CLOEXEC is octal 02000000 in include/uapi/asm-generic/fcntl.h
        assertEquals(02000000, LinuxEpoll.EPOLL_CLOEXEC);
    }

    @Test
    void eventLayoutIsPackedOnX86Only() {
        // __poll_t events (4 bytes), then __u64 data: at 4 when packed, else at its natural alignment of 8.
        boolean x86 = Platform.isIntel() && Platform.is64Bit();
        assertEquals(x86 ? 12 : 16, EpollParkingPoller.EVENT_SIZE);
        assertEquals(x86 ? 4 : 8, EpollParkingPoller.DATA_OFFSET);
    }

    @Test
    void errorsAndHangUpsWakeBothSides() {
        assertEquals(Parking.READABLE, EpollParkingPoller.bits(LinuxEpoll.EPOLLIN));
        assertEquals(Parking.WRITABLE, EpollParkingPoller.bits(LinuxEpoll.EPOLLOUT));
        assertEquals(Parking.READABLE | Parking.WRITABLE, EpollParkingPoller.bits(LinuxEpoll.EPOLLERR));
        assertEquals(Parking.READABLE | Parking.WRITABLE, EpollParkingPoller.bits(LinuxEpoll.EPOLLHUP));
        assertEquals(0, EpollParkingPoller.bits(0));
    }
}
