#include "firmware-mocks/ledger/native_script_hasher.h"

#include "chain/cbor.h"
#include "firmware-mocks/ledger/cardano_wire.h"

namespace stakeward::mocks::ledger::cardano {
namespace {

// Native script CBOR tags (Conway CDDL native_script): 0 pubkey, 1 all, 2 any, 3 n-of-k,
// 4 invalid_before, 5 invalid_hereafter.
constexpr uint8_t kPubkey = 0, kAll = 1, kAny = 2, kNofK = 3, kBefore = 4, kHereafter = 5;

}  // namespace

void NativeScriptHasher::Finish(chain::Bytes node) {
  while (true) {
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& top = stack_.back();
    top.children.push_back(std::move(node));
    if (top.children.size() < top.count) return;
    chain::cbor::Writer w;
    w.ArrayHeader(top.type == kNofK ? 3 : 2).Uint(top.type);
    if (top.type == kNofK) w.Uint(top.required);
    w.ArrayHeader(top.children.size());
    for (const chain::Bytes& c : top.children) w.Raw(chain::View(c));
    node = w.Take();
    stack_.pop_back();
  }
}

uint16_t NativeScriptHasher::StartComplex(Reader& r) {
  if (root_.has_value()) return kSwInvalidState;
  if (stack_.size() >= kMaxScriptDepth) return kSwInvalidData;
  Frame f{0, 0, 0, {}};
  if (!r.U8(&f.type) || f.type < kAll || f.type > kNofK || !r.U32(&f.count)) {
    return kSwInvalidData;
  }
  if (f.type == kNofK && (!r.U32(&f.required) || f.required > f.count)) return kSwInvalidData;
  if (!r.AtEnd()) return kSwInvalidData;
  if (f.count == 0) {
    stack_.push_back(std::move(f));
    Frame& top = stack_.back();
    chain::cbor::Writer w;
    w.ArrayHeader(top.type == kNofK ? 3 : 2).Uint(top.type);
    if (top.type == kNofK) w.Uint(top.required);
    w.ArrayHeader(0);
    stack_.pop_back();
    Finish(w.Take());
    return kSwOk;
  }
  stack_.push_back(std::move(f));
  return kSwOk;
}

uint16_t NativeScriptHasher::AddSimple(Reader& r, Keyring& keys) {
  if (root_.has_value()) return kSwInvalidState;
  uint8_t type = 0;
  if (!r.U8(&type)) return kSwInvalidData;
  chain::cbor::Writer w;
  if (type == kPubkey) {
    uint8_t ref = 0;
    chain::Hash28 h{};
    if (!r.U8(&ref)) return kSwInvalidData;
    if (ref == 1) {
      chain::Path p;
      if (!r.Path(kMaxPathElements, &p)) return kSwInvalidData;
      PathInfo info = ClassifyPath(p);
      if (info.purpose != kPurposeMultisig ||
          (info.kind != PathKind::kPayment && info.kind != PathKind::kStake)) {
        return kSwRejectedByPolicy;
      }
      h = keys.CardanoKeyHash(p);
    } else if (ref != 2 || !r.Fixed(&h)) {
      return kSwInvalidData;
    }
    w.ArrayHeader(2).Uint(kPubkey).Bytes(chain::View(h));
  } else if (type == kBefore || type == kHereafter) {
    uint64_t slot = 0;
    if (!r.U64(&slot)) return kSwInvalidData;
    w.ArrayHeader(2).Uint(type).Uint(slot);
  } else {
    return kSwInvalidData;
  }
  if (!r.AtEnd()) return kSwInvalidData;
  Finish(w.Take());
  return kSwOk;
}

}  // namespace stakeward::mocks::ledger::cardano
