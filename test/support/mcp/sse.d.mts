export interface SseMcpServer {
  url: string;
  /** Headers of every request (the GET of the stream and each POST), in arrival order. */
  seenHeaders: Array<Record<string, string | string[] | undefined>>;
  close(): Promise<void>;
}
export function startSseMcpServer(key: string): Promise<SseMcpServer>;
