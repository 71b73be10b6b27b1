import React, { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import type { SubagentProgress, ToolItem } from '../state/transcript.js';
import type { Todo } from '../../tools/types.js';
import { formatTokens, tailLines, toolSummary, toolTitle, truncate } from '../format.js';
import { useTheme } from '../theme.js';
import { DiffView } from './DiffView.js';

interface Props {
  item: ToolItem;
  cwd: string;
  width: number;
  /** Ctrl+O's detailed transcript: diffs in full. */
  detailed?: boolean;
}

export function TodoList({ todos }: { todos: readonly Todo[] }) {
  const t = useTheme();
  return (
    <Box flexDirection="column">
      {todos.map((todo, i) => (
        <Text key={i} strikethrough={todo.status === 'completed' && t.color} bold={todo.status === 'in_progress'}
          color={todo.status === 'completed' ? t.c('dim') : undefined}>
          {todo.status === 'completed' ? '☒' : todo.status === 'in_progress' ? '◐' : '☐'} {todo.content}
        </Text>
      ))}
    </Box>
  );
}

function Elbow({ children, color }: { children: React.ReactNode; color?: string }) {
  return (
    <Box flexDirection="row">
      <Text color={color}>{'  ⎿  '}</Text>
      <Box flexDirection="column" flexShrink={1}>{children}</Box>
    </Box>
  );
}

const SUB_CALLS_SHOWN = 5;

/**
 * A subagent's tokens and time on its Task line: ticks every second while it runs (the live area is
 * otherwise redrawn only when an event arrives), fixed once it finished.
 */
function SubagentFigures({ sub }: { sub: SubagentProgress }) {
  const t = useTheme();
  const [, setTick] = useState(0);
  useEffect(() => {
    if (sub.endedAt) return undefined;
    const id = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [sub.endedAt]);
  const seconds = Math.floor(((sub.endedAt ?? Date.now()) - sub.startedAt) / 1000);
  return <Text color={t.c('dim')}> · {formatTokens(sub.tokens + (sub.streaming ?? 0))} tokens · {seconds}s</Text>;
}

function SubCalls({ calls, cwd, width }: { calls: SubagentProgress['calls']; cwd: string; width: number }) {
  const t = useTheme();
  return (
    <>
      {calls.map((call) => {
        const title = toolTitle(call.name, call.input, cwd);
        const color = call.status === 'running' ? t.c('dim') : call.status === 'done' ? t.c('success') : call.status === 'error' ? t.c('error') : t.c('warning');
        return (
          <Text key={call.callId}>
            <Text color={color}>● </Text>
            <Text>{truncate(`${title.name}${title.args ? `(${title.args})` : ''}`, width - 10)}</Text>
          </Text>
        );
      })}
    </>
  );
}

/** A running subagent: its latest tool calls indented under the Task line (its figures are on that line). */
function SubagentBody({ item, cwd, width }: Props) {
  const t = useTheme();
  const sub = item.sub!;
  const shown = sub.calls.slice(-SUB_CALLS_SHOWN);
  return (
    <Elbow color={t.c('dim')}>
      {sub.calls.length > shown.length && <Text color={t.c('dim')}>… {sub.calls.length - shown.length} earlier tool calls</Text>}
      <SubCalls calls={shown} cwd={cwd} width={width} />
      <Text color={t.c('dim')}>{sub.agent} agent working · esc to stop it</Text>
    </Elbow>
  );
}

/** `● Read(src/app.ts)` with `⎿ Read 120 lines` under it; diffs, Bash tails and todos below that. */
export const ToolCallView = React.memo(function ToolCallView({ item, cwd, width, detailed }: Props) {
  const t = useTheme();
  const { name, args } = toolTitle(item.name, item.input, cwd);
  const bulletColor =
    item.status === 'running' ? t.c('dim') : item.status === 'done' ? t.c('success') : item.status === 'error' ? t.c('error') : t.c('warning');
  // A subagent's figures share the line (about 24 columns).
  const argText = args ? `(${truncate(args, Math.max(10, width - name.length - 4 - (item.sub ? 24 : 0)))})` : '';
  const r = item.result;
  const d = r?.display;
  let body: React.ReactNode;
  if (item.status === 'running' && item.sub) body = <SubagentBody item={item} cwd={cwd} width={width} />;
  else if (item.status === 'running') body = <Elbow color={t.c('dim')}><Text color={t.c('dim')}>Running…</Text></Elbow>;
  else if (item.rejected) {
    body = (
      <Elbow color={t.c('error')}>
        <Text color={t.c('error')}>Rejected</Text>
        {item.rejected.feedback && <Text color={t.c('dim')}>{item.rejected.feedback}</Text>}
      </Elbow>
    );
  } else if (item.status === 'denied') body = <Elbow color={t.c('warning')}><Text color={t.c('warning')}>{truncate(item.note ?? 'Denied', width - 6)}</Text></Elbow>;
  else if (item.status === 'interrupted') body = <Elbow color={t.c('warning')}><Text color={t.c('warning')}>{item.note ?? 'Interrupted'}</Text></Elbow>;
  else if (r && d?.kind === 'bash') {
    // What the command printed, then how it ended when that was not success (said once, never "ok").
    const tail = d.tail.trim() ? tailLines(d.tail, 5).map((l) => truncate(l, width - 6)).join('\n') : '(no output)';
    const ending = d.stoppedBy ? `Stopped (${d.stoppedBy})` : d.exitCode !== 0 ? `Exit code ${d.exitCode ?? '?'}` : undefined;
    body = (
      <Elbow color={r.isError ? t.c('error') : t.c('dim')}>
        <Text color={d.tail.trim() ? undefined : t.c('dim')}>{tail}</Text>
        {ending && <Text color={t.c('error')}>{ending}</Text>}
      </Elbow>
    );
  } else if (r) {
    const summary = toolSummary(item.name, r);
    body = (
      <Elbow color={r.isError ? t.c('error') : t.c('dim')}>
        <Text color={r.isError ? t.c('error') : undefined}>{truncate(summary, width - 6)}</Text>
        {r.isError && !r.summary && r.output.split('\n').length > 1 && (
          <Text color={t.c('error')}>{tailLines(r.output, 4).slice(1).map((l) => truncate(l, width - 6)).join('\n')}</Text>
        )}
        {d?.kind === 'diff' && <DiffView diff={d.diff} width={width - 6} maxRows={detailed ? Infinity : 30} />}
        {d?.kind === 'todos' && <TodoList todos={d.todos} />}
        {/* A finished subagent collapses to its summary; Ctrl+O's detailed transcript lists every call it made. */}
        {item.sub && item.sub.calls.length > 0 && detailed && <SubCalls calls={item.sub.calls} cwd={cwd} width={width} />}
        {item.sub && item.sub.calls.length > 0 && !detailed && (
          <Text color={t.c('dim')}>{item.sub.calls.length} tool call{item.sub.calls.length === 1 ? '' : 's'} (ctrl+o to expand)</Text>
        )}
      </Elbow>
    );
  }
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={bulletColor}>● </Text>
        <Text bold>{name}</Text>
        <Text>{argText}</Text>
        {item.sub && <SubagentFigures sub={item.sub} />}
      </Text>
      {body}
    </Box>
  );
});
