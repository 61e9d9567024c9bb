// SPDX-License-Identifier: Apache-2.0
/*
 * sim_tests.c - scenarios run against the real glue/ and core/ code under
 * the user-mode NDIS and I/O manager. Each test runs in its own child
 * process (fork), so that a sanitizer report, a broken rule (the machine is
 * created with TTS_FLAG_ABORT_ON_VIOLATION) or a hang (alarm) fails that
 * test alone. Prints "RESULT <suite> passed=N failed=M".
 *
 *   sim_tests [name...]   runs the named tests (default: all)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../abi/tuntap_tap_ioctl.h"
#include "../sim_kernel.h"
#include "../tuntapsim.h"

#ifndef SUITE_NAME
#define SUITE_NAME "sim"
#endif

#define FAIL(...)                                                              \
    do {                                                                       \
        fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                      \
        fprintf(stderr, __VA_ARGS__);                                          \
        fprintf(stderr, "\n");                                                 \
        exit(1);                                                               \
    } while (0)
#define EXPECT(cond)                                                           \
    do {                                                                       \
        if (!(cond)) FAIL("expected %s", #cond);                               \
    } while (0)
#define EXPECT_EQ(a, b)                                                        \
    do {                                                                       \
        unsigned long long ea_ = (unsigned long long)(a), eb_ = (unsigned long long)(b); \
        if (ea_ != eb_) FAIL("%s == %s: %#llx != %#llx", #a, #b, ea_, eb_);   \
    } while (0)

#define STATUS_SUCCESS_ 0x00000000u
#define STATUS_CANCELLED_ 0xC0000120u
#define STATUS_DEVICE_REMOVED_ 0xC00002B6u
#define STATUS_SHARING_VIOLATION_ 0xC0000043u
#define NDIS_STATUS_INVALID_DATA_ 0xC0230015u
#define NDIS_STATUS_PAUSED_ 0xC023002Au
#define WAIT_MS 5000u

static tts_machine *machine_with(uint32_t flags)
{
    tts_config c;
    memset(&c, 0, sizeof(c));
    c.flags = flags | TTS_FLAG_ABORT_ON_VIOLATION;
    tts_machine *m = tts_machine_create(&c);
    if (m == NULL) FAIL("tts_machine_create failed");
    return m;
}

static tts_file *open_ok(tts_machine *m)
{
    tts_file *f = NULL;
    EXPECT_EQ(tts_open(m, tts_device_path(m), &f), STATUS_SUCCESS_);
    return f;
}

static void set_media(tts_file *f, uint32_t on)
{
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS, &on, 4, NULL, 0, NULL),
              STATUS_SUCCESS_);
}

static void finish(tts_machine *m)
{
    char first[512];
    unsigned n = tts_machine_destroy(m);
    if (n != 0) {
        (void)first;
        FAIL("%u rule(s) broken", n);
    }
}

/* A TAP frame: broadcast destination, an unassigned EtherType (so the
 * engine passes it through), and a payload tagged with seq. */
static uint32_t make_frame(uint8_t *f, uint32_t seq, uint32_t len)
{
    memset(f, 0xFF, 6);
    const uint8_t src[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    memcpy(f + 6, src, 6);
    f[12] = 0x88;
    f[13] = 0xB5;
    for (uint32_t i = 14; i < len; i++) f[i] = (uint8_t)(seq * 7u + i);
    memcpy(f + 14, &seq, 4);
    return len;
}

/* ---- B1: the control device's extension after NdisDeregisterDeviceEx ---------------- */
static void open_halt_close(void)
{
    tts_machine *m = machine_with(0);
    tts_file *f = open_ok(m);
    tts_halt(m); /* disable/uninstall with the handle open */
    uint32_t mtu = 0;
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_GET_MTU, NULL, 0, &mtu, 4, NULL),
              STATUS_DEVICE_REMOVED_);
    uint8_t buf[64];
    tts_io *r = tts_read(f, buf, sizeof(buf));
    EXPECT_EQ(tts_io_wait(r, WAIT_MS, NULL), STATUS_DEVICE_REMOVED_);
    tts_io_free(r);
    tts_close(f); /* cleanup and close after the halt */
    finish(m);
}

/* ---- B2: a cancel in flight while halt frees the queue ---------------------------------- */
static pthread_mutex_t hook_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hook_cv = PTHREAD_COND_INITIALIZER;
static int hook_entered, hook_released;

static void hold_cancel(PIRP irp)
{
    (void)irp;
    pthread_mutex_lock(&hook_mu);
    hook_entered = 1;
    pthread_cond_broadcast(&hook_cv);
    while (!hook_released) pthread_cond_wait(&hook_cv, &hook_mu);
    pthread_mutex_unlock(&hook_mu);
}

static void *cancel_thread(void *io)
{
    tts_io_cancel(io);
    return NULL;
}

static void *halt_thread(void *m)
{
    tts_halt(m);
    return NULL;
}

static void cancel_during_halt(void)
{
    tts_machine *m = machine_with(0);
    tts_file *f = open_ok(m);
    uint8_t buf[64];
    tts_io *r = tts_read(f, buf, sizeof(buf));
    EXPECT_EQ(tts_io_wait(r, 0, NULL), 0x103u);
    sim_hook_csq_cancel_claimed = hold_cancel;
    pthread_t c, h;
    pthread_create(&c, NULL, cancel_thread, r);
    pthread_mutex_lock(&hook_mu);
    while (!hook_entered) pthread_cond_wait(&hook_cv, &hook_mu);
    pthread_mutex_unlock(&hook_mu);
    /* The IRP is claimed by the cancel routine: out of the queue's reach. */
    pthread_create(&h, NULL, halt_thread, m);
    for (int i = 0; i < 200 && sim_driver_waiters() == 0; i++) usleep(1000);
    pthread_mutex_lock(&hook_mu);
    hook_released = 1;
    pthread_cond_broadcast(&hook_cv);
    pthread_mutex_unlock(&hook_mu);
    pthread_join(c, NULL);
    pthread_join(h, NULL);
    sim_hook_csq_cancel_claimed = NULL;
    EXPECT_EQ(tts_io_wait(r, WAIT_MS, NULL), STATUS_CANCELLED_);
    tts_io_free(r);
    tts_close(f);
    finish(m);
}

/* ---- F5: requests that race the cleanup ------------------------------------------------------- */
static void late_read_after_cleanup(void)
{
    tts_machine *m = machine_with(0);
    tts_file *a = open_ok(m);
    set_media(a, 1);
    sim_file_reference(a); /* a read in flight on another thread */
    tts_close(a);          /* IRP_MJ_CLEANUP; no IRP_MJ_CLOSE yet */
    uint8_t buf[128];
    tts_io *late = tts_read(a, buf, sizeof(buf)); /* arrives after the cleanup */
    EXPECT(tts_io_wait(late, 0, NULL) != 0x103u); /* not left queued */
    tts_io_free(late);
    sim_file_release(a); /* IRP_MJ_CLOSE */
    tts_file *b = open_ok(m);
    set_media(b, 1);
    uint8_t frame[100], got[128];
    make_frame(frame, 42, sizeof(frame));
    tts_io *r = tts_read(b, got, sizeof(got));
    EXPECT_EQ(tts_host_send(m, frame, sizeof(frame)), 0);
    uint32_t n = 0;
    EXPECT_EQ(tts_io_wait(r, WAIT_MS, &n), STATUS_SUCCESS_);
    EXPECT_EQ(n, sizeof(frame));
    EXPECT(memcmp(got, frame, sizeof(frame)) == 0);
    tts_io_free(r);
    tts_close(b);
    finish(m);
}

static void second_opener_never_sees_old_frames(void)
{
    tts_machine *m = machine_with(0);
    tts_file *a = open_ok(m);
    set_media(a, 1);
    sim_file_reference(a);
    tts_close(a); /* cleanup */
    uint8_t old_frame[80], new_frame[90], got[128];
    make_frame(old_frame, 1, sizeof(old_frame));
    make_frame(new_frame, 2, sizeof(new_frame));
    tts_host_send(m, old_frame, sizeof(old_frame)); /* between cleanup and close */
    sim_file_release(a);                              /* close */
    tts_file *b = open_ok(m);
    set_media(b, 1);
    EXPECT_EQ(tts_host_send(m, new_frame, sizeof(new_frame)), 0);
    tts_io *r = tts_read(b, got, sizeof(got));
    uint32_t n = 0;
    EXPECT_EQ(tts_io_wait(r, WAIT_MS, &n), STATUS_SUCCESS_);
    EXPECT_EQ(n, sizeof(new_frame));
    EXPECT(memcmp(got, new_frame, n) == 0);
    tts_io_free(r);
    tts_close(b);
    finish(m);
}

/* Threads race reads, sends and the cleanup; the next opener must see only
 * frames sent after it opened. */
struct race {
    tts_machine *m;
    tts_file *f;
    volatile int stop;
    uint32_t epoch;
};

static void *race_reader(void *p)
{
    struct race *r = p;
    uint8_t buf[256];
    while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST)) {
        tts_io *io = tts_read(r->f, buf, sizeof(buf));
        uint32_t s = tts_io_wait(io, 50, NULL);
        if (s == 0x103u) tts_io_cancel(io);
        tts_io_free(io);
    }
    return NULL;
}

static void *race_sender(void *p)
{
    struct race *r = p;
    uint8_t frame[100];
    uint32_t i = 0;
    while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST)) {
        make_frame(frame, __atomic_load_n(&r->epoch, __ATOMIC_SEQ_CST) << 24 | (i++ & 0xFFFFFF),
                   sizeof(frame));
        tts_host_send(r->m, frame, sizeof(frame));
    }
    return NULL;
}

static void cleanup_races_read_and_send(void)
{
    tts_machine *m = machine_with(0);
    for (uint32_t round = 1; round <= 20; round++) {
        struct race r = {m, open_ok(m), 0, round};
        set_media(r.f, 1);
        pthread_t rd, sd;
        pthread_create(&rd, NULL, race_reader, &r);
        pthread_create(&sd, NULL, race_sender, &r);
        usleep(2000);
        sim_file_reference(r.f); /* the reader's requests are in flight */
        tts_close(r.f);          /* cleanup while both threads run */
        usleep(1000);
        __atomic_store_n(&r.stop, 1, __ATOMIC_SEQ_CST);
        pthread_join(rd, NULL);
        pthread_join(sd, NULL);
        sim_file_release(r.f);
        /* The next opener: every frame it reads carries its own epoch. */
        tts_file *b = open_ok(m);
        set_media(b, 1);
        uint8_t frame[100], got[256];
        make_frame(frame, (round + 100) << 24, sizeof(frame));
        tts_host_send(m, frame, sizeof(frame));
        tts_io *io = tts_read(b, got, sizeof(got));
        uint32_t n = 0;
        EXPECT_EQ(tts_io_wait(io, WAIT_MS, &n), STATUS_SUCCESS_);
        uint32_t seq;
        memcpy(&seq, got + 14, 4);
        if (seq >> 24 != round + 100) FAIL("round %u: next opener read a frame of epoch %u", round, seq >> 24);
        tts_io_free(io);
        tts_close(b);
    }
    finish(m);
}

/* ---- F1: sleep and resume with a client connected ------------------------------------------ */
static void sleep_resume_with_client(void)
{
    tts_machine *m = machine_with(0);
    tts_file *f = open_ok(m);
    set_media(f, 1);
    uint8_t got[128], frame[70];
    tts_io *r = tts_read(f, got, sizeof(got));
    EXPECT_EQ(tts_sleep(m), 0);
    EXPECT_EQ(tts_wake(m), 0);
    make_frame(frame, 7, sizeof(frame));
    EXPECT_EQ(tts_host_send(m, frame, sizeof(frame)), 0);
    uint32_t n = 0;
    EXPECT_EQ(tts_io_wait(r, WAIT_MS, &n), STATUS_SUCCESS_); /* the read pending across sleep */
    EXPECT_EQ(n, sizeof(frame));
    tts_io_free(r);
    uint32_t mtu = 0;
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_GET_MTU, NULL, 0, &mtu, 4, NULL), STATUS_SUCCESS_);
    EXPECT(sim_adapter_power_managed(m)); /* NDIS did not halt it for the sleep */
    tts_close(f);
    finish(m);
}

/* ---- F2, F3: the control device's registration ---------------------------------------------- */
static void device_registration_follows_ndis_rules(void)
{
    tts_machine *m = machine_with(0); /* NdisRegisterDeviceEx checks F2 and F3 */
    tts_file *f = open_ok(m);
    tts_close(f);
    finish(m);
}

/* ---- F6: an open while the device is being created --------------------------------------------- */
static tts_machine *registering;
static uint32_t early_open_status = 1;

static void open_in_window(PDEVICE_OBJECT device)
{
    tts_file *f = NULL;
    (void)device;
    early_open_status = tts_open(registering, tts_device_path(registering), &f);
    if (early_open_status == 0) tts_close(f);
}

static void open_while_device_registers(void)
{
    tts_machine *m = machine_with(0);
    tts_halt(m);
    registering = m;
    sim_hook_device_registered = open_in_window;
    EXPECT_EQ(tts_reinitialize(m), 0);
    sim_hook_device_registered = NULL;
    EXPECT(early_open_status != 0); /* refused: not ready yet */
    tts_file *f = open_ok(m);       /* and the adapter is usable after */
    tts_close(f);
    finish(m); /* halt must not hang on a leaked rundown reference */
}

/* ---- F7: a zero packet filter disables receives -------------------------------------------------- */
static void zero_packet_filter_blocks_receives(void)
{
    tts_machine *m = machine_with(TTS_FLAG_NO_PACKET_FILTER);
    tts_file *f = open_ok(m);
    set_media(f, 1);
    uint8_t frame[60], got[128];
    make_frame(frame, 3, sizeof(frame));
    tts_io *w = tts_write(f, frame, sizeof(frame));
    EXPECT_EQ(tts_io_wait(w, WAIT_MS, NULL), STATUS_SUCCESS_);
    tts_io_free(w);
    EXPECT_EQ(tts_host_receive(m, got, sizeof(got)), -1);
    uint32_t filter = 0x0B;
    EXPECT_EQ(tts_oid_set(m, 0x0001010E, &filter, 4, NULL, NULL), 0);
    w = tts_write(f, frame, sizeof(frame));
    EXPECT_EQ(tts_io_wait(w, WAIT_MS, NULL), STATUS_SUCCESS_);
    tts_io_free(w);
    EXPECT_EQ(tts_host_receive(m, got, sizeof(got)), (int32_t)sizeof(frame));
    tts_close(f);
    finish(m);
}

/* ---- F4: mandatory OIDs ------------------------------------------------------------------------- */
static void mandatory_oids(void)
{
    tts_machine *m = machine_with(0);
    uint8_t buf[64];
    uint32_t bytes = 0;
    memset(buf, 0, sizeof(buf));
    EXPECT_EQ(tts_oid_query(m, 0x00010209, buf, sizeof(buf), &bytes, NULL), 0);
    EXPECT_EQ(bytes, 12); /* NDIS_INTERRUPT_MODERATION_PARAMETERS revision 1 */
    EXPECT_EQ(buf[0], 0x80);
    EXPECT_EQ(buf[1], 1);
    uint32_t moderation;
    memcpy(&moderation, buf + 8, 4);
    EXPECT_EQ(moderation, 1); /* NdisInterruptModerationNotSupported */
    EXPECT_EQ(tts_oid_set(m, 0x00010209, buf, 12, NULL, NULL), NDIS_STATUS_INVALID_DATA_);
    uint8_t link[40];
    memset(link, 0, sizeof(link));
    link[0] = 0x80;
    link[1] = 1;
    link[2] = 36;
    EXPECT_EQ(tts_oid_set(m, 0x00010208, link, 36, &bytes, NULL), 0);
    uint32_t d = 1;
    EXPECT_EQ(tts_oid_query(m, 0xFD010102, &d, 4, NULL, NULL), 0);
    EXPECT_EQ(tts_oid_set(m, 0xFD010101, &d, 4, NULL, NULL), 0);
    finish(m);
}

/* ---- traffic ---------------------------------------------------------------------------------------- */
static void frames_100k_each_way(void)
{
    tts_machine *m = machine_with(0);
    tts_file *f = open_ok(m);
    set_media(f, 1);
    uint8_t frame[1514], got[1600];
    for (uint32_t i = 0; i < 100000; i++) {
        uint32_t len = 60 + (i * 37u) % 1455u;
        make_frame(frame, i, len);
        tts_io *w = tts_write(f, frame, len);
        uint32_t n = 0;
        if (tts_io_wait(w, WAIT_MS, &n) != 0 || n != len) FAIL("write %u failed", i);
        tts_io_free(w);
        int32_t r = tts_host_receive(m, got, sizeof(got));
        if (r != (int32_t)len || memcmp(got, frame, len) != 0) FAIL("host frame %u differs", i);
    }
    for (uint32_t i = 0; i < 100000; i++) {
        uint32_t len = 60 + (i * 53u) % 1455u;
        make_frame(frame, i, len);
        tts_io *rd = tts_read(f, got, sizeof(got));
        if (tts_host_send(m, frame, len) != 0) FAIL("send %u failed", i);
        uint32_t n = 0;
        if (tts_io_wait(rd, WAIT_MS, &n) != 0 || n != len || memcmp(got, frame, len) != 0) {
            FAIL("user frame %u differs", i);
        }
        tts_io_free(rd);
    }
    tts_close(f);
    finish(m);
}

static void every_ioctl(void)
{
    tts_machine *m = machine_with(0);
    tts_file *f = open_ok(m);
    uint8_t out[256];
    uint32_t n = 0;
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_GET_MAC, NULL, 0, out, 6, &n), 0);
    EXPECT_EQ(n, 6);
    EXPECT((out[0] & 0x03) == 0x02); /* locally administered unicast */
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_GET_MAC, NULL, 0, out, 5, &n), 0xC0000023u);
    tuntap_tap_version v;
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_GET_VERSION, NULL, 0, &v, sizeof(v), &n), 0);
    EXPECT_EQ(v.major, TUNTAP_TAP_ABI_VERSION_MAJOR);
    EXPECT_EQ(v.minor, TUNTAP_TAP_ABI_VERSION_MINOR);
    uint32_t mtu = 0;
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_GET_MTU, NULL, 0, &mtu, 4, &n), 0);
    EXPECT_EQ(mtu, 1500);
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_GET_INFO, NULL, 0, out, sizeof(out), &n), 0);
    EXPECT(n > 0 && n <= sizeof(out));
    EXPECT_EQ(tts_link_connected(m), 0);
    set_media(f, 1);
    EXPECT_EQ(tts_link_connected(m), 1);
    uint32_t bad = 7;
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS, &bad, 4, NULL, 0, NULL),
              0xC000000Du);
    tuntap_tap_point_to_point p2p = {{10, 0, 0, 1}, {10, 0, 0, 2}};
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_CONFIG_POINT_TO_POINT, &p2p, 8, NULL, 0, NULL), 0);
    tuntap_tap_tun tun = {{10, 0, 0, 1}, {10, 0, 0, 0}, {255, 255, 255, 0}};
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_CONFIG_TUN, &tun, 12, out, 4, &n), 0);
    EXPECT_EQ(n, 1);
    tuntap_tap_dhcp_masq dhcp = {{10, 0, 0, 1}, {255, 255, 255, 0}, {10, 0, 0, 254}, 3600};
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_CONFIG_DHCP_MASQ, &dhcp, 16, NULL, 0, NULL), 0);
    const uint8_t opts[] = {6, 4, 10, 0, 0, 53};
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_CONFIG_DHCP_SET_OPT, opts, sizeof(opts), NULL, 0, NULL),
              0);
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_GET_LOG_LINE, NULL, 0, out, sizeof(out), &n),
              0xC0000010u); /* STATUS_INVALID_DEVICE_REQUEST */
    uint32_t prio = TUNTAP_TAP_PRIORITY_NOPRIORITY;
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR, &prio, 4, NULL, 0, NULL), 0);
    prio = TUNTAP_TAP_PRIORITY_ENABLED;
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_IOCTL_PRIORITY_BEHAVIOR, &prio, 4, NULL, 0, NULL),
              0xC00000BBu);
    EXPECT_EQ(tts_ioctl(f, TUNTAP_TAP_CONTROL_CODE(12), NULL, 0, NULL, 0, NULL), 0xC0000010u);
    /* TUN mode now: a bare IPv4 packet written comes out as an Ethernet frame. */
    uint8_t ip[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1};
    tts_io *w = tts_write(f, ip, sizeof(ip));
    EXPECT_EQ(tts_io_wait(w, WAIT_MS, NULL), 0);
    tts_io_free(w);
    EXPECT_EQ(tts_host_receive(m, out, sizeof(out)), 14 + 28);
    EXPECT(out[12] == 0x08 && out[13] == 0x00);
    tts_close(f);
    /* Closing resets the adapter: TAP mode, media disconnected. */
    EXPECT_EQ(tts_link_connected(m), 0);
    finish(m);
}

static void exclusive_open_and_cancel(void)
{
    tts_machine *m = machine_with(0);
    tts_file *a = open_ok(m), *b = NULL;
    EXPECT_EQ(tts_open(m, tts_device_path(m), &b), STATUS_SHARING_VIOLATION_);
    char path[128];
    snprintf(path, sizeof(path), "%s\\x", tts_device_path(m));
    EXPECT_EQ(tts_open(m, path, &b), 0xC0000034u);
    uint8_t buf[64];
    tts_io *r = tts_read(a, buf, sizeof(buf));
    EXPECT_EQ(tts_io_wait(r, 10, NULL), 0x103u);
    EXPECT_EQ(tts_io_cancel(r), 1);
    EXPECT_EQ(tts_io_wait(r, WAIT_MS, NULL), STATUS_CANCELLED_);
    tts_io_free(r);
    r = tts_read(a, buf, sizeof(buf)); /* pending at close: cleanup cancels it */
    tts_close(a);
    EXPECT_EQ(tts_io_wait(r, WAIT_MS, NULL), STATUS_CANCELLED_);
    tts_io_free(r);
    b = open_ok(m);
    tts_close(b);
    finish(m);
}

static void *returner(void *m)
{
    usleep(20000);
    tts_host_return_all(m);
    return NULL;
}

static void pause_waits_for_returned_receives(void)
{
    tts_machine *m = machine_with(TTS_FLAG_HOLD_RECEIVES);
    tts_file *f = open_ok(m);
    set_media(f, 1);
    uint8_t frame[60];
    make_frame(frame, 9, sizeof(frame));
    tts_io *w = tts_write(f, frame, sizeof(frame));
    EXPECT_EQ(tts_io_wait(w, WAIT_MS, NULL), 0);
    tts_io_free(w);
    pthread_t t;
    pthread_create(&t, NULL, returner, m);
    EXPECT_EQ(tts_pause(m), 0x103u); /* pends until the NBL comes back */
    pthread_join(t, NULL);
    EXPECT_EQ(tts_host_send(m, frame, sizeof(frame)), NDIS_STATUS_PAUSED_);
    w = tts_write(f, frame, sizeof(frame)); /* dropped while paused */
    EXPECT_EQ(tts_io_wait(w, WAIT_MS, NULL), 0);
    tts_io_free(w);
    EXPECT_EQ(tts_restart(m), 0);
    tts_close(f);
    finish(m);
}

/* ---- halt and re-initialization racing a client ------------------------------------------- */
struct churn {
    tts_machine *m;
    volatile int stop;
    int opened;
};

static void *churn_client(void *p)
{
    struct churn *c = p;
    uint8_t buf[256];
    while (!__atomic_load_n(&c->stop, __ATOMIC_SEQ_CST)) {
        tts_file *f = NULL;
        if (tts_open(c->m, tts_device_path(c->m), &f) != 0) {
            usleep(100);
            continue;
        }
        c->opened++;
        uint32_t mtu = 0;
        (void)tts_ioctl(f, TUNTAP_TAP_IOCTL_GET_MTU, NULL, 0, &mtu, 4, NULL);
        tts_io *r1 = tts_read(f, buf, sizeof(buf));
        tts_io *r2 = tts_read(f, buf, sizeof(buf));
        usleep(200);
        tts_io_cancel(r1); /* a killed client: its I/O is cancelled, then closed */
        tts_close(f);
        tts_io_free(r1);
        tts_io_free(r2);
    }
    return NULL;
}

static void halt_and_enable_race_a_client(void)
{
    tts_machine *m = machine_with(0);
    struct churn c = {m, 0, 0};
    pthread_t t;
    pthread_create(&t, NULL, churn_client, &c);
    for (int i = 0; i < 30; i++) {
        usleep(1000);
        tts_halt(m); /* disable with the client's handle open, reads pending */
        usleep(500);
        EXPECT_EQ(tts_reinitialize(m), 0); /* enable */
    }
    __atomic_store_n(&c.stop, 1, __ATOMIC_SEQ_CST);
    pthread_join(t, NULL);
    EXPECT(c.opened > 0);
    finish(m);
}

/* ---- the simulation itself: each rule it checks reports when broken ------------------------ */
static void expect_rule(const char *id)
{
    char first[512];
    unsigned n = sim_violation_count(first, sizeof(first));
    char want[64];
    snprintf(want, sizeof(want), "[%s]", id);
    if (n == 0 || strncmp(first, want, strlen(want)) != 0) {
        FAIL("expected rule %s to be reported, got %u: %s", id, n, first);
    }
    sim_violation_reset();
}

static void simulation_reports_broken_rules(void)
{
    sim_abort_on_violation = 0;
    sim_violation_reset();
    struct sim_device dev;
    struct tts_file file;
    memset(&dev, 0, sizeof(dev));
    memset(&file, 0, sizeof(file));
    file.device = &dev;

    NDIS_SPIN_LOCK lock;
    NdisAllocateSpinLock(&lock);
    struct sim_irp *si = sim_irp_new(&file, IRP_MJ_READ);
    NdisAcquireSpinLock(&lock);
    si->irp.IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(&si->irp, IO_NO_INCREMENT); /* under a driver spin lock */
    NdisReleaseSpinLock(&lock);
    expect_rule("spin-lock-held");
    IoCompleteRequest(&si->irp, IO_NO_INCREMENT); /* again */
    expect_rule("irp-double-completion");
    sim_irp_delete(si);

    WCHAR buffer[16];
    UNICODE_STRING u;
    RtlInitEmptyUnicodeString(&u, buffer, sizeof(buffer));
    NdisAcquireSpinLock(&lock);
    (void)RtlUnicodeStringPrintf(&u, L"%ws", L"x"); /* PASSIVE_LEVEL only */
    NdisReleaseSpinLock(&lock);
    expect_rule("irql");

    EX_RUNDOWN_REF never_initialized;
    memset(&never_initialized, 0, sizeof(never_initialized));
    (void)ExAcquireRundownProtection(&never_initialized);
    expect_rule("rundown-uninitialized");

    KSPIN_LOCK other;
    KeInitializeSpinLock(&other);
    KeReleaseSpinLock(&other, PASSIVE_LEVEL); /* not held */
    expect_rule("spin-lock-owner");

    struct sim_irp *cancel_set = sim_irp_new(&file, IRP_MJ_READ);
    IoSetCancelRoutine(&cancel_set->irp, (PDRIVER_CANCEL)(void (*)(void))expect_rule);
    cancel_set->irp.IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(&cancel_set->irp, IO_NO_INCREMENT);
    expect_rule("irp-cancel-routine");
    sim_irp_delete(cancel_set);

    /* METHOD_BUFFERED output: the system buffer holds the fill, not zeros, and a reported byte that the
     * driver never wrote is caught. */
    uint8_t out[12];
    struct sim_irp *honest = sim_irp_new(&file, IRP_MJ_DEVICE_CONTROL);
    sim_irp_buffered(honest, NULL, 0, out, sizeof(out));
    uint8_t *sb = honest->irp.AssociatedIrp.SystemBuffer;
    int zeros = 0;
    for (unsigned i = 0; i < sizeof(out); i++) zeros += sb[i] == 0;
    EXPECT(zeros < 4);
    memset(sb, 0, 8);
    honest->irp.IoStatus.Status = STATUS_SUCCESS;
    honest->irp.IoStatus.Information = 8;
    IoCompleteRequest(&honest->irp, IO_NO_INCREMENT);
    EXPECT(sim_violation_count(NULL, 0) == 0);
    EXPECT(out[0] == 0 && out[7] == 0);
    sim_irp_delete(honest);

    struct sim_irp *over = sim_irp_new(&file, IRP_MJ_DEVICE_CONTROL);
    uint8_t in[2] = {1, 2};
    sim_irp_buffered(over, in, sizeof(in), out, sizeof(out));
    memset(over->irp.AssociatedIrp.SystemBuffer, 0, 6); /* writes 6 bytes, reports 12 */
    over->irp.IoStatus.Status = STATUS_SUCCESS;
    over->irp.IoStatus.Information = 12;
    IoCompleteRequest(&over->irp, IO_NO_INCREMENT);
    expect_rule("irp-information-unwritten");
    sim_irp_delete(over);
    sim_set_irql(PASSIVE_LEVEL);
}

/* ---- runner ------------------------------------------------------------------------------------------ */
struct test {
    const char *name;
    void (*fn)(void);
};
static const struct test tests[] = {
    {"open_halt_close", open_halt_close},
    {"cancel_during_halt", cancel_during_halt},
    {"late_read_after_cleanup", late_read_after_cleanup},
    {"second_opener_never_sees_old_frames", second_opener_never_sees_old_frames},
    {"cleanup_races_read_and_send", cleanup_races_read_and_send},
    {"sleep_resume_with_client", sleep_resume_with_client},
    {"device_registration_follows_ndis_rules", device_registration_follows_ndis_rules},
    {"open_while_device_registers", open_while_device_registers},
    {"zero_packet_filter_blocks_receives", zero_packet_filter_blocks_receives},
    {"mandatory_oids", mandatory_oids},
    {"frames_100k_each_way", frames_100k_each_way},
    {"every_ioctl", every_ioctl},
    {"exclusive_open_and_cancel", exclusive_open_and_cancel},
    {"pause_waits_for_returned_receives", pause_waits_for_returned_receives},
    {"halt_and_enable_race_a_client", halt_and_enable_race_a_client},
    {"simulation_reports_broken_rules", simulation_reports_broken_rules},
};

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        int selected = argc < 2;
        for (int a = 1; a < argc; a++) selected |= strcmp(argv[a], tests[i].name) == 0;
        if (!selected) continue;
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            alarm(120);
            tests[i].fn();
            exit(0);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            passed++;
            printf("PASS %s\n", tests[i].name);
        } else {
            failed++;
            printf("FAIL %s (%s %d)\n", tests[i].name, WIFSIGNALED(st) ? "signal" : "exit",
                   WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
        }
        fflush(stdout);
    }
    printf("RESULT %s passed=%d failed=%d\n", SUITE_NAME, passed, failed);
    return failed == 0 ? 0 : 1;
}
