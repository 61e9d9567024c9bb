// SPDX-License-Identifier: Apache-2.0
/*
 * so_smoke.c - uses libtuntapsim.so only through sim/tuntapsim.h, as a
 * binding from another language would: open, IOCTL, write to the host,
 * send from the host and read it, close. Prints a RESULT line.
 */
#include <stdio.h>
#include <string.h>

#include "../../abi/tuntap_tap_ioctl.h"
#include "../tuntapsim.h"

static int failures;
#define CHECK(c)                                                               \
    do {                                                                       \
        if (!(c)) {                                                            \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);                \
            failures++;                                                        \
        }                                                                      \
    } while (0)

int main(void)
{
    tts_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.instance_guid = "{01234567-89AB-CDEF-0123-456789ABCDEF}";
    cfg.mtu = 1400;
    CHECK(tts_api_version() == TTS_API_VERSION);
    tts_machine *m = tts_machine_create(&cfg);
    CHECK(m != NULL);
    if (m == NULL) return 1;
    CHECK(strcmp(tts_device_path(m), "\\\\.\\Global\\{01234567-89AB-CDEF-0123-456789ABCDEF}.tap") == 0);
    tts_file *f = NULL;
    CHECK(tts_open(m, tts_device_path(m), &f) == TTS_STATUS_SUCCESS);
    uint32_t mtu = 0, n = 0, on = 1;
    CHECK(tts_ioctl(f, TUNTAP_TAP_IOCTL_GET_MTU, NULL, 0, &mtu, 4, &n) == 0 && mtu == 1400);
    CHECK(tts_ioctl(f, TUNTAP_TAP_IOCTL_SET_MEDIA_STATUS, &on, 4, NULL, 0, NULL) == 0);
    CHECK(tts_link_connected(m) == 1);
    uint8_t frame[64], got[128];
    memset(frame, 0xFF, 6);
    memset(frame + 6, 0x02, 6);
    frame[12] = 0x88;
    frame[13] = 0xB5;
    for (int i = 14; i < 64; i++) frame[i] = (uint8_t)i;
    tts_io *w = tts_write(f, frame, sizeof(frame));
    CHECK(tts_io_wait(w, 1000, &n) == 0 && n == sizeof(frame));
    tts_io_free(w);
    CHECK(tts_host_receive(m, got, sizeof(got)) == (int32_t)sizeof(frame));
    tts_io *r = tts_read(f, got, sizeof(got));
    CHECK(tts_io_wait(r, 0, NULL) == TTS_STATUS_PENDING);
    CHECK(tts_host_send(m, frame, sizeof(frame)) == 0);
    CHECK(tts_io_wait(r, 1000, &n) == 0 && n == sizeof(frame) && memcmp(got, frame, n) == 0);
    tts_io_free(r);
    tts_close(f);
    CHECK(tts_machine_destroy(m) == 0);
    printf("RESULT sim-so passed=%d failed=%d\n", failures == 0 ? 1 : 0, failures == 0 ? 0 : 1);
    return failures == 0 ? 0 : 1;
}
