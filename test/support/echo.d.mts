import type { RecordedRequest, ScriptedReply } from './scripted-server.d.mts';

/**
 * Echo script step used by `serve.mjs --echo`: a tool result as the last message → "Read N lines.";
 * a last user message containing `read <path>` → a Read tool call {file_path}; else "You said: <text>".
 */
export function echoStep(request: RecordedRequest): ScriptedReply;
