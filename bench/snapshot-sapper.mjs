#!/usr/bin/env node
// Builds a private copy of Sapper from a commit (default HEAD) into bench/results/sapper-<sha>/,
// so a long benchmark run is not disturbed by someone rebuilding dist/ in the shared tree and the
// results name exactly the code they measured. Reads the repository with `git archive` only.
//
//   node bench/snapshot-sapper.mjs [COMMIT]      prints the path of the built cli/main.js
//   node bench/run.mjs --sapper "$(node bench/snapshot-sapper.mjs)"
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const rev = process.argv[2] ?? 'HEAD';
const sha = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short=12', `${rev}^{commit}`], { encoding: 'utf8' }).trim();
const dest = path.join(ROOT, 'bench/results', `sapper-${sha}`);
const main = path.join(dest, 'dist/cli/main.js');
if (!existsSync(main)) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sapper-bench-'));
  try {
    const tar = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', sha, 'src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'], {
      maxBuffer: 256 * 1024 * 1024,
    });
    execFileSync('tar', ['-x', '-C', tmp], { input: tar });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'));
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: tmp, stdio: ['ignore', 'inherit', 'inherit'] });
    mkdirSync(dest, { recursive: true });
    cpSync(path.join(tmp, 'dist'), path.join(dest, 'dist'), { recursive: true });
    cpSync(path.join(tmp, 'package.json'), path.join(dest, 'package.json'));
    for (const extra of ['rules']) {
      if (existsSync(path.join(ROOT, extra))) {
        try {
          const t = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', sha, extra], { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
          execFileSync('tar', ['-x', '-C', dest], { input: t });
        } catch {
          /* not in that commit */
        }
      }
    }
    writeFileSync(path.join(dest, 'COMMIT'), `${sha}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
process.stdout.write(`${path.relative(ROOT, main)}\n`);
