import { RemoteSampler } from 'jaeger-client';
import { guard } from '../core/guard';

// Index = the enum's number in Jaeger's sampling API.
const STRATEGY_TYPE_NAMES = ['PROBABILISTIC', 'RATE_LIMITING'];

/**
 * Jaeger v2 answers `/sampling` with the legacy Thrift JSON, whose `strategyType` is a number (`0`), while
 * jaeger-client 3.x only understands the names (`"PROBABILISTIC"`) and rejects every answer as malformed:
 * its remote sampler (also its default sampler) would stay at the initial rate forever. This teaches the
 * tracer's remote sampler both spellings. Found by the end-to-end remote-sampler test.
 */
export function acceptNumericStrategyTypes(tracer: unknown): void {
  guard('adapting the remote sampler', () => {
    const sampler = (tracer as { _sampler?: unknown })._sampler;
    if (!(sampler instanceof RemoteSampler)) return;
    const update = sampler._updateSampler;
    sampler._updateSampler = function updateWithNamedStrategy(this: RemoteSampler, response: unknown): boolean {
      const strategyType = (response as { strategyType?: unknown } | null)?.strategyType;
      if (typeof strategyType === 'number' && STRATEGY_TYPE_NAMES[strategyType] !== undefined) {
        return update.call(this, { ...(response as object), strategyType: STRATEGY_TYPE_NAMES[strategyType] });
      }
      return update.call(this, response);
    };
  });
}
