import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { InMemoryReporter, initTracer as initJaegerTracer } from 'jaeger-client';
import { LogErrorsToSpan, Span, getActiveSpan, initTracer, withSpan } from 'jaeger-decorators';
import { DIALECT } from '../support/dialect';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

describe(`@Span (${DIALECT})`, () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('names the span ClassName.methodName by default', () => {
    class UserService {
      @Span()
      find(id: number) {
        return { id };
      }
    }
    new UserService().find(1);
    assert.deepEqual(
      recording.spans().map((s) => s.name),
      ['UserService.find'],
    );
  });

  it('takes an operation name and tags', () => {
    class UserService {
      @Span('users.compute', { tags: { 'db.type': 'sql', retries: 2 } })
      compute(x: number) {
        return x * 2;
      }
    }
    new UserService().compute(2);
    const span = recording.span('users.compute');
    assert.equal(span.tags['db.type'], 'sql');
    assert.equal(span.tags.retries, 2);
  });

  it('a sync method stays sync and returns its value', () => {
    class Calculator {
      @Span()
      double(x: number) {
        return x * 2;
      }
    }
    const result = new Calculator().double(21);
    assert.equal(result, 42);
    assert.equal(recording.spans().length, 1);
  });

  it('keeps this and every argument', () => {
    class Greeter {
      constructor(private readonly greeting: string) {}
      @Span()
      greet(name: string, punctuation = '!', ...rest: string[]) {
        return `${this.greeting}, ${name}${punctuation}${rest.join('')}`;
      }
    }
    assert.equal(new Greeter('Hello').greet('Ada', '?', 'a', 'b'), 'Hello, Ada?ab');
  });

  it("returns a Promise that settles as the method's did, and ends the span when it settles", async () => {
    let resolve!: (value: string) => void;
    const pending = new Promise<string>((r) => (resolve = r));
    class Loader {
      @Span()
      load() {
        return pending;
      }
    }
    const returned = new Loader().load();
    assert.ok(returned instanceof Promise);
    await delay(5);
    assert.equal(recording.spans().length, 0, 'span must stay open until the promise settles');
    resolve('done');
    assert.equal(await returned, 'done');
    assert.equal(recording.span('Loader.load').durationMs >= 4, true);
  });

  it('returns a Promise subclass as the very same object', async () => {
    class QueryPromise<T> extends Promise<T> {
      cancel() {
        return 'cancelled';
      }
    }
    const query = new QueryPromise<number>((resolve) => setTimeout(() => resolve(7), 1));
    class Repository {
      @Span()
      find() {
        return query;
      }
    }
    const returned = new Repository().find();
    assert.equal(returned, query);
    assert.equal(returned.cancel(), 'cancelled');
    assert.equal(await returned, 7);
    await delay(0);
    assert.equal(recording.spans().length, 1);
  });

  it('returns a Promise subclass whose own then() throws as it is, the call unbroken (a Deferred that takes no executor)', async () => {
    class Deferred<T> extends Promise<T> {
      resolve!: (value: T) => void;
      constructor() {
        let resolve!: (value: T) => void;
        super((settle) => (resolve = settle));
        this.resolve = resolve;
      }
    }
    const deferred = new Deferred<number>();
    class Jobs {
      @Span()
      next() {
        return deferred;
      }

      @LogErrorsToSpan()
      logged() {
        return deferred;
      }
    }
    assert.equal(new Jobs().next(), deferred);
    await withSpan(recording.tracer.startSpan('caller'), async () => assert.equal(new Jobs().logged(), deferred));
    // Its span ends with the call: a `then` that throws cannot tell when the work ends.
    assert.equal(recording.span('Jobs.next').tags.error, undefined);
  });

  it('a receiver that refuses to name its class (a revoked Proxy): the call runs untraced, as undecorated', () => {
    class Sums {
      @Span()
      add(a: number, b: number) {
        return a + b;
      }
    }
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    assert.equal(Sums.prototype.add.call(proxy as unknown as Sums, 1, 2), 3);
  });

  it('never calls then on a lazy thenable', () => {
    let thenCalls = 0;
    const query = {
      then(onFulfilled: (value: number) => void) {
        thenCalls += 1;
        onFulfilled(1);
      },
    };
    class Repository {
      @Span()
      query() {
        return query;
      }
    }
    assert.equal(new Repository().query(), query);
    assert.equal(thenCalls, 0);
    assert.equal(recording.spans().length, 1);
  });

  it('rethrows the same error object and records it on the span', () => {
    const failure = new TypeError('bad input');
    class Parser {
      @Span()
      parse() {
        throw failure;
      }
    }
    assert.throws(
      () => new Parser().parse(),
      (error) => error === failure,
    );
    const span = recording.span('Parser.parse');
    assert.equal(span.tags.error, true);
    assert.equal(span.logs.length, 1);
    assert.equal(span.logs[0].event, 'error');
    assert.equal(span.logs[0]['error.kind'], 'TypeError');
    assert.equal(span.logs[0].message, 'bad input');
    assert.match(String(span.logs[0].stack), /TypeError: bad input/);
  });

  it('rejects with the same error object and records it on the span', async () => {
    const failure = new RangeError('too far');
    class Walker {
      @Span()
      async walk() {
        await delay(1);
        throw failure;
      }
    }
    await assert.rejects(new Walker().walk(), (error) => error === failure);
    await delay(0);
    const span = recording.span('Walker.walk');
    assert.equal(span.tags.error, true);
    assert.equal(span.logs[0]['error.kind'], 'RangeError');
  });

  it('records a thrown non-Error value without failing', () => {
    class Legacy {
      @Span()
      fail() {
        throw 'plain string';
      }
    }
    assert.throws(
      () => new Legacy().fail(),
      (error) => error === 'plain string',
    );
    assert.equal(recording.span('Legacy.fail').logs[0].message, 'plain string');
  });

  it('nested decorated calls nest, across await and timers', async () => {
    class Repository {
      @Span()
      async row(id: number) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return id;
      }
    }
    class UserService {
      constructor(private readonly repository = new Repository()) {}
      @Span()
      async find(id: number) {
        await delay(1);
        return this.repository.row(id);
      }
    }
    class UserController {
      constructor(private readonly users = new UserService()) {}
      @Span()
      async getOne(id: number) {
        const first = await this.users.find(id);
        const second = await this.users.find(id + 1);
        return [first, second];
      }
    }
    assert.deepEqual(await new UserController().getOne(1), [1, 2]);
    const spans = recording.spans();
    const controller = recording.span('UserController.getOne');
    const finds = spans.filter((s) => s.name === 'UserService.find');
    const rows = spans.filter((s) => s.name === 'Repository.row');
    assert.equal(controller.parentId, null);
    assert.equal(finds.length, 2);
    for (const find of finds) assert.equal(find.parentId, controller.spanId);
    assert.deepEqual(rows.map((row) => row.parentId).sort(), finds.map((find) => find.spanId).sort());
    assert.equal(new Set(spans.map((s) => s.traceId)).size, 1);
  });

  it('makes its span the active one inside the method and restores the caller afterwards', () => {
    let inside: unknown;
    class Probe {
      @Span()
      look() {
        inside = getActiveSpan();
      }
    }
    const outer = recording.tracer.startSpan('outer');
    withSpan(outer, () => {
      new Probe().look();
      assert.equal(getActiveSpan(), outer);
    });
    assert.notEqual(inside, undefined);
    assert.notEqual(inside, outer);
    assert.equal(getActiveSpan(), undefined);
    outer.finish();
    assert.equal(recording.span('Probe.look').parentId, recording.span('outer').spanId);
  });

  it('with requireParent, runs untraced when no span is active', () => {
    class Background {
      @Span({ requireParent: true })
      tick() {
        return 'ticked';
      }
    }
    assert.equal(new Background().tick(), 'ticked');
    assert.equal(recording.spans().length, 0);
    const parent = recording.tracer.startSpan('parent');
    withSpan(parent, () => new Background().tick());
    parent.finish();
    assert.equal(recording.span('Background.tick').parentId, recording.span('parent').spanId);
  });

  it('inside an unsampled trace creates no span and switches no context', async () => {
    let activeInside: unknown;
    class Quiet {
      @Span()
      work() {
        activeInside = getActiveSpan();
        return 7;
      }
    }
    await closeTracer();
    const reporter = new InMemoryReporter();
    const tracer = initTracer('unsampled', { sampler: { type: 'const', param: 0 } }, { reporter });
    const root = tracer.startSpan('root');
    const result = withSpan(root, () => new Quiet().work());
    assert.equal(result, 7);
    assert.equal(activeInside, root, 'the unsampled parent stays active: no child was made');
    root.finish();
    assert.equal(reporter.spans.length, 0);
  });

  it('uses the tracer given in the options instead of the global one', () => {
    const ownReporter = new InMemoryReporter();
    const ownTracer = initJaegerTracer({ serviceName: 'own', sampler: { type: 'const', param: 1 } }, { reporter: ownReporter });
    class Billing {
      @Span({ tracer: ownTracer })
      charge() {
        return true;
      }
    }
    new Billing().charge();
    assert.equal(ownReporter.spans.length, 1);
    assert.equal(recording.spans().length, 0);
  });

  it('looks the tracer up at call time: a class decorated before initTracer is traced after it', async () => {
    await closeTracer();
    class Early {
      @Span()
      run() {
        return 'ran';
      }
    }
    assert.equal(new Early().run(), 'ran', 'runs untraced before initTracer');
    recording = recordingTracer();
    new Early().run();
    assert.deepEqual(
      recording.spans().map((s) => s.name),
      ['Early.run'],
    );
  });

  it('before initTracer, runs untraced: no active span inside the method', async () => {
    await closeTracer();
    let inside: unknown = 'not called';
    class Early {
      @Span()
      run() {
        inside = getActiveSpan();
        return 'ran';
      }
    }
    assert.equal(new Early().run(), 'ran');
    assert.equal(inside, undefined);
  });

  it("keeps the method's name, length and reflect-metadata", () => {
    const markFunction = (target: any, keyOrContext?: any, descriptor?: PropertyDescriptor): void => {
      const fn = descriptor === undefined ? target : descriptor.value;
      Reflect.defineMetadata('custom:role', 'admin', fn);
      void keyOrContext;
    };
    class Admin {
      @Span()
      @markFunction
      promote(user: string, level: number) {
        return `${user}:${level}`;
      }
    }
    const method = Admin.prototype.promote;
    assert.equal(method.name, 'promote');
    assert.equal(method.length, 2);
    assert.equal(Reflect.getMetadata('custom:role', method), 'admin');
  });

  it('traces static methods and symbol-named methods under their class name', () => {
    const key = Symbol('compute');
    class Tools {
      @Span()
      static version() {
        return '1';
      }
      @Span()
      [key]() {
        return 2;
      }
    }
    Tools.version();
    new Tools()[key]();
    assert.deepEqual(
      recording
        .spans()
        .map((s) => s.name)
        .sort(),
      ['Tools.[compute]', 'Tools.version'],
    );
  });

  it('names an inherited method after the class it was called on', () => {
    class BaseService {
      @Span()
      audit() {
        return 'audited';
      }
    }
    class OrderService extends BaseService {}
    class InvoiceService extends BaseService {}
    new OrderService().audit();
    new InvoiceService().audit();
    new BaseService().audit();
    assert.deepEqual(
      recording.spans().map((s) => s.name),
      ['OrderService.audit', 'InvoiceService.audit', 'BaseService.audit'],
    );
  });

  it('names an inherited static method after the class it was called on', () => {
    class BaseRepository {
      @Span()
      static connect() {
        return true;
      }
    }
    class UserRepository extends BaseRepository {}
    UserRepository.connect();
    assert.deepEqual(
      recording.spans().map((s) => s.name),
      ['UserRepository.connect'],
    );
  });

  it('names a call with no receiver after the class that declares the method, once that class is known', () => {
    class Base {
      @LogErrorsToSpan()
      @Span()
      run() {
        return 1;
      }
      @Span()
      detached() {
        return 2;
      }
    }
    class Child extends Base {}
    new Child().run();
    const { detached } = new Base();
    detached();
    new Child().detached();
    detached();
    // A TC39 method decorator is not told its class: it learns it from the first call with a receiver.
    const firstDetached = DIALECT === 'TC39 decorators' ? 'detached' : 'Base.detached';
    assert.deepEqual(
      recording.spans().map((s) => s.name),
      ['Child.run', firstDetached, 'Child.detached', 'Base.detached'],
    );
  });

  it('fails at decoration time when used without parentheses', () => {
    assert.throws(
      () => {
        class Wrong {
          // @ts-expect-error: the factory must be called
          @Span
          run() {}
        }
        void Wrong;
      },
      { name: 'TypeError', message: /@Span must be called: write @Span\(\)/ },
    );
  });

  it('on a getter is a compile error, and fails at decoration time naming it', () => {
    assert.throws(
      () => {
        class Wrong {
          // @ts-expect-error: a getter is not a method
          @Span()
          get value() {
            return 1;
          }
        }
        void Wrong;
      },
      { name: 'TypeError', message: /@Span\(\) decorates classes and methods, not .*value/ },
    );
  });

  it('rejects unknown options and an empty name', () => {
    assert.throws(() => Span({ tag: { a: 1 } } as never), {
      message: /unknown option 'tag'; expected one of tags, resultTags, followsFrom, tracer, requireParent/,
    });
    assert.throws(() => Span(''), { message: /operation name must not be empty/ });
  });
});

describe(`@Span on a class (${DIALECT})`, () => {
  let recording: RecordingTracer;
  beforeEach(() => {
    recording = recordingTracer();
  });
  afterEach(() => closeTracer());

  it('traces every own method, modifying the class in place', () => {
    const seen: unknown[] = [];
    const keepClass = (value: unknown) => {
      seen.push(value);
    };
    @Span()
    @keepClass
    class OrderService {
      list() {
        return [1];
      }
      async create() {
        return 'created';
      }
    }
    assert.equal(seen[0], OrderService, 'the class is the same object, not a subclass');
    new OrderService().list();
    return new OrderService().create().then((value) => {
      assert.equal(value, 'created');
      assert.deepEqual(
        recording
          .spans()
          .map((s) => s.name)
          .sort(),
        ['OrderService.create', 'OrderService.list'],
      );
    });
  });

  it('leaves the constructor, getters, generators and static methods alone', () => {
    let constructed = 0;
    @Span()
    class Catalog {
      constructor() {
        constructed += 1;
      }
      get size() {
        return 3;
      }
      *items() {
        yield 1;
      }
      static create() {
        return new Catalog();
      }
      count() {
        return this.size;
      }
    }
    const catalog = Catalog.create();
    assert.equal(constructed, 1);
    assert.deepEqual([...catalog.items()], [1]);
    assert.equal(catalog.count(), 3);
    assert.deepEqual(
      recording.spans().map((s) => s.name),
      ['Catalog.count'],
    );
  });

  it("lets a method's own @Span win over the class's", () => {
    @Span()
    class Payments {
      @Span('payments.charge', { tags: { currency: 'EUR' } })
      charge() {
        return true;
      }
    }
    new Payments().charge();
    const spans = recording.spans();
    assert.deepEqual(
      spans.map((s) => s.name),
      ['payments.charge'],
    );
    assert.equal(spans[0].tags.currency, 'EUR');
  });
});
