/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz.h - shared by the libFuzzer targets. */
#ifndef BK_FUZZ_H
#define BK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
