// mock-trezor signs what the firmware signs (the raw field bytes it received), and guards the
// seed with PIN and passphrase the way a Model T does.
#include <string>

#include "chain/evm.h"
#include "chain/hash.h"
#include "gtest/gtest.h"
#include "proto/trezor/messages_common.pb.h"
#include "proto/trezor/messages_ethereum.pb.h"
#include "tests/unit/mock_trezor/fixture_util.h"

namespace stakeward::mocks::trezor::testing {
namespace {

namespace em = hw::trezor::messages::ethereum;
namespace cm = hw::trezor::messages::common;

// The published fixture "nodata" (trezor-firmware common/tests/fixtures/ethereum/
// sign_tx_eip1559.json) with the nonce given as `nonce_bytes`.
em::EthereumSignTxEIP1559 NoData(const std::string& nonce_bytes) {
  em::EthereumSignTxEIP1559 req;
  for (uint32_t i : {0x8000002cu, 0x8000003cu, 0x80000000u, 0u, 100u}) req.add_address_n(i);
  req.set_nonce(nonce_bytes);
  req.set_max_gas_fee(std::string("\x14", 1));
  req.set_max_priority_fee(std::string("\x01", 1));
  req.set_gas_limit(std::string("\x14", 1));
  req.set_to("0x1d1c328764a41bda0492b66baa30c4a339ff85ef");
  req.set_value(std::string("\x0a", 1));
  req.set_data_length(0);
  req.set_chain_id(1);
  return req;
}

em::EthereumTxRequest Sign(Rig& rig, const em::EthereumSignTxEIP1559& req) {
  auto r = rig.host->Call(452, req);
  em::EthereumTxRequest out;
  EXPECT_TRUE(r.ok()) << r.status();
  if (!r.ok()) return out;
  EXPECT_EQ(r->type, 59);
  EXPECT_TRUE(out.ParseFromArray(r->payload.data(), static_cast<int>(r->payload.size())));
  return out;
}

TEST(RawFields, ZeroAsOneZeroByteIsHashedAsSent) {
  auto rig = Rig::Start();
  ASSERT_NE(rig, nullptr);
  // Empty bytes: the published signature.
  em::EthereumTxRequest canonical = Sign(*rig, NoData(""));
  EXPECT_EQ(Hex(canonical.signature_r()),
            "2ceeaabc994fbce2fbd66551f9d48fc711c8db2a12e93779eeddede11e41f636");
  // One 0x00 byte: the firmware RLP-writes it as the byte 00 (rlp.py `write`), so the digest is
  // keccak(02 dd 01 00 01 14 14 94 <to> 0a 80 c0), hand-assembled here.
  em::EthereumTxRequest raw = Sign(*rig, NoData(std::string(1, '\0')));
  EXPECT_NE(raw.signature_r(), canonical.signature_r());
  const chain::Bytes unsigned_tx =
      Unhex("02dd0100011414941d1c328764a41bda0492b66baa30c4a339ff85ef0a80c0");
  chain::evm::EvmSignature sig;
  sig.y_parity = static_cast<uint8_t>(raw.signature_v());
  std::copy(raw.signature_r().begin(), raw.signature_r().end(), sig.r.begin());
  std::copy(raw.signature_s().begin(), raw.signature_s().end(), sig.s.begin());
  auto who = chain::evm::RecoverSigner(chain::Keccak256(chain::View(unsigned_tx)), sig);
  ASSERT_TRUE(who.ok());
  em::EthereumGetAddress ga;
  for (uint32_t i : {0x8000002cu, 0x8000003cu, 0x80000000u, 0u, 100u}) ga.add_address_n(i);
  auto a = rig->host->Call(56, ga);
  ASSERT_TRUE(a.ok());
  em::EthereumAddress address;
  ASSERT_TRUE(address.ParseFromArray(a->payload.data(), static_cast<int>(a->payload.size())));
  EXPECT_EQ(chain::evm::ToChecksumAddress(*who), address.address());
}

// One message out, the next message in (no automatic ButtonAck).
WireMessage Step(Rig& rig, uint16_t type, const google::protobuf::MessageLite& msg) {
  const std::string bytes = msg.SerializeAsString();
  EXPECT_TRUE(rig.host->Send(type, chain::View(std::string_view(bytes))).ok());
  auto r = rig.host->Receive();
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : WireMessage{};
}

cm::ButtonRequest::ButtonRequestType Code(const WireMessage& m) {
  cm::ButtonRequest br;
  EXPECT_EQ(m.type, 26);  // ButtonRequest
  EXPECT_TRUE(br.ParseFromArray(m.payload.data(), static_cast<int>(m.payload.size())));
  return br.code();
}

em::EthereumGetAddress Address0() {
  em::EthereumGetAddress ga;
  for (uint32_t i : {0x8000002cu, 0x8000003cu, 0x80000000u, 0u, 0u}) ga.add_address_n(i);
  return ga;
}

TEST(Gates, PinOnDeviceThenPassphraseRequestThenTheAnswer) {
  // core/src/apps/common/request_pin.py (ButtonRequest PinEntry, PIN typed on the device), then
  // apps/common/passphrase.py (PassphraseRequest; on_device -> ButtonRequest PassphraseEntry).
  MockTrezorOptions o;
  o.pin = "4711";
  o.passphrase = "dao";
  auto rig = Rig::Start(o);
  ASSERT_NE(rig, nullptr);
  WireMessage m = Step(*rig, 56, Address0());
  EXPECT_EQ(Code(m), cm::ButtonRequest::ButtonRequest_PinEntry);
  m = Step(*rig, 27, cm::ButtonAck());
  ASSERT_EQ(m.type, 41);  // PassphraseRequest
  cm::PassphraseAck ack;
  ack.set_on_device(true);
  m = Step(*rig, 42, ack);
  EXPECT_EQ(Code(m), cm::ButtonRequest::ButtonRequest_PassphraseEntry);
  m = Step(*rig, 27, cm::ButtonAck());
  EXPECT_EQ(m.type, 57);  // EthereumAddress
  // The session remembers both: the next request is answered at once.
  m = Step(*rig, 56, Address0());
  EXPECT_EQ(m.type, 57);
}

TEST(Gates, PinCancelledIsFailurePinCancelled) {
  MockTrezorOptions o;
  o.pin = "4711";
  o.user = "reject:pin";
  auto rig = Rig::Start(o);
  ASSERT_NE(rig, nullptr);
  WireMessage m = Step(*rig, 56, Address0());
  EXPECT_EQ(Code(m), cm::ButtonRequest::ButtonRequest_PinEntry);
  m = Step(*rig, 27, cm::ButtonAck());
  ASSERT_EQ(m.type, 3);  // Failure
  cm::Failure f;
  ASSERT_TRUE(f.ParseFromArray(m.payload.data(), static_cast<int>(m.payload.size())));
  EXPECT_EQ(f.code(), cm::Failure::Failure_PinCancelled);
}

}  // namespace
}  // namespace stakeward::mocks::trezor::testing
