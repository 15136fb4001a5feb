import { methodOverhead } from './cases/method-overhead';
import { sink } from './support/measure';

void methodOverhead().then((result) => {
  const plain = result.costs[0].medianNs;
  for (const cost of result.costs) console.log(`${cost.name.padEnd(50)} median ${cost.medianNs.toFixed(1).padStart(7)} ns  mean ${cost.meanNs.toFixed(1).padStart(7)} ns  ×${(cost.medianNs / plain).toFixed(2)}`);
  console.log(`(sink ${sink.value})`);
});
