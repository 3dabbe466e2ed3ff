// Kubernetes rules: containers that serve ports have readiness and liveness probes, and every port
// reference (probes, --port, Service targetPort) names a port the container declares.
import type { LintFinding, LintRule } from "./lint-rule.js";
import { isRecord, type Repo, type YamlDoc } from "./repo.js";

const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod"]);

export interface K8sObject {
  doc: YamlDoc;
  kind: string;
  name: string;
  value: Record<string, unknown>;
}

export function k8sObjects(repo: Repo): K8sObject[] {
  return repo
    .yamlFiles()
    .flatMap((f) => repo.yamlDocs(f))
    .filter((d) => isRecord(d.value) && typeof d.value.apiVersion === "string" && typeof d.value.kind === "string")
    .map((doc) => {
      const value = doc.value as Record<string, unknown>;
      const meta = isRecord(value.metadata) ? value.metadata : {};
      return { doc, kind: value.kind as string, name: typeof meta.name === "string" ? meta.name : "(unnamed)", value };
    });
}

interface Container {
  workload: K8sObject;
  index: number;
  path: (string | number)[];
  spec: Record<string, unknown>;
  ports: { number: number; name?: string }[];
}

function podSpecPath(w: K8sObject): string[] {
  return w.kind === "Pod" ? ["spec"] : ["spec", "template", "spec"];
}

function getIn(v: unknown, path: (string | number)[]): unknown {
  let cur = v;
  for (const p of path) {
    if (Array.isArray(cur) && typeof p === "number") cur = cur[p];
    else if (isRecord(cur) && typeof p === "string") cur = cur[p];
    else return undefined;
  }
  return cur;
}

function containers(w: K8sObject): Container[] {
  const path = [...podSpecPath(w), "containers"];
  const list = getIn(w.value, path);
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((spec, index) => ({
    workload: w,
    index,
    path: [...path, index],
    spec,
    ports: (Array.isArray(spec.ports) ? spec.ports : [])
      .filter(isRecord)
      .filter((p) => typeof p.containerPort === "number")
      .map((p) => (typeof p.name === "string" ? { number: p.containerPort as number, name: p.name } : { number: p.containerPort as number })),
  }));
}

function podLabels(w: K8sObject): Record<string, unknown> {
  const labels = getIn(w.value, w.kind === "Pod" ? ["metadata", "labels"] : ["spec", "template", "metadata", "labels"]);
  return isRecord(labels) ? labels : {};
}

function workloads(repo: Repo): K8sObject[] {
  return k8sObjects(repo).filter((o) => WORKLOAD_KINDS.has(o.kind));
}

function containerName(c: Container): string {
  return `${c.workload.kind}/${c.workload.name} container ${typeof c.spec.name === "string" ? c.spec.name : c.index}`;
}

export const probes: LintRule = {
  meta: {
    id: "kubernetes.probes",
    family: "kubernetes",
    title: "Readiness and liveness probes",
    severity: "medium",
    checklist: [13],
    description: "Every container that declares ports has a readinessProbe (traffic only when ready) and a livenessProbe (restart when stuck).",
    fix: "Add `readinessProbe: {httpGet: {path: /readyz, port: http}}` and `livenessProbe: {httpGet: {path: /healthz, port: http}}` (Sapper serves both).",
  },
  appliesTo: "Kubernetes workload with container ports",
  run(repo) {
    const out: LintFinding[] = [];
    for (const c of workloads(repo).flatMap(containers)) {
      if (!c.ports.length) continue;
      const location = { file: c.workload.doc.file, line: c.workload.doc.lineOf(c.path) };
      const missing = ["readinessProbe", "livenessProbe"].filter((p) => !isRecord(c.spec[p]));
      if (missing.includes("readinessProbe")) out.push({ status: "fail", summary: `${containerName(c)} has no ${missing.join(" and no ")}`, location });
      else if (missing.length) out.push({ status: "warn", summary: `${containerName(c)} has no ${missing[0]}`, location });
      else out.push({ status: "pass", summary: `${containerName(c)} has readiness and liveness probes`, location });
    }
    return out;
  },
};

function portMatches(ref: unknown, ports: Container["ports"]): boolean {
  if (typeof ref === "number") return ports.some((p) => p.number === ref);
  if (typeof ref === "string") return /^\d+$/.test(ref) ? ports.some((p) => p.number === Number(ref)) : ports.some((p) => p.name === ref);
  return true;
}

function probePort(probe: unknown): unknown {
  if (!isRecord(probe)) return undefined;
  for (const k of ["httpGet", "tcpSocket", "grpc"]) {
    const h = probe[k];
    if (isRecord(h) && h.port !== undefined) return h.port;
  }
  return undefined;
}

export const portConsistency: LintRule = {
  meta: {
    id: "kubernetes.port-consistency",
    family: "kubernetes",
    title: "Ports consistent",
    severity: "high",
    checklist: [13],
    description: "Probe ports, a container's --port and each Service targetPort name a port the selected containers declare.",
    fix: "Use one port everywhere: containerPort (named, e.g. `http`), the server's --port, the probes' port and the Service's targetPort.",
  },
  appliesTo: "Kubernetes workload or Service with ports",
  run(repo) {
    const out: LintFinding[] = [];
    const all = workloads(repo);
    for (const c of all.flatMap(containers)) {
      if (!c.ports.length) continue;
      const problems: string[] = [];
      for (const p of ["readinessProbe", "livenessProbe", "startupProbe"]) {
        const port = probePort(c.spec[p]);
        if (port !== undefined && !portMatches(port, c.ports)) problems.push(`${p} uses port ${String(port)}`);
      }
      const argPort = /--port[= ](\d+)/.exec([...(Array.isArray(c.spec.command) ? c.spec.command : []), ...(Array.isArray(c.spec.args) ? c.spec.args : [])].map(String).join(" "))?.[1];
      if (argPort && !portMatches(Number(argPort), c.ports)) problems.push(`the server is started with --port ${argPort}`);
      const location = { file: c.workload.doc.file, line: c.workload.doc.lineOf(c.path) };
      const declared = c.ports.map((p) => (p.name ? `${p.number} (${p.name})` : String(p.number))).join(", ");
      if (problems.length) out.push({ status: "fail", summary: `${containerName(c)} declares ${declared} but ${problems.join("; ")}`, location });
      else out.push({ status: "pass", summary: `${containerName(c)}: probes and --port match ${declared}`, location });
    }
    for (const svc of k8sObjects(repo).filter((o) => o.kind === "Service")) {
      const selector = getIn(svc.value, ["spec", "selector"]);
      const ports = getIn(svc.value, ["spec", "ports"]);
      if (!isRecord(selector) || !Array.isArray(ports)) continue;
      const selected = all.filter((w) => Object.entries(selector).every(([k, v]) => podLabels(w)[k] === v));
      if (!selected.length) continue;
      const containerPorts = selected.flatMap(containers).flatMap((c) => c.ports);
      const wrong = ports.filter(isRecord).filter((p) => !portMatches(p.targetPort ?? p.port, containerPorts));
      const location = { file: svc.doc.file, line: svc.doc.lineOf(["spec", "ports"]) };
      if (wrong.length) {
        out.push({
          status: "fail",
          summary: `Service/${svc.name} targets port ${wrong.map((p) => String(p.targetPort ?? p.port)).join(", ")}, which ${selected.map((w) => `${w.kind}/${w.name}`).join(", ")} does not declare (${containerPorts.map((p) => p.name ?? p.number).join(", ") || "no ports"})`,
          location,
        });
      } else {
        out.push({ status: "pass", summary: `Service/${svc.name} targets ports its pods declare`, location });
      }
    }
    return out;
  },
};

export const kubernetesRules: LintRule[] = [probes, portConsistency];
