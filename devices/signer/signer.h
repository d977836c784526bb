// Task-level signer interface over any supported hardware wallet (Ledger or Trezor, real or
// emulated). Every signature is checked before it is returned: the body hash is recomputed and
// compared with the device's, every witness is verified against the device's public key for its
// path, and an EVM signature must recover to the device's address. A mismatch is DATA_LOSS and
// nothing partial is returned.
#ifndef STAKEWARD_DEVICES_SIGNER_SIGNER_H_
#define STAKEWARD_DEVICES_SIGNER_SIGNER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "chain/tx.h"
#include "devices/cardano_request.h"
#include "devices/transport/usb_transports.h"

namespace stakeward::devices {

struct Capabilities {
  bool cardano = false;           // the Cardano app/firmware answers
  bool cardano_conway = false;    // certificates 7/8/9 and tag 258 (Ledger app 7.0, Trezor 2.7.2)
  bool cardano_multisig = false;  // MULTISIG signing mode
  bool required_signers = false;
  bool ethereum_eip1559 = false;  // the Ethereum app is open (Ledger) / supported (Trezor)
  bool show_address = false;
  std::vector<chain::Derivation> derivations;  // Cardano master-key schemes the device offers
};

struct DeviceInfo {
  std::string uri;
  Vendor vendor = Vendor::kLedger;
  std::string model;
  std::string firmware;     // Trezor firmware version
  std::string app;          // Ledger: the open app ("Cardano ADA", "Ethereum")
  std::string app_version;  // Ledger app version
  std::string serial;       // Ledger Cardano app serial / Trezor device_id, when known
  std::string note;         // what is missing ("open the Cardano app", "update to 7.0.0"...)
  Capabilities capabilities;
};

struct CardanoNetwork {
  uint8_t network_id = 1;
  uint32_t protocol_magic = 764824073;  // mainnet (ledger.md §4.8)
};
inline constexpr uint32_t kMainnetProtocolMagic = 764824073;
inline constexpr uint32_t kPreprodProtocolMagic = 1;

// The network a transaction belongs to: body key 15 if present, else the network nibble of its
// Shelley output addresses / reward accounts (all must agree). A testnet gets `testnet_magic`.
absl::StatusOr<CardanoNetwork> InferNetwork(const chain::Transaction& tx, uint32_t testnet_magic);

// A signer's account public key as recorded in the policy (e.g. m/1854'/1815'/0'), from which
// the witness keys below it are derived on the host (soft derivation, CIP-1852/1854).
struct AccountXPub {
  chain::Path path;  // the account path, all hardened (purpose'/1815'/account')
  chain::XPub xpub;
};

struct SignerOptions {
  // Bounds every device read, including the time the user needs to confirm.
  absl::Duration timeout = absl::Minutes(3);
  absl::Duration connect_timeout = absl::Seconds(3);
  // Trezor only: the Cardano master-key scheme. A Ledger always uses kLedger.
  chain::Derivation derivation = chain::Derivation::kIcarusTrezor;
  // Told what the user must do now ("Confirm on your Ledger…").
  std::function<void(std::string_view)> progress;
  // The account keys the policy knows for this signer. When a witness path lies below one of
  // them, SignCardanoTx derives the witness key from it instead of asking the device: no extra
  // public-key export (which the Ledger app asks the user to confirm), fewer exchanges, and a
  // device that signs with any other key is caught (DATA_LOSS). Paths under no listed account
  // still get their key from the device.
  std::vector<AccountXPub> account_xpubs;
  // Trezor with passphrase protection: send this passphrase from the host instead of typing it
  // on the device. Refused for multisig (1854') keys. Wiped by the signer.
  std::optional<std::string> trezor_passphrase_on_host;
};

// "<account path>=<xpub>", the xpub as bech32 (acct_shared_xvk… / acct_xvk…) or 128 hex digits
// (public key || chain code), e.g. "m/1854'/1815'/0'=acct_shared_xvk1…". The account path must be
// fully hardened. INVALID_ARGUMENT otherwise.
absl::StatusOr<AccountXPub> ParseAccountXPub(std::string_view spec);

// The keys for `paths`: derived from `accounts` where a path lies below one (soft steps only),
// else taken from `from_device` (called once with the remaining paths, in order). Exposed for
// tests and callers that want to check a policy xpub against a device.
absl::StatusOr<std::vector<chain::XPub>> WitnessKeys(
    const std::vector<chain::Path>& paths, const std::vector<AccountXPub>& accounts,
    const std::function<absl::StatusOr<std::vector<chain::XPub>>(const std::vector<chain::Path>&)>&
        from_device);

// What a Ledger or Trezor will not show for this transaction in this mode (ledger.md §4,
// trezor.md §4), one line each, so the caller can print them before the user confirms on the
// device. Empty if the device shows everything.
std::vector<std::string> HiddenFromDevice(Vendor vendor, const chain::Transaction& tx,
                                          SigningMode mode);

class Signer {
 public:
  virtual ~Signer() = default;
  virtual DeviceInfo Info() const = 0;
  virtual absl::StatusOr<std::vector<chain::XPub>> GetExtendedPublicKeys(
      const std::vector<chain::Path>& paths) = 0;
  // Shows a base (payment + staking) or enterprise address on the device; returns its bech32.
  virtual absl::StatusOr<std::string> ShowAddress(const CardanoNetwork& net,
                                                  const chain::Path& payment,
                                                  const std::optional<chain::Path>& staking) = 0;
  // One vkey witness per unique witness path, in order, all verified.
  virtual absl::StatusOr<std::vector<chain::VkeyWitness>> SignCardanoTx(
      const chain::Transaction& tx, SigningMode mode, const std::vector<chain::Path>& witness_paths,
      const CardanoNetwork& net) = 0;
  virtual absl::StatusOr<chain::evm::Address> GetEthAddress(const chain::Path& path, bool show) = 0;
  // The signature recovers to the device's address for `path` (checked).
  virtual absl::StatusOr<chain::evm::EvmSignature> SignEip1559(const chain::evm::Eip1559Tx& tx,
                                                               const chain::Path& path) = 0;
  virtual ExchangeStats stats() const = 0;
};

// Opens a device by URI (see transport.h) and identifies it.
absl::StatusOr<std::unique_ptr<Signer>> OpenSigner(const std::string& uri,
                                                   const SignerOptions& options);

}  // namespace stakeward::devices

#endif  // STAKEWARD_DEVICES_SIGNER_SIGNER_H_
