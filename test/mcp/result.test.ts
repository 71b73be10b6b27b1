import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capResult, resultText, toToolResult } from '../../src/mcp/result.js';
import { tempDir } from '../helpers/cli.js';

describe('MCP results as text', () => {
  it('summarises images and binary resources, inlines text resources', () => {
    const text = resultText({
      content: [
        { type: 'text', text: 'Here:' },
        { type: 'image', data: 'A'.repeat(4096), mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'file:///a.md', mimeType: 'text/markdown', text: '# A' } },
        { type: 'resource', resource: { uri: 'file:///b.bin', blob: 'AAAA' } },
        { type: 'resource_link', uri: 'demo://x', name: 'x' },
      ],
    });
    expect(text).toBe('Here:\n[image image/png, 3 KB: not shown to the model]\n[resource file:///a.md (text/markdown)]\n# A\n[resource file:///b.bin, binary 1 KB: not shown]\n[resource link demo://x "x"]');
    expect(resultText({ content: [], structuredContent: { sum: 5 } })).toContain('"sum": 5');
  });

  it('an error result is an error the model reads', () => {
    const r = toToolResult({ isError: true, content: [{ type: 'text', text: 'bad id' }] }, { maxChars: 100, sideDir: tempDir('claw-mcpres-'), label: 'x' });
    expect(r).toMatchObject({ output: 'Error: bad id', isError: true });
  });

  it('caps long output, the whole text in a side file', () => {
    const dir = tempDir('claw-mcpres-');
    const long = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const capped = capResult(long, { maxChars: 1000, sideDir: dir, label: 'srv-tool' });
    expect(capped.text.length).toBeLessThan(1300);
    expect(capped.text).toContain('line 0');
    expect(capped.text).toContain('line 1999');
    expect(capped.text).toContain(capped.file!);
    expect(fs.readFileSync(capped.file!, 'utf8')).toBe(long);
  });
});
