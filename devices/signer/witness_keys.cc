// Witness keys from the policy's account xpubs, and what the devices leave off their screens.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "chain/lovelace.h"
#include "devices/signer/signer.h"

namespace stakeward::devices {
namespace {

// `path` = `account` followed by soft steps only; returns those steps.
std::optional<chain::Path> Below(const chain::Path& account, const chain::Path& path) {
  if (path.indexes.size() <= account.indexes.size()) return std::nullopt;
  for (size_t i = 0; i < account.indexes.size(); ++i) {
    if (path.indexes[i] != account.indexes[i]) return std::nullopt;
  }
  chain::Path rest;
  for (size_t i = account.indexes.size(); i < path.indexes.size(); ++i) {
    if (path.indexes[i] >= chain::kHardened) return std::nullopt;  // not soft-derivable
    rest.indexes.push_back(path.indexes[i]);
  }
  return rest;
}

}  // namespace

absl::StatusOr<AccountXPub> ParseAccountXPub(std::string_view spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string_view::npos) {
    return absl::InvalidArgumentError("account xpub: expected <account path>=<xpub>");
  }
  auto path = chain::ParsePath(spec.substr(0, eq));
  if (!path.ok())
    return absl::InvalidArgumentError(absl::StrCat("account xpub: ", path.status().message()));
  for (uint32_t i : path->indexes) {
    if (i < chain::kHardened) {
      return absl::InvalidArgumentError("account xpub: the account path must be fully hardened");
    }
  }
  std::string_view text = spec.substr(eq + 1);
  absl::StatusOr<chain::XPub> xpub = absl::InvalidArgumentError("unrecognised xpub");
  if (auto hex = chain::HexDecode(text); hex.ok() && hex->size() == 64) {
    xpub = chain::XPub::Parse(chain::View(*hex));
  } else {
    for (const char* hrp : {"acct_shared_xvk", "acct_xvk"}) {
      if (text.rfind(hrp, 0) == 0) {
        xpub = chain::XPubFromBech32(text, hrp);
        break;
      }
    }
  }
  if (!xpub.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("account xpub: ", xpub.status().message()));
  }
  return AccountXPub{*path, *xpub};
}

absl::StatusOr<std::vector<chain::XPub>> WitnessKeys(
    const std::vector<chain::Path>& paths, const std::vector<AccountXPub>& accounts,
    const std::function<absl::StatusOr<std::vector<chain::XPub>>(const std::vector<chain::Path>&)>&
        from_device) {
  std::vector<std::optional<chain::XPub>> keys(paths.size());
  std::vector<chain::Path> ask;
  for (size_t i = 0; i < paths.size(); ++i) {
    for (const AccountXPub& a : accounts) {
      if (auto rest = Below(a.path, paths[i])) {
        auto k = chain::DerivePublicPath(a.xpub, *rest);
        if (!k.ok()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "cannot derive ", chain::FormatPath(paths[i]), " from the account key of ",
              chain::FormatPath(a.path), ": ", k.status().message()));
        }
        keys[i] = *k;
        break;
      }
    }
    if (!keys[i]) ask.push_back(paths[i]);
  }
  std::vector<chain::XPub> device_keys;
  if (!ask.empty()) {
    auto got = from_device(ask);
    if (!got.ok()) return got.status();
    if (got->size() != ask.size()) {
      return absl::DataLossError("the device returned a different number of public keys");
    }
    device_keys = std::move(*got);
  }
  std::vector<chain::XPub> out;
  size_t next = 0;
  for (auto& k : keys) out.push_back(k ? *k : device_keys[next++]);
  return out;
}

std::vector<std::string> HiddenFromDevice(Vendor vendor, const chain::Transaction& tx,
                                          SigningMode mode) {
  const chain::TxBody& b = tx.body;
  std::vector<std::string> out;
  if (vendor == Vendor::kLedger) {
    // Cardano app src/securityPolicy.c, without expert mode: policyForSignTxWithdrawal (script
    // hash in MULTISIG, key path in ORDINARY: SHOW_IF(app_mode_expert())), policyForSignTxTtl,
    // policyForSignTxAuxData (AUX_DATA_TYPE_ARBITRARY_HASH), policyForSignTxValidityIntervalStart
    // and policyForSignTxRequiredSigner all show only in expert mode.
    for (const auto& w : b.withdrawals) {
      out.push_back(absl::StrCat("withdrawal of ", chain::FormatAda(chain::Lovelace(w.coin)),
                                 " from ", chain::FormatAddress(chain::View(w.reward_account))));
    }
    if (b.ttl) out.push_back(absl::StrCat("TTL (valid until slot) ", *b.ttl));
    if (b.validity_start) out.push_back(absl::StrCat("validity start slot ", *b.validity_start));
    if (b.aux_data_hash) {
      out.push_back(absl::StrCat("auxiliary data hash ", chain::HexEncode(*b.aux_data_hash)));
    }
    for (const auto& h : b.required_signers) {
      out.push_back(absl::StrCat("required signer ", chain::HexEncode(h)));
    }
    if (!out.empty()) {
      out.insert(out.begin(), "The Ledger (without expert mode) will not show:");
    }
    (void)mode;
    return out;
  }
  // Trezor core/src/apps/cardano/sign_tx/signer.py: withdrawals (`_process_withdrawals`),
  // required signers (`_show_if_showing_details`) and the auxiliary data hash
  // (auxiliary_data.py `show`) appear only when the user picks "show details" on the first
  // screen (`layout.show_tx_init`); TTL and validity start are always on the final screen
  // (multisig_signer.py `_confirm_tx`).
  for (const auto& w : b.withdrawals) {
    out.push_back(absl::StrCat("withdrawal of ", chain::FormatAda(chain::Lovelace(w.coin)),
                               " from ", chain::FormatAddress(chain::View(w.reward_account))));
  }
  if (b.aux_data_hash) {
    out.push_back(absl::StrCat("auxiliary data hash ", chain::HexEncode(*b.aux_data_hash)));
  }
  for (const auto& h : b.required_signers) {
    out.push_back(absl::StrCat("required signer ", chain::HexEncode(h)));
  }
  if (!out.empty()) {
    out.insert(out.begin(),
               "The Trezor shows these only if you choose \"Show details\" on its first screen:");
  }
  return out;
}

}  // namespace stakeward::devices
