# Turns the BIP39 English word list (bitcoin/bips bip-0039/english.txt) into a C++ source file.
# Run at build time: cmake -DINPUT=<english.txt> -DOUTPUT=<file.cc> -P embed_bip39.cmake
# The list must hold exactly 2048 lower-case ASCII words, one per line; anything else fails the build.
if(NOT INPUT OR NOT OUTPUT)
  message(FATAL_ERROR "embed_bip39.cmake needs -DINPUT and -DOUTPUT")
endif()
file(STRINGS "${INPUT}" words)
list(LENGTH words count)
if(NOT count EQUAL 2048)
  message(FATAL_ERROR "${INPUT}: expected 2048 words, found ${count}")
endif()
set(body "")
foreach(w IN LISTS words)
  if(NOT w MATCHES "^[a-z]+$")
    message(FATAL_ERROR "${INPUT}: not a lower-case ASCII word: '${w}'")
  endif()
  string(APPEND body "    \"${w}\",\n")
endforeach()
set(content "// Generated from chain/data/bip39_english.txt by chain/data/embed_bip39.cmake. Do not edit.
namespace stakeward::chain::internal {

extern const char* const kBip39English[2048];
const char* const kBip39English[2048] = {
${body}};

}  // namespace stakeward::chain::internal
")
# Rewrite only on change so that the library is not rebuilt needlessly.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
