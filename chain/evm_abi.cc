// Solidity ABI pieces for the liquid-staking reward deposit: function selectors and
// accreditToPool(uint256 _roi) (dcSpark milkomeda-documentation, see shared/specs/cardano.md §7).
#include <algorithm>

#include "absl/status/status.h"
#include "chain/evm.h"
#include "chain/hash.h"

namespace stakeward::chain::evm {
namespace {

constexpr std::string_view kAccreditToPool = "accreditToPool(uint256)";
constexpr size_t kSelectorSize = 4;
constexpr size_t kWordSize = 32;  // every static ABI argument takes one 32-byte word

}  // namespace

std::array<uint8_t, 4> FunctionSelector(std::string_view signature) {
  const Hash32 h = Keccak256(View(signature));
  std::array<uint8_t, 4> out;
  std::copy(h.begin(), h.begin() + kSelectorSize, out.begin());
  return out;
}

Bytes EncodeAccreditToPool(const U256& roi) {
  const std::array<uint8_t, 4> selector = FunctionSelector(kAccreditToPool);
  Bytes out(kSelectorSize + kWordSize);
  std::copy(selector.begin(), selector.end(), out.begin());
  std::copy(roi.big_endian().begin(), roi.big_endian().end(), out.begin() + kSelectorSize);
  return out;
}

absl::StatusOr<U256> DecodeAccreditToPool(ByteView calldata) {
  if (calldata.size() != kSelectorSize + kWordSize) {
    return absl::InvalidArgumentError("accreditToPool calldata is 36 bytes");
  }
  const std::array<uint8_t, 4> selector = FunctionSelector(kAccreditToPool);
  if (!std::equal(selector.begin(), selector.end(), calldata.begin())) {
    return absl::InvalidArgumentError("calldata is not an accreditToPool call");
  }
  return U256::FromBigEndian(calldata.subspan(kSelectorSize));
}

}  // namespace stakeward::chain::evm
