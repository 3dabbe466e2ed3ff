// A bounded, read-only view of the linted directory: the files (vendor and build directories left
// out), their text, and YAML documents parsed once with line numbers.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { LineCounter, parseAllDocuments, type Document } from "yaml";

const SKIPPED_DIRS = new Set(["node_modules", ".git", "dist", "build", "vendor", "target", ".venv", "venv", "__pycache__", "coverage", ".next", ".cache"]);
const MAX_FILES = 5_000;
const MAX_DEPTH = 8;
const MAX_FILE_BYTES = 1024 * 1024;

export interface YamlDoc {
  file: string;
  doc: Document;
  value: unknown;
  /** 1-based line of the node at `path` within this document, or of the document start. */
  lineOf(path: (string | number)[]): number;
}

export class Repo {
  readonly files: string[] = [];
  private readonly text = new Map<string, string | undefined>();
  private readonly yaml = new Map<string, YamlDoc[]>();

  constructor(readonly root: string) {
    this.walk(root, 0);
    this.files.sort();
  }

  private walk(dir: string, depth: number): void {
    if (depth > MAX_DEPTH || this.files.length >= MAX_FILES) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (this.files.length >= MAX_FILES) return;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) this.walk(full, depth + 1);
      } else if (e.isFile()) {
        this.files.push(relative(this.root, full).split(sep).join("/"));
      }
    }
  }

  has(file: string): boolean {
    return this.files.includes(file);
  }

  /** The file's text, or undefined when it is unreadable or larger than 1 MiB. */
  read(file: string): string | undefined {
    if (!this.text.has(file)) {
      const full = join(this.root, file);
      let content: string | undefined;
      try {
        content = statSync(full).size <= MAX_FILE_BYTES ? readFileSync(full, "utf8") : undefined;
      } catch {
        content = undefined;
      }
      this.text.set(file, content);
    }
    return this.text.get(file);
  }

  find(predicate: (file: string, base: string) => boolean): string[] {
    return this.files.filter((f) => predicate(f, f.slice(f.lastIndexOf("/") + 1)));
  }

  /** Every YAML document of the file; templated files (Helm `{{ }}`) and unparsable ones give none. */
  yamlDocs(file: string): YamlDoc[] {
    const cached = this.yaml.get(file);
    if (cached) return cached;
    const src = this.read(file);
    const out: YamlDoc[] = [];
    if (src !== undefined && !src.includes("{{")) {
      const lineCounter = new LineCounter();
      for (const doc of parseAllDocuments(src, { lineCounter })) {
        if (doc.errors.length) continue;
        const value = doc.toJS() as unknown;
        if (value === null || value === undefined) continue;
        const start = doc.contents?.range?.[0] ?? 0;
        out.push({
          file,
          doc,
          value,
          lineOf(path) {
            const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
            return lineCounter.linePos(node?.range?.[0] ?? start).line;
          },
        });
      }
    }
    this.yaml.set(file, out);
    return out;
  }

  yamlFiles(): string[] {
    return this.find((_, base) => /\.ya?ml$/i.test(base));
  }

  /** 1-based line of the first line matching `re` in the file, or undefined. */
  lineMatching(file: string, re: RegExp): number | undefined {
    const lines = (this.read(file) ?? "").split(/\r?\n/);
    const i = lines.findIndex((l) => re.test(l));
    return i === -1 ? undefined : i + 1;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
