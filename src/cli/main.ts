#!/usr/bin/env node
// Entry point of the `sapper` command. It sets V8's garbage-collector flag before the program and
// its dependencies are even loaded (a flag set later, once a marking cycle has begun, has no effect),
// then loads the program.
//
// With concurrent marking on, V8 marks the old generation on helper threads almost continuously,
// and the scavenges that run meanwhile promoted about 3 MB of short-lived request objects each
// (3–4 ms pauses); on 2 vCPUs shared with the upstreams and the clients that cost Sapper about a
// third of its throughput. Marking incrementally on the main thread instead, scavenges take
// 0.3–0.5 ms and promote almost nothing (docs/deployment.md, "Node flags"). A `concurrent-marking`
// flag given on the command line or in NODE_OPTIONS is the operator's choice and is left alone.
import { setFlagsFromString } from "node:v8";

const chosen = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((arg) => arg.includes("concurrent-marking"));
if (!chosen) setFlagsFromString("--no-concurrent-marking");

await import("./program.js");
