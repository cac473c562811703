/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_mbox.c - the mbox splitter and >From unquoting, through the real
 * source code path (a memfd read as a file). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create */
#endif
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bouncekit/bouncekit.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = memfd_create("mbox", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	struct bk_source_opts so = { false, 4096 };
	struct bk_source *s;
	struct bk_input in;
	size_t total = 0;
	if (bk_source_open(&s, path, &so, NULL) == 0) {
		int rc;
		while ((rc = bk_source_next(s, &in, NULL)) != 0)
			if (rc > 0)
				total += in.len;
		bk_source_close(s);
	}
	if (total > size)
		__builtin_trap();	/* unquoting only removes bytes */
	close(fd);
	return 0;
}
