export interface HttpMcpServer {
  url: string;
  /** Headers of every request, in arrival order. */
  seenHeaders: Array<Record<string, string | string[] | undefined>>;
  close(): Promise<void>;
}
export function startHttpMcpServer(token: string): Promise<HttpMcpServer>;
