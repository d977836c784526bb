// The main job's L2 devnet (scripts/main-job.sh): on a running anvil, puts the test contract
// (LiquidStakingPool.sol, compiled by the pinned solc-js) at the address the sample policy pins,
// for the epoch the reward round deposits, and funds the operator's account; afterwards reads the
// chain's own account of the epoch. Uses only anvil's dev RPC (anvil_setCode, anvil_setStorageAt,
// anvil_setBalance) and ethers, all pinned in package-lock.json.
//
//   node devnet.mjs setup URL CONTRACT OPERATOR EPOCH   -> {"contract": ..., "epoch": ...}
//   node devnet.mjs check URL CONTRACT EPOCH            -> {"balance_wei", "deposits", "accredited_wei", "events"}
import { Contract, HDNodeWallet, JsonRpcProvider, Mnemonic, toBeHex, zeroPadValue, id } from 'ethers';
import { ANVIL_MNEMONIC } from './anvil.mjs';
import { compile, deploy } from './contract.mjs';

const [cmd, url, at, ...rest] = process.argv.slice(2);
const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
const { abi } = compile();

async function setup(operator, epoch) {
  const deployer = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(ANVIL_MNEMONIC), "m/44'/60'/0'/0/0")
    .connect(provider);
  const deployed = await deploy(deployer, operator, BigInt(epoch));
  const code = await provider.getCode(await deployed.getAddress());
  await provider.send('anvil_setCode', [at, code]);
  // Storage slot 0 is `epoch` (the operator is immutable, part of the code).
  await provider.send('anvil_setStorageAt', [at, '0x0', zeroPadValue(toBeHex(BigInt(epoch)), 32)]);
  await provider.send('anvil_setBalance', [operator, toBeHex(10n ** 24n)]);  // 1,000,000 ETH
  const pool = new Contract(at, abi, provider);
  if ((await pool.epoch()) !== BigInt(epoch) || (await pool.operator()).toLowerCase() !== operator.toLowerCase()) {
    throw new Error('the contract at the policy address does not read back as set up');
  }
  return { contract: at, epoch: Number(epoch) };
}

async function check(epoch) {
  const pool = new Contract(at, abi, provider);
  const logs = await provider.getLogs({
    address: at, fromBlock: 0, toBlock: 'latest',
    topics: [id('PoolAccredited(uint256,address,uint256,uint256)'), zeroPadValue(toBeHex(BigInt(epoch)), 32)],
  });
  return {
    balance_wei: (await provider.getBalance(at)).toString(),
    deposits: (await pool.depositsInEpoch(BigInt(epoch))).toString(),
    accredited_wei: (await pool.accreditedInEpoch(BigInt(epoch))).toString(),
    events: logs.length,
  };
}

const out = cmd === 'setup' ? await setup(rest[0], rest[1])
  : cmd === 'check' ? await check(rest[0])
    : (() => { throw new Error('usage: devnet.mjs setup|check URL CONTRACT ...'); })();
process.stdout.write(`${JSON.stringify(out)}\n`);
provider.destroy();
