// Helpers for loading the shared test vectors.
#ifndef STAKEWARD_TESTS_UNIT_CHAIN_VECTORS_H_
#define STAKEWARD_TESTS_UNIT_CHAIN_VECTORS_H_

#include <fstream>
#include <sstream>
#include <string>

#include "chain/bytes.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace stakeward::chain::testing {

inline nlohmann::json LoadVector(const std::string& relative) {
  const std::string path = std::string(STAKEWARD_SHARED_DIR) + "/vectors/" + relative;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

inline Bytes Hex(const std::string& hex) {
  auto b = HexDecode(hex);
  EXPECT_TRUE(b.ok()) << hex;
  return b.ok() ? *b : Bytes{};
}

template <size_t N>
std::array<uint8_t, N> HexN(const std::string& hex) {
  auto b = HexDecodeFixed<N>(hex);
  EXPECT_TRUE(b.ok()) << hex;
  return b.ok() ? *b : std::array<uint8_t, N>{};
}

}  // namespace stakeward::chain::testing

#endif  // STAKEWARD_TESTS_UNIT_CHAIN_VECTORS_H_
