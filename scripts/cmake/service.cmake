# rivet_service(NAME SOURCES...): one separately compiled service module.
#
# A service sees only the frame's public headers, kern's public headers and
# its own folder; tests/boundary checks its objects after every build. The
# module's exports (symbols other services may use) are listed one per line
# in service.exports beside its CMakeLists.txt.
set_property(GLOBAL PROPERTY RIVET_SERVICES "")

function(rivet_service name)
  add_library(${name} OBJECT ${ARGN})
  target_compile_options(${name} PRIVATE ${RIVET_COMMON_FLAGS} ${RIVET_WARNING_FLAGS})
  # Only these, nothing else: no frame internals, no arch headers.
  target_include_directories(${name} PRIVATE
      ${CMAKE_CURRENT_SOURCE_DIR}
      ${RIVET_FRAME_PUBLIC_INCLUDE}
      ${RIVET_KERN_PUBLIC_INCLUDE})
  target_include_directories(${name} SYSTEM PRIVATE ${RIVET_LIBC_INCLUDE})
  # Dependency files let the include check see every header actually used.
  target_compile_options(${name} PRIVATE -MD)
  set_property(GLOBAL APPEND PROPERTY RIVET_SERVICES ${name})
  set_property(TARGET ${name} PROPERTY RIVET_SOURCE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
endfunction()
