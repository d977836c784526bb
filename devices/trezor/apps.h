// Trezor session, Cardano and Ethereum flows on top of the typed client (trezor.md §2, §4, §6).
#ifndef STAKEWARD_DEVICES_TREZOR_APPS_H_
#define STAKEWARD_DEVICES_TREZOR_APPS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "devices/cardano_request.h"
#include "devices/trezor/client.h"
#include "proto/trezor/messages_ethereum.pb.h"
#include "proto/trezor/messages_management.pb.h"

namespace stakeward::devices::trezor {

struct FirmwareVersion {
  uint32_t major = 0, minor = 0, patch = 0;
  bool AtLeast(uint32_t ma, uint32_t mi, uint32_t pa) const {
    return std::tie(major, minor, patch) >= std::tie(ma, mi, pa);
  }
  std::string ToString() const;
};

// Oldest firmware with Conway certificates and tag_cbor_sets: core 2.7.1, first released as
// 2.7.2 (trezor.md §9, core/CHANGELOG.md).
inline constexpr FirmwareVersion kMinCardanoConwayFirmware{2, 7, 2};

// Initialize{derive_cardano=true} -> Features.
absl::StatusOr<hw::trezor::messages::management::Features> OpenSession(Client& c);
FirmwareVersion VersionOf(const hw::trezor::messages::management::Features& f);
bool HasCapability(const hw::trezor::messages::management::Features& f, int capability);
inline constexpr int kCapabilityCardano = 4;  // Features.Capability
inline constexpr int kCapabilityEthereum = 7;

absl::StatusOr<std::vector<chain::XPub>> CardanoGetPublicKeys(Client& c,
                                                              const std::vector<chain::Path>& paths,
                                                              chain::Derivation derivation);
// CardanoGetAddress with show_display; returns the bech32 address the device showed.
absl::StatusOr<std::string> CardanoShowAddress(Client& c, uint8_t network_id,
                                               uint32_t protocol_magic, const chain::Path& payment,
                                               const std::optional<chain::Path>& staking,
                                               chain::Derivation derivation, bool show);
absl::StatusOr<CardanoSignResult> CardanoSignTx(Client& c, const CardanoTxRequest& req,
                                                chain::Derivation derivation);

absl::StatusOr<chain::evm::Address> EthereumGetAddress(Client& c, const chain::Path& path,
                                                       bool show);
// The first message of the EIP-1559 flow (integers minimal big-endian, `to` as 0x-hex).
hw::trezor::messages::ethereum::EthereumSignTxEIP1559 MakeEip1559Request(
    const chain::Path& path, const chain::evm::Eip1559Tx& tx);
absl::StatusOr<chain::evm::EvmSignature> EthereumSignEip1559(Client& c, const chain::Path& path,
                                                             const chain::evm::Eip1559Tx& tx);

}  // namespace stakeward::devices::trezor

#endif  // STAKEWARD_DEVICES_TREZOR_APPS_H_
