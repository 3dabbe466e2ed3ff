// The default bind address: every interface inside a container (so the port mapping works),
// loopback everywhere else (so nothing is exposed by accident).
import { existsSync, readFileSync } from "node:fs";

export function insideContainer(): boolean {
  if (process.env.KUBERNETES_SERVICE_HOST || existsSync("/.dockerenv") || existsSync("/run/.containerenv")) return true;
  try {
    return /docker|kubepods|containerd|libpod/.test(readFileSync("/proc/1/cgroup", "utf8"));
  } catch {
    return false;
  }
}

export function defaultBindHost(): string {
  return insideContainer() ? "0.0.0.0" : "127.0.0.1";
}
