// Swift's Glibc module exports neither pipe2 nor the _np spawn actions (_GNU_SOURCE).
#define _GNU_SOURCE
#include "CChildProcess.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

int child_process_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int child_process_close_from(posix_spawn_file_actions_t *actions, int lowest) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
#else
  (void)actions;
  (void)lowest;
  return ENOSYS;
#endif
}

int child_process_die_with_parent(int signal) { return prctl(PR_SET_PDEATHSIG, signal); }
