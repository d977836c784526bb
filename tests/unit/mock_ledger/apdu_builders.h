// Test helpers that build Cardano-app APDUs (specs/ledger.md §4.3-§4.8 byte layouts).
#ifndef STAKEWARD_TESTS_UNIT_MOCK_LEDGER_APDU_BUILDERS_H_
#define STAKEWARD_TESTS_UNIT_MOCK_LEDGER_APDU_BUILDERS_H_

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "chain/bytes.h"
#include "firmware-mocks/ledger/apdu.h"

namespace stakeward::mocks::ledger::testing {

constexpr uint32_t kH = 0x80000000u;

inline chain::Bytes PathBytes(std::initializer_list<uint32_t> p) {
  return EncodePath(chain::Path{std::vector<uint32_t>(p)});
}
inline std::string ApduHex(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2,
                           const chain::Bytes& data) {
  return chain::HexEncode(chain::View(EncodeApdu(Apdu{cla, ins, p1, p2, data})));
}
inline std::string SignTx(uint8_t p1, const chain::Bytes& data, uint8_t p2 = 0) {
  return ApduHex(0xD7, 0x21, p1, p2, data);
}
inline chain::Bytes Cat(std::initializer_list<chain::Bytes> parts) {
  chain::Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
inline chain::Bytes U32(uint32_t v) {
  chain::Bytes b;
  PutU32(b, v);
  return b;
}
inline chain::Bytes U64(uint64_t v) {
  chain::Bytes b;
  PutU64(b, v);
  return b;
}
inline chain::Bytes Fill(size_t n, uint8_t v) { return chain::Bytes(n, v); }

struct InitParams {
  uint8_t network_id = 1;
  uint32_t magic = 764824073;
  bool ttl = true;
  uint8_t mode = 3;  // ORDINARY
  uint32_t inputs = 1, outputs = 1, certs = 0, withdrawals = 0, witnesses = 1;
  uint8_t flag_override = 0;  // if non-zero, written as the "include TTL" byte
};
// INIT, app >= 7.0 layout (60 bytes).
inline std::string Init(const InitParams& p) {
  chain::Bytes d = Cat({U64(0), {p.network_id}, U32(p.magic)});
  d.push_back(p.flag_override != 0 ? p.flag_override : (p.ttl ? 0x02 : 0x01));
  for (int i = 0; i < 9; ++i) d.push_back(0x01);  // aux .. donation: not included
  d.push_back(p.mode);
  for (uint32_t c : {p.inputs, p.outputs, p.certs, p.withdrawals, 0u, 0u, 0u, 0u, p.witnesses}) {
    chain::Bytes b = U32(c);
    d.insert(d.end(), b.begin(), b.end());
  }
  return SignTx(0x01, d);
}
inline std::string Input() { return SignTx(0x02, Cat({Fill(32, 0x3b), U32(0)})); }
// Third-party output with a raw address, legacy format, no tokens.
inline std::string OutputBasic(const chain::Bytes& address, uint64_t amount = 2000000) {
  return SignTx(0x03,
                Cat({{0x00, 0x01},
                     U32(static_cast<uint32_t>(address.size())),
                     address,
                     U64(amount),
                     U32(0),
                     {0x01, 0x01}}),
                0x30);
}
inline std::string OutputConfirm() { return SignTx(0x03, {}, 0x33); }
inline std::string Fee(uint64_t fee) { return SignTx(0x04, U64(fee)); }
inline std::string Ttl(uint64_t ttl) { return SignTx(0x05, U64(ttl)); }
inline chain::Bytes ScriptCredential(uint8_t fill) { return Cat({{0x01}, Fill(28, fill)}); }
inline chain::Bytes KeyPathCredential(std::initializer_list<uint32_t> p) {
  return Cat({{0x00}, PathBytes(p)});
}
inline std::string Delegation(const chain::Bytes& credential) {
  return SignTx(0x06, Cat({{0x02}, credential, Fill(28, 0xf6)}));
}
inline std::string Withdrawal(uint64_t amount, const chain::Bytes& credential) {
  return SignTx(0x07, Cat({U64(amount), credential}));
}
inline std::string Confirm() { return SignTx(0x0a, {}); }
inline std::string Witness(std::initializer_list<uint32_t> p) { return SignTx(0x0f, PathBytes(p)); }

// A mainnet enterprise script address (header 0x71).
inline chain::Bytes ScriptAddress() { return Cat({{0x71}, Fill(28, 0x11)}); }

}  // namespace stakeward::mocks::ledger::testing

#endif  // STAKEWARD_TESTS_UNIT_MOCK_LEDGER_APDU_BUILDERS_H_
