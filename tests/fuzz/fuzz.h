/* fuzz.h - what every fuzz target shares.
 *
 * A target defines LLVMFuzzerTestOneInput() (and LLVMFuzzerInitialize()
 * for one-time setup).  Built with -Dfuzz=true it links against libFuzzer;
 * otherwise driver.c supplies main() and replays the files of a corpus, so
 * the same code runs as an ordinary meson test.
 *
 * FUZZ_CHECK states a property the code under test promises (an escaper
 * never lets a quote through, a render fails without output...): a broken
 * promise aborts, which libFuzzer reports as a crash like any other.
 */
#ifndef PM_FUZZ_H
#define PM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: property failed: %s\n",         \
				__FILE__, __LINE__, #cond);                     \
			abort();                                                \
		}                                                               \
	} while (0)

#endif
