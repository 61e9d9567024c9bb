/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tt_types.h - the fixed-width integer and bool types of core/ and abi/.
 *
 * In a Windows kernel-mode build (_KERNEL_MODE, set by the WDK's kernel
 * toolset) the include path is km\crt;km;shared, which may hold neither
 * <stdint.h> nor <stdbool.h>; the types then come from the WDK's own
 * (ntdef.h, basetsd.h), and bool is C99/C11's built-in _Bool (the driver is
 * compiled as C11). Everywhere else - user mode, tests, the freestanding
 * build - the standard headers are used.
 */
#ifndef TT_TYPES_H
#define TT_TYPES_H

#if defined(_KERNEL_MODE)

#include <ntdef.h>

typedef signed char int8_t;
typedef UCHAR uint8_t;
typedef SHORT int16_t;
typedef USHORT uint16_t;
typedef LONG int32_t;
typedef ULONG uint32_t;
typedef LONGLONG int64_t;
typedef ULONGLONG uint64_t;

#if !defined(__bool_true_false_are_defined)
#if !defined(__STDC_VERSION__) || __STDC_VERSION__ < 199901L
#error "core/ needs C99's _Bool: compile the driver as C11 (LanguageStandard_C stdc11)"
#endif
#define bool _Bool
#define true 1
#define false 0
#define __bool_true_false_are_defined 1
#endif

#else

#include <stdbool.h>
#include <stdint.h>

#endif

#endif
