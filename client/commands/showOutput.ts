import type { Services } from '../services';

export function showOutput(s: Services): void {
  s.log.show(true);
}
