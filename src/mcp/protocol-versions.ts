// The 2025-era protocol revisions the Streamable HTTP endpoint negotiates, newest first.
export const STREAMABLE_HTTP_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26"] as const;
/** The deprecated HTTP+SSE transport also serves clients of the revision before Streamable HTTP. */
export const LEGACY_SSE_VERSIONS = [...STREAMABLE_HTTP_VERSIONS, "2024-11-05"] as const;
export const LATEST_2025_VERSION = "2025-11-25";

export function negotiateVersion(requested: unknown, supported: readonly string[]): string {
  return typeof requested === "string" && supported.includes(requested) ? requested : supported[0]!;
}

/** Batches were removed in 2025-06-18. */
export function allowsBatches(version: string): boolean {
  return version < "2025-06-18";
}

/** 2025-11-25 clients get a priming event (id, empty data) at the start of each SSE stream. */
export function wantsPrimingEvent(version: string): boolean {
  return version >= "2025-11-25";
}
