// Compiles tests/interop/l2/LiquidStakingPool.sol with the pinned solc-js (evmVersion london, as
// anvil runs with --hardfork london) and deploys it with ethers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ContractFactory } from 'ethers';

const require = createRequire(import.meta.url);
const solc = require('solc');
const SOURCE = new URL('./LiquidStakingPool.sol', import.meta.url);

// {abi, bytecode}; throws with solc's messages on any compile error.
export function compile() {
  const input = {
    language: 'Solidity',
    sources: { 'LiquidStakingPool.sol': { content: readFileSync(SOURCE, 'utf8') } },
    settings: {
      evmVersion: 'london',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const c = out.contracts['LiquidStakingPool.sol'].LiquidStakingPool;
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
}

// Deploys from `signer` with the given operator and first epoch; resolves to the ethers Contract.
export async function deploy(signer, operator, epoch) {
  const { abi, bytecode } = compile();
  const contract = await new ContractFactory(abi, bytecode, signer).deploy(operator, epoch);
  await contract.waitForDeployment();
  return contract;
}
