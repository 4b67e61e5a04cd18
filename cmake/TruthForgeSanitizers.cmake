# TF_SANITIZE: all of our code (src, tests, stand-ins, bench) built with AddressSanitizer and UndefinedBehaviorSanitizer.
# TF_FUZZ: the libFuzzer targets of fuzz/, which run under the same sanitizers, so it turns them on too.
# `./dev test --sanitize` configures a clang build with both. Qt and the system libraries are not instrumented;
# cmake/sanitizers/ holds the few suppressions that are theirs, each with its reason.
option(TF_SANITIZE "Build our code with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(TF_FUZZ "Build the libFuzzer targets of fuzz/ (clang only; implies TF_SANITIZE)" OFF)

if(TF_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "TF_FUZZ needs clang (libFuzzer is part of clang's runtime), not ${CMAKE_CXX_COMPILER_ID}: "
                      "configure with -DCMAKE_CXX_COMPILER=clang++ (Debian packages clang and libclang-rt-14-dev)")
endif()

set(TF_SANITIZERS_ON OFF)
set(TF_TEST_TIMEOUT_FACTOR 1)
if(TF_SANITIZE OR TF_FUZZ)
  set(TF_SANITIZERS_ON ON)
  # Findings stop the process (no recovery from UB) so that a test or fuzzer fails on them; frame pointers give
  # ASan's fast unwinder whole stacks; -O1 keeps instrumented code fast enough for the suite without hiding bugs.
  set(TF_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_compile_options(${TF_SANITIZER_FLAGS} -O1)
  add_link_options(-fsanitize=address,undefined)
  # Instrumented code runs several times slower (the engine suites 5x in CPU, tst_syncmodel 40 s → 9 min on a busy
  # 2-core machine); the suites' CTest timeouts grow with it.
  set(TF_TEST_TIMEOUT_FACTOR 3)

  set(TF_SANITIZER_SUPPRESSIONS ${PROJECT_SOURCE_DIR}/cmake/sanitizers)
  # check_initialization_order: static initialisers reading each other. quarantine_size_mb: freed memory is held
  # back this long before reuse, to catch use after free; the default 256 MB makes every process touch that much
  # fresh memory, and first touches are what is slow on our 2-core VMs (the state database suites ran 3x slower
  # than with 16 MB). 16 MB still holds the last thousands of frees. detect_stack_use_after_return stays off.
  set(TF_ASAN_OPTIONS "detect_leaks=1:check_initialization_order=1:strict_init_order=1:quarantine_size_mb=16:halt_on_error=1")
  set(TF_UBSAN_OPTIONS "print_stacktrace=1:halt_on_error=1:suppressions=${TF_SANITIZER_SUPPRESSIONS}/ubsan.supp")
  set(TF_LSAN_OPTIONS "suppressions=${TF_SANITIZER_SUPPRESSIONS}/lsan.supp:print_suppressions=0")
  find_program(TF_LLVM_SYMBOLIZER NAMES llvm-symbolizer llvm-symbolizer-14)
  # QtTest's own watchdog (300 s per test function) grows with the CTest timeouts.
  math(EXPR qtest_timeout_ms "300000 * ${TF_TEST_TIMEOUT_FACTOR}")
  set(TF_SANITIZER_ENVIRONMENT
    "ASAN_OPTIONS=${TF_ASAN_OPTIONS}" "UBSAN_OPTIONS=${TF_UBSAN_OPTIONS}" "LSAN_OPTIONS=${TF_LSAN_OPTIONS}"
    "QTEST_FUNCTION_TIMEOUT=${qtest_timeout_ms}")
  if(TF_LLVM_SYMBOLIZER)
    list(APPEND TF_SANITIZER_ENVIRONMENT "ASAN_SYMBOLIZER_PATH=${TF_LLVM_SYMBOLIZER}")
  endif()
  # The same settings for a shell (`./dev fuzz` runs a fuzzer by hand with them).
  list(TRANSFORM TF_SANITIZER_ENVIRONMENT REPLACE "^([A-Z_]+)=(.*)$" "export \\1='\\2'" OUTPUT_VARIABLE exports)
  list(JOIN exports "\n" exports)
  file(WRITE ${PROJECT_BINARY_DIR}/sanitizer-environment.sh "${exports}\n")
endif()
