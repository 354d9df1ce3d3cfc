# Cross toolchain for the Rivet kernel: Debian's riscv64-linux-gnu GCC, used freestanding.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)

set(RIVET_CROSS_PREFIX riscv64-linux-gnu- CACHE STRING "Prefix of the riscv64 cross tools")
set(CMAKE_C_COMPILER   ${RIVET_CROSS_PREFIX}gcc)
set(CMAKE_ASM_COMPILER ${RIVET_CROSS_PREFIX}gcc)
set(CMAKE_OBJCOPY      ${RIVET_CROSS_PREFIX}objcopy CACHE FILEPATH "")
set(CMAKE_NM           ${RIVET_CROSS_PREFIX}nm      CACHE FILEPATH "")
set(CMAKE_OBJDUMP      ${RIVET_CROSS_PREFIX}objdump CACHE FILEPATH "")

# The kernel links no libc: compiler checks must not try to link an executable.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
