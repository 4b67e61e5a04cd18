# tf_add_test(NAME <name> SOURCES <files...> LIBS <libs...> LABELS <labels...> [TIMEOUT s] [WRAPPER cmd...])
# One executable per suite, registered with CTest and labelled so a slow label can be run alone. WRAPPER runs the
# suite inside an environment it needs (a private D-Bus session with a keyring, an X server with a tray).
function(tf_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;WRAPPER" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_compile_options(${T_NAME} PRIVATE ${TF_WARNINGS})
  target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
  add_test(NAME ${T_NAME} COMMAND ${T_WRAPPER} $<TARGET_FILE:${T_NAME}>)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TF_SOURCE_DIR=${PROJECT_SOURCE_DIR};TF_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
