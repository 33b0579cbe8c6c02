/* spawn.c - run one command; report its wall time, CPU time and peak RSS.
 *
 *   spawn REPORT CMD [ARG...]
 *
 * Runs CMD (searched in PATH), waits for it with wait4 and writes one line,
 * "wall_s=S cpu_s=C maxrss_kb=K" (CPU is user + system time of CMD and
 * the children it waited for), to the file REPORT (replaced).  The exit status
 * is CMD's, or 128 + the signal that ended it; 127 when CMD cannot be run
 * or REPORT cannot be written.
 *
 * Why not os.wait4 in Python: Linux keeps a process's peak RSS across
 * exec, and a child forked (or vforked) from the Python interpreter starts
 * with the interpreter's resident size as its peak, so every command would
 * seem to need at least as much memory as the benchmark script itself.
 * This program is small; what it forks starts from its own ~1 MB.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: spawn REPORT CMD [ARG...]\n", stderr);
		return 2;
	}
	FILE *report = fopen(argv[1], "we");
	if (!report) {
		fprintf(stderr, "spawn: cannot write %s: %s\n", argv[1], strerror(errno));
		return 127;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "spawn: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "spawn: cannot run %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "spawn: wait4: %s\n", strerror(errno));
			return 127;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	fprintf(report, "wall_s=%.6f cpu_s=%.6f maxrss_kb=%ld\n", wall, cpu, ru.ru_maxrss);
	if (fclose(report) != 0) {
		fprintf(stderr, "spawn: cannot write %s: %s\n", argv[1], strerror(errno));
		return 127;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
