// Prints the test contract's creation bytecode (0x hex), compiled by the pinned solc-js, for
// tests that deploy it without ethers (tests/integration/l2).
import { compile } from './contract.mjs';

process.stdout.write(`${compile().bytecode}\n`);
