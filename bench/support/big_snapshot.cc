#include "bench/support/big_snapshot.h"

#include <string>

#include "chain/bytes.h"
#include "chain/hash.h"

namespace stakeward::bench {

nlohmann::json CloneSnapshot(const nlohmann::json& sample, int pools) {
  nlohmann::json snap = sample;
  const nlohmann::json& base = sample["pools"];
  nlohmann::json all = nlohmann::json::array();
  for (int i = 0; i < pools; ++i) {
    nlohmann::json p = base[static_cast<size_t>(i) % base.size()];
    chain::Bytes seed = {static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i), 0x5a};
    const chain::Hash28 id = chain::Blake2b224(chain::View(seed));
    if (static_cast<size_t>(i) >= base.size()) {
      p["id"] = chain::HexEncode(id);
      p["group"] = "g" + std::to_string(i);
      p["owners"] = nlohmann::json::array({chain::HexEncode(id)});
      p["relays"] = nlohmann::json::array({"r" + std::to_string(i) + ".example:3001"});
    }
    all.push_back(p);
  }
  snap["pools"] = all;
  snap["slot"] = snap["slot"].get<uint64_t>() + 1;
  return snap;
}

}  // namespace stakeward::bench
