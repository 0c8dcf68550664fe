/** How a test purge target answers, and what it recorded (see ./purge-target.ts). */
export interface PurgeBehaviour {
  /** The first `failTimes` calls answer `failStatus` (503); later ones 200. */
  failTimes?: number;
  failStatus?: number;
  /** Hold every call until the test releases the path. */
  hold?: boolean;
  latencyMs?: number;
  /** A write-behind sink refusing a record: any call whose `records` carry this key answers `refuseStatus` (422). */
  refuseKey?: string;
  refuseStatus?: number;
}

export interface PurgeCall {
  path: string;
  body: {
    jobId: string;
    namespace: string;
    tags: string[];
    keys: string[];
    prefixes: string[];
    mode: string;
    createdAt: number;
    /** `http` targets (issue 17): what the answers' Cache-Tag said, and their /r path prefixes. */
    cacheTags?: string[];
    pathPrefixes?: string[];
  };
  startedAt: number;
  endedAt: number | null;
  status: number | null;
  /** The `x-purge-key` header it came with (an `http` target's headers from a secret, issue 17). */
  purgeKey?: string;
}
