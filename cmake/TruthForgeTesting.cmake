# tf_add_test(NAME <name> SOURCES <files...> LIBS <libs...> LABELS <labels...> [TIMEOUT s] [WRAPPER cmd...])
# One executable per suite, registered with CTest and labelled so a slow label can be run alone. WRAPPER runs the
# suite inside an environment it needs (a private D-Bus session with a keyring, an X server with a tray).
function(tf_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;WRAPPER" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_compile_options(${T_NAME} PRIVATE ${TF_WARNINGS})
  target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
  tf_register_test(NAME ${T_NAME} LABELS ${T_LABELS} TIMEOUT ${T_TIMEOUT} BUILDS ${T_NAME}
    COMMAND ${T_WRAPPER} $<TARGET_FILE:${T_NAME}>)
endfunction()

# tf_register_test(NAME <name> COMMAND <cmd...> LABELS <labels...> [TIMEOUT s] [BUILDS <targets...>]
#                  [ENVIRONMENT <VAR=value...>] [SANITIZER_REPORTS ON|OFF])
# The CTest side of a suite: labels, a timeout (default 300 s, longer in the sanitizer build), the environment
# every suite gets (offscreen Qt, where the sources and binaries are, the sanitizers' options). In the sanitizer
# build the command runs under with-sanitizer-reports.sh, so that a report of any of our processes it starts fails
# it (SANITIZER_REPORTS OFF: the command reports on its own, as libFuzzer does). BUILDS: the targets the suite needs,
# added to the build target `tests-<label>` of each label, so `cmake --build <dir> --target tests-unit` builds
# exactly what `ctest -L unit` runs.
function(tf_register_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT;SANITIZER_REPORTS" "COMMAND;LABELS;BUILDS;ENVIRONMENT" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  math(EXPR T_TIMEOUT "${T_TIMEOUT} * ${TF_TEST_TIMEOUT_FACTOR}")
  set(command ${T_COMMAND})
  if(TF_SANITIZERS_ON AND NOT T_SANITIZER_REPORTS STREQUAL "OFF")
    set(command ${PROJECT_SOURCE_DIR}/tests/support/with-sanitizer-reports.sh
                ${PROJECT_BINARY_DIR}/sanitizer-reports/${T_NAME} ${command})
  endif()
  set(environment QT_QPA_PLATFORM=offscreen TF_SOURCE_DIR=${PROJECT_SOURCE_DIR} TF_BINARY_DIR=${PROJECT_BINARY_DIR}
                  ${TF_SANITIZER_ENVIRONMENT} ${T_ENVIRONMENT})
  add_test(NAME ${T_NAME} COMMAND ${command})
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT} ENVIRONMENT "${environment}")
  foreach(label ${T_LABELS})
    if(NOT TARGET tests-${label})
      add_custom_target(tests-${label})
    endif()
    if(T_BUILDS)
      add_dependencies(tests-${label} ${T_BUILDS})
    endif()
  endforeach()
endfunction()
