// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles {@code src/test/c/uring_layout.c} against this machine's {@code <linux/io_uring.h>} with gcc,
 * runs it, and compares every system call number, struct size, field offset and flag it prints with
 * {@link IoUringAbi}. Needs gcc and the kernel headers (Debian: {@code gcc}, {@code linux-libc-dev}).
 */
@EnabledOnOs(OS.LINUX)
class IoUringGoldenTest {
    private static final Path PROBE = Path.of("src", "test", "c", "uring_layout.c");

    @Test
    void abiMatchesTheKernelHeaders(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/include/linux/io_uring.h")),
                "no <linux/io_uring.h>: install linux-libc-dev to check the io_uring ABI");
        Path binary = dir.resolve("uring_layout");
        String compiled = run("gcc", "-Wall", "-Werror", "-o", binary.toString(), PROBE.toAbsolutePath().toString());
        assumeTrue(compiled != null, "gcc is not installed: cannot check the io_uring ABI against the C header");
        String output = run(binary.toString());
        assertTrue(output != null, "the layout probe did not run");
        Map<String, Long> c = new LinkedHashMap<>();
        for (String line : output.strip().split("\n")) {
            String[] kv = line.split(" ");
            c.put(kv[0], Long.parseLong(kv[1]));
        }

        Map<String, Long> java = new LinkedHashMap<>();
        java.put("__NR_io_uring_setup", IoUringAbi.SYS_IO_URING_SETUP);
        java.put("__NR_io_uring_enter", IoUringAbi.SYS_IO_URING_ENTER);
        java.put("__NR_io_uring_register", IoUringAbi.SYS_IO_URING_REGISTER);
        java.put("sizeof_io_uring_params", (long) IoUringAbi.PARAMS_SIZE);
        java.put("io_uring_params.sq_entries", (long) IoUringAbi.PARAMS_SQ_ENTRIES);
        java.put("io_uring_params.cq_entries", (long) IoUringAbi.PARAMS_CQ_ENTRIES);
        java.put("io_uring_params.flags", (long) IoUringAbi.PARAMS_FLAGS);
        java.put("io_uring_params.features", (long) IoUringAbi.PARAMS_FEATURES);
        java.put("io_uring_params.sq_off", (long) IoUringAbi.PARAMS_SQ_OFF);
        java.put("io_uring_params.cq_off", (long) IoUringAbi.PARAMS_CQ_OFF);
        java.put("sizeof_io_sqring_offsets", 40L);
        java.put("io_sqring_offsets.head", (long) IoUringAbi.SQ_OFF_HEAD);
        java.put("io_sqring_offsets.tail", (long) IoUringAbi.SQ_OFF_TAIL);
        java.put("io_sqring_offsets.ring_mask", (long) IoUringAbi.SQ_OFF_RING_MASK);
        java.put("io_sqring_offsets.ring_entries", (long) IoUringAbi.SQ_OFF_RING_ENTRIES);
        java.put("io_sqring_offsets.flags", (long) IoUringAbi.SQ_OFF_FLAGS);
        java.put("io_sqring_offsets.dropped", (long) IoUringAbi.SQ_OFF_DROPPED);
        java.put("io_sqring_offsets.array", (long) IoUringAbi.SQ_OFF_ARRAY);
        java.put("sizeof_io_cqring_offsets", 40L);
        java.put("io_cqring_offsets.head", (long) IoUringAbi.CQ_OFF_HEAD);
        java.put("io_cqring_offsets.tail", (long) IoUringAbi.CQ_OFF_TAIL);
        java.put("io_cqring_offsets.ring_mask", (long) IoUringAbi.CQ_OFF_RING_MASK);
        java.put("io_cqring_offsets.ring_entries", (long) IoUringAbi.CQ_OFF_RING_ENTRIES);
        java.put("io_cqring_offsets.overflow", (long) IoUringAbi.CQ_OFF_OVERFLOW);
        java.put("io_cqring_offsets.cqes", (long) IoUringAbi.CQ_OFF_CQES);
        java.put("sizeof_io_uring_sqe", (long) IoUringAbi.SQE_SIZE);
        java.put("io_uring_sqe.opcode", (long) IoUringAbi.SQE_OPCODE);
        java.put("io_uring_sqe.flags", (long) IoUringAbi.SQE_FLAGS);
        java.put("io_uring_sqe.ioprio", (long) IoUringAbi.SQE_IOPRIO);
        java.put("io_uring_sqe.fd", (long) IoUringAbi.SQE_FD);
        java.put("io_uring_sqe.off", (long) IoUringAbi.SQE_OFF);
        java.put("io_uring_sqe.addr", (long) IoUringAbi.SQE_ADDR);
        java.put("io_uring_sqe.len", (long) IoUringAbi.SQE_LEN);
        java.put("io_uring_sqe.rw_flags", (long) IoUringAbi.SQE_RW_FLAGS);
        java.put("io_uring_sqe.user_data", (long) IoUringAbi.SQE_USER_DATA);
        java.put("io_uring_sqe.buf_index", (long) IoUringAbi.SQE_BUF_INDEX);
        java.put("sizeof_io_uring_cqe", (long) IoUringAbi.CQE_SIZE);
        java.put("io_uring_cqe.user_data", (long) IoUringAbi.CQE_USER_DATA);
        java.put("io_uring_cqe.res", (long) IoUringAbi.CQE_RES);
        java.put("io_uring_cqe.flags", (long) IoUringAbi.CQE_FLAGS);
        java.put("IORING_OFF_SQ_RING", IoUringAbi.IORING_OFF_SQ_RING);
        java.put("IORING_OFF_CQ_RING", IoUringAbi.IORING_OFF_CQ_RING);
        java.put("IORING_OFF_SQES", IoUringAbi.IORING_OFF_SQES);
        java.put("IORING_OP_NOP", (long) IoUringAbi.IORING_OP_NOP);
        java.put("IORING_OP_READV", (long) IoUringAbi.IORING_OP_READV);
        java.put("IORING_OP_WRITEV", (long) IoUringAbi.IORING_OP_WRITEV);
        java.put("IORING_OP_READ", (long) IoUringAbi.IORING_OP_READ);
        java.put("IORING_OP_WRITE", (long) IoUringAbi.IORING_OP_WRITE);
        java.put("IOSQE_FIXED_FILE", (long) IoUringAbi.IOSQE_FIXED_FILE);
        java.put("IOSQE_IO_LINK", (long) IoUringAbi.IOSQE_IO_LINK);
        java.put("IORING_SETUP_CLAMP", (long) IoUringAbi.IORING_SETUP_CLAMP);
        java.put("IORING_SETUP_COOP_TASKRUN", (long) IoUringAbi.IORING_SETUP_COOP_TASKRUN);
        java.put("IORING_SETUP_SUBMIT_ALL", (long) IoUringAbi.IORING_SETUP_SUBMIT_ALL);
        java.put("IORING_FEAT_SINGLE_MMAP", (long) IoUringAbi.IORING_FEAT_SINGLE_MMAP);
        java.put("IORING_FEAT_NODROP", (long) IoUringAbi.IORING_FEAT_NODROP);
        java.put("IORING_FEAT_SUBMIT_STABLE", (long) IoUringAbi.IORING_FEAT_SUBMIT_STABLE);
        java.put("IORING_ENTER_GETEVENTS", (long) IoUringAbi.IORING_ENTER_GETEVENTS);
        java.put("IORING_REGISTER_FILES", (long) IoUringAbi.IORING_REGISTER_FILES);
        java.put("IORING_UNREGISTER_FILES", (long) IoUringAbi.IORING_UNREGISTER_FILES);
        java.put("RWF_NOWAIT", (long) IoUringAbi.RWF_NOWAIT);
        java.put("PROT_READ", (long) IoUringAbi.PROT_READ);
        java.put("PROT_WRITE", (long) IoUringAbi.PROT_WRITE);
        java.put("MAP_SHARED", (long) IoUringAbi.MAP_SHARED);
        java.put("MAP_POPULATE", (long) IoUringAbi.MAP_POPULATE);

        assertEquals(java.keySet(), c.keySet(), "the probe and this test name the same values");
        for (Map.Entry<String, Long> e : java.entrySet()) {
            assertEquals(c.get(e.getKey()), e.getValue(), e.getKey());
        }
    }

    /** Runs a command; its output, or null if the program is not installed. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null; // not installed
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }
}
