#ifndef C_CHILD_PROCESS_H
#define C_CHILD_PROCESS_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start, so no child started
/// meanwhile inherits them. Returns 0, or -1 with errno.
int child_process_pipe(int fds[2]);

/// Adds "close every descriptor from `lowest` on" to a spawn's file actions
/// (posix_spawn_file_actions_addclosefrom_np, glibc 2.34), so a child inherits only
/// what it is given. Returns 0, or an error number (ENOSYS where glibc lacks it).
int child_process_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// prctl(PR_SET_PDEATHSIG, signal): this process gets `signal` when its parent dies.
/// Returns 0, or -1 with errno. (prctl is variadic: Swift cannot call it.)
int child_process_die_with_parent(int signal);

#endif
