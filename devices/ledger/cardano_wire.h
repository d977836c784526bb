// Byte encodings of the Ledger Cardano app's SIGN_TX, GET_EXT_PUBLIC_KEY and DERIVE_ADDRESS
// payloads for app 7.x (ledger.md §4.3–§4.8). Pure functions; the byte traces of ledger.md §7
// are the unit tests.
#ifndef STAKEWARD_DEVICES_LEDGER_CARDANO_WIRE_H_
#define STAKEWARD_DEVICES_LEDGER_CARDANO_WIRE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "chain/keys.h"
#include "devices/cardano_request.h"

namespace stakeward::devices::ledger::cardano_wire {

inline constexpr uint8_t kCla = 0xd7;
// INS codes (ledger.md §4.2).
inline constexpr uint8_t kInsGetVersion = 0x00;
inline constexpr uint8_t kInsGetSerial = 0x01;
inline constexpr uint8_t kInsGetExtPublicKey = 0x10;
inline constexpr uint8_t kInsDeriveAddress = 0x11;
inline constexpr uint8_t kInsSignTx = 0x21;

// SIGN_TX stages (P1), ledger.md §4.8.
inline constexpr uint8_t kP1Init = 0x01;
inline constexpr uint8_t kP1Inputs = 0x02;
inline constexpr uint8_t kP1Outputs = 0x03;
inline constexpr uint8_t kP1Fee = 0x04;
inline constexpr uint8_t kP1Ttl = 0x05;
inline constexpr uint8_t kP1Certificates = 0x06;
inline constexpr uint8_t kP1Withdrawals = 0x07;
inline constexpr uint8_t kP1AuxData = 0x08;
inline constexpr uint8_t kP1ValidityStart = 0x09;
inline constexpr uint8_t kP1Confirm = 0x0a;
inline constexpr uint8_t kP1Witnesses = 0x0f;
inline constexpr uint8_t kP1RequiredSigners = 0x0e;
inline constexpr uint8_t kP2OutputBasic = 0x30;
inline constexpr uint8_t kP2OutputConfirm = 0x33;

// Signing modes in INIT (ledger.md §4.8).
inline constexpr uint8_t kModeOrdinary = 3;
inline constexpr uint8_t kModeMultisig = 6;

// Longest BIP32 path the app accepts (BIP44_MAX_PATH_ELEMENTS).
inline constexpr size_t kMaxPathElements = 5;

// u8 n || n × u32be. INVALID_ARGUMENT for more than 5 elements.
absl::StatusOr<chain::Bytes> EncodePath(const chain::Path& path);

// GET_EXT_PUBLIC_KEY first APDU data: path, plus u32be remaining keys when remaining > 0.
absl::StatusOr<chain::Bytes> EncodeGetExtPublicKey(const chain::Path& path, uint32_t remaining,
                                                   bool first);

// DERIVE_ADDRESS params for a key-hash base address (type 0x00) with a staking path, or an
// enterprise/reward address, from paths (ledger.md §4.3 "Address params").
struct AddressParams {
  uint8_t address_type = 0x00;  // 0x00 base, 0x06 enterprise, 0x0e reward
  uint8_t network_id = 1;
  chain::Path payment_path;                 // base / enterprise
  std::optional<chain::Path> staking_path;  // base (0x22) / reward
};
absl::StatusOr<chain::Bytes> EncodeAddressParams(const AddressParams& p);

// SIGN_TX payloads.
absl::StatusOr<chain::Bytes> EncodeInit(const CardanoTxRequest& req);
chain::Bytes EncodeAuxDataHash(const chain::Hash32& hash);
chain::Bytes EncodeInput(const chain::TxIn& in);
absl::StatusOr<chain::Bytes> EncodeOutputBasic(const DeviceOutput& out);
chain::Bytes EncodeU64(uint64_t v);
absl::StatusOr<chain::Bytes> EncodeCertificate(const DeviceCertificate& cert);
absl::StatusOr<chain::Bytes> EncodeWithdrawal(const DeviceWithdrawal& w);
absl::StatusOr<chain::Bytes> EncodeRequiredSigner(const DeviceRequiredSigner& s);
absl::StatusOr<chain::Bytes> EncodeCredential(const StakeCredential& c);

}  // namespace stakeward::devices::ledger::cardano_wire

#endif  // STAKEWARD_DEVICES_LEDGER_CARDANO_WIRE_H_
