import 'reflect-metadata';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { afterEach, beforeEach, describe, it } from 'node:test';
import express from 'express';
import Koa from 'koa';
import type { Span as OpenTracingSpan } from 'opentracing';
import { Get, JsonController, Param, QueryParam, useExpressServer, useKoaServer } from 'routing-controllers';
import { Span, SpanTag } from 'jaeger-decorators';
import { CurrentSpan, TracedController } from 'jaeger-decorators/routing-controllers';
import { httpRequest, listen } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

class OrderService {
  @Span()
  find(@SpanTag('order.id') id: string, @SpanTag('customer.token') token: string, unrelated: number) {
    return { id, token: token.length, unrelated };
  }
}

@Span()
class InvoiceService {
  total(@SpanTag('invoice.currency') currency: string, amount: number) {
    return `${amount} ${currency}`;
  }
}

class BaseReports {
  @Span()
  run(@SpanTag('report.name') name: string) {
    return name;
  }
}
class MonthlyReports extends BaseReports {}

@TracedController()
@JsonController('/tagged-orders')
class TaggedOrderController {
  @Get('/:id')
  getOne(@Param('id') @SpanTag('order.id') id: number, @QueryParam('expand') @SpanTag('order.expand') expand: string, @CurrentSpan() span: OpenTracingSpan) {
    span.setTag('handler.saw.span', true);
    return { id, idType: typeof id, expand };
  }
}

function expressApp(): http.RequestListener {
  const app = express();
  useExpressServer(app, { controllers: [TaggedOrderController], defaultErrorHandler: true });
  return app;
}

function koaApp(): http.RequestListener {
  const app = new Koa();
  useKoaServer(app, { controllers: [TaggedOrderController], defaultErrorHandler: true });
  const handle = app.callback();
  return (req, res) => void handle(req, res);
}

describe('@SpanTag parameters (experimentalDecorators)', () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it("tags a @Span method's span with the tagged arguments, secret names redacted, the rest left out", () => {
    assert.deepEqual(new OrderService().find('o-9', 'tok-secret', 3), { id: 'o-9', token: 10, unrelated: 3 });
    const { tags } = recording.span('OrderService.find');
    assert.equal(tags['order.id'], 'o-9');
    assert.equal(tags['customer.token'], '[REDACTED]');
    assert.equal(Object.values(tags).includes(3), false);
  });

  it('works under a class-level @Span and for an inherited method', () => {
    new InvoiceService().total('EUR', 12);
    new MonthlyReports().run('sales');
    assert.equal(recording.span('InvoiceService.total').tags['invoice.currency'], 'EUR');
    assert.equal(recording.span('MonthlyReports.run').tags['report.name'], 'sales');
  });

  it('is rejected on a constructor parameter, and a tag name must be given', () => {
    assert.throws(() => SpanTag('x')(class {}, undefined, 0), /@SpanTag\('x'\) tags method parameters, not constructor parameters/);
    assert.throws(() => SpanTag(''), /@SpanTag\(\): the tag name must be a non-empty string/);
  });

  for (const [driver, app] of [
    ['Express', expressApp],
    ['Koa', koaApp],
  ] as const) {
    it(`on a @TracedController action (${driver}): tags the request's span, routing-controllers' @Param still converts, @CurrentSpan injects the span`, async () => {
      const server = await listen(app());
      try {
        const response = await httpRequest(`${server.url}/tagged-orders/42?expand=lines`);
        assert.equal(response.status, 200);
        assert.deepEqual(response.json(), { id: 42, idType: 'number', expand: 'lines' });
        await delay(20);
        const { tags } = recording.span('TaggedOrderController.getOne');
        assert.equal(tags['order.id'], 42);
        assert.equal(tags['order.expand'], 'lines');
        assert.equal(tags['handler.saw.span'], true);
        assert.equal(tags['span.kind'], 'server');
      } finally {
        await server.close();
      }
    });
  }
});
