import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Controller, Get, JsonController } from 'routing-controllers';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { delay } from '../support/recording-tracer';

describe('@TracedController on a class that is not a routing-controllers controller', () => {
  let warnings: Error[];
  const onWarning = (warning: Error) => {
    if (warning.name === 'TracingWarning') warnings.push(warning);
  };
  beforeEach(() => {
    warnings = [];
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('warns once, naming the class and what to do', async () => {
    @TracedController()
    class OrderService {
      @Get('/orders')
      list() {
        return [];
      }
    }
    await delay(10);
    assert.equal(warnings.length, 1, warnings.map((warning) => warning.message).join('\n'));
    assert.equal(
      warnings[0].message,
      'jaeger-decorators: @TracedController() is on OrderService, which is not a routing-controllers controller, so nothing in it is traced. ' +
        'Put @Controller() or @JsonController() on the class too (in either order), or use @Span() for a class that is not a controller.',
    );
    assert.equal(typeof OrderService, 'function');
  });

  it('stays silent when it stands above @JsonController', async () => {
    @TracedController()
    @JsonController('/misuse-above')
    class AboveController {
      @Get('/')
      list() {
        return [];
      }
    }
    await delay(10);
    assert.deepEqual(warnings, []);
    assert.equal(typeof AboveController, 'function');
  });

  it('stays silent when it stands below @Controller', async () => {
    @Controller('/misuse-below')
    @TracedController()
    class BelowController {
      @Get('/')
      list() {
        return 'ok';
      }
    }
    await delay(10);
    assert.deepEqual(warnings, []);
    assert.equal(typeof BelowController, 'function');
  });
});
