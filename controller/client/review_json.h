// The reviewed proposal as JSON: the same facts `proposal show` prints, for scripts and
// dashboards. Amounts are integers in lovelace; every fact comes from the review's own rebuild
// and the snapshot it checked, not from the controller's description.
#ifndef STAKEWARD_CONTROLLER_CLIENT_REVIEW_JSON_H_
#define STAKEWARD_CONTROLLER_CLIENT_REVIEW_JSON_H_

#include <string>

#include "controller/client/proposal_review.h"

namespace stakeward::controller {

std::string ReviewToJson(const ReviewedProposal& r);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_REVIEW_JSON_H_
