# The native setup the host unit tests and the fuzz targets (tests/fuzz)
# share: the Rivet tree and libfdt, ASan and UBSan on everything, the
# kernel's warning set, and the libraries both link:
#   host_libfdt   libfdt, native (third-party: no warnings, as in the kernel)
#   rivet_libc    frame/lib's string.c and vsnprintf.c, every symbol rivet_*
#   host_stubs    stubs.c: panic/klog/spinlocks, the check runtime, strlcpy
# Set HOST_EXTRA_FLAGS first for more compile options on everything (the
# fuzz build's coverage instrumentation). Sets RIVET_ROOT, RIVET_DEPS_DIR,
# LIBFDT_DIR, FRAME, HOST_SANITIZE, HOST_WARNINGS, FRAME_INCLUDES, FRAME_FLAGS.
get_filename_component(_rivet_root ${CMAKE_CURRENT_LIST_DIR}/../.. ABSOLUTE)
set(RIVET_ROOT ${_rivet_root} CACHE PATH "Rivet source tree whose sources are tested")
set(RIVET_DEPS_DIR ${RIVET_ROOT}/deps CACHE PATH "Fetched third-party sources (scripts/setup.sh)")
set(LIBFDT_DIR ${RIVET_DEPS_DIR}/libfdt)
if(NOT EXISTS ${LIBFDT_DIR}/libfdt.h)
  message(FATAL_ERROR "libfdt not found in ${LIBFDT_DIR}: run scripts/setup.sh first")
endif()
set(FRAME ${RIVET_ROOT}/frame)

set(CMAKE_C_STANDARD 11)
set(CMAKE_C_EXTENSIONS ON)
set(HOST_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=all)
add_compile_options(-O1 -g -fno-omit-frame-pointer -fno-strict-aliasing ${HOST_SANITIZE}
  ${HOST_EXTRA_FLAGS})
add_link_options(${HOST_SANITIZE})

# The kernel's warning set, for frame sources and the tests alike.
set(HOST_WARNINGS -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wundef
    -Wpointer-arith -Wno-sign-compare)
# Frame sources see the frame's include tree but the HOST libc (never
# frame/include/libc); host_compat.h declares what glibc lacks (strlcpy).
set(FRAME_INCLUDES ${FRAME} ${FRAME}/include ${RIVET_ROOT}/arch/riscv/include ${LIBFDT_DIR})
set(FRAME_FLAGS ${HOST_WARNINGS} -include ${CMAKE_CURRENT_LIST_DIR}/host_compat.h)

add_library(host_libfdt STATIC
  ${LIBFDT_DIR}/fdt.c ${LIBFDT_DIR}/fdt_ro.c ${LIBFDT_DIR}/fdt_rw.c ${LIBFDT_DIR}/fdt_wip.c
  ${LIBFDT_DIR}/fdt_addresses.c ${LIBFDT_DIR}/fdt_strerror.c)
target_compile_options(host_libfdt PRIVATE -w)
target_include_directories(host_libfdt PUBLIC ${LIBFDT_DIR})

# The frame's string.c and vsnprintf.c with every symbol renamed rivet_*, so
# they live next to the host libc, which serves as the oracle. No builtins and
# no loop-to-libcall rewriting: the code tested is the code as written.
include(CheckCCompilerFlag)
check_c_compiler_flag(-fno-tree-loop-distribute-patterns HAVE_NO_LOOP_DISTRIBUTE)
set(RENAMES memcpy memmove memset memcmp memchr strlen strnlen strcmp strncmp strchr strrchr
    strlcpy vsnprintf snprintf)
set(RENAME_DEFS)
foreach(f IN LISTS RENAMES)
  list(APPEND RENAME_DEFS ${f}=rivet_${f})
endforeach()
add_library(rivet_libc STATIC ${FRAME}/lib/string.c ${FRAME}/lib/vsnprintf.c)
target_compile_definitions(rivet_libc PRIVATE ${RENAME_DEFS})
target_compile_options(rivet_libc PRIVATE ${FRAME_FLAGS} -fno-builtin
  $<$<BOOL:${HAVE_NO_LOOP_DISTRIBUTE}>:-fno-tree-loop-distribute-patterns>)
target_include_directories(rivet_libc PRIVATE ${FRAME_INCLUDES})

# Stubs for panic/klog/spinlocks, the check framework's runtime, strlcpy.
add_library(host_stubs STATIC ${CMAKE_CURRENT_LIST_DIR}/stubs.c)
target_compile_options(host_stubs PRIVATE ${HOST_WARNINGS})
target_include_directories(host_stubs PUBLIC ${CMAKE_CURRENT_LIST_DIR} ${FRAME_INCLUDES})
target_link_libraries(host_stubs PUBLIC rivet_libc)
