// SPDX-License-Identifier: MIT
// The L2 liquid-staking contract the tests deploy on anvil (issue 14). It keeps the one entry
// point Stakeward calls on Milkomeda, accreditToPool(uint256 _roi) payable (selector 0x65b3cdef,
// design §7), and adds what the controller needs to prove exactly-once on chain and to report
// reserves: the Cardano epoch whose rewards are being accredited (set by the bridge operator
// before the deposit), one event per deposit naming that epoch and value, and running totals.
pragma solidity 0.8.30;

contract LiquidStakingPool {
    address public immutable operator;
    uint256 public epoch;            // Cardano epoch the next accredit belongs to
    uint256 public totalAccredited;  // wei accredited over all epochs
    uint256 public totalSupply;      // liquid tokens outstanding (1 wei of ADA each)
    mapping(uint256 => uint256) public accreditedInEpoch;
    mapping(uint256 => uint256) public depositsInEpoch;

    event PoolAccredited(uint256 indexed epoch, address indexed from, uint256 value, uint256 roi);
    event EpochStarted(uint256 indexed epoch);

    constructor(address _operator, uint256 _epoch) {
        operator = _operator;
        epoch = _epoch;
        emit EpochStarted(_epoch);
    }

    function startEpoch(uint256 _epoch) external {
        require(msg.sender == operator, "only the operator");
        require(_epoch > epoch, "epochs only move forward");
        epoch = _epoch;
        emit EpochStarted(_epoch);
    }

    // Rewards bridged from L1 for the current epoch; _roi is recorded, not interpreted.
    function accreditToPool(uint256 _roi) external payable {
        require(msg.value > 0, "nothing to accredit");
        totalAccredited += msg.value;
        accreditedInEpoch[epoch] += msg.value;
        depositsInEpoch[epoch] += 1;
        emit PoolAccredited(epoch, msg.sender, msg.value, _roi);
    }

    // Users' side, for the reserve report: liquid tokens minted against bridged stake.
    function mint(uint256 amount) external {
        require(msg.sender == operator, "only the operator");
        totalSupply += amount;
    }
}
