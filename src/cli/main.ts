#!/usr/bin/env node
// Entry point of the `sapper` command. It sets V8's garbage-collector flag before the program and
// its dependencies are even loaded (a flag set later, once a marking cycle has begun, has no effect),
// then loads the program.
//
// With concurrent marking on, V8 marks the old generation on helper threads almost continuously; on
// a small host (2 vCPUs shared with the upstreams and the clients) those threads take CPU from the
// main thread, which bounds the gateway: marking incrementally on the main thread gave 1.2–1.4x the
// throughput in the benchmark (docs/deployment.md, "Node flags"). A `concurrent-marking` flag given
// on the command line or in NODE_OPTIONS is the operator's choice and is left alone.
import { setFlagsFromString } from "node:v8";

const chosen = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((arg) => arg.includes("concurrent-marking"));
if (!chosen) setFlagsFromString("--no-concurrent-marking");

await import("./program.js");
