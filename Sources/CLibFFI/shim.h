#include <ffi.h>

/* The libffi type descriptors are C globals; these give Swift their stable addresses. */
static inline ffi_type *rvjit_ffi_type_void(void) { return &ffi_type_void; }
static inline ffi_type *rvjit_ffi_type_sint32(void) { return &ffi_type_sint32; }
static inline ffi_type *rvjit_ffi_type_uint32(void) { return &ffi_type_uint32; }
static inline ffi_type *rvjit_ffi_type_sint64(void) { return &ffi_type_sint64; }
static inline ffi_type *rvjit_ffi_type_uint64(void) { return &ffi_type_uint64; }
static inline ffi_type *rvjit_ffi_type_pointer(void) { return &ffi_type_pointer; }
static inline ffi_abi rvjit_ffi_default_abi(void) { return FFI_DEFAULT_ABI; }

#include <unistd.h>
#include <sys/syscall.h>
#include <stddef.h>

/* openat2(2) (Linux 5.6+): glibc may not wrap it and Swift cannot call the variadic syscall(2). */
static inline long rvjit_openat2(int dirfd, const char *path, void *how, size_t size) {
    return syscall(437, dirfd, path, how, size);
}
