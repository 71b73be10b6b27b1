// Messages are OpenAI chat messages, end to end: what the server receives, what the session stores,
// what the UI renders. No second format to convert.

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface SystemMessage {
  role: 'system';
  content: string;
}

export interface UserMessage {
  role: 'user';
  content: string;
}

export interface AssistantMessage {
  role: 'assistant';
  // Empty string rather than null on tool-call turns: some Qwen3 chat templates crash on null.
  content: string;
  tool_calls?: ToolCall[];
}

export interface ToolMessage {
  role: 'tool';
  tool_call_id: string;
  content: string;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  /** Prompt tokens the server served from its cache (as Claude Code names it); absent when never reported. */
  cache_read_input_tokens?: number;
}

/** The JSON function schema sent in `tools`. */
export interface ToolSchema {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}
