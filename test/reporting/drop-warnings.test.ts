import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DropWarnings } from './reporting-modules';

describe('drop warnings', () => {
  it('while drops go on, says the running count at most once a minute, then the total at close', () => {
    const said: string[] = [];
    let now = 0;
    const drops = new DropWarnings(
      (message) => said.push(message),
      60000,
      () => now,
    );
    const failed = () => drops.sendFailed('http://collector:14268/api/traces', 'connect ECONNREFUSED 10.0.0.1:14268', 100, 5, 60000);
    failed();
    for (now = 1000; now < 59000; now += 1000) failed(); // 58 more in the first minute: nothing more said
    assert.equal(said.length, 1);
    now = 61000;
    failed();
    now = 62000;
    failed();
    drops.lost('queue full', 50, 'the queue was full', 'were dropped, oldest first, from a full queue');
    assert.deepEqual(said.slice(1), [
      'still dropping spans: 6,000 spans dropped so far: they could not be sent to the Jaeger collector at http://collector:14268/api/traces. This is said at most once a minute; closeTracer() gives the total.',
      'the queue was full: 50 spans dropped so far. This is said once; closeTracer() gives the total.',
    ]);
    drops.sayTotal();
    assert.equal(
      said[3],
      '6,150 spans dropped in all: 6,100 spans could not be sent to the Jaeger collector at http://collector:14268/api/traces; 50 spans were dropped, oldest first, from a full queue.',
    );
    assert.match(said[0], /ECONNREFUSED\) \(tried 5 times over 60 s\)\. 100 spans dropped so far/);
  });
});
