import { describe, expect, it } from 'vitest';
import { transportFrom } from '../../src/cli/transport.js';

describe('request deadlines the user sets', () => {
  it('environment over settings; unset or 0 keeps the scaled defaults', () => {
    expect(transportFrom({}, {})).toEqual({ timeouts: { firstTokenMs: undefined, idleMs: undefined } });
    expect(transportFrom({ firstTokenTimeoutMs: 900_000, idleTimeoutMs: 30_000 }, {})).toEqual({ timeouts: { firstTokenMs: 900_000, idleMs: 30_000 } });
    expect(transportFrom({ idleTimeoutMs: 30_000 }, { CLAW_IDLE_TIMEOUT_MS: '5000', CLAW_FIRST_TOKEN_TIMEOUT_MS: '0' })).toEqual({ timeouts: { firstTokenMs: undefined, idleMs: 5000 } });
  });

  it('a bad environment value is a usage error naming the variable', () => {
    expect(() => transportFrom({}, { CLAW_IDLE_TIMEOUT_MS: '2m' })).toThrow(/CLAW_IDLE_TIMEOUT_MS must be a whole number of milliseconds/);
  });
});
