// Whether two decodes of a transaction read the same thing: every field, the body's through its
// canonical encoding (which writes each of them) and the certificates field by field. Used to
// check DecodeTransaction's fast path against the general decoder.
#ifndef STAKEWARD_TESTS_COMMON_TX_SAME_H_
#define STAKEWARD_TESTS_COMMON_TX_SAME_H_

#include <cstddef>

#include "chain/certificate.h"
#include "chain/tx.h"

namespace stakeward::testing {

inline bool SameCertificate(const chain::Certificate& a, const chain::Certificate& b) {
  return a.type == b.type && a.credential == b.credential && a.pool == b.pool && a.coin == b.coin &&
         a.drep == b.drep && a.epoch == b.epoch && a.raw == b.raw;
}

inline bool SameTransaction(const chain::Transaction& a, const chain::Transaction& b) {
  if (a.body_bytes != b.body_bytes || chain::EncodeBody(a.body) != chain::EncodeBody(b.body) ||
      a.body.set_tags != b.body.set_tags || a.is_valid != b.is_valid || a.aux_data != b.aux_data ||
      chain::EncodeWitnessSet(a.witnesses) != chain::EncodeWitnessSet(b.witnesses) ||
      a.witnesses.vkeys != b.witnesses.vkeys || a.witnesses.scripts != b.witnesses.scripts ||
      a.witnesses.other_fields != b.witnesses.other_fields ||
      a.witnesses.set_tags != b.witnesses.set_tags ||
      a.body.certificates.size() != b.body.certificates.size()) {
    return false;
  }
  for (size_t i = 0; i < a.body.certificates.size(); ++i) {
    if (!SameCertificate(a.body.certificates[i], b.body.certificates[i])) return false;
  }
  return true;
}

}  // namespace stakeward::testing

#endif  // STAKEWARD_TESTS_COMMON_TX_SAME_H_
