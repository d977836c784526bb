#include "bench/support/tx_fixtures.h"

#include <vector>

#include "chain/native_script.h"

namespace stakeward::bench {
namespace {

using namespace stakeward::chain;  // NOLINT: fixture code over many chain types

Hash28 H28(uint32_t i) {
  Hash28 h{};
  for (size_t k = 0; k < h.size(); ++k) h[k] = static_cast<uint8_t>((i * 131 + k * 7) & 0xff);
  h[0] = static_cast<uint8_t>(i);
  return h;
}

struct Shape {
  uint32_t inputs, certificates, withdrawals, outputs, scripts, witnesses;
};

// Certificates cycle registration, pool delegation and vote delegation of script credentials;
// outputs pay the 3-of-5 script's base addresses.
Transaction Build(const Shape& s) {
  std::vector<NativeScript> signers;
  for (uint32_t j = 0; j < 5; ++j) signers.push_back(NativeScript::Sig(H28(1000 + j)));
  const NativeScript payment = NativeScript::AtLeast(3, signers);
  const Credential pay{Credential::Kind::kScriptHash, NativeScriptHash(payment)};
  TxBody body;
  Hash32 in{};
  in.fill(0x42);
  for (uint32_t i = 0; i < s.inputs; ++i) body.inputs.push_back({in, i});
  DRep abstain;
  for (uint32_t i = 0; i < std::max({s.certificates, s.withdrawals, s.outputs}); ++i) {
    const Credential stake{Credential::Kind::kScriptHash, H28(i)};
    if (i < s.certificates) {
      switch (i % 3) {
        case 0:
          body.certificates.push_back(Certificate::Registration(stake, Lovelace(2000000)));
          break;
        case 1:
          body.certificates.push_back(Certificate::StakeDelegation(stake, H28(500 + i)));
          break;
        default:
          body.certificates.push_back(Certificate::VoteDelegation(stake, abstain));
          break;
      }
    }
    if (i < s.withdrawals)
      body.withdrawals.push_back(
          {Address::Reward(Network::kMainnet, stake).raw, Lovelace(1000000 + i)});
    if (i < s.outputs) {
      TxOut out;
      out.address = Address::Base(Network::kMainnet, pay, stake).raw;
      out.coin = chain::Lovelace(5000000000ULL + i);
      body.outputs.push_back(out);
    }
  }
  body.fee = chain::Lovelace(900000);
  body.ttl = 150000000;
  WitnessSet ws;
  for (uint32_t j = 0; j < s.scripts; ++j) ws.scripts.push_back(payment);
  for (uint32_t j = 0; j < s.witnesses; ++j) {
    VkeyWitness w;
    w.vkey.fill(static_cast<uint8_t>(j));
    w.signature.fill(static_cast<uint8_t>(0x80 + j));
    ws.vkeys.push_back(w);
  }
  return MakeTransaction(std::move(body), std::move(ws), std::nullopt);
}

}  // namespace

Transaction BigTransaction() { return Build({4, 50, 50, 10, 2, 3}); }

Transaction SmallTransaction() { return Build({1, 2, 0, 1, 1, 2}); }

}  // namespace stakeward::bench
