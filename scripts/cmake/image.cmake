# Linking the kernel. Two passes: the first image has an empty symbol table;
# scripts/gen-ksyms.sh turns its function symbols into ksyms.S, linked into
# the final image. The table sits after all code (kernel.ld), so code
# addresses are identical in both passes; gen-ksyms.sh --verify checks that.
get_property(RIVET_SERVICES GLOBAL PROPERTY RIVET_SERVICES)
set(RIVET_LINK_SCRIPT ${CMAKE_SOURCE_DIR}/arch/riscv/kernel.ld)
set(RIVET_OBJECTS
    $<TARGET_OBJECTS:arch_riscv> $<TARGET_OBJECTS:frame> $<TARGET_OBJECTS:libfdt>)
foreach(svc ${RIVET_SERVICES})
  list(APPEND RIVET_OBJECTS $<TARGET_OBJECTS:${svc}>)
endforeach()

function(rivet_kernel_link name ksyms_source)
  add_executable(${name} ${RIVET_OBJECTS} ${ksyms_source})
  set_target_properties(${name} PROPERTIES SUFFIX ".elf" LINK_DEPENDS ${RIVET_LINK_SCRIPT})
  target_compile_options(${name} PRIVATE ${RIVET_ARCH_FLAGS})
  target_link_options(${name} PRIVATE
      ${RIVET_ARCH_FLAGS} -nostdlib -static -no-pie
      -Wl,-T,${RIVET_LINK_SCRIPT} -Wl,--no-relax -Wl,--build-id=none
      -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments)
endfunction()

rivet_kernel_link(rivet_pass1 ${CMAKE_SOURCE_DIR}/arch/riscv/ksyms_empty.S)

set(KSYMS_S ${CMAKE_BINARY_DIR}/ksyms.S)
add_custom_command(OUTPUT ${KSYMS_S}
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/gen-ksyms.sh ${CMAKE_NM} $<TARGET_FILE:rivet_pass1> ${KSYMS_S}
    DEPENDS rivet_pass1 ${CMAKE_SOURCE_DIR}/scripts/gen-ksyms.sh
    COMMENT "Generating the kernel symbol table")
rivet_kernel_link(rivet ${KSYMS_S})

add_custom_command(TARGET rivet POST_BUILD
    COMMAND ${CMAKE_SOURCE_DIR}/scripts/gen-ksyms.sh --verify ${CMAKE_NM}
            $<TARGET_FILE:rivet_pass1> $<TARGET_FILE:rivet>
    COMMAND ${CMAKE_OBJCOPY} -O binary $<TARGET_FILE:rivet> ${CMAKE_BINARY_DIR}/Image
    BYPRODUCTS ${CMAKE_BINARY_DIR}/Image
    COMMENT "Writing build/Image")
