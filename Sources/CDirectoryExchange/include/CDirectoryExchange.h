#ifndef C_DIRECTORY_EXCHANGE_H
#define C_DIRECTORY_EXCHANGE_H

/// Atomically swaps two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0, or -1
/// with errno set (EINVAL or ENOSYS where the file system or kernel cannot).
/// Swift's Glibc module does not export renameat2, and syscall() is variadic.
int directory_exchange(const char *first, const char *second);

#endif
