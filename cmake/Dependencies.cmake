# Locates every third-party dependency once and exposes it as an imported target.
# A missing dependency is a configure-time error, never a silently reduced build.
find_package(PkgConfig REQUIRED)

pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SECP256K1 REQUIRED IMPORTED_TARGET libsecp256k1)
pkg_check_modules(CRYPTOPP REQUIRED IMPORTED_TARGET libcrypto++)
pkg_check_modules(HIDAPI REQUIRED IMPORTED_TARGET hidapi-hidraw)
pkg_check_modules(LIBUSB REQUIRED IMPORTED_TARGET libusb-1.0)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)

find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_package(absl REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(simdjson REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
include(GoogleTest)

find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

add_library(sw_deps_crypto INTERFACE)
target_link_libraries(sw_deps_crypto INTERFACE
  PkgConfig::SODIUM PkgConfig::SECP256K1 PkgConfig::CRYPTOPP OpenSSL::Crypto)

add_library(sw_deps_absl INTERFACE)
target_link_libraries(sw_deps_absl INTERFACE
  absl::status absl::statusor absl::strings absl::str_format absl::span absl::time
  absl::synchronization absl::flat_hash_map absl::flat_hash_set absl::random_random)

# sw_library(<target> DIR <dir> LINK <libs...>)
# Builds a static library from every .cc below <dir> except executables' mains
# (*_main.cc) and tests (*_test.cc). New files are picked up at the next build.
function(sw_library target)
  cmake_parse_arguments(ARG "" "DIR" "LINK" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS "${ARG_DIR}/*.cc")
  list(FILTER srcs EXCLUDE REGEX "(_main|_test)\\.cc$")
  if(NOT srcs)
    message(STATUS "sw_library: ${target} has no sources yet")
    return()
  endif()
  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} PUBLIC ${STAKEWARD_ROOT} ${CMAKE_BINARY_DIR}/gen)
  target_link_libraries(${target} PUBLIC ${ARG_LINK})
endfunction()

# sw_gtest(<target> DIR <dir> LINK <libs...>)
# One GoogleTest executable from every *_test.cc below <dir>, registered with CTest.
function(sw_gtest target)
  cmake_parse_arguments(ARG "" "DIR;TIMEOUT" "LINK" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS "${ARG_DIR}/*.cc")
  if(NOT srcs)
    return()
  endif()
  add_executable(${target} ${srcs})
  target_include_directories(${target} PRIVATE ${STAKEWARD_ROOT} ${CMAKE_BINARY_DIR}/gen)
  target_link_libraries(${target} PRIVATE ${ARG_LINK} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${target} PRIVATE
    STAKEWARD_SHARED_DIR="${STAKEWARD_SHARED_DIR}"
    STAKEWARD_SOURCE_DIR="${STAKEWARD_ROOT}"
    STAKEWARD_BINARY_DIR="${CMAKE_BINARY_DIR}"
    STAKEWARD_BIN_DIR="${CMAKE_BINARY_DIR}/bin")
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  # STAKEWARD_PROFILE=none: a developer's own client profile must not steer the CLI under test.
  # NO_PRETTY_VALUES: CTest names are the gtest names; the "pretty" form appended the printed
  # parameter, which for a struct is its bytes, pointers included (a different name every build).
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60 NO_PRETTY_VALUES
    PROPERTIES TIMEOUT ${ARG_TIMEOUT} ENVIRONMENT "STAKEWARD_PROFILE=none")
endfunction()
