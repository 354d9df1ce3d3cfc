# Registering the QEMU tests (tests/boot, boards, storage, robustness,
# console): each folder has a Python driver that lists its tests (--list) and
# runs one of them by name; ctest gets one case per test.
#
#   rivet_qemu_test_list(VAR SCRIPT [EXTRA_SOURCE...])
#       VAR = what `SCRIPT --list` prints, one name a line. SCRIPT (and the
#       extra sources it reads) re-run cmake when they change.
#   add_qemu_test(NAME SCRIPT <script.py> TIMEOUT <seconds> LABELS <label>...
#                 [ENV <VAR=value>...] [SBIN_PATH] [ARGS <arg>...] [CASE <test>])
#       The case NAME: SCRIPT ARGS... CASE (default NAME) under QEMU's and
#       OpenSBI's paths and the timeout scale, plus ENV; SBIN_PATH puts
#       /usr/sbin:/sbin in front of PATH (sfdisk, mkfs.vfat, e2fsprogs live
#       there). TIMEOUT is the ctest backstop before RIVET_BOOT_TIMEOUT_SCALE.
# Both work on the calling folder (its source and binary directories).

function(rivet_qemu_test_list var script)
  set(path ${CMAKE_CURRENT_SOURCE_DIR}/${script})
  execute_process(COMMAND ${RIVET_BOOT_PYTHON} ${path} --list
                  OUTPUT_VARIABLE names RESULT_VARIABLE list_failed)
  if(list_failed OR NOT names)
    file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${path})
    message(FATAL_ERROR "${rel} --list failed")
  endif()
  string(STRIP "${names}" names)
  string(REPLACE "\n" ";" names "${names}")
  set(sources ${path})
  foreach(extra IN LISTS ARGN)
    list(APPEND sources ${CMAKE_CURRENT_SOURCE_DIR}/${extra})
  endforeach()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${sources})
  set(${var} ${names} PARENT_SCOPE)
endfunction()

function(add_qemu_test name)
  cmake_parse_arguments(PARSE_ARGV 1 q "SBIN_PATH" "SCRIPT;TIMEOUT;CASE" "LABELS;ENV;ARGS")
  if(NOT q_SCRIPT OR NOT q_TIMEOUT OR NOT q_LABELS OR q_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "add_qemu_test(${name}): need SCRIPT, TIMEOUT and LABELS "
                        "(unparsed: ${q_UNPARSED_ARGUMENTS})")
  endif()
  if(NOT DEFINED q_CASE)
    set(q_CASE ${name})
  endif()
  set(env RIVET_QEMU=${RIVET_QEMU} RIVET_FIRMWARE=${RIVET_OPENSBI_FW} ${q_ENV}
      RIVET_TEST_TIMEOUT_SCALE=${RIVET_BOOT_TIMEOUT_SCALE})
  if(q_SBIN_PATH)
    list(APPEND env PATH=/usr/sbin:/sbin:$ENV{PATH})
  endif()
  # Each test stops itself after its own budget (QEMU dies with it); ctest's
  # TIMEOUT is the backstop.
  math(EXPR timeout "${q_TIMEOUT} * ${RIVET_BOOT_TIMEOUT_SCALE}")
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -E env ${env}
      ${RIVET_BOOT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/${q_SCRIPT} ${q_ARGS} ${q_CASE})
  set_tests_properties(${name} PROPERTIES LABELS "${q_LABELS}" TIMEOUT ${timeout})
endfunction()
