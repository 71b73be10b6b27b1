// The real llama-server exchanges of /work/shared/recordings/llamacpp (copied as data; see its README there).
import { fileURLToPath } from 'node:url';

export type RecordingName = 'success-stream' | 'success-stream-progress' | 'midstream-error-500-reasoning' | 'midstream-error-500' | 'overflow-400' | 'overflow-400-compaction-request' | 'doctor-toolcheck-nonstream';

export function recording(name: RecordingName): string {
  return fileURLToPath(new URL(`../fixtures/llamacpp/${name}.res.txt`, import.meta.url));
}
