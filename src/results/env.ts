/** The environment fingerprint recorded with every row, so runs on other machines or commits can be told apart. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Environment {
  cpu: string;
  cores: number;
  os: string;
  nodeVersion: string;
  gitCommit: string;
  gitDirty: boolean;
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Read once per sweep: CPU, cores, OS, Node, and the scalebench commit. Outside a git checkout (a container image,
 * say) the commit comes from SCALEBENCH_GIT_COMMIT, else it is empty.
 */
export function fingerprint(cwd = process.cwd()): Environment {
  const cpus = os.cpus();
  // Dirty means the code differs from the commit: results and reports being rewritten by this very sweep don't count.
  const status = git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)results', ':(exclude)reports'], cwd);
  return {
    cpu: cpus[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown',
    cores: cpus.length,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    nodeVersion: process.versions.node,
    gitCommit: git(['rev-parse', '--short=12', 'HEAD'], cwd) ?? process.env.SCALEBENCH_GIT_COMMIT?.slice(0, 12) ?? '',
    gitDirty: status !== undefined && status !== '',
  };
}
