// One scratch folder per test run: every test (and every process a test starts) makes its temporary
// files under it through os.tmpdir(), and it is removed when the run ends, passed or failed, so a
// run leaves nothing behind in the system's temporary folder.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), "sapper-test-run-"));
  // Read by os.tmpdir() in the test workers, which are started after this and inherit the variable.
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
