// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.InvalidDescriptorException;
import io.tuntap.TunTapDevice;
import io.tuntap.bsd.jna.BsdAbi;

/** Adoption through the backend against a fake kernel, and what a refusal must leave behind: nothing. */
final class AdoptChecks {
    private AdoptChecks() {
    }

    static TunTapDevice adopt(FakeKernel k, int fd) throws Exception {
        return BsdAdopter.adopt(Fakes.context(k), Fakes.system(k), new int[] {fd});
    }

    /** The read end of a new pipe. */
    static int pipe(FakeKernel k) {
        try (Memory p = new Memory(8)) {
            assertEquals(0, k.pipe(Pointer.nativeValue(p)));
            return p.getInt(0);
        }
    }

    /**
     * Adopting {@code fd} throws an InvalidDescriptorException whose message starts with {@code call}, says
     * {@code cause} and {@code fix}; the caller's descriptor is still open with its flags, and no descriptor was
     * left behind. Returns the exception.
     */
    static InvalidDescriptorException refused(FakeKernel k, int fd, String call, String cause, String fix) {
        int before = k.openFds();
        int flags = k.fcntl(fd, BsdAbi.F_GETFL, 0);
        InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> adopt(k, fd));
        assertTrue(e.getMessage().startsWith(call), e.getMessage());
        assertTrue(e.getMessage().contains(cause), e.getMessage());
        assertTrue(e.getMessage().contains(fix), e.getMessage());
        assertEquals(flags, k.fcntl(fd, BsdAbi.F_GETFL, 0), "the caller's descriptor is left open, as found");
        assertEquals(before, k.openFds(), "nothing left behind");
        return e;
    }

    /** A UDP socket and a pipe are refused by what fstat says they are (OpenBSD, NetBSD). */
    static void refusesSocketAndPipe(FakeKernel k, String nodes) {
        int socket = k.socket(BsdAbi.AF_INET, BsdAbi.SOCK_DGRAM, 0);
        refused(k, socket, "fstat(" + socket + ")", "is a socket, not a tun or tap device", nodes);
        int pipe = pipe(k);
        refused(k, pipe, "fstat(" + pipe + ")", "is a pipe, not a tun or tap device", nodes);
    }
}
