// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrorCodesTest {
    /** A table as a backend writes one; private constants are read too. */
    static final class Codes {
        static final int EFIRST = 7;
        private static final int ESECOND = 300;
        static final String NOT_A_CODE = "x";
        static int notFinal = 9;
        final int notStatic = 10;
        static final long NOT_AN_INT = 11;
        static final ErrorCodes TABLE = ErrorCodes.of("errno", MethodHandles.lookup());

        private Codes() {
        }
    }

    static final class Aliases {
        static final int EAGAIN = 35;
        static final int EWOULDBLOCK = 35;

        private Aliases() {
        }
    }

    @Test
    void readsTheStaticFinalIntConstantsOfTheClassAndNothingElse() {
        assertEquals(Set.of("EFIRST", "ESECOND"), Codes.TABLE.names());
        assertEquals(7, Codes.TABLE.number("EFIRST"));
        assertEquals(300, Codes.TABLE.number("ESECOND"));
        assertEquals(-1, Codes.TABLE.number("notFinal"));
        assertEquals("ESECOND", Codes.TABLE.symbol(300));
        assertNull(Codes.TABLE.symbol(9));
        assertEquals("errno 9", Codes.TABLE.name(9));
    }

    @Test
    void messagesHaveTheOneFormat() {
        assertEquals("read(tun0) failed with EFIRST (errno 7): why and what to do",
                Codes.TABLE.message("read(tun0)", 7, "why and what to do"));
        assertEquals("read(tun0) failed with errno 8: why and what to do",
                Codes.TABLE.message("read(tun0)", 8, "why and what to do"));
    }

    @Test
    void twoNamesForOneNumberAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ErrorCodes.of("errno", MethodHandles.lookup().in(Aliases.class)));
        assertTrue(e.getMessage().contains("EAGAIN") && e.getMessage().contains("EWOULDBLOCK"), e.getMessage());
    }
}
