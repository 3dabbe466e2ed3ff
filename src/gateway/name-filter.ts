// Include/exclude lists of tool names with `*` globs, compiled once at start-up.
export type NameFilter = (name: string) => boolean;

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

export function compileNameFilter(include: string[] | undefined, exclude: string[]): NameFilter {
  const inc = include?.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return (name) => (inc === undefined || inc.some((r) => r.test(name))) && !exc.some((r) => r.test(name));
}
