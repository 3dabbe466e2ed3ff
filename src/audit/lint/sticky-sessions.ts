// A note, not an error: sticky sessions (nginx ip_hash, Service sessionAffinity, ingress or traefik
// affinity) are not needed in front of a gateway whose sessions live in a store shared by all
// replicas (Sapper's design), and they unbalance replicas. A single-process stateful server behind
// several replicas does need them.
import { composeFiles } from "./compose.js";
import { k8sObjects } from "./kubernetes.js";
import type { LintFinding, LintRule } from "./lint-rule.js";
import { isRecord } from "./repo.js";

const NGINX_STICKY = /^\s*(ip_hash\s*;|sticky\b|hash\s+\$remote_addr)/;

export const stickySessions: LintRule = {
  meta: {
    id: "deploy.sticky-sessions",
    family: "deploy",
    title: "No sticky sessions needed",
    severity: "info",
    checklist: [13],
    description: "Load balancer configs do not pin clients to replicas (ip_hash, sessionAffinity: ClientIP, affinity cookies).",
    fix: "When sessions live in a store shared by all replicas (Sapper's design), remove ip_hash / sessionAffinity: any replica serves any session. Keep affinity only for servers that hold sessions in one process.",
  },
  appliesTo: "load balancer configuration (nginx, Service, Ingress, traefik labels)",
  run(repo) {
    const out: LintFinding[] = [];
    for (const file of repo.find((_, base) => /\.conf$|^nginx.*\.conf(\.template)?$/.test(base))) {
      const text = repo.read(file) ?? "";
      if (!/\b(upstream|server)\s*[\w.-]*\s*\{/.test(text)) continue;
      const line = repo.lineMatching(file, NGINX_STICKY);
      if (line) out.push({ status: "warn", summary: `${(text.split(/\r?\n/)[line - 1] ?? "").trim()} pins clients to one upstream`, location: { file, line } });
      else out.push({ status: "pass", summary: "no sticky upstream", location: { file } });
    }
    for (const o of k8sObjects(repo)) {
      if (o.kind === "Service") {
        const affinity = isRecord(o.value.spec) ? o.value.spec.sessionAffinity : undefined;
        const location = { file: o.doc.file, line: o.doc.lineOf(affinity === "ClientIP" ? ["spec", "sessionAffinity"] : []) };
        if (affinity === "ClientIP") out.push({ status: "warn", summary: `Service/${o.name} has sessionAffinity: ClientIP`, location });
        else out.push({ status: "pass", summary: `Service/${o.name} has no session affinity`, location });
      } else if (o.kind === "Ingress") {
        const annotations = isRecord(o.value.metadata) && isRecord(o.value.metadata.annotations) ? o.value.metadata.annotations : {};
        const sticky = Object.keys(annotations).find((k) => /affinity|sticky/i.test(k));
        const location = { file: o.doc.file, line: o.doc.lineOf(sticky ? ["metadata", "annotations", sticky] : []) };
        if (sticky) out.push({ status: "warn", summary: `Ingress/${o.name} sets ${sticky}: ${String(annotations[sticky])}`, location });
        else out.push({ status: "pass", summary: `Ingress/${o.name} has no affinity`, location });
      }
    }
    for (const doc of composeFiles(repo)) {
      for (const [name, spec] of Object.entries((doc.value as { services: Record<string, unknown> }).services)) {
        if (!isRecord(spec)) continue;
        const labels = Array.isArray(spec.labels) ? spec.labels.map(String) : isRecord(spec.labels) ? Object.entries(spec.labels).map(([k, v]) => `${k}=${String(v)}`) : [];
        const sticky = labels.find((l) => /loadbalancer\.sticky/i.test(l));
        if (sticky) out.push({ status: "warn", summary: `service ${name} label ${sticky}`, location: { file: doc.file, line: doc.lineOf(["services", name, "labels"]) } });
      }
    }
    return out;
  },
};
