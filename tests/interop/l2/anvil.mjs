// Starts the pinned anvil (npm @foundry-rs/anvil-linux-amd64) on a free port and stops it by PID.
// anvil prints "Listening on 127.0.0.1:PORT" once it serves; nothing else is waited for.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const ANVIL = path.join(
  path.dirname(require.resolve('@foundry-rs/anvil-linux-amd64/package.json')), 'bin', 'anvil');

// anvil's default dev accounts come from this mnemonic; account 0 holds 10000 ETH.
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

// Resolves to {url, pid, stop()}; rejects if anvil exits before listening.
export function startAnvil({ chainId = 200101, extra = [] } = {}) {
  const child = spawn(ANVIL, ['--chain-id', String(chainId), '--hardfork', 'london', '--port', '0',
    ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => reject(new Error(`anvil exited (${code}) before listening: ${stderr}`)));
    lines.on('line', (line) => {
      const m = /^Listening on (127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (!m) return;
      child.removeAllListeners('exit');
      resolve({
        url: `http://${m[1]}`,
        pid: child.pid,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}
