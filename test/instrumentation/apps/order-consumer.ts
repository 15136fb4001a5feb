// A queue consumer in a process of its own, as another service would be: it consumes the orders the data app
// publishes, each handled in a `@Span` method, and exits after `ORDERS_EXPECTED` of them. Its spans must join
// the producer's trace, carried in the message's headers.
import { Span, closeTracer, initTracer } from 'jaeger-decorators';
import { installAllPatches } from 'jaeger-decorators/patches';

initTracer(process.env.SERVICE_NAME!, {
  sampler: { type: 'const', param: 1 },
  reporter: { collectorEndpoint: process.env.E2E_JAEGER_COLLECTOR_URL!, flushIntervalMs: 200 },
});
installAllPatches({ log: false });

// Required after installAllPatches(), as the README says for CommonJS.

const amqp = require('amqplib') as typeof import('amqplib');

class OrderHandler {
  @Span('OrderHandler.handle')
  async handle(order: { id: number }): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (order.id < 0) throw new RangeError('negative order id');
  }
}

async function main(): Promise<void> {
  const expected = Number(process.env.ORDERS_EXPECTED ?? 1);
  const connection = await amqp.connect(process.env.E2E_AMQP_URL!);
  const channel = await connection.createChannel();
  const queue = process.env.ORDERS_QUEUE!;
  await channel.assertQueue(queue, { durable: false });
  const handler = new OrderHandler();
  let handled = 0;
  await channel.consume(queue, (message) => {
    if (message === null) return;
    void handler
      .handle(JSON.parse(message.content.toString()) as { id: number })
      .catch(() => undefined)
      .finally(async () => {
        channel.ack(message);
        handled += 1;
        if (handled === expected) {
          await connection.close();
          await closeTracer();
        }
      });
  });
  console.log('ready');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
