#include "controller/daemon/roles.h"

#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace stakeward::controller {
namespace {

constexpr unsigned kOp = 1, kSig = 2, kAud = 4;
constexpr unsigned kWrites = 8;  // changes state: refused while serving read-only (forensics)

// The one permission table: method -> roles allowed, and whether it changes state.
const std::map<std::string, unsigned, std::less<>>& Table() {
  static const auto* t = new std::map<std::string, unsigned, std::less<>>{
      {"/stakeward.v1.PolicyService/GetPolicy", kOp | kSig | kAud},
      {"/stakeward.v1.PolicyService/GetPolicyInForce", kOp | kSig | kAud},
      {"/stakeward.v1.PolicyService/ProposePolicy", kOp | kWrites},
      {"/stakeward.v1.PolicyService/ApprovePolicy", kSig | kWrites},
      {"/stakeward.v1.SnapshotService/PushSnapshot", kOp | kWrites},
      {"/stakeward.v1.SnapshotService/RefreshSnapshot", kOp | kWrites},
      {"/stakeward.v1.SnapshotService/GetSnapshot", kOp | kSig | kAud},
      {"/stakeward.v1.PlanService/DryRunPlan", kOp | kSig | kAud},
      {"/stakeward.v1.ProposalService/CreateProposal", kOp | kWrites},
      {"/stakeward.v1.ProposalService/CreateMigrateProposal", kOp | kWrites},
      {"/stakeward.v1.ProposalService/GetProposal", kOp | kSig | kAud},
      {"/stakeward.v1.ProposalService/ListProposals", kOp | kSig | kAud},
      {"/stakeward.v1.ProposalService/WatchProposal", kOp | kSig | kAud},
      {"/stakeward.v1.ProposalService/RejectProposal", kSig | kWrites},
      {"/stakeward.v1.ProposalService/MarkSubmitted", kOp | kWrites},
      {"/stakeward.v1.ProposalService/MarkConfirmed", kOp | kWrites},
      {"/stakeward.v1.ProposalService/SubmitProposal", kOp | kWrites},
      {"/stakeward.v1.ProposalService/ObserveChain", kOp | kWrites},
      {"/stakeward.v1.ProposalService/ExportProposal", kOp | kAud},
      {"/stakeward.v1.WitnessService/SubmitWitnesses", kSig | kWrites},
      {"/stakeward.v1.AuditService/ReadAudit", kOp | kAud},
      {"/stakeward.v1.AuditService/StreamAudit", kOp | kAud},
      {"/stakeward.v1.StatusService/GetStatus", kOp | kSig | kAud},
      {"/stakeward.v1.RewardsService/BuildRewardProposal", kOp | kWrites},
      {"/stakeward.v1.RewardsService/GetEpoch", kOp | kAud},
      {"/stakeward.v1.RewardsService/GetReserveReport", kOp | kAud},
      {"/stakeward.v1.RewardsService/ListEpochs", kOp | kAud},
      {"/stakeward.v1.RewardsService/ReserveDeposit", kOp | kWrites},
      {"/stakeward.v1.RewardsService/StoreDeposit", kOp | kWrites},
      // Health checks and reflection carry no state.
      {"/grpc.health.v1.Health/Check", kOp | kSig | kAud},
      {"/grpc.health.v1.Health/Watch", kOp | kSig | kAud},
      {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", kOp | kSig | kAud},
  };
  return *t;
}

unsigned Bit(RoleKind k) {
  switch (k) {
    case RoleKind::kOperator:
      return kOp;
    case RoleKind::kSigner:
      return kSig;
    case RoleKind::kAuditor:
      return kAud;
  }
  return 0;
}

bool ValidName(std::string_view n) {
  if (n.empty() || n.size() > 64) return false;
  for (char c : n) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string Identity::Actor() const {
  switch (kind) {
    case RoleKind::kOperator:
      return absl::StrCat("operator:", name);
    case RoleKind::kSigner:
      return absl::StrCat("signer:", name);
    case RoleKind::kAuditor:
      return absl::StrCat("auditor:", name);
  }
  return "unknown";
}

absl::StatusOr<Identity> ParseRole(std::string_view role, std::string_view default_name) {
  std::string_view kind = role;
  std::string_view name = default_name;
  if (size_t colon = role.find(':'); colon != std::string_view::npos) {
    kind = role.substr(0, colon);
    name = role.substr(colon + 1);
  }
  Identity id;
  if (kind == "operator") {
    id.kind = RoleKind::kOperator;
  } else if (kind == "auditor") {
    id.kind = RoleKind::kAuditor;
  } else if (kind == "signer") {
    id.kind = RoleKind::kSigner;
    if (role.find(':') == std::string_view::npos) {
      return absl::InvalidArgumentError("signer role needs a name: signer:<name>");
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown role '", std::string(role), "'"));
  }
  if (!ValidName(name)) return absl::InvalidArgumentError("invalid role name");
  id.name = std::string(name);
  return id;
}

absl::Status AddRoleEntry(RoleMap& map, std::string_view who, std::string_view role) {
  if (who.empty()) return absl::InvalidArgumentError("empty certificate name");
  if (who.substr(0, kFingerprintPrefix.size()) != kFingerprintPrefix) {
    map.by_cn[std::string(who)] = std::string(role);
    return absl::OkStatus();
  }
  std::string fp(who.substr(kFingerprintPrefix.size()));
  if (fp.size() != 64) {
    return absl::InvalidArgumentError("a sha256: fingerprint needs 64 hex digits");
  }
  for (char& c : fp) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return absl::InvalidArgumentError("a sha256: fingerprint needs 64 hex digits");
    }
  }
  map.by_fingerprint[std::string(kFingerprintPrefix) + fp] = std::string(role);
  return absl::OkStatus();
}

const std::string* LookupRole(const RoleMap& map, std::string_view fingerprint,
                              std::string_view cn) {
  if (!fingerprint.empty()) {
    if (auto it = map.by_fingerprint.find(std::string(fingerprint));
        it != map.by_fingerprint.end()) {
      return &it->second;
    }
  }
  if (!cn.empty() && cn.substr(0, kFingerprintPrefix.size()) != kFingerprintPrefix) {
    if (auto it = map.by_cn.find(std::string(cn)); it != map.by_cn.end()) return &it->second;
  }
  return nullptr;
}

bool RpcChangesState(std::string_view method) {
  auto it = Table().find(method);
  return it == Table().end() || (it->second & kWrites) != 0;
}

absl::Status CheckRpcAllowed(const Identity& who, std::string_view method) {
  auto it = Table().find(method);
  if (it == Table().end() || (it->second & Bit(who.kind)) == 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", who.Actor(), " may not call ", std::string(method)));
  }
  return absl::OkStatus();
}

}  // namespace stakeward::controller
