# Compiler flags for every kernel object: freestanding rv64imac, no FPU, no
# relaxation (the two-pass symbol link needs code that does not move), frame
# pointers for backtraces, and the hardening the services are required to use.
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                OUTPUT_VARIABLE RIVET_GCC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)

set(RIVET_ARCH_FLAGS
    -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax)
set(RIVET_COMMON_FLAGS
    ${RIVET_ARCH_FLAGS}
    -std=gnu11 -O2 -g
    -ffreestanding -nostdinc
    -isystem${CMAKE_SOURCE_DIR}/frame/include/libc -isystem${RIVET_GCC_INCLUDE}
    -fno-pic -fno-pie -fno-common -fno-strict-aliasing
    -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables
    -fstack-protector-strong -ftrivial-auto-var-init=zero)
set(RIVET_WARNING_FLAGS
    -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wundef
    -Wpointer-arith -Wno-sign-compare)

set(RIVET_LIBC_INCLUDE ${CMAKE_SOURCE_DIR}/frame/include/libc)
set(RIVET_FRAME_PUBLIC_INCLUDE ${CMAKE_SOURCE_DIR}/frame/include)
set(RIVET_KERN_PUBLIC_INCLUDE ${CMAKE_SOURCE_DIR}/kern/include)
