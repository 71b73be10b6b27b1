import { z } from 'zod';

// Small local models often send numbers and booleans as strings ("10", "true"); accept those.
// The JSON schema sent to the server is unchanged (integer / boolean).

export function int() {
  return z.coerce.number().int();
}

export function bool() {
  return z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());
}

export function num() {
  return z.coerce.number();
}
